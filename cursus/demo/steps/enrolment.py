"""This year's registrations and enrolments: places, full offerings and their waitlists,
training agreements in every status, individual contracts.

About half the learners register for the current academic year, most at their
home centre; about 70 % of their enrolments are in evening and Saturday
courses, the rest in daytime courses (under an agreement with the employer),
institutes and distance learning. A few small offerings are filled beyond
their capacity, so that their waitlists hold learners in order of arrival;
the demo learner waits on one of them. Agreements and contracts go through
the enrolment actions (so that the event log holds them); registrations,
enrolments and funding shares, by the hundred, are written in bulk with
values valid by construction, as the records step does for past years.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cursus.catalogue.models import AcademicYear, Formula, Offering
from cursus.core.models import Role, RoleAssignment, User
from cursus.demo.steps.calendar import REFERENCE_DAY
from cursus.demo.steps.context import BATCH_SIZE, BuildContext
from cursus.enrolment import actions
from cursus.enrolment.models import (
    Enrolment,
    EnrolmentStatus,
    FundingShare,
    Learner,
    Payer,
    Rate,
    Registration,
    Tariff,
    TariffBasis,
    TrainingAgreement,
    TrainingContract,
)

REGISTERED_SHARE = 0.5
AWAY_FROM_HOME_SHARE = 0.12
# How the places of the year are shared between formulas, daytime courses apart (their
# share comes from the agreements).
FORMULA_WEIGHTS = {
    Formula.EVENING_SATURDAY: 0.72,
    Formula.INSTITUTE: 0.16,
    Formula.DISTANCE: 0.12,
}
FULL_OFFERINGS = 4
AGREEMENTS = 14
CONTRACTS = 6
# The year's tariff for every centre, as the records step sets it for past years.
TARIFF = {
    "basis": TariffBasis.PER_UNIT,
    "registration_fee": Decimal(250),
    "full_amount": Decimal(180),
    "reduced_amount": Decimal(90),
    "employer_amount": Decimal(600),
}
TERMS_TEXT = {
    "objective": "Acquérir les unités d'enseignement ci-dessous, capitalisables sans limite "
    "de durée, dans le cadre du plan de développement des compétences.",
    "content": "Le programme de chaque unité, tel que publié au catalogue : cours, travaux "
    "dirigés et travaux pratiques.",
    "assessment": "Un examen écrit par unité, en deux sessions ; une unité est acquise avec "
    "une note d'au moins 10/20.",
}


# The year's published offerings, by formula.
Published = dict[str, list[Offering]]


@dataclass
class YearPlan:
    """What the step writes: the registrations and the enrolments, in order of arrival."""

    registrations: dict[int, Registration] = field(default_factory=dict)
    enrolments: list[Enrolment] = field(default_factory=list)
    held: set[tuple[int, int, int]] = field(default_factory=set)
    enrolled: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _tariff(year: AcademicYear) -> Tariff:
    tariff, _created = Tariff.objects.get_or_create(
        academic_year=year, centre=None, defaults=TARIFF
    )
    return tariff


def _register(
    ctx: BuildContext,
    rng: random.Random,
    plan: YearPlan,
    learners: list[Learner],
    tariff: Tariff,
) -> None:
    centres = sorted(ctx.centres.values(), key=lambda centre: centre.code)
    for learner in learners:
        centre = learner.home_centre
        if learner != ctx.demo_learner and rng.random() < AWAY_FROM_HOME_SHARE:
            centre = rng.choice(centres)
        rate = Rate.FULL
        draw = rng.random()
        if draw < 0.18:
            rate = Rate.REDUCED
        elif draw < 0.24 and learner.employer_id is not None:
            rate = Rate.EMPLOYER
        plan.registrations[learner.pk] = Registration(
            learner=learner,
            academic_year=tariff.academic_year,
            centre=centre,
            rate=rate,
            tariff=tariff,
            fee=tariff.registration_fee,
        )


def _take(
    plan: YearPlan,
    learner: Learner,
    offering: Offering,
    *,
    agreement: TrainingAgreement | None = None,
    contract: TrainingContract | None = None,
) -> bool:
    """Add an enrolment in order of arrival: a place while there is one, else the waitlist."""
    key = (learner.pk, offering.unit_id, offering.term_id)
    registration = plan.registrations.get(learner.pk)
    if key in plan.held or registration is None:
        return False
    plan.held.add(key)
    full = offering.capacity is not None and plan.enrolled[offering.pk] >= offering.capacity
    fee = Decimal(0)
    if not full:
        plan.enrolled[offering.pk] += 1
        if agreement is None and contract is None:
            fee = registration.tariff.charge(registration.rate, offering.unit.ects)
            registration.fee += fee
    plan.enrolments.append(
        Enrolment(
            learner=learner,
            offering=offering,
            registration=registration,
            unit_id=offering.unit_id,
            term_id=offering.term_id,
            status=EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.ENROLLED,
            agreement=agreement,
            contract=contract,
            fee=fee,
            enrolled_at=None if full else timezone.now(),
        )
    )
    return True


def _contacts(ctx: BuildContext, learners: list[Learner]) -> dict[int, User]:
    """Return a contact per employer of these learners, giving one to those that have none."""
    from cursus.demo.steps.people import DEMO_DOMAIN

    employer_ids = sorted({learner.employer_id for learner in learners if learner.employer_id})
    contacts: dict[int, User] = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.EMPLOYER_CONTACT, employer_id__in=employer_ids
    ).select_related("user"):
        assert assignment.employer_id is not None
        contacts.setdefault(assignment.employer_id, assignment.user)
    for number, employer_id in enumerate(employer_ids, start=1):
        if employer_id in contacts:
            continue
        user = User.objects.create(
            email=f"rh{number}.employeur@{DEMO_DOMAIN}",
            first_name="Service",
            last_name="formation",
            password=ctx.password_hash,
        )
        RoleAssignment.objects.create(
            user=user, role=Role.EMPLOYER_CONTACT, employer_id=employer_id
        )
        contacts[employer_id] = user
    return contacts


def _agreements(
    ctx: BuildContext,
    rng: random.Random,
    plan: YearPlan,
    employed: list[Learner],
    daytime: list[Offering],
) -> None:
    """Draw up agreements in every status; the signed ones' learners take their daytime places.

    The demo learner's, sent to the employer, awaits the demo employer contact's
    signature.
    """
    registrar = ctx.registrar
    assert registrar is not None
    if not daytime or not employed:
        return
    chosen = employed[:AGREEMENTS]
    contacts = _contacts(ctx, chosen)
    steps = ["sent", "signed", "completed", "signed", "draft", "employer", "cancelled"]
    for index, learner in enumerate(chosen):
        assert learner.employer is not None
        offering = rng.choice(daytime)
        step = "sent" if learner == ctx.demo_learner else steps[index % len(steps)]
        agreement = actions.create_agreement(
            actor=registrar,
            employer=learner.employer,
            employer_contact=contacts[learner.employer.pk],
            learner=learner,
            offerings=[offering],
            title=f"{offering.unit.code} — {offering.unit.title}",
            hours=offering.unit.hours or 60,
            objective=TERMS_TEXT["objective"],
            content=TERMS_TEXT["content"],
            assessment=TERMS_TEXT["assessment"],
        )
        if step == "draft":
            continue
        if step == "cancelled":
            actions.cancel_agreement(
                actor=registrar, agreement=agreement, reason="Départ du salarié de l'entreprise"
            )
            continue
        actions.send_agreement(actor=registrar, agreement=agreement)
        if step == "sent":
            continue
        actions.sign_agreement_as_employer(actor=contacts[learner.employer.pk], agreement=agreement)
        if step == "employer":
            continue
        actions.sign_agreement_as_institution(actor=registrar, agreement=agreement)
        _take(plan, learner, offering, agreement=agreement)
        if step == "completed":
            actions.complete_agreement(actor=registrar, agreement=agreement)


def _contracts(
    ctx: BuildContext,
    rng: random.Random,
    plan: YearPlan,
    learners: list[Learner],
    published: "Published",
) -> None:
    """Draw up individual contracts for self-paying learners: signed, one withdrawn, a draft."""
    registrar = ctx.registrar
    assert registrar is not None
    for index, learner in enumerate(learners[:CONTRACTS]):
        registration = plan.registrations[learner.pk]
        offerings = [
            offering
            for offering in published[Formula.EVENING_SATURDAY]
            if offering.centre_id == registration.centre_id
        ]
        if not offerings:
            continue
        offering = rng.choice(offerings)
        contract = actions.create_contract(
            actor=registrar,
            learner=learner,
            offerings=[offering],
            centre=registration.centre,
            title=f"{offering.unit.code} — {offering.unit.title}",
            hours=offering.unit.hours or 60,
            objective=TERMS_TEXT["objective"],
            content=TERMS_TEXT["content"],
            assessment=TERMS_TEXT["assessment"],
        )
        if index == CONTRACTS - 1:
            continue
        contract = actions.sign_contract(actor=registrar, contract=contract)
        if index == CONTRACTS - 2:
            actions.withdraw_from_contract(
                actor=registrar, contract=contract, reason="Rétractation dans le délai légal"
            )
            continue
        _take(plan, learner, offering, contract=contract)


def _fill(
    rng: random.Random, plan: YearPlan, learners: list[Learner], published: "Published"
) -> None:
    """Enrol each registered learner in one to four offerings, evenings and Saturdays mostly."""
    formulas = list(FORMULA_WEIGHTS)
    weights = list(FORMULA_WEIGHTS.values())
    for learner in learners:
        registration = plan.registrations[learner.pk]
        for _unit in range(rng.randint(1, 4)):
            formula = rng.choices(formulas, weights)[0]
            candidates = published[formula]
            near = [
                o
                for o in candidates
                if o.centre_id in (registration.centre_id, learner.home_centre_id)
            ]
            pool = candidates if formula == Formula.DISTANCE else near or candidates
            if pool:
                _take(plan, learner, rng.choice(pool))


def _crowd(
    ctx: BuildContext,
    rng: random.Random,
    plan: YearPlan,
    learners: list[Learner],
    published: "Published",
) -> None:
    """Fill the smallest evening offerings of the term beyond their capacity; the demo learner
    waits on the first."""
    current = [
        o
        for o in published[Formula.EVENING_SATURDAY]
        if o.term.starts_on <= REFERENCE_DAY and o.capacity is not None
    ]
    current.sort(key=lambda o: (o.capacity or 0, o.unit.code, o.centre.code, o.pk))
    others = [learner for learner in learners if learner != ctx.demo_learner]
    current = [o for o in current if (o.capacity or 0) <= len(others) // 2]
    # The demo learner waits at their home centre, if one of its offerings can be filled.
    home = ctx.demo_learner.home_centre_id if ctx.demo_learner is not None else None
    current.sort(key=lambda o: o.centre_id != home)
    for index, offering in enumerate(current[:FULL_OFFERINGS]):
        assert offering.capacity is not None
        waiting = rng.randint(2, 6)
        queue = others[:]
        rng.shuffle(queue)
        places = offering.capacity - plan.enrolled[offering.pk]
        for learner in queue:
            if places <= 0:
                break
            if _take(plan, learner, offering):
                places -= 1
        if places > 0:
            continue
        if index == 0 and ctx.demo_learner is not None:
            _take(plan, ctx.demo_learner, offering)
            waiting -= 1
        for learner in reversed(queue):
            if waiting <= 0:
                break
            if _take(plan, learner, offering):
                waiting -= 1


def _write(plan: YearPlan) -> None:
    registrations = list(plan.registrations.values())
    Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    Enrolment.objects.bulk_create(plan.enrolments, batch_size=BATCH_SIZE)
    shares: list[FundingShare] = []
    for index, registration in enumerate(registrations):
        learner = registration.learner
        fee = registration.fee
        teaching = fee - registration.tariff.registration_fee
        if learner.employer_id is not None and index % 9 == 0:
            shares.append(
                FundingShare(
                    registration=registration,
                    payer=Payer.EMPLOYER,
                    employer_id=learner.employer_id,
                    amount=fee,
                )
            )
        elif index % 13 == 0 and teaching > 0:
            shares.append(FundingShare(registration=registration, payer=Payer.CPF, amount=teaching))
            shares.append(
                FundingShare(
                    registration=registration,
                    payer=Payer.LEARNER,
                    amount=registration.tariff.registration_fee,
                )
            )
        elif index % 17 == 0 and teaching > 0:
            shares.append(
                FundingShare(
                    registration=registration,
                    payer=Payer.OPCO,
                    funder="OPCO Atlas",
                    amount=teaching,
                )
            )
            shares.append(
                FundingShare(
                    registration=registration,
                    payer=Payer.LEARNER,
                    amount=registration.tariff.registration_fee,
                )
            )
        else:
            shares.append(FundingShare(registration=registration, payer=Payer.LEARNER, amount=fee))
    FundingShare.objects.bulk_create(shares, batch_size=BATCH_SIZE)


def build_enrolment(ctx: BuildContext) -> int:
    """Register learners for the current year and enrol them; return the enrolments made."""
    rng = ctx.rng("enrolment")
    year = AcademicYear.objects.filter(start_year=REFERENCE_DAY.year).first()
    if REFERENCE_DAY.month < 9:
        year = AcademicYear.objects.filter(start_year=REFERENCE_DAY.year - 1).first()
    if year is None:
        return 0
    tariff = _tariff(year)
    published: Published = defaultdict(list)
    for offering in (
        Offering.objects.filter(term__academic_year=year, published=True)
        .select_related("unit", "term", "centre")
        .prefetch_related("slots")
        .order_by("term__semester", "unit__code", "centre__code", "section", "pk")
    ):
        published[offering.formula].append(offering)
    already = set(
        Registration.objects.filter(academic_year=year).values_list("learner_id", flat=True)
    )
    learners = [
        learner
        for learner in Learner.objects.select_related("home_centre", "employer").order_by("number")
        if learner.pk not in already and learner.pk not in ctx.history_learners
    ]
    demo = ctx.demo_learner
    chosen = [learner for learner in learners if learner == demo or rng.random() < REGISTERED_SHARE]
    plan = YearPlan()
    ctx.report("enrolments", 0, 4)
    _register(ctx, rng, plan, chosen, tariff)
    employed = [learner for learner in chosen if learner.employer_id is not None]
    if demo is not None and demo in employed:
        employed.remove(demo)
        employed.insert(0, demo)
    _agreements(ctx, rng, plan, employed, published[Formula.DAYTIME])
    ctx.report("enrolments", 1, 4)
    self_paying = [learner for learner in chosen if learner.employer_id is None]
    _contracts(ctx, rng, plan, self_paying, published)
    ctx.report("enrolments", 2, 4)
    _crowd(ctx, rng, plan, chosen, published)
    if demo is not None:
        _demo_week(plan, demo, published)
    _fill(rng, plan, chosen, published)
    ctx.report("enrolments", 3, 4)
    _write(plan)
    ctx.report("enrolments", 4, 4)
    return len(plan.enrolments)


def _demo_week(plan: YearPlan, demo: Learner, published: "Published") -> None:
    """Give the demo learner an evening unit in Paris and a distance unit this term."""
    this_term = [
        o
        for o in published[Formula.EVENING_SATURDAY]
        if o.term.starts_on <= REFERENCE_DAY <= o.term.ends_on + timedelta(days=1)
    ]
    paris = [o for o in this_term if o.centre.code == "paris" and o.slots.all()]
    for offering in paris[:1]:
        _take(plan, demo, offering)
    for offering in published[Formula.DISTANCE][:1]:
        _take(plan, demo, offering)
