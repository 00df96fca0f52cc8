"""``cursus stats``: the headline figures of an academic year, as a table or as JSON."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cursus.core.errors import DomainError
from cursus.reporting import queries


class Command(BaseCommand):
    help = (
        "Print a year's learners (in total, by formula, department, kind of centre, centre, "
        "institute, age band and sector) and diplomas awarded (by kind, department, centre)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            help="The academic year by its first calendar year (2025 for 2025–2026); "
            "by default the last complete year.",
        )
        parser.add_argument("--centre", default="", help="Only this centre, by its code.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        start_year = options["year"]
        if start_year is None:
            start_year = queries.default_year(queries.year_options())
            if start_year is None:
                raise CommandError("No academic year has begun yet.")
        try:
            year = queries.academic_year(start_year)
            reach = queries.centre_reach(options["centre"])
        except DomainError as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        figures = queries.headline(year, reach)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self._print(figures)

    def _print(self, figures: dict[str, Any]) -> None:
        where = f" · {figures['centre']}" if figures["centre"] else ""
        self.stdout.write(f"Academic year {figures['label']}{where}")
        for part in ("learners", "diplomas"):
            block = figures[part]
            self.stdout.write("")
            self.stdout.write(f"{part:<48}{block['total']:>10,}")
            for name, counts in block.items():
                if name == "total":
                    continue
                self.stdout.write(f"  {name}")
                for key, count in counts.items():
                    self.stdout.write(f"    {key:<44}{count:>10,}")
