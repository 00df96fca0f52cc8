"""The whole institution audited as a background task, with its progress in a row."""

from datetime import date

import pytest
from django.urls import reverse

from cursus.audit import actions
from cursus.audit.models import AuditRun, AuditRunStatus, AuditSnapshot
from cursus.audit.tests.app_fixtures import grant
from cursus.core.errors import Conflict, NotAllowed
from cursus.records.tests.fixtures import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def institution(student, classmate, lyon_learner, registrar, diplomas):
    grant(student, registrar, "NFA008", "NSY107")
    grant(classmate, registrar, "MVA101")
    actions.pursue_diploma(
        actor=registrar, learner=student, diploma_code="CC-DB", started_on=date(2019, 10, 1)
    )
    actions.pursue_diploma(actor=registrar, learner=classmate, diploma_code="LIC-INFO")
    return [student, classmate, lyon_learner]


def _start(registrar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.start_institution_audit(actor=registrar)


def test_the_task_audits_every_learner_and_stores_snapshots(
    registrar, institution, django_capture_on_commit_callbacks
):
    student, classmate, _lyon_learner = institution

    run = _start(registrar, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert run.status == AuditRunStatus.DONE
    assert (run.learners_done, run.learners_total, run.percent) == (3, 3, 100)
    assert run.started_at is not None
    assert run.finished_at is not None
    pursued = AuditSnapshot.objects.get(run=run, learner=student, pursued=True)
    assert (pursued.diploma.code, pursued.diploma.version, pursued.satisfied) == (
        "CC-DB",
        2022,
        True,
    )
    lic = AuditSnapshot.objects.get(run=run, learner=classmate, pursued=True)
    assert (lic.diploma.code, lic.satisfied, lic.remaining_units) == ("LIC-INFO", False, 2)
    # Each learner's closest diplomas, beside those pursued: three at most, never twice.
    for learner in institution:
        rows = AuditSnapshot.objects.filter(run=run, learner=learner, pursued=False)
        assert 1 <= rows.count() <= actions.CLOSEST_KEPT
    closest = AuditSnapshot.objects.filter(run=run, learner=classmate, pursued=False)
    assert closest.order_by("remaining_ects")[0].diploma.code == "CC-MATHS"
    assert not closest.filter(diploma__code="LIC-INFO").exists()
    assert run.audits >= 2


def test_progress_is_reported_chunk_by_chunk(registrar, institution, paris, monkeypatch):
    for n in range(4):
        make_learner(paris, last_name=f"Extra{n}")
    run = AuditRun.objects.create(requested_by=registrar)
    monkeypatch.setattr("cursus.audit.queries.CHUNK", 3)
    seen = []

    def progress(done, total):
        row = AuditRun.objects.get(pk=run.pk)
        seen.append((done, total, row.learners_done, row.status))

    actions.run_institution_audit(run.pk, progress=progress)

    assert seen == [(3, 7, 3, "running"), (6, 7, 6, "running"), (7, 7, 7, "running")]
    assert AuditRun.objects.get(pk=run.pk).status == AuditRunStatus.DONE


def test_only_the_registrar_starts_an_institution_audit(paris_staff, student_user, student):
    for user in (paris_staff, student_user):
        with pytest.raises(NotAllowed):
            actions.start_institution_audit(actor=user)
    assert not AuditRun.objects.exists()


def test_one_institution_audit_at_a_time(registrar, diplomas):
    actions.start_institution_audit(actor=registrar)
    with pytest.raises(Conflict):
        actions.start_institution_audit(actor=registrar)


def test_a_failed_run_says_so(registrar, student, diplomas, monkeypatch):
    run = AuditRun.objects.create(requested_by=registrar)

    def broken(ids):
        raise RuntimeError("database went away")

    monkeypatch.setattr("cursus.audit.queries.records_of", broken)
    with pytest.raises(RuntimeError):
        actions.run_institution_audit(run.pk)
    run.refresh_from_db()
    assert run.status == AuditRunStatus.FAILED
    assert "database went away" in run.error


def test_registrar_starts_and_watches_the_audit_page(
    client, registrar, institution, django_capture_on_commit_callbacks
):
    client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:audit_institution"))
    run = AuditRun.objects.get()
    assert response["Location"] == reverse("web:audit_run", args=[run.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'value="100"' in page
    assert "http-equiv" not in page
    assert "CC-DB" in page
    progress = client.get(reverse("web:audit_run_progress", args=[run.pk])).json()
    assert progress["finished"]
    assert progress["percent"] == 100
    assert progress["total"] == 3
    listing = client.get(reverse("web:audit_institution")).content.decode()
    assert reverse("web:audit_run", args=[run.pk]) in listing


def test_a_running_audit_page_refreshes_itself_without_javascript(client, registrar, diplomas):
    run = AuditRun.objects.create(
        requested_by=registrar, status=AuditRunStatus.RUNNING, learners_total=10, learners_done=4
    )
    client.force_login(registrar)
    page = client.get(reverse("web:audit_run", args=[run.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<progress id="audit-run-bar" max="100" value="40">' in page


def test_staff_cannot_see_institution_audits(client, paris_staff, registrar, diplomas):
    run = AuditRun.objects.create(requested_by=registrar)
    client.force_login(paris_staff)
    assert client.get(reverse("web:audit_institution")).status_code == 403
    assert client.get(reverse("web:audit_run", args=[run.pk])).status_code == 403
    assert client.post(reverse("web:audit_institution")).status_code == 403
