"""Who appears in the coverage and where they stand: actors, topics, stances, mentions."""

from collections.abc import Collection
from datetime import UTC, datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeBoundary
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from api_project.constraints import (
    ConditionalExclusionConstraint,
    blank_or_match,
    choices_check,
    country_check,
    range_check,
    violation_error,
)
from api_project.countries import validate_country_code

from .choices import ActorKind, CurationStatus, MentionRole, Position, StanceKind
from .querysets import StanceQuerySet


def _stamp(moment: datetime | str | None) -> str:
    """A time in a label, in UTC; a value not yet parsed (a form's, a factory's) as given."""
    if isinstance(moment, str):
        moment = parse_datetime(moment) or moment
    if not isinstance(moment, datetime):
        return str(moment)
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


class TsTzRange(Func):
    """PostgreSQL's tstzrange(lower, upper, '[)'): a stance's span of validity."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Actor(models.Model):
    """A person, country, organisation, international body, coalition or media actor.

    `aliases` are the other names the coverage uses for it (Kiev for Ukraine's government,
    Berlin for Germany, "the States" for the USA); ingestion recognises actors by them.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=ActorKind.choices)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, in capitals: GB, FR, US."),
    )
    title = models.CharField(max_length=200, blank=True, help_text=_("Role or office."))
    wikidata_id = models.CharField(max_length=16, blank=True, verbose_name=_("Wikidata ID"))
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            choices_check("kind", ActorKind, "actors_actor_kind_valid"),
            country_check("country", "actors_actor_country_code"),
            blank_or_match(
                "wikidata_id", r"^Q[1-9][0-9]*$", "actors_actor_wikidata_format", "Use a Q-number."
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="actors_actor_unique_wikidata",
                violation_error_message="Another actor has this Wikidata ID.",
                violation_error_code="unique",
            ),
        ]
        indexes = [GinIndex(fields=["aliases"], name="actors_actor_aliases")]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """An actor belonging to another over a span of dates: a person in an office, a country in
    NATO or in the coalition of the willing. Open-ended when `ended_on` is empty."""

    member = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=200, blank=True, help_text=_("e.g. President, member."))
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member", "started_on", "id"]
        constraints = [
            range_check(
                "started_on",
                "ended_on",
                "actors_membership_date_order",
                "A membership cannot end before it starts.",
                optional_start=True,
            ),
            models.CheckConstraint(
                condition=~Q(member=F("group")),
                name="actors_membership_not_self",
                violation_error_message="An actor cannot be a member of itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.role or 'member'} of {self.group}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Topic(models.Model):
    """The question a stance answers, e.g. "Send troops to Ukraine as part of security
    guarantees"."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Mention(models.Model):
    """An actor named in an entry, once per entry, with the part it plays there."""

    entry = models.ForeignKey("events.Entry", on_delete=models.CASCADE, related_name="mentions")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="mentions")
    role = models.CharField(max_length=16, choices=MentionRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "id"]
        constraints = [
            choices_check("role", MentionRole, "actors_mention_role_valid"),
            models.UniqueConstraint(
                fields=["entry", "actor"],
                name="actors_mention_once_per_entry",
                violation_error_message="This actor is already mentioned in this entry.",
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


# What an editor states about a stance, in the order readers see it: the REST representation
# and the CSV import/export both start from this list (the former adds who decided and when).
STANCE_RECORD_FIELDS = [
    "id",
    "actor",
    "topic",
    "position",
    "kind",
    "summary",
    "quote",
    "evidence",
    "evidence_event",
    "source",
    "stated_at",
    "valid_from",
    "valid_until",
    "status",
    "same_as",
    "curator_note",
]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Stance(models.Model):
    """An actor's position on a topic, backed by evidence and a source, valid over a span.

    The evidence is one entry, or an event's summary when no timestamped entry states it
    (exactly one of the two). Validity is half-open, [valid_from, valid_until); an open end
    means "until superseded". Two verified stances of one actor on one topic never overlap.
    """

    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="stances")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="stances")
    position = models.CharField(max_length=16, choices=Position.choices)
    kind = models.CharField(max_length=16, choices=StanceKind.choices)
    summary = models.TextField()
    quote = models.TextField(blank=True)
    evidence = models.ForeignKey(
        "events.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="stances"
    )
    evidence_event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summary_stances",
        help_text=_("Set instead of an entry when the event's summary states the stance."),
    )
    source = models.ForeignKey("events.Source", on_delete=models.PROTECT, related_name="stances")
    stated_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CurationStatus.choices, default=CurationStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_stances",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    same_as = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corroborations",
        verbose_name=_("same stance as"),
        help_text=_("The verified stance this one is further evidence of."),
    )
    curator_note = models.TextField(
        blank=True, help_text=_("Why the stance was decided as it was, for the next editor.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            choices_check("position", Position, "actors_stance_position_valid"),
            choices_check("kind", StanceKind, "actors_stance_kind_valid"),
            choices_check("status", CurationStatus, "actors_stance_status_valid"),
            range_check(
                "valid_from",
                "valid_until",
                "actors_stance_valid_range",
                "A stance must end after it starts.",
                empty=False,
            ),
            models.CheckConstraint(
                condition=Q(evidence__isnull=True, evidence_event__isnull=False)
                | Q(evidence__isnull=False, evidence_event__isnull=True),
                name="actors_stance_one_evidence",
                violation_error_message="Give an entry or an event summary as evidence, not both.",
            ),
            ConditionalExclusionConstraint(
                name="actors_stance_no_overlap",
                expressions=[
                    ("actor", "="),
                    ("topic", "="),
                    (TsTzRange("valid_from", "valid_until", RangeBoundary()), "&&"),
                ],
                condition=Q(status=CurationStatus.VERIFIED),
                violation_error_message=(
                    "This actor already has a verified stance on this topic for part of this span."
                ),
                violation_error_code="overlap",
            ),
            models.CheckConstraint(
                condition=~Q(same_as=F("id")),
                name="actors_stance_same_as_not_self",
                violation_error_message="A stance cannot be the same stance as itself.",
                violation_error_code="same_as_self",
            ),
            models.CheckConstraint(
                condition=Q(status=CurationStatus.CORROBORATES, same_as__isnull=False)
                | (~Q(status=CurationStatus.CORROBORATES) & Q(same_as__isnull=True)),
                name="actors_stance_same_as_status",
                violation_error_message=(
                    "A stance is the same stance as another exactly when it names that one; "
                    "use the same-stance action to mark it."
                ),
                violation_error_code="same_as_status",
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "valid_from"], name="actors_stance_topic_time"),
            models.Index(fields=["actor", "topic"], name="actors_stance_actor_topic"),
        ]

    def __str__(self) -> str:
        """The span is part of the label: two stances of one actor on one topic differ in
        lists, autocompletes and messages."""
        return f"{self.actor}: {self.get_position_display()} — {self.topic}, {self.span_label}"

    @property
    def span_label(self) -> str:
        if self.valid_until is None:
            return f"from {_stamp(self.valid_from)} UTC"
        return f"{_stamp(self.valid_from)} – {_stamp(self.valid_until)} UTC"  # noqa: RUF001 (a span)

    def clean(self) -> None:
        """The stance another is the same as is the same actor's, on the same topic, and
        verified: it stays verified while others are marked the same as it."""
        super().clean()
        subjects = (
            set(Stance.objects.filter(same_as=self.pk).values_list("actor_id", "topic_id"))
            if self.pk is not None
            else set()
        )
        if subjects and self.status != CurationStatus.VERIFIED:
            raise ValidationError(
                {
                    "status": ValidationError(
                        "Other stances are marked the same as this one, so it stays verified; "
                        "decide them first.",
                        code="has_corroborations",
                    )
                }
            )
        if subjects - {(self.actor_id, self.topic_id)}:
            raise ValidationError(
                "Other stances are marked the same as this one, so it keeps its actor and "
                "topic; decide them first.",
                code="has_corroborations",
            )
        if self.same_as_id is None:
            return
        target = self.same_as
        if target is None:
            return
        if (target.actor_id, target.topic_id) != (self.actor_id, self.topic_id):
            raise ValidationError(
                {
                    "same_as": ValidationError(
                        "The same stance must be the same actor's, on the same topic.",
                        code="other_subject",
                    )
                }
            )
        if target.status != CurationStatus.VERIFIED:
            raise ValidationError(
                {
                    "same_as": ValidationError(
                        "The same stance must be a verified one.", code="not_verified"
                    )
                }
            )

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """An overlap is refused naming the stances it clashes with (`actors.conflicts`).

        Only a verified stance can overlap, so a status that failed its own check (left out,
        in `exclude`) leaves the question open: Django would ask it anyway and fail (the
        exclusion constraint's condition reads the status). Leaving out the topic, which only
        that constraint reads, skips it as Django skips a constraint on a field left out."""
        from .conflicts import named_overlaps

        if exclude and "status" in exclude:
            exclude = {*exclude, "topic"}
        try:
            self._validate_span_constraints(exclude)
        except ValidationError as error:
            raise named_overlaps(self, error) from None

    def _validate_span_constraints(self, exclude: Collection[str] | None = None) -> None:
        """A span that ends before it starts is refused as that, under `valid_until`. It is no
        range, so whether it overlaps another verified stance cannot be asked (PostgreSQL
        refuses to build it, and Django takes the failed question for an overlap): the checks
        that read `valid_until` give way to the span's own."""
        skipped = set(exclude or ()) & {"valid_from", "valid_until"}
        if skipped or self.valid_until is None or self.valid_until > self.valid_from:
            super().validate_constraints(exclude)
            return
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().validate_constraints({*(exclude or ()), "valid_until"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        [span] = [c for c in self._meta.constraints if c.name == "actors_stance_valid_range"]
        raise ValidationError(violation_error(span).update_error_dict(errors))
