"""Grades typed in the grid with the keyboard, published, and seen in the learner's record."""

import pytest
from playwright.sync_api import expect

from cursus.records.models import Result
from cursus.records.tests.fixtures import enrol, make_learner

pytestmark = pytest.mark.e2e


@pytest.fixture
def classroom(world):
    learners = [world.learner, make_learner(world.paris, last_name="Zola")]
    for learner in learners:
        enrol(learner, world.nfa008_paris)
    return learners


def grid_url(world, session=1):
    return f"/records/offering/{world.nfa008_paris.pk}/session/{session}/"


def test_teacher_types_grades_with_the_keyboard_and_staff_publish(
    page, world, classroom, log_in, screenshot
):
    log_in(world.teacher)
    page.goto(grid_url(world))
    first, second = (page.locator(f"#grade-{learner.number}") for learner in classroom)
    first.focus()
    page.keyboard.type("25")
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#error-{classroom[0].number}")).not_to_be_empty()
    page.keyboard.press("Control+A")
    page.keyboard.type("14,5")
    expect(first).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Enter")
    expect(second).to_be_focused()
    page.keyboard.type("ABS")
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    screenshot(page, "records-grade-grid")
    page.locator("form[data-grade-grid] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert sorted(Result.objects.values_list("status", flat=True)) == ["absent", "graded"]
    expect(page.locator("form[action$='/publish/']")).to_have_count(0)

    page.context.clear_cookies()
    log_in(world.paris_staff)
    page.goto(grid_url(world))
    page.locator("form[action$='/publish/'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".badge").first).to_be_visible()
    assert Result.objects.filter(published_at__isnull=False).count() == 2


def test_learner_sees_the_unit_capitalised_and_its_history(
    page, world, classroom, log_in, screenshot
):
    from cursus.records import actions

    actions.record_result(
        actor=world.teacher,
        offering=world.nfa008_paris,
        learner_number=world.learner.number,
        session=1,
        grade="12",
    )
    actions.publish_results(actor=world.paris_staff, offering=world.nfa008_paris, session=1)
    actions.correct_result(
        actor=world.paris_staff,
        result=Result.objects.get(),
        grade="13",
        reason="Copie relue par le jury",
    )
    log_in(world.learner_user)
    page.goto(f"/records/learner/{world.learner.number}/")
    held = page.locator("#units-held")
    expect(held).to_contain_text("NFA008")
    expect(held).to_contain_text("13,00/20")
    expect(page.locator("#record-history")).to_contain_text("Copie relue par le jury")
    screenshot(page, "records-learner-record")
    page.locator("a[href$='/transcript/']").first.click()
    expect(page.locator("#transcript")).to_contain_text("NFA008")
    with page.expect_download() as download:
        page.locator("form[action$='/transcript/issue/'] button").click()
    assert download.value.suggested_filename.startswith("transcript-")


def test_grid_works_without_javascript(page_without_javascript, world, classroom):
    page = page_without_javascript
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(world.teacher.email)
    page.get_by_label("Mot de passe").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(grid_url(world))
    page.locator(f"#grade-{classroom[0].number}").fill("21")
    page.locator("form[data-grade-grid] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert not Result.objects.exists()
    page.locator(f"#grade-{classroom[0].number}").fill("11")
    page.locator("form[data-grade-grid] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Result.objects.get().grade == 11
