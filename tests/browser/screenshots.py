"""Screenshots of the browser tests' steps, in tests/screenshots/ (git-ignored), for a person
to look at what the test saw."""

from pathlib import Path

from playwright.sync_api import Page

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
