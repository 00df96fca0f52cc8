import pytest

from cursus.catalogue.models import Diploma, Offering, Unit
from cursus.catalogue.tests.fixtures import make_offering, make_unit
from cursus.core.actions import create_api_token
from cursus.core.models import Event

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def as_registrar(client, registrar):
    _token, plaintext = create_api_token(user=registrar, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    return client


@pytest.fixture
def as_staff(client, paris_staff):
    client.force_login(paris_staff)
    return client


def post(client, path, payload):
    return client.post(f"{API}{path}", payload, content_type="application/json")


def patch(client, path, payload):
    return client.patch(f"{API}{path}", payload, content_type="application/json")


UNIT = {"code": "NFA011", "title_fr": "Applications", "department": "informatique", "ects": 4}


def test_registrar_creates_a_unit(as_registrar, nfa008):
    answer = post(as_registrar, "/units", {**UNIT, "recommended_prior": ["NFA008"]})

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["code"] == "NFA011"
    assert body["recommended_prior"] == ["NFA008"]
    assert body["offerings"] == []
    assert Event.objects.filter(kind="catalogue.unit_created").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**UNIT, "code": "NF011"}, "code"),
        ({**UNIT, "ects": 0}, "ects"),
        ({**UNIT, "department": "astrologie"}, "department"),
    ],
)
def test_bad_unit_is_refused_naming_the_field(as_registrar, department, payload, field):
    answer = post(as_registrar, "/units", payload)

    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert Unit.objects.count() == 0


def test_schema_errors_name_the_field(as_registrar, department):
    answer = post(as_registrar, "/units", {"code": "NFA011", "ects": "many"})

    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert {"ects", "title_fr", "department"} <= set(errors)
    # Django's own message, in the request's language (French by default).
    assert errors["title_fr"] == ["Ce champ est obligatoire."]


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(as_registrar, department):
    answer = as_registrar.post(f"{API}/units", "{not json", content_type="application/json")

    assert 400 <= answer.status_code < 500
    assert "errors" in answer.json()


def test_taken_code_is_a_409(as_registrar, nfa008):
    answer = post(as_registrar, "/units", {**UNIT, "code": "NFA008"})

    assert answer.status_code == 409
    assert list(answer.json()["errors"]) == ["code"]


def test_others_may_not_write_the_catalogue(as_staff, department):
    answer = post(as_staff, "/units", UNIT)

    assert answer.status_code == 403
    assert "errors" in answer.json()
    assert Unit.objects.count() == 0


def test_anonymous_writes_are_401(client, department):
    assert post(client, "/units", UNIT).status_code == 401
    assert Unit.objects.count() == 0


def test_patch_unit_changes_only_what_is_sent(as_registrar, nfa008):
    answer = patch(as_registrar, "/units/NFA008", {"title_en": "Databases"})

    assert answer.status_code == 200
    nfa008.refresh_from_db()
    assert (nfa008.title_en, nfa008.ects) == ("Databases", 6)


def test_patch_unknown_unit_is_404(as_registrar, db):
    assert patch(as_registrar, "/units/ZZZ999", {"ects": 3}).status_code == 404


OFFERING = {
    "unit": "NFA008",
    "term": "2025-S1",
    "centre": "paris",
    "formula": "evening_saturday",
    "slots": [{"weekday": 1, "starts_at": "18:00", "ends_at": "21:00", "room": "A"}],
}


def test_centre_staff_offer_a_unit_at_their_centre(as_staff, nfa008, term, teacher):
    answer = post(as_staff, "/offerings", {**OFFERING, "teachers": ["Teacher@example.org"]})

    assert answer.status_code == 201, answer.json()
    offering = Offering.objects.get()
    assert list(offering.teachers.all()) == [teacher]
    assert answer.json()["slots"][0]["room"] == "A"


def test_centre_staff_cannot_offer_elsewhere(as_staff, nfa008, term, lyon):
    answer = post(as_staff, "/offerings", {**OFFERING, "centre": "lyon"})

    assert answer.status_code == 403
    assert Offering.objects.count() == 0


def test_slot_ending_before_it_starts_is_named_and_nothing_saved(as_registrar, nfa008, term, paris):
    slots = [{"weekday": 5, "starts_at": "12:00", "ends_at": "09:00"}]

    answer = post(as_registrar, "/offerings", {**OFFERING, "slots": slots})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["slots[0].ends_at"]
    assert Offering.objects.count() == 0


def test_malformed_slot_time_is_named_by_position(as_registrar, nfa008, term, paris):
    slots = [{"weekday": 1, "starts_at": "18:00", "ends_at": "late"}]

    answer = post(as_registrar, "/offerings", {**OFFERING, "slots": slots})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["slots[0].ends_at"]


def test_unknown_teacher_email_is_named(as_registrar, nfa008, term, paris):
    answer = post(as_registrar, "/offerings", {**OFFERING, "teachers": ["nobody@example.org"]})

    assert answer.status_code == 422
    assert "nobody@example.org" in answer.json()["errors"]["teachers"][0]


def test_patch_offering_replaces_slots(as_registrar, nfa008, term, paris):
    offering = make_offering(nfa008, term, paris, weekday=1)

    answer = patch(
        as_registrar,
        f"/offerings/{offering.pk}",
        {"slots": [{"weekday": 5, "starts_at": "09:00", "ends_at": "12:00"}], "capacity": 20},
    )

    assert answer.status_code == 200
    assert [s["weekday"] for s in answer.json()["slots"]] == [5]
    assert answer.json()["capacity"] == 20


RULES = """\
code: CC-ABD
version: 2019
title: {fr: "Administrateur de bases de données", en: "Database administrator"}
requires:
  all:
    - unit: NFA008
    - unit: NSY103
"""


def test_diploma_rules_naming_unknown_units_are_refused_with_the_line(as_registrar, nfa008):
    payload = {
        "code": "CC-ABD",
        "version": 2019,
        "kind": "certificat-competence",
        "title_fr": "Administrateur de bases de données",
        "rules_text": RULES,
        "first_year": 2019,
    }

    refused = post(as_registrar, "/diplomas", payload)
    assert refused.status_code == 422
    # In the request's language: French unless the client asks otherwise.
    assert refused.json()["errors"]["rules_text"][0].startswith("Ligne 7")
    in_english = as_registrar.post(
        f"{API}/diplomas",
        payload,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert in_english.json()["errors"]["rules_text"] == [
        "Line 7: unit NSY103 is not in the catalogue."
    ]

    make_unit("NSY103", nfa008.department)
    created = post(as_registrar, "/diplomas", payload)
    assert created.status_code == 201
    assert created.json()["rules_text"] == RULES
    assert Diploma.objects.count() == 1
    assert as_registrar.get(f"{API}/diplomas/cc-abd/2019").status_code == 200
    changed = patch(as_registrar, "/diplomas/CC-ABD/2019", {"national_jury": True})
    assert changed.json()["national_jury"] is True


def test_terms_centres_departments_and_institutes_are_written_by_the_registrar(as_registrar):
    dates = {
        "starts_on": "2026-02-09",
        "ends_on": "2026-06-05",
        "enrolment_opens_on": "2025-12-01",
        "enrolment_closes_on": "2026-02-20",
        "withdrawal_deadline": "2026-03-06",
        "session1_starts_on": "2026-06-10",
        "session1_ends_on": "2026-06-21",
        "session2_starts_on": "2026-09-08",
        "session2_ends_on": "2026-09-13",
    }
    term = post(as_registrar, "/terms", {"start_year": 2025, "semester": 2, **dates})
    assert term.status_code == 201, term.json()
    assert term.json()["code"] == "2025-S2"
    moved = patch(as_registrar, "/terms/2025-S2", {"ends_on": "2026-05-29"})
    assert moved.json()["ends_on"] == "2026-05-29"
    backwards = patch(as_registrar, "/terms/2025-S2", {"ends_on": "2026-01-01"})
    assert list(backwards.json()["errors"]) == ["ends_on"]

    centre = {"code": "lille", "name": "Lille", "kind": "regional", "city": "Lille"}
    assert post(as_registrar, "/centres", centre).status_code == 201
    assert patch(as_registrar, "/centres/lille", {"region": "Hauts-de-France"}).status_code == 200
    department = {"slug": "maths", "name_fr": "Mathématiques", "name_en": "Mathematics"}
    assert post(as_registrar, "/departments", department).status_code == 201
    assert patch(as_registrar, "/departments/maths", {"name_en": "Maths"}).status_code == 200
    institute = {"code": "intec", "name": "Intec", "sector": "Comptabilité", "centres": ["lille"]}
    assert post(as_registrar, "/institutes", institute).json()["centres"] == ["lille"]
    assert patch(as_registrar, "/institutes/intec", {"centres": []}).json()["centres"] == []
