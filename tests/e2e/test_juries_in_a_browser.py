"""A jury member awards a diploma from the session page; the learner then sees its number."""

import pytest
from playwright.sync_api import expect

from cursus.credentials import actions as credentials
from tests.e2e.juries import open_cc_dev_session

pytestmark = pytest.mark.e2e


@pytest.fixture
def session(world):
    made = open_cc_dev_session(world)
    credentials.request_diploma(
        actor=world.learner_user, learner=world.learner, diploma_code="CC-DEV"
    )
    credentials.add_candidates(actor=world.lyon_staff, session=made)
    return made


def test_jury_member_awards_a_diploma_in_the_browser(page, world, session, log_in, screenshot):
    log_in(world.jury_member)
    page.locator("nav.site-nav a[href='/juries/']").click()
    page.get_by_role("link", name="30/06/2026").click()
    expect(page.locator("h1")).to_contain_text("CC-DEV")
    expect(page.get_by_text("Audit satisfait")).to_be_visible()
    page.get_by_label("Décision").select_option("award")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("main")).to_contain_text("2026-CC-DEV-00001")
    screenshot(page, "jury-session")

    page.context.clear_cookies()
    log_in(world.learner_user)
    page.goto(f"/juries/learners/{world.learner.number}/")
    expect(page.locator("main")).to_contain_text("2026-CC-DEV-00001")


def test_jury_member_awards_every_satisfied_candidate_at_once(page, world, session, log_in):
    log_in(world.jury_member)
    page.goto(f"/juries/{session.pk}/")
    expect(page.locator("main")).to_contain_text("1 candidat en attente satisfait à l’audit.")
    page.get_by_role(
        "button", name="Délivrer le diplôme à chaque candidat qui satisfait à l’audit"
    ).click()
    expect(page.get_by_text("1 diplôme délivré.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2026-CC-DEV-00001")
    expect(page.get_by_role("button", name="Enregistrer la décision")).to_have_count(0)
