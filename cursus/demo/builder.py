"""Build the demo institution: a synthetic, deterministic CNAM-like organisation.

``build_demo`` fills an empty database with the seven departments, Paris,
the regional centres and the centres abroad, the institutes, a catalogue of
real and generated units, real and generated diplomas with their rules,
seven academic years of terms and offerings, teachers, employers, learners
and one demo account per role. The same seed gives the same data; only the
number of learners (and employers) grows with the scale: at scale 1.0 a year
counts about 100,000 learners and 7,000 diplomas.

The organisation, diplomas (whose rules the action checks with the rules
engine), terms, employers and the demo learner go through the apps'
actions, which validate them and write their events; units, offerings and
learners, by the hundred or the thousand, are written in bulk with values
valid by construction (see ``steps.catalogue``, ``steps.offerings`` and
``steps.people`` for the measurements behind that choice). The learners'
past years come from simulated paths (``steps.trajectories``) loaded through
the bulk import, as an institution loads its records, and end with juries
held through the credentials' actions (``steps.history``).
"""

from dataclasses import dataclass

from django.db import transaction

from cursus.catalogue.models import Centre, CentreKind, Unit
from cursus.core.errors import Conflict
from cursus.core.models import Role
from cursus.demo.steps.audit import build_pursuits
from cursus.demo.steps.calendar import build_calendar
from cursus.demo.steps.catalogue import build_units, plan_units
from cursus.demo.steps.context import BuildContext, DemoLogin, Progress
from cursus.demo.steps.diplomas import build_diplomas, plan_diplomas
from cursus.demo.steps.enrolment import build_enrolment
from cursus.demo.steps.history import (
    JURY_YEARS,
    assign_history,
    build_history,
    build_year_juries,
    plan_history,
)
from cursus.demo.steps.juries import build_juries
from cursus.demo.steps.offerings import build_offerings, plan_offerings
from cursus.demo.steps.organisation import build_organisation
from cursus.demo.steps.people import (
    DEMO_PASSWORD,
    build_employers,
    build_learners,
    build_teachers,
    create_centre_accounts,
    create_registrar,
    newcomer_count,
)
from cursus.demo.steps.records import build_records

DEFAULT_SCALE = 0.01
DEFAULT_SEED = 1
ROLE_ORDER = list(Role.values)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What a demo build made, and the accounts to log in with."""

    seed: int
    scale: float
    departments: int
    centres: int
    regional_centres: int
    centres_abroad: int
    institutes: int
    units: int
    diplomas: int
    terms: int
    offerings: int
    teachers: int
    employers: int
    learners: int
    logins: tuple[DemoLogin, ...]
    password: str = DEMO_PASSWORD

    def counts(self) -> dict[str, int]:
        """Return the number of rows made, by kind, in the order a report shows them."""
        return {
            "departments": self.departments,
            "centres": self.centres,
            "regional centres": self.regional_centres,
            "centres abroad": self.centres_abroad,
            "institutes": self.institutes,
            "units": self.units,
            "diplomas": self.diplomas,
            "terms": self.terms,
            "offerings": self.offerings,
            "teachers": self.teachers,
            "employers": self.employers,
            "learners": self.learners,
        }


def build_demo(
    *, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED, progress: Progress | None = None
) -> DemoSummary:
    """Fill an empty database with the demo institution and return what was made.

    ``progress(step, done, total)`` is called as each step advances. Raises
    Conflict when the database already holds centres or units.
    """
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    if Centre.objects.exists() or Unit.objects.exists():
        raise Conflict("The database already holds an institution; build the demo in an empty one.")
    ctx = BuildContext(seed=seed, scale=scale, progress=progress)
    with transaction.atomic():
        create_registrar(ctx)
        build_organisation(ctx)
        create_centre_accounts(ctx)
        units = plan_units(ctx.rng("units"))
        diplomas, added_units = plan_diplomas(ctx.rng("diplomas"), units)
        units += added_units
        build_units(ctx, units)
        build_diplomas(ctx, diplomas)
        build_calendar(ctx)
        build_teachers(ctx)
        build_offerings(ctx, plan_offerings(ctx, units))
        history = plan_history(ctx)
        learners = len(history.paths) + newcomer_count(scale)
        build_employers(ctx, learners)
        build_learners(ctx, learners)
        assign_history(ctx, history)
        build_records(ctx)
        build_enrolment(ctx)
        build_pursuits(ctx)
        # The demo's juries take the first learners, before the history's: at full size
        # the history's learners are more than one query may list, so it is not passed on.
        history_learners, ctx.history_learners = ctx.history_learners, set()
        build_juries(ctx)
        ctx.history_learners = history_learners
        build_history(ctx, history)
        for year in JURY_YEARS:
            build_year_juries(ctx, history, year)
    return DemoSummary(
        seed=seed,
        scale=scale,
        departments=len(ctx.departments),
        centres=len(ctx.centres),
        regional_centres=sum(1 for c in ctx.centres.values() if c.kind == CentreKind.REGIONAL),
        centres_abroad=sum(1 for c in ctx.centres.values() if c.kind == CentreKind.ABROAD),
        institutes=len(ctx.institutes),
        units=len(ctx.units),
        diplomas=len(ctx.diplomas),
        terms=len(ctx.terms),
        offerings=ctx.offering_count,
        teachers=ctx.teacher_count,
        employers=len(ctx.employers),
        learners=ctx.learner_count,
        logins=tuple(sorted(ctx.logins, key=lambda login: ROLE_ORDER.index(login.role))),
    )
