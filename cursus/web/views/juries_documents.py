"""Signed documents of diplomas: downloads of parchments, supplements, credentials and minutes,
and the public pages their QR codes lead to."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cursus.credentials import documents, queries
from cursus.credentials.models import Decision
from cursus.web.permissions import member_view, public_view, user_of


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view
def document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """Download a diploma's signed document, issued on its first download."""
    if kind not in documents.CONTENT_TYPES:
        raise Http404(_("No such document."))
    user = user_of(request)
    award = queries.documents_award_of(user, number)
    found = documents.download(award=award, kind=kind, actor=user)
    if found is None:
        raise Http404(_("No such document."))
    return _attachment(found.content, found.content_type, found.name)


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
