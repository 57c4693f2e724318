"""A late development added to the summit's record by an editor, in a real browser, start to
finish: "at 19:45 Meloni said Italy will not send troops, according to ANSA, citing a
government source".

Headless Chromium (Debian's package) driven by Playwright, logged in as the `editor` user of
the editors group. Each step leaves a screenshot in tests/screenshots/ (git-ignored), named
`scenario-NN-…`.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from api_project.roles import editors_group_ensure
from events.models import Source

from .chromium import shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"

HEADER = "slug,name,kind,url,country,operator,needs_review\n"
ANSA = "ansa,ANSA,News agency,https://www.ansa.it,IT,,0\n"
GOVERNMENT = "italian-government-source,Italian government source,anonymous_official,,IT,,0\n"


def log_in(page: Page, server: str) -> None:
    page.goto(f"{server}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Chronicle")


def import_sources(page: Page, server: str, tmp_path: Path) -> None:
    """A file with a bad row is refused with the row and the cell named; the corrected file is
    previewed, then imported."""
    bad = tmp_path / "sources-bad.csv"
    bad.write_text(HEADER + ANSA + GOVERNMENT.replace(",IT,", ",UK,"))
    page.goto(f"{server}/admin/events/source/import/")
    expect(page.locator(".import-columns")).to_contain_text("news_agency")  # what is allowed
    page.set_input_files("input[type=file]", str(bad))
    page.locator("select[name=format]").select_option(label="csv")
    page.click("input[type=submit][value=Submit]")
    problems = page.locator(".import-problems")
    expect(problems).to_contain_text("Row 3, column country")
    expect(problems).to_contain_text("GB")  # did you mean GB?
    shot(page, "scenario-01-import-refused")
    assert not Source.objects.filter(slug="ansa").exists()  # nothing written

    good = tmp_path / "sources.csv"
    good.write_text(HEADER + ANSA + GOVERNMENT)
    page.set_input_files("input[type=file]", str(good))
    page.locator("select[name=format]").select_option(label="csv")
    page.click("input[type=submit][value=Submit]")
    page.click("input[name=confirm]")
    expect(page.locator(".messagelist")).to_contain_text("Import finished")
    shot(page, "scenario-02-import-done")
    assert Source.objects.get(slug="ansa").kind == "news_agency"
    assert Source.objects.get(slug="italian-government-source").country == "IT"


def test_an_editor_records_a_late_development(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group_ensure())
    server = live_server.url

    log_in(page, server)
    import_sources(page, server, tmp_path)
