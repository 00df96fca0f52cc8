"""``cursus credentials``: list awarded diplomas, export a diploma's signed credential."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cursus.credentials import issuance, queries
from cursus.credentials.models import AwardedDiploma


class Command(BaseCommand):
    help = "List awarded diplomas, or export the signed Open Badges credential of one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        listing = commands.add_parser("list", help="List awarded diplomas.")
        listing.add_argument("--json", action="store_true", help="Print the list as JSON.")
        export = commands.add_parser("export", help="Print the credential of a diploma.")
        export.add_argument("number", help="The diploma's number, e.g. 2025-CC-ABD-00001.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            self._export(options["number"])
        else:
            self._list(as_json=options["json"])

    def _list(self, *, as_json: bool) -> None:
        rows = [
            {
                "number": award.number,
                "learner": award.learner.number,
                "name": f"{award.learner.first_name} {award.learner.last_name}",
                "diploma": award.diploma_code,
                "version": award.diploma.version,
                "date": award.awarded_on.isoformat(),
                "status": award.status,
            }
            for award in queries.all_awards()
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['number']}  {row['learner']}  {row['name']}  {row['diploma']}  "
                f"{row['date']}  {row['status']}"
            )

    def _export(self, number: str) -> None:
        award = queries.all_awards().filter(number=number.strip()).first()
        if award is None:
            raise CommandError(f"No diploma has the number {number}.")
        self._write(award)

    def _write(self, award: AwardedDiploma) -> None:
        credential = issuance.credential_for(award)
        self.stdout.write(json.dumps(credential, ensure_ascii=False, indent=2))
