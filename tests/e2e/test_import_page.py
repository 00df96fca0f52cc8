"""The registrar uploads a spreadsheet of results, reads the dry run, imports it; a bad file
shows its line."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cursus.enrolment.models import Tariff, TariffBasis
from cursus.exchange.files import xlsx_bytes
from cursus.exchange.formats import COLUMNS
from cursus.records.models import Result

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def past_tariff(world):
    return Tariff.objects.create(
        academic_year=world.past.academic_year,
        basis=TariffBasis.PER_UNIT,
        registration_fee=Decimal(100),
        full_amount=Decimal(200),
        reduced_amount=Decimal(100),
        employer_amount=Decimal(400),
    )


def _sheet(world, grades: list[str]) -> bytes:
    offering = world.nfa008_past
    rows = [
        {
            "learner": world.learner.number,
            "unit": offering.unit.code,
            "term": offering.term.code,
            "centre": offering.centre.code,
            "formula": offering.formula,
            "section": offering.section,
            "session": str(session),
            "grade": grade,
        }
        for session, grade in enumerate(grades, start=1)
    ]
    return xlsx_bytes(rows, COLUMNS["results"], title="results")


def _upload(page, content: bytes) -> None:
    page.goto("/exchange/")
    page.locator("#id_kind").select_option("results")
    page.locator("#id_file").set_input_files(
        files=[{"name": "resultats.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    page.locator("#upload-form button[type=submit]").click()


def test_registrar_checks_then_imports_a_sheet_of_results(
    page, world, past_tariff, log_in, screenshot
):
    assert world.past.session2_ends_on < date.today()
    log_in(world.registrar)
    _upload(page, _sheet(world, ["8", "12.5"]))
    expect(page.locator("#import-counts")).to_be_visible()
    expect(page.locator("#import-problems")).to_have_count(0)
    assert not Result.objects.exists()
    screenshot(page, "import-dry-run")
    page.locator("#confirm-import").click()
    expect(page.locator("#import-bar")).to_have_attribute("value", "100")
    expect(page.locator("#confirm-import")).to_have_count(0)
    expect(page.locator("#import-counts")).to_contain_text("2")
    assert Result.objects.filter(published_at__isnull=False).count() == 2


def test_a_bad_line_is_named_and_nothing_is_imported(page, world, past_tariff, log_in):
    log_in(world.registrar)
    _upload(page, _sheet(world, ["8", "25"]))
    problems = page.locator("#import-problems")
    expect(problems).to_be_visible()
    row = problems.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("grade")
    expect(page.locator("#confirm-import")).to_have_count(0)
    assert not Result.objects.exists()
