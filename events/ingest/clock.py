"""Times as live blogs print them, turned into UTC.

"19:10 GMT", "14:02 BST", "19:10 MSK" carry their zone; "7:10pm" and "19:10" need the page's
zone; ISO 8601 stamps carry an offset. A date comes from the page's date headers.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .page import PageError

# Abbreviations with one meaning the year round; the rest need an IANA zone (--tz).
ZONE_OFFSETS = {
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "PST": -8,
    "PDT": -7,
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$")
CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<zone>[A-Z]{1,4})?$",
    re.IGNORECASE,
)
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
DATE = re.compile(
    r"^(?:\w+day,?\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})"
)
DATE_US = re.compile(
    r"^(?:\w+day,?\s+)?(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
)


@dataclass(frozen=True)
class Clock:
    """A time of day as printed, with the zone it names (if any)."""

    at: time
    zone: str | None


def parse_iso(text: str) -> datetime | None:
    text = text.strip()
    if not ISO.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def parse_clock(text: str) -> Clock | None:
    match = CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if ampm := match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    zone = match["zone"].upper() if match["zone"] else None
    if zone is not None and zone not in ZONE_OFFSETS:
        return None
    if hour > 23 or minute > 59:
        return None
    return Clock(time(hour, minute), zone)


def parse_date(text: str) -> date | None:
    text = " ".join(text.replace("•", " ").split())
    for pattern in (DATE, DATE_US):
        if match := pattern.match(text):
            month = MONTHS.get(match["month"].lower())
            if month:
                try:
                    return date(int(match["year"]), month, int(match["day"]))
                except ValueError:
                    return None
    return None


def zone_named(name: str) -> ZoneInfo | timedelta:
    """An IANA zone (Europe/London) or one of the fixed abbreviations above."""
    if name.upper() in ZONE_OFFSETS:
        return timedelta(hours=ZONE_OFFSETS[name.upper()])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PageError(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/London."
        ) from None


def to_utc(day: date, clock: Clock, default_zone: ZoneInfo | timedelta | None) -> datetime:
    zone = zone_named(clock.zone) if clock.zone else default_zone
    if zone is None:
        raise PageError(
            f"The time {clock.at:%H:%M} names no zone and the page gives none: pass --tz."
        )
    local = datetime.combine(day, clock.at)
    if isinstance(zone, timedelta):
        return (local - zone).replace(tzinfo=UTC)
    return local.replace(tzinfo=zone).astimezone(UTC)
