"""Audits' pages: my diplomas, what-if, closest diplomas, and the institution-wide audit."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cursus.audit import actions, queries
from cursus.audit.engine import (
    AllNode,
    AnyNode,
    AuditResult,
    ChooseNode,
    Holdings,
    NodeResult,
    Remaining,
    UnitNode,
    holdings,
)
from cursus.audit.engine.explain import summary
from cursus.audit.models import Pursuit
from cursus.catalogue.models import DiplomaKind
from cursus.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from cursus.core.scoping import scope_of
from cursus.enrolment.models import Learner
from cursus.web.permissions import member_view, user_of
from cursus.web.progress import progress_answer

# Diplomas shown on the learner's page, and on the full ranking.
CLOSEST_SHOWN = 5
CLOSEST_LISTED = 50
# Seconds between two refreshes of a running audit's page, without JavaScript.
REFRESH_SECONDS = 3


def _lang() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


# -- What the templates show -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeView:
    """One requirement as a page shows it."""

    label: str
    key: str
    status: str
    status_text: str
    progress: str
    units: tuple[str, ...]
    children: tuple["NodeView", ...]


@dataclass(frozen=True, slots=True)
class AuditView:
    """A learner audited against one diploma version, ready for a page."""

    code: str
    version: int
    title: str
    satisfied: bool
    ects: float
    remaining: Remaining
    percent: int
    missing: list[str]
    tree: NodeView


def _label(node: NodeResult, cat: queries.Catalogue, lang: str) -> str:
    source = node.node
    if source.title is not None:
        return source.title.en if lang == "en" else source.title.fr
    if isinstance(source, UnitNode):
        title = cat.unit_title(source.code)
        return f"{source.code} {title}".strip()
    if isinstance(source, AllNode):
        return _("All of the following")
    if isinstance(source, AnyNode):
        return _("One of the following")
    if isinstance(source, ChooseNode):
        return _("%(count)s of the following") % {"count": source.count}
    return summary(source, "en" if lang == "en" else "fr")


def node_view(node: NodeResult, cat: queries.Catalogue, lang: str) -> NodeView:
    """Return a requirement's view, with its children's."""
    return NodeView(
        label=_label(node, cat, lang),
        key=node.key,
        status=str(node.status),
        status_text=node.status.text(lang),
        progress=node.progress(lang),
        units=node.units,
        children=tuple(node_view(child, cat, lang) for child in node.children),
    )


def _percent(satisfied: bool, ects: float, left: Remaining) -> int:
    if satisfied:
        return 100
    total = ects + left.ects
    return int(ects * 100 // total) if total > 0 else 0


def audit_view(
    version: queries.DiplomaVersion,
    result: AuditResult,
    left: Remaining,
    cat: queries.Catalogue,
) -> AuditView:
    """Return an audit as a page shows it: progress, what is missing, the tree."""
    lang = _lang()
    return AuditView(
        code=version.code,
        version=version.version,
        title=version.title,
        satisfied=result.satisfied,
        ects=result.ects,
        remaining=left,
        percent=_percent(result.satisfied, result.ects, left),
        missing=[m.text(lang) for m in result.missing],
        tree=node_view(result.tree(), cat, lang),
    )


@dataclass(frozen=True, slots=True)
class PursuitView:
    """A diploma pursued, audited, and why this version."""

    pursuit: Pursuit
    audit: AuditView
    reason: str


def _reason(choice: queries.VersionChoice, started_on: date) -> str:
    values = {
        "chosen": choice.chosen.version,
        "start": choice.at_start.version,
        "date": started_on.strftime("%d/%m/%Y"),
    }
    if choice.later_is_better:
        return (
            _(
                "Audited against version %(chosen)s: more favourable than version "
                "%(start)s, in force when this diploma was first pursued on %(date)s."
            )
            % values
        )
    if choice.compared > 1:
        return (
            _(
                "Audited against version %(chosen)s, in force when this diploma was first "
                "pursued on %(date)s: no later version is more favourable."
            )
            % values
        )
    return (
        _(
            "Audited against version %(chosen)s, in force when this diploma was first pursued "
            "on %(date)s."
        )
        % values
    )


@dataclass(frozen=True, slots=True)
class ClosestView:
    """One diploma of the closest ranking."""

    code: str
    version: int
    title: str
    kind: str
    satisfied: bool
    remaining: Remaining
    ects: float
    percent: int


def _closest_views(learner: Learner, held: Holdings, limit: int) -> list[ClosestView]:
    kinds = dict(DiplomaKind.choices)
    return [
        ClosestView(
            code=c.diploma.code,
            version=c.diploma.version,
            title=c.diploma.title,
            kind=str(kinds.get(c.diploma.kind, c.diploma.kind)),
            satisfied=c.closeness.satisfied,
            remaining=c.closeness.remaining,
            ects=c.closeness.ects,
            percent=_percent(c.closeness.satisfied, c.closeness.ects, c.closeness.remaining),
        )
        for c in queries.closest_diplomas(learner, limit=limit, held=held)
    ]


def _is_self(request: HttpRequest, learner: Learner) -> bool:
    return scope_of(user_of(request)).learner_id == learner.pk


def _may_manage(request: HttpRequest, learner: Learner) -> bool:
    scope = scope_of(user_of(request))
    return scope.learner_id == learner.pk or scope.covers_centre(learner.home_centre_id)


# -- Pages -------------------------------------------------------------------------------


class FindLearnerForm(forms.Form):
    """A learner's number, to audit them."""

    number = forms.CharField(label=gettext_lazy("Learner number"), max_length=20)


@member_view
def audits(request: HttpRequest) -> HttpResponse:
    """Send a learner to their diplomas; let staff find a learner to audit."""
    user = user_of(request)
    scope = scope_of(user)
    if scope.learner_id is not None and not scope.is_staff_member:
        learner = Learner.objects.only("number").get(pk=scope.learner_id)
        return redirect("web:audit_learner", number=learner.number)
    if not scope.is_staff_member:
        raise NotAllowed("Only learners and staff audit records.")
    form = FindLearnerForm(request.GET or None)
    if form.is_valid():
        try:
            found = queries.auditable_learner(user, form.cleaned_data["number"])
        except NotFound:
            form.add_error("number", _("No learner in your scope has this number."))
        else:
            return redirect("web:audit_learner", number=found.number)
    return render(request, "audit/find.html", {"form": form})


class PursueForm(forms.Form):
    """A diploma to aim at, from a date."""

    diploma = forms.CharField(label=gettext_lazy("Diploma code"), max_length=30)
    started_on = forms.DateField(
        label=gettext_lazy("Started on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("When you started towards it; today if left empty."),
    )


@member_view
def learner_diplomas(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's diplomas: those pursued, audited, and the closest ones."""
    user = user_of(request)
    learner = queries.auditable_learner(user, number)
    cat = queries.catalogue()
    held = holdings(queries.record_of(learner))
    pursued = [
        PursuitView(
            pursuit=p.pursuit,
            audit=audit_view(p.choice.chosen, p.choice.result, p.choice.remaining, cat),
            reason=_reason(p.choice, p.pursuit.started_on),
        )
        for p in queries.audit_pursuits(learner, held)
    ]
    return render(
        request,
        "audit/learner.html",
        {
            "learner": learner,
            "pursued": pursued,
            "closest": _closest_views(learner, held, CLOSEST_SHOWN),
            "is_self": _is_self(request, learner),
            "may_manage": _may_manage(request, learner),
            "pursue_form": PursueForm(),
            "held_ects": round(sum(a.ects for a in held.acquisitions)),
        },
    )


@member_view
def closest(request: HttpRequest, number: str) -> HttpResponse:
    """Rank every diploma by what the learner still lacks."""
    learner = queries.auditable_learner(user_of(request), number)
    held = holdings(queries.record_of(learner))
    return render(
        request,
        "audit/closest.html",
        {
            "learner": learner,
            "closest": _closest_views(learner, held, CLOSEST_LISTED),
            "is_self": _is_self(request, learner),
        },
    )


@member_view
def what_if_list(request: HttpRequest, number: str) -> HttpResponse:
    """List the diplomas to audit a learner against, searched by code or title."""
    learner = queries.auditable_learner(user_of(request), number)
    text = request.GET.get("q", "")[:100]
    return render(
        request,
        "audit/what_if_list.html",
        {"learner": learner, "q": text, "diplomas": queries.search_diplomas(text)},
    )


@member_view
def what_if(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """Audit a learner against any diploma: the latest version, or the one asked for."""
    learner = queries.auditable_learner(user_of(request), number)
    asked = request.GET.get("version", "")
    version = int(asked) if asked.isdigit() else None
    cat = queries.catalogue()
    chosen, result = queries.what_if(learner, code, version)
    return render(
        request,
        "audit/what_if.html",
        {
            "learner": learner,
            "audit": audit_view(chosen, result, result.remaining(cat.unit_ects), cat),
            "versions": cat.versions_of(code),
            "is_self": _is_self(request, learner),
            "may_manage": _may_manage(request, learner),
            "pursued": Pursuit.objects.filter(learner=learner, diploma_code=chosen.code).exists(),
        },
    )


@member_view
@require_POST
def pursue(request: HttpRequest, number: str) -> HttpResponse:
    """Record that a learner aims at a diploma."""
    user = user_of(request)
    learner = queries.auditable_learner(user, number)
    form = PursueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a diploma code and, if you wish, a valid date."))
        return redirect("web:audit_learner", number=learner.number)
    try:
        made = actions.pursue_diploma(
            actor=user,
            learner=learner,
            diploma_code=form.cleaned_data["diploma"],
            started_on=form.cleaned_data["started_on"],
        )
    except (InvalidInput, Conflict) as error:
        for problems in error.as_errors().values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(
            request, _("%(code)s added to the diplomas pursued.") % {"code": made.diploma_code}
        )
    return redirect("web:audit_learner", number=learner.number)


@member_view
@require_POST
def drop(request: HttpRequest, pursuit_id: int) -> HttpResponse:
    """Stop pursuing a diploma."""
    user = user_of(request)
    pursuit = queries.pursuit_of(user, pursuit_id)
    actions.drop_pursuit(actor=user, pursuit=pursuit)
    messages.success(
        request, _("%(code)s removed from the diplomas pursued.") % {"code": pursuit.diploma_code}
    )
    return redirect("web:audit_learner", number=pursuit.learner.number)


# -- The institution-wide audit ----------------------------------------------------------------


@member_view
def institution(request: HttpRequest) -> HttpResponse:
    """List the institution audits and start one (registrar)."""
    user = user_of(request)
    if request.method == "POST":
        try:
            run = actions.start_institution_audit(actor=user)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("web:audit_institution")
        return redirect("web:audit_run", run_id=run.pk)
    return render(request, "audit/institution.html", {"runs": queries.audit_runs(user)})


@member_view
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Show an institution audit's progress, refreshing itself while it runs."""
    found = queries.audit_run(user_of(request), run_id)
    seconds = None
    if found.started_at is not None and found.finished_at is not None:
        seconds = (found.finished_at - found.started_at).total_seconds()
    return render(
        request,
        "audit/run.html",
        {
            "run": found,
            "tallies": queries.run_tallies(found) if found.is_finished else [],
            "refresh": REFRESH_SECONDS,
            "seconds": seconds,
        },
    )


@member_view
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """Answer an institution audit's progress as JSON, for the page's script."""
    found = queries.audit_run(user_of(request), run_id)
    return progress_answer(
        status=found.status,
        status_text=found.get_status_display(),
        done=found.learners_done,
        total=found.learners_total,
        percent=found.percent,
        finished=found.is_finished,
        url=reverse("web:audit_run", args=[found.pk]),
        audits=found.audits,
    )
