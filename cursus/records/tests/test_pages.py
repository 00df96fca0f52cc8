"""The records' pages through the test client: grids, CSV, publication, record, PDF, verify."""

from datetime import date
from subprocess import run

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cursus.records import actions
from cursus.records.models import IssuedDocument, Result

pytestmark = pytest.mark.django_db


def fr(message, **values):
    """Return a message as the French interface shows it (translated or not yet)."""
    with translation.override("fr"):
        text = str(gettext(message))
    return text % values if values else text


def grid_url(offering, session=1):
    return reverse("web:grade_grid", args=[offering.pk, session])


def test_teacher_fills_the_grid_and_staff_publish(client, teacher, paris_staff, offering, learners):
    client.force_login(teacher)
    page = client.get(grid_url(offering))
    assert page.status_code == 200
    assert learners[0].number in page.content.decode()
    data = {
        f"grade-{learner.number}": g
        for learner, g in zip(learners, ["14,5", "abs", ""], strict=True)
    }
    response = client.post(grid_url(offering), data)
    assert response.status_code == 302
    assert Result.objects.count() == 2
    assert 'action="/records/offering' in client.get(grid_url(offering)).content.decode()
    assert "publish/" not in client.get(grid_url(offering)).content.decode()
    client.force_login(paris_staff)
    response = client.post(reverse("web:publish_grades", args=[offering.pk, 1]))
    assert response.status_code == 302
    assert Result.objects.filter(published_at__isnull=False).count() == 2


def test_bad_grade_in_the_grid_saves_nothing_and_says_where(client, teacher, offering, learners):
    client.force_login(teacher)
    data = {f"grade-{learners[0].number}": "12", f"grade-{learners[1].number}": "25"}
    response = client.post(grid_url(offering), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert fr("%(value)s is above 20: a grade is out of 20.", value="25") in text
    assert 'value="25"' in text
    assert Result.objects.count() == 0


def test_grid_is_refused_to_outsiders(client, other_teacher, lyon_staff, offering, learners):
    for user in (other_teacher, lyon_staff):
        client.force_login(user)
        assert client.get(grid_url(offering)).status_code == 404
    client.logout()
    assert client.get(grid_url(offering)).status_code == 302


def test_csv_import_reports_every_bad_line_and_imports_nothing(client, teacher, offering, learners):
    client.force_login(teacher)
    text = f"learner;grade\n{learners[0].number};12\nA-9999999;11\n{learners[2].number};21\n"
    upload = _file(text)
    response = client.post(reverse("web:import_grades", args=[offering.pk, 1]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert fr("line %(number)s", number=3) in page
    assert fr("line %(number)s", number=4) in page
    assert fr("line %(number)s", number=2) not in page
    assert "A-9999999" in page
    assert Result.objects.count() == 0
    good = _file(f"numero,note\n{learners[0].number},12\n{learners[1].number},EXC\n")
    response = client.post(reverse("web:import_grades", args=[offering.pk, 1]), {"file": good})
    assert response.status_code == 302
    assert Result.objects.count() == 2


def _file(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("grades.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def record(teacher, paris_staff, offering, learners, learner_user, nsy103):  # noqa: PLR0917
    learner = learners[0]
    learner.user = learner_user
    learner.save()
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="13"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    result = Result.objects.get(enrolment__learner=learner)
    actions.correct_result(actor=paris_staff, result=result, grade="14", reason="Copie revue")
    actions.validate_prior_learning(
        actor=paris_staff,
        learner=learner,
        units=["NSY103"],
        source="transfer",
        decision_reference="T-77",
        jury="Commission Paris",
        decided_on=date(2024, 4, 2),
    )
    actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="language",
        achieved_on=date(2024, 1, 5),
        language="en",
        level="B2",
        test="TOEIC",
        evidence="TOEIC 123",
    )
    return learner


def test_learner_sees_units_attempts_validations_milestones_and_history(
    client, learner_user, record
):
    client.force_login(learner_user)
    page = client.get(reverse("web:learner_record", args=[record.number])).content.decode()
    expected = (
        "NFA008",
        "14,00/20",
        "NSY103",
        "T-77",
        "EN B2",
        "Copie revue",
        fr("Result corrected"),
    )
    for text in expected:
        assert text in page, text
    assert fr("Record a validation") not in page


def test_staff_record_validation_and_milestone_through_forms(
    client, paris_staff, record, department
):
    from cursus.catalogue.tests.fixtures import make_unit

    make_unit("RSX101", department)
    client.force_login(paris_staff)
    url = reverse("web:new_validation", args=[record.number])
    bad = client.post(
        url,
        {
            "source": "ves",
            "units": "RSX101",
            "decision_reference": "V",
            "jury": "J",
            "decided_on": "2024-01-01",
        },
    )
    assert bad.status_code == 400
    assert fr("A VES or a VAE is granted towards a diploma: name it.") in bad.content.decode()
    good = client.post(
        url,
        {
            "source": "dispense",
            "units": "rsx101",
            "decision_reference": "V",
            "jury": "J",
            "decided_on": "2024-01-01",
        },
    )
    assert good.status_code == 302
    response = client.post(
        reverse("web:new_milestone", args=[record.number]),
        {
            "kind": "experience",
            "achieved_on": "2024-02-01",
            "evidence": "Lettre",
            "years": "3",
            "in_field_years": "2",
        },
    )
    assert response.status_code == 302
    assert (
        "RSX101" in client.get(reverse("web:learner_record", args=[record.number])).content.decode()
    )


def test_staff_correct_and_revoke_with_a_reason(client, paris_staff, record):
    client.force_login(paris_staff)
    result = Result.objects.get(enrolment__learner=record)
    url = reverse("web:correct_result", args=[result.pk])
    assert client.post(url, {"grade": "15", "reason": ""}).status_code == 400
    assert client.post(url, {"grade": "15", "reason": "Barème"}).status_code == 302
    validation = record.validations.get()
    url = reverse("web:revoke_validation", args=[validation.pk])
    assert client.post(url, {"reason": "Erreur"}).status_code == 302
    milestone = record.milestones.get()
    url = reverse("web:correct_milestone", args=[milestone.pk])
    response = client.post(
        url,
        {
            "achieved_on": "2024-01-05",
            "evidence": "TOEIC 123",
            "language": "en",
            "level": "C1",
            "reason": "Score",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.level == "C1"


def test_transcript_pdf_carries_a_qr_code_that_verifies(client, learner_user, record, tmp_path):
    client.force_login(learner_user)
    assert client.get(reverse("web:transcript", args=[record.number])).status_code == 200
    response = client.post(reverse("web:issue_transcript", args=[record.number]))
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    path = tmp_path / "transcript.pdf"
    path.write_bytes(pdf.content)
    text = run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Relevé de notes",
        "Transcript of records",
        "NFA008",
        "14.00/20",
        "NSY103",
        "Transfert",
    ):
        assert expected in text, expected
    document = IssuedDocument.objects.get()
    # The address printed under the QR code (wrapped over lines) is the verification page's.
    assert f"http://testserver/verify/transcript/{document.token}/" in "".join(text.split())
    client.logout()
    page = client.get(reverse("web:verify_document", args=["transcript", document.token]))
    assert page.status_code == 200
    assert (
        fr("Genuine: this document was issued by Cursus and is still current.")
        in page.content.decode()
    )


def test_attestation_of_a_unit_held(client, learner_user, record):
    client.force_login(learner_user)
    response = client.post(reverse("web:issue_attestation", args=[record.number, "NFA008"]))
    pdf = client.get(response["Location"])
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.post(reverse("web:issue_attestation", args=[record.number, "RSX101"])).status_code
        == 404
    )


def test_others_cannot_download_a_document_but_anyone_can_verify_it(
    client, learner_user, paris_staff, lyon_staff, record
):
    document = actions.issue_transcript(actor=learner_user, learner=record)
    client.force_login(lyon_staff)
    assert client.get(reverse("web:issued_document", args=[document.token])).status_code == 404
    client.logout()
    assert (
        client.get(reverse("web:verify_document", args=["transcript", "forged"])).status_code == 404
    )
    assert (
        client.get(reverse("web:verify_document", args=["attestation", document.token])).status_code
        == 404
    )
