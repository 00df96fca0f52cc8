from datetime import date

import pytest

from cursus.catalogue.actions import (
    create_centre,
    create_department,
    create_institute,
    create_term,
    update_centre,
    update_department,
    update_institute,
    update_term,
)
from cursus.catalogue.models import AcademicYear, Centre, Department, Institute, Term
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event

pytestmark = pytest.mark.django_db


def term_dates(**overrides):
    values = {
        "starts_on": date(2026, 2, 9),
        "ends_on": date(2026, 6, 5),
        "enrolment_opens_on": date(2025, 12, 1),
        "enrolment_closes_on": date(2026, 2, 20),
        "withdrawal_deadline": date(2026, 3, 6),
        "session1_starts_on": date(2026, 6, 10),
        "session1_ends_on": date(2026, 6, 21),
        "session2_starts_on": date(2026, 9, 8),
        "session2_ends_on": date(2026, 9, 13),
    }
    return {**values, **overrides}


def test_create_department_and_rename_it(registrar):
    department = create_department(
        actor=registrar, slug="mathematiques", name_fr="Mathématiques", name_en="Mathematics"
    )
    update_department(actor=registrar, department=department, changes={"name_en": "Maths"})

    department.refresh_from_db()
    assert department.name_en == "Maths"
    assert [e.kind for e in events_about(department)] == [
        "catalogue.department_created",
        "catalogue.department_updated",
    ]


def test_department_slug_must_be_lower_case(registrar):
    with pytest.raises(InvalidInput) as caught:
        create_department(actor=registrar, slug="Maths!", name_fr="M", name_en="M")

    assert "slug" in caught.value.errors
    assert Department.objects.count() == 0


def test_department_slug_is_taken_once(registrar, department):
    with pytest.raises(Conflict) as caught:
        create_department(actor=registrar, slug="informatique", name_fr="I", name_en="I")

    assert caught.value.field == "slug"


def test_create_centre_checks_time_zone_and_country(registrar):
    with pytest.raises(InvalidInput) as caught:
        create_centre(
            actor=registrar,
            code="beyrouth",
            name="Beyrouth",
            kind="abroad",
            city="Beyrouth",
            country="lb",
            time_zone="Asia/Atlantis",
        )

    assert set(caught.value.errors) == {"country", "time_zone"}
    assert Centre.objects.count() == 0

    centre = create_centre(
        actor=registrar,
        code="beyrouth",
        name="Beyrouth",
        kind="abroad",
        city="Beyrouth",
        country="LB",
        time_zone="Asia/Beirut",
    )
    assert centre.time_zone == "Asia/Beirut"


def test_centre_code_never_changes(registrar, paris):
    with pytest.raises(InvalidInput):
        update_centre(actor=registrar, centre=paris, changes={"code": "lutece"})
    update_centre(actor=registrar, centre=paris, changes={"region": "Île-de-France"})

    paris.refresh_from_db()
    assert paris.region == "Île-de-France"


def test_create_institute_at_named_centres(registrar, paris, lyon):
    institute = create_institute(
        actor=registrar, code="intec", name="Intec", sector="Comptabilité", centres=["paris"]
    )
    assert list(institute.centres.all()) == [paris]

    update_institute(actor=registrar, institute=institute, changes={"centres": ["lyon", "paris"]})
    assert set(institute.centres.all()) == {paris, lyon}
    update = events_about(institute).get(kind="catalogue.institute_updated")
    assert update.data["changes"]["centres"] == {"before": ["paris"], "after": ["lyon", "paris"]}


def test_institute_at_unknown_centre_is_refused(registrar, paris):
    with pytest.raises(InvalidInput) as caught:
        create_institute(
            actor=registrar, code="intec", name="Intec", sector="Compta", centres=["atlantis"]
        )

    assert "atlantis" in caught.value.errors["centres"][0]
    assert Institute.objects.count() == 0


def test_create_term_creates_its_academic_year(registrar):
    term = create_term(actor=registrar, start_year=2025, semester=2, **term_dates())

    assert term.code == "2025-S2"
    year = AcademicYear.objects.get()
    assert (year.starts_on, year.ends_on) == (date(2025, 9, 1), date(2026, 8, 31))
    (event,) = events_about(term)
    assert event.data["code"] == "2025-S2"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": date(2026, 2, 1)}, "ends_on"),
        ({"enrolment_closes_on": date(2025, 11, 1)}, "enrolment_closes_on"),
        ({"session1_ends_on": date(2026, 6, 1)}, "session1_ends_on"),
        ({"session2_starts_on": date(2026, 6, 15)}, "session2_starts_on"),
        ({"session2_ends_on": date(2026, 9, 1)}, "session2_ends_on"),
    ],
)
def test_term_dates_out_of_order_are_named_and_nothing_is_saved(registrar, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        create_term(actor=registrar, start_year=2025, semester=2, **term_dates(**overrides))

    assert field in caught.value.errors
    assert Term.objects.count() == 0
    assert AcademicYear.objects.count() == 0
    assert Event.objects.count() == 0


def test_semester_and_year_are_checked(registrar):
    with pytest.raises(InvalidInput) as caught:
        create_term(actor=registrar, start_year=25, semester=3, **term_dates())

    assert set(caught.value.errors) == {"start_year", "semester"}


def test_a_semester_exists_once(registrar, term):
    with pytest.raises(Conflict) as caught:
        create_term(actor=registrar, start_year=2025, semester=1, **term_dates())

    assert caught.value.field == "semester"


def test_update_term_moves_dates(registrar, term):
    update_term(actor=registrar, term=term, changes={"ends_on": date(2026, 1, 31)})

    term.refresh_from_db()
    assert term.ends_on == date(2026, 1, 31)


def test_only_the_registrar_shapes_the_organisation(paris_staff):
    with pytest.raises(NotAllowed):
        create_department(actor=paris_staff, slug="x", name_fr="X", name_en="X")
    with pytest.raises(NotAllowed):
        create_term(actor=paris_staff, start_year=2025, semester=2, **term_dates())
