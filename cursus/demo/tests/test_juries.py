"""The demo holds a jury: diplomas are awarded through the credentials' actions, one revoked."""

import pytest

from cursus.credentials.models import AwardedDiploma, AwardStatus, JurySession, StatusEntry
from cursus.demo.builder import DemoSummary

pytestmark = pytest.mark.django_db


def test_demo_jury_awards_certificates_and_revokes_one(demo: DemoSummary) -> None:
    session = JurySession.objects.get(diploma_code="CC-ABD")
    assert [m.email for m in session.members.all()] == ["jury@demo.cursus.test"]
    awards = list(AwardedDiploma.objects.filter(session=session).order_by("number"))
    assert len(awards) == 4
    assert [a.number for a in awards] == [f"2025-CC-ABD-{n:05d}" for n in range(1, 5)]
    statuses = [a.status for a in awards]
    assert statuses.count(AwardStatus.REVOKED) == 1
    assert statuses.count(AwardStatus.AWARDED) == 3
    revoked = next(a for a in awards if a.status == AwardStatus.REVOKED)
    assert revoked.revocation_reason
    assert all(a.candidate.satisfied for a in awards)
    assert StatusEntry.objects.filter(award__in=awards).count() == 4
    assert demo.learners > 0
