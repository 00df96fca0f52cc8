"""``cursus plan``: the fastest plan of a learner to a diploma, as text or JSON."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cursus.catalogue.models import Formula
from cursus.core.errors import DomainError
from cursus.enrolment.models import Learner
from cursus.planner.problem import Constraints, parse_windows
from cursus.planner.queries import learner_context, plan_for, target_code
from cursus.planner.solve import Plan, when


def _codes(text: str | None) -> frozenset[str] | None:
    if not text:
        return None
    return frozenset(part.strip() for part in text.split(",") if part.strip())


class Command(BaseCommand):
    help = (
        "Plan a learner's path to a diploma through the offerings ahead: which unit, in which "
        "term, at which centre, under which formula, and the diploma's audit once done."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--learner", required=True, help="The learner's number.")
        parser.add_argument(
            "--diploma", help="The diploma's code; without it, the closest diploma."
        )
        parser.add_argument("--centres", help="Centres the learner can reach, by code: paris,lyon.")
        parser.add_argument(
            "--formulas",
            help="Formulas accepted: " + ",".join(Formula.values) + ".",
        )
        parser.add_argument(
            "--weekdays",
            help="When the learner is free: mon,tue:evening,thu:18:00-21:30 (a day alone: all day)",
        )
        parser.add_argument("--max-units", type=int, help="At most this many units per term.")
        parser.add_argument("--max-ects", type=float, help="At most this many ECTS per term.")
        parser.add_argument("--skip", help="Terms to skip, by code: 2027-S1,2027-S2.")
        parser.add_argument("--json", action="store_true", help="Print the plan as JSON.")
        parser.add_argument("--lang", choices=("fr", "en"), default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["lang"])
        formulas = _codes(options["formulas"])
        if formulas is not None and not formulas <= set(Formula.values):
            unknown = ", ".join(sorted(formulas - set(Formula.values)))
            raise CommandError(f"--formulas: unknown formula {unknown}.")
        try:
            windows = parse_windows(options["weekdays"]) if options["weekdays"] else None
        except ValueError as error:
            raise CommandError(f"--weekdays: cannot read {error}.") from None
        for name in ("max_units", "max_ects"):
            if options[name] is not None and options[name] <= 0:
                raise CommandError(f"--{name.replace('_', '-')}: give a positive number.")
        learner = (
            Learner.objects.select_related("home_centre")
            .filter(number=options["learner"].strip())
            .first()
        )
        if learner is None:
            raise CommandError(f"--learner: no learner has the number {options['learner']}.")
        constraints = Constraints(
            centres=_codes(options["centres"]),
            formulas=formulas,
            windows=windows,
            max_units=options["max_units"],
            max_ects=options["max_ects"],
            skip_terms=_codes(options["skip"]) or frozenset(),
        )
        context = learner_context(learner)
        try:
            code = target_code(context, options["diploma"] or "")
            plan = plan_for(context, code, constraints)
        except DomainError as error:
            raise CommandError(f"--diploma: {error.message}") from None
        if options["json"]:
            self.stdout.write(
                json.dumps(plan.as_json(options["lang"]), indent=2, ensure_ascii=False)
            )
            return
        self._print(plan)

    def _print(self, plan: Plan) -> None:
        title = plan.diploma.title
        name = title.en if translation.get_language() == "en" else title.fr
        self.stdout.write(f"{plan.diploma.code} — {name}")
        if not plan.feasible:
            self.stdout.write("No plan fits these constraints:")
            for obstacle in plan.obstacles:
                self.stdout.write(f"  - {obstacle.text}")
            for suggestion in plan.suggestions:
                self.stdout.write(f"  > {suggestion.text}")
            return
        for term in plan.terms:
            self.stdout.write(f"{term.term.label}{' (projected)' if term.term.projected else ''}")
            for offering in term.offerings:
                c = offering.candidate
                self.stdout.write(
                    f"  {c.unit:8} {c.ects:>4g} ECTS  {c.centre_name}, {c.formula}, {when(c)}"
                )
                self.stdout.write(f"           {offering.explanation()}")
        finishes = plan.finishes.label if plan.finishes else "now"
        self.stdout.write(f"Finished in {finishes}: {plan.ects:g} ECTS to earn.")
        for _node, text in plan.outside:
            self.stdout.write(f"Still needed, outside courses: {text}")
