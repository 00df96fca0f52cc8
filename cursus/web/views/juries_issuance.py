"""Issuance of a session's diploma documents in the background; credentials of units."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cursus.core.errors import DomainError, InvalidInput, NotFound
from cursus.credentials import actions, issuance, queries
from cursus.records.queries import readable_learner
from cursus.web.permissions import member_view, public_view, user_of
from cursus.web.progress import progress_answer
from cursus.web.views.juries_credentials import JSON_LD, _json

# -- The documents of a session ----------------------------------------------------------------


@member_view
@require_POST
def queue(request: HttpRequest, session_id: int) -> HttpResponse:
    """Queue the issuance of the documents of a session's diplomas."""
    user = user_of(request)
    found = queries.session_of(user, session_id)
    try:
        actions.queue_issuance(actor=user, session=found)
    except DomainError as error:
        for problems in error.as_errors().values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The documents are being issued."))
    return redirect(reverse("web:jury_session", args=[found.pk]) + "#issuance")


@member_view
def progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Answer an issuance's progress as JSON, for the session page's script."""
    batch = queries.issuance_batch_of(user_of(request), batch_id)
    return progress_answer(
        status=batch.status,
        status_text=batch.get_status_display(),
        done=batch.done,
        total=batch.total,
        percent=batch.percent,
        finished=batch.is_finished,
        url=reverse("web:jury_session", args=[batch.session_id]) + "#issuance",
        documents=batch.documents,
    )


# -- Credentials of capitalised units ----------------------------------------------------------


@member_view
@require_POST
def issue_unit(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """Issue the credential of a unit the learner holds (once), and download it."""
    user = user_of(request)
    learner = readable_learner(user, number)
    try:
        made = actions.issue_unit_credential(actor=user, learner=learner, unit_code=code)
    except InvalidInput as error:
        raise NotFound(error.message) from error
    return redirect("web:unit_credential", public_id=made.public_id)


@member_view
def unit_credential(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the signed credential of a unit (the learner, staff in scope, registrar)."""
    found = queries.unit_credential_of(user_of(request), public_id)
    response = _json(issuance.unit_credential_for(found), JSON_LD)
    name = f"unit-{found.unit_code}-{found.learner.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public_view
def unit_status_list(request: HttpRequest, list_number: int) -> HttpResponse:
    """A signed revocation status list of units' credentials."""
    if not issuance.unit_status_list_exists(list_number):
        raise Http404(_("No such status list."))
    response = _json(issuance.unit_status_list_credential(list_number), JSON_LD)
    response["Cache-Control"] = "no-cache"
    return response
