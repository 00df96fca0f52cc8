"""Issuing a jury session's documents in the background: progress, idempotence, permissions."""

import pytest
from django.urls import reverse

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.errors import Conflict, NotAllowed
from cursus.core.models import Role
from cursus.credentials.actions import (
    close_jury_session,
    decide,
    queue_issuance,
    revoke_diploma,
    run_issuance,
)
from cursus.credentials.models import (
    AwardedDiploma,
    BatchStatus,
    DiplomaDocument,
    IssuanceBatch,
    JurySession,
)
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def held(w) -> JurySession:
    """A closed CC-DB session at Paris that awarded the student and the classmate."""
    session = open_session(w.paris_staff, w.juror, w.paris)
    for learner in (w.student, w.classmate):
        satisfy(learner, w.registrar)
        decide(
            actor=w.juror, candidate=candidate(w.paris_staff, session, learner), decision="award"
        )
    return close_jury_session(actor=w.juror, session=session)


def issue(actor, session, capture) -> IssuanceBatch:
    with capture(execute=True):
        batch = queue_issuance(actor=actor, session=session)
    batch.refresh_from_db()
    return batch


def test_batch_issues_every_document_and_its_progress_reaches_the_total(
    w, django_capture_on_commit_callbacks
):
    session = held(w)

    batch = issue(w.juror, session, django_capture_on_commit_callbacks)

    assert batch.status == BatchStatus.DONE
    assert batch.done == batch.total == 2
    assert batch.percent == 100
    assert batch.documents == 6
    for award in AwardedDiploma.objects.filter(session=session):
        kinds = set(DiplomaDocument.objects.filter(award=award).values_list("kind", flat=True))
        assert kinds == {"parchment", "supplement", "credential"}


def test_progress_is_reported_after_each_diploma(w):
    session = held(w)
    batch = IssuanceBatch.objects.create(session=session, requested_by=w.juror)
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total, IssuanceBatch.objects.get(pk=batch.pk).done))

    run_issuance(batch.pk, progress=progress)

    assert seen == [(1, 2, 1), (2, 2, 2)]


def test_running_the_batch_again_adds_nothing(w, django_capture_on_commit_callbacks):
    session = held(w)
    issue(w.juror, session, django_capture_on_commit_callbacks)
    stored = list(DiplomaDocument.objects.values_list("pk", "sha256").order_by("pk"))

    again = issue(w.paris_staff, session, django_capture_on_commit_callbacks)

    assert again.status == BatchStatus.DONE
    assert again.done == again.total == 2
    assert again.documents == 0
    assert list(DiplomaDocument.objects.values_list("pk", "sha256").order_by("pk")) == stored


def test_a_revoked_diploma_is_passed_over(w, django_capture_on_commit_callbacks):
    session = held(w)
    revoked = AwardedDiploma.objects.get(session=session, learner=w.classmate)
    revoke_diploma(actor=w.registrar, award=revoked, reason="Forged equivalence.")

    batch = issue(w.juror, session, django_capture_on_commit_callbacks)

    assert batch.done == batch.total == 1
    assert not DiplomaDocument.objects.filter(award=revoked).exists()
    assert DiplomaDocument.objects.filter(award__learner=w.student).count() == 3


def test_a_learner_cannot_queue_the_issuance(w, client):
    session = held(w)

    with pytest.raises(NotAllowed):
        queue_issuance(actor=w.student.user, session=session)
    client.force_login(w.student.user)
    answer = client.post(reverse("web:jury_issuance", args=[session.pk]))

    assert answer.status_code == 404
    assert not IssuanceBatch.objects.exists()


def test_another_centres_staff_cannot_queue_the_issuance(w):
    session = held(w)
    lyon_staff = make_user("lyon.staff@example.org", Role.CENTRE_STAFF, centre=w.lyon)

    with pytest.raises(NotAllowed):
        queue_issuance(actor=lyon_staff, session=session)


def test_a_session_without_award_has_nothing_to_issue(w):
    session = open_session(w.paris_staff, w.juror, w.paris)

    with pytest.raises(Conflict):
        queue_issuance(actor=w.juror, session=session)


def test_one_batch_at_a_time_per_session(w):
    session = held(w)
    queue_issuance(actor=w.juror, session=session)

    with pytest.raises(Conflict):
        queue_issuance(actor=w.juror, session=session)


def test_session_page_queues_then_shows_the_documents_issued(
    w, client, django_capture_on_commit_callbacks
):
    session = held(w)
    client.force_login(w.juror)
    page = client.get(reverse("web:jury_session", args=[session.pk])).content.decode()
    assert "Issue the documents" in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("web:jury_issuance", args=[session.pk]))
    assert answer.status_code == 302

    page = client.get(reverse("web:jury_session", args=[session.pk])).content.decode()
    assert "6 documents issued" in page
    assert "Issue the missing documents" in page


def test_session_page_shows_a_running_batch_with_its_progress(w, client):
    session = held(w)
    batch = IssuanceBatch.objects.create(
        session=session, requested_by=w.juror, status=BatchStatus.RUNNING, total=2, done=1
    )
    client.force_login(w.juror)

    page = client.get(reverse("web:jury_session", args=[session.pk])).content.decode()

    assert '<meta http-equiv="refresh"' in page
    assert 'value="50"' in page
    assert reverse("web:jury_issuance_progress", args=[batch.pk]) in page


def test_progress_answers_json_in_a_fixed_number_of_queries(w, client, django_assert_num_queries):
    session = held(w)
    batch = IssuanceBatch.objects.create(session=session, requested_by=w.juror, total=2)
    client.force_login(w.juror)
    url = reverse("web:jury_issuance_progress", args=[batch.pk])
    client.get(url)

    with django_assert_num_queries(5):
        answer = client.get(url)

    assert answer.json()["total"] == 2
    assert answer.json()["finished"] is False
    client.force_login(w.student.user)
    assert client.get(url).status_code == 404


def test_a_finished_batch_run_again_is_left_as_it_was(w, django_capture_on_commit_callbacks):
    session = held(w)
    batch = issue(w.juror, session, django_capture_on_commit_callbacks)

    again = run_issuance(batch.pk)

    assert (again.status, again.done, again.documents) == (BatchStatus.DONE, 2, 6)
    assert again.finished_at == batch.finished_at
