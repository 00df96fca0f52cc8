"""A small institution with learners enrolled, for the records' tests (shared with the API's)."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from cursus.catalogue.models import Centre, Offering, Term
from cursus.catalogue.tests.fixtures import make_offering, make_term, make_unit, make_user
from cursus.core.models import Role, User
from cursus.enrolment.models import (
    Enrolment,
    EnrolmentStatus,
    Learner,
    Registration,
    Tariff,
    TariffBasis,
)

_numbers = count(1)


def make_learner(centre: Centre, *, last_name: str = "Martin", user: User | None = None) -> Learner:
    n = next(_numbers)
    return Learner.objects.create(
        number=f"A-8{n:06d}",
        first_name=f"Prénom{n}",
        last_name=last_name,
        home_centre=centre,
        user=user,
    )


def enrol(
    learner: Learner, offering: Offering, status: str = EnrolmentStatus.ENROLLED
) -> Enrolment:
    year = offering.term.academic_year
    tariff, _ = Tariff.objects.get_or_create(
        academic_year=year,
        centre=None,
        defaults={
            "basis": TariffBasis.PER_UNIT,
            "registration_fee": Decimal(100),
            "full_amount": Decimal(200),
            "reduced_amount": Decimal(100),
            "employer_amount": Decimal(400),
        },
    )
    registration, _ = Registration.objects.get_or_create(
        learner=learner,
        academic_year=year,
        defaults={"centre": offering.centre, "tariff": tariff, "fee": Decimal(100)},
    )
    now = timezone.now()
    return Enrolment.objects.create(
        learner=learner,
        offering=offering,
        registration=registration,
        unit=offering.unit,
        term=offering.term,
        status=status,
        enrolled_at=now if status == EnrolmentStatus.ENROLLED else None,
        ended_at=now if status in {EnrolmentStatus.WITHDRAWN, EnrolmentStatus.CANCELLED} else None,
    )


def old_term(start_year: int = 2019) -> Term:
    return make_term(start_year)


@pytest.fixture
def offering(nfa008, term, paris, teacher) -> Offering:
    offering = make_offering(nfa008, term, paris)
    offering.teachers.add(teacher)
    return offering


@pytest.fixture
def learners(offering, paris) -> list[Learner]:
    names = ["Bernard", "Durand", "Petit"]
    people = [make_learner(paris, last_name=name) for name in names]
    for learner in people:
        enrol(learner, offering)
    return people


@pytest.fixture
def learner_user(db) -> User:
    return make_user("learner@example.org", first_name="Léa", last_name="Bernard")


@pytest.fixture
def lyon_staff(lyon) -> User:
    return make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)


@pytest.fixture
def other_teacher(db) -> User:
    return make_user("other.teacher@example.org", Role.TEACHER)


@pytest.fixture
def nsy103(department):
    return make_unit("NSY103", department, title_fr="Linux : principes et programmation")


__all__ = ["date", "enrol", "make_learner", "old_term"]
