"""The ``cursus`` command: the project's own commands, then Django's."""

import os
import sys

# These run on files alone, without settings or a database.
PURE_COMMANDS = frozenset({"audit", "rules"})
# Our names for Django management commands.
ALIASES = {"serve": "runserver", "verify-log": "verify_log", "import": "import_file"}

USAGE = """\
usage: cursus COMMAND [ARGS]

Commands of the institution:
  demo            build the demo institution and serve it
  audit           audit a learner's record against a diploma's rules (files)
  credentials     list awarded diplomas (list --json) or export one's credential (export NUMBER)
  rules check     check diploma rules files
  plan            plan a learner's fastest path to a diploma (--learner, --diploma, --json)
  import          import a CSV or XLSX file of learners, units, offerings, enrolments or results
                  (KIND FILE [--dry-run]): every line, or none
  export          export them in the same columns (KIND [--format csv|xlsx] [--year Y]
                  [--centre CODE] -o FILE)
  stats           a year's learners and diplomas awarded (--year, --centre, --json)
  serve           serve the application (Django's runserver)
  verify-log      check that the event log was not edited or cut behind the application's back

Any other command is a Django management command (migrate, createsuperuser, ...).
"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``cursus COMMAND ...`` and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    if args[0] in PURE_COMMANDS:
        from cursus.audit.engine.cli import main as engine_main

        return engine_main(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    args[0] = ALIASES.get(args[0], args[0])
    try:
        execute_from_command_line(["cursus", *args])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0
