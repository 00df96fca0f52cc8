"""Writes from a plan: enrol in the offerings of its next term."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cursus.catalogue.models import Offering
from cursus.core.errors import DomainError, InvalidInput
from cursus.core.models import User
from cursus.enrolment.actions import EnrolmentOutcome, enrol
from cursus.enrolment.models import Learner
from cursus.planner.solve import Plan, PlannedOffering


@dataclass(frozen=True, slots=True)
class PlanEnrolment:
    """What enrolling in one offering of the plan gave: a place, a waitlist, or a refusal."""

    planned: PlannedOffering
    outcome: EnrolmentOutcome | None = None
    error: str = ""

    @property
    def status(self) -> str:
        """Return enrolled, waitlisted or refused."""
        if self.outcome is None:
            return "refused"
        return "enrolled" if self.outcome.enrolled else "waitlisted"


def enrol_from_plan(*, actor: User, learner: Learner, plan: Plan) -> list[PlanEnrolment]:
    """Enrol the learner in the offerings of the plan's next open term, one ``enrol`` each.

    Each enrolment is its own transaction, with the enrolment rules, capacity
    and waitlists: a full offering puts the learner on its waitlist, a refused
    one (enrolment closed, no registration for the year) is reported and does
    not undo the others. Idempotency keys make a repeated click enrol once.
    Offerings the learner is already in are left as they are; a plan whose
    terms are all projected or already enrolled in raises InvalidInput.
    """
    first = plan.next_term if plan.feasible else None
    if first is None:
        raise InvalidInput({"plan": [_("This plan has no term open for enrolment.")]})
    to_take = [o for o in first.offerings if o.candidate.offering_id not in plan.enrolled]
    ids = [o.candidate.offering_id for o in to_take if o.candidate.offering_id is not None]
    offerings = {
        o.pk: o
        for o in Offering.objects.select_related("unit", "term__academic_year", "centre").filter(
            pk__in=ids
        )
    }
    held = sorted(plan.held)
    results: list[PlanEnrolment] = []
    for planned in to_take:
        offering = offerings.get(planned.candidate.offering_id or 0)
        if offering is None:
            results.append(
                PlanEnrolment(planned, error=_("This offering is no longer in the catalogue."))
            )
            continue
        try:
            outcome = enrol(
                actor=actor,
                learner=learner,
                offering=offering,
                idempotency_key=f"plan-{offering.pk}",
                held_units=held,
            )
        except DomainError as error:
            results.append(PlanEnrolment(planned, error=str(error.message)))
        else:
            results.append(PlanEnrolment(planned, outcome))
    return results
