"""A tour of the demo institution in a browser; it takes the README's screenshots.

The demo is built at a tiny scale (a hundred learners, the full catalogue and
timetables) from a fixed seed, so the pages and the pictures are the same at
every run.
"""

import re

import pytest
from playwright.sync_api import expect

from cursus.core.models import Role

pytestmark = pytest.mark.e2e

PNG_LIMIT = 200_000
TERM = "2026-S1"
DESKS = {
    Role.REGISTRAR: "L’établissement",
    Role.CENTRE_STAFF: "Votre centre",
    Role.TEACHER: "Vos enseignements ce semestre",
    Role.JURY_MEMBER: "Vos jurys",
    Role.EMPLOYER_CONTACT: "Vos salariés en formation",
    Role.LEARNER: "Votre dossier",
}


@pytest.fixture
def demo(live_server, transactional_db):
    from cursus.demo.builder import build_demo

    return build_demo(scale=0.001, seed=1)


@pytest.fixture
def tour(browser, live_server, demo):
    from tests.e2e.conftest import VIEWPORT

    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # The IHDR chunk holds the width and height, big-endian.
    assert (int.from_bytes(data[16:20]), int.from_bytes(data[20:24])) == (1280, 800)
    assert len(data) < PNG_LIMIT, f"{path.name} is {len(data)} bytes"


def test_tour_of_the_demo_institution(tour, demo, screenshot):
    page = tour
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apprendre à son rythme")
    check_png(screenshot(page, "home"))

    page.get_by_label("Trouver une unité").fill("bases de données")
    page.get_by_role("button", name="Rechercher").click()
    nfa008 = page.locator("#results").get_by_role("link", name=re.compile("NFA008"))
    expect(nfa008).to_be_visible()
    check_png(screenshot(page, "catalogue-search"))

    nfa008.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bases de données")
    heading = page.get_by_role("heading", name="Où et quand elle est ouverte")
    expect(heading).to_be_visible()
    # Bring the table to the top of the window for the picture.
    page.locator("#where").evaluate("h => window.scrollTo(0, h.offsetTop - 16)")
    check_png(screenshot(page, "unit-where-offered"))

    page.goto(f"/centre/paris/?term={TERM}")
    week = page.locator("table.week")
    expect(week.locator("tr.period-evening .class-chip").first).to_be_visible()
    expect(week.locator("td.weekend .class-chip").first).to_be_visible()
    check_png(screenshot(page, "centre-timetable"))


@pytest.mark.parametrize("role", list(DESKS))
def test_every_demo_account_opens_its_desk(tour, demo, role, screenshot):
    page = tour
    login = next(login for login in demo.logins if login.role == role)
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(login.email)
    page.get_by_label("Mot de passe").fill(demo.password)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=2, name=DESKS[role])).to_be_visible()
    if role == Role.REGISTRAR:
        check_png(screenshot(page, "registrar-home"))
