"""A small institution to plan in: a learner in Lyon holding half of CC-ABD.

The term in progress is open for enrolment; the next one is published too.
In Lyon, on Tuesday and Thursday evenings, the four units left can be taken
over the two terms, NSY103 in Lyon because Paris teaches it on Thursdays at
the same time as NFP107.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cursus.audit.tests.app_fixtures import grant, make_diploma
from cursus.catalogue.models import AcademicYear, Centre, Offering, Term, Unit
from cursus.catalogue.tests.fixtures import make_centre, make_department, make_unit, make_user
from cursus.core.models import Role, User
from cursus.enrolment import actions as enrolment
from cursus.enrolment.models import Learner
from cursus.enrolment.tests.fixtures import make_learner, make_offering, make_open_term, make_tariff
from cursus.records.actions import record_milestone

RULES_DIR = Path(__file__).resolve().parents[2] / "audit" / "rules"
CC_ABD = (RULES_DIR / "cc-abd.yaml").read_text(encoding="utf-8")
# A neighbour of CC-ABD: systems administration, sharing three of its units.
CC_SYS = """\
code: CC-SYS
version: 2020
title: {fr: "Administrateur systèmes", en: "Systems administrator"}
kind: certificat-competence
requires:
  all:
    - {label: prerequisite, unit: NFA008}
    - {label: systems, unit: NSY103}
    - {label: cloud, unit: NSY107}
    - {label: networks, unit: RSX101}
"""
UNITS = {
    "NFA008": 6,
    "NFA011": 6,
    "NFE106": 6,
    "NFE113": 6,
    "NFE156": 6,
    "NFP107": 6,
    "NSY103": 6,
    "NSY107": 6,
    "RSX101": 6,
}
TUESDAY, THURSDAY, MONDAY = 1, 3, 0
EVENING = (time(18), time(21))


@dataclass
class Campus:
    """The institution of the planner's tests."""

    paris: Centre
    lyon: Centre
    now: Term
    next: Term
    units: dict[str, Unit]
    registrar: User
    lyon_staff: User
    paris_staff: User
    learner: Learner
    offerings: dict[str, Offering]


def _next_term(year: AcademicYear) -> Term:
    today = timezone.localdate()
    starts = today + timedelta(days=200)
    ends = starts + timedelta(days=120)
    next_year, _ = AcademicYear.objects.get_or_create(
        start_year=year.start_year + 1,
        defaults={
            "starts_on": date(year.start_year + 1, 9, 1),
            "ends_on": date(year.start_year + 2, 8, 31),
        },
    )
    return Term.objects.create(
        academic_year=next_year,
        semester=1,
        starts_on=starts,
        ends_on=ends,
        enrolment_opens_on=starts - timedelta(days=60),
        enrolment_closes_on=starts + timedelta(days=20),
        withdrawal_deadline=starts + timedelta(days=30),
        session1_starts_on=ends + timedelta(days=1),
        session1_ends_on=ends + timedelta(days=10),
        session2_starts_on=ends + timedelta(days=40),
        session2_ends_on=ends + timedelta(days=50),
    )


def build_campus(*, capacity: int | None = None) -> Campus:
    """Build the planner's institution; ``capacity`` limits NFP107's offering in Lyon."""
    paris = make_centre()
    lyon = make_centre("lyon", "Lyon", "regional")
    informatique = make_department()
    units = {code: make_unit(code, informatique, ects=ects) for code, ects in UNITS.items()}
    units["UASI05"] = make_unit("UASI05", informatique, ects=6, kind="activity")
    make_diploma(CC_ABD, 2019)
    make_diploma(CC_SYS, 2020)
    now = make_open_term(timezone.localdate().year - 1 + (timezone.localdate().month >= 9), 2)
    later = _next_term(now.academic_year)
    make_tariff(now.academic_year)
    registrar = make_user("registrar@example.org", Role.REGISTRAR)
    lyon_staff = make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)
    paris_staff = make_user("staff@paris.example.org", Role.CENTRE_STAFF, centre=paris)

    def offer(code: str, term: Term, centre: Centre, day: int, **extra: object) -> Offering:
        return make_offering(
            units[code],
            term,
            centre,
            slots=((day, *EVENING),),
            **extra,  # type: ignore[arg-type]
        )

    offerings = {
        "NSY103-lyon": offer("NSY103", now, lyon, TUESDAY),
        "NSY103-paris": offer("NSY103", now, paris, THURSDAY),
        "NFP107-lyon": offer("NFP107", now, lyon, THURSDAY, capacity=capacity),
        "NSY107-lyon-monday": offer("NSY107", now, lyon, MONDAY),
        "NFA011-lyon": offer("NFA011", later, lyon, TUESDAY),
        "NSY107-lyon": offer("NSY107", later, lyon, THURSDAY),
        "RSX101-lyon": offer("RSX101", later, lyon, MONDAY),
        "RSX101-distance": make_offering(
            units["RSX101"], later, paris, formula="distance", slots=()
        ),
    }
    learner = make_learner("A-0000042", lyon, first_name="Inès")
    grant(learner, registrar, "NFA008", "NFE156", "UASI05")
    record_milestone(
        actor=registrar,
        learner=learner,
        kind="experience",
        achieved_on=date(2020, 6, 1),
        evidence="Employer's certificate",
        years=3,
        in_field_years=2,
    )
    enrolment.register(
        actor=registrar, learner=learner, centre=lyon, academic_year=now.academic_year
    )
    return Campus(
        paris=paris,
        lyon=lyon,
        now=now,
        next=later,
        units=units,
        registrar=registrar,
        lyon_staff=lyon_staff,
        paris_staff=paris_staff,
        learner=learner,
        offerings=offerings,
    )


@pytest.fixture
def campus(db) -> Campus:
    return build_campus()
