"""Diplomas issued per second: parchment and supplement PDFs, signed, and the signed credential.

Usage: ``.venv/bin/python benchmarks/diploma_issuance.py [--awards 50] [--scale 0.01]``.

Builds the demo at the scale into a fresh SQLite file in a temporary folder (or
into the empty database of ``DATABASE_URL``), with its keys in that folder too,
then takes the first N diplomas awarded by the demo's juries that hold no
document yet and measures, in the same run:

(a) the credential alone: the Open Badges credential built and signed (Ed25519,
    RDFC-1.0 canonicalisation), as the download page does;
(b) the two PDFs rendered without signature (WeasyPrint);
(c) the PAdES signature of the two rendered PDFs alone (pyHanko);
(d) the whole issuance, as the batch task does it: both PDFs rendered and
    signed, the credential signed, the three stored (``issue_documents``).

Wall-clock seconds and CPU seconds of this process are both shown: the machine
may be shared, and the CPU time is what the work itself costs.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=50, help="diplomas issued, default 50")
    parser.add_argument("--scale", type=float, default=0.01, help="demo scale, default 0.01")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        os.environ["CURSUS_CREDENTIAL_KEYS_DIR"] = str(Path(folder) / "keys")
        return _run(options.awards, options.scale, options.seed)


def _timed(label: str, awards: Sequence[Any], work: Callable[[Any], object]) -> list[str]:
    wall, cpu = time.perf_counter(), time.process_time()
    for award in awards:
        work(award)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(awards)
    return [
        label,
        f"{count}",
        f"{wall:.2f}",
        f"{cpu:.2f}",
        f"{count / wall:.2f}",
        f"{1000 * wall / count:.0f}",
    ]


def _run(count: int, scale: float, seed: int) -> int:
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    from cursus.core.documents import render_pdf
    from cursus.credentials import documents, issuance, signing
    from cursus.credentials.models import AwardedDiploma, AwardStatus
    from cursus.demo.builder import build_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    summary = build_demo(scale=scale, seed=seed)
    print(
        f"demo      {connection.vendor}, scale {scale}: {summary.learners:,} learners, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    awards = list(
        AwardedDiploma.objects.filter(status=AwardStatus.AWARDED, documents__isnull=True)
        .select_related("diploma", "learner__user", "centre", "candidate", "session")
        .order_by("pk")[:count]
    )
    if len(awards) < count:
        print(f"only {len(awards)} diplomas awarded without documents at this scale")
    if not awards:
        return 1
    kinds = sorted({award.diploma.kind for award in awards})
    print(f"awards    {len(awards)} diplomas of {len(kinds)} kinds: {', '.join(kinds)}")
    # Warm up: keys made, templates and fonts loaded, contexts cached.
    issuance.credential_for(awards[0])
    documents.parchment_pdf(awards[0])

    rendered: dict[int, tuple[bytes, bytes]] = {}

    def render(award: AwardedDiploma) -> None:
        # The renderer's own context, rendered without the signature.
        fresh = documents._fresh(award)
        context = documents._award_context(fresh)
        lines = documents.unit_lines(fresh)
        supplement = context | {
            "units": lines,
            "ects_total": sum(Decimal(str(line.ects)) for line in lines),
            "validations": any(line.is_validation for line in lines),
            "override": fresh.candidate.override_reason,
        }
        base = issuance.base_url()
        rendered[award.pk] = (
            render_pdf(f"{documents.TEMPLATES}/parchment.html", context, base_url=base),
            render_pdf(f"{documents.TEMPLATES}/supplement.html", supplement, base_url=base),
        )

    def sign(award: AwardedDiploma) -> None:
        parchment, supplement = rendered[award.pk]
        signing.sign_pdf(parchment, reason=award.number, field_name="Parchemin")
        signing.sign_pdf(supplement, reason=award.number, field_name="Supplement")

    rows = [
        ["step", "diplomas", "wall s", "CPU s", "diplomas/s", "ms/diploma"],
        _timed("(a) credential only", awards, issuance.credential_for),
        _timed("(b) 2 PDFs, unsigned", awards, render),
        _timed("(c) PAdES signing of 2 PDFs", awards, sign),
        _timed(
            "(d) full issuance",
            awards,
            lambda award: documents.issue_documents(award=award, actor=None),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
        if number == 0:
            print("  ".join("-" * w for w in widths))
    for column, name in ((2, "wall"), (3, "CPU")):
        parts = sum(float(row[column]) for row in rows[1:4])
        print(
            f"{name:<4} full issuance takes {float(rows[4][column]) / parts:.0%} of the time of "
            f"(a)+(b)+(c) done back to back; {len(awards) / float(rows[4][column]):.2f} diplomas/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
