from datetime import date

import pytest

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from cursus.core.events import events_about
from cursus.core.models import Event, Role
from cursus.enrolment import queries
from cursus.enrolment.actions import (
    create_employer,
    create_learner,
    next_learner_number,
    update_learner,
)
from cursus.enrolment.models import Employer, Learner

pytestmark = pytest.mark.django_db

SCHOOL_INE = "0123456789M"  # 123456789 mod 23 = 11 → M


def open_file(actor, **overrides):
    values = {"first_name": "Alice", "last_name": "Martin", "home_centre": "paris"}
    return create_learner(actor=actor, **{**values, **overrides})


def test_numbers_are_given_in_sequence(registrar, paris):
    first = open_file(registrar)
    second = open_file(registrar, first_name="Bob")

    assert (first.number, second.number) == ("A-0000001", "A-0000002")
    assert next_learner_number() == "A-0000003"


def test_an_imported_number_is_kept(registrar, paris):
    assert open_file(registrar, number="1999-00042").number == "1999-00042"
    assert open_file(registrar).number == "A-0000001"


def test_a_valid_ine_is_stored_normalised(registrar, paris):
    learner = open_file(registrar, ine=" 0123456789m ")

    assert learner.ine == SCHOOL_INE


@pytest.mark.parametrize("ine", ["0123456789A", "12345", "ABCDEFGHIJK"])
def test_a_malformed_ine_is_refused_on_ine_and_nothing_is_saved(registrar, paris, ine):
    with pytest.raises(InvalidInput) as caught:
        open_file(registrar, ine=ine)

    assert list(caught.value.errors) == ["ine"]
    assert Learner.objects.count() == 0
    assert Event.objects.count() == 0


def test_an_ine_belongs_to_one_file(registrar, paris):
    open_file(registrar, ine=SCHOOL_INE)

    with pytest.raises(Conflict) as caught:
        open_file(registrar, ine=SCHOOL_INE, first_name="Other")
    assert caught.value.field == "ine"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"home_centre": "atlantis"}, "home_centre"),
        ({"first_name": ""}, "first_name"),
        ({"email": "not-an-address"}, "email"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date"),
        ({"employer": "73282932000075"}, "employer"),
    ],
)
def test_bad_learner_input_names_the_field(registrar, paris, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        open_file(registrar, **overrides)

    assert field in caught.value.errors
    assert Learner.objects.count() == 0


def test_the_employer_is_found_by_siret(registrar, paris):
    acme = create_employer(actor=registrar, name="Acme", siret="732 829 320 00074")

    assert open_file(registrar, employer="73282932000074").employer == acme


def test_centre_staff_open_files_at_their_centre_only(paris_staff, lyon):
    assert open_file(paris_staff).home_centre.code == "paris"

    with pytest.raises(NotAllowed):
        open_file(paris_staff, home_centre="lyon")
    assert Learner.objects.count() == 1


def test_teachers_do_not_open_files(teacher, paris):
    with pytest.raises(NotAllowed):
        open_file(teacher)


def test_the_event_names_changed_fields_without_personal_data(registrar, paris):
    learner = open_file(registrar, birth_date=date(1980, 5, 17))

    update_learner(
        actor=registrar,
        learner=learner,
        changes={"phone": "01 40 27 20 00", "birth_date": date(1980, 5, 18), "last_name": "Martin"},
    )

    created, updated = events_about(learner)
    assert created.data == {"number": "A-0000001", "home_centre": "paris"}
    assert updated.data == {"number": "A-0000001", "changed": ["birth_date", "phone"]}
    assert "1980" not in str(updated.data)


def test_update_learner_refuses_a_bad_ine_and_keeps_the_file(registrar, paris):
    learner = open_file(registrar, ine=SCHOOL_INE)

    with pytest.raises(InvalidInput) as caught:
        update_learner(actor=registrar, learner=learner, changes={"ine": "0123456789A"})

    assert list(caught.value.errors) == ["ine"]
    learner.refresh_from_db()
    assert learner.ine == SCHOOL_INE


def test_a_learner_number_never_changes(registrar, paris):
    learner = open_file(registrar)

    with pytest.raises(InvalidInput):
        update_learner(actor=registrar, learner=learner, changes={"number": "A-9999999"})


def test_staff_of_another_centre_cannot_change_a_file(registrar, paris, lyon):
    learner = open_file(registrar)
    lyon_staff = make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)

    with pytest.raises(NotAllowed):
        update_learner(actor=lyon_staff, learner=learner, changes={"phone": "1"})


def test_home_centre_staff_may_move_a_file_to_another_centre(paris_staff, lyon):
    learner = open_file(paris_staff)

    update_learner(actor=paris_staff, learner=learner, changes={"home_centre": "lyon"})

    learner.refresh_from_db()
    assert learner.home_centre == lyon


def test_a_bad_siret_is_refused_on_siret(registrar):
    with pytest.raises(InvalidInput) as caught:
        create_employer(actor=registrar, name="Acme", siret="73282932000075")

    assert list(caught.value.errors) == ["siret"]
    assert Employer.objects.count() == 0


def test_learner_file_is_read_within_scope(registrar, paris_staff, lyon, teacher):
    learner = open_file(registrar)

    assert queries.learner_file(paris_staff, learner.number) == learner
    with pytest.raises(NotFound):
        queries.learner_file(teacher, learner.number)
