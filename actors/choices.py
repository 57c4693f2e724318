"""The actors app's enums: the only definition of each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    COUNTRY = "country", _("Country")
    ORGANISATION = "organisation", _("Organisation")
    INTERNATIONAL_BODY = "international_body", _("International body")
    COALITION = "coalition", _("Coalition")
    MEDIA = "media", _("Media")


class MentionRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    SUBJECT = "subject", _("Subject")
    MENTIONED = "mentioned", _("Mentioned")


class Position(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    UNDECIDED = "undecided", _("Undecided")
    CONDITIONAL = "conditional", _("Conditional")


class StanceKind(models.TextChoices):
    """Words are kept apart from deeds."""

    STATEMENT = "statement", _("Statement")
    PLEDGE = "pledge", _("Pledge")
    ACTION = "action", _("Action")
    VOTE = "vote", _("Vote")


class CurationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    VERIFIED = "verified", _("Verified")
    DISPUTED = "disputed", _("Disputed")
    REJECTED = "rejected", _("Rejected")
    # Further evidence of another, verified stance (`Stance.same_as`): kept, never in force
    # on its own, so that a stance said twice is counted once.
    CORROBORATES = "corroborates", _("Same stance as another")
