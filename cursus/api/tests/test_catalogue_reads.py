import pytest

from cursus.catalogue import queries
from cursus.catalogue.models import Institute
from cursus.catalogue.tests.fixtures import make_department, make_offering, make_term, make_unit

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def many_units(department):
    maths = make_department("mathematiques", "Mathématiques")
    units = [make_unit(f"NFA{n:03d}", department, ects=4) for n in range(10, 16)]
    units += [make_unit(f"MVA{n:03d}", maths, ects=6) for n in range(101, 105)]
    return units


def test_units_are_public_and_paginated(client, many_units):
    answer = client.get(f"{API}/units", {"limit": 3, "offset": 2})

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 10
    assert (body["limit"], body["offset"]) == (3, 2)
    assert [unit["code"] for unit in body["items"]] == ["MVA103", "MVA104", "NFA010"]
    assert [unit["department"] for unit in body["items"]][-1] == "informatique"


def test_unit_search_ignores_accents(client, nfa008, many_units):
    answer = client.get(f"{API}/units", {"q": "donnees"})

    assert [unit["code"] for unit in answer.json()["items"]] == ["NFA008"]


def test_units_filter_by_department_ects_and_kind(client, many_units):
    by_department = client.get(f"{API}/units", {"department": "mathematiques"}).json()
    by_ects = client.get(f"{API}/units", {"ects": 4, "kind": "course"}).json()

    assert by_department["count"] == 4
    assert by_ects["count"] == 6


def test_page_size_has_a_maximum(client, many_units):
    answer = client.get(f"{API}/units", {"limit": 1000})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["limit"]


def test_unit_detail_says_where_it_is_offered(client, nfa008, term, paris, lyon):
    make_offering(nfa008, term, paris)
    make_offering(nfa008, term, lyon, formula="daytime", weekday=None)

    body = client.get(f"{API}/units/nfa008").json()

    assert body["title_fr"] == "Bases de données"
    assert sorted((o["centre"], o["formula"]) for o in body["offerings"]) == [
        ("lyon", "daytime"),
        ("paris", "evening_saturday"),
    ]
    assert body["offerings"][0]["term"] == "2025-S1"


def test_unknown_unit_is_a_json_404(client, db):
    answer = client.get(f"{API}/units/ZZZ999")

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["__all__"]


@pytest.mark.usefixtures("term")
def test_offerings_filter_by_term_centre_formula_weekday_unit_and_institute(
    client, nfa008, department, paris, lyon
):
    term = queries.term_by_code("2025-S1")
    intec = Institute.objects.create(code="intec", name="Intec", sector="Comptabilité")
    spring = make_term(2025, 2)
    nsy103 = make_unit("NSY103", department)
    tuesday = make_offering(nfa008, term, paris, weekday=1)
    make_offering(nfa008, term, lyon, weekday=3)
    make_offering(nsy103, spring, paris, formula="institute", institute=intec, weekday=5)

    def ids(**filters):
        answer = client.get(f"{API}/offerings", filters)
        assert answer.status_code == 200, answer.json()
        return [offering["id"] for offering in answer.json()["items"]]

    assert ids(term="2025-S1", centre="paris") == [tuesday.pk]
    assert ids(weekday=1) == [tuesday.pk]
    assert ids(formula="evening_saturday", unit="NFA008", centre="lyon") != [tuesday.pk]
    assert len(ids(institute="intec")) == 1
    assert len(ids(unit="NSY103", formula="institute")) == 1
    assert ids(term="2024-S2") == []


def test_offering_filters_are_validated(client, db):
    answer = client.get(f"{API}/offerings", {"term": "autumn", "weekday": 9})

    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"term", "weekday"}


def test_offering_detail_shows_slots(client, nfa008, term, paris):
    offering = make_offering(nfa008, term, paris, weekday=1)

    body = client.get(f"{API}/offerings/{offering.pk}").json()

    assert body["slots"] == [
        {"weekday": 1, "starts_at": "18:00:00", "ends_at": "21:00:00", "room": ""}
    ]


def test_unpublished_offering_is_not_public(client, nfa008, term, paris):
    offering = make_offering(nfa008, term, paris, published=False)

    assert client.get(f"{API}/offerings/{offering.pk}").status_code == 404


def test_departments_centres_institutes_terms_and_diplomas_are_listed(
    client, department, paris, lyon, term
):
    Institute.objects.create(code="intec", name="Intec", sector="Comptabilité").centres.add(paris)

    assert client.get(f"{API}/departments").json()["items"][0]["slug"] == "informatique"
    assert client.get(f"{API}/centres", {"kind": "regional"}).json()["items"][0]["code"] == "lyon"
    assert client.get(f"{API}/institutes").json()["items"][0]["centres"] == ["paris"]
    assert client.get(f"{API}/terms").json()["items"][0]["code"] == "2025-S1"
    assert client.get(f"{API}/terms/2025-S1").json()["start_year"] == 2025
    assert client.get(f"{API}/diplomas").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }
