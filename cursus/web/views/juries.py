"""Juries' pages: sessions, candidates with their evidence and decisions; a learner's diplomas."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cursus.catalogue.models import Centre
from cursus.core.errors import Conflict, DomainError, InvalidInput
from cursus.core.scoping import scope_of
from cursus.credentials import actions, queries
from cursus.credentials.models import Decision
from cursus.records.queries import readable_learner
from cursus.web.permissions import member_view, user_of


class SessionForm(forms.Form):
    diploma = forms.CharField(label=gettext_lazy("Diploma code"), max_length=30)
    held_on = forms.DateField(
        label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    centre = forms.ModelChoiceField(
        label=gettext_lazy("Centre"),
        queryset=Centre.objects.none(),
        required=False,
        empty_label=gettext_lazy("National jury"),
    )
    members = forms.MultipleChoiceField(label=gettext_lazy("Members"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        centres = Centre.objects.order_by("name")
        field = self.fields["centre"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centres if scope.is_registrar else centres.filter(pk__in=scope.centre_ids)
        self.jurors = {u.pk: u for u in queries.jurors()}
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(u.pk, u.get_full_name() or u.email) for u in self.jurors.values()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(c.value, c.label) for c in Decision if c != Decision.PENDING],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (defer or refuse)"), required=False, widget=forms.Textarea
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Jury override (award with the audit unsatisfied)"),
        required=False,
        widget=forms.Textarea,
    )


class RequestForm(forms.Form):
    diploma = forms.CharField(label=gettext_lazy("Diploma code"), max_length=30)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for revocation"), widget=forms.Textarea)


def _report(request: HttpRequest, error: DomainError) -> None:
    for problems in error.as_errors().values():
        for problem in problems:
            messages.error(request, problem)


@member_view
def sessions(request: HttpRequest) -> HttpResponse:
    """List the jury sessions the user sits on or administers; open one (staff, registrar)."""
    user = user_of(request)
    scope = scope_of(user)
    form = SessionForm(request.POST or None, user=user) if scope.is_staff_member else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            session = actions.open_jury_session(
                actor=user,
                diploma_code=form.cleaned_data["diploma"],
                held_on=form.cleaned_data["held_on"],
                centre=form.cleaned_data["centre"],
                members=[form.jurors[int(pk)] for pk in form.cleaned_data["members"]],
            )
        except DomainError as error:
            _report(request, error)
        else:
            messages.success(request, _("Jury session opened."))
            return redirect("web:jury_session", session_id=session.pk)
    found = list(queries.sessions_of(user).prefetch_related("members")[:100])
    return render(request, "juries/sessions.html", {"sessions": found, "form": form})


@member_view
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """Show a jury session: its candidates, their evidence and the decisions."""
    user = user_of(request)
    found = queries.session_of(user, session_id)
    scope = scope_of(user)
    candidates = queries.candidates_of(found)
    return render(
        request,
        "juries/session.html",
        {
            "session": found,
            "members": list(found.members.all()),
            "candidates": candidates,
            "satisfied_pending": sum(
                1 for c in candidates if c.satisfied and c.decision == Decision.PENDING
            ),
            "may_decide": queries.may_decide(user, found),
            "may_administer": scope.covers_centre(found.centre_id)
            if found.centre_id is not None
            else scope.is_registrar,
            "decision_form": DecisionForm(),
        },
    )


@member_view
@require_POST
def add_candidates(request: HttpRequest, session_id: int) -> HttpResponse:
    """Put the requests and the eligible learners before the jury."""
    user = user_of(request)
    found = queries.session_of(user, session_id)
    try:
        made = actions.add_candidates(actor=user, session=found)
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("%(count)d candidates added.") % {"count": len(made)})
    return redirect("web:jury_session", session_id=found.pk)


@member_view
@require_POST
def decide(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Record the jury's decision on a candidate."""
    user = user_of(request)
    candidate = queries.candidate_of(user, candidate_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose award, defer or refuse."))
    else:
        try:
            actions.decide(actor=user, candidate=candidate, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            _report(request, error)
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("web:jury_session", session_id=candidate.session_id)


@member_view
@require_POST
def award_satisfied(request: HttpRequest, session_id: int) -> HttpResponse:
    """Award every pending candidate whose audit is satisfied, at once."""
    user = user_of(request)
    found = queries.session_of(user, session_id)
    try:
        awards = actions.award_satisfied(actor=user, session=found)
    except Conflict as error:
        _report(request, error)
    else:
        count = len(awards)
        messages.success(
            request,
            ngettext("%(count)d diploma awarded.", "%(count)d diplomas awarded.", count)
            % {"count": count},
        )
    return redirect("web:jury_session", session_id=found.pk)


@member_view
@require_POST
def close(request: HttpRequest, session_id: int) -> HttpResponse:
    """Close a jury session."""
    user = user_of(request)
    found = queries.session_of(user, session_id)
    try:
        actions.close_jury_session(actor=user, session=found)
    except Conflict as error:
        _report(request, error)
    else:
        messages.success(request, _("Jury session closed."))
    return redirect("web:jury_session", session_id=found.pk)


@member_view
def learner_diplomas(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's awarded diplomas and requests; request one."""
    user = user_of(request)
    learner = readable_learner(user, number)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_diploma(
                actor=user, learner=learner, diploma_code=form.cleaned_data["diploma"]
            )
        except DomainError as error:
            _report(request, error)
        else:
            messages.success(request, _("Diploma requested: a jury will consider it."))
            return redirect("web:jury_learner", number=learner.number)
    return render(
        request,
        "juries/learner.html",
        {
            "learner": learner,
            "awards": queries.diplomas_of(user, learner),
            "requests": queries.requests_of(learner),
            "unit_credentials": queries.unit_credentials_issued(learner),
            "form": form,
            "revoke_form": RevokeForm() if scope_of(user).is_registrar else None,
        },
    )


@member_view
@require_POST
def revoke(request: HttpRequest, number: str) -> HttpResponse:
    """Revoke an awarded diploma with a reason (the registrar)."""
    user = user_of(request)
    award = queries.award_of(user, number)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
    else:
        try:
            actions.revoke_diploma(actor=user, award=award, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _report(request, error)
        else:
            messages.success(request, _("Diploma %(number)s revoked.") % {"number": award.number})
    return redirect("web:jury_learner", number=award.learner.number)
