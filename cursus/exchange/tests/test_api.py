import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.actions import create_api_token
from cursus.core.models import Role
from cursus.exchange.files import csv_bytes
from cursus.exchange.formats import COLUMNS
from cursus.exchange.tests.fixtures import result_row
from cursus.records.models import Result

pytestmark = pytest.mark.django_db

API = "/api/v1"


def as_user(client, user):
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def send(client, kind, content, **query):
    suffix = "".join(f"&{k}={v}" for k, v in query.items())
    upload = SimpleUploadedFile("file.csv", content)
    return client.post(f"{API}/imports/{kind}?x=1{suffix}", {"file": upload})


def test_dry_run_then_import_through_the_api(client, registrar, learners, offering):
    as_user(client, registrar)
    content = csv_bytes([result_row("A-0000001", offering, 1, "15")], COLUMNS["results"])
    response = send(client, "results", content, dry_run="true")
    assert response.status_code == 200
    assert response.json()["counts"]["results"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert not Result.objects.exists()
    assert send(client, "results", content).status_code == 200
    assert Result.objects.count() == 1


def test_a_bad_line_answers_422_naming_line_and_column(client, registrar, learners, offering):
    as_user(client, registrar)
    rows = [result_row("A-0000001", offering, 1, "15"), result_row("A-0000404", offering, 1, "9")]
    response = send(client, "results", csv_bytes(rows, COLUMNS["results"]))
    assert response.status_code == 422
    assert response.json() == {
        "errors": {"line 3": ["column “learner”: Learner A-0000404 does not exist."]}
    }
    assert not Result.objects.exists()


def test_export_as_a_workbook(client, registrar, learners):
    as_user(client, registrar)
    response = client.get(f"{API}/exports/learners?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert next(sheet.iter_rows(max_row=1, values_only=True)) == COLUMNS["learners"]


def test_a_teacher_is_refused(client, learners):
    as_user(client, make_user("t@example.org", Role.TEACHER))
    assert send(client, "learners", b"number\n").status_code == 403
    assert client.get(f"{API}/exports/learners").status_code == 403
