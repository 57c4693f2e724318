"""Filter rules for entries: the only definition of each.

Each rule is a `Q` builder taking a relation prefix, so the REST FilterSets, the GraphQL
filters and the admin apply the same rule, directly or through a relation.
"""

from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q

SEARCH_CONFIG = "english"


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
