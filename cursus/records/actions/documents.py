"""Issue transcripts and attestations: a snapshot, its digest and a random verification token.

Issuing the same content again returns the document already issued, so that a
learner who downloads twice holds one verifiable document, not two.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.core.errors import InvalidInput, NotAllowed
from cursus.core.events import record_event
from cursus.core.models import User
from cursus.enrolment.models import Learner
from cursus.records import queries
from cursus.records.models import DocumentKind, IssuedDocument
from cursus.records.queries import attestation_content, content_digest, transcript_content

# 32 random bytes: the token cannot be guessed, and it names the document in its URL.
TOKEN_BYTES = 32


def _ensure_may_issue(actor: User, learner: Learner) -> None:
    if not queries.readable_learners(actor).filter(pk=learner.pk).exists():
        raise NotAllowed(_("Only the learner and the staff who keep their record issue this."))


def _issue(
    actor: User, learner: Learner, kind: str, content: dict[str, object], unit_code: str = ""
) -> IssuedDocument:
    digest = content_digest(content)
    existing = (
        IssuedDocument.objects.filter(learner=learner, kind=kind, digest=digest)
        .select_related("learner", "unit")
        .order_by("-issued_at")
        .first()
    )
    if existing is not None:
        return existing
    document = IssuedDocument.objects.create(
        kind=kind,
        learner=learner,
        unit_id=(None if not unit_code else learner.acquisitions.get(unit__code=unit_code).unit_id),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        digest=digest,
        content=content,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    record_event(
        kind="records.document_issued",
        subject=document,
        actor=actor,
        data={"kind": kind, "learner": learner.pk, "unit": unit_code or None, "digest": digest},
    )
    return document


@transaction.atomic
def issue_transcript(*, actor: User, learner: Learner) -> IssuedDocument:
    """Issue the learner's transcript as it stands: every unit held."""
    _ensure_may_issue(actor, learner)
    return _issue(actor, learner, DocumentKind.TRANSCRIPT, transcript_content(learner))


@transaction.atomic
def issue_attestation(*, actor: User, learner: Learner, unit_code: str) -> IssuedDocument:
    """Issue an attestation of success for one unit the learner holds."""
    _ensure_may_issue(actor, learner)
    code = unit_code.strip().upper()
    content = attestation_content(learner, code)
    if content is None:
        raise InvalidInput(
            {"unit": [_("%(code)s is not among the units this learner holds.") % {"code": code}]}
        )
    return _issue(actor, learner, DocumentKind.ATTESTATION, content, code)
