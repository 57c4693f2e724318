"""A fuzzing campaign against a running server: every operation the OpenAPI document at
/api/schema/ lists, and every root field of /graphql/, each once as each role, with cases drawn by
schemathesis from the documents themselves (fixed seed, a case budget per operation, a
wall-clock cap shared fairly between operations).

What counts as a failure is what a client of the documents would trip over: a server error, a
status code or media type the document does not list, a body that violates the documented schema,
and on /graphql/ an internal error ("Unexpected error.") or a 5xx.

The test suite runs a short campaign (tests/fuzz/test_schema_fuzz.py); `make fuzz` a long one."""

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import hypothesis
import hypothesis.errors
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok

# The document's promises, checked on every response.
REST_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
GRAPHQL_INTERNAL_ERROR = "Unexpected error."
# gunicorn's `limit_request_line` (its default): a longer request line never reaches the API.
REQUEST_LINE_LIMIT = 4094
Case = schemathesis.Case[Any]
Operation = schemathesis.APIOperation[Any, Any, Any, Any]


def budget_from_environment() -> tuple[int, float]:
    """Cases per operation and role, and the wall-clock cap in seconds: FUZZ_CASES and
    FUZZ_SECONDS, for a longer campaign than the suite's."""
    return int(os.environ.get("FUZZ_CASES", "8")), float(os.environ.get("FUZZ_SECONDS", "80"))


@dataclass(frozen=True)
class Role:
    name: str
    headers: dict[str, str]


@dataclass
class Finding:
    role: str
    operation: str
    title: str
    detail: str


@dataclass
class Tally:
    """What one campaign did: cases sent per operation and role, and what went wrong."""

    cases: dict[tuple[str, str], int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    slowest: tuple[float, str] = (0.0, "")

    def count(self, role: str, operation: str, response: schemathesis.Response) -> None:
        self.cases[role, operation] = self.cases.get((role, operation), 0) + 1
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if response.elapsed > self.slowest[0]:
            body = response.request.body
            sent = body[:300].decode(errors="replace") if isinstance(body, bytes) else ""
            self.slowest = (response.elapsed, f"{response.request.url} {sent}")

    def failures(self) -> list[Finding]:
        return list(self.findings)

    def report(self, title: str) -> str:
        """A table of cases per operation (one column a role), then the totals and findings."""
        roles = sorted({role for role, _ in self.cases})
        operations = sorted({operation for _, operation in self.cases})
        width = max((len(operation) for operation in operations), default=10)
        lines = [title, f"{'operation':<{width}}  " + "  ".join(f"{r:>9}" for r in roles)]
        for operation in operations:
            counts = "  ".join(f"{self.cases.get((r, operation), 0):>9}" for r in roles)
            lines.append(f"{operation:<{width}}  {counts}")
        total = sum(self.cases.values())
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        lines.append(
            f"{len(operations)} operations, {total} cases in {self.seconds:.1f} s "
            f"(status codes {statuses}); {len(self.failures())} failures; slowest answer "
            f"{self.slowest[0]:.2f} s ({self.slowest[1][:200]})"
        )
        lines.extend(
            f"  FAIL [{f.role}] {f.operation}: {f.title}\n{f.detail}" for f in self.failures()
        )
        return "\n".join(lines)


class _OutOfTime(Exception):
    """This operation's share of the wall-clock cap is spent."""


def _run_cases(
    strategy: st.SearchStrategy[Case],
    cases: int,
    until: float,
    run: Callable[[Case], None],
) -> None:
    """Draw up to `cases` cases from `strategy` (derandomized: the same cases every run) and
    `run` each, stopping early at `until` (time.monotonic()), though never before the first."""
    ran = 0

    @hypothesis.settings(
        max_examples=cases,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @hypothesis.given(strategy)
    def each(case: Case) -> None:
        nonlocal ran
        if ran and time.monotonic() > until:
            raise _OutOfTime
        ran += 1
        run(case)

    try:
        each()
    except _OutOfTime:
        pass
    except hypothesis.errors.Unsatisfiable:
        pass  # nothing the document allows can be broken here (no parameters, no body)


def _describe(failures: Iterable[Failure]) -> str:
    return "\n".join(f"    {failure.title}: {failure.message}"[:2000] for failure in failures)


def _plan(operations: list[Operation], roles: list[Role]) -> list[tuple[Role, Operation]]:
    """Every operation as every role; deletes last, so the other operations still find the
    rows they name."""
    return [
        (role, operation)
        for deletes in (False, True)
        for role in roles
        for operation in operations
        if (operation.method.upper() == "DELETE") == deletes
    ]


def _shares(started: float, seconds: float, left: int) -> float:
    """The deadline of the next operation: what is left of the cap, shared by those left."""
    remaining = started + seconds - time.monotonic()
    return time.monotonic() + max(remaining, 0.0) / max(left, 1)


# What a campaign does with one case: send it as the role, count it, note any failure.
Check = Callable[[Case, Role, Operation, requests.Session, Tally], None]


def _campaign(
    operations: list[Operation],
    roles: list[Role],
    seconds: float,
    budgets: Callable[[Operation], list[tuple[st.SearchStrategy[Case], int]]],
    check: Check,
) -> Tally:
    """Every operation as every role (`_plan`), each drawing its `budgets` of cases within its
    share of the cap, each case handed to `check`."""
    tally = Tally()
    started = time.monotonic()
    session = requests.Session()
    plan = _plan(operations, roles)
    for done, (role, operation) in enumerate(plan):
        until = _shares(started, seconds, len(plan) - done)

        def run(case: Case, role: Role = role, operation: Operation = operation) -> None:
            check(case, role, operation, session, tally)

        for strategy, budget in budgets(operation):
            _run_cases(strategy, budget, until, run)
    tally.seconds = time.monotonic() - started
    return tally


def _over_the_line_limit(response: schemathesis.Response) -> bool:
    """gunicorn answers a request line longer than its limit with a 414 page of its own: such a
    request must get exactly that, and no shorter one may."""
    url = urlsplit(str(response.request.url))
    target = url.path + (f"?{url.query}" if url.query else "")
    over = len(f"{response.request.method} {target} HTTP/1.1") > REQUEST_LINE_LIMIT
    assert over == (response.status_code == 414), (response.status_code, response.request.url)
    return over


def real_identifiers(base: str, schema: Any) -> dict[str, list[str]]:
    """For each path with one parameter (`/api/v1/actors/{slug}/...`), identifiers of rows
    that exist, read from the collection's own list: fuzzed paths then name real rows about
    half of the time, not only the random strings that are all 404s."""
    found: dict[str, list[str]] = {}
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            continue
        operation = result.ok()
        path: str = operation.path
        if path.count("{") != 1:
            continue
        collection, _, rest = path.partition("{")
        name = rest.partition("}")[0]
        response = requests.get(f"{base}{collection}", params={"limit": "30"}, timeout=30)
        rows = response.json().get("results", []) if response.ok else []
        values = [str(row[name]) for row in rows if name in row]
        if values:
            found[path] = values
    return found


def fuzz_rest(base: str, roles: list[Role], cases: int, seconds: float) -> Tally:
    """Fuzz every operation of /api/schema/ as each role, positive and negative cases."""
    schema = schemathesis.openapi.from_url(
        f"{base}/api/schema/", config=schemathesis.Config(), timeout=30
    )
    real = real_identifiers(base, schema)

    @schema.hook
    def before_generate_path_parameters(context: Any, strategy: Any) -> Any:
        path = context.operation.path if context.operation else ""
        values = real.get(path)
        if not values:
            return strategy
        name = path.partition("{")[2].partition("}")[0]
        return st.one_of(strategy, st.fixed_dictionaries({name: st.sampled_from(values)}))

    def check(
        case: Case, role: Role, operation: Operation, session: requests.Session, tally: Tally
    ) -> None:
        response = case.call(base_url=base, session=session, headers=role.headers, timeout=30)
        tally.count(role.name, operation.label, response)
        if _over_the_line_limit(response):
            return  # the HTTP server's own refusal, before the API (see REQUEST_LINE_LIMIT)
        try:
            case.validate_response(
                response,
                checks=REST_CHECKS,
                headers=role.headers,
                transport_kwargs={"base_url": base, "headers": role.headers},
            )
        except FailureGroup as group:
            titles = sorted({f.title for f in group.exceptions})
            tally.findings.append(
                Finding(
                    role.name,
                    operation.label,
                    ", ".join(titles),
                    _describe(group.exceptions)
                    + f"\n    {case.as_curl_command(headers=role.headers, base_url=base)}",
                )
            )

    def budgets(operation: Operation) -> list[tuple[st.SearchStrategy[Case], int]]:
        return [
            (operation.as_strategy(generation_mode=GenerationMode.POSITIVE), cases),
            (operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), max(cases // 2, 1)),
        ]

    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    return _campaign(operations, roles, seconds, budgets, check)


def _graphql_errors(response: schemathesis.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return errors if isinstance(errors, list) else []


def fuzz_graphql(base: str, roles: list[Role], cases: int, seconds: float) -> Tally:
    """Fuzz every query and mutation field of /graphql/ as each role: no internal error and
    no 5xx, whatever the arguments."""
    url = f"{base}/graphql/"
    schema = schemathesis.graphql.from_url(url, config=schemathesis.Config(), timeout=30)

    def check(
        case: Case, role: Role, operation: Operation, session: requests.Session, tally: Tally
    ) -> None:
        response = case.call(
            base_url=url,
            session=session,
            headers={**role.headers, "Accept": "application/graphql-response+json"},
            timeout=30,
        )
        tally.count(role.name, operation.label, response)
        internal = [
            error
            for error in _graphql_errors(response)
            if error.get("message") == GRAPHQL_INTERNAL_ERROR
        ]
        if response.status_code >= 500 or internal:
            tally.findings.append(
                Finding(
                    role.name,
                    operation.label,
                    f"{response.status_code}, {len(internal)} internal errors",
                    f"    query: {case.body!s:.2000}\n    answer: {response.text[:2000]}",
                )
            )

    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    return _campaign(
        operations, roles, seconds, lambda operation: [(operation.as_strategy(), cases)], check
    )
