from datetime import time

import pytest
from django.db import IntegrityError, transaction

from cursus.catalogue.models import OfferingSlot, Unit
from cursus.catalogue.tests.fixtures import make_offering

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ects", [0, -4])
def test_the_database_refuses_a_unit_without_credits(department, ects):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="NFA999", title_fr="Sans crédits", department=department, ects=ects
        )


def test_the_database_refuses_a_unit_last_taught_before_it_started(department):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="NFA999",
            title_fr="T",
            department=department,
            ects=3,
            first_year=2020,
            last_year=2010,
        )


def test_the_database_refuses_a_slot_ending_before_it_starts(nfa008, term, paris):
    offering = make_offering(nfa008, term, paris, weekday=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferingSlot.objects.create(
            offering=offering, weekday=0, starts_at=time(21), ends_at=time(18)
        )
