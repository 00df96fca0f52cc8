"""``cursus verify-log``: check the event log's hash chain, and the ledger against the log.

Exits 0 when every event's hash recomputes and follows its predecessor, and the
acquisitions table equals the replay of the log; otherwise exits 1 and names
the first broken event, or the first acquisitions that differ.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cursus.core.events import verify_chain
from cursus.core.models import Event
from cursus.records.store import LedgerDifference, ledger_differences


def _describe(difference: LedgerDifference) -> str:
    def entry(value: object) -> str:
        return "nothing" if value is None else repr(value)

    return (
        f"learner {difference.learner_id}, unit {difference.unit}: the log gives "
        f"{entry(difference.in_log)}, the table holds {entry(difference.in_table)}"
    )


class Command(BaseCommand):
    help = (
        "Check that no event of the log was edited or deleted behind the application's back, "
        "and that the ledger of acquisitions is the one the log adds up to."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--chain-only",
            action="store_true",
            help="Check the hash chain only, not the ledger against the log.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            event = Event.objects.filter(sequence=broken.sequence).first()
            what = f" ({event.kind} about {event.subject_type}:{event.subject_id})" if event else ""
            raise CommandError(
                f"The event log is broken at event #{broken.sequence}{what}: {broken.problem}."
            )
        count = Event.objects.count()
        if not options["chain_only"]:
            differences = ledger_differences()
            if differences:
                lines = "\n".join(f"  {_describe(d)}" for d in differences)
                raise CommandError(
                    "The event log is intact, but the acquisitions table differs from it:\n" + lines
                )
        self.stdout.write(f"The event log is intact: {count} events chain and verify.")
