"""The entries list without per-field serializer machinery.

The profile of `GET /api/v1/entries/?limit=100` showed the time going to building ~1,300 model
instances and walking DRF fields for each: this path reads the page's entries, then their
citations and mentions as plain rows (`.values()`), and assembles exactly what EntrySerializer
produces. It is an optimisation, not a second representation: a test compares the two on
every entry of the seed, and `?fields=`/`?brief=` keep the serializer path.
"""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.utils import timezone

from actors.models import Mention
from events.models import Citation, Entry


def iso(value: datetime | None) -> str | None:
    """DRF's ISO 8601 rendering: in the current zone, "Z" for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _brief(row: dict[str, Any], prefix: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    if row[f"{prefix}__slug"] is None:
        return None
    return {key: row[f"{prefix}__{key}"] for key in keys}


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


def entry_list(entries: list[Entry]) -> list[dict[str, Any]]:
    """EntrySerializer(many=True).data for `entries` (their events loaded), in three queries."""
    ids = [entry.pk for entry in entries]
    citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Citation.objects.filter(entry_id__in=ids).order_by("entry", "id").values(*CITATION_COLUMNS)
    ):
        citations[row["entry_id"]].append(
            {
                "id": row["id"],
                "role": row["role"],
                "source": _brief(row, "source", ("slug", "name", "kind")),
                "speaker": _brief(row, "speaker", ("slug", "name", "kind", "country")),
                "quote": row["quote"],
                "via": row["via_id"],
            }
        )
    for rows in citations.values():
        _chains(rows)
    mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Mention.objects.filter(entry_id__in=ids).order_by("entry", "id").values(*MENTION_COLUMNS)
    ):
        mentions[row["entry_id"]].append(
            {
                "actor": _brief(row, "actor", ("slug", "name", "kind", "country")),
                "role": row["role"],
            }
        )
    return [
        {
            "id": entry.pk,
            "event": {
                "slug": entry.event.slug,
                "title": entry.event.title,
                "starts_at": iso(entry.event.starts_at),
                "status": entry.event.status,
            },
            "published_at": iso(entry.published_at),
            "order": entry.order,
            "headline": entry.headline,
            "body": entry.body,
            "credit": entry.credit,
            "status": entry.status,
            "citations": citations[entry.pk],
            "mentions": mentions[entry.pk],
            "created_at": iso(entry.created_at),
            "updated_at": iso(entry.updated_at),
        }
        for entry in entries
    ]
