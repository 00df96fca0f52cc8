import pytest
from django.utils import translation

from cursus.catalogue.actions import create_diploma, update_diploma
from cursus.catalogue.models import Diploma
from cursus.catalogue.tests.fixtures import make_unit
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event

pytestmark = pytest.mark.django_db

RULES = """\
code: CC-ABD
version: 2019
title: {fr: "Administrateur de bases de données", en: "Database administrator"}
kind: certificat-competence
requires:
  all:
    - unit: NFA008
      label: prerequisite
    - unit: NSY103
"""


@pytest.fixture
def units(nfa008, department):
    return [nfa008, make_unit("NSY103", department)]


def diploma_values(**overrides):
    values = {
        "code": "CC-ABD",
        "version": 2019,
        "kind": "certificat-competence",
        "title_fr": "Administrateur de bases de données",
        "department": "informatique",
        "rules_text": RULES,
        "first_year": 2019,
    }
    return {**values, **overrides}


def test_create_diploma_with_rules_naming_catalogue_units(registrar, units):
    diploma = create_diploma(actor=registrar, **diploma_values())

    assert diploma.department is not None
    assert diploma.department.slug == "informatique"
    assert diploma.rules_text == RULES
    (event,) = events_about(diploma)
    assert event.kind == "catalogue.diploma_created"
    assert event.data["rules_text"] == RULES


def test_rules_that_do_not_parse_are_refused_with_their_line(registrar, units):
    broken = RULES.replace("    - unit: NSY103", "    - bogus: NSY103")

    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        create_diploma(actor=registrar, **diploma_values(rules_text=broken))

    (message,) = caught.value.errors["rules_text"]
    assert message.startswith("Line 9")
    assert "bogus" in message
    assert Diploma.objects.count() == 0
    assert Event.objects.count() == 0


def test_rules_naming_a_unit_absent_from_the_catalogue_are_refused(registrar, nfa008):
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        create_diploma(actor=registrar, **diploma_values())

    (message,) = caught.value.errors["rules_text"]
    assert "Line 9" in message
    assert "NSY103" in message
    assert Diploma.objects.count() == 0


def test_rules_for_another_diploma_are_refused(registrar, units):
    with pytest.raises(InvalidInput) as caught:
        create_diploma(actor=registrar, **diploma_values(version=2024))

    assert "2019" in caught.value.errors["rules_text"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "cc abd!"}, "code"),
        ({"kind": "doctorate"}, "kind"),
        ({"department": "astrologie"}, "department"),
        ({"title_fr": ""}, "title_fr"),
        ({"first_year": 2019, "last_year": 2010}, "last_year"),
    ],
)
def test_bad_diploma_input_names_the_field(registrar, units, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        create_diploma(actor=registrar, **diploma_values(**overrides))

    assert field in caught.value.errors
    assert Diploma.objects.count() == 0


def test_same_code_and_version_is_a_conflict(registrar, units):
    create_diploma(actor=registrar, **diploma_values())

    with pytest.raises(Conflict):
        create_diploma(actor=registrar, **diploma_values())


def test_only_the_registrar_adds_diplomas(paris_staff, units):
    with pytest.raises(NotAllowed):
        create_diploma(actor=paris_staff, **diploma_values())


def test_update_diploma_checks_the_new_rules(registrar, units):
    diploma = create_diploma(actor=registrar, **diploma_values())
    renamed = RULES.replace("NSY103", "NSY107")

    with pytest.raises(InvalidInput) as caught:
        update_diploma(actor=registrar, diploma=diploma, changes={"rules_text": renamed})

    assert "NSY107" in caught.value.errors["rules_text"][0]
    diploma.refresh_from_db()
    assert diploma.rules_text == RULES


def test_update_diploma_records_the_change(registrar, units):
    diploma = create_diploma(actor=registrar, **diploma_values())

    update_diploma(actor=registrar, diploma=diploma, changes={"national_jury": True})

    update = events_about(diploma).get(kind="catalogue.diploma_updated")
    assert update.data == {"changes": {"national_jury": {"before": False, "after": True}}}


def test_a_diploma_version_never_changes(registrar, units):
    diploma = create_diploma(actor=registrar, **diploma_values())

    with pytest.raises(InvalidInput) as caught:
        update_diploma(actor=registrar, diploma=diploma, changes={"version": 2020})

    assert "version" in caught.value.errors
