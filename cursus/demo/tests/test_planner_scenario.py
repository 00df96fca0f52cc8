"""The planner's story on the demo: the demo learner finishes the database certificate in Lyon."""

import pytest
from django.utils import translation

from cursus.catalogue.models import Offering
from cursus.demo.builder import DemoSummary
from cursus.demo.steps.calendar import REFERENCE_DAY
from cursus.enrolment.models import Learner
from cursus.planner.problem import Constraints, parse_windows
from cursus.planner.queries import learner_context, plan_for
from cursus.planner.solve import when
from cursus.records.models import Acquisition

pytestmark = pytest.mark.django_db

TUESDAY_AND_THURSDAY_EVENINGS = "tue:evening,thu:evening"


def test_demo_learner_holds_half_of_the_database_certificate(demo: DemoSummary) -> None:
    held = set(
        Acquisition.objects.filter(learner__number="A-0000001").values_list("unit__code", flat=True)
    )
    assert {"NFA008", "NFA011", "NFE156"} <= held
    assert held & {"NFE113", "NFP107", "NFE106"}
    assert not held & {"NSY103", "NSY107"}


def test_demo_learner_in_lyon_on_two_evenings_gets_a_plan_finishing_the_certificate(
    demo: DemoSummary,
) -> None:
    learner = Learner.objects.select_related("home_centre").get(number="A-0000001")
    assert learner.home_centre is not None
    assert learner.home_centre.code == "lyon"
    constraints = Constraints(
        centres=frozenset({"lyon"}), windows=parse_windows(TUESDAY_AND_THURSDAY_EVENINGS)
    )

    plan = plan_for(learner_context(learner, today=REFERENCE_DAY), "CC-ABD", constraints)

    assert plan.feasible
    assert plan.finishes is not None
    assert plan.finishes.code == "2026-S2"
    with translation.override("en"):
        planned = sorted(
            (o.candidate.unit, term.term.code, o.candidate.centre, when(o.candidate))
            for term in plan.terms
            for o in term.offerings
        )
    assert planned == [
        ("NSY103", "2026-S2", "lyon", "Tue 18:00–21:00"),
        ("NSY107", "2026-S2", "lyon", "Thu 18:00–21:00"),
    ]
    assert plan.next_term is not None
    assert plan.next_term.term.code == "2026-S2"
    # Next term's offerings are published and open for enrolment on the demo's day.
    offerings = Offering.objects.filter(
        pk__in=[o.candidate.offering_id for o in plan.next_term.offerings]
    ).select_related("term")
    assert len(offerings) == 2
    for offering in offerings:
        assert offering.published
        assert offering.term.enrolment_opens_on <= REFERENCE_DAY
        assert offering.term.enrolment_closes_on >= REFERENCE_DAY
