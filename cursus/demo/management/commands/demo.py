"""``cursus demo``: build the demo institution, print the demo accounts, and serve it."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cursus.catalogue.models import Centre, Unit
from cursus.core.models import Role, User
from cursus.demo.builder import DEFAULT_SCALE, DEFAULT_SEED, DemoSummary, build_demo
from cursus.demo.progress import ProgressDisplay

DEFAULT_ADDRESS = "127.0.0.1:8000"

# The build's steps, as the progress display shows them.
STEPS = frozenset(
    {
        "migrate",
        "reset",
        "departments",
        "centres",
        "institutes",
        "units",
        "diplomas",
        "terms",
        "teachers",
        "offerings",
        "employers",
        "learners",
        "records",
        "enrolments",
        "pursuits",
        "juries",
        "history",
        "year juries",
    }
)
# What the build's steps and counts are called on screen.
LABELS = {
    "migrate": gettext_lazy("migrate"),
    "reset": gettext_lazy("reset"),
    "departments": gettext_lazy("departments"),
    "centres": gettext_lazy("centres"),
    "regional centres": gettext_lazy("regional centres"),
    "centres abroad": gettext_lazy("centres abroad"),
    "institutes": gettext_lazy("institutes"),
    "units": gettext_lazy("units"),
    "diplomas": gettext_lazy("diplomas"),
    "terms": gettext_lazy("terms"),
    "teachers": gettext_lazy("teachers"),
    "offerings": gettext_lazy("offerings"),
    "employers": gettext_lazy("employers"),
    "learners": gettext_lazy("learners"),
    "records": gettext_lazy("academic histories"),
    "enrolments": gettext_lazy("this year's enrolments"),
    "pursuits": gettext_lazy("diplomas pursued"),
    "juries": gettext_lazy("juries"),
    "history": gettext_lazy("past years' records"),
    "year juries": gettext_lazy("year-end juries"),
}


class Command(BaseCommand):
    help = (
        "Build the demo institution in a fresh database, print one demo account per role, "
        "then serve it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=DEFAULT_SCALE,
            help=_("Share of the 100,000 learners to make (default %(value)s).")
            % {"value": DEFAULT_SCALE},
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("The same seed builds the same institution (default %(value)s).")
            % {"value": DEFAULT_SEED},
        )
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Build and print the accounts; do not serve.")
        )
        parser.add_argument(
            "--addr",
            default=DEFAULT_ADDRESS,
            help=_("Address and port to serve on (default %(value)s).")
            % {"value": DEFAULT_ADDRESS},
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_(
                "Wipe a database that already holds data (the SQLite file under var/ is always "
                "recreated)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        if scale <= 0:
            raise CommandError(_("--scale must be positive, e.g. 0.01 for 1,000 learners."))
        display = ProgressDisplay(
            self.stdout,
            interactive=self.stdout.isatty(),
            labels={key: str(label) for key, label in LABELS.items() if key in STEPS},
            number=_number,
        )
        if _recreate_sqlite_file():
            self.stdout.write(
                _("Recreated %(file)s") % {"file": settings.DATABASES["default"]["NAME"]}
            )
        started = display.elapsed
        call_command("migrate", interactive=False, verbosity=0)
        display.mark("migrate", display.elapsed - started)
        if _holds_data():
            if not options["reset"]:
                raise CommandError(
                    _(
                        "The database already holds data. Run again with --reset to wipe it "
                        "(everything in it is deleted), or point DATABASE_URL at an empty "
                        "database."
                    )
                )
            started = display.elapsed
            call_command("flush", interactive=False, verbosity=0)
            display.mark("reset", display.elapsed - started)
        summary = build_demo(scale=scale, seed=options["seed"], progress=display)
        self._report(summary, display.elapsed, options["addr"], serving=not options["no_serve"])
        if not options["no_serve"]:
            call_command("runserver", options["addr"], use_reloader=False)

    def _report(self, summary: DemoSummary, seconds: float, address: str, *, serving: bool) -> None:
        counts = ", ".join(
            f"{_number(count)} {LABELS[name]}" for name, count in summary.counts().items()
        )
        self.stdout.write(
            "\n"
            + _("Built the demo institution in %(seconds).1f s (seed %(seed)d): %(counts)s.")
            % {"seconds": seconds, "seed": summary.seed, "counts": counts}
        )
        rows = [(_("Role"), _("E-mail"), _("Name"))]
        rows += [(str(Role(login.role).label), login.email, login.name) for login in summary.logins]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        self.stdout.write(
            "\n" + _("Demo accounts (password: %(password)s):") % {"password": summary.password}
        )
        for role, email, name in rows:
            self.stdout.write(f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {name}")
        url = f"http://{address}/"
        if serving:
            message = _("Serving %(url)s (stop with Ctrl-C).") % {"url": url}
            self.stdout.write("\n" + self.style.SUCCESS(message) + "\n")
        else:
            self.stdout.write(
                "\n"
                + _("Serve it with “cursus serve %(address)s”, then open %(url)s.")
                % {"address": address, "url": url}
                + "\n"
            )


def _recreate_sqlite_file() -> bool:
    """Delete the default SQLite file under var/, so that the build starts afresh.

    Only that file: any other database is wiped with --reset alone.
    """
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return False
    path = Path(name).resolve()
    var_dir = Path(settings.VAR_DIR).resolve()
    if not path.is_relative_to(var_dir):
        return False
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    return True


def _number(value: int) -> str:
    """Return a count grouped by thousands as the active language writes it (1 000, 1,000)."""
    return str(formats.number_format(value, force_grouping=True))


def _holds_data() -> bool:
    return User.objects.exists() or Centre.objects.exists() or Unit.objects.exists()
