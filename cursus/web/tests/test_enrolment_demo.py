"""The demo institution's current year: registrations, enrolments, waitlists, agreements."""

import pytest
from django.db.models import Count, Q

from cursus.catalogue.models import Offering
from cursus.core.events import verify_chain
from cursus.core.models import Role, RoleAssignment
from cursus.demo.builder import build_demo
from cursus.demo.steps.calendar import REFERENCE_DAY
from cursus.enrolment.models import (
    AgreementStatus,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Registration,
    TrainingAgreement,
    TrainingContract,
)

pytestmark = pytest.mark.django_db


def test_demo_year_has_enrolments_waitlists_and_agreements_in_every_status():
    build_demo(seed=1)
    year = REFERENCE_DAY.year
    enrolled = Enrolment.objects.filter(
        term__academic_year__start_year=year, status=EnrolmentStatus.ENROLLED
    )
    # Seven learners in ten study in the evening (a few at a distance or in daytime), three in
    # institutes; institute programmes hold more units a year, so they weigh more in enrolments.
    evening = enrolled.filter(offering__formula="evening_saturday").count()
    institute = enrolled.filter(offering__formula="institute").count()
    assert 0.45 < evening / enrolled.count() < 0.75
    assert 0.2 < institute / enrolled.count() < 0.5
    assert enrolled.filter(offering__formula="daytime", agreement__isnull=False).exists()
    assert enrolled.filter(offering__formula="institute").exists()

    full = Offering.objects.annotate(
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
        held=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
    ).filter(waiting__gt=0)
    assert full.exists()
    assert all(offering.held == offering.capacity for offering in full)

    demo = Learner.objects.get(number="A-0000001")
    assert demo.enrolments.filter(status=EnrolmentStatus.WAITLISTED).exists()
    assert Registration.objects.filter(learner=demo, academic_year__start_year=year).count() == 1
    awaiting = TrainingAgreement.objects.get(learner=demo)
    assert awaiting.status == AgreementStatus.SENT
    assert RoleAssignment.objects.filter(
        role=Role.EMPLOYER_CONTACT, employer=awaiting.employer, user=awaiting.employer_contact
    ).exists()
    assert set(TrainingAgreement.objects.values_list("status", flat=True)) == set(
        AgreementStatus.values
    )
    assert TrainingContract.objects.filter(withdrawal_ends_on__isnull=False).exists()

    for registration in Registration.objects.filter(
        academic_year__start_year=year
    ).prefetch_related("funding"):
        assert sum(share.amount for share in registration.funding.all()) == registration.fee
    assert verify_chain() is None
