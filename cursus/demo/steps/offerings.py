"""Offerings: every unit taught in some terms, at Paris and across the centres.

Each course unit gets a teaching plan that holds from year to year: the
semesters it runs in, whether Paris teaches it every year, the regional
centres and centre abroad that teach it too, and whether it also runs at a
distance, in daytime or at an institute. About seven offerings in ten are
evening and Saturday classes (18:00-21:00 on weekdays, or Saturday 09:00-12:00
and 13:30-16:30); daytime and institute offerings meet on weekdays or in
blocks of days; distance offerings have no weekly class and sometimes a
monthly Saturday. The next academic year's offerings are not yet published.

Thousands of offerings through ``create_offering`` would take most of the
build's time (each one looks up its unit, term, centre and teachers, checks
for a clash and writes its event), so they are written in bulk with values
valid by construction: known units, terms, centres and teachers, a section
unique per unit, term, centre and formula, slots that end after they start,
blocks inside the term, positive capacities, an institute for every
institute offering. The tests check them with the models' validators.
"""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from cursus.catalogue.models import (
    CentreKind,
    Formula,
    Offering,
    OfferingBlock,
    OfferingSlot,
    UnitKind,
)
from cursus.core.models import User
from cursus.demo.steps.calendar import FORECAST_YEAR, TermDates, all_terms
from cursus.demo.steps.catalogue import UnitSpec
from cursus.demo.steps.context import BATCH_SIZE, BuildContext
from cursus.demo.steps.organisation import (
    CENTRES_ABROAD,
    INSTITUTES,
    PARIS,
    REGIONAL_CENTRES,
    CentreSpec,
)

EVENING = (time(18, 0), time(21, 0))
SATURDAY_MORNING = (time(9, 0), time(12, 0))
SATURDAY_AFTERNOON = (time(13, 30), time(16, 30))
DAYTIME = ((time(9, 0), time(12, 30)), (time(14, 0), time(17, 30)))
SATURDAY = 5
# Units only their institute teaches.
INSTITUTE_ONLY_PREFIXES = frozenset({"JEU", "DRM", "ASR", "MGI"})
# The unit the demo's story follows: offered now and next term at Paris, Lyon and at a distance.
FEATURED_UNIT = "NFA008"
CURRENT_TERM = "2026-S1"
NEXT_TERM = "2026-S2"
PARIS_ROOM_BUILDINGS = ("11", "17", "31", "33", "35", "37")
# The planner's story: the demo learner, in Lyon and free on Tuesday and Thursday
# evenings, finishes the database administrator certificate with these units,
# which Lyon teaches in semester 2 from next term on, on these evenings.
SCENARIO_CENTRE = "lyon"
SCENARIO_UNITS = (("NSY103", 1), ("NSY107", 3))
SCENARIO_TERMS = (NEXT_TERM, "2027-S2")
# Sections an offering stands for at scale 1.0 (a hundred times the learners of 0.01).
SECTIONS_AT_FULL_SCALE = 100


@dataclass(frozen=True, slots=True)
class Slot:
    weekday: int
    starts_at: time
    ends_at: time
    room: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    starts_on: date
    ends_on: date


@dataclass(slots=True)
class OfferingPlan:
    """An offering to create."""

    unit: UnitSpec
    term: TermDates
    centre: CentreSpec
    formula: str
    institute: str | None = None
    section: str = ""
    capacity: int | None = None
    language: str = "fr"
    slots: list[Slot] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    teachers: list[User] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Return what must be unique: unit, term, centre, formula and section."""
        return (self.unit.code, self.term.code, self.centre.code, self.formula, self.section)


@dataclass(frozen=True, slots=True)
class TeachingPlan:
    """Where and when a unit is taught, year after year."""

    semesters: tuple[int, ...]
    paris: bool
    paris_every_year: bool
    # Units Paris teaches every other year run in the years of this parity.
    paris_parity: int
    paris_sections: int
    regional: tuple[CentreSpec, ...]
    abroad: CentreSpec | None
    distance: CentreSpec | None
    daytime: CentreSpec | None
    institute: str | None
    institute_centres: tuple[CentreSpec, ...]


def _teaching_plan(rng: random.Random, unit: UnitSpec) -> TeachingPlan:
    semesters = rng.choices(((1,), (2,), (1, 2)), (45, 40, 15))[0]
    regional_count = rng.choices((0, 1, 2, 3, 5), (46, 32, 14, 6, 2))[0]
    if unit.level == 0:
        regional_count += 1
    regional = _weighted_sample(rng, list(REGIONAL_CENTRES), regional_count)
    institute = next((i for i in INSTITUTES if unit.prefix in i.prefixes), None)
    # The engineering school teaches the engineering track and some graduate units.
    if (
        institute is not None
        and institute.code == "eicnam"
        and unit.prefix != "ENG"
        and (unit.level < 2 or rng.random() < 0.75)
    ):
        institute = None
    institute_centres: tuple[CentreSpec, ...] = ()
    if institute is not None:
        specs = [
            c for c in (PARIS, *REGIONAL_CENTRES, *CENTRES_ABROAD) if c.code in institute.centres
        ]
        count = 1 if institute.code == "eicnam" else 2
        institute_centres = tuple(rng.sample(specs, min(count, len(specs))))
    institute_only = unit.prefix in INSTITUTE_ONLY_PREFIXES
    big_centres = [PARIS, *REGIONAL_CENTRES[:6]]
    return TeachingPlan(
        semesters=semesters,
        paris=not institute_only,
        paris_every_year=rng.random() < 0.7,
        paris_parity=rng.randrange(2),
        paris_sections=2 if unit.level == 0 and rng.random() < 0.2 else 1,
        regional=() if institute_only else tuple(regional),
        abroad=rng.choice(CENTRES_ABROAD) if rng.random() < 0.12 else None,
        distance=(PARIS if rng.random() < 0.7 else rng.choice(REGIONAL_CENTRES))
        if rng.random() < 0.22 and not institute_only
        else None,
        daytime=rng.choice(big_centres) if rng.random() < 0.12 and not institute_only else None,
        institute=institute.code if institute is not None else None,
        institute_centres=institute_centres,
    )


def _featured_plan() -> TeachingPlan:
    lyon = next(c for c in REGIONAL_CENTRES if c.code == "lyon")
    return TeachingPlan(
        semesters=(1, 2),
        paris=True,
        paris_every_year=True,
        paris_parity=0,
        paris_sections=1,
        regional=(lyon,),
        abroad=None,
        distance=PARIS,
        daytime=None,
        institute=None,
        institute_centres=(),
    )


def _weighted_sample(rng: random.Random, specs: list[CentreSpec], count: int) -> list[CentreSpec]:
    chosen: list[CentreSpec] = []
    pool = list(specs)
    while pool and len(chosen) < count:
        pick = rng.choices(pool, [spec.weight for spec in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    return sorted(chosen, key=lambda spec: spec.code)


class _Planner:
    """Turn teaching plans into offerings, term by term."""

    def __init__(self, ctx: BuildContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.plans: dict[tuple[str, str, str, str, str], OfferingPlan] = {}

    def add(self, plan: OfferingPlan) -> OfferingPlan:
        return self.plans.setdefault(plan.key, plan)

    def unit_in_year(
        self, unit: UnitSpec, teaching: TeachingPlan, year: int, terms: dict[str, TermDates]
    ) -> None:
        rng = self.rng
        first = terms[f"{year}-S{teaching.semesters[0]}"]
        if teaching.paris and (teaching.paris_every_year or year % 2 == teaching.paris_parity):
            for semester in teaching.semesters:
                self.evening(unit, terms[f"{year}-S{semester}"], PARIS, teaching.paris_sections)
        for centre in teaching.regional:
            if unit.code == FEATURED_UNIT or rng.random() < 0.5:
                for semester in teaching.semesters:
                    self.evening(unit, terms[f"{year}-S{semester}"], centre, 1)
                    if unit.code != FEATURED_UNIT:
                        break
        if teaching.abroad is not None and rng.random() < 0.7:
            self.evening(unit, first, teaching.abroad, 1)
        if teaching.distance is not None:
            semesters = teaching.semesters if unit.code == FEATURED_UNIT else teaching.semesters[:1]
            for semester in semesters:
                self.distance(unit, terms[f"{year}-S{semester}"], teaching.distance)
        if teaching.daytime is not None and rng.random() < 0.8:
            self.daytime(unit, first, teaching.daytime)
        if teaching.institute is not None:
            for centre in teaching.institute_centres:
                if rng.random() < 0.8:
                    self.institute(unit, first, centre, teaching.institute)

    def evening(self, unit: UnitSpec, term: TermDates, centre: CentreSpec, sections: int) -> None:
        rng = self.rng
        weekdays = rng.sample(range(5), 4)
        for index in range(sections):
            section = "" if sections == 1 else "AB"[index]
            if rng.random() < 0.25 and index == 0:
                times = [SATURDAY_MORNING, SATURDAY_AFTERNOON][: 2 if unit.ects >= 8 else 1]
                if len(times) == 1 and rng.random() < 0.5:
                    times = [SATURDAY_AFTERNOON]
                slots = [Slot(SATURDAY, start, end, self.room(centre)) for start, end in times]
            else:
                days = weekdays[index * 2 : index * 2 + (2 if unit.ects >= 8 else 1)]
                slots = [Slot(day, *EVENING, self.room(centre)) for day in sorted(days)]
            if centre.kind == CentreKind.SEAT:
                capacity = None if rng.random() < 0.4 else rng.choice((40, 60, 80, 120))
            else:
                capacity = None if rng.random() < 0.3 else rng.randint(20, 40)
            self.add(
                OfferingPlan(
                    unit=unit,
                    term=term,
                    centre=centre,
                    formula=Formula.EVENING_SATURDAY,
                    section=section,
                    capacity=capacity,
                    language=self.language(centre),
                    slots=slots,
                    teachers=self.teachers(centre, unit),
                )
            )

    def daytime(self, unit: UnitSpec, term: TermDates, centre: CentreSpec) -> None:
        rng = self.rng
        weekly = rng.random() < 0.5
        self.add(
            OfferingPlan(
                unit=unit,
                term=term,
                centre=centre,
                formula=Formula.DAYTIME,
                capacity=rng.randint(12, 30),
                language=self.language(centre),
                slots=self.daytime_slots(unit, centre) if weekly else [],
                blocks=[] if weekly else self.blocks(term, unit),
                teachers=self.teachers(centre, unit),
            )
        )

    def institute(self, unit: UnitSpec, term: TermDates, centre: CentreSpec, code: str) -> None:
        rng = self.rng
        weekly = rng.random() < 0.4
        language = self.language(centre)
        if code == "iim" and centre.country != "FR" and rng.random() < 0.5:
            language = "en"
        self.add(
            OfferingPlan(
                unit=unit,
                term=term,
                centre=centre,
                formula=Formula.INSTITUTE,
                institute=code,
                capacity=rng.randint(15, 35),
                language=language,
                slots=self.daytime_slots(unit, centre) if weekly else [],
                blocks=[] if weekly else self.blocks(term, unit),
                teachers=self.teachers(centre, unit),
            )
        )

    def distance(self, unit: UnitSpec, term: TermDates, centre: CentreSpec) -> None:
        rng = self.rng
        blocks = self.monthly_saturdays(term) if rng.random() < 0.4 else []
        self.add(
            OfferingPlan(
                unit=unit,
                term=term,
                centre=centre,
                formula=Formula.DISTANCE,
                capacity=None if rng.random() < 0.8 else rng.choice((100, 200)),
                blocks=blocks,
                teachers=self.teachers(centre, unit),
            )
        )

    def daytime_slots(self, unit: UnitSpec, centre: CentreSpec) -> list[Slot]:
        rng = self.rng
        days = rng.sample(range(5), 2 if unit.ects >= 8 else 1)
        start, end = rng.choice(DAYTIME)
        return [Slot(day, start, end, self.room(centre)) for day in sorted(days)]

    def blocks(self, term: TermDates, unit: UnitSpec) -> list[Block]:
        """Return three to five blocks of two to four weekdays, spread over the term."""
        rng = self.rng
        weeks = (term.ends_on - term.starts_on).days // 7
        count = 3 + (unit.ects >= 6) + (unit.ects >= 8)
        chosen = sorted(rng.sample(range(weeks), min(count, weeks)))
        blocks = []
        for week in chosen:
            first = term.starts_on + timedelta(weeks=week, days=rng.randint(0, 2))
            length = rng.randint(2, 5 - first.weekday())
            blocks.append(Block(first, first + timedelta(days=length - 1)))
        return blocks

    def monthly_saturdays(self, term: TermDates) -> list[Block]:
        """Return the first Saturday of each month of the term, as one-day blocks."""
        saturdays = []
        day = term.starts_on + timedelta(days=(SATURDAY - term.starts_on.weekday()) % 7)
        while day <= term.ends_on:
            if day.day <= 7:
                saturdays.append(Block(day, day))
            day += timedelta(weeks=1)
        return saturdays

    def room(self, centre: CentreSpec) -> str:
        rng = self.rng
        if centre.kind == CentreKind.SEAT:
            building = rng.choice(PARIS_ROOM_BUILDINGS)
            return f"{building}.{rng.randint(0, 3)}.{rng.randint(1, 60):02d}"
        return f"Salle {rng.randint(1, 3)}{rng.randint(1, 20):02d}"

    def language(self, centre: CentreSpec) -> str:
        english_share = {"chine": 0.5, "liban": 0.15}.get(centre.code, 0.0)
        return "en" if self.rng.random() < english_share else "fr"

    def teachers(self, centre: CentreSpec, unit: UnitSpec) -> list[User]:
        rng = self.rng
        by_department = self.ctx.teachers.get(centre.code) or self.ctx.teachers[PARIS.code]
        pool = by_department.get(unit.department) or [
            teacher for department in sorted(by_department) for teacher in by_department[department]
        ]
        count = 2 if rng.random() < 0.15 and len(pool) > 1 else 1
        return rng.sample(pool, count)


def plan_offerings(ctx: BuildContext, units: list[UnitSpec]) -> list[OfferingPlan]:
    """Return the offerings of every term for the course units."""
    rng = ctx.rng("offerings")
    terms = {dates.code: dates for dates in all_terms()}
    years = sorted({dates.start_year for dates in terms.values()})
    planner = _Planner(ctx, rng)
    for unit in units:
        if unit.kind != UnitKind.COURSE:
            continue
        teaching = _featured_plan() if unit.code == FEATURED_UNIT else _teaching_plan(rng, unit)
        for year in years:
            if unit.taught_in(year):
                planner.unit_in_year(unit, teaching, year, terms)
    _put_scenario(planner, {unit.code: unit for unit in units}, terms)
    _put_demo_teacher(ctx, planner.plans)
    return list(planner.plans.values())


def _put_scenario(
    planner: _Planner, units: dict[str, UnitSpec], terms: dict[str, TermDates]
) -> None:
    """Make Lyon teach the scenario's units next term and a year later, one evening each."""
    lyon = next(c for c in REGIONAL_CENTRES if c.code == SCENARIO_CENTRE)
    for code, weekday in SCENARIO_UNITS:
        unit = units.get(code)
        if unit is None:
            continue
        for term_code in SCENARIO_TERMS:
            term = terms[term_code]
            if not unit.taught_in(term.start_year):
                continue
            key = (code, term_code, lyon.code, Formula.EVENING_SATURDAY, "")
            planner.plans.pop(key, None)
            planner.add(
                OfferingPlan(
                    unit=unit,
                    term=term,
                    centre=lyon,
                    formula=Formula.EVENING_SATURDAY,
                    slots=[Slot(weekday, *EVENING, planner.room(lyon))],
                    teachers=planner.teachers(lyon, unit),
                )
            )


def _put_demo_teacher(
    ctx: BuildContext, plans: dict[tuple[str, str, str, str, str], OfferingPlan]
) -> None:
    """Make the demo teacher teach the featured unit at Paris, this term and next."""
    assert ctx.demo_teacher is not None
    for term in (CURRENT_TERM, NEXT_TERM):
        plan = plans[(FEATURED_UNIT, term, PARIS.code, Formula.EVENING_SATURDAY, "")]
        plan.teachers = [ctx.demo_teacher, *plan.teachers[:1]]


def scaled_capacity(capacity: int | None, scale: float) -> int | None:
    """Return an offering's places at a scale: above 0.01, as many times more as the scale is.

    The catalogue does not grow with the scale, its learners do: at full size an
    offering stands for the many sections a class of its size would run.
    """
    if capacity is None:
        return None
    return capacity * max(1, round(scale * SECTIONS_AT_FULL_SCALE))


def build_offerings(ctx: BuildContext, plans: list[OfferingPlan]) -> None:
    """Write the offerings, their slots, blocks and teachers in bulk."""
    total = len(plans)
    ctx.report("offerings", 0, total)
    teaching = Offering.teachers.through
    for start in range(0, total, BATCH_SIZE):
        batch = plans[start : start + BATCH_SIZE]
        offerings = Offering.objects.bulk_create(
            [
                Offering(
                    unit=ctx.units[plan.unit.code],
                    term=ctx.terms[plan.term.code],
                    centre=ctx.centres[plan.centre.code],
                    formula=plan.formula,
                    institute=ctx.institutes[plan.institute] if plan.institute else None,
                    section=plan.section,
                    capacity=scaled_capacity(plan.capacity, ctx.scale),
                    language=plan.language,
                    published=plan.term.start_year != FORECAST_YEAR,
                )
                for plan in batch
            ]
        )
        OfferingSlot.objects.bulk_create(
            [
                OfferingSlot(
                    offering=offering,
                    weekday=slot.weekday,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    room=slot.room,
                )
                for plan, offering in zip(batch, offerings, strict=True)
                for slot in plan.slots
            ],
            batch_size=BATCH_SIZE,
        )
        OfferingBlock.objects.bulk_create(
            [
                OfferingBlock(offering=offering, starts_on=block.starts_on, ends_on=block.ends_on)
                for plan, offering in zip(batch, offerings, strict=True)
                for block in plan.blocks
            ],
            batch_size=BATCH_SIZE,
        )
        teaching.objects.bulk_create(
            [
                teaching(offering_id=offering.pk, user_id=teacher.pk)
                for plan, offering in zip(batch, offerings, strict=True)
                for teacher in plan.teachers
            ],
            batch_size=BATCH_SIZE,
        )
        ctx.report("offerings", start + len(batch), total)
    ctx.offering_count = total
