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
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from actors.models import Actor, Stance
from api_project.roles import editors_group_ensure
from events.models import Citation, Entry, Source

from .chromium import shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"

HEADER = "slug,name,kind,url,country,operator,needs_review\n"
ANSA = "ansa,ANSA,News agency,https://www.ansa.it,IT,,0\n"
GOVERNMENT = "italian-government-source,Italian government source,anonymous_official,,IT,,0\n"
SUMMIT = "European backers talk to Trump"
BODY = (
    "Italy will not send troups to Ukraine, Prime Minister Giorgia Meloni said, according to"
    " ANSA, citing a government source."
)


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


def choose(page: Page, field: Locator, search: str, option: str) -> None:
    """An autocomplete choice, typed and picked as an editor does."""
    field.locator(".select2-selection").click()
    page.fill(".select2-search__field", search)
    page.locator(".select2-results__option", has_text=option).click()


def add_chained_entry(page: Page, server: str) -> Entry:
    """The entry and its chain of three citations, Meloni via a government source via ANSA,
    in one save of a new entry."""
    page.goto(f"{server}/admin/events/entry/add/")
    choose(page, page.locator(".field-event"), "Zelensky", SUMMIT)
    page.fill("#id_published_at_0", "2025-09-04")
    page.fill("#id_published_at_1", "19:45:00")
    expect(page.locator(".field-published_at .local-time")).to_contain_text("21:45")
    page.fill("#id_body", BODY)
    page.click("#citations-group .add-row a")  # a third row beside the two blank ones
    rows = page.locator("#citations-group tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(3)
    ansa, government, meloni = rows.nth(0), rows.nth(1), rows.nth(2)
    choose(page, ansa.locator(".field-source"), "ANSA", "ANSA")
    ansa.locator(".field-role select").select_option("reported_by")
    choose(page, government.locator(".field-source"), "govern", "Italian government source")
    government.locator(".field-role select").select_option("via")
    government.locator("select.citation-via").select_option(label="row 1: ANSA")
    choose(page, meloni.locator(".field-speaker"), "Meloni", "Giorgia Meloni")
    meloni.locator(".field-role select").select_option("quoted")
    meloni.locator("select.citation-via").select_option(label="row 2: Italian government source")
    shot(page, "scenario-03-entry-with-chain")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    shot(page, "scenario-04-entry-saved")

    entry = Entry.objects.get(body=BODY)
    quoted = Citation.objects.get(entry=entry, speaker__slug="giorgia-meloni")
    assert str(quoted) == "ANSA ← Italian government source ← Giorgia Meloni"
    assert entry.order == Entry.objects.filter(event=entry.event).count()  # the next place
    return entry


def add_stance_from_entry(page: Page, entry: Entry) -> Stance:
    """Italy's stance, recorded on the entry's page (proposed: verifying is a decision)."""
    page.click("#stances-group .add-row a")
    stance = page.locator("#stances-group .inline-related.dynamic-stances").last
    choose(page, stance.locator(".field-topic"), "Send troops", "Send troops to Ukraine")
    choose(page, stance.locator(".field-actor"), "Italy", "Italy")
    stance.locator(".field-position select").select_option("oppose")
    stance.locator(".field-kind select").select_option("statement")
    stance.locator("input[name$='valid_from_0']").fill("2025-09-04")
    stance.locator("input[name$='valid_from_1']").fill("19:45:00")
    choose(page, stance.locator(".field-source"), "ANSA", "ANSA")
    stance.locator("textarea[name$='summary']").fill("Italy will not send troops, Meloni said.")
    shot(page, "scenario-05-stance-on-the-entry")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    return Stance.objects.get(evidence=entry, actor__slug="italy")


def supersede(page: Page, server: str, stance: Stance) -> None:
    """Verifying clashes with Italy's verified stance from 16:20: the refusal names it and
    offers the ways out; superseding ends it where the new one starts."""
    earlier = Stance.objects.get(
        actor__slug="italy", topic=stance.topic, status="verified", valid_until=None
    )
    page.goto(f"{server}/admin/actors/stance/?status__exact=proposed")
    page.check(f"input[name=_selected_action][value='{stance.pk}']")
    page.select_option("select[name=action]", "verify")
    page.click("button[name=index]")
    refusal = page.locator(".messagelist .error")
    expect(refusal).to_contain_text("Italy already has a verified stance")
    expect(refusal).to_contain_text("16:20 UTC")
    shot(page, "scenario-06-conflict-named")
    refusal.get_by_role("link", name="Supersede it").click()
    page.fill("textarea[name=note]", "Meloni restated Italy's position at 19:45 (ANSA).")
    shot(page, "scenario-07-supersede-confirm")
    page.click("input[type=submit][value='Supersede and verify']")
    expect(page.locator(".messagelist")).to_contain_text("supersedes")
    shot(page, "scenario-08-superseded")

    stance.refresh_from_db()
    earlier.refresh_from_db()
    assert stance.status == "verified"
    assert earlier.valid_until == stance.valid_from
    assert "Meloni restated" in stance.curator_note


def fix_typo(page: Page, server: str, entry: Entry) -> None:
    """ "troups" corrected; the History shows that word changed, not the body twice."""
    page.goto(f"{server}/admin/events/entry/{entry.pk}/change/")
    page.fill("#id_body", BODY.replace("troups", "troops"))
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.click("a.historylink")
    expect(page.locator("h1")).to_contain_text("Change history")
    expect(page.locator("del", has_text="troups").first).to_be_visible()
    expect(page.locator("ins", has_text="troops").first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("editor")
    assert page.locator("#content").inner_text().count("according to ANSA") <= 1
    shot(page, "scenario-09-history")


def test_an_editor_records_a_late_development(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group_ensure())
    Actor.objects.create(
        slug="giorgia-meloni",
        name="Giorgia Meloni",
        kind="person",
        country="IT",
        title="Prime Minister of Italy",
    )
    server = live_server.url

    log_in(page, server)
    import_sources(page, server, tmp_path)
    entry = add_chained_entry(page, server)
    stance = add_stance_from_entry(page, entry)
    supersede(page, server, stance)
    fix_typo(page, server, entry)
