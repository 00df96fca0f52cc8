"""Read rows from CSV and XLSX files, and write them back in the same columns.

CSV files are UTF-8, with or without a byte-order mark, their cells separated
by semicolons, commas or tabs (the header line tells which). XLSX files are
read from their first sheet. Either way the first line names the columns.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from cursus.exchange.formats import EXTRA_CELLS, Row
from cursus.exchange.report import Problem

FORMATS = ("csv", "xlsx")
XLSX_MAGIC = b"PK\x03\x04"
CSV_DELIMITER = ";"


@dataclass(slots=True)
class Sheet:
    """A file read: its columns, its rows with their line numbers, or why it cannot be read."""

    columns: list[str] = field(default_factory=list)
    rows: Iterable[Row] = ()
    problems: list[Problem] = field(default_factory=list)
    size: int = 0


def _column_names(cells: Sequence[object]) -> list[str]:
    return [str(cell or "").strip().lower() for cell in cells]


def read_sheet(content: bytes, *, name: str = "") -> Sheet:
    """Read a CSV or XLSX file's content (told apart by its first bytes)."""
    if content.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
        return read_xlsx(content)
    return read_csv(content)


def read_csv(content: bytes) -> Sheet:
    """Read a CSV file; a byte that is not UTF-8 is a problem naming its line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return Sheet(
            problems=[
                Problem(
                    line,
                    "",
                    _(
                        "The file is not in UTF-8: byte %(byte)s cannot be read. "
                        "Save it as “CSV UTF-8”."
                    )
                    % {"byte": f"0x{content[error.start]:02X}"},
                )
            ]
        )
    header, _newline, _rest = text.partition("\n")
    if not header.strip():
        return Sheet(
            problems=[Problem(1, "", _("The file is empty: its first line names the columns."))]
        )
    delimiter = max(";,\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = _column_names(next(reader))
    return Sheet(
        columns=columns,
        rows=_csv_rows(reader, columns),
        size=text.count("\n"),
    )


def _csv_rows(reader: "Iterator[list[str]]", columns: list[str]) -> Iterator[Row]:
    line_num = getattr(reader, "line_num", 1)
    start = line_num + 1
    for cells in reader:
        line = start
        start = getattr(reader, "line_num", line) + 1
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(columns, cells, strict=False))
        if len(cells) > len(columns):
            values[EXTRA_CELLS] = ";".join(cells[len(columns) :])
        yield Row(values, line)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(content: bytes) -> Sheet:
    """Read the first sheet of an XLSX workbook."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a bad file
        return Sheet(problems=[Problem(1, "", _("This is not an XLSX workbook that can be read."))])
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    first = next(lines, None)
    if first is None:
        return Sheet(
            problems=[Problem(1, "", _("The file is empty: its first line names the columns."))]
        )
    columns = _column_names(first)
    return Sheet(columns=columns, rows=_xlsx_rows(lines, columns), size=sheet.max_row or 0)


def _xlsx_rows(lines: Iterator[tuple[object, ...]], columns: list[str]) -> Iterator[Row]:
    for line, values in enumerate(lines, start=2):
        cells = [_cell(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        yield Row(dict(zip(columns, cells, strict=False)), line)


def write_csv(rows: Iterable[dict[str, str]], columns: Sequence[str], stream: IO[str]) -> int:
    """Write rows as CSV (semicolons, for spreadsheets set to French); return how many."""
    writer = csv.writer(stream, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
        count += 1
    return count


def csv_bytes(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> bytes:
    """Return rows as a CSV file's content, with a byte-order mark for spreadsheets."""
    stream = io.StringIO()
    write_csv(rows, columns, stream)
    return "\ufeff".encode() + stream.getvalue().encode()


def xlsx_bytes(rows: Iterable[dict[str, str]], columns: Sequence[str], *, title: str) -> bytes:
    """Return rows as an XLSX workbook's content, every cell as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
