"""Import and export pages: upload a file, read its dry run, confirm, follow the import."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cursus.core.errors import Conflict, InvalidInput
from cursus.exchange import actions, queries
from cursus.exchange.files import csv_bytes, xlsx_bytes
from cursus.exchange.formats import COLUMNS, KINDS
from cursus.web.permissions import member_view, user_of
from cursus.web.progress import progress_answer

REFRESH_SECONDS = 2
KIND_CHOICES = [
    ("learners", gettext_lazy("Learners")),
    ("units", gettext_lazy("Units")),
    ("offerings", gettext_lazy("Offerings")),
    ("enrolments", gettext_lazy("Enrolments")),
    ("results", gettext_lazy("Results (historic, published)")),
]


class UploadForm(forms.Form):
    """The file to import and what it holds."""

    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=gettext_lazy("File (CSV in UTF-8, or XLSX)"), allow_empty_file=False
    )


class ExportForm(forms.Form):
    """What to export, in which format (its fields' ids start ``id_export-``)."""

    prefix = "export"

    kind = forms.ChoiceField(label=gettext_lazy("Export"), choices=KIND_CHOICES)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")]
    )
    year = forms.IntegerField(
        label=gettext_lazy("Academic year (first year, optional)"),
        required=False,
        min_value=1900,
        max_value=2200,
    )
    centre = forms.CharField(label=gettext_lazy("Centre code (optional)"), required=False)


@member_view
def page(request: HttpRequest) -> HttpResponse:
    """Show the upload and export forms and the latest imports; take an upload."""
    user = user_of(request)
    jobs = queries.import_jobs(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = actions.start_import(
                actor=user,
                kind=form.cleaned_data["kind"],
                file_name=upload.name or "",
                content=upload.read(),
            )
        except InvalidInput as error:
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("web:exchange_job", job_id=job.pk)
    return render(
        request,
        "exchange/page.html",
        {
            "form": form,
            "export_form": ExportForm(),
            "jobs": jobs,
            "columns": [(label, COLUMNS[kind]) for kind, label in KIND_CHOICES],
        },
        status=422 if form.errors else 200,
    )


@member_view
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Show an import's dry run or progress; confirm the import of a checked file."""
    user = user_of(request)
    found = queries.import_job(user, job_id)
    error = ""
    if request.method == "POST":
        try:
            found = actions.confirm_import(actor=user, job=found)
        except Conflict as conflict:
            error = conflict.message
        else:
            return redirect("web:exchange_job", job_id=found.pk)
    return render(
        request,
        "exchange/job.html",
        {"job": found, "refresh": REFRESH_SECONDS, "error": error},
        status=409 if error else 200,
    )


@member_view
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """Answer an import's progress as JSON, for the page's script."""
    found = queries.import_job(user_of(request), job_id)
    return progress_answer(
        status=found.status,
        status_text=found.get_status_display(),
        done=found.rows_done,
        total=found.rows_total,
        percent=found.percent,
        finished=not found.is_running,
        url=reverse("web:exchange_job", args=[found.pk]),
    )


@member_view
def export(request: HttpRequest) -> HttpResponse:
    """Download one kind of rows, as CSV or XLSX, in the import's columns."""
    user = user_of(request)
    form = ExportForm(request.GET)
    if not form.is_valid() or form.cleaned_data["kind"] not in KINDS:
        return render(
            request,
            "exchange/page.html",
            {
                "form": UploadForm(),
                "export_form": form,
                "jobs": queries.import_jobs(user),
                "columns": [(label, COLUMNS[kind]) for kind, label in KIND_CHOICES],
            },
            status=422,
        )
    kind, chosen = form.cleaned_data["kind"], form.cleaned_data["format"]
    rows = queries.export_rows(
        user=user,
        kind=kind,
        year=form.cleaned_data["year"],
        centre=form.cleaned_data["centre"] or None,
    )
    if chosen == "xlsx":
        content = xlsx_bytes(rows, COLUMNS[kind], title=kind)
        kind_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = csv_bytes(rows, COLUMNS[kind])
        kind_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{chosen}"'
    return response
