from typing import Annotated

import strawberry
import strawberry_django
from strawberry import Info, relay

from actors import models
from actors.choices import CurationStatus
from actors.services import stance_decide, stance_same_as, stance_save, stance_supersede
from api_project.graphql.mutations import (
    DeletionType,
    IfMatch,
    checked_instance,
    conflicts_as_errors,
    create_mutation,
    delete_mutation,
    node_instance,
    node_pk,
    update_mutation,
)
from api_project.graphql.permissions import HasPerm
from events.models import Entry, Event, Source
from events.services import by_slug

from .inputs import (
    ActorInput,
    ActorPartialInput,
    StanceInput,
    StanceUpdateInput,
    TopicInput,
    TopicPartialInput,
)
from .types import ActorType, StanceType, TopicType

STANCE_FIELDS = (
    "position",
    "kind",
    "summary",
    "quote",
    "curator_note",
    "stated_at",
    "valid_from",
    "valid_until",
)
CURATOR_NOTE = Annotated[
    str | None, strawberry.argument(description="Why; kept on this stance, after its note.")
]


def _decide(
    info: Info, node_id: relay.GlobalID, status: CurationStatus, if_match: str | None
) -> StanceType:
    stance = checked_instance(models.Stance, node_id, if_match)
    with conflicts_as_errors():
        stance_decide(stance=stance, status=status, by=info.context.request.user)
    return stance  # type: ignore[return-value]


@strawberry.type
class Mutation:
    create_actor: ActorType = create_mutation(ActorInput, HasPerm("actors.add_actor"))
    update_actor: ActorType = update_mutation(ActorPartialInput, HasPerm("actors.change_actor"))

    delete_actor: DeletionType = delete_mutation(models.Actor, HasPerm("actors.delete_actor"))

    create_topic: TopicType = create_mutation(TopicInput, HasPerm("actors.add_topic"))
    update_topic: TopicType = update_mutation(TopicPartialInput, HasPerm("actors.change_topic"))

    delete_topic: DeletionType = delete_mutation(models.Topic, HasPerm("actors.delete_topic"))

    @strawberry_django.mutation(extensions=[HasPerm("actors.add_stance")])
    def create_stance(self, info: Info, data: StanceInput) -> StanceType:
        stance = models.Stance(
            actor=by_slug(models.Actor, data.actor, "actor"),
            topic=by_slug(models.Topic, data.topic, "topic"),
            source=by_slug(Source, data.source, "source"),
            evidence=node_instance(Entry, data.evidence, "evidence") if data.evidence else None,
            evidence_event=by_slug(Event, data.evidence_event, "evidenceEvent"),
            status=data.status,
            **{name: getattr(data, name) for name in STANCE_FIELDS},
        )
        with conflicts_as_errors():
            stance_save(stance=stance, by=info.context.request.user)
        return stance  # type: ignore[return-value]

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def update_stance(
        self, info: Info, data: StanceUpdateInput, if_match: IfMatch = None
    ) -> StanceType:
        stance = checked_instance(models.Stance, data.id, if_match)
        for name in STANCE_FIELDS:
            value = getattr(data, name)
            if value is not strawberry.UNSET:
                setattr(stance, name, value)
        with conflicts_as_errors():
            stance_save(stance=stance, by=info.context.request.user)
        return stance  # type: ignore[return-value]

    delete_stance: DeletionType = delete_mutation(models.Stance, HasPerm("actors.delete_stance"))

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def verify_stance(self, info: Info, id: relay.GlobalID, if_match: IfMatch = None) -> StanceType:
        """Verify; refused with the constraint's message if it overlaps a verified stance."""
        return _decide(info, id, CurationStatus.VERIFIED, if_match)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def dispute_stance(
        self, info: Info, id: relay.GlobalID, if_match: IfMatch = None
    ) -> StanceType:
        return _decide(info, id, CurationStatus.DISPUTED, if_match)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def reject_stance(self, info: Info, id: relay.GlobalID, if_match: IfMatch = None) -> StanceType:
        return _decide(info, id, CurationStatus.REJECTED, if_match)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def supersede_stance(
        self,
        info: Info,
        id: relay.GlobalID,
        supersedes: relay.GlobalID,
        curator_note: CURATOR_NOTE = None,
        if_match: IfMatch = None,
    ) -> StanceType:
        """Verify this stance as the successor of the verified stance `supersedes`, which then
        ends where this one starts, in one transaction. Refused (field supersedes) if that one
        is not verified, another actor's or topic's, or starts at or after this one."""
        stance = checked_instance(models.Stance, id, if_match)
        earlier = _other(supersedes, "supersedes")
        with conflicts_as_errors():
            stance_supersede(
                stance=stance,
                earlier=earlier,
                by=info.context.request.user,
                note=curator_note or "",
            )
        return models.Stance.objects.get(pk=stance.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def mark_same_stance(
        self,
        info: Info,
        id: relay.GlobalID,
        same_as: relay.GlobalID,
        curator_note: CURATOR_NOTE = None,
        if_match: IfMatch = None,
    ) -> StanceType:
        """Keep this stance as further evidence of the verified stance `sameAs` (status
        CORROBORATES): listed in that one's `corroborations`, never in force itself. Refused
        (field sameAs) for itself, another actor's or topic's, or one not verified."""
        stance = checked_instance(models.Stance, id, if_match)
        existing = _other(same_as, "sameAs")
        with conflicts_as_errors():
            stance_same_as(
                stance=stance,
                existing=existing,
                by=info.context.request.user,
                note=curator_note or "",
            )
        return models.Stance.objects.get(pk=stance.pk)  # type: ignore[return-value]


def _other(node_id: relay.GlobalID, field: str) -> models.Stance | None:
    """The stance a settling mutation names; None (refused by the service) if there is none."""
    return models.Stance.objects.filter(pk=node_pk(models.Stance, node_id, field)).first()
