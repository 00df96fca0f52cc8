"""Reads of diplomas: the evidence put before a jury, eligibility, sessions and awards in scope."""

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet

from cursus.audit.engine import holdings
from cursus.audit.models import AuditRun, AuditRunStatus, AuditSnapshot, Pursuit
from cursus.audit.queries import catalogue, favourable_audit, record_from
from cursus.catalogue.models import Centre, DiplomaKind
from cursus.core.errors import NotFound
from cursus.core.models import Role
from cursus.core.scoping import restrict, scope_of
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    Candidate,
    DiplomaDocument,
    DiplomaRequest,
    Honours,
    IssuanceBatch,
    JurySession,
    SessionStatus,
    UnitCredential,
    UnitCredentialStatus,
)
from cursus.enrolment.models import Learner
from cursus.records.queries import ledgers_of, milestones_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User

    Reader = User | AnonymousUser | None

# Diploma kinds awarded with honours, from the ECTS-weighted average of their graded units.
HONOURS_KINDS = frozenset({DiplomaKind.LICENCE, DiplomaKind.MASTER})
# Lowest average (out of 20) for each honours, best first.
HONOURS_THRESHOLDS = (
    (Decimal(16), Honours.TRES_BIEN),
    (Decimal(14), Honours.BIEN),
    (Decimal(12), Honours.ASSEZ_BIEN),
)
# Learners whose evidence is read at once: a national jury may hear several hundred.
EVIDENCE_CHUNK = 500


# -- Honours -----------------------------------------------------------------------------------


def weighted_average(graded: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    """Return the ECTS-weighted average of (grade, ECTS) pairs, to the hundredth, or None."""
    total = Decimal(0)
    weight = 0
    for grade, ects in graded:
        total += grade * ects
        weight += ects
    if not weight:
        return None
    return (total / weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def honours_for(average: Decimal | None) -> Honours:
    """Return the honours an average earns: très bien ≥ 16, bien ≥ 14, assez bien ≥ 12."""
    if average is not None:
        for threshold, honours in HONOURS_THRESHOLDS:
            if average >= threshold:
                return honours
    return Honours.NONE


# -- Evidence ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a jury sees of one learner for one diploma, and what an award keeps of it."""

    satisfied: bool
    diploma_pk: int | None
    average: Decimal | None
    honours: Honours
    data: dict[str, Any]


def evidence_for(learner: Learner, diploma_code: str) -> Evidence:
    """Audit a learner against a diploma's most favourable version; keep the record shown."""
    return evidence_of([learner.pk], diploma_code)[learner.pk]


def evidence_of(learner_ids: Sequence[int], diploma_code: str) -> dict[int, Evidence]:
    """Return ``evidence_for`` of many learners at once, by learner id (a few queries per chunk)."""
    cat = catalogue()
    versions = cat.versions.get(diploma_code)
    found: dict[int, Evidence] = {}
    for start in range(0, len(learner_ids), EVIDENCE_CHUNK):
        chunk = list(learner_ids[start : start + EVIDENCE_CHUNK])
        ledgers = ledgers_of(chunk)
        milestones = milestones_of(chunk)
        started = dict(
            Pursuit.objects.filter(learner_id__in=chunk, diploma_code=diploma_code).values_list(
                "learner_id", "started_on"
            )
        )
        for learner_id in chunk:
            ledger = ledgers.get(learner_id, [])
            data: dict[str, Any] = {
                "ledger": [
                    {
                        "code": row.code,
                        "ects": row.ects,
                        "grade": str(row.grade) if row.grade is not None else None,
                        "source": row.source,
                        "date": row.date.isoformat(),
                    }
                    for row in ledger
                ],
                "milestones": [
                    {
                        "kind": m.kind,
                        "language": m.language,
                        "level": m.level,
                        "date": m.date.isoformat(),
                    }
                    for m in milestones.get(learner_id, [])
                ],
            }
            if not versions:
                data["audit"] = None
                found[learner_id] = Evidence(False, None, None, Honours.NONE, data)
                continue
            record = record_from(learner_id, ledger, milestones.get(learner_id, ()))
            choice = favourable_audit(
                versions, holdings(record), started.get(learner_id), cat.unit_ects
            )
            result = choice.result
            data["audit"] = result.as_json()
            data["version"] = choice.chosen.version
            counted = set(result.assignment)
            average = None
            if choice.chosen.kind in HONOURS_KINDS:
                average = weighted_average(
                    (row.grade, row.ects)
                    for row in ledger
                    if row.code in counted and row.grade is not None
                )
            data["average"] = str(average) if average is not None else None
            found[learner_id] = Evidence(
                result.satisfied, choice.chosen.pk, average, honours_for(average), data
            )
    return found


def eligible_learners(diploma_code: str, centre_id: int | None) -> list[Learner]:
    """Return the learners the latest finished institution audit found satisfying a diploma."""
    run = AuditRun.objects.filter(status=AuditRunStatus.DONE).order_by("-finished_at").first()
    if run is None:
        return []
    learners = AuditSnapshot.objects.filter(
        run=run, diploma__code=diploma_code, satisfied=True
    ).values("learner_id")
    found = Learner.objects.filter(pk__in=learners)
    if centre_id is not None:
        found = found.filter(home_centre_id=centre_id)
    return list(found.order_by("last_name", "first_name"))


# -- Sessions, candidates, awards in scope ------------------------------------------------------


def sessions_of(user: "Reader") -> QuerySet[JurySession]:
    """Return the jury sessions the user sits on or administers, latest first."""
    scope = scope_of(user)
    found = JurySession.objects.select_related("centre")
    if scope.is_registrar:
        return found
    condition = Q(members=scope.user_id) if scope.user_id is not None else Q(pk__in=[])
    if scope.centre_ids:
        condition |= Q(centre__in=scope.centre_ids)
    return found.filter(condition).distinct()


def session_of(user: "Reader", session_id: int) -> JurySession:
    """Return a jury session the user may read, or raise NotFound."""
    found = sessions_of(user).filter(pk=session_id).first()
    if found is None:
        raise NotFound("No such jury session.", field="session")
    return found


def candidates_of(session: JurySession) -> list[Candidate]:
    """Return a session's candidates with their learners and awards (one query)."""
    return list(
        Candidate.objects.filter(session=session).select_related("learner", "award", "decided_by")
    )


def may_decide(user: "Reader", session: JurySession) -> bool:
    """Tell whether the user decides in this session: a member on the jury, or the registrar."""
    scope = scope_of(user)
    if scope.is_registrar:
        return True
    if not scope.has(Role.JURY_MEMBER) or scope.user_id is None:
        return False
    return session.members.filter(pk=scope.user_id).exists()


def diplomas_of(user: "Reader", learner: Learner) -> list[AwardedDiploma]:
    """Return the diplomas awarded to a learner the user may read, latest first."""
    found = restrict(
        AwardedDiploma.objects.filter(learner=learner), user, learner="learner", centre="centre"
    )
    return list(found.select_related("diploma", "centre", "learner"))


def requests_of(learner: Learner) -> list[DiplomaRequest]:
    """Return a learner's diploma requests, latest first."""
    return list(DiplomaRequest.objects.filter(learner=learner))


def candidate_of(user: "Reader", candidate_id: int) -> Candidate:
    """Return a candidate of a session the user may read, or raise NotFound."""
    found = (
        Candidate.objects.select_related("session", "learner")
        .filter(pk=candidate_id, session__in=sessions_of(user))
        .first()
    )
    if found is None:
        raise NotFound("No such candidate.", field="candidate")
    return found


def award_of(user: "Reader", number: str) -> AwardedDiploma:
    """Return an awarded diploma the user may read, by number, or raise NotFound."""
    found = restrict(
        AwardedDiploma.objects.select_related("diploma", "learner", "centre"),
        user,
        learner="learner",
        centre="centre",
    ).filter(number=number)
    award = found.first()
    if award is None:
        raise NotFound("No such diploma.", field="number")
    return award


def centre_coded(code: str) -> Centre:
    """Return the centre with this code, or raise NotFound."""
    found = Centre.objects.filter(code=code).first()
    if found is None:
        raise NotFound("No such centre.", field="centre")
    return found


def users_with_ids(ids: Iterable[int]) -> list["User"]:
    """Return the users with these ids (those that exist)."""
    from cursus.core.models import User

    return list(User.objects.filter(pk__in=list(ids)))


def jurors() -> list["User"]:
    """Return every user holding the jury member role, by name."""
    from cursus.core.models import User

    return list(
        User.objects.filter(role_assignments__role=Role.JURY_MEMBER)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def learners_numbered(numbers: Iterable[str]) -> list[Learner]:
    """Return the learners with these numbers, or raise NotFound naming the first unknown."""
    wanted = list(dict.fromkeys(numbers))
    found = {lr.number: lr for lr in Learner.objects.filter(number__in=wanted)}
    for number in wanted:
        if number not in found:
            raise NotFound(f"No learner has the number {number}.", field="learners")
    return [found[n] for n in wanted]


def all_awards() -> QuerySet[AwardedDiploma]:
    """Every awarded diploma, revoked ones included, by number (for the command line)."""
    return AwardedDiploma.objects.select_related("learner", "diploma").order_by("number")


def unit_credential_of(user: "Reader", public_id: UUID) -> UnitCredential:
    """Return a unit's credential the user may read (learner, staff in scope), or NotFound."""
    found = restrict(
        UnitCredential.objects.select_related("learner__user"),
        user,
        learner="learner",
        centre="learner__home_centre",
    ).filter(public_id=public_id)
    credential = found.first()
    if credential is None:
        raise NotFound("No such credential.", field="credential")
    return credential


def unit_credentials_of(learner: Learner) -> dict[str, UnitCredential]:
    """Return the learner's credentials in force, by unit code."""
    found = UnitCredential.objects.filter(learner=learner, status=UnitCredentialStatus.ISSUED)
    return {credential.unit_code: credential for credential in found}


def unit_credentials_issued(learner: Learner) -> list[UnitCredential]:
    """Return every unit credential the learner was given, in force or revoked, newest first."""
    return list(UnitCredential.objects.filter(learner=learner).order_by("-issued_at", "-pk"))


def issuance_batch_of(user: "Reader", batch_id: int) -> IssuanceBatch:
    """Return an issuance batch of a session the user may read, or raise NotFound."""
    found = IssuanceBatch.objects.filter(pk=batch_id, session__in=sessions_of(user)).first()
    if found is None:
        raise NotFound("No such issuance.", field="batch")
    return found


# -- Signed documents and their public verification --------------------------------------------


def keyed_digest(purpose: str, value: str, *, length: int) -> str:
    """Return a digest of ``value`` only the institution can make (HMAC with its secret key)."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:length]


def verification_code(subject: str) -> str:
    """Return the unguessable code that makes a document's public verification address."""
    return keyed_digest("verify", subject, length=20)


def _code_matches(subject: str, code: str) -> bool:
    return hmac.compare_digest(verification_code(subject), code)


def documents_award_of(user: "Reader", number: str) -> AwardedDiploma:
    """Return a diploma whose documents the user may download, or raise NotFound.

    The learner gets their own diplomas, staff those of their centre, jury members those
    of their sessions, the registrar all; a revoked diploma's documents go to staff only.
    """
    found = AwardedDiploma.objects.select_related("diploma", "learner", "centre", "session")
    readable = restrict(found, user, learner="learner", centre="centre") | found.filter(
        session__in=sessions_of(user)
    )
    award = readable.filter(number=number).first()
    if award is None:
        raise NotFound("No such diploma.", field="number")
    if award.status == AwardStatus.REVOKED and not scope_of(user).covers_centre(award.centre_id):
        raise NotFound("This diploma is revoked: its documents are withdrawn.", field="number")
    return award


def minutes_session_of(user: "Reader", session_id: int) -> JurySession:
    """Return a closed jury session whose minutes the user may download, or raise NotFound."""
    found = session_of(user, session_id)
    if found.status != SessionStatus.CLOSED:
        raise NotFound("The minutes are drawn up once the session is closed.", field="session")
    return found


def verified_award(number: str, code: str) -> AwardedDiploma:
    """Return the diploma a public verification address names, or raise NotFound."""
    award = (
        AwardedDiploma.objects.select_related("diploma", "learner", "centre", "session")
        .filter(number=number)
        .first()
    )
    if award is None or not _code_matches(f"diploma:{number}", code):
        raise NotFound("No such diploma.", field="number")
    return award


def verified_session(session_id: int, code: str) -> JurySession:
    """Return the closed jury session a public verification address names, or raise NotFound."""
    session = (
        JurySession.objects.select_related("centre")
        .filter(pk=session_id, status=SessionStatus.CLOSED)
        .first()
    )
    if session is None or not _code_matches(f"minutes:{session_id}", code):
        raise NotFound("No such jury session.", field="session")
    return session


def documents_of(award: AwardedDiploma, *, with_content: bool = False) -> list[DiplomaDocument]:
    """Return the signed documents stored for a diploma (their content only when asked)."""
    found = DiplomaDocument.objects.filter(award=award)
    return list(found if with_content else found.defer("content"))
