"""The events app's enums: the only definition of each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")


class EntryStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CORRECTED = "corrected", _("Corrected")
    RETRACTED = "retracted", _("Retracted")


class SourceKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("News agency")
    NEWSPAPER = "newspaper", _("Newspaper")
    BROADCASTER = "broadcaster", _("Broadcaster")
    MEDIA = "media", _("Media (unspecified outlets)")
    SOCIAL_MEDIA = "social_media", _("Social-media channel")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    ANONYMOUS_OFFICIAL = "anonymous_official", _("Anonymous official")
    EXPERT = "expert", _("Expert or think tank")


class CitationRole(models.TextChoices):
    """What a cited source did for the entry."""

    REPORTED_BY = "reported_by", _("Reported by")  # the outlet that reported it
    QUOTED = "quoted", _("Quoted")  # a speaker's words, verbatim or paraphrased
    VIA = "via", _("Via")  # passed on by an intermediary
