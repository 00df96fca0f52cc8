"""Diplomas pursued: learners with a history aim at the diplomas their units lead to.

Each learner with units held pursues the diploma they are closest to (and
one in three a second one), from the day of their first unit; the demo
learner pursues the database administrator certificate (CC-ABD) and the
diploma their units bring closest. Pursuits go through the audits' action,
so the event log holds them.
"""

from datetime import date

from cursus.audit.actions import pursue_diploma
from cursus.audit.engine import holdings
from cursus.audit.queries import catalogue, records_of
from cursus.demo.steps.context import BuildContext
from cursus.enrolment.models import Learner
from cursus.records.models import Acquisition

DEMO_DIPLOMA = "CC-ABD"
SECOND_PURSUIT_SHARE = 3


def build_pursuits(ctx: BuildContext) -> int:
    """Record the diplomas learners with a history pursue; return how many."""
    first_unit: dict[int, date] = {}
    for learner_id, acquired_on in Acquisition.objects.order_by(
        "learner_id", "acquired_on"
    ).values_list("learner_id", "acquired_on"):
        first_unit.setdefault(learner_id, acquired_on)
    demo = ctx.demo_learner
    ids = sorted(first_unit)
    if demo is not None and demo.pk not in first_unit:
        ids.insert(0, demo.pk)
    if not ids:
        return 0
    rng = ctx.rng("pursuits")
    cat = catalogue()
    records = records_of(ids)
    learners = Learner.objects.select_related("home_centre").in_bulk(ids)
    made = 0
    for done, learner_id in enumerate(ids, start=1):
        learner = learners[learner_id]
        ranked = cat.index.rank(holdings(records[learner_id]))
        wanted = [cat.latest[c.position].code for c in ranked if not c.satisfied][:2]
        if demo is not None and learner_id == demo.pk:
            if DEMO_DIPLOMA in cat.versions:
                wanted = [DEMO_DIPLOMA, *(code for code in wanted if code != DEMO_DIPLOMA)][:2]
        elif rng.randrange(SECOND_PURSUIT_SHARE):
            wanted = wanted[:1]
        started_on = first_unit.get(learner_id)
        for code in wanted:
            pursue_diploma(
                actor=ctx.registrar, learner=learner, diploma_code=code, started_on=started_on
            )
            made += 1
        ctx.report("pursuits", done, len(ids))
    return made
