"""The home page: the institution to a visitor, each role's desk to the logged in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cursus.catalogue import queries
from cursus.catalogue.models import Formula
from cursus.core.models import Role
from cursus.core.scoping import scope_of
from cursus.enrolment import queries as enrolment_queries
from cursus.web.permissions import public_view
from cursus.web.views.enrolment_desk import enrolment_desk

# The registrar's desk charts the centres with the most offerings this term.
BUSIEST_CENTRES = 8


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page, or the desk of each role the user holds."""
    user = request.user
    scope = scope_of(user)
    term = queries.current_term()
    context: dict[str, object] = {
        "term": term,
        "role_labels": [label for value, label in Role.choices if scope.has(value)],
        "learner_total": None,
    }
    if not user.is_authenticated:
        context["overview"] = queries.catalogue_overview(term)
        context["departments"] = queries.departments()
        context["centres"] = queries.centres_seat_first()
        return render(request, "web/home/landing.html", context)
    if scope.learner_id is not None:
        context["learner"] = enrolment_queries.learner_of(user)
    if scope.has(Role.TEACHER):
        context["teaching"] = queries.taught_offerings(user, term)
    if scope.has(Role.CENTRE_STAFF):
        centres = list(queries.administered_centres(user, term=term))
        counts = enrolment_queries.home_learner_counts([c.pk for c in centres])
        context["staff_centres"] = [(centre, counts.get(centre.pk, 0)) for centre in centres]
    if scope.is_registrar:
        overview = queries.catalogue_overview(term, centres=BUSIEST_CENTRES)
        context["overview"] = overview
        context["learner_total"] = enrolment_queries.learner_total()
        context["formula_bars"] = bars(
            [
                (str(Formula(formula).label), count)
                for formula, count in overview.offerings_by_formula
            ]
        )
        context["centre_bars"] = bars(
            [(centre.name, count) for centre, count in overview.busiest_centres]
        )
    if scope.has(Role.JURY_MEMBER):
        context["jury_centres"] = queries.centres_by_ids(scope.jury_centre_ids)
    if scope.has(Role.EMPLOYER_CONTACT):
        context["employees"] = enrolment_queries.employer_learners(user)
    context.update(enrolment_desk(user, scope, term))
    return render(request, "web/home/desk.html", context)


def bars(rows: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Return each row's label, count and length as a share of the longest bar, in per cent."""
    longest = max((count for _, count in rows), default=0)
    return [(label, count, round(100 * count / longest) if longest else 0) for label, count in rows]
