"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

Playwright's sync API runs an event loop in the test thread, where Django
would then refuse database calls; the tests and the live server share that
thread's database, so the guard is lifted for this suite.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cursus.core.testing import chromium_path
from cursus.web.tests.world import PASSWORD, World, build_world

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("[browser] Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def world(live_server, transactional_db) -> World:
    return build_world()


def _context(browser, live_server, **options):
    return browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR", **options
    )


@pytest.fixture
def page(browser, live_server, world):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server, world):
    context = _context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    """Log the browser in as a user, through the login page."""

    def log_in_as(user):
        page.goto("/account/login/")
        page.get_by_label("Adresse électronique").fill(user.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        return page

    return log_in_as


@pytest.fixture
def screenshot(tmp_path):
    """Save a 1280×800 screenshot: to docs/screenshots with CURSUS_SCREENSHOTS=1, else aside."""
    folder = SCREENSHOTS if os.environ.get("CURSUS_SCREENSHOTS") == "1" else tmp_path

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
