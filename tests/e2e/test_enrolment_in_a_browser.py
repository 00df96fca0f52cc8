"""Open enrolment through the pages: a learner registered in Lyon enrols in an evening unit
in Paris and a distance unit, sees both in one timetable, lands on a waitlist when an
offering is full and is promoted when someone withdraws; an employer contact signs an
agreement for a daytime course, and the learner enrols in it."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from cursus.enrolment import actions
from cursus.enrolment.models import (
    AgreementStatus,
    Enrolment,
    EnrolmentStatus,
    Registration,
    TrainingAgreement,
)
from cursus.web.tests.test_enrolment_pages import Enrolling, draw_up_agreement, open_enrolment

pytestmark = pytest.mark.e2e


@pytest.fixture
def enrolling(world) -> Enrolling:
    return open_enrolment(world)


def enrol_button(page, offering):
    url = reverse("web:enrolment_enrol", args=[offering.pk])
    return page.locator(f"form[action='{url}'] button[type=submit]")


def status_of(learner, offering) -> str:
    return Enrolment.objects.get(learner=learner, offering=offering).status


def test_learner_from_lyon_enrols_across_centres_waits_and_is_promoted(
    page, enrolling, log_in, screenshot
):
    world = enrolling.world
    camille = world.learner
    log_in(world.learner_user)

    # Register for the year at the home centre, Lyon.
    page.goto(reverse("web:enrolment_learner", args=[camille.number]))
    page.locator(f"a[href^='{reverse('web:enrolment_register', args=[camille.number])}']").click()
    expect(page.locator("select[name=centre]")).to_have_value(world.lyon.code)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Registration.objects.get(learner=camille).centre == world.lyon

    # An evening unit in Paris, from its offering page.
    page.goto(enrolling.evening_paris.get_absolute_url())
    enrol_button(page, enrolling.evening_paris).click()
    expect(page.locator(".message-success")).to_be_visible()
    assert status_of(camille, enrolling.evening_paris) == EnrolmentStatus.ENROLLED

    # A distance unit, from the unit's page.
    page.goto(enrolling.distance.unit.get_absolute_url())
    enrol_button(page, enrolling.distance).click()
    expect(page.locator(".message-success")).to_be_visible()
    assert status_of(camille, enrolling.distance) == EnrolmentStatus.ENROLLED

    # Both in one timetable: the Paris evenings in the grid, the distance unit below it.
    page.goto(reverse("web:enrolment_timetable", args=[camille.number]))
    grid = page.get_by_test_id("timetable")
    expect(grid.locator(".period-evening .class-chip")).to_have_count(2)
    expect(grid).to_contain_text("NFA008")
    expect(grid).to_contain_text("Paris")
    expect(page.locator("#own-pace + ul")).to_contain_text("NFA011")
    screenshot(page, "enrolment-timetable")

    # A full offering: the learner waits, first in line.
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    page.goto(enrolling.one_place.get_absolute_url())
    enrol_button(page, enrolling.one_place).click()
    expect(page.locator(".message-warning").first).to_contain_text("1")
    expect(page.locator(".big-figure")).to_contain_text("1")
    assert status_of(camille, enrolling.one_place) == EnrolmentStatus.WAITLISTED

    # The learner holding the place withdraws from their own page; the place is Camille's.
    page.context.clear_cookies()
    log_in(enrolling.other_user)
    page.goto(reverse("web:enrolment_learner", args=[enrolling.other.number]))
    taken = Enrolment.objects.get(learner=enrolling.other, offering=enrolling.one_place)
    withdraw = reverse("web:enrolment_withdraw", args=[taken.pk])
    page.locator(f"form[action='{withdraw}'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert status_of(enrolling.other, enrolling.one_place) == EnrolmentStatus.WITHDRAWN
    assert status_of(camille, enrolling.one_place) == EnrolmentStatus.ENROLLED
    assert [message.to for message in mail.outbox] == [[camille.email]]

    page.context.clear_cookies()
    log_in(world.learner_user)
    page.goto(reverse("web:enrolment_timetable", args=[camille.number]))
    expect(page.get_by_test_id("timetable").locator(".period-morning td.weekend")).to_contain_text(
        "NFE113"
    )


def test_employer_contact_signs_an_agreement_for_a_daytime_course(
    page, enrolling, log_in, screenshot
):
    world = enrolling.world
    actions.register(
        actor=world.registrar,
        learner=world.learner,
        centre=world.lyon.code,
        academic_year=enrolling.term.academic_year,
    )
    agreement = draw_up_agreement(enrolling)

    # Without a signed agreement, the daytime course is refused, and nothing changes.
    log_in(world.learner_user)
    page.goto(enrolling.daytime.get_absolute_url())
    enrol_button(page, enrolling.daytime).click()
    expect(page.locator(".error-summary")).to_contain_text("STA001")
    assert not Enrolment.objects.filter(learner=world.learner).exists()

    # The employer's contact finds it on their desk and signs it.
    page.context.clear_cookies()
    log_in(world.employer_contact)
    page.locator(f"a[href='{reverse('web:enrolment_agreement', args=[agreement.number])}']").click()
    sign = reverse("web:enrolment_agreement_step", args=[agreement.number, "sign-employer"])
    page.locator(f"form[action='{sign}'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f"form[action='{sign}']")).to_have_count(0)
    screenshot(page, "enrolment-agreement-signed-by-employer")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_EMPLOYER
    assert agreement.employer_signed_by == world.employer_contact

    # The learner's centre signs for the institution.
    page.context.clear_cookies()
    log_in(world.lyon_staff)
    page.goto(reverse("web:enrolment_agreement", args=[agreement.number]))
    countersign = reverse(
        "web:enrolment_agreement_step", args=[agreement.number, "sign-institution"]
    )
    page.locator(f"form[action='{countersign}'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert TrainingAgreement.objects.get(pk=agreement.pk).signed

    # Now the daytime course takes the learner, under the agreement.
    page.context.clear_cookies()
    log_in(world.learner_user)
    page.goto(enrolling.daytime.get_absolute_url())
    enrol_button(page, enrolling.daytime).click()
    expect(page.locator(".message-success")).to_be_visible()
    enrolment = Enrolment.objects.get(learner=world.learner, offering=enrolling.daytime)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.agreement_id == agreement.pk
