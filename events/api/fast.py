"""The entries list without per-field serializer machinery.

The profile of `GET /api/v1/entries/?limit=100` showed the time going to building ~1,300 model
instances and walking DRF fields for each: this path reads the page's entries, then their
citations and mentions as plain rows (`.values()`), and assembles exactly what EntrySerializer
produces. It is an optimisation, not a second representation: a test compares the two on
every entry of the seed, and `?fields=`/`?brief=` keep the serializer path.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from actors.models import Mention
from api_project.statements import Prepared, tuples_together
from events.models import Citation, Entry

from .briefs import EventBriefSerializer
from .serializers import EntrySerializer


def iso_in(zone: tzinfo) -> Callable[[datetime | None], str | None]:
    """DRF's ISO 8601 rendering in `zone` (the current one, looked up once per page rather
    than once a value), "Z" for UTC."""

    def iso(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso


def _chains(rows: list[dict[str, Any]]) -> None:
    """Spell each citation's chain out, outermost first, as Citation.chain() does."""
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        labels: list[str] = []
        link: dict[str, Any] | None = row
        seen: set[int] = set()
        while link is not None and link["id"] not in seen:
            seen.add(link["id"])
            names = [part["name"] for part in (link["source"], link["speaker"]) if part is not None]
            labels[:0] = names
            link = by_id.get(link["via"])
        row["chain"] = labels


CITATION_COLUMNS = (
    "id",
    "entry_id",
    "role",
    "quote",
    "via_id",
    "source__slug",
    "source__name",
    "source__kind",
    "speaker__slug",
    "speaker__name",
    "speaker__kind",
    "speaker__country",
)
MENTION_COLUMNS = (
    "entry_id",
    "role",
    "actor__slug",
    "actor__name",
    "actor__kind",
    "actor__country",
)


_CITATIONS = Prepared(
    lambda ids: (
        Citation.objects.filter(entry_id__in_array=ids)
        .order_by("entry_id", "id")
        .values(*CITATION_COLUMNS)
    )
)
_MENTIONS = Prepared(
    lambda ids: (
        Mention.objects.filter(entry_id__in_array=ids)
        .order_by("entry_id", "id")
        .values(*MENTION_COLUMNS)
    )
)

# The serializer's own fields, and the event's brief ones: the columns follow the representation.
_NESTED = {"event", "citations", "mentions"}
ENTRY_COLUMNS = (
    *(name for name in EntrySerializer.Meta.fields if name not in _NESTED),
    *(f"event__{name}" for name in EventBriefSerializer.Meta.fields),
)


def entry_rows(queryset: QuerySet[Entry]) -> QuerySet[Any]:
    """The page's entries as plain rows (and the search rank a `q` orders by)."""
    ranked = ("rank",) if "rank" in queryset.query.annotations else ()
    rows: QuerySet[Any] = queryset.values(*ENTRY_COLUMNS, *ranked)
    return rows


def entry_list(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """EntrySerializer(many=True).data for `entries` (rows of `entry_rows`), in two queries
    more; EntryHitSerializer's for a search's rows (with `rank` and `snippet`). Children are
    read in id order within each entry: ordering by the entry itself, as the models' default
    ordering does, joined the entries' table for nothing."""
    iso = iso_in(timezone.get_current_timezone())
    ids = [entry["id"] for entry in entries]
    found_citations, found_mentions = tuples_together(
        [(_CITATIONS, ids, CITATION_COLUMNS), (_MENTIONS, ids, MENTION_COLUMNS)]
    )
    citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (
        citation,
        entry,
        role,
        quote,
        via,
        source_slug,
        source_name,
        source_kind,
        speaker_slug,
        speaker_name,
        speaker_kind,
        speaker_country,
    ) in found_citations:
        citations[entry].append(
            {
                "id": citation,
                "role": role,
                "source": None
                if source_slug is None
                else {"slug": source_slug, "name": source_name, "kind": source_kind},
                "speaker": None
                if speaker_slug is None
                else {
                    "slug": speaker_slug,
                    "name": speaker_name,
                    "kind": speaker_kind,
                    "country": speaker_country,
                },
                "quote": quote,
                "via": via,
            }
        )
    for rows in citations.values():
        _chains(rows)
    mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry, role, slug, name, kind, country in found_mentions:
        mentions[entry].append(
            {
                "actor": None
                if slug is None
                else {"slug": slug, "name": name, "kind": kind, "country": country},
                "role": role,
            }
        )
    return [
        {
            "id": entry["id"],
            "event": {
                "slug": entry["event__slug"],
                "title": entry["event__title"],
                "starts_at": iso(entry["event__starts_at"]),
                "status": entry["event__status"],
            },
            "published_at": iso(entry["published_at"]),
            "order": entry["order"],
            "headline": entry["headline"],
            "body": entry["body"],
            "credit": entry["credit"],
            "status": entry["status"],
            "citations": citations[entry["id"]],
            "mentions": mentions[entry["id"]],
            "created_at": iso(entry["created_at"]),
            "updated_at": iso(entry["updated_at"]),
            **({"rank": entry["rank"], "snippet": entry["snippet"]} if "snippet" in entry else {}),
        }
        for entry in entries
    ]
