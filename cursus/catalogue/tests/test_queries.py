import pytest

from cursus.catalogue import queries
from cursus.catalogue.tests.fixtures import make_offering, make_term, make_unit

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_and_case(nfa008, department):
    make_unit("NSY103", department, title_fr="Linux : principes et programmation")

    found = queries.search_units(queries.UnitFilters(text="DONNEES"))

    assert list(found) == [nfa008]


def test_search_needs_every_word(nfa008, department):
    make_unit("NFA011", department, title_fr="Applications avec les bases de données")

    found = queries.search_units(queries.UnitFilters(text="bases applications"))

    assert [unit.code for unit in found] == ["NFA011"]


def test_search_filters_by_department_ects_and_kind(nfa008, department):
    from cursus.catalogue.tests.fixtures import make_department

    maths = make_department("mathematiques", "Mathématiques")
    make_unit("MVA101", maths, ects=6)
    make_unit("UASI05", department, ects=6, kind="activity")

    def codes(**filters):
        return [unit.code for unit in queries.search_units(queries.UnitFilters(**filters))]

    assert codes(department="mathematiques") == ["MVA101"]
    assert codes(ects=6, kind="activity") == ["UASI05"]
    assert codes(ects=4) == []


def test_offering_search_filters_by_term_centre_formula_weekday_and_unit(
    nfa008, department, term, paris, lyon
):
    spring = make_term(2025, 2)
    nsy103 = make_unit("NSY103", department)
    tuesday_paris = make_offering(nfa008, term, paris, weekday=1)
    make_offering(nfa008, term, lyon, weekday=3)
    make_offering(nsy103, spring, paris, formula="distance", weekday=None)
    make_offering(nsy103, term, paris, weekday=1, published=False)

    def found(**filters):
        return list(queries.search_offerings(queries.OfferingFilters(**filters)))

    assert found(term="2025-S1", centre="paris") == [tuesday_paris]
    assert found(weekday=1) == [tuesday_paris]
    assert [o.unit.code for o in found(formula="distance")] == ["NSY103"]
    assert len(found(unit="nfa008")) == 2
    assert found(term="soon") == []
