"""Integrity lives in the database: each rule rejects a bad row from the ORM and from raw SQL."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from actors.models import Membership, Stance
from tests.factories import ActorFactory, EntryFactory, StanceFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
T1 = datetime(2025, 1, 2, 10, 0, tzinfo=UTC)
T2 = datetime(2025, 1, 3, 10, 0, tzinfo=UTC)


def test_overlapping_verified_stances_are_rejected_by_the_database() -> None:
    first = StanceFactory.create(valid_from=T0, valid_until=T2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceFactory.create(actor=first.actor, topic=first.topic, valid_from=T1)


def test_overlapping_verified_stances_fail_validation_with_a_clear_message() -> None:
    first = StanceFactory.create(valid_from=T0)
    second = StanceFactory.build(
        actor=first.actor,
        topic=first.topic,
        evidence=first.evidence,
        source=first.source,
        valid_from=T1,
    )
    with pytest.raises(ValidationError, match="already has a verified stance"):
        second.full_clean()


def test_back_to_back_verified_stances_do_not_overlap() -> None:
    first = StanceFactory.create(valid_from=T0, valid_until=T1)
    StanceFactory.create(actor=first.actor, topic=first.topic, valid_from=T1)
    assert Stance.objects.filter(actor=first.actor).count() == 2


def test_a_proposed_stance_may_overlap_a_verified_one() -> None:
    first = StanceFactory.create(valid_from=T0)
    StanceFactory.create(actor=first.actor, topic=first.topic, valid_from=T1, status="proposed")
    assert Stance.objects.filter(actor=first.actor).count() == 2


def test_a_stance_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceFactory.create(valid_from=T1, valid_until=T0)


def test_a_stance_cannot_end_before_it_starts_in_validation() -> None:
    stance = StanceFactory.build(
        actor=ActorFactory.create(), valid_from=T1, valid_until=T0, evidence=EntryFactory.create()
    )
    stance.topic.save()
    stance.source.save()
    with pytest.raises(ValidationError, match="must end after it starts"):
        stance.full_clean()


@pytest.mark.parametrize(
    ("column", "value"),
    [("position", "maybe"), ("kind", "rumour"), ("status", "approved")],
)
def test_unknown_enum_values_are_rejected_by_the_database(column: str, value: str) -> None:
    stance = StanceFactory.create(status="proposed")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE actors_stance SET {column} = %s WHERE id = %s", [value, stance.pk])


def test_a_stance_needs_exactly_one_kind_of_evidence() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceFactory.create(evidence=None)


def test_a_membership_cannot_end_before_it_starts() -> None:
    member, group = ActorFactory.create(), ActorFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            member=member, group=group, started_on=T1.date(), ended_on=T0.date()
        )


def test_an_actor_kind_outside_the_enum_is_rejected() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory.create(kind="planet")


def test_country_codes_are_iso_alpha_2() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory.create(country="fr")
