"""The demo holds a jury: diplomas are awarded through the credentials' actions, one revoked."""

import pytest

from cursus.catalogue.models import DiplomaKind
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    BatchStatus,
    DiplomaDocument,
    IssuanceBatch,
    JurySession,
    StatusEntry,
)
from cursus.demo.builder import DemoSummary
from cursus.demo.steps.juries import OVERRIDE_REASON

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


def test_demo_juries_award_a_diploma_of_every_kind(demo: DemoSummary) -> None:
    awards = AwardedDiploma.objects.select_related("diploma", "candidate", "session")
    kinds = {award.diploma.kind for award in awards.filter(status=AwardStatus.AWARDED)}
    assert kinds >= set(DiplomaKind.values)
    engineering = awards.filter(diploma__kind=DiplomaKind.INGENIEUR).first()
    assert engineering is not None
    assert engineering.session.centre_id is None
    for award in awards.filter(session__held_on__in=["2025-06-24", "2025-07-01"]):
        assert award.candidate.satisfied or award.candidate.override_reason == OVERRIDE_REASON
        assert award.learner.user is None or award.learner.user.email != "auditeur@demo.cursus.test"


def test_demo_issues_the_documents_of_the_jury_session(demo: DemoSummary) -> None:
    batch = IssuanceBatch.objects.get(session__diploma_code="CC-ABD")
    assert batch.status == BatchStatus.DONE
    assert batch.done == batch.total == 3
    assert DiplomaDocument.objects.filter(award__session=batch.session).count() == 9
    assert not DiplomaDocument.objects.filter(award__status=AwardStatus.REVOKED).exists()
