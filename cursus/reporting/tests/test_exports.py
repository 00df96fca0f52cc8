"""Exports suppress small counts, and whatever would give them away; charts draw the numbers."""

import csv
import io

from openpyxl import load_workbook

from cursus.reporting import charts, exports
from cursus.reporting.tables import Column, Kind, Table


def rates_table() -> Table:
    return Table(
        slug="pass-rates",
        title="Pass rates",
        columns=(
            Column("Unit", Kind.TEXT),
            Column("Enrolled", exported=False),
            Column("Assessed", group="a"),
            Column("Passed", group="a"),
            Column("Failed", group="a"),
            Column("Rate", Kind.RATE, basis=(2, 3, 4)),
        ),
        rows=(
            ("NFA008", 40, 30, 27, 3, 90.0),
            ("NFA011", 40, 30, 20, 10, 66.66666),
            ("NFA012", 4, 4, 4, 0, 100.0),
        ),
    )


def test_counts_under_five_are_written_as_under_five_and_their_group_blanked():
    headings, rows = exports.suppressed(rates_table())
    assert headings == ["Unit", "Assessed", "Passed", "Failed", "Rate"]
    assert rows[0] == ["NFA008", "", "", "<5", ""]
    assert rows[1] == ["NFA011", 30, 20, 10, 66.7]
    assert rows[2] == ["NFA012", "<5", "<5", "<5", ""]


def test_years_derived_from_a_suppressed_count_are_blanked():
    table = Table(
        slug="time",
        title="Time",
        columns=(
            Column("Kind", Kind.TEXT),
            Column("Diplomas"),
            Column("Median", Kind.YEARS, basis=(1,)),
        ),
        rows=(("Licence", 3, 4.2), ("Master", 12, 5.04)),
    )
    assert exports.suppressed(table)[1] == [["Licence", "<5", ""], ["Master", 12, 5.0]]


def test_csv_and_xlsx_carry_the_same_suppressed_cells():
    table = rates_table()
    text = exports.to_csv(table).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[3] == ["NFA012", "<5", "<5", "<5", ""]
    book = load_workbook(io.BytesIO(exports.to_xlsx([table], ["a note"])))
    assert book.sheetnames == ["notes", "pass-rates"]
    sheet = book["pass-rates"]
    assert [c.value for c in sheet[5]] == ["NFA012", "<5", "<5", "<5", None]
    assert [c.value for c in sheet[4]] == ["NFA011", 30, 20, 10, 66.7]
    assert book["notes"]["A1"].value == "a note"


def test_bar_chart_names_itself_and_prints_every_label_and_value_escaped():
    svg = charts.bar_chart(
        [("Soir & samedi", 70000), ("Institut", 30000)],
        title="Learners <by formula>",
        describe=lambda v: f"{int(v):,}",
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "Learners &lt;by formula&gt;" in svg
    assert "Soir &amp; samedi" in svg
    assert "70,000" in svg
    assert "30,000" in svg
    assert svg.count("<rect") == 2


def test_stacked_columns_stack_only_the_series_that_have_values():
    svg = charts.stacked_columns(
        ["2024–2025", "2025–2026"],
        [("Licence", [3, 4]), ("Master", [0, 2]), ("DEST", [0, 0])],
        title="Diplomas per year",
    )
    assert "Licence" in svg
    assert "Master" in svg
    assert "DEST" not in svg
    # Three bars, two legend keys; the totals printed above the columns.
    assert svg.count("<rect") == 5
    assert ">3<" in svg
    assert ">6<" in svg


def test_labels_that_a_spreadsheet_would_run_as_formulas_are_written_as_text():
    table = Table(
        slug="learners-sector",
        title="Sector",
        columns=(Column("Sector", Kind.TEXT), Column("Learners")),
        rows=(('=HYPERLINK("http://example.org")', 12), ("Industrie", 30)),
    )
    assert exports.suppressed(table)[1][0][0] == '\'=HYPERLINK("http://example.org")'
    book = load_workbook(io.BytesIO(exports.to_xlsx([table], [])))
    cell = book["learners-sector"]["A3"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")
