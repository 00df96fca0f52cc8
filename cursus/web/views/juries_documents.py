"""Signed documents of diplomas: downloads of parchments, supplements, credentials and minutes,
and the public pages their QR codes lead to."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cursus.core.errors import Conflict
from cursus.credentials import documents, queries
from cursus.credentials.models import Decision, DiplomaDocumentKind
from cursus.web.permissions import member_view, public_view, user_of

CONTENT_TYPES = {
    DiplomaDocumentKind.PARCHMENT: ("application/pdf", "pdf"),
    DiplomaDocumentKind.SUPPLEMENT: ("application/pdf", "pdf"),
    DiplomaDocumentKind.CREDENTIAL: ("application/ld+json", "json"),
}


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view
def document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """Download a diploma's signed document, issued on its first download."""
    if kind not in CONTENT_TYPES:
        raise Http404(_("No such document."))
    user = user_of(request)
    award = queries.documents_award_of(user, number)
    try:
        issued = documents.issue_documents(award=award, actor=user)
    except Conflict:
        # A revoked diploma: its staff still read what was issued before the revocation.
        issued = queries.documents_of(award, with_content=True)
    found = next((d for d in issued if d.kind == kind), None)
    if found is None:
        raise Http404(_("No such document."))
    content_type, extension = CONTENT_TYPES[DiplomaDocumentKind(kind)]
    return _attachment(bytes(found.content), content_type, f"{kind}-{award.number}.{extension}")


@member_view
def minutes(request: HttpRequest, session_id: int) -> HttpResponse:
    """Download the signed minutes of a closed jury session (its jury and staff)."""
    session = queries.minutes_session_of(user_of(request), session_id)
    name = f"minutes-{session.diploma_code}-{session.held_on:%Y-%m-%d}-{session.pk}.pdf"
    return _attachment(documents.minutes_pdf(session), "application/pdf", name)


@public_view
def verify_diploma(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """Confirm to anyone holding its QR code that a diploma was awarded, or that it is revoked."""
    award = queries.verified_award(number, code)
    return render(
        request,
        "juries/verify_diploma.html",
        {
            "award": award,
            "documents": queries.documents_of(award),
            "certificates": documents.signing_certificate_numbers(),
        },
    )


@public_view
def verify_minutes(request: HttpRequest, session_id: int, code: str) -> HttpResponse:
    """Confirm to anyone holding its QR code that a jury sat and what it decided, in numbers."""
    session = queries.verified_session(session_id, code)
    candidates = queries.candidates_of(session)
    return render(
        request,
        "juries/verify_minutes.html",
        {
            "session": session,
            "candidates": len(candidates),
            "awarded": sum(1 for c in candidates if c.decision == Decision.AWARD),
        },
    )


@public_view
def signing_certificate(request: HttpRequest, number: int) -> HttpResponse:
    """Serve one of the certificates that sign the institution's PDF documents, old or current."""
    found = documents.signing_certificate_pem(number)
    if found is None:
        raise Http404(_("No such certificate."))
    response = HttpResponse(found, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'inline; filename="pdf-signing-{number}.crt"'
    return response
