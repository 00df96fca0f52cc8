"""The demo institution's academic histories: retakes, failures, absences, VES, VAE, milestones."""

import pytest
from django.db.models import Count

from cursus.core.events import verify_chain
from cursus.demo.builder import build_demo
from cursus.demo.tests.conftest import TINY_SCALE
from cursus.enrolment.models import Learner
from cursus.records.models import Acquisition, Milestone, Result, Validation
from cursus.records.store import ledger_differences

pytestmark = pytest.mark.django_db


def test_demo_learners_have_realistic_histories_that_the_log_verifies():
    summary = build_demo(scale=TINY_SCALE, seed=1)
    published = Result.objects.filter(published_at__isnull=False)
    assert published.count() > 40
    assert published.filter(status="absent").exists()
    assert published.filter(grade__lt=10).exists()
    assert published.filter(session=2).exists()
    retaken = (
        Result.objects.filter(session=1)
        .values("enrolment__learner", "enrolment__unit")
        .annotate(terms=Count("enrolment__term", distinct=True))
        .filter(terms__gt=1)
    )
    assert retaken.exists()
    assert Acquisition.objects.filter(source="exam").exists()
    assert Validation.objects.filter(source="ves").exists()
    assert Milestone.objects.filter(kind="experience").exists()
    assert Milestone.objects.filter(kind="language").exists()
    email = next(login.email for login in summary.logins if login.role == "learner")
    learner = Learner.objects.get(user__email=email)
    assert learner.acquisitions.exists()
    assert learner.validations.filter(source="ves").exists()
    assert {m.kind for m in learner.milestones.all()} >= {"experience", "language"}
    assert verify_chain() is None
    assert ledger_differences() == []
