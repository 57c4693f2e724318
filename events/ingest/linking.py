"""Recognising actors and attributions in an entry's text.

Actors are found with a gazetteer of their names and aliases, longest match first; all-capital
aliases (US, UK, EC) match only in capitals, so "us" is never the United States. Attributions
("according to X", "X has reported", "told X", "citing an unnamed … official", "on his Telegram
channel") become citations, outer outlet first, so chains stay chains. Nothing here invents a
stance.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from actors.models import Actor

from ..choices import CitationRole, SourceKind
from ..models import Source

WORD_EDGE_BEFORE = r"(?<![\w])"
WORD_EDGE_AFTER = r"(?![\w])"
QUOTE = re.compile(r"[“\"]([^”\"]{3,}?)[,.]?[”\"]")
SENTENCE = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“‘\"])")
OFFICIALS = re.compile(
    r"(?:\b(?:an?|the)\s+)?(?:(?:unnamed|anonymous|senior)\s+)?"
    r"(?P<org>(?:[A-Z][\w’'-]+\s+){1,3})(?P<noun>officials?)\b"
)


def _alternation(names: Iterable[str]) -> str:
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        escaped = re.escape(name)
        parts.append(escaped if name.isupper() else f"(?i:{escaped})")
    return "|".join(parts) or "(?!x)x"


@dataclass
class Gazetteer:
    actors: dict[str, Actor]
    sources: dict[str, Source]
    actor_pattern: re.Pattern[str] = field(init=False)
    source_pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.actor_pattern = re.compile(
            WORD_EDGE_BEFORE + f"(?:{_alternation(self.actors)})" + WORD_EDGE_AFTER
        )
        self.source_pattern = re.compile(
            WORD_EDGE_BEFORE + f"(?:{_alternation(self.sources)})" + WORD_EDGE_AFTER
        )

    @classmethod
    def from_database(cls) -> "Gazetteer":
        actors: dict[str, Actor] = {}
        for actor in Actor.objects.all():
            for name in [actor.name, *actor.aliases]:
                actors.setdefault(_key(name), actor)
        sources = {_key(s.name): s for s in Source.objects.all()}
        return cls(actors, sources)

    def actor(self, text: str) -> Actor | None:
        return self.actors.get(_key(text)) or self.actors.get(_key(text.lower()))

    def find_actors(self, text: str) -> list[tuple[int, Actor]]:
        return [
            (m.start(), a) for m in self.actor_pattern.finditer(text) if (a := self.actor(m[0]))
        ]

    def find_sources(self, text: str) -> list[tuple[int, Source]]:
        return [(m.start(), self.sources[_key(m[0])]) for m in self.source_pattern.finditer(text)]


def _key(name: str) -> str:
    return name if name.isupper() else name.lower()


@dataclass
class FoundCitation:
    role: str
    source: Source | None = None
    new_source: str = ""  # an outlet to create, marked for review
    new_source_kind: str = SourceKind.MEDIA
    speaker: Actor | None = None
    quote: str = ""
    via: "FoundCitation | None" = None


@dataclass
class Links:
    mentions: dict[int, tuple[Actor, str]]  # actor id -> (actor, role)
    citations: list[FoundCitation]
    unrecognised: set[str]


def link_entry(body: str, gazetteer: Gazetteer) -> Links:
    text = body.replace("## ", "")
    mentions = {actor.pk: (actor, "mentioned") for _, actor in gazetteer.find_actors(text)}
    citations: list[FoundCitation] = []
    unrecognised: set[str] = set()
    outlet: FoundCitation | None = None
    for sentence in SENTENCE.split(text):
        outlet = _sentence_citations(sentence, gazetteer, citations, outlet, unrecognised)
    # A speaker first met alone ("Stubb said …") and later through an outlet keeps the chain.
    chained = {c.speaker for c in citations if c.speaker and (c.source or c.new_source)}
    citations = [
        c for c in citations if c.source or c.new_source or c.via or c.speaker not in chained
    ]
    for citation in citations:
        if citation.speaker is not None:
            mentions[citation.speaker.pk] = (citation.speaker, "speaker")
    return Links(mentions, citations, unrecognised)


def _first_quote(sentence: str, after: int = 0) -> str:
    match = QUOTE.search(sentence, after)
    return match[1].strip() if match else ""


def _speaker(sentence: str, gazetteer: Gazetteer, before: int | None = None) -> Actor | None:
    """The first person (else any actor) named in the sentence, before `before` if given."""
    found = [a for pos, a in gazetteer.find_actors(sentence) if before is None or pos < before]
    people = [a for a in found if a.kind == "person"]
    return (people or found)[0] if found else None


def _sentence_citations(
    sentence: str,
    gazetteer: Gazetteer,
    citations: list[FoundCitation],
    outlet: FoundCitation | None,
    unrecognised: set[str],
) -> FoundCitation | None:
    """Append this sentence's citations; return the outlet later sentences report through."""
    lower = sentence.lower()
    reporting = _reporting_outlet(sentence, gazetteer, unrecognised)
    if reporting is not None:
        existing = next((c for c in citations if _same(c, reporting)), None)
        if existing is None:
            citations.append(reporting)
        outlet = existing or reporting
    for match in re.finditer(
        r"\btold\s+(?:the\s+)?(?P<to>[A-Z][\w’' ]+?)(?=[,.]|\s+that\b|\s+on\b|$)", sentence
    ):
        target = match["to"].strip()
        source = gazetteer.sources.get(_key(target))
        if source is None and target.lower() != "outlet":
            continue
        speaker = _speaker(sentence, gazetteer, before=match.start())
        if source is not None and (outlet is None or outlet.source != source):
            quote = _first_quote(sentence)
            if outlet is not None and outlet.quote == quote:
                outlet.quote = ""  # the words are the speaker's, not the outlet's
            citations.append(
                FoundCitation(CitationRole.QUOTED, source, speaker=speaker, quote=quote, via=outlet)
            )
    commenting = re.search(r"commenting to (?P<to>[A-Z][\w ]+?)\b(?: on|,|\.)", sentence)
    if commenting and (source := gazetteer.sources.get(_key(commenting["to"].strip()))):
        citations.append(
            FoundCitation(
                CitationRole.QUOTED,
                source,
                speaker=_speaker(sentence, gazetteer),
                quote=_first_quote(sentence),
            )
        )
    if re.search(r"\bon (?:his|her|their) telegram channel", lower):
        speaker = _speaker(sentence, gazetteer)
        if speaker is not None:
            citations.append(_telegram(speaker, sentence))
    _spoken(sentence, gazetteer, citations, outlet)
    for match in OFFICIALS.finditer(sentence):
        org = match["org"].strip()
        if org.lower() in ("the", "a", "an"):
            continue
        name = f"Unnamed {org} {match['noun']}"
        source = gazetteer.sources.get(_key(name))
        quote = _first_quote(sentence, match.start())
        found = FoundCitation(
            CitationRole.QUOTED if quote else CitationRole.REPORTED_BY,
            source,
            new_source="" if source else name,
            new_source_kind=SourceKind.ANONYMOUS_OFFICIAL,
            quote=quote,
            via=outlet,
        )
        if not any(_same(c, found) for c in citations):
            citations.append(found)
    return outlet


SAID = re.compile(
    r"\s+(?:[\w,]+\s+){0,3}?(?:said|says|stated|argued|noted|emphasized|emphasised|"
    r"countered|alleged|alleging|warned|insisted|added|concluded)\b"
)


def _spoken(
    sentence: str,
    gazetteer: Gazetteer,
    citations: list[FoundCitation],
    outlet: FoundCitation | None,
) -> None:
    """ "Zelensky stated …", "Rinkevics has said …": a person's words with no outlet named, or
    reaching the entry through the outlet the entry reports from."""
    for position, actor in gazetteer.find_actors(sentence):
        if actor.kind != "person" or any(c.speaker == actor for c in citations):
            continue
        end = gazetteer.actor_pattern.match(sentence, position)
        if end and SAID.match(sentence, end.end()):
            citations.append(
                FoundCitation(
                    CitationRole.QUOTED,
                    speaker=actor,
                    quote=_first_quote(sentence),
                    via=outlet if outlet and outlet.source else None,
                )
            )


def _reporting_outlet(
    sentence: str, gazetteer: Gazetteer, unrecognised: set[str]
) -> FoundCitation | None:
    """ "According to X", "X has reported", "X reports": the outlet an entry reports through."""
    if match := re.search(r"\b(?i:according to)\s+(?:the\s+)?(?P<who>[A-Z][^,.;]*)", sentence):
        who = match["who"].strip()
        for _, source in gazetteer.find_sources(who)[:1]:
            return FoundCitation(CitationRole.REPORTED_BY, source, quote=_first_quote(sentence))
        if gazetteer.find_actors(who):
            speaker = _speaker(who, gazetteer)
            return FoundCitation(CitationRole.QUOTED, speaker=speaker, quote=_first_quote(sentence))
        unrecognised.add(who)
        return FoundCitation(CitationRole.REPORTED_BY, new_source=who)
    for position, source in gazetteer.find_sources(sentence):
        after = sentence[position + len(source.name) : position + len(source.name) + 24].lower()
        if re.match(r"\s+(has |have )?(reported|reports)\b", after):
            return FoundCitation(CitationRole.REPORTED_BY, source)
    return None


def _telegram(speaker: Actor, sentence: str) -> FoundCitation:
    channel = Source.objects.filter(
        operator=speaker, kind=SourceKind.SOCIAL_MEDIA, name__icontains="telegram"
    ).first()
    return FoundCitation(
        CitationRole.QUOTED,
        channel,
        new_source="" if channel else f"{speaker.name}’s Telegram channel",
        new_source_kind=SourceKind.SOCIAL_MEDIA,
        speaker=speaker,
        quote=_first_quote(sentence),
    )


def _same(a: FoundCitation, b: FoundCitation) -> bool:
    return (a.source, a.new_source, a.speaker) == (b.source, b.new_source, b.speaker)
