"""``cursus credentials``: the list of awarded diplomas and a diploma's credential."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cursus.credentials.actions import decide, revoke_diploma
from cursus.credentials.issuance import keyring
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy
from cursus.credentials.vc.proof import verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"


def run(*args: str) -> str:
    out = StringIO()
    call_command("credentials", *args, stdout=out)
    return out.getvalue()


def test_list_json_gives_number_learner_diploma_date_and_status(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    award = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    ).award
    revoke_diploma(actor=w.registrar, award=award, reason="Forged equivalence.")

    rows = json.loads(run("list", "--json"))

    assert rows == [
        {
            "number": "2026-CC-DB-00001",
            "learner": w.student.number,
            "name": f"{w.student.first_name} {w.student.last_name}",
            "diploma": "CC-DB",
            "version": 2022,
            "date": "2026-06-30",
            "status": "revoked",
        }
    ]


def test_export_prints_the_signed_credential(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award")

    credential = json.loads(run("export", "2026-CC-DB-00001"))

    assert credential["credentialSubject"]["achievement"]["humanCode"] == "CC-DB"
    assert verify(credential, keyring().public_key)


def test_export_of_an_unknown_number_fails_clearly(w):
    with pytest.raises(CommandError, match="No diploma has the number 2026-XX-00009"):
        run("export", "2026-XX-00009")
