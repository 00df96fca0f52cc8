"""Signed diploma documents: poppler's pdfsig checks the signatures, pdftotext reads them."""

import io
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import connection
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.models import Event
from cursus.core.testing import needs_postgres
from cursus.credentials import documents, signing
from cursus.credentials.actions import close_jury_session, decide, revoke_diploma
from cursus.credentials.issuance import check_credential
from cursus.credentials.models import AwardedDiploma, DiplomaDocument
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
        reason="[poppler] pdfsig and pdftotext (poppler-utils) are not installed",
    ),
]

VALID = "Signature Validation: Signature is Valid."


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def award(w, learner=None) -> AwardedDiploma:
    learner = learner or w.student
    satisfy(learner, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decided = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, learner), decision="award"
    )
    return decided.award


def pdfsig(tmp_path: Path, content: bytes, name: str = "document.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def pdftotext(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(content)
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())


def link_targets(content: bytes) -> set[str]:
    """Return the addresses the PDF's link annotations lead to."""
    reader = PdfFileReader(io.BytesIO(content))
    found = set()
    for page in reader.root["/Pages"]["/Kids"]:
        for annotation in page.get_object().get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def stored(made: AwardedDiploma, kind: str) -> bytes:
    return bytes(DiplomaDocument.objects.get(award=made, kind=kind).content)


def test_pdfsig_finds_each_document_validly_signed(tmp_path, w):
    made = award(w)
    documents.issue_documents(award=made, actor=w.juror)
    close_jury_session(actor=w.juror, session=made.session)

    for name, content in [
        ("parchment", stored(made, "parchment")),
        ("supplement", stored(made, "supplement")),
        ("minutes", documents.minutes_pdf(made.session)),
    ]:
        report = pdfsig(tmp_path, content, f"{name}.pdf")
        assert VALID in report, (name, report)
        assert "Total document signed" in report
        assert "Conservatoire national des arts et métiers" in report


def test_pdfsig_rejects_a_document_with_one_signed_byte_changed(tmp_path, w):
    made = award(w)
    content = bytearray(documents.parchment_pdf(made))
    assert VALID in pdfsig(tmp_path, bytes(content))
    # The title in the document's metadata lies in the first signed range.
    at = content.index(b"/Title")
    content[at + 1] = ord("t")

    report = pdfsig(tmp_path, bytes(content))
    assert "Signature Validation:" in report
    assert VALID not in report


def test_supplement_holds_its_eight_sections_in_both_languages(tmp_path, w):
    made = award(w)
    text = pdftotext(tmp_path, documents.supplement_pdf(made))

    sections = [
        ("1. Informations sur le titulaire", "Information identifying the holder"),
        ("2. Informations sur le diplôme", "Information identifying the qualification"),
        ("3. Niveau du diplôme", "Information on the level of the qualification"),
        ("4. Contenu et résultats obtenus", "Information on the contents and results gained"),
        ("5. Fonction du diplôme", "Information on the function of the qualification"),
        ("6. Informations complémentaires", "Additional information"),
        ("7. Certification du supplément", "Certification of the supplement"),
        ("8. Le système national d'enseignement", "national higher education system"),
    ]
    for french, english in sections:
        assert french in text
        assert english in text
    assert text.index("1. Informations") < text.index("8. Le système national")
    for code in ("NFA008", "NSY103"):
        assert code in text
    assert "FONTAINE" in text
    assert made.number in text


def test_the_verification_address_follows_the_public_url_when_set(settings, w):
    settings.CURSUS_PUBLIC_URL = "http://127.0.0.1:8000/"
    made = award(w)
    url = documents.diploma_verification_url(made)
    assert url.startswith("http://127.0.0.1:8000/verify/diploma/")
    assert documents.minutes_verification_url(made.session).startswith(
        "http://127.0.0.1:8000/verify/minutes/"
    )


def test_supplement_marks_the_units_held_by_validation(tmp_path, w):
    made = award(w)  # The fixtures grant both units by a jury's dispense.
    text = pdftotext(tmp_path, documents.supplement_pdf(made))
    assert text.count("Dispense / exemption") == 2
    assert "Some units were validated without examination" in text


def test_every_document_names_its_public_verification_address(tmp_path, client, w):
    made = award(w)
    url = documents.diploma_verification_url(made)
    assert url.startswith("https://cursus.example/verify/diploma/")
    path = url.removeprefix("https://cursus.example")
    code = path.rstrip("/").rsplit("/", 1)[-1]
    assert path == reverse("web:verify_diploma", args=[made.number, code])

    for content in (documents.parchment_pdf(made), documents.supplement_pdf(made)):
        assert link_targets(content) == {url}
        assert made.number in pdftotext(tmp_path, content)

    answer = client.get(path)
    assert answer.status_code == 200
    assert b"Genuine." in answer.content
    assert made.number.encode() in answer.content


def test_the_public_page_needs_the_code_of_the_qr(client, w):
    made = award(w)
    answer = client.get(reverse("web:verify_diploma", args=[made.number, "0" * 20]))
    assert answer.status_code == 404


def test_the_public_page_says_revoked(client, w):
    made = award(w)
    url = documents.diploma_verification_url(made).removeprefix("https://cursus.example")
    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")

    answer = client.get(url)
    assert answer.status_code == 200
    assert b"Revoked." in answer.content
    assert b"Genuine." not in answer.content


def test_issuing_twice_keeps_the_documents_first_issued(w):
    made = award(w)
    first = documents.issue_documents(award=made, actor=w.juror)
    events = Event.objects.filter(kind="credentials.documents_issued").count()
    second = documents.issue_documents(award=made, actor=None)

    assert sorted(d.kind for d in first) == ["credential", "parchment", "supplement"]
    assert [(d.pk, d.sha256) for d in first] == [(d.pk, d.sha256) for d in second]
    assert events == 1
    assert Event.objects.filter(kind="credentials.documents_issued").count() == 1


def test_the_stored_credential_verifies(w):
    made = award(w)
    documents.issue_documents(award=made, actor=None)
    credential = json.loads(stored(made, "credential"))

    check = check_credential(credential)
    assert check.genuine
    assert check.award == made
    assert check.holder_matches


def signer_certificate(content: bytes) -> bytes:
    """Return the DER certificate embedded in a signed PDF's first signature."""
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    der: bytes = signature.signer_cert.dump()
    return der


def served_certificate(client, number: int) -> bytes:
    answer = client.get(reverse("web:pdf_signing_certificate", args=[number]))
    assert answer.status_code == 200
    certificate = x509.load_pem_x509_certificate(answer.content)
    return certificate.public_bytes(serialization.Encoding.DER)


def test_signatures_name_the_certificates_the_institution_publishes(client, w):
    made = award(w)
    before = documents.parchment_pdf(made)
    signing.rotate_signing_key()
    after = documents.supplement_pdf(made)

    assert signer_certificate(before) == served_certificate(client, 1)
    assert signer_certificate(after) == served_certificate(client, 2)
    missing = client.get(reverse("web:pdf_signing_certificate", args=[3]))
    assert missing.status_code == 404


def test_a_document_signed_before_rotation_still_verifies(tmp_path, w):
    made = award(w)
    before = documents.parchment_pdf(made)
    assert signing.rotate_signing_key() == 2
    after = documents.parchment_pdf(made)

    old, new = pdfsig(tmp_path, before, "before.pdf"), pdfsig(tmp_path, after, "after.pdf")
    assert VALID in old
    assert VALID in new
    assert "documents 1" in old
    assert "documents 2" in new
    assert [c.subject.rfc4514_string().split(",")[0] for c in signing.certificates()] == [
        "CN=Conservatoire national des arts et métiers — documents 1",
        "CN=Conservatoire national des arts et métiers — documents 2",
    ]


def test_the_signing_key_is_made_once_and_kept_private(settings, w):
    first = signing.current_identity()
    again = signing.current_identity()
    key = Path(settings.CURSUS_CREDENTIAL_KEYS_DIR) / "pdf-signing-1.key"

    assert first.number == again.number == 1
    assert first.certificate == again.certificate
    assert key.stat().st_mode & 0o777 == 0o600


# -- Downloads ---------------------------------------------------------------------------------


def download(client, user, number: str, kind: str):
    client.force_login(user)
    answer = client.get(reverse("web:diploma_document", args=[number, kind]))
    client.logout()
    return answer


def test_the_learner_downloads_the_three_documents(client, w):
    made = award(w)
    for kind, content_type in [
        ("parchment", "application/pdf"),
        ("supplement", "application/pdf"),
        ("credential", "application/ld+json"),
    ]:
        answer = download(client, w.student.user, made.number, kind)
        assert answer.status_code == 200
        assert answer["Content-Type"] == content_type
        assert answer["Content-Disposition"].startswith("attachment;")
        assert answer.content == stored(made, kind)


def test_staff_and_the_jury_download_but_nobody_else(client, w, lyon_staff):
    made = award(w)
    assert download(client, w.paris_staff, made.number, "parchment").status_code == 200
    assert download(client, w.juror, made.number, "parchment").status_code == 200
    assert download(client, w.registrar, made.number, "parchment").status_code == 200

    issued = DiplomaDocument.objects.count()
    classmate_user = make_user("durand@example.org")
    w.classmate.user = classmate_user
    w.classmate.save()
    assert download(client, classmate_user, made.number, "parchment").status_code == 404
    assert download(client, w.teacher, made.number, "supplement").status_code == 404
    assert download(client, lyon_staff, made.number, "credential").status_code == 404
    assert download(client, w.student.user, made.number, "transcript").status_code == 404
    anonymous = client.get(reverse("web:diploma_document", args=[made.number, "parchment"]))
    assert anonymous.status_code == 302
    assert DiplomaDocument.objects.count() == issued


def test_a_revoked_diploma_documents_are_withdrawn_from_the_learner(client, w):
    made = award(w)
    documents.issue_documents(award=made, actor=None)
    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")

    assert download(client, w.student.user, made.number, "parchment").status_code == 404
    kept = download(client, w.registrar, made.number, "parchment")
    assert kept.status_code == 200
    assert kept.content == stored(made, "parchment")


def test_the_learner_page_links_the_documents(client, w):
    made = award(w)
    client.force_login(w.student.user)
    answer = client.get(reverse("web:jury_learner", args=[w.student.number]))
    for kind in ("parchment", "supplement", "credential"):
        assert reverse("web:diploma_document", args=[made.number, kind]).encode() in answer.content


def test_minutes_once_the_session_is_closed_for_its_jury_and_staff(tmp_path, client, w):
    made = award(w)
    url = reverse("web:jury_minutes", args=[made.session.pk])
    client.force_login(w.juror)
    assert client.get(url).status_code == 404
    page = client.get(reverse("web:jury_session", args=[made.session.pk]))
    assert url.encode() not in page.content

    close_jury_session(actor=w.juror, session=made.session)
    page = client.get(reverse("web:jury_session", args=[made.session.pk]))
    assert url.encode() in page.content
    answer = client.get(url)
    assert answer.status_code == 200
    text = pdftotext(tmp_path, answer.content)
    assert "Procès-verbal de délibération" in text
    assert "Minutes of the jury's deliberation" in text
    assert f"FONTAINE {w.student.first_name}" in text
    assert made.number in text
    assert "1 diplôme décerné sur 1 candidat" in text
    verification = documents.minutes_verification_url(made.session)
    assert link_targets(answer.content) == {verification}

    client.force_login(w.student.user)
    assert client.get(url).status_code == 404
    client.logout()
    public = client.get(verification.removeprefix("https://cursus.example"))
    assert public.status_code == 200
    assert b"Genuine." in public.content
    assert b"Fontaine" not in public.content


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_store_each_document_once(w):
    made = award(w)
    racers = 3
    start = threading.Barrier(racers)
    failures: list[BaseException] = []
    answers: list[list[tuple[str, str]]] = []

    def issue() -> None:
        try:
            start.wait()
            issued = documents.issue_documents(award=made, actor=None)
            answers.append([(d.kind, d.sha256) for d in issued])
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    kept = sorted(DiplomaDocument.objects.values_list("kind", "sha256"))
    assert [kind for kind, _ in kept] == ["credential", "parchment", "supplement"]
    assert all(sorted(answer) == kept for answer in answers)
    logged = [
        kind
        for event in Event.objects.filter(kind="credentials.documents_issued")
        for kind in event.data["documents"]
    ]
    assert sorted(logged) == ["credential", "parchment", "supplement"]
    assert len(signing.identities()) == 1


def test_rotating_on_first_use_makes_the_first_key_then_the_next():
    assert signing.rotate_signing_key() == 2
    assert [identity.number for identity in signing.identities()] == [1, 2]
    assert signing.current_identity().number == 2
