"""Credentials of awarded diplomas and of capitalised units, signed with the institution's keys.

The keys live in ``settings.CURSUS_CREDENTIAL_KEYS_DIR`` (made on first use) under the
``did:web`` identity of ``settings.CURSUS_CREDENTIAL_HOST``. A diploma's credential is
signed afresh on each request, with the date of its award, so that the same diploma
always gives the same document until the key is rotated. Revocation lives in the
Bitstring Status List: the list published for a number sets the bit of each revoked
diploma.

A unit's credential (achievement type ``Course``) is issued on the learner's request
and states the unit as it stood then; it has its own bit in the units' status lists,
set when the registrar revokes it or when the learner no longer holds the unit.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cursus.catalogue.models import DiplomaKind
from cursus.credentials.actions import allocate_status_entry
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    StatusEntry,
    UnitCredential,
    UnitCredentialStatus,
)
from cursus.credentials.queries import keyed_digest
from cursus.credentials.vc.badges import (
    AchievementSpec,
    Holder,
    Party,
    build_open_badge,
    identity_hash,
)
from cursus.credentials.vc.errors import CredentialError
from cursus.credentials.vc.keys import KeyRing, load_keyring, rotate_key
from cursus.credentials.vc.proof import sign, verify
from cursus.credentials.vc.status import (
    StatusEntry as BitEntry,
)
from cursus.credentials.vc.status import (
    build_status_list_credential,
    empty_bitstring,
    is_revoked,
    set_bit,
)
from cursus.enrolment.models import Learner

CERTIFICATE_KINDS = frozenset(
    {DiplomaKind.CERTIFICAT_COMPETENCE, DiplomaKind.CERTIFICAT_PROFESSIONNEL}
)
INSTITUTION_NAME = "Conservatoire national des arts et métiers"


def keyring() -> KeyRing:
    """The institution's keys, the first one made on first use."""
    return load_keyring(settings.CURSUS_CREDENTIAL_KEYS_DIR, host=settings.CURSUS_CREDENTIAL_HOST)


def base_url() -> str:
    """The https origin of the did:web host, under which credentials are published."""
    return f"https://{settings.CURSUS_CREDENTIAL_HOST}"


def public_url() -> str:
    """The origin of the public verification pages, as printed in the documents' QR codes."""
    return settings.CURSUS_PUBLIC_URL.rstrip("/") or base_url()


def credential_url(number: str) -> str:
    return f"{base_url()}/juries/diplomas/{number}/credential.json"


def status_list_url(list_number: int) -> str:
    return f"{base_url()}/credentials/status/{list_number}.json"


def did_document() -> dict[str, Any]:
    """The DID document of the institution, every key old and current."""
    return keyring().did_document()


def _salt(number: str) -> str:
    return keyed_digest("credential", number, length=16)


def _holder_email(award: AwardedDiploma) -> str:
    return _learner_email(award.learner)


def _learner_email(learner: Learner) -> str:
    if learner.email:
        return learner.email
    if learner.user is not None and learner.user.email:
        return learner.user.email
    return f"{learner.number.lower()}@{settings.CURSUS_CREDENTIAL_HOST.split(':')[0]}"


def _awarded_at(award: AwardedDiploma) -> datetime:
    return datetime.combine(award.awarded_on, time(), tzinfo=UTC)


def _number(value: object) -> int | float:
    try:
        number = float(str(value))
    except ValueError:
        return 0
    return int(number) if number.is_integer() else number


def _credits(award: AwardedDiploma) -> tuple[int | float, int | float]:
    """ECTS available (the diploma's nominal ECTS) and earned (the units its audit counted)."""
    evidence = award.candidate.evidence or {}
    audit = evidence.get("audit") or {}
    counted = set(audit.get("assignment", {})) if isinstance(audit, dict) else set()
    earned = sum(
        _number(row.get("ects"))
        for row in evidence.get("ledger", [])
        if isinstance(row, dict) and row.get("code") in counted
    )
    available = award.diploma.ects or earned
    return available, min(earned, available)


def credential_for(award: AwardedDiploma) -> dict[str, Any]:
    """The signed ``OpenBadgeCredential`` of an awarded diploma (revoked ones included)."""
    entry = allocate_status_entry(award=award)
    ring = keyring()
    diploma = award.diploma
    title = diploma.title_fr or diploma.title_en
    issuer = Party(id=ring.did, name=INSTITUTION_NAME)
    centre = (
        Party(id=f"{base_url()}/centres/{award.centre.code}", name=award.centre.name)
        if award.centre is not None
        else issuer
    )
    available, earned = _credits(award)
    document = build_open_badge(
        credential_id=credential_url(award.number),
        issuer=issuer,
        centre=centre,
        achievement=AchievementSpec(
            id=f"{base_url()}/diploma/{diploma.code}/{diploma.version}/",
            name=title,
            description=diploma.description_fr or diploma.description_en or title,
            criteria=(
                f"Décerné par le jury du {award.awarded_on:%d/%m/%Y} selon les règles de la "
                f"version {diploma.version} du diplôme {diploma.code}."
            ),
            achievement_type="Certificate" if diploma.kind in CERTIFICATE_KINDS else "Diploma",
            credits_available=available,
            code=diploma.code,
        ),
        holder=Holder(email=_holder_email(award), salt=_salt(award.number)),
        credits_earned=earned,
        valid_from=_awarded_at(award),
        status=BitEntry(list_url=status_list_url(entry.list_number), index=entry.index),
    )
    return sign(document, key=ring.current, created=_awarded_at(award))


def status_list_credential(list_number: int) -> dict[str, Any]:
    """The signed status list ``list_number``: the bit of each revoked diploma is set."""
    bits = empty_bitstring()
    revoked = StatusEntry.objects.filter(
        list_number=list_number, award__status=AwardStatus.REVOKED
    ).values_list("index", flat=True)
    for index in revoked:
        set_bit(bits, index)
    ring = keyring()
    document = build_status_list_credential(
        list_url=status_list_url(list_number),
        issuer_did=ring.did,
        bits=bits,
        valid_from=timezone.now(),
    )
    return sign(document, key=ring.current)


def status_list_exists(list_number: int) -> bool:
    return list_number == 1 or StatusEntry.objects.filter(list_number=list_number).exists()


@dataclass(frozen=True)
class Check:
    """What the verification of a submitted credential found."""

    genuine: bool
    revoked: bool
    award: AwardedDiploma | None
    holder_matches: bool
    problem: str = ""
    unit: UnitCredential | None = None
    # Whether the credential is one of a capitalised unit (known to us or not).
    is_unit: bool = False


def _award_of(document: dict[str, Any]) -> AwardedDiploma | None:
    parts = str(document.get("id", "")).split("/")
    if len(parts) < 2:
        return None
    found = AwardedDiploma.objects.select_related("diploma", "learner__user", "centre")
    award = found.filter(number=parts[-2]).first()
    if award is None or credential_url(award.number) != document.get("id"):
        return None
    return award


def check_credential(document: Any) -> Check:
    """Verify a credential submitted to us: our signature, our diploma, its revocation bit."""
    if not isinstance(document, dict):
        return Check(False, False, None, False, "not_an_object")
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    ring = keyring()
    if issuer_id != ring.did:
        return Check(False, False, None, False, "other_issuer")
    try:
        genuine = verify(document, ring.public_key)
    except CredentialError:
        genuine = False
    if not genuine:
        return Check(False, False, None, False, "bad_signature")
    if str(document.get("id", "")).startswith(f"{base_url()}/juries/units/"):
        return check_unit_credential(document)
    award = _award_of(document)
    status = document.get("credentialStatus")
    revoked = award is not None and award.status == AwardStatus.REVOKED
    if isinstance(status, dict):
        url = str(status.get("statusListCredential", ""))
        for entry in StatusEntry.objects.filter(award=award).only("list_number"):
            if url == status_list_url(entry.list_number):
                try:
                    revoked = revoked or is_revoked(
                        document, status_list_credential(entry.list_number)
                    )
                except CredentialError:
                    revoked = True
    holder_matches = False
    if award is not None:
        subject = document.get("credentialSubject", {})
        identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
        expected = identity_hash(_holder_email(award), _salt(award.number))
        holder_matches = any(
            isinstance(item, dict) and item.get("identityHash") == expected for item in identifiers
        )
    return Check(True, revoked, award, holder_matches)


# -- Credentials of capitalised units ----------------------------------------------------------


def unit_credential_url(public_id: object) -> str:
    return f"{base_url()}/juries/units/{public_id}/credential.json"


def unit_status_list_url(list_number: int) -> str:
    return f"{base_url()}/credentials/status/units/{list_number}.json"


def _unit_holder_email(credential: UnitCredential) -> str:
    return _learner_email(credential.learner)


def _unit_salt(credential: UnitCredential) -> str:
    return _salt(f"unit:{credential.public_id}")


def unit_credential_for(credential: UnitCredential) -> dict[str, Any]:
    """The signed ``OpenBadgeCredential`` of a capitalised unit (achievement type Course)."""
    content = credential.content
    ring = keyring()
    issuer = Party(id=ring.did, name=INSTITUTION_NAME)
    centre = Party(id=f"{base_url()}/centres/{content['centre']}", name=content["centre_name"])
    code = content["unit"]
    achievement_id = f"{base_url()}/units/{code}/"
    on = datetime.fromisoformat(content["date"]).date()
    how = (
        f"Unité d'enseignement capitalisée le {on:%d/%m/%Y} avec la note de {content['grade']}/20."
        if content.get("grade") is not None
        else f"Unité d'enseignement capitalisée le {on:%d/%m/%Y} par validation "
        f"({content['source']})."
    )
    ects = _number(content["ects"])
    document = build_open_badge(
        credential_id=unit_credential_url(credential.public_id),
        issuer=issuer,
        centre=centre,
        achievement=AchievementSpec(
            id=achievement_id,
            name=content["title"],
            description=content.get("description") or content["title"],
            criteria=how,
            achievement_type="Course",
            credits_available=ects,
            code=code,
        ),
        holder=Holder(email=_unit_holder_email(credential), salt=_unit_salt(credential)),
        credits_earned=ects,
        valid_from=credential.issued_at,
        status=BitEntry(
            list_url=unit_status_list_url(credential.list_number), index=credential.index
        ),
    )
    subject = document["credentialSubject"]
    subject["activityEndDate"] = on.isoformat()
    if content.get("grade") is not None:
        grading = f"{achievement_id}#grade"
        subject["achievement"]["resultDescription"] = [
            {
                "id": grading,
                "type": ["ResultDescription"],
                "name": "Note sur 20",
                "resultType": "RawScore",
                "valueMin": "0",
                "valueMax": "20",
            }
        ]
        subject["result"] = [
            {"type": ["Result"], "resultDescription": grading, "value": content["grade"]}
        ]
    return sign(document, key=ring.current, created=credential.issued_at)


def unit_status_list_credential(list_number: int) -> dict[str, Any]:
    """The signed units' status list ``list_number``: bits of revoked or lost units set."""
    bits = empty_bitstring()
    revoked = UnitCredential.objects.filter(list_number=list_number).filter(
        Q(status=UnitCredentialStatus.REVOKED) | Q(acquisition__isnull=True)
    )
    for index in revoked.values_list("index", flat=True):
        set_bit(bits, index)
    ring = keyring()
    document = build_status_list_credential(
        list_url=unit_status_list_url(list_number),
        issuer_did=ring.did,
        bits=bits,
        valid_from=timezone.now(),
    )
    return sign(document, key=ring.current)


def unit_status_list_exists(list_number: int) -> bool:
    return list_number == 1 or UnitCredential.objects.filter(list_number=list_number).exists()


def _unit_of(document: dict[str, Any]) -> UnitCredential | None:
    parts = str(document.get("id", "")).split("/")
    if len(parts) < 2:
        return None
    try:
        public_id = uuid.UUID(parts[-2])
    except ValueError:
        return None
    found = UnitCredential.objects.select_related("learner__user").filter(public_id=public_id)
    credential = found.first()
    if credential is None or unit_credential_url(credential.public_id) != document.get("id"):
        return None
    return credential


def check_unit_credential(document: dict[str, Any]) -> Check:
    """Verify a submitted credential of a unit, its signature checked already."""
    credential = _unit_of(document)
    revoked = credential is not None and credential.is_revoked
    status = document.get("credentialStatus")
    if credential is not None and isinstance(status, dict):
        url = str(status.get("statusListCredential", ""))
        if url == unit_status_list_url(credential.list_number):
            try:
                revoked = revoked or is_revoked(
                    document, unit_status_list_credential(credential.list_number)
                )
            except CredentialError:
                revoked = True
    holder_matches = False
    if credential is not None:
        subject = document.get("credentialSubject", {})
        identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
        expected = identity_hash(_unit_holder_email(credential), _unit_salt(credential))
        holder_matches = any(
            isinstance(item, dict) and item.get("identityHash") == expected for item in identifiers
        )
    return Check(True, revoked, None, holder_matches, unit=credential, is_unit=True)


def rotate_keys() -> KeyRing:
    """Add a new current key to the institution's ring; the old ones keep verifying."""
    return rotate_key(settings.CURSUS_CREDENTIAL_KEYS_DIR, host=settings.CURSUS_CREDENTIAL_HOST)
