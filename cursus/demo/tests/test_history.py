"""The simulated institution at a small scale: its yearly figures head for the seed's.

One build at scale 0.02 (about 2,000 learners a year), measured as the
statistics measure it (``cursus.reporting``): the figures are the learners'
paths loaded through the bulk import and the juries' awards, never written
directly, so they land near the targets, not on them.
"""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.plugin import DjangoDbBlocker

from cursus.core.events import verify_chain
from cursus.credentials.models import AwardedDiploma, JuryLevel
from cursus.demo.builder import DemoSummary, build_demo
from cursus.demo.steps.history import CURRENT_YEAR
from cursus.records.store import ledger_differences
from cursus.reporting.queries import academic_year, diploma_figures, learner_figures

pytestmark = pytest.mark.django_db

SCALE = 0.02
YEAR = CURRENT_YEAR - 1


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """Build the demo at scale 0.02 once, in a transaction rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(scale=SCALE, seed=1)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_a_year_counts_about_two_thousand_learners_three_in_ten_in_institutes(built):
    figures = learner_figures(academic_year(YEAR))
    assert figures.total == pytest.approx(100_000 * SCALE, rel=0.15)
    assert figures.by_formula["institute"] / figures.total == pytest.approx(0.3, abs=0.05)
    assert figures.by_formula["evening_saturday"] > figures.by_formula["institute"]
    assert figures.by_centre_kind["regional"] > 0
    assert figures.by_centre_kind["abroad"] > 0


def test_the_current_year_enrols_about_as_many_learners(built):
    last = learner_figures(academic_year(YEAR)).total
    assert learner_figures(academic_year(CURRENT_YEAR)).total == pytest.approx(last, rel=0.1)


def test_a_year_awards_about_140_diplomas_one_in_ten_an_engineering_degree(built):
    figures = diploma_figures(academic_year(YEAR))
    assert figures.total == pytest.approx(7_000 * SCALE, rel=0.25)
    assert figures.by_kind["ingenieur"] / figures.total == pytest.approx(0.1, abs=0.06)
    # The national jury awards engineering degrees; centres' juries the others.
    national = AwardedDiploma.objects.filter(session__level=JuryLevel.NATIONAL)
    assert national.exists()
    assert set(national.values_list("diploma__kind", flat=True)) == {"ingenieur"}


def test_cursus_verify_log_passes_on_the_built_demo(built):
    out = StringIO()
    call_command("verify_log", stdout=out)
    assert "intact" in out.getvalue()
    assert verify_chain() is None
    assert ledger_differences() == []
