from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .chromium import CHROMIUM_FLAGS, chromium_path


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Headless Chromium. Playwright's sync API runs an event loop in this thread; the ORM
    calls the tests make alongside it are safe."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab as an editor's: a desktop window, in Rome's time zone (not the record's UTC)."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000}, timezone_id="Europe/Rome")
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()
