"""Signed documents: a diploma's parchment, supplement and credential, a session's minutes,
the background issuance of a session's documents, and the credentials of capitalised units.

Who may read or issue what is decided by the same queries and actions as the web pages:
the learner their own, staff their centre's, a jury its sessions', the registrar all; a
revoked diploma's documents are withheld from its learner.
"""

import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cursus.api.auth import actor
from cursus.api.credentials import READ_ERRORS, WRITE_ERRORS
from cursus.core.errors import InvalidInput, NotFound
from cursus.credentials import actions, documents, issuance, queries
from cursus.credentials.models import IssuanceBatch
from cursus.records.queries import readable_learner

router = Router(tags=["credentials"])

DocumentKind = Literal["parchment", "supplement", "credential"]
PDF = "application/pdf"
JSON_LD = "application/ld+json"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_CREDENTIAL = {"schema": {"type": "object", "additionalProperties": True}}


class BatchOut(Schema):
    id: int
    session: int
    status: str = Field(description="queued, running, done or failed.")
    done: int = Field(description="Diplomas gone through so far.")
    total: int = Field(description="Diplomas to go through.")
    percent: int
    documents: int = Field(description="Documents stored by this batch.")
    finished: bool
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class UnitCredentialOut(Schema):
    public_id: UUID
    learner: str
    unit: str
    status: str
    issued_at: datetime
    document: dict[str, Any] = Field(description="The signed OpenBadgeCredential.")


def _batch(batch: IssuanceBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "session": batch.session_id,
        "status": batch.status,
        "done": batch.done,
        "total": batch.total,
        "percent": batch.percent,
        "documents": batch.documents,
        "finished": batch.is_finished,
        "requested_at": batch.created_at,
        "started_at": batch.started_at,
        "finished_at": batch.finished_at,
    }


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/credentials/diplomas/{number}/documents/{kind}",
    response={200: None, **READ_ERRORS},
    summary="Diploma document",
    openapi_extra={
        "responses": {200: {"content": {PDF: _BINARY, JSON_LD: _CREDENTIAL}}},
    },
)
def diploma_document(request: HttpRequest, number: str, kind: DocumentKind) -> HttpResponse:
    """Download a diploma's signed parchment, supplement or credential, issued on first asking.

    A revoked diploma's documents are withheld from its learner; its staff still read
    those issued before the revocation.
    """
    user = actor(request)
    award = queries.documents_award_of(user, number)
    found = documents.download(award=award, kind=kind, actor=user)
    if found is None:
        raise NotFound(_("No such document."), field="kind")
    return _attachment(found.content, found.content_type, found.name)


@router.get(
    "/credentials/sessions/{session_id}/minutes",
    response={200: None, **READ_ERRORS},
    summary="Jury minutes",
    openapi_extra={"responses": {200: {"content": {PDF: _BINARY}}}},
)
def minutes(request: HttpRequest, session_id: int) -> HttpResponse:
    """Download the signed minutes of a closed jury session (its jury, staff, the registrar)."""
    session = queries.minutes_session_of(actor(request), session_id)
    name = f"minutes-{session.diploma_code}-{session.held_on:%Y-%m-%d}-{session.pk}.pdf"
    return _attachment(documents.minutes_pdf(session), PDF, name)


@router.post(
    "/credentials/sessions/{session_id}/issuance",
    response={202: BatchOut, **WRITE_ERRORS},
    openapi_extra={
        "responses": {
            202: {
                "headers": {
                    "Location": {
                        "description": "The address of the issuance's progress.",
                        "schema": {"type": "string"},
                    }
                }
            }
        }
    },
)
def queue_issuance(
    request: HttpRequest, session_id: int, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Queue the issuance of the documents of a session's diplomas; follow it at ``Location``."""
    user = actor(request)
    batch = actions.queue_issuance(actor=user, session=queries.session_of(user, session_id))
    response["Location"] = reverse("api:credentials_issuance", args=[batch.pk])
    return Status(202, _batch(batch))


@router.get(
    "/credentials/issuance/{batch_id}",
    response={200: BatchOut, **READ_ERRORS},
    url_name="credentials_issuance",
)
def issuance_progress(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    """Return how far the issuance of a session's documents has gone."""
    return _batch(queries.issuance_batch_of(actor(request), batch_id))


@router.post(
    "/credentials/learners/{number}/units/{code}/credential",
    response={201: UnitCredentialOut, **WRITE_ERRORS},
)
def issue_unit_credential(request: HttpRequest, number: str, code: str) -> Status[dict[str, Any]]:
    """Issue the signed credential of a unit the learner holds; asked again, the same one."""
    user = actor(request)
    learner = readable_learner(user, number)
    try:
        made = actions.issue_unit_credential(actor=user, learner=learner, unit_code=code)
    except InvalidInput as error:
        # The unit is part of the address: one the learner does not hold is not found.
        raise NotFound(error.message, field="code") from error
    return Status(
        201,
        {
            "public_id": made.public_id,
            "learner": learner.number,
            "unit": made.unit_code,
            "status": made.status,
            "issued_at": made.issued_at,
            "document": issuance.unit_credential_for(made),
        },
    )


@router.get(
    "/credentials/units/{public_id}",
    response={200: None, **READ_ERRORS},
    summary="Unit credential",
    openapi_extra={"responses": {200: {"content": {JSON_LD: _CREDENTIAL}}}},
)
def unit_credential(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the signed credential of a unit (the learner, staff in scope, the registrar)."""
    found = queries.unit_credential_of(actor(request), public_id)
    content = json.dumps(issuance.unit_credential_for(found), ensure_ascii=False, indent=2).encode()
    return _attachment(content, JSON_LD, f"unit-{found.unit_code}-{found.learner.number}.json")
