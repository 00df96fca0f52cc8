"""A learner logs in and sees the diplomas they are closest to, and what each still needs."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cursus.audit import actions as audit
from cursus.catalogue import actions as catalogue
from cursus.records.actions import validate_prior_learning
from cursus.web.tests.world import PASSWORD

pytestmark = pytest.mark.e2e

RULES_CC_DEV = """\
code: CC-DEV
version: 2020
title: {fr: "Certificat de compétence Développeur de bases de données",
        en: "Certificate of competence: database developer"}
requires:
  all:
    - unit: NFA008
    - unit: NFA011
"""


@pytest.fixture
def learner_with_a_unit(world):
    catalogue.create_diploma(
        actor=world.registrar,
        code="CC-DEV",
        version=2020,
        kind="certificat-competence",
        title_fr="Certificat de compétence Développeur de bases de données",
        title_en="Certificate of competence: database developer",
        rules_text=RULES_CC_DEV,
        first_year=2020,
    )
    validate_prior_learning(
        actor=world.registrar,
        learner=world.learner,
        units=["NFA008"],
        source="dispense",
        decision_reference="D-2021-12",
        jury="Jury informatique",
        decided_on=date(2021, 5, 3),
        centre=world.paris,
    )
    audit.pursue_diploma(
        actor=world.registrar,
        learner=world.learner,
        diploma_code="CC-ABD",
        started_on=date(2021, 5, 3),
    )
    return world.learner


def test_learner_sees_closest_diplomas_and_what_is_missing(
    page, world, learner_with_a_unit, log_in, screenshot
):
    log_in(world.learner_user)
    page.locator("nav.site-nav a[href='/audit/']").click()
    page.wait_for_url(f"**/audit/learner/{learner_with_a_unit.number}/")

    pursued = page.locator("#pursued-CC-ABD")
    expect(pursued).to_contain_text("CC-ABD")
    expect(pursued.locator("progress")).to_have_attribute("value", re.compile(r"^[1-9][0-9]?$"))
    expect(pursued.locator(".audit-missing")).to_contain_text("NSY103")

    first = page.locator("table.audit-closest tbody tr").first
    expect(first).to_contain_text("CC-DEV")
    expect(first.locator("progress")).to_have_attribute("value", re.compile(r"^[1-9][0-9]?$"))
    screenshot(page, "audit-my-diplomas")

    first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("CC-DEV")
    expect(page.locator(".audit-missing")).to_contain_text("NFA011")
    expect(page.locator(".audit-tree .audit-met").first).to_contain_text("NFA008")


def test_the_pages_work_without_javascript(
    page_without_javascript, world, learner_with_a_unit, live_server
):
    page = page_without_javascript
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(world.learner_user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    page.goto(f"/audit/learner/{learner_with_a_unit.number}/what-if/?q=dev")
    page.locator("ul.audit-diploma-list a").first.click()
    expect(page.locator("h1")).to_contain_text("CC-DEV")
    page.locator("form[action$='/pursue/'] button").click()
    expect(page.locator("#pursued-CC-DEV")).to_be_visible()
