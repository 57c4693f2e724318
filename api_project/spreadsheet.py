"""Formula neutralisation for every CSV Chronicle writes (REST exports, COPY and Python paths,
and the admin's CSV export), as OWASP's "CSV Injection" page recommends, and its inverse for
the admin's import.

A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula, and TAB or CR at the
start can hide one; a source named `=HYPERLINK("http://x","y")` would otherwise be a live link
in the researcher's sheet. Such a cell gets a single quote in front, which spreadsheets show
as text and never run. A cell that already starts with a quote gets one too, so that taking
one quote off (`restored`) gives back exactly the text exported: `'=x` is written `''=x`, not
left as `'=x` to come back as `=x`. The rule applies to text cells only: numbers, datetimes,
booleans and JSON are written as they are, so `-3` stays a number and
`2025-09-04T16:20:00+00:00` a date. NDJSON is not a spreadsheet format and is left unchanged.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# The starts that get a quote: the formulas, and the quote itself.
QUOTED_STARTS = (*FORMULA_TRIGGERS, NEUTRALISER)


def neutralised(text: str) -> str:
    """`text` as a spreadsheet reads it as text: quoted in front when it would run, or when it
    starts with the quote (so that `restored` is its exact inverse)."""
    return NEUTRALISER + text if text.startswith(QUOTED_STARTS) else text


def restored(text: str) -> str:
    """`text` without the quote `neutralised` put in front. A quoted CR counts too: the
    import's newline handling reads it back as a line feed."""
    if text.startswith(NEUTRALISER) and text[1:].startswith((*QUOTED_STARTS, "\n")):
        return text[1:]
    return text


def _sql_literal(character: str) -> str:
    if character == "\t":
        return "E'\\t'"
    if character == "\r":
        return "E'\\r'"
    return "'" + character.replace("'", "''") + "'"


_SQL_STARTS = ", ".join(_sql_literal(character) for character in QUOTED_STARTS)


def sql_neutralised(text: str) -> str:
    """The same rule in SQL over the text expression `text` (evaluated once per branch, no
    regular expression: one `left()` and a comparison a cell)."""
    return (
        f"CASE WHEN left({text}, 1) IN ({_SQL_STARTS}) "
        f"THEN {_sql_literal(NEUTRALISER)} || {text} ELSE {text} END"
    )
