import pytest

from cursus.catalogue.actions import create_unit, update_unit, validate_unit
from cursus.catalogue.models import Unit
from cursus.catalogue.tests.fixtures import make_unit
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event

pytestmark = pytest.mark.django_db


def unit_values(**overrides):
    values = {
        "code": "NFA011",
        "title_fr": "Développement d'applications avec les bases de données",
        "title_en": "Database application development",
        "department": "informatique",
        "ects": 4,
    }
    return {**values, **overrides}


def test_create_unit_saves_it_searchable_and_records_the_event(registrar, department, nfa008):
    unit = create_unit(actor=registrar, **unit_values(recommended_prior=["nfa008"]))

    unit.refresh_from_db()
    assert unit.department == department
    assert "developpement" in unit.search_text
    assert "nfa011" in unit.search_text
    assert list(unit.recommended_prior.values_list("code", flat=True)) == ["NFA008"]
    (event,) = events_about(unit)
    assert event.kind == "catalogue.unit_created"
    assert event.actor == registrar
    assert event.data["code"] == "NFA011"
    assert event.data["department"] == "informatique"
    assert event.data["recommended_prior"] == ["NFA008"]


def test_unit_code_is_written_in_capitals(registrar, department):
    assert create_unit(actor=registrar, **unit_values(code=" nfa011 ")).code == "NFA011"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "NF0008"}, "code"),
        ({"code": "NFA0081"}, "code"),
        ({"ects": 0}, "ects"),
        ({"ects": -3}, "ects"),
        ({"department": "astrologie"}, "department"),
        ({"title_fr": ""}, "title_fr"),
        ({"kind": "seminar"}, "kind"),
        ({"recommended_prior": ["ZZZ999"]}, "recommended_prior"),
        ({"replaces": ["NFA011"]}, "replaces"),
        ({"first_year": 2020, "last_year": 2019}, "last_year"),
    ],
)
def test_bad_unit_input_names_the_field_and_saves_nothing(registrar, department, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        create_unit(actor=registrar, **unit_values(**overrides))

    assert field in caught.value.errors
    assert all(caught.value.errors[field])
    assert Unit.objects.count() == 0
    assert Event.objects.count() == 0


def test_every_faulty_field_is_named_at_once(registrar, department):
    with pytest.raises(InvalidInput) as caught:
        create_unit(actor=registrar, **unit_values(code="bad", ects=0, department="nowhere"))

    assert {"code", "ects", "department"} <= set(caught.value.errors)


def test_unknown_department_is_named_in_the_message(registrar, department):
    with pytest.raises(InvalidInput) as caught:
        create_unit(actor=registrar, **unit_values(department="astrologie"))

    assert "astrologie" in caught.value.errors["department"][0]


def test_taken_unit_code_is_a_conflict_on_code(registrar, nfa008):
    with pytest.raises(Conflict) as caught:
        create_unit(actor=registrar, **unit_values(code="NFA008"))

    assert caught.value.field == "code"
    assert Unit.objects.count() == 1


def test_only_the_registrar_adds_units(paris_staff, teacher, department):
    for user in (paris_staff, teacher):
        with pytest.raises(NotAllowed):
            create_unit(actor=user, **unit_values())
    assert Unit.objects.count() == 0


def test_update_unit_records_before_and_after_of_changed_fields_only(registrar, nfa008):
    update_unit(
        actor=registrar,
        unit=nfa008,
        changes={"ects": 8, "title_fr": "Bases de données", "title_en": "Databases"},
    )

    nfa008.refresh_from_db()
    assert nfa008.ects == 8
    assert "databases" in nfa008.search_text
    (event,) = events_about(nfa008)
    assert event.kind == "catalogue.unit_updated"
    assert event.data == {
        "changes": {
            "ects": {"before": 6, "after": 8},
            "title_en": {"before": "", "after": "Databases"},
        }
    }


def test_update_unit_with_nothing_new_records_nothing(registrar, nfa008):
    update_unit(actor=registrar, unit=nfa008, changes={"ects": 6})

    assert not events_about(nfa008).exists()


def test_update_unit_refuses_bad_input_and_keeps_the_unit(registrar, nfa008):
    with pytest.raises(InvalidInput) as caught:
        update_unit(actor=registrar, unit=nfa008, changes={"ects": 0, "title_en": "Databases"})

    assert set(caught.value.errors) == {"ects"}
    nfa008.refresh_from_db()
    assert (nfa008.ects, nfa008.title_en) == (6, "")
    assert not events_about(nfa008).exists()


def test_a_unit_code_never_changes(registrar, nfa008):
    with pytest.raises(InvalidInput) as caught:
        update_unit(actor=registrar, unit=nfa008, changes={"code": "NFA009"})

    assert "code" in caught.value.errors


def test_update_unit_links_the_units_it_replaces(registrar, department, nfa008):
    old = make_unit("NFA001", department)

    update_unit(actor=registrar, unit=nfa008, changes={"replaces": ["NFA001"]})

    assert list(old.replaced_by.all()) == [nfa008]
    (event,) = events_about(nfa008)
    assert event.data["changes"]["replaces"] == {"before": [], "after": ["NFA001"]}


def test_validate_unit_checks_without_saving(department, nfa008):
    validate_unit(values=unit_values())
    with pytest.raises(InvalidInput):
        validate_unit(values={"ects": 0}, unit=nfa008)

    assert Unit.objects.count() == 1
    nfa008.refresh_from_db()
    assert nfa008.ects == 6
