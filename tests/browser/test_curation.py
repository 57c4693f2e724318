"""An editor's day in a real browser: headless Chromium (Debian's package) driven by Playwright.

Screenshots of each step go to tests/screenshots/ (git-ignored).
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from actors.models import Actor, Stance, Topic
from api_project.roles import editors_group_ensure
from events.models import Citation, Entry
from tests.factories import StanceFactory

from .chromium import shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"


def test_an_editor_curates_through_the_admin(live_server: LiveServer, page: Page) -> None:
    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group_ensure())
    finland = StanceFactory.create(
        actor=Actor.objects.get(slug="finland"),
        topic=Topic.objects.get(slug="troops-to-ukraine"),
        position="conditional",
        summary="Finland would take part after a ceasefire.",
        status="proposed",
        valid_from="2025-09-04T17:00Z",
    )
    germany = Stance.objects.get(
        actor__slug="germany", topic__slug="troops-to-ukraine", valid_from="2025-09-04T16:20Z"
    )
    rival = StanceFactory.create(
        actor=germany.actor,
        topic=germany.topic,
        position="support",
        summary="Germany is said to reconsider.",
        status="proposed",
        valid_from="2025-09-04T18:00Z",
    )

    # Log in.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Chronicle")
    shot(page, "01-logged-in")

    # Find the Stubb entry through search.
    page.goto(f"{live_server.url}/admin/events/entry/")
    page.fill("#searchbar", "Stubb")
    page.press("#searchbar", "Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    shot(page, "02-search")
    rows.first.locator("th a").click()

    # Add a citation inline, choosing the source with autocomplete.
    page.click("#citations-group .add-row a")
    row = page.locator("#citations-group tr.form-row.dynamic-citations").last
    row.locator(".field-source .select2-selection").click()
    page.fill(".select2-search__field", "Sputn")
    page.locator(".select2-results__option", has_text="Sputnik").click()
    row.locator(".field-role select").select_option("reported_by")
    shot(page, "03-citation-filled")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    stubb = Entry.objects.get(published_at="2025-09-04T15:23Z")
    assert Citation.objects.filter(entry=stubb, source__slug="sputnik").exists()
    shot(page, "04-citation-saved")

    # Verify the proposed stance with the bulk action.
    page.goto(f"{live_server.url}/admin/actors/stance/?status__exact=proposed")
    page.check(f"input[name=_selected_action][value='{finland.pk}']")
    page.select_option("select[name=action]", "verify")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1 stance(s) marked verified")
    shot(page, "05-verified")
    finland.refresh_from_db()
    assert finland.status == "verified"
    assert finland.decided_by == editor

    # Try to verify one that overlaps Germany's verified stance: refused, explained.
    page.goto(f"{live_server.url}/admin/actors/stance/?status__exact=proposed")
    page.check(f"input[name=_selected_action][value='{rival.pk}']")
    page.select_option("select[name=action]", "verify")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .error")).to_contain_text("already has a verified stance")
    shot(page, "06-conflict")
    rival.refresh_from_db()
    assert rival.status == "proposed"

    # Recent changes (the library's old address leads there) show both, with who made them.
    page.goto(f"{live_server.url}/admin/pghistory/middlewareevents/")
    table = page.locator(".chronicle-history")
    expect(table).to_contain_text("citation")
    expect(table).to_contain_text("stance")
    expect(table).to_contain_text("editor")
    shot(page, "07-history")

    # And from the stance's own History button.
    page.goto(f"{live_server.url}/admin/actors/stance/{finland.pk}/change/")
    page.click("a.historylink")
    expect(page.locator(".chronicle-history")).to_contain_text("Proposed → Verified")
    shot(page, "08-stance-history")
