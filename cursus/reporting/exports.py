"""CSV and XLSX exports of the statistics, with small counts suppressed.

The rule, stated on the page: any count under 5 (learners or diplomas) is written "<5";
counts that add up with a suppressed one are blanked, so that it cannot be worked out by
difference; any figure derived from a suppressed count (a pass rate, the years to a
diploma) is blanked; totals are not exported.
"""

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from cursus.reporting.tables import Cell, Kind, Table

THRESHOLD = 5
SUPPRESSED = "<5"
BLANK = ""
# A spreadsheet runs a cell starting with one of these as a formula; labels such as a
# learner's sector are free text, so they are written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def suppressed(table: Table) -> tuple[list[str], list[list[Cell]]]:
    """Return the headings and the rows of a table as exported: suppression applied, rates
    and years rounded to one decimal, page-only columns left out."""
    kept = [index for index, column in enumerate(table.columns) if column.exported]
    rows: list[list[Cell]] = []
    for row in table.rows:
        hidden = {
            index
            for index, column in enumerate(table.columns)
            if column.kind == Kind.COUNT and isinstance(row[index], int) and row[index] < THRESHOLD  # type: ignore[operator]
        }
        groups = {table.columns[index].group for index in hidden} - {""}
        blanked = {
            index
            for index, column in enumerate(table.columns)
            if column.group in groups and index not in hidden
        }
        cells: list[Cell] = []
        for index, column in enumerate(table.columns):
            value = row[index]
            if index in hidden:
                cells.append(SUPPRESSED)
            elif index in blanked or (set(column.basis) & (hidden | blanked)):
                cells.append(BLANK)
            elif column.kind in (Kind.RATE, Kind.YEARS) and isinstance(value, float):
                cells.append(round(value, 1))
            elif isinstance(value, str):
                cells.append(_text(value))
            else:
                cells.append(BLANK if value is None else value)
        rows.append([cells[index] for index in kept])
    return [table.columns[index].label for index in kept], rows


def to_csv(table: Table) -> bytes:
    """Return one table as CSV (UTF-8 with a byte order mark, which spreadsheets expect)."""
    headings, rows = suppressed(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(tables: Sequence[Table], notes: Sequence[str]) -> bytes:
    """Return a workbook: a first sheet of notes, then one sheet per table."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook always has a sheet
    first.title = "notes"
    for line in notes:
        first.append([line])
    first.column_dimensions["A"].width = 100
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(title=table.slug[:31])
        sheet.append([table.title])
        sheet["A1"].font = bold
        headings, rows = suppressed(table)
        sheet.append(headings)
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
