"""Records' pages: grade grids, CSV imports, learners' records, transcripts and verification."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cursus.catalogue.models import Diploma
from cursus.core.documents import render_pdf
from cursus.core.errors import Conflict, InvalidInput, NotFound
from cursus.core.models import Event
from cursus.core.scoping import scope_of
from cursus.records import actions, queries
from cursus.records.grades import format_mark
from cursus.records.models import (
    CefrLevel,
    DocumentKind,
    ExamSession,
    IssuedDocument,
    Milestone,
    MilestoneKind,
    Result,
    Validation,
    ValidationSource,
)
from cursus.web.permissions import member_view, public_view, user_of

CSV_MAX_BYTES = 1_000_000
# How the history of a record names each kind of event.
EVENT_LABELS = {
    "records.result_recorded": gettext_lazy("Grade entered (draft)"),
    "records.result_published": gettext_lazy("Result published"),
    "records.result_corrected": gettext_lazy("Result corrected"),
    "records.validation_granted": gettext_lazy("Unit validated"),
    "records.validation_corrected": gettext_lazy("Validation corrected"),
    "records.validation_revoked": gettext_lazy("Validation revoked"),
    "records.milestone_recorded": gettext_lazy("Milestone recorded"),
    "records.milestone_corrected": gettext_lazy("Milestone corrected"),
}


def _labelled(events: Iterable[Event]) -> list[tuple[Event, str]]:
    return [(event, str(EVENT_LABELS.get(event.kind, event.kind))) for event in events]


# Forms: the shape of what the pages accept; the rules are the actions'.


class CsvForm(forms.Form):
    """A CSV file of grades."""

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "A first line naming the columns learner and grade, then one learner a line; "
            "commas or semicolons."
        ),
    )


class CorrectResultForm(forms.Form):
    """A corrected mark and why."""

    grade = forms.CharField(
        label=gettext_lazy("Corrected grade"),
        max_length=10,
        help_text=gettext_lazy("0 to 20, up to two decimals, or ABS (absent), EXC (excused)."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ReasonForm(forms.Form):
    """Why a validation is revoked."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ValidationForm(forms.Form):
    """A jury's decision granting units without a grade."""

    source = forms.ChoiceField(
        label=gettext_lazy("Kind of validation"), choices=ValidationSource.choices
    )
    units = forms.CharField(
        label=gettext_lazy("Units"),
        help_text=gettext_lazy("Codes separated by spaces or commas, e.g. NFA008 NSY103."),
    )
    diploma = forms.CharField(
        label=gettext_lazy("Diploma aimed at"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Its code, e.g. CC-ABD: required for a VES or a VAE."),
    )
    decision_reference = forms.CharField(label=gettext_lazy("Decision reference"), max_length=60)
    jury = forms.CharField(label=gettext_lazy("Jury"), max_length=200)
    decided_on = forms.DateField(
        label=gettext_lazy("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grounds = forms.CharField(
        label=gettext_lazy("Grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The studies, experience, former unit or institution it rests on."),
    )

    def clean_units(self) -> list[str]:
        return list(str(self.cleaned_data["units"]).replace(",", " ").upper().split())


class MilestoneForm(forms.Form):
    """A milestone of the learner's path, with its evidence."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MilestoneKind.choices)
    achieved_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        max_length=200,
        help_text=gettext_lazy("Certificate number, minutes, employer's letter."),
    )
    years = forms.CharField(label=gettext_lazy("Years of experience"), required=False, max_length=6)
    in_field_years = forms.CharField(
        label=gettext_lazy("Years in the field"), required=False, max_length=6
    )
    language = forms.CharField(
        label=gettext_lazy("Language"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("Two-letter code, e.g. en."),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("CEFR level"), required=False, choices=[("", "—"), *CefrLevel.choices]
    )
    test = forms.CharField(label=gettext_lazy("Test"), required=False, max_length=80)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The thesis's title."),
    )


class CorrectMilestoneForm(MilestoneForm):
    """A milestone corrected, or withdrawn, and why."""

    withdrawn = forms.BooleanField(label=gettext_lazy("Withdraw this milestone"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


def _show(errors: Mapping[str, list[str]], form: forms.Form) -> None:
    for key, texts in errors.items():
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


def _session(value: int) -> int:
    if value not in ExamSession.values:
        raise NotFound("No such session.", field="session")
    return value


# Grade grids.


@member_view
def grading(request: HttpRequest) -> HttpResponse:
    """List the offerings whose grades the user enters or publishes."""
    offerings = list(queries.gradable_offerings(user_of(request))[:200])
    return render(request, "records/grading.html", {"offerings": offerings})


def _grid_context(request: HttpRequest, offering_id: int, session: int) -> dict[str, Any]:
    user = user_of(request)
    offering = queries.gradable_offering(user, offering_id)
    grid = queries.grade_grid(user, offering, _session(session))
    return {
        "offering": offering,
        "grid": grid,
        "session": session,
        "rows": [
            {"row": row, "result": grid.result(row), "value": _cell(grid.result(row))}
            for row in grid.rows
        ],
        "may_publish": scope_of(user).covers_centre(offering.centre_id),
        "csv_form": CsvForm(),
    }


def _cell(result: Result | None) -> str:
    return "" if result is None else format_mark(result.status, result.grade)


@member_view
def grade_grid(request: HttpRequest, offering_id: int, session: int) -> HttpResponse:
    """Show and save a session's grades for a whole offering, one learner a line."""
    context = _grid_context(request, offering_id, session)
    if request.method != "POST":
        return render(request, "records/grid.html", context)
    typed = [
        (line, str(request.POST.get(f"grade-{line['row'].enrolment.learner.number}", "")).strip())
        for line in context["rows"]
    ]
    changed = [(line, value) for line, value in typed if value and value != line["value"]]
    entries = [
        actions.GradeEntry(line["row"].enrolment.learner.number, value) for line, value in changed
    ]
    for line, value in typed:
        line["value"] = value
    try:
        if entries:
            actions.record_results(
                actor=user_of(request),
                offering=context["offering"],
                session=session,
                entries=entries,
            )
    except InvalidInput as error:
        for key, texts in error.errors.items():
            index = int(key.partition("[")[2].partition("]")[0])
            changed[index][0]["error"] = " ".join(texts)
        context["errors"] = True
        return render(request, "records/grid.html", context, status=400)
    messages.success(request, _("%(count)s grades saved as drafts.") % {"count": len(entries)})
    return redirect("web:grade_grid", offering_id=offering_id, session=session)


@member_view
@require_POST
def import_grades(request: HttpRequest, offering_id: int, session: int) -> HttpResponse:
    """Import a session's grades from a CSV file: every line, or none."""
    context = _grid_context(request, offering_id, session)
    form = CsvForm(request.POST, request.FILES)
    context["csv_form"] = form
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            form.add_error("file", _("The file is larger than 1 MB."))
        else:
            raw = upload.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
            try:
                saved = actions.import_results_csv(
                    actor=user_of(request), offering=context["offering"], session=session, text=text
                )
            except InvalidInput as error:
                context["import_errors"] = error.errors
            else:
                messages.success(
                    request, _("%(count)s grades imported as drafts.") % {"count": len(saved)}
                )
                return redirect("web:grade_grid", offering_id=offering_id, session=session)
    return render(request, "records/grid.html", context, status=400)


@member_view
@require_POST
def publish_grades(request: HttpRequest, offering_id: int, session: int) -> HttpResponse:
    """Publish a session's drafts: the units passed join the learners' ledgers."""
    user = user_of(request)
    offering = queries.gradable_offering(user, offering_id)
    try:
        published = actions.publish_results(
            actor=user, offering=offering, session=_session(session)
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s results published.") % {"count": len(published)})
    return redirect("web:grade_grid", offering_id=offering_id, session=session)


# A learner's record.


@member_view
def learner_record(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's record: units held, attempts, validations, milestones, history."""
    user = user_of(request)
    record = queries.learner_record(user, number)
    return render(
        request,
        "records/record.html",
        {
            "record": record,
            "learner": record.learner,
            "history": _labelled(record.history),
            "may_edit": scope_of(user).covers_centre(record.learner.home_centre_id),
            "may_correct": {
                a.pk
                for a in record.attempts
                if scope_of(user).covers_centre(a.enrolment.offering.centre_id)
            },
        },
    )


def _editable_learner(request: HttpRequest, number: str) -> Any:
    user = user_of(request)
    learner = queries.readable_learner(user, number)
    actions.ensure_may_validate(user, learner)
    return learner


@member_view
def new_validation(request: HttpRequest, number: str) -> HttpResponse:
    """Record a VES, VAE, dispense, equivalence or transfer for a learner (staff)."""
    learner = _editable_learner(request, number)
    form = ValidationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        diploma_code = str(data.pop("diploma")).strip().upper()
        diploma = None
        if diploma_code:
            diploma = Diploma.objects.filter(code=diploma_code).order_by("-version").first()
            if diploma is None:
                form.add_error(
                    "diploma", _("No diploma has the code %(code)s.") % {"code": diploma_code}
                )
        if form.is_valid():
            try:
                granted = actions.validate_prior_learning(
                    actor=user_of(request), learner=learner, diploma=diploma, **data
                )
            except (InvalidInput, Conflict) as error:
                _show(error.as_errors(), form)
            else:
                messages.success(
                    request,
                    _("Validated: %(units)s.") % {"units": ", ".join(v.unit.code for v in granted)},
                )
                return redirect("web:learner_record", number=learner.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/form.html",
        {"form": form, "learner": learner, "title": _("Record a validation")},
        status=status,
    )


@member_view
def new_milestone(request: HttpRequest, number: str) -> HttpResponse:
    """Record a milestone with its evidence (staff)."""
    learner = _editable_learner(request, number)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_milestone(actor=user_of(request), learner=learner, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            _show(error.as_errors(), form)
        else:
            messages.success(request, _("Milestone recorded."))
            return redirect("web:learner_record", number=learner.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/form.html",
        {"form": form, "learner": learner, "title": _("Record a milestone")},
        status=status,
    )


@member_view
def correct_result(request: HttpRequest, result_id: int) -> HttpResponse:
    """Correct a published result, with a reason (staff of its centre, registrar)."""
    user = user_of(request)
    result = queries.visible_results(user).get(pk=result_id)
    form = CorrectResultForm(
        request.POST or None, initial={"grade": format_mark(result.status, result.grade)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_result(actor=user, result=result, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            _show(error.as_errors(), form)
        else:
            messages.success(request, _("Result corrected."))
            return redirect("web:learner_record", number=result.enrolment.learner.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/form.html",
        {
            "form": form,
            "learner": result.enrolment.learner,
            "title": _("Correct a result"),
            "subject": result,
            "history": _labelled(queries.result_history(result)),
        },
        status=status,
    )


@member_view
def revoke_validation(request: HttpRequest, validation_id: int) -> HttpResponse:
    """Revoke a validation, with a reason (staff of the home centre, registrar)."""
    user = user_of(request)
    validation = Validation.objects.select_related("learner", "unit").get(
        pk=validation_id, learner__in=queries.readable_learners(user)
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke_validation(actor=user, validation=validation, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            _show(error.as_errors(), form)
        else:
            messages.success(request, _("Validation revoked."))
            return redirect("web:learner_record", number=validation.learner.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/form.html",
        {
            "form": form,
            "learner": validation.learner,
            "title": _("Revoke the validation of %(code)s") % {"code": validation.unit.code},
            "danger": True,
        },
        status=status,
    )


@member_view
def correct_milestone(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """Correct or withdraw a milestone, with a reason (staff of the home centre, registrar)."""
    user = user_of(request)
    milestone = Milestone.objects.select_related("learner").get(
        pk=milestone_id, learner__in=queries.readable_learners(user)
    )
    initial = {
        name: getattr(milestone, name)
        for name in ("achieved_on", "evidence", "language", "level", "test", "title")
    }
    initial.update(
        {
            "years": "" if milestone.years is None else milestone.years,
            "in_field_years": "" if milestone.in_field_years is None else milestone.in_field_years,
        }
    )
    form = CorrectMilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        changes = {name: data[name] for name in form.changed_data if name in data}
        changes.pop("withdrawn", None)
        if data["withdrawn"]:
            changes["withdrawn"] = True
        try:
            actions.correct_milestone(
                actor=user, milestone=milestone, changes=changes, reason=reason
            )
        except (InvalidInput, Conflict) as error:
            _show(error.as_errors(), form)
        else:
            messages.success(request, _("Milestone corrected."))
            return redirect("web:learner_record", number=milestone.learner.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/form.html",
        {
            "form": form,
            "learner": milestone.learner,
            "title": _("Correct a milestone: %(kind)s") % {"kind": milestone.get_kind_display()},
        },
        status=status,
    )


# Transcripts and attestations.


@member_view
def transcript(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's transcript, with the button that issues it as a PDF."""
    record = queries.learner_record(user_of(request), number)
    return render(request, "records/transcript.html", {"record": record, "learner": record.learner})


@member_view
@require_POST
def issue_transcript(request: HttpRequest, number: str) -> HttpResponse:
    """Issue the transcript as it stands and download it."""
    user = user_of(request)
    learner = queries.readable_learner(user, number)
    document = actions.issue_transcript(actor=user, learner=learner)
    return redirect("web:issued_document", token=document.token)


@member_view
@require_POST
def issue_attestation(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """Issue an attestation of success for one unit held, and download it."""
    user = user_of(request)
    learner = queries.readable_learner(user, number)
    try:
        document = actions.issue_attestation(actor=user, learner=learner, unit_code=code)
    except InvalidInput as error:
        raise NotFound(error.message) from error
    return redirect("web:issued_document", token=document.token)


def verification_url(request: HttpRequest, document: IssuedDocument) -> str:
    """Return the public address that confirms a document."""
    return request.build_absolute_uri(
        reverse("web:verify_document", kwargs={"kind": document.kind, "token": document.token})
    )


def document_pdf(request: HttpRequest, document: IssuedDocument) -> bytes:
    """Render an issued document as a bilingual PDF, its QR code leading to its verification."""
    url = verification_url(request, document)
    return render_pdf(
        "records/pdf/document.html",
        {
            "document": document,
            "content": document.content,
            "units": [
                {**unit, "on": date.fromisoformat(unit["date"])}
                for unit in document.content["units"]
            ],
            "is_transcript": document.kind == DocumentKind.TRANSCRIPT,
            "verification_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=1),
        },
        base_url=request.build_absolute_uri("/"),
    )


@member_view
def issued_document(request: HttpRequest, token: str) -> HttpResponse:
    """Download an issued transcript or attestation as a PDF (the holder, their staff)."""
    document = queries.readable_document(user_of(request), token)
    response = HttpResponse(document_pdf(request, document), content_type="application/pdf")
    name = f"{document.kind}-{document.learner.number}"
    if document.unit is not None:
        name += f"-{document.unit.code}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@public_view
def verify_document(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    """Confirm to anyone holding its verification code that a document is genuine."""
    check = queries.check_document(token)
    if check.document.kind != kind:
        raise NotFound("No such document.")
    return render(
        request,
        "records/verify.html",
        {
            "check": check,
            "document": check.document,
            "content": check.document.content,
            "now": timezone.now(),
        },
    )
