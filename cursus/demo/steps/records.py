"""Academic histories: past enrolments, results over two sessions, validations, milestones.

A share of the learners (and always the demo learner) get a history over the
past terms: units passed at the first try, failures and absences, session 2
retries, retakes in a later term, sometimes at another centre; some VES, VAE
and dispenses; professional experience, language certificates, admission
exams and theses. Enrolments are written in bulk, valid by construction;
results, validations and milestones go through the records' actions, so that
the event log holds them and ``cursus verify-log`` passes on the demo.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cursus.catalogue.models import AcademicYear, Offering, Term, UnitKind
from cursus.demo.steps.calendar import REFERENCE_DAY
from cursus.demo.steps.context import BuildContext
from cursus.enrolment.models import (
    Enrolment,
    EnrolmentStatus,
    Learner,
    Registration,
    Tariff,
    TariffBasis,
)
from cursus.records.actions import (
    GradeEntry,
    publish_results,
    record_milestone,
    record_results,
    validate_prior_learning,
)
from cursus.records.models import MilestoneKind

# One learner in this many gets a history, between these bounds whatever the scale.
HISTORY_SHARE = 50
MIN_HISTORIES, MAX_HISTORIES = 10, 300
ABSENT_SHARE = 0.08
SESSION_TWO_SHARE = 0.65
RETAKE_SHARE = 0.45
HOME_CENTRE_SHARE = 0.75
LANGUAGE_TESTS = ("TOEIC", "IELTS", "Linguaskill", "Cambridge B2 First")
# The planner's story: the demo learner holds half of the database administrator
# certificate (CC-ABD), passed at Lyon where it can, around these past terms
# (by order, 0 for the oldest); Lyon teaches the rest from next term on.
SCENARIO_CENTRE = "lyon"
SCENARIO_UNITS = (
    ("NFA008", 2, "13.50"),
    ("NFP107", 4, "12.00"),
    ("NFE156", 5, "14.25"),
    ("NFA011", 6, "11.75"),
)


@dataclass
class Attempt:
    """One enrolment of a learner in an offering, and what they scored."""

    learner: Learner
    offering_id: int
    first: str
    second: str | None = None


@dataclass
class Plan:
    """Every attempt to make, by term, and the enrolments they need."""

    attempts: list[Attempt] = field(default_factory=list)
    tried_units: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def _mark(rng: random.Random, ability: float) -> str:
    if rng.random() < ABSENT_SHARE:
        return "ABS"
    grade = min(20.0, max(0.0, rng.gauss(ability, 3.5)))
    return f"{Decimal(str(round(grade * 4) / 4)):.2f}"


def _failed(mark: str) -> bool:
    return mark == "ABS" or Decimal(mark) < 10


def _past_offerings(terms: list[Term]) -> dict[int, list[tuple[int, int, int]]]:
    """Return, by unit id, the past offerings as (term order, offering id, centre id)."""
    order = {term.pk: index for index, term in enumerate(terms)}
    by_unit: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    rows = Offering.objects.filter(
        term__in=terms, published=True, unit__kind=UnitKind.COURSE
    ).values_list("pk", "unit_id", "term_id", "centre_id")
    for pk, unit_id, term_id, centre_id in rows.order_by("pk"):
        by_unit[unit_id].append((order[term_id], pk, centre_id))
    return by_unit


def _choose(
    rng: random.Random, options: list[tuple[int, int, int]], centre_id: int, after: int
) -> tuple[int, int, int] | None:
    later = [option for option in options if option[0] > after]
    if not later:
        return None
    first_term = min(option[0] for option in later[: max(1, len(later) // 2)])
    soon = [option for option in later if option[0] <= first_term + 1]
    home = [option for option in soon if option[2] == centre_id]
    pool = home if home and rng.random() < HOME_CENTRE_SHARE else soon
    return rng.choice(pool)


def _plan(
    rng: random.Random, learners: list[Learner], offerings: dict[int, list[tuple[int, int, int]]]
) -> Plan:
    plan = Plan()
    units = sorted(offerings)
    for learner in learners:
        ability = rng.uniform(8.0, 15.5)
        for unit_id in rng.sample(units, k=min(len(units), rng.randint(3, 9))):
            plan.tried_units[learner.pk].add(unit_id)
            after = rng.randint(-1, 4)
            while True:
                chosen = _choose(rng, offerings[unit_id], learner.home_centre_id, after)
                if chosen is None:
                    break
                attempt = Attempt(learner, chosen[1], _mark(rng, ability))
                if _failed(attempt.first) and rng.random() < SESSION_TWO_SHARE:
                    attempt.second = _mark(rng, ability + 1)
                plan.attempts.append(attempt)
                if _passed(attempt) or rng.random() >= RETAKE_SHARE:
                    break
                after = chosen[0]
    return plan


def _passed(attempt: Attempt) -> bool:
    return not _failed(attempt.first) or (
        attempt.second is not None and not _failed(attempt.second)
    )


def _scenario(
    ctx: BuildContext, plan: Plan, offerings: dict[int, list[tuple[int, int, int]]]
) -> None:
    """Make the demo learner pass the scenario's units, unless their history already does."""
    demo = ctx.demo_learner
    centre = ctx.centres.get(SCENARIO_CENTRE)
    if demo is None or centre is None:
        return
    for code, target, mark in SCENARIO_UNITS:
        unit = ctx.units.get(code)
        if unit is None or not offerings.get(unit.pk):
            continue
        taught = {option[1] for option in offerings[unit.pk]}
        mine = [a for a in plan.attempts if a.learner == demo and a.offering_id in taught]
        if any(_passed(attempt) for attempt in mine):
            continue
        # Earlier failures at the unit give way to the pass the story needs.
        dropped = {id(attempt) for attempt in mine}
        plan.attempts = [a for a in plan.attempts if id(a) not in dropped]
        _term, offering_id, _centre = min(
            offerings[unit.pk],
            key=lambda o: (o[2] != centre.pk, abs(o[0] - target), o[0], o[1]),
        )
        plan.attempts.append(Attempt(demo, offering_id, mark))
        plan.tried_units[demo.pk].add(unit.pk)


def _enrol(plan: Plan, offerings: dict[int, Offering]) -> None:
    """Write the registrations and enrolments the attempts need, in bulk."""
    years = {offering.term.academic_year_id for offering in offerings.values()}
    tariffs = {}
    for year in AcademicYear.objects.filter(pk__in=years):
        tariffs[year.pk], _ = Tariff.objects.get_or_create(
            academic_year=year,
            centre=None,
            defaults={
                "basis": TariffBasis.PER_UNIT,
                "registration_fee": Decimal(250),
                "full_amount": Decimal(180),
                "reduced_amount": Decimal(90),
                "employer_amount": Decimal(600),
            },
        )
    registrations: dict[tuple[int, int], Registration] = {}
    for attempt in plan.attempts:
        offering = offerings[attempt.offering_id]
        key = (attempt.learner.pk, offering.term.academic_year_id)
        if key not in registrations:
            registrations[key] = Registration(
                learner=attempt.learner,
                academic_year_id=key[1],
                centre_id=offering.centre_id,
                tariff=tariffs[key[1]],
                fee=Decimal(250),
            )
    Registration.objects.bulk_create(registrations.values())
    now = timezone.now()
    Enrolment.objects.bulk_create(
        Enrolment(
            learner=attempt.learner,
            offering_id=attempt.offering_id,
            registration=registrations[
                (attempt.learner.pk, offerings[attempt.offering_id].term.academic_year_id)
            ],
            unit_id=offerings[attempt.offering_id].unit_id,
            term_id=offerings[attempt.offering_id].term_id,
            status=EnrolmentStatus.ENROLLED,
            enrolled_at=now,
        )
        for attempt in plan.attempts
    )


def _grade(ctx: BuildContext, plan: Plan, offerings: dict[int, Offering]) -> int:
    """Enter and publish every session, term by term, through the records' actions."""
    assert ctx.registrar is not None
    by_offering: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in plan.attempts:
        by_offering[attempt.offering_id].append(attempt)
    ordered = sorted(
        by_offering,
        key=lambda pk: (
            offerings[pk].term.academic_year.start_year,
            offerings[pk].term.semester,
            pk,
        ),
    )
    published = 0
    for done, offering_id in enumerate(ordered, start=1):
        offering = offerings[offering_id]
        attempts = by_offering[offering_id]
        for session in (1, 2):
            entries = [
                GradeEntry(a.learner.number, a.first if session == 1 else a.second)
                for a in attempts
                if session == 1 or a.second is not None
            ]
            if entries:
                record_results(
                    actor=ctx.registrar, offering=offering, session=session, entries=entries
                )
                published += len(
                    publish_results(actor=ctx.registrar, offering=offering, session=session)
                )
        ctx.report("records", done, len(ordered))
    return published


def _validate(ctx: BuildContext, rng: random.Random, plan: Plan, learners: list[Learner]) -> None:
    assert ctx.registrar is not None
    units = [unit for unit in ctx.units.values() if unit.kind == UnitKind.COURSE]
    diplomas = ctx.diplomas
    for number, learner in enumerate(learners):
        draw = rng.random()
        demo = learner == ctx.demo_learner
        if not (demo or draw < 0.2) or not diplomas:
            continue
        source = "ves" if demo or draw < 0.12 else ("vae" if draw < 0.16 else "dispense")
        tried = plan.tried_units[learner.pk]
        free = [unit for unit in units if unit.pk not in tried]
        chosen = rng.sample(free, k=min(len(free), rng.randint(1, 3)))
        if not chosen:
            continue
        decided_on = REFERENCE_DAY - timedelta(days=rng.randint(200, 1500))
        validate_prior_learning(
            actor=ctx.registrar,
            learner=learner,
            units=[unit.code for unit in chosen],
            source=source,
            decision_reference=f"{source.upper()}-{decided_on.year}-{number + 1:04d}",
            jury=f"Jury {source.upper()} {learner.home_centre.name}",
            decided_on=decided_on,
            diploma=rng.choice(diplomas) if source in {"ves", "vae"} else None,
            grounds=(
                "Licence obtenue à l'université, relevé de notes fourni"
                if source == "ves"
                else "Dossier d'expérience professionnelle et entretien"
                if source == "vae"
                else "Titre professionnel équivalent"
            ),
        )


def _milestones(ctx: BuildContext, rng: random.Random, learners: list[Learner]) -> None:
    assert ctx.registrar is not None
    for learner in learners:
        demo = learner == ctx.demo_learner
        if demo or rng.random() < 0.5:
            years = rng.randint(1, 15)
            record_milestone(
                actor=ctx.registrar,
                learner=learner,
                kind=MilestoneKind.EXPERIENCE,
                achieved_on=REFERENCE_DAY - timedelta(days=rng.randint(30, 700)),
                years=years,
                # The demo learner's year in the field counts for their certificate.
                in_field_years=max(int(demo), rng.randint(0, years)),
                evidence=f"Attestation employeur n° {rng.randint(1000, 9999)}",
            )
        if demo or rng.random() < 0.25:
            record_milestone(
                actor=ctx.registrar,
                learner=learner,
                kind=MilestoneKind.LANGUAGE,
                achieved_on=REFERENCE_DAY - timedelta(days=rng.randint(60, 1500)),
                language="en",
                level=rng.choice(["B1", "B2", "B2", "C1"]),
                test=rng.choice(LANGUAGE_TESTS),
                evidence=f"Certificat {rng.randint(100000, 999999)}",
            )
        if rng.random() < 0.06:
            record_milestone(
                actor=ctx.registrar,
                learner=learner,
                kind=MilestoneKind.ADMISSION,
                achieved_on=date(rng.randint(2022, 2025), 6, 20),
                evidence="Procès-verbal du jury d'admission",
            )
        if rng.random() < 0.02:
            record_milestone(
                actor=ctx.registrar,
                learner=learner,
                kind=MilestoneKind.THESIS,
                achieved_on=date(rng.randint(2023, 2025), 12, 5),
                title="Mémoire d'ingénieur : migration d'un système d'information",
                evidence="Procès-verbal de soutenance",
            )


def history_count(learners: int) -> int:
    """Return how many learners get a history, for a number of learners."""
    return min(MAX_HISTORIES, max(MIN_HISTORIES, learners // HISTORY_SHARE), learners)


def build_records(ctx: BuildContext) -> int:
    """Give some learners, the demo learner first, their academic history; return results made."""
    rng = ctx.rng("records")
    terms = sorted(
        (term for term in ctx.terms.values() if term.session2_ends_on < REFERENCE_DAY),
        key=lambda term: (term.academic_year.start_year, term.semester),
    )
    past = _past_offerings(terms)
    if not past:
        return 0
    demo_id = ctx.demo_learner.pk if ctx.demo_learner is not None else 0
    ids = Learner.objects.exclude(pk=demo_id).order_by("number").values_list("pk", flat=True)
    others = [pk for pk in ids if pk not in ctx.history_learners]
    count = history_count(len(others) + 1)
    chosen_ids = set(rng.sample(others, k=min(len(others), count - 1)))
    learners = list(
        Learner.objects.filter(pk__in=chosen_ids).select_related("home_centre").order_by("number")
    )
    if ctx.demo_learner is not None:
        learners.insert(0, ctx.demo_learner)
    plan = _plan(rng, learners, past)
    _scenario(ctx, plan, past)
    offerings = Offering.objects.select_related("unit", "term__academic_year", "centre").in_bulk(
        {attempt.offering_id for attempt in plan.attempts}
    )
    _enrol(plan, offerings)
    made = _grade(ctx, plan, offerings)
    _validate(ctx, rng, plan, learners)
    _milestones(ctx, rng, learners)
    return made
