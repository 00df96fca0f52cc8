import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.events import verify_chain
from cursus.core.models import Role
from cursus.exchange.files import csv_bytes as _csv_bytes
from cursus.exchange.files import xlsx_bytes
from cursus.exchange.formats import COLUMNS
from cursus.exchange.models import ImportJob, ImportStatus
from cursus.exchange.tests.fixtures import result_row
from cursus.records.models import Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    # The test settings run tasks at once, when the transaction that queued them commits.
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def csv_bytes(rows):
    return _csv_bytes(rows, COLUMNS["results"])


def upload(client, kind: str, content: bytes, name: str):
    return client.post(
        reverse("web:exchange"),
        {"kind": kind, "file": _file(content, name)},
    )


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_sheet_is_checked_then_imported_on_confirmation(
    client, registrar, learners, offering, run_tasks
):
    client.force_login(registrar)
    client.cookies["django_language"] = "en"
    rows = [result_row("A-0000001", offering, 1, "12"), result_row("A-0000002", offering, 1, "7")]
    content = xlsx_bytes(rows, COLUMNS["results"], title="results")
    response = run_tasks(lambda: upload(client, "results", content, "results.xlsx"))
    job = ImportJob.objects.get()
    assert response.url == reverse("web:exchange_job", args=[job.pk])
    assert job.status == ImportStatus.CHECKED
    assert not Result.objects.exists()
    page = client.get(response.url)
    assert b"Import these rows" in page.content
    run_tasks(lambda: client.post(response.url))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Result.objects.count() == 2
    assert verify_chain() is None


def test_a_bad_line_is_shown_and_nothing_can_be_imported(
    client, registrar, learners, offering, run_tasks
):
    client.force_login(registrar)
    rows = [result_row("A-0000001", offering, 1, "12"), result_row("A-0000002", offering, 1, "25")]
    content = xlsx_bytes(rows, COLUMNS["results"], title="results")
    response = run_tasks(lambda: upload(client, "results", content, "results.xlsx"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"import-problems" in page.content
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert job.problems == [{"line": 3, "column": "grade", "message": job.problems[0]["message"]}]
    assert client.post(response.url).status_code == 409
    assert not Result.objects.exists()


def test_export_downloads_the_rows_as_a_workbook(client, registrar, learners):
    client.force_login(registrar)
    response = client.get(
        reverse("web:exchange_export"), {"export-kind": "learners", "export-format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["A-0000001", "A-0000002", "A-0000003"]


def test_centre_staff_export_only_their_centres_learners(client, paris_staff, learners):
    client.force_login(paris_staff)
    response = client.get(
        reverse("web:exchange_export"), {"export-kind": "learners", "export-format": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert "A-0000001" in text
    assert "A-0000003" not in text


@pytest.mark.parametrize("role", [Role.TEACHER, Role.LEARNER])
def test_teachers_and_learners_are_refused(client, learners, role):
    user = make_user("someone@example.org", role)
    client.force_login(user)
    assert client.get(reverse("web:exchange")).status_code == 403
    assert (
        client.get(
            reverse("web:exchange_export"), {"export-kind": "learners", "export-format": "csv"}
        ).status_code
        == 403
    )


def test_staff_see_only_their_own_imports(client, registrar, paris_staff, learners, offering):
    client.force_login(registrar)
    upload(client, "results", b"learner\n", "r.csv")
    job = ImportJob.objects.get()
    client.force_login(paris_staff)
    assert client.get(reverse("web:exchange_job", args=[job.pk])).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(
    client, registrar, learners, offering, django_assert_num_queries
):
    client.force_login(registrar)
    for n in range(3):
        upload(client, "learners", b"number;last_name\n", f"l{n}.csv")
    with django_assert_num_queries(5):
        assert client.get(reverse("web:exchange")).status_code == 200


@pytest.mark.usefixtures("learners")
def test_the_job_page_reads_a_fixed_number_of_queries(
    client, registrar, offering, run_tasks, django_assert_num_queries
):
    client.force_login(registrar)
    rows = [result_row(f"A-000000{n}", offering, 1, "30") for n in (1, 2, 3)]
    response = run_tasks(lambda: upload(client, "results", csv_bytes(rows), "r.csv"))
    with django_assert_num_queries(5):
        page = client.get(response.url)
    assert page.content.count(b'<tr><td class="num">') == 3
