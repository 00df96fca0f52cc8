"""A learner in Lyon, free on Tuesday and Thursday evenings, plans the rest of CC-ABD.

They hold half of the database administrator certificate, get a plan that
finishes it with each unit's term, centre and weekly class, compare it with
the closest other diploma, and enrol in next term's units from it.
"""

import pytest
from playwright.sync_api import expect

from cursus.enrolment.models import Enrolment, EnrolmentStatus
from cursus.planner.tests.fixtures import build_campus
from tests.e2e.conftest import _context

pytestmark = pytest.mark.e2e


@pytest.fixture
def campus(live_server, transactional_db):
    return build_campus()


@pytest.fixture
def planner_page(browser, live_server, campus):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_learner_in_lyon_plans_the_certificate_compares_and_enrols(
    planner_page, campus, screenshot
):
    page = planner_page
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(campus.learner.user.email)
    page.get_by_label("Mot de passe").fill("pw")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto("/plan/")
    page.wait_for_url(f"**/plan/learner/{campus.learner.number}/**")
    form = page.get_by_test_id("plan-form")
    form.locator("#id_diploma").select_option("CC-ABD")
    expect(form.locator("input[name=centres][value=lyon]")).to_be_checked()
    form.locator("input[name=formulas][value=distance]").uncheck()
    form.locator("input[name=free_tue][value=evening]").check()
    form.locator("input[name=free_thu][value=evening]").check()
    form.locator("button[type=submit]").click()

    plan = page.locator("#plan-heading").locator("..")
    expect(plan.get_by_test_id("plan-summary")).to_contain_text(campus.next.label)
    now = plan.locator(f'table[data-term="{campus.now.code}"]')
    expect(now.locator("tr[data-unit=NSY103]")).to_contain_text("Lyon")
    expect(now.locator("tr[data-unit=NSY103]")).to_contain_text("18:00–21:00")
    expect(now.locator("tr[data-unit=NFP107]")).to_contain_text("Lyon")
    later = plan.locator(f'table[data-term="{campus.next.code}"]')
    expect(later.locator("tr[data-unit=NFA011]")).to_be_visible()
    expect(later.locator("tr[data-unit=NSY107]")).to_be_visible()

    alternatives = page.get_by_test_id("alternatives")
    expect(alternatives.locator("[data-diploma=CC-SYS]")).to_be_visible()
    expect(alternatives.locator("[data-variation=distance]")).to_be_visible()
    screenshot(page, "planner-plan")

    page.get_by_test_id("enrol").click()
    expect(page.locator(".message-success")).to_have_count(2)
    enrolled = Enrolment.objects.filter(learner=campus.learner, status=EnrolmentStatus.ENROLLED)
    assert {e.offering_id for e in enrolled} == {
        campus.offerings["NSY103-lyon"].pk,
        campus.offerings["NFP107-lyon"].pk,
    }
    # Back on the plan, the units just enrolled in stay in it.
    expect(now.locator("tr[data-unit=NSY103]")).to_be_visible()
