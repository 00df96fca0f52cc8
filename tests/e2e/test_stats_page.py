"""The registrar reads the year's statistics in a browser: charts beside their tables, a year
picked without JavaScript, and centre staff kept to their centre."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cursus.enrolment.models import Enrolment, Registration, Tariff
from cursus.web.tests.world import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def enrolled(world):
    """Enrol the demo learner in last year's NFA008, so that last year has a learner."""
    offering = world.nfa008_past
    year = offering.term.academic_year
    tariff = Tariff.objects.create(
        academic_year=year,
        basis="per_unit",
        registration_fee=Decimal(0),
        full_amount=Decimal(0),
        reduced_amount=Decimal(0),
        employer_amount=Decimal(0),
    )
    registration = Registration.objects.create(
        learner=world.learner, academic_year=year, centre=world.paris, tariff=tariff, fee=0
    )
    Enrolment.objects.create(
        learner=world.learner,
        offering=offering,
        registration=registration,
        unit=offering.unit,
        term=offering.term,
        status="enrolled",
        enrolled_at=timezone.now(),
    )
    return year


def test_registrar_sees_charts_with_their_tables(world, enrolled, log_in, screenshot):
    page = log_in(world.registrar)
    page.goto("/stats/")
    expect(page.locator("h1")).to_contain_text(enrolled.label)
    expect(page.locator('[data-figure="learners"]')).to_have_text("1")
    charts = page.locator("svg.svg-chart")
    assert charts.count() >= 6  # the tables with something to count
    assert charts.first.get_attribute("role") == "img"
    formula = page.locator("#table-learners-formula")
    expect(formula.locator("svg title").first).to_be_attached()
    expect(formula.locator("table tbody tr")).to_have_count(4)
    expect(page.locator("a[href*='statistics.xlsx']")).to_be_visible()
    screenshot(page, "stats-registrar")


def test_year_is_picked_without_javascript(world, enrolled, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    page = context.new_page()
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(world.registrar.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto("/stats/")
    current = world.current.academic_year
    page.locator("#stats-year").select_option(str(current.start_year))
    page.locator("form.stats-filters button[type=submit]").click()
    page.wait_for_url(f"**/stats/?year={current.start_year}*")
    expect(page.locator("h1")).to_contain_text(current.label)
    expect(page.locator('[data-figure="learners"]')).to_have_text("0")
    context.close()


def test_centre_staff_choose_among_their_centres_only(world, enrolled, log_in):
    page = log_in(world.paris_staff)
    page.goto("/stats/")
    options = page.locator("#stats-centre option")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_have_text(world.paris.name)
    response = page.goto(f"/stats/?centre={world.lyon.code}")
    assert response is not None
    assert response.status == 403
