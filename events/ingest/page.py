"""What a parser reads off a page, before anything touches the database."""

from dataclasses import dataclass, field
from datetime import datetime


class PageError(ValueError):
    """The page cannot be ingested; the message says why, for the person who sent it."""


@dataclass
class ParsedEntry:
    published_at: datetime
    paragraphs: list[str]
    headline: str = ""
    credit: str = ""

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedPage:
    title: str
    entries: list[ParsedEntry]
    standfirst: str = ""
    summary: list[str] = field(default_factory=list)
    opened_at: datetime | None = None
    ended: bool = False
    url: str = ""
    publisher: str = ""
    language: str = "en"

    def chronological(self) -> list[ParsedEntry]:
        """Oldest first; pinned repeats (same time, same text) kept once."""
        seen: set[tuple[datetime, str]] = set()
        unique = []
        for entry in sorted(self.entries, key=lambda e: e.published_at):
            key = (entry.published_at, entry.body)
            if key not in seen:
                seen.add(key)
                unique.append(entry)
        return unique
