"""``cursus demo`` builds the institution, prints the accounts, and refuses to clobber data."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from cursus.catalogue.models import Centre, CentreKind, Unit
from cursus.core.models import User
from cursus.demo.steps.people import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def clear_content_types():
    """Forget content types cached while ``flush`` re-created them inside the test."""
    yield
    ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_refuses_a_database_holding_data_without_reset():
    Centre.objects.create(code="ailleurs", name="Ailleurs", kind=CentreKind.REGIONAL, city="X")
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert not Unit.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_content_types")
def test_demo_with_reset_wipes_the_database_builds_and_prints_the_logins():
    Centre.objects.create(code="ailleurs", name="Ailleurs", kind=CentreKind.REGIONAL, city="X")
    out = StringIO()
    call_command("demo", "--no-serve", "--reset", "--scale", "0.0001", "--seed", "3", stdout=out)
    output = out.getvalue()
    assert not Centre.objects.filter(code="ailleurs").exists()
    assert Unit.objects.count() >= 400
    assert "registraire@demo.cursus.test" in output
    assert "auditeur@demo.cursus.test" in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output
    assert User.objects.filter(email="registraire@demo.cursus.test", is_superuser=True).exists()


@pytest.mark.django_db
def test_demo_refuses_a_scale_that_is_not_positive():
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--no-serve", "--scale", "0", stdout=StringIO())


def test_python_m_cursus_dispatches_demo_to_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "cursus", "demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for option in ("--scale", "--seed", "--no-serve", "--addr", "--reset"):
        assert option in result.stdout
