"""Open Badges 3.0 ``OpenBadgeCredential`` documents on the W3C VC 2.0 data model.

Types are checked here, before signing: the Open Badges context coerces
``creditsEarned`` and ``creditsAvailable`` to ``xsd:float``, so ``"60"`` and ``60``
would sign alike and only the builder can tell them apart.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .contexts import CREDENTIALS_V2, OPEN_BADGES_V3
from .errors import CredentialError
from .proof import xsd_datetime
from .status import StatusEntry

ACHIEVEMENT_TYPES = frozenset({"Diploma", "Certificate", "Course", "Degree", "Achievement"})
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


@dataclass(frozen=True)
class Party:
    """An organisation (issuer or awarding centre): an absolute IRI and a name."""

    id: str
    name: str


@dataclass(frozen=True)
class AchievementSpec:
    """What was achieved: a diploma, a certificate or a capitalised unit."""

    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    credits_available: float
    code: str = ""


@dataclass(frozen=True)
class Holder:
    """The learner, named by an e-mail hashed with a salt (never the address itself)."""

    email: str
    salt: str


def _iri(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        raise CredentialError(f"{field} must be an absolute IRI, got {value!r}.")
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CredentialError(f"{field} must be a non-empty string.")
    return value


def _credits(value: Any, field: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CredentialError(f"{field} must be a number, got {value!r}.")
    if not math.isfinite(value) or value < 0:
        raise CredentialError(f"{field} must be a finite non-negative number.")
    return value


def identity_hash(email: str, salt: str) -> str:
    """``sha256$`` + hex SHA-256 of the normalised e-mail followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def build_open_badge(
    *,
    credential_id: str,
    issuer: Party,
    centre: Party,
    achievement: AchievementSpec,
    holder: Holder,
    credits_earned: float,
    valid_from: datetime,
    status: StatusEntry,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential``; sign it with ``proof.sign``."""
    if achievement.achievement_type not in ACHIEVEMENT_TYPES:
        raise CredentialError(f"achievementType {achievement.achievement_type!r} is not known.")
    if not issuer.id.startswith("did:"):
        raise CredentialError("The issuer must be a DID.")
    if "@" not in holder.email or not holder.salt:
        raise CredentialError("The holder needs an e-mail address and a salt.")
    earned = _credits(credits_earned, "creditsEarned")
    available = _credits(achievement.credits_available, "creditsAvailable")
    if earned > available:
        raise CredentialError("creditsEarned cannot exceed creditsAvailable.")
    achievement_json: dict[str, Any] = {
        "id": _iri(achievement.id, "achievement.id"),
        "type": ["Achievement"],
        "name": _text(achievement.name, "achievement.name"),
        "description": _text(achievement.description, "achievement.description"),
        "criteria": {"narrative": _text(achievement.criteria, "achievement.criteria")},
        "achievementType": achievement.achievement_type,
        "creditsAvailable": available,
    }
    if achievement.code:
        achievement_json["humanCode"] = _text(achievement.code, "achievement.code")
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": _iri(credential_id, "credential id"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": _iri(issuer.id, "issuer.id"),
            "type": ["Profile"],
            "name": _text(issuer.name, "issuer.name"),
        },
        "validFrom": xsd_datetime(valid_from),
        "name": achievement_json["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(holder.email, holder.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": holder.salt,
                }
            ],
            "achievement": achievement_json,
            "creditsEarned": earned,
            "source": {
                "id": _iri(centre.id, "centre.id"),
                "type": ["Profile"],
                "name": _text(centre.name, "centre.name"),
            },
        },
        "credentialStatus": StatusEntry(
            list_url=_iri(status.list_url, "statusListCredential"), index=status.index
        ).as_json(),
    }
