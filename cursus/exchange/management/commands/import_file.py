"""``cursus import KIND FILE [--dry-run]``: import a CSV or XLSX file, every line or none."""

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cursus.exchange.actions import import_file
from cursus.exchange.formats import KINDS
from cursus.exchange.report import ImportReport

BAR_WIDTH = 28


class Bar:
    """A progress bar on standard error, redrawn in place on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.interactive = sys.stderr.isatty()
        self.started = time.monotonic()
        self.drawn = 0.0
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        """Show how many rows are done."""
        now = time.monotonic()
        final = total > 0 and done >= total
        if self.finished or (not final and (not self.interactive or now - self.drawn < 0.1)):
            return
        self.finished = final
        self.drawn = now
        filled = BAR_WIDTH if total <= 0 else min(BAR_WIDTH, BAR_WIDTH * done // total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"  {self.label} [{bar}] {done:>9,}/{total:<9,} {now - self.started:6.1f} s"
        sys.stderr.write(("\r" if self.interactive else "") + line + ("\n" if final else ""))
        sys.stderr.flush()


def describe(report: ImportReport) -> list[str]:
    """Return the report as lines for a terminal."""
    lines = []
    for problem in sorted(report.problems):
        column = f", column {problem.column}" if problem.column else ""
        lines.append(f"  line {problem.line}{column}: {problem.message}")
    for kind, counts in sorted(report.counts.items()):
        lines.append(
            f"  {kind}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )
    return lines


class Command(BaseCommand):
    help = (
        "Import learners, units, offerings, enrolments or historic results from a CSV or XLSX "
        "file: every line, or none when one is wrong."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        report = import_file(
            actor=None,
            kind=options["kind"],
            content=content,
            name=path.name,
            dry_run=options["dry_run"],
            progress=Bar(options["kind"]),
        )
        lines = describe(report)
        if not report.ok:
            raise CommandError(
                f"{path}: {len(report.problems)} problem(s); nothing was imported.\n"
                + "\n".join(lines)
            )
        verb = "would import" if report.dry_run else "imported"
        self.stdout.write(f"{path}: {report.rows} line(s) {verb}.\n" + "\n".join(lines))
