"""Formula neutralisation for every CSV Chronicle writes (REST exports, COPY and Python paths,
and the admin's CSV export), as OWASP's "CSV Injection" page recommends.

A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula, and TAB or CR at the
start can hide one; a source named `=HYPERLINK("http://x","y")` would otherwise be a live link
in the researcher's sheet. Such a cell gets a single quote in front, which spreadsheets show
as text and never run. The rule applies to text cells only: numbers, datetimes, booleans and
JSON are written as they are, so `-3` stays a number and `2025-09-04T16:20:00+00:00` a date.
NDJSON is not a spreadsheet format and is left unchanged.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def neutralised(text: str) -> str:
    """`text` as a spreadsheet reads it as text: quoted in front when it would run."""
    return NEUTRALISER + text if text.startswith(FORMULA_TRIGGERS) else text


def _sql_literal(character: str) -> str:
    if character == "\t":
        return "E'\\t'"
    if character == "\r":
        return "E'\\r'"
    return "'" + character.replace("'", "''") + "'"


_SQL_TRIGGERS = ", ".join(_sql_literal(character) for character in FORMULA_TRIGGERS)


def sql_neutralised(text: str) -> str:
    """The same rule in SQL over the text expression `text` (evaluated once per branch, no
    regular expression: one `left()` and a comparison a cell)."""
    return (
        f"CASE WHEN left({text}, 1) IN ({_SQL_TRIGGERS}) "
        f"THEN {_sql_literal(NEUTRALISER)} || {text} ELSE {text} END"
    )
