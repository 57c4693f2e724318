"""Filter rules for entries: the only definition of each.

Each rule is a `Q` builder taking a relation prefix, so the REST FilterSets, the GraphQL
filters and the admin apply the same rule, directly or through a relation.
"""

from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
# From an entry's links (citations, mentions) to the entry: the entry rules below apply to
# them through it, e.g. `in_event(slug, ENTRY)` for the citations of an event's entries.
ENTRY = "entry__"


def updated_since(at: datetime, prefix: str = "") -> Q:
    """Changed at or after `at`: what a nightly sync must fetch again."""
    return Q(**{f"{prefix}updated_at__gte": at})


def published_after(at: datetime, prefix: str = "") -> Q:
    """Published at or after `at`."""
    return Q(**{f"{prefix}published_at__gte": at})


def published_before(at: datetime, prefix: str = "") -> Q:
    """Published strictly before `at`, so consecutive windows never share an entry."""
    return Q(**{f"{prefix}published_at__lt": at})


def in_event(slug: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}event__slug": slug})


def mentioning(actor_slug: str, prefix: str = "") -> Q:
    """Entries that mention the actor (as speaker, subject or in passing)."""
    from actors.models import Mention

    return Q(Exists(Mention.objects.filter(entry=OuterRef(f"{prefix}pk"), actor__slug=actor_slug)))


def citing(source_slug: str, prefix: str = "") -> Q:
    """Entries that cite the source anywhere in a citation chain."""
    from .models import Citation

    return Q(
        Exists(Citation.objects.filter(entry=OuterRef(f"{prefix}pk"), source__slug=source_slug))
    )


def evidencing(topic_slug: str, stances: Q, prefix: str = "") -> Q:
    """Entries that are evidence for a stance on the topic, among the stances `stances` admits
    (the viewer's visibility rule)."""
    from actors.models import Stance

    return Q(
        Exists(
            Stance.objects.filter(stances, evidence=OuterRef(f"{prefix}pk"), topic__slug=topic_slug)
        )
    )


# The longest full-text search text. A hit's highlighted snippet (ts_headline) costs with the
# square of the query's terms: 3,600 characters of one word repeated took 2 s for four short
# entries, and a longer text sent to GraphQL outlasted the worker's timeout. Longer text is
# refused with a message (REST's `q` field, GraphQL's `q` arguments), never cut short.
SEARCH_MAX_LENGTH = 256


def entry_query(text: str) -> SearchQuery:
    """Web-search syntax: words, "quoted phrases", OR, -excluded."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def matching(text: str, prefix: str = "") -> Q:
    """Entries whose headline or body match `text` (PostgreSQL full-text search)."""
    return Q(**{f"{prefix}search_vector": entry_query(text)})


def search_rank(text: str, prefix: str = "") -> SearchRank:
    """Relevance of a match: headline words weigh more than body words."""
    return SearchRank(F(f"{prefix}search_vector"), entry_query(text))


def source_named(text: str, prefix: str = "") -> Q:
    """Sources whose name or slug contains `text`, ignoring case."""
    return Q(**{f"{prefix}name__icontains": text}) | Q(**{f"{prefix}slug__icontains": text})


def in_entry(entry_id: int, prefix: str = "") -> Q:
    """Links (citations, mentions) of one entry."""
    return Q(**{f"{prefix}entry_id": entry_id})


def naming_source(source_slug: str, prefix: str = "") -> Q:
    """Citation links that name the source (this link, not the rest of its chain)."""
    return Q(**{f"{prefix}source__slug": source_slug})


def spoken_by(actor_slug: str, prefix: str = "") -> Q:
    """Citation links whose speaker is the actor."""
    return Q(**{f"{prefix}speaker__slug": actor_slug})


def chain_names() -> RawSQL:
    """Citation.chain() in SQL, for a queryset of citations: the names along the link's chain,
    outermost first, a link's source before its speaker. It lets a list of citations, and
    its COPY export, spell every chain out in the same query, however long the chains are.
    A loop (which `clean()` refuses) ends where it would repeat a link, as chain() does."""
    from actors.models import Actor

    from .models import Citation, Source

    citations, sources, actors = (
        Citation._meta.db_table,
        Source._meta.db_table,
        Actor._meta.db_table,
    )
    sql = f"""(
        WITH RECURSIVE link(id, via_id, depth) AS (
            SELECT c.id, c.via_id, 0 FROM {citations} c WHERE c.id = "{citations}"."id"
            UNION ALL
            SELECT c.id, c.via_id, link.depth + 1 FROM {citations} c JOIN link ON c.id = link.via_id
        ) CYCLE id SET looped USING path
        SELECT coalesce(array_agg(part.name ORDER BY link.depth DESC, part.place), '{{}}')
        FROM link
        JOIN {citations} c ON c.id = link.id
        CROSS JOIN LATERAL (
            SELECT 0 AS place, s.name FROM {sources} s WHERE s.id = c.source_id
            UNION ALL
            SELECT 1 AS place, a.name FROM {actors} a WHERE a.id = c.speaker_id
        ) AS part
        WHERE NOT link.looped
    )"""
    return RawSQL(sql, (), output_field=ArrayField(CharField()))
