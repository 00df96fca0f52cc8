"""``cursus export KIND [--format csv|xlsx] [--year Y] [--centre CODE] -o FILE``."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from cursus.exchange.files import FORMATS, csv_bytes, xlsx_bytes
from cursus.exchange.formats import COLUMNS, KINDS
from cursus.exchange.queries import export_rows


class Command(BaseCommand):
    help = "Export learners, units, offerings, enrolments or results in the import's columns."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("--year", type=int, help="An academic year by its first year: 2025.")
        parser.add_argument("--centre", help="A centre's code.")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], options["output"]
        chosen = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
        rows = export_rows(user=None, kind=kind, year=options["year"], centre=options["centre"])
        columns = COLUMNS[kind]
        content = (
            xlsx_bytes(rows, columns, title=kind) if chosen == "xlsx" else csv_bytes(rows, columns)
        )
        path.write_bytes(content)
        self.stdout.write(f"{path}: {kind} exported ({chosen}).")
