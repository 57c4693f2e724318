import strawberry
import strawberry_django
from strawberry import Info, relay
from strawberry_django import mutations

from actors import models
from actors.choices import CurationStatus
from actors.services import stance_decide, stance_save
from api_project.graphql.mutations import (
    DeletionType,
    by_slug,
    conflicts_as_errors,
    delete_node,
    node_instance,
)
from api_project.graphql.permissions import HasPerm
from events.models import Entry, Event, Source

from .inputs import (
    ActorInput,
    ActorPartialInput,
    StanceInput,
    StanceUpdateInput,
    TopicInput,
    TopicPartialInput,
)
from .types import ActorType, StanceType, TopicType

STANCE_FIELDS = ("position", "kind", "summary", "quote", "stated_at", "valid_from", "valid_until")


def _decide(info: Info, node_id: relay.GlobalID, status: CurationStatus) -> StanceType:
    stance = node_instance(models.Stance, node_id)
    with conflicts_as_errors():
        stance_decide(stance=stance, status=status, by=info.context.request.user)
    return stance  # type: ignore[return-value]


@strawberry.type
class Mutation:
    create_actor: ActorType = mutations.create(ActorInput, extensions=[HasPerm("actors.add_actor")])
    update_actor: ActorType = mutations.update(
        ActorPartialInput, extensions=[HasPerm("actors.change_actor")]
    )

    @strawberry_django.mutation(extensions=[HasPerm("actors.delete_actor")])
    def delete_actor(self, info: Info, id: relay.GlobalID) -> DeletionType:
        return delete_node(models.Actor, id)

    create_topic: TopicType = mutations.create(TopicInput, extensions=[HasPerm("actors.add_topic")])
    update_topic: TopicType = mutations.update(
        TopicPartialInput, extensions=[HasPerm("actors.change_topic")]
    )

    @strawberry_django.mutation(extensions=[HasPerm("actors.delete_topic")])
    def delete_topic(self, info: Info, id: relay.GlobalID) -> DeletionType:
        return delete_node(models.Topic, id)

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
    def update_stance(self, info: Info, data: StanceUpdateInput) -> StanceType:
        stance = node_instance(models.Stance, data.id)
        for name in STANCE_FIELDS:
            value = getattr(data, name)
            if value is not strawberry.UNSET:
                setattr(stance, name, value)
        with conflicts_as_errors():
            stance_save(stance=stance, by=info.context.request.user)
        return stance  # type: ignore[return-value]

    @strawberry_django.mutation(extensions=[HasPerm("actors.delete_stance")])
    def delete_stance(self, info: Info, id: relay.GlobalID) -> DeletionType:
        return delete_node(models.Stance, id)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def verify_stance(self, info: Info, id: relay.GlobalID) -> StanceType:
        """Verify; refused with the constraint's message if it overlaps a verified stance."""
        return _decide(info, id, CurationStatus.VERIFIED)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def dispute_stance(self, info: Info, id: relay.GlobalID) -> StanceType:
        return _decide(info, id, CurationStatus.DISPUTED)

    @strawberry_django.mutation(extensions=[HasPerm("actors.change_stance")])
    def reject_stance(self, info: Info, id: relay.GlobalID) -> StanceType:
        return _decide(info, id, CurationStatus.REJECTED)
