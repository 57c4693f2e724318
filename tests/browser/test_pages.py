"""Chronicle's pages in headless Chromium under their Content-Security-Policy, offline.

Each page is loaded with every request to another host aborted; each must work with none
attempted and no CSP violation: GraphiQL runs a query, Swagger UI lists the operations, the
admin signs an editor in and shows a changelist, `/` links the interfaces without JavaScript.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from api_project.roles import editors_group_ensure

from .chromium import shot, watched_page

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"
EVENT = "coalition-of-the-willing-summit-2025-09-04"


@pytest.fixture(autouse=True)
def _seed(transactional_db: None) -> None:
    """A live server's test empties the database after it; each starts from the seed."""
    call_command("load_seed", verbosity=0)


def test_graphiql_loads_from_chronicle_and_runs_a_query(
    live_server: LiveServer, browser: Browser
) -> None:
    watched = watched_page(browser)
    page = watched.page
    response = page.goto(f"{live_server.url}/graphql/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    run = page.locator(".graphiql-execute-button")
    expect(run).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/graphql/") and r.request.method == "POST"):
        run.click()
    expect(page.locator(".result-window")).to_contain_text(EVENT)
    # The explorer plugin is there too, listing the schema's root fields.
    page.locator("button[aria-label='Show GraphiQL Explorer']").click()
    expect(page.locator(".graphiql-explorer-root")).to_contain_text("events")
    shot(page, "pages-01-graphiql")
    watched.assert_clean()
    assert all(url.startswith(live_server.url) for url in watched.requests), watched.requests


def test_graphiql_opens_a_shared_link_even_with_a_malformed_escape(
    live_server: LiveServer, browser: Browser
) -> None:
    """GraphiQL keeps its state in the URL (`?variables=`…); a stray `%E0` there must not stop
    the page from loading."""
    watched = watched_page(browser)
    page = watched.page
    page.goto(f"{live_server.url}/graphql/?operationName=Events&variables=%E0")
    expect(page.locator(".graphiql-execute-button")).to_be_visible()
    expect(page.locator(".graphiql-query-editor")).to_contain_text("events")
    watched.assert_clean()


def test_swagger_ui_renders_the_operations(live_server: LiveServer, browser: Browser) -> None:
    watched = watched_page(browser)
    page = watched.page
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/entries/").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    shot(page, "pages-02-swagger-ui")
    watched.assert_clean()


def test_the_admin_runs_under_the_policy(live_server: LiveServer, browser: Browser) -> None:
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group_ensure())
    watched = watched_page(browser)
    page = watched.page
    response = page.goto(f"{live_server.url}/admin/login/")
    assert response is not None
    assert "content-security-policy" in response.headers
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Chronicle")
    # Every changelist and add form the index links, and the CSV import and export forms.
    links = page.locator("#content-main a").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert len(links) > 20
    for link in [*links, "/admin/actors/stance/export/", "/admin/actors/stance/import/"]:
        response = page.goto(f"{live_server.url}{link}")
        assert response is not None
        assert response.status == 200, link
        assert "content-security-policy" in response.headers, link
        assert watched.violations() == [], link
    expect(page.locator("input[type=file]")).to_be_visible()  # the import form, last
    # The export form's "Select all" is an inline handler the policy allows by its hash.
    page.goto(f"{live_server.url}/admin/actors/stance/export/")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert fields.count() > 5
    page.locator("input.select-toggle:visible").uncheck()
    expect(fields.first).not_to_be_checked()
    assert watched.violations() == []
    for changelist in ("events/entry", "actors/stance"):
        page.goto(f"{live_server.url}/admin/{changelist}/")
        expect(page.locator("#result_list tbody tr").first).to_be_visible()
    page.goto(f"{live_server.url}/admin/audit/recentchange/")
    expect(page.locator(".chronicle-history tbody tr").first).to_be_visible()
    # A change form, with its autocomplete widgets and inlines.
    page.goto(f"{live_server.url}/admin/events/entry/")
    page.locator("#result_list tbody tr th a").first.click()
    expect(page.locator("#citations-group")).to_be_visible()
    page.click("#citations-group .add-row a")
    page.locator("#citations-group .select2-selection").last.click()
    expect(page.locator(".select2-search__field")).to_be_visible()
    shot(page, "pages-03-admin-change-form")
    watched.assert_clean()


def test_the_home_page_links_every_interface_without_javascript(
    live_server: LiveServer, browser: Browser
) -> None:
    watched = watched_page(browser, java_script_enabled=False)
    page = watched.page
    response = page.goto(f"{live_server.url}/")
    assert response is not None
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("Chronicle")
    shot(page, "pages-04-home")
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/api/docs/", "/api/v1/", "/graphql/", "/admin/"]
    # Styled by its own style sheet, which the policy let through.
    assert page.locator("main").evaluate("m => getComputedStyle(m).maxWidth") != "none"
    assert watched.console == []
    assert watched.blocked == []


def test_the_browsable_api_runs_under_its_own_policy(
    live_server: LiveServer, browser: Browser
) -> None:
    watched = watched_page(browser)
    page = watched.page
    response = page.goto(f"{live_server.url}/api/v1/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    expect(page.locator(".response-info")).to_contain_text("/api/v1/entries/")
    shot(page, "pages-05-browsable-api-root")
    page.goto(f"{live_server.url}/api-auth/login/")
    expect(page.locator("#id_username")).to_be_visible()
    watched.assert_clean()
