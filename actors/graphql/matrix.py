from datetime import datetime
from typing import cast

import strawberry
import strawberry_django

from actors import models
from actors.querysets import valid_at

from .enums import Position
from .types import StanceType, TopicType


@strawberry.type(name="PositionGroup")
class PositionGroupType:
    position: Position
    topic_id: strawberry.Private[int]
    as_of: strawberry.Private[datetime]

    @strawberry_django.field
    def stances(self) -> list[StanceType]:
        """The stances in force at the matrix's instant, by actor name. StanceType's own
        queryset rule hides what the viewer may not see."""
        found = models.Stance.objects.filter(
            valid_at(self.as_of), topic_id=self.topic_id, position=self.position
        ).order_by("actor__name", "id")
        return cast("list[StanceType]", found)


@strawberry.type(name="StanceMatrix")
class StanceMatrixType:
    topic: TopicType
    as_of: datetime

    @strawberry.field
    def positions(self) -> list[PositionGroupType]:
        """One group per position, in the enum's order, empty groups included."""
        topic = cast(models.Topic, self.topic)
        return [
            PositionGroupType(position=position, topic_id=topic.pk, as_of=self.as_of)
            for position in Position
        ]
