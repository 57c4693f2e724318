"""The API as its documents describe it, fuzzed on the production server (gunicorn, DEBUG=0):
every operation of /api/schema/ and every root field of /graphql/, anonymous and as an editor,
with a fixed seed and a bounded budget (FUZZ_CASES cases per operation and role, FUZZ_SECONDS
in all; `make fuzz` runs a longer campaign). The editor's writes land in the test database,
which holds the seed, so paths name real rows as well as missing ones."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from api_project.roles import editors_group_ensure
from tests.api_project.servers import database_url_for_subprocess, gunicorn
from tests.tokens import token_for

from .campaign import Role, Tally, budget_from_environment, fuzz_graphql, fuzz_rest

pytestmark = pytest.mark.django_db(transaction=True)

# The wall-clock cap, shared: REST has more operations, each with more to vary.
REST_SHARE = 0.75


@pytest.fixture
def server() -> Iterator[str]:
    """gunicorn over the test database and the seed (a transactional test empties the tables
    after itself, taking the fuzzer's writes with them). The throttles are lifted: a fuzzer is
    one client sending thousands of requests, and 429 would be all it saw."""
    call_command("load_seed", verbosity=0)
    with gunicorn(
        {
            "DATABASE_URL": database_url_for_subprocess(),
            "API_ANON_RATE": "1000000/second",
            "API_USER_RATE": "1000000/second",
            "LOG_LEVEL": "WARNING",
        }
    ) as base:
        yield base


@pytest.fixture
def roles() -> list[Role]:
    editor = User.objects.create_user("fuzzer", password="unused-password-1", is_staff=True)
    editor.groups.add(editors_group_ensure())
    return [
        Role("anonymous", {}),
        Role("editor", {"Authorization": f"Token {token_for(editor)}"}),
    ]


def _every_operation_was_tried(tally: Tally, roles: list[Role]) -> list[str]:
    operations = {operation for _, operation in tally.cases}
    return [
        f"{role.name} {operation}"
        for role in roles
        for operation in sorted(operations)
        if tally.cases.get((role.name, operation), 0) == 0
    ]


def test_every_rest_operation_keeps_to_the_openapi_document(server: str, roles: list[Role]) -> None:
    cases, seconds = budget_from_environment()
    tally = fuzz_rest(server, roles, cases, seconds * REST_SHARE)
    report = tally.report(f"REST, {cases} cases per operation and role (+ half as many invalid)")
    print(report)
    assert tally.failures() == [], report
    assert len({operation for _, operation in tally.cases}) >= 60  # the document's 63
    assert _every_operation_was_tried(tally, roles) == []
    # Both sides of every write were exercised: refusals of the anonymous client, and the
    # editor's creates, updates and deletes of rows that exist.
    assert tally.statuses.get(401, 0) > 0
    assert all(tally.statuses.get(code, 0) > 0 for code in (200, 201, 204, 404))


def test_every_graphql_field_answers_without_internal_errors(
    server: str, roles: list[Role]
) -> None:
    cases, seconds = budget_from_environment()
    tally = fuzz_graphql(server, roles, cases, seconds * (1 - REST_SHARE))
    report = tally.report(f"GraphQL, {cases} cases per field and role")
    print(report)
    assert tally.failures() == [], report
    operations = {operation for _, operation in tally.cases}
    assert any(name.startswith("Mutation.") for name in operations)
    assert any(name.startswith("Query.") for name in operations)
    assert _every_operation_was_tried(tally, roles) == []
