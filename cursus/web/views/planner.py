"""The planner's pages: a plan to a diploma, its alternatives, enrolment from it, its PDF."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cursus.audit.queries import catalogue, search_diplomas
from cursus.catalogue.models import Formula
from cursus.core.errors import DomainError, InvalidInput, NotAllowed, NotFound
from cursus.core.scoping import scope_of
from cursus.enrolment.models import Learner
from cursus.planner import actions
from cursus.planner.inputs import MAX_ECTS_LIMIT, MAX_UNITS_LIMIT, PlanRequest, constraints_for
from cursus.planner.problem import PERIODS, PlanTerm, Problem
from cursus.planner.queries import (
    LearnerContext,
    Variation,
    alternatives,
    centres,
    diploma_version,
    learner_context,
    learner_for,
    problem_for,
    target_code,
    variations,
)
from cursus.planner.solve import Plan, PlannedOffering, make_plan, when
from cursus.web.permissions import member_view, user_of

DAYS = (
    ("mon", gettext_lazy("Monday")),
    ("tue", gettext_lazy("Tuesday")),
    ("wed", gettext_lazy("Wednesday")),
    ("thu", gettext_lazy("Thursday")),
    ("fri", gettext_lazy("Friday")),
    ("sat", gettext_lazy("Saturday")),
)
PERIOD_CHOICES = (
    ("morning", gettext_lazy("Morning")),
    ("afternoon", gettext_lazy("Afternoon")),
    ("evening", gettext_lazy("Evening")),
)


class FindLearnerForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Learner number"), max_length=12)


class PlanForm(forms.Form):
    """What a learner asks of a plan; the page's query string."""

    diploma = forms.ChoiceField(label=gettext_lazy("Diploma"), required=False)
    centres = forms.MultipleChoiceField(
        label=gettext_lazy("Centres you can reach"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: any centre. Distance learning needs no centre."),
    )
    formulas = forms.MultipleChoiceField(
        label=gettext_lazy("Formulas you accept"),
        required=False,
        choices=Formula.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every formula."),
    )
    max_units = forms.IntegerField(
        label=gettext_lazy("At most this many units per term"),
        required=False,
        min_value=1,
        max_value=MAX_UNITS_LIMIT,
    )
    max_ects = forms.IntegerField(
        label=gettext_lazy("At most this many ECTS per term"),
        required=False,
        min_value=1,
        max_value=MAX_ECTS_LIMIT,
    )
    skip = forms.MultipleChoiceField(
        label=gettext_lazy("Terms to skip"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, terms: list[PlanTerm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        diploma_field = self.fields["diploma"]
        assert isinstance(diploma_field, forms.ChoiceField)
        diploma_field.choices = [("", _("The closest diploma")), *self._diplomas()]
        centres_field = self.fields["centres"]
        assert isinstance(centres_field, forms.MultipleChoiceField)
        centres_field.choices = centres()
        skip_field = self.fields["skip"]
        assert isinstance(skip_field, forms.MultipleChoiceField)
        skip_field.choices = [(t.code, t.label) for t in terms]
        for day, label in DAYS:
            self.fields[f"free_{day}"] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=PERIOD_CHOICES,
                widget=forms.CheckboxSelectMultiple,
            )

    @staticmethod
    def _diplomas() -> list[tuple[str, str]]:
        return [(v.code, f"{v.code} — {v.title}") for v in search_diplomas()]

    @property
    def day_fields(self) -> list[forms.BoundField]:
        """Return the weekday fields, Monday first."""
        return [self[f"free_{day}"] for day, _label in DAYS]

    def plan_request(self) -> PlanRequest:
        """Return the request the valid form states."""
        data = self.cleaned_data
        free = []
        for day, _label in DAYS:
            periods = data.get(f"free_{day}") or []
            if periods:
                free.append(f"{day}:{'+'.join(p for p in PERIODS if p in periods)}")
        return PlanRequest(
            diploma=data.get("diploma") or "",
            centres=tuple(data.get("centres") or ()),
            formulas=tuple(data.get("formulas") or ()),
            weekdays=",".join(free),
            max_units=data.get("max_units"),
            max_ects=data.get("max_ects"),
            skip_terms=tuple(data.get("skip") or ()),
        )


def _initial(learner: Learner) -> QueryDict:
    """Return the form a learner starts from: their home centre, evenings and Saturdays."""
    initial = QueryDict(mutable=True)
    if learner.home_centre_id:
        initial.setlist("centres", [learner.home_centre.code])
    initial.setlist("formulas", [Formula.EVENING_SATURDAY, Formula.DISTANCE])
    return initial


@dataclass(frozen=True, slots=True)
class Row:
    """One offering of a plan as a page shows it."""

    planned: PlannedOffering
    title: str
    when: str
    formula: str


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan ready for a page."""

    plan: Plan
    title: str
    terms: list[tuple[PlanTerm, list[Row]]]

    @property
    def units(self) -> int:
        """Return how many units the plan takes."""
        return sum(len(rows) for _term, rows in self.terms)


def _view(plan: Plan) -> PlanView:
    cat = catalogue()
    versions = cat.versions.get(plan.diploma.code) or []
    title = versions[-1].title if versions else plan.diploma.title.fr
    formulas = dict(Formula.choices)
    return PlanView(
        plan=plan,
        title=title,
        terms=[
            (
                t.term,
                [
                    Row(
                        o,
                        cat.unit_title(o.candidate.unit),
                        when(o.candidate),
                        str(formulas.get(o.candidate.formula, o.candidate.formula)),
                    )
                    for o in t.offerings
                ],
            )
            for t in plan.terms
        ],
    )


@dataclass(frozen=True, slots=True)
class Planned:
    """What one submission of the form gives."""

    learner: Learner
    context: LearnerContext
    form: PlanForm
    problem: Problem | None = None
    plan: PlanView | None = None


def _planned(request: HttpRequest, number: str, data: QueryDict) -> Planned:
    user = user_of(request)
    learner = learner_for(user, number)
    context = learner_context(learner)
    form = PlanForm(data or _initial(learner), terms=list(context.terms))
    if not form.is_valid():
        return Planned(learner, context, form)
    try:
        constraints = constraints_for(form.plan_request())
        code = target_code(context, form.cleaned_data.get("diploma") or "")
        problem = problem_for(context, diploma_version(code), constraints)
    except InvalidInput as error:
        for field, errors in error.errors.items():
            form.add_error(field if field in form.fields else None, errors)
        return Planned(learner, context, form)
    except NotFound as error:
        form.add_error("diploma", error.message)
        return Planned(learner, context, form)
    return Planned(learner, context, form, problem, _view(make_plan(problem)))


@member_view
def start(request: HttpRequest) -> HttpResponse:
    """Send a learner to their plan; let staff find a learner to plan for."""
    user = user_of(request)
    scope = scope_of(user)
    if scope.learner_id is not None and not scope.is_staff_member:
        learner = Learner.objects.only("number").get(pk=scope.learner_id)
        return redirect("web:planner_learner", number=learner.number)
    if not scope.is_staff_member:
        raise NotAllowed(_("Only learners and staff make plans."))
    form = FindLearnerForm(request.GET or None)
    if form.is_valid():
        try:
            found = learner_for(user, form.cleaned_data["number"])
        except NotFound:
            form.add_error("number", _("No learner in your scope has this number."))
        else:
            return redirect("web:planner_learner", number=found.number)
    return render(request, "planner/find.html", {"form": form})


@member_view
def learner_plan(request: HttpRequest, number: str) -> HttpResponse:
    """Show the form, the plan, the closest alternatives and what a little more would change."""
    planned = _planned(request, number, request.GET)
    others: list[PlanView] = []
    changes: list[tuple[Variation, PlanView]] = []
    if planned.problem is not None and planned.plan is not None:
        others = [
            _view(p)
            for p in alternatives(
                planned.context, planned.problem.constraints, besides=planned.plan.plan.diploma.code
            )
        ]
        changes = [(v, _view(v.plan)) for v in variations(planned.problem)]
    query = request.GET.urlencode()
    return render(
        request,
        "planner/plan.html",
        {
            "learner": planned.learner,
            "is_self": planned.learner.user_id == user_of(request).pk,
            "form": planned.form,
            "view": planned.plan,
            "alternatives": others,
            "changes": changes,
            "query": query,
        },
    )


@member_view
@require_POST
def enrol(request: HttpRequest, number: str) -> HttpResponse:
    """Enrol the learner in the plan's next-term offerings, then show the plan again."""
    query = request.POST.get("query", "")
    planned = _planned(request, number, QueryDict(query))
    target = reverse("web:planner_learner", args=[planned.learner.number])
    if query:
        target += f"?{query}"
    if planned.plan is None:
        messages.error(request, _("Fix the plan's constraints before enrolling."))
        return redirect(target)
    try:
        done = actions.enrol_from_plan(
            actor=user_of(request), learner=planned.learner, plan=planned.plan.plan
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(target)
    for item in done:
        unit = item.planned.candidate.unit
        if item.status == "enrolled":
            messages.success(request, _("Enrolled in %(unit)s.") % {"unit": unit})
        elif item.status == "waitlisted":
            assert item.outcome is not None
            messages.warning(
                request,
                _("%(unit)s is full: on its waitlist, position %(position)s.")
                % {"unit": unit, "position": item.outcome.position},
            )
        else:
            messages.error(
                request,
                _("Not enrolled in %(unit)s: %(error)s") % {"unit": unit, "error": item.error},
            )
    return redirect(target)


@member_view
def plan_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """Return the plan as a PDF, to print during an orientation interview."""
    from cursus.core.documents import render_pdf

    planned = _planned(request, number, request.GET)
    if planned.plan is None:
        return redirect(
            reverse("web:planner_learner", args=[planned.learner.number])
            + f"?{request.GET.urlencode()}"
        )
    pdf = render_pdf(
        "planner/pdf.html",
        {"learner": planned.learner, "view": planned.plan},
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="plan-{planned.learner.number}-{planned.plan.plan.diploma.code}.pdf"'
    )
    return response
