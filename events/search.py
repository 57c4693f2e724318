"""Full-text hits: each entry found by `q` carries its rank and a highlighted snippet.

The rank is the one the search orders by (`querysets.search_rank`). The snippet is PostgreSQL's
`ts_headline` over the headline and body: up to two fragments around the matches, joined by
" … ", each match between `SEARCH_SNIPPET_START` and `SEARCH_SNIPPET_STOP` (settings, from the
environment; `<mark>` and `</mark>` by default). The text around the markers is the entry's own,
not escaped: a page inserting a snippet as HTML escapes it first, then swaps the markers.

A headline reads the whole text again, so only the rows of the page being answered get one:
`snippets()` takes their ids, never the whole search.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline
from django.db.models import F, Func, TextField, Value

from .models import Entry
from .querysets import SEARCH_CONFIG, entry_query

SNIPPET_WORDS = 35
SNIPPET_FRAGMENTS = 2
FRAGMENT_DELIMITER = " … "


def _text() -> Func:
    """The headline, a blank line, the body: what the search vector covers."""
    return Func(
        Value("\n\n"),
        Func(F("headline"), Value(""), function="NULLIF"),
        F("body"),
        function="concat_ws",
        output_field=TextField(),
    )


def snippet(text: str) -> SearchHeadline:
    """The highlighted snippet of an entry for the search `text`."""
    return SearchHeadline(
        _text(),
        entry_query(text),
        config=SEARCH_CONFIG,
        start_sel=settings.SEARCH_SNIPPET_START,
        stop_sel=settings.SEARCH_SNIPPET_STOP,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=SNIPPET_FRAGMENTS,
        fragment_delimiter=FRAGMENT_DELIMITER,
    )


def snippets(entry_ids: Iterable[int], text: str) -> dict[int, str]:
    """The snippets of these entries (a page's), in one query."""
    ids = list(entry_ids)
    if not ids:
        return {}
    rows = Entry.objects.filter(pk__in=ids).annotate(hit=snippet(text)).values_list("pk", "hit")
    return dict(rows)
