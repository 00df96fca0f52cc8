"""A credential of a plausible diploma, for the credentials toolkit's tests."""

from datetime import UTC, datetime
from typing import Any

from cursus.credentials.vc.badges import AchievementSpec, Holder, Party, build_open_badge
from cursus.credentials.vc.keys import KeyRing
from cursus.credentials.vc.status import StatusEntry

HOST = "cursus.example"
STATUS_URL = "https://cursus.example/credentials/status/1"


def diploma_credential(ring: KeyRing, *, index: int = 7, credits: Any = 180) -> dict[str, Any]:
    return build_open_badge(
        credential_id="urn:uuid:5b0c7f5e-3a3d-4c1e-9d4e-2f1d6a1b0c01",
        issuer=Party(id=ring.did, name="Conservatoire"),
        centre=Party(id="https://cursus.example/centres/paris", name="Centre Cnam Paris"),
        achievement=AchievementSpec(
            id="https://cursus.example/diplomas/LG02501",
            name="Licence Informatique",
            description="Bachelor's degree in computer science, open to adults.",
            criteria="180 ECTS from the units of the diploma's rules, and the jury's decision.",
            achievement_type="Diploma",
            credits_available=180,
            code="LG02501",
        ),
        holder=Holder(email="Camille.Martin@example.org", salt="3f9a"),
        credits_earned=credits,
        valid_from=datetime(2026, 7, 3, 9, 30, tzinfo=UTC),
        status=StatusEntry(list_url=STATUS_URL, index=index),
    )
