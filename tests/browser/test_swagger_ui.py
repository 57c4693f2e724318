"""Swagger UI in headless Chromium: public reads show no lock, writes do (the document's
anonymous-first security, inherited by every read)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser.chromium import CHROMIUM_FLAGS, chromium_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_swagger_ui_locks_only_the_writes(live_server: LiveServer, browser_page: Page) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary")
    locks = page.evaluate(
        """() => Array.from(document.querySelectorAll(".opblock")).map((block) => [
            block.querySelector(".opblock-summary-method").textContent.trim(),
            block.querySelector(".opblock-summary-path").getAttribute("data-path"),
            block.querySelector(".authorization__btn") !== null,
        ])"""
    )
    reads = [(path, locked) for method, path, locked in locks if method == "GET"]
    writes = [(method, path, locked) for method, path, locked in locks if method != "GET"]
    assert len(reads) >= 20
    assert len(writes) >= 20
    assert [path for path, locked in reads if locked] == []
    assert [(method, path) for method, path, locked in writes if not locked] == []
