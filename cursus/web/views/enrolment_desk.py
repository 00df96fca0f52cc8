"""What each role's home page shows of enrolment: the learner's units this term, the full
offerings of a centre's staff, the agreements an employer contact has to sign, the
registrar's figures."""

from django.contrib.auth.models import AnonymousUser

from cursus.catalogue.models import Term
from cursus.core.models import Role, User
from cursus.core.scoping import Scope
from cursus.enrolment import queries as enrolment_queries
from cursus.enrolment.models import AgreementStatus

# A centre's staff see this many of their full offerings on their home page.
FULL_OFFERINGS_ON_DESK = 8


def enrolment_desk(
    user: User | AnonymousUser, scope: Scope, term: Term | None
) -> dict[str, object]:
    """Return the enrolment panels' context for the roles the user holds."""
    if not isinstance(user, User):
        return {}
    context: dict[str, object] = {}
    learner = enrolment_queries.learner_of(user) if scope.learner_id is not None else None
    if learner is not None and term is not None:
        enrolments = list(
            enrolment_queries.learner_enrolments(user, learner, term=term, active_only=True)
        )
        positions = enrolment_queries.waitlist_positions(enrolments)
        context["term_enrolments"] = [(e, positions.get(e.pk)) for e in enrolments]
        context["enrolment_learner"] = learner
    if scope.has(Role.CENTRE_STAFF) and term is not None:
        context["full_offerings"] = enrolment_queries.full_offerings(
            user, term, limit=FULL_OFFERINGS_ON_DESK
        )
    if scope.employer_ids:
        context["agreements_to_sign"] = list(
            enrolment_queries.visible_agreements(user, status=AgreementStatus.SENT)
        )
    if scope.is_registrar and term is not None:
        context["enrolment_figures"] = enrolment_queries.enrolment_overview(
            user, term.academic_year
        )
    return context
