"""``cursus credentials``: list awarded diplomas, export a diploma's credential, rotate keys."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cursus.credentials import issuance, queries, signing
from cursus.credentials.models import AwardedDiploma


class Command(BaseCommand):
    help = (
        "List awarded diplomas, export the signed Open Badges credential of one, "
        "or rotate the institution's signing keys."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        listing = commands.add_parser("list", help="List awarded diplomas.")
        listing.add_argument("--json", action="store_true", help="Print the list as JSON.")
        export = commands.add_parser("export", help="Print the credential of a diploma.")
        export.add_argument("number", help="The diploma's number, e.g. 2025-CC-ABD-00001.")
        commands.add_parser(
            "rotate-keys",
            help="Add a new current key for credentials and one for PDF signatures; "
            "the old keys stay published, so what they signed still verifies.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            self._export(options["number"])
        elif options["subcommand"] == "rotate-keys":
            self._rotate()
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

    def _rotate(self) -> None:
        ring = issuance.rotate_keys()
        number = signing.rotate_signing_key()
        self.stdout.write(f"Credentials now signed with {ring.current.key_id}")
        self.stdout.write(f"Kept for verification: {', '.join(k.key_id for k in ring.keys[:-1])}")
        self.stdout.write(f"PDF documents now signed with key pdf-signing-{number}")
