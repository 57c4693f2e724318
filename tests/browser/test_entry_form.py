"""The entry change page in a real browser (Debian's Chromium): it fits the screen, and a
citation chain between two new rows is built in one save."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from actors.models import Actor, Topic
from api_project.roles import editors_group_ensure
from events.models import Entry

from .chromium import shot, watched_page

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"
STUBB = "2025-09-04T15:23Z"


def _log_in(page: Page, live_server: LiveServer) -> None:
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group_ensure())
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Chronicle")


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize(
    ("record", "groups"),
    [
        ("entry", ["citations", "mentions", "stances"]),
        ("actor", ["memberships", "stances"]),
        ("topic", ["stances"]),
    ],
)
def test_a_page_with_inlines_fits_the_screen_without_sideways_scrolling(
    live_server: LiveServer, browser: Browser, width: int, record: str, groups: list[str]
) -> None:
    watched = watched_page(browser)
    page = watched.page
    page.set_viewport_size({"width": width, "height": 1000})
    _log_in(page, live_server)
    pages = {
        "entry": f"events/entry/{Entry.objects.get(published_at=STUBB).pk}",
        "actor": f"actors/actor/{Actor.objects.get(slug='italy').pk}",
        "topic": f"actors/topic/{Topic.objects.get(slug='troops-to-ukraine').pk}",
    }
    page.goto(f"{live_server.url}/admin/{pages[record]}/change/")
    for group in groups:
        page.click(f"#{group}-group .add-row a")
    new_stance = page.locator("#stances-group .inline-related.dynamic-stances").last
    expect(new_stance.locator(".utc-mark").first).to_be_visible()
    shot(page, f"{record}-form-{width}")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")

    assert scroll_width <= inner_width, (scroll_width, inner_width)
    # Nor do the tables scroll inside their boxes: they fit.
    overflowing = page.locator(".inline-group .tabular").evaluate_all(
        "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth).map(b => b.parentNode.id)"
    )
    assert overflowing == []
    local = new_stance.locator(".local-time").first
    new_stance.locator("input[name$='valid_from_0']").fill("2025-09-04")
    new_stance.locator("input[name$='valid_from_1']").fill("20:45:00")
    expect(local).to_contain_text("in your time")
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expected = datetime(2025, 9, 4, 20, 45, tzinfo=UTC).astimezone(ZoneInfo(zone))
    expect(local).to_have_text(f"= {expected:%H:%M} in your time ({zone})")  # the same day
    watched.assert_clean()


def test_a_chain_between_two_new_citations_is_saved_in_one_save(
    live_server: LiveServer, browser: Browser
) -> None:
    watched = watched_page(browser)
    page = watched.page
    _log_in(page, live_server)
    entry = Entry.objects.get(published_at=STUBB)
    page.goto(f"{live_server.url}/admin/events/entry/{entry.pk}/change/")
    saved = entry.citations.count()
    # "new" rows are the dynamic ones after the saved rows.
    new_rows = page.locator("#citations-group tr.form-row.dynamic-citations:not(.has_original)")
    page.click("#citations-group .add-row a")  # a row added by mistake, removed below

    for name, role in (("Sputnik", "reported_by"), ("Bild", "via")):
        page.click("#citations-group .add-row a")
        row = new_rows.last
        row.locator(".field-source .select2-selection").click()
        page.fill(".select2-search__field", name[:5])
        page.locator(".select2-results__option", has_text=name).click()
        row.locator(".field-role select").select_option(role)
    # The last new row's "via" offers the one above by its place and source, before any save.
    via = new_rows.last.locator("select.citation-via")
    label = f"row {saved + 2}: Sputnik"
    expect(via.locator("option", has_text=label)).to_have_count(1)
    via.select_option(label=label)
    # Removing the blank row renumbers the rows below it; the choice follows its row.
    new_rows.first.locator(".inline-deletelink").click()
    expect(new_rows).to_have_count(2)
    expect(via.locator("option:checked")).to_have_text(f"row {saved + 1}: Sputnik")
    expect(via).to_have_value(f"new-{saved}")
    shot(page, "entry-form-chain")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    bild = entry.citations.get(source__slug="bild")
    assert bild.chain() == ["Sputnik", "Bild"]
    watched.assert_clean()
