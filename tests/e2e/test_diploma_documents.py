"""A jury awards a diploma; its holder downloads the signed parchment, supplement and
credential; the verification pages accept the credential, then reject it once altered or
revoked."""

import io
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader

from cursus.credentials import actions as credentials
from tests.e2e.juries import open_cc_dev_session

pytestmark = pytest.mark.e2e

NUMBER = "2026-CC-DEV-00001"


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def session(world):
    made = open_cc_dev_session(world)
    credentials.add_candidates(actor=world.lyon_staff, session=made, learners=[world.learner])
    return made


def fetch(page, kind: str, tmp_path: Path) -> bytes:
    """Click a document's link on the learner's page and return the file downloaded."""
    link = page.locator(f"a[href='/juries/diplomas/{NUMBER}/documents/{kind}/']")
    with page.expect_download() as started:
        link.click()
    download = started.value
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    content: bytes = path.read_bytes()
    return content


def verification_path(pdf: bytes) -> str:
    """Return the path of the verification page the PDF's QR code and link lead to."""
    reader = PdfFileReader(io.BytesIO(pdf))
    for page in reader.root["/Pages"]["/Kids"]:
        for annotation in page.get_object().get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                return urlsplit(str(action["/URI"])).path
    raise AssertionError("The PDF links to no verification page.")


def paste(page, credential: dict[str, object]) -> None:
    page.goto("/verify/credential/")
    page.locator("textarea").fill(json.dumps(credential))
    page.get_by_role("main").get_by_role("button", name="Vérifier").click()


def test_holder_downloads_signed_documents_that_verify_until_revoked(  # noqa: PLR0917
    page, world, session, log_in, tmp_path, screenshot
):
    log_in(world.jury_member)
    page.goto(f"/juries/{session.pk}/")
    page.get_by_label("Décision").select_option("award")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("main")).to_contain_text(NUMBER)

    page.context.clear_cookies()
    log_in(world.learner_user)
    page.goto(f"/juries/learners/{world.learner.number}/")
    expect(page.locator("#diploma-documents")).to_contain_text(NUMBER)
    screenshot(page, "diploma-documents")
    parchment = fetch(page, "parchment", tmp_path)
    supplement = fetch(page, "supplement", tmp_path)
    credential = json.loads(fetch(page, "credential", tmp_path))
    assert parchment.startswith(b"%PDF")
    assert supplement.startswith(b"%PDF")
    assert credential["credentialSubject"]["achievement"]["humanCode"] == "CC-DEV"
    if shutil.which("pdfsig"):
        for name, content in (("p.pdf", parchment), ("s.pdf", supplement)):
            (tmp_path / name).write_bytes(content)
            report = subprocess.run(
                ["pdfsig", str(tmp_path / name)], capture_output=True, text=True, check=False
            ).stdout
            assert "Signature is Valid." in report

    # The QR code's page says the diploma is genuine, without logging in.
    qr_page = verification_path(parchment)
    assert verification_path(supplement) == qr_page
    page.context.clear_cookies()
    page.goto(qr_page)
    expect(page.locator("main .message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(NUMBER)

    paste(page, credential)
    expect(page.locator("main .message-success")).to_contain_text("Authentique.")

    altered = json.loads(json.dumps(credential))
    altered["credentialSubject"]["creditsEarned"] = 60
    paste(page, altered)
    expect(page.locator("main .message-error")).to_contain_text("Non authentique.")

    log_in(world.registrar)
    page.goto(f"/juries/learners/{world.learner.number}/")
    page.get_by_label("Motif du retrait").fill("Dispense accordée par erreur.")
    page.get_by_role("main").get_by_role("button", name="Révoquer").click()
    page.context.clear_cookies()

    paste(page, credential)
    expect(page.locator("main .message-error")).to_contain_text("Authentique, mais révoqué.")
    page.goto(qr_page)
    expect(page.locator("main .message-error")).to_be_visible()
    expect(page.locator("main .message-success")).to_have_count(0)

    log_in(world.learner_user)
    page.goto(f"/juries/learners/{world.learner.number}/")
    expect(page.locator(f"a[href='/juries/diplomas/{NUMBER}/documents/parchment/']")).to_have_count(
        0
    )
    answer = page.request.get(f"/juries/diplomas/{NUMBER}/documents/parchment/")
    assert answer.status == 404
