"""Read what a learner asks of a plan, from a page or the API, into constraints.

Bad input raises ``InvalidInput`` naming the field, before any plan is sought.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cursus.catalogue.models import Centre, Formula
from cursus.core.errors import InvalidInput
from cursus.planner.problem import Constraints, TimeSlot, parse_windows

MAX_UNITS_LIMIT = 12
MAX_ECTS_LIMIT = 60


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What a learner asks: a diploma (or the closest) and how they can study."""

    diploma: str = ""
    centres: tuple[str, ...] = ()
    formulas: tuple[str, ...] = ()
    # ``tue:evening,thu:18:00-21:30``; empty when any time suits.
    weekdays: str = ""
    max_units: int | None = None
    max_ects: float | None = None
    skip_terms: tuple[str, ...] = ()


def _clean(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def constraints_for(request: PlanRequest) -> Constraints:
    """Return the constraints a request states, or raise InvalidInput naming each bad field."""
    errors: dict[str, list[str]] = {}
    centres = _clean(request.centres)
    if centres:
        known = set(Centre.objects.filter(code__in=centres).values_list("code", flat=True))
        unknown = [c for c in centres if c not in known]
        if unknown:
            errors["centres"] = [
                _("No centre has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
    formulas = _clean(request.formulas)
    bad_formulas = [f for f in formulas if f not in Formula.values]
    if bad_formulas:
        errors["formulas"] = [
            _("Unknown formula %(names)s; choose among %(known)s.")
            % {"names": ", ".join(bad_formulas), "known": ", ".join(Formula.values)}
        ]
    windows: tuple[TimeSlot, ...] | None = None
    if request.weekdays.strip():
        try:
            windows = parse_windows(request.weekdays)
        except ValueError as error:
            errors["weekdays"] = [
                _(
                    "Cannot read “%(part)s”: write a day (mon … sun), then optionally "
                    "“:evening”, “:morning+afternoon” or “:18:00-21:30”."
                )
                % {"part": str(error)}
            ]
        else:
            if not windows:
                errors["weekdays"] = [_("Give at least one day when you are free.")]
    if request.max_units is not None and not 1 <= request.max_units <= MAX_UNITS_LIMIT:
        errors["max_units"] = [
            _("Give between 1 and %(max)d units per term.") % {"max": MAX_UNITS_LIMIT}
        ]
    if request.max_ects is not None and not 1 <= request.max_ects <= MAX_ECTS_LIMIT:
        errors["max_ects"] = [
            _("Give between 1 and %(max)d ECTS per term.") % {"max": MAX_ECTS_LIMIT}
        ]
    skip = _clean(request.skip_terms)
    bad_terms = [t for t in skip if not _is_term_code(t)]
    if bad_terms:
        errors["skip_terms"] = [
            _("Write terms as 2027-S1, not %(codes)s.") % {"codes": ", ".join(bad_terms)}
        ]
    if errors:
        raise InvalidInput(errors)
    return Constraints(
        centres=frozenset(centres) or None,
        formulas=frozenset(formulas) or None,
        windows=windows,
        max_units=request.max_units,
        max_ects=request.max_ects,
        skip_terms=frozenset(t.upper() for t in skip),
    )


def _is_term_code(code: str) -> bool:
    year, sep, semester = code.upper().partition("-S")
    return bool(sep) and year.isdigit() and len(year) == 4 and semester in {"1", "2"}
