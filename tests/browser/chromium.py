"""Debian's Chromium for the browser tests, and what a page did in it: requests to other hosts
(aborted) and CSP violations.

Every request whose host is not this machine is aborted and recorded, so a page that still
reaches for a CDN is caught even when it would have been served from a cache. CSP violations
are read both from the document's `securitypolicyviolation` events and from the console, where
Chromium reports them.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's chromium, which `make test` installs; a browser is never downloaded."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is missing: `make test` installs Debian's chromium package."
    return found


SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def shot(page: Page, name: str) -> None:
    """A screenshot into tests/screenshots/ (git-ignored), for a person to look at."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@dataclass
class Watched:
    page: Page
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        """Every CSP violation so far, from the document and the console."""
        events: list[str] = self.page.evaluate("window.__cspViolations || []")
        reported = [text for text in self.console if "Content Security Policy" in text]
        return events + reported

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert self.violations() == [], f"CSP violations: {self.violations()}"


def watched_page(browser: Browser, java_script_enabled: bool = True) -> Watched:
    context: BrowserContext = browser.new_context(
        viewport={"width": 1400, "height": 1000}, java_script_enabled=java_script_enabled
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    watched = Watched(page)

    def route(route: Route) -> None:
        url = route.request.url
        watched.requests.append(url)
        if urlsplit(url).hostname not in LOCAL_HOSTS:
            watched.blocked.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def console(message: ConsoleMessage) -> None:
        watched.console.append(f"{message.type}: {message.text}")

    context.route("**/*", route)
    context.add_init_script(_RECORD_VIOLATIONS)
    page.on("console", console)
    return watched
