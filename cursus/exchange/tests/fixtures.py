"""A small institution with a past term, for the import's tests."""

from decimal import Decimal

import pytest

from cursus.catalogue.models import Formula, Offering, Term, Unit
from cursus.catalogue.tests.fixtures import make_offering, make_term, make_unit
from cursus.enrolment.models import Learner, Tariff, TariffBasis

PAST_YEAR = 2024


@pytest.fixture
def term(db) -> Term:
    return make_term(PAST_YEAR)


@pytest.fixture
def tariff(term) -> Tariff:
    return Tariff.objects.create(
        academic_year=term.academic_year,
        centre=None,
        basis=TariffBasis.PER_UNIT,
        registration_fee=Decimal(100),
        full_amount=Decimal(200),
        reduced_amount=Decimal(100),
        employer_amount=Decimal(400),
    )


@pytest.fixture
def nsy103(department) -> Unit:
    return make_unit("NSY103", department)


@pytest.fixture
def offering(nfa008, term, paris, tariff) -> Offering:
    return make_offering(nfa008, term, paris)


@pytest.fixture
def other_offering(nsy103, term, lyon, tariff) -> Offering:
    return make_offering(nsy103, term, lyon)


@pytest.fixture
def learners(paris, lyon) -> list[Learner]:
    return [
        Learner.objects.create(
            number=f"A-{n:07d}", first_name="Léa", last_name=f"Nom{n}", home_centre=centre
        )
        for n, centre in ((1, paris), (2, paris), (3, lyon))
    ]


def result_row(
    number: str, offering: Offering, session: int, grade: str, **extra: str
) -> dict[str, str]:
    return {
        "learner": number,
        "unit": offering.unit.code,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "formula": offering.formula or Formula.EVENING_SATURDAY,
        "section": offering.section,
        "session": str(session),
        "grade": grade,
        **extra,
    }
