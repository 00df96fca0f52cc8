"""Builders for tests of registration and enrolment: terms open today, tariffs, learners."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.catalogue.tests.fixtures import make_centre, make_department, make_unit, make_user
from cursus.core.models import Role, RoleAssignment, User
from cursus.enrolment import actions
from cursus.enrolment.models import Employer, Learner, Registration, Tariff, TrainingAgreement

ACME_SIRET = "73282932000074"
OTHER_SIRET = "44306184100047"


def make_open_term(
    start_year: int = 2025,
    semester: int = 1,
    *,
    opens: int = -10,
    closes: int = 10,
    deadline: int = 20,
) -> Term:
    """Return a term whose enrolment window and withdrawal deadline are set around today."""
    today = timezone.localdate()
    year, _ = AcademicYear.objects.get_or_create(
        start_year=start_year,
        defaults={"starts_on": date(start_year, 9, 1), "ends_on": date(start_year + 1, 8, 31)},
    )
    starts = today - timedelta(days=5)
    ends = today + timedelta(days=120)
    return Term.objects.create(
        academic_year=year,
        semester=semester,
        starts_on=starts,
        ends_on=ends,
        enrolment_opens_on=today + timedelta(days=opens),
        enrolment_closes_on=today + timedelta(days=closes),
        withdrawal_deadline=today + timedelta(days=deadline),
        session1_starts_on=ends + timedelta(days=1),
        session1_ends_on=ends + timedelta(days=10),
        session2_starts_on=ends + timedelta(days=40),
        session2_ends_on=ends + timedelta(days=50),
    )


def make_tariff(year: AcademicYear, centre: Centre | None = None, **amounts) -> Tariff:
    values = {
        "basis": "per_ects",
        "registration_fee": Decimal("100.00"),
        "full_amount": Decimal("50.00"),
        "reduced_amount": Decimal("25.00"),
        "employer_amount": Decimal("80.00"),
        **amounts,
    }
    return Tariff.objects.create(academic_year=year, centre=centre, **values)


def make_learner(number: str, centre: Centre, *, first_name: str = "", **extra) -> Learner:
    """Return a learner with an account of their own."""
    first_name = first_name or f"Learner{number[-3:]}"
    user = User.objects.create_user(f"{number.lower()}@example.org", "pw", first_name=first_name)
    return Learner.objects.create(
        number=number,
        user=user,
        first_name=first_name,
        last_name="Martin",
        email=f"{number.lower()}@example.org",
        home_centre=centre,
        **extra,
    )


def make_offering(
    unit: Unit,
    term: Term,
    centre: Centre,
    *,
    formula: str = "evening_saturday",
    capacity: int | None = None,
    slots: tuple[tuple[int, time, time], ...] = ((1, time(18), time(21)),),
    blocks: tuple[tuple[date, date], ...] = (),
    section: str = "",
) -> Offering:
    offering = Offering.objects.create(
        unit=unit, term=term, centre=centre, formula=formula, capacity=capacity, section=section
    )
    for weekday, starts_at, ends_at in slots:
        OfferingSlot.objects.create(
            offering=offering, weekday=weekday, starts_at=starts_at, ends_at=ends_at
        )
    for starts_on, ends_on in blocks:
        OfferingBlock.objects.create(offering=offering, starts_on=starts_on, ends_on=ends_on)
    return offering


@dataclass
class World:
    """A small institution: two centres, a term open for enrolment, units, offerings, people."""

    paris: Centre
    lyon: Centre
    term: Term
    tariff: Tariff
    registrar: User
    paris_staff: User
    lyon_staff: User
    teacher: User
    units: dict[str, Unit]
    evening: Offering  # NFA008, Paris, evenings, 2 places
    distance: Offering  # NFA011, distance from Paris, no limit
    daytime: Offering  # NSY103, Paris, daytime
    alice: Learner  # home centre Lyon, registered for the year
    bob: Learner  # home centre Paris, registered
    carol: Learner  # home centre Paris, registered
    dan: Learner  # home centre Paris, not registered
    acme: Employer
    contact: User
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def year(self) -> AcademicYear:
        return self.term.academic_year

    def register(self, learner: Learner, centre: Centre | None = None, **options) -> Registration:
        return actions.register(
            actor=self.registrar,
            learner=learner,
            centre=centre or learner.home_centre,
            academic_year=self.year,
            **options,
        )

    def signed_agreement(self, learner: Learner, *offerings: Offering) -> TrainingAgreement:
        agreement = actions.create_agreement(
            actor=self.registrar,
            employer=self.acme,
            employer_contact=self.contact,
            learner=learner,
            offerings=list(offerings or [self.daytime]),
            title="Systèmes d'exploitation",
            objective="Administrer des systèmes Unix.",
            content="Processus, mémoire, fichiers.",
            assessment="Examen écrit de 3 heures.",
            hours=60,
        )
        actions.send_agreement(actor=self.registrar, agreement=agreement)
        actions.sign_agreement_as_employer(actor=self.contact, agreement=agreement)
        return actions.sign_agreement_as_institution(actor=self.registrar, agreement=agreement)


def build_world() -> World:
    paris = make_centre()
    lyon = make_centre("lyon", "Lyon", "regional")
    term = make_open_term()
    tariff = make_tariff(term.academic_year)
    department = make_department()
    units = {
        code: make_unit(code, department, ects=ects)
        for code, ects in (("NFA008", 6), ("NFA011", 4), ("NSY103", 6), ("NFE113", 6))
    }
    units["NFA011"].recommended_prior.add(units["NFA008"])
    evening = make_offering(units["NFA008"], term, paris, capacity=2)
    distance = make_offering(
        units["NFA011"], term, paris, formula="distance", slots=((2, time(19), time(20, 30)),)
    )
    daytime = make_offering(
        units["NSY103"],
        term,
        paris,
        formula="daytime",
        slots=(),
        blocks=((term.starts_on + timedelta(days=14), term.starts_on + timedelta(days=18)),),
    )
    registrar = make_user("registrar@example.org", Role.REGISTRAR)
    paris_staff = make_user("staff@paris.example.org", Role.CENTRE_STAFF, centre=paris)
    lyon_staff = make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)
    teacher = make_user("teacher@example.org", Role.TEACHER)
    evening.teachers.add(teacher)
    acme = Employer.objects.create(name="Acme", siret=ACME_SIRET)
    contact = make_user("rh@acme.example.org", first_name="Rita")
    RoleAssignment.objects.create(user=contact, role=Role.EMPLOYER_CONTACT, employer=acme)
    world = World(
        paris=paris,
        lyon=lyon,
        term=term,
        tariff=tariff,
        registrar=registrar,
        paris_staff=paris_staff,
        lyon_staff=lyon_staff,
        teacher=teacher,
        units=units,
        evening=evening,
        distance=distance,
        daytime=daytime,
        alice=make_learner("A-0000001", lyon, first_name="Alice"),
        bob=make_learner("A-0000002", paris, first_name="Bob"),
        carol=make_learner("A-0000003", paris, first_name="Carol"),
        dan=make_learner("A-0000004", paris, first_name="Dan"),
        acme=acme,
        contact=contact,
    )
    for learner in (world.alice, world.bob, world.carol):
        world.register(learner)
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()
