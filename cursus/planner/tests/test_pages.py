"""The planner's pages, through the test client."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import pytest
from django.urls import reverse
from django.utils import translation

from cursus.enrolment.models import Enrolment, EnrolmentStatus
from cursus.planner.tests.fixtures import campus  # noqa: F401

pytestmark = pytest.mark.django_db

LYON_EVENINGS = {
    "diploma": "CC-ABD",
    "centres": ["lyon"],
    "formulas": ["evening_saturday"],
    "free_tue": ["evening"],
    "free_thu": ["evening"],
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def page(campus):
    return reverse("web:planner_learner", args=[campus.learner.number])


def test_learner_is_sent_to_their_own_plan(client, campus):
    client.force_login(campus.learner.user)

    answer = client.get(reverse("web:planner"))

    assert answer.status_code == 302
    assert answer.url == page(campus)


def test_plan_page_shows_each_units_term_centre_and_slot_and_why(client, campus):
    client.force_login(campus.learner.user)

    answer = client.get(page(campus), LYON_EVENINGS)

    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'data-term="{campus.now.code}"' in html
    for unit in ("NSY103", "NFP107", "NFA011", "NSY107"):
        assert f'data-unit="{unit}"' in html
    assert "Tue 18:00–21:00" in html
    assert "Finished in " + campus.next.label in html
    assert 'data-diploma="CC-SYS"' in html
    assert 'data-variation="distance"' in html


def test_impossible_constraints_say_what_cannot_be_met_and_what_to_relax(client, campus):
    client.force_login(campus.learner.user)

    answer = client.get(page(campus), {**LYON_EVENINGS, "free_thu": []})

    html = answer.content.decode()
    assert "No plan fits these constraints." in html
    assert "NSY107 is offered (Lyon), but not when you are free" in html
    assert "Free more weekdays or times" in html


def test_bad_input_is_shown_next_to_its_field(client, campus):
    client.force_login(campus.learner.user)

    answer = client.get(page(campus), {**LYON_EVENINGS, "max_units": "0"})

    assert answer.status_code == 200
    assert answer.context["view"] is None
    assert "max_units" in answer.context["form"].errors


def test_enrol_button_enrols_in_next_terms_units(client, campus):
    client.force_login(campus.learner.user)
    query = (
        "diploma=CC-ABD&centres=lyon&formulas=evening_saturday&free_tue=evening&free_thu=evening"
    )

    answer = client.post(
        reverse("web:planner_enrol", args=[campus.learner.number]), {"query": query}, follow=True
    )

    assert answer.status_code == 200
    texts = [str(m) for m in answer.context["messages"]]
    assert "Enrolled in NSY103." in texts
    assert "Enrolled in NFP107." in texts
    assert (
        Enrolment.objects.filter(learner=campus.learner, status=EnrolmentStatus.ENROLLED).count()
        == 2
    )


def test_staff_print_the_plan_of_a_learner_of_their_centre(client, campus):
    client.force_login(campus.lyon_staff)

    answer = client.get(reverse("web:planner_pdf", args=[campus.learner.number]), LYON_EVENINGS)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_staff_of_another_centre_cannot_plan_for_the_learner(client, campus):
    client.force_login(campus.paris_staff)

    assert client.get(page(campus)).status_code == 404


def test_staff_find_a_learner_to_plan_for(client, campus):
    client.force_login(campus.lyon_staff)

    answer = client.get(reverse("web:planner"), {"number": campus.learner.number})

    assert answer.status_code == 302
    assert answer.url == page(campus)
