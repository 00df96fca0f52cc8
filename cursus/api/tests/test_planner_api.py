"""The planner API: plans, comparisons, enrolment from the plan, bad input, scope."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import pytest
from django.utils import translation

from cursus.core.actions import create_api_token
from cursus.enrolment.models import Enrolment, EnrolmentStatus
from cursus.planner.tests.fixtures import build_campus, campus  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1"
EVENINGS = "tue:evening,thu:evening"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def as_user(client, user):
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    return client


def plan_url(campus, what="plan"):
    return f"{API}/planner/learners/{campus.learner.number}/{what}"


def ask(client, campus, what="plan", **params):
    query = {"diploma": "CC-ABD", "centres": "lyon", "weekdays": EVENINGS, "lang": "en"}
    query.update(params)
    return client.get(plan_url(campus, what), query)


def test_learner_gets_a_plan_finishing_the_certificate_with_terms_centres_and_slots(client, campus):
    as_user(client, campus.learner.user)

    answer = ask(client, campus)

    assert answer.status_code == 200, answer.json()
    plan = answer.json()
    assert plan["feasible"] is True
    assert plan["proven_best"] is True
    assert plan["audit"]["satisfied"] is True
    taken = {
        o["unit"]: (t["term"], o["centre"], [s["weekday"] for s in o["slots"]])
        for t in plan["terms"]
        for o in t["offerings"]
    }
    assert taken == {
        "NSY103": (campus.now.code, "lyon", ["tue"]),
        "NFP107": (campus.now.code, "lyon", ["thu"]),
        "NFA011": (campus.next.code, "lyon", ["tue"]),
        "NSY107": (campus.next.code, "lyon", ["thu"]),
    }
    assert plan["finishes"] == campus.next.code


def test_plan_explains_why_nsy103_is_taken_in_lyon(client, campus):
    as_user(client, campus.learner.user)

    plan = ask(client, campus, centres="lyon,paris").json()

    why = next(o["why"] for t in plan["terms"] for o in t["offerings"] if o["unit"] == "NSY103")
    assert "Paris" in why
    assert "clashes with NFP107" in why


def test_plan_says_which_unit_cannot_be_taken_and_what_to_relax(client, campus):
    as_user(client, campus.learner.user)

    plan = ask(client, campus, weekdays="tue:evening").json()

    assert plan["feasible"] is False
    assert plan["terms"] == []
    units = {u for o in plan["obstacles"] for u in o["units"]}
    assert "NSY107" in units
    assert any("when you are free" in o["text"] for o in plan["obstacles"])
    assert "windows" in [s["constraint"] for s in plan["suggestions"]]


def test_compare_shows_the_closest_alternative_and_one_more_evening(client, campus):
    as_user(client, campus.learner.user)

    answer = ask(client, campus, "compare", formulas="evening_saturday")

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["plan"]["diploma"]["code"] == "CC-ABD"
    assert [p["diploma"]["code"] for p in body["alternatives"]] == ["CC-SYS"]
    assert {v["kind"] for v in body["variations"]} == {"distance", "evening"}
    distance = next(v for v in body["variations"] if v["kind"] == "distance")
    alternative = body["alternatives"][0]
    assert alternative["feasible"] is False
    assert distance["plan"]["feasible"] is True


def test_without_a_diploma_the_plan_aims_at_the_closest_one(client, campus):
    as_user(client, campus.learner.user)

    plan = ask(client, campus, diploma="", weekdays="").json()

    # Three units are left for CC-SYS, four for CC-ABD.
    assert plan["diploma"]["code"] == "CC-SYS"
    assert plan["feasible"] is True


def test_learner_enrols_in_next_terms_units_from_the_plan(client, campus):
    as_user(client, campus.learner.user)

    answer = client.post(
        plan_url(campus, "enrolments")
        + "?diploma=CC-ABD&centres=lyon&weekdays=tue:evening,thu:evening&lang=en"
    )

    assert answer.status_code == 200, answer.json()
    assert {(e["unit"], e["status"]) for e in answer.json()} == {
        ("NSY103", "enrolled"),
        ("NFP107", "enrolled"),
    }
    enrolled = Enrolment.objects.filter(learner=campus.learner, status=EnrolmentStatus.ENROLLED)
    assert {e.offering_id for e in enrolled} == {
        campus.offerings["NSY103-lyon"].pk,
        campus.offerings["NFP107-lyon"].pk,
    }
    # A second click enrols no more, and the plan keeps the enrolments.
    again = client.post(
        plan_url(campus, "enrolments")
        + "?diploma=CC-ABD&centres=lyon&weekdays=tue:evening,thu:evening&lang=en"
    )
    assert again.status_code == 200
    assert enrolled.count() == 2


def test_full_offering_puts_the_learner_on_its_waitlist_from_the_plan(client, db):
    campus = build_campus(capacity=1)
    other = campus.registrar
    from cursus.enrolment import actions as enrolment
    from cursus.enrolment.tests.fixtures import make_learner

    rival = make_learner("A-0000099", campus.lyon)
    enrolment.register(
        actor=other, learner=rival, centre=campus.lyon, academic_year=campus.now.academic_year
    )
    enrolment.enrol(actor=other, learner=rival, offering=campus.offerings["NFP107-lyon"])
    as_user(client, campus.learner.user)

    answer = client.post(
        plan_url(campus, "enrolments") + "?diploma=CC-ABD&centres=lyon&weekdays=" + EVENINGS
    )

    statuses = {e["unit"]: (e["status"], e["position"]) for e in answer.json()}
    assert statuses["NFP107"] == ("waitlisted", 1)
    assert statuses["NSY103"] == ("enrolled", None)


def test_bad_input_names_each_field(client, campus):
    as_user(client, campus.learner.user)

    answer = ask(client, campus, weekdays="someday", formulas="night", centres="atlantis")

    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert set(errors) >= {"weekdays", "formulas", "centres"}


def test_unknown_diploma_is_a_404_naming_the_field(client, campus):
    as_user(client, campus.learner.user)

    answer = ask(client, campus, diploma="NOPE")

    assert answer.status_code == 404
    assert "diploma" in answer.json()["errors"]


def test_staff_plan_for_learners_of_their_centre_only(client, campus):
    as_user(client, campus.lyon_staff)
    assert ask(client, campus).status_code == 200

    as_user(client, campus.paris_staff)
    assert ask(client, campus).status_code == 404


def test_anonymous_cannot_plan(client, campus):
    assert ask(client, campus).status_code == 401


def test_plan_reads_a_fixed_number_of_queries_whatever_the_offerings(
    client, campus, django_assert_num_queries
):
    from cursus.enrolment.tests.fixtures import make_offering

    as_user(client, campus.learner.user)
    ask(client, campus)
    for day in range(5):
        make_offering(campus.units["NFE113"], campus.next, campus.lyon, section=f"S{day}")

    with django_assert_num_queries(19):
        assert ask(client, campus).status_code == 200
