"""What the actions of enrolment share: who may act for a learner, funding splits, numbers.

Locks are always taken in one order, so that concurrent actions never wait on
each other in a circle: offerings (by id), then an agreement or a contract,
then enrolments, then registrations (by id), and the event log's head last
(``record_event``). An action therefore takes every lock it needs before it
records its first event.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from cursus.catalogue.models import AcademicYear, Centre, Offering
from cursus.core.errors import Conflict, NotAllowed, NotFound
from cursus.core.identifiers import normalise_siret, validate_siret
from cursus.core.models import Role, User
from cursus.core.scoping import Scope, scope_of
from cursus.core.validation import Problems
from cursus.enrolment.fees import euros, format_euros
from cursus.enrolment.models import Employer, FundingShare, Learner, Payer, TrainingTerms

M = TypeVar("M", bound=models.Model)

# A concurrent action may take the number just computed; try the next one.
NUMBER_ATTEMPTS = 5


def may_act_for(actor: User, learner: Learner, *, centre_ids: Iterable[int] = ()) -> Scope:
    """Return the actor's scope, or raise NotAllowed unless they may act for the learner.

    Learners act for themselves; centre staff for the learners of their centres,
    and for anyone at the centres named (the offering's, the registration's); the
    registrar for anyone.
    """
    scope = scope_of(actor)
    if scope.is_registrar or (scope.learner_id is not None and scope.learner_id == learner.pk):
        return scope
    if scope.has(Role.CENTRE_STAFF) and any(
        scope.covers_centre(centre_id) for centre_id in (learner.home_centre_id, *centre_ids)
    ):
        return scope
    raise NotAllowed(_("You may act only for yourself, or for learners of your centres."))


def require_staff(actor: User, *, centre_ids: Iterable[int]) -> Scope:
    """Return the actor's scope, or raise NotAllowed unless they administer one of the centres."""
    scope = scope_of(actor)
    if scope.is_registrar or any(scope.covers_centre(centre_id) for centre_id in centre_ids):
        return scope
    raise NotAllowed(_("Only the registrar or staff of the centre concerned may do this."))


def is_staff_for(scope: Scope, learner: Learner, *, centre_ids: Iterable[int] = ()) -> bool:
    """Tell whether the scope administers the learner's home centre or one of the centres."""
    return scope.is_registrar or any(
        scope.covers_centre(centre_id) for centre_id in (learner.home_centre_id, *centre_ids)
    )


def centre_by_code(value: Centre | str | None, problems: Problems, field: str) -> Centre | None:
    """Return the centre given, or named by its code, recording a problem when it is unknown."""
    if isinstance(value, Centre):
        return value
    centre = Centre.objects.filter(code=str(value or "").strip()).first()
    if centre is None:
        problems.add(field, _("Unknown centre “%(value)s”.") % {"value": value or ""})
    return centre


def academic_year_of(
    value: AcademicYear | int | None, problems: Problems, field: str = "academic_year"
) -> AcademicYear | None:
    """Return the academic year given, or starting in the calendar year given."""
    if isinstance(value, AcademicYear):
        return value
    year = AcademicYear.objects.filter(start_year=value).first() if value is not None else None
    if year is None:
        problems.add(field, _("No academic year starts in %(value)s.") % {"value": value})
    return year


def employer_by_siret(
    value: Employer | str | None, problems: Problems, field: str
) -> Employer | None:
    """Return the employer given, or identified by its SIRET, recording what is wrong."""
    if isinstance(value, Employer):
        return value
    text = str(value or "").strip()
    if not text:
        problems.add(field, _("Name the employer by its SIRET."))
        return None
    siret = normalise_siret(text)
    try:
        validate_siret(siret)
    except ValidationError:
        problems.add(
            field,
            _("%(value)s is not a valid SIRET (14 digits with a valid key).") % {"value": text},
        )
        return None
    employer = Employer.objects.filter(siret=siret).first()
    if employer is None:
        problems.add(field, _("No employer has the SIRET %(value)s.") % {"value": siret})
    return employer


def money(value: object, problems: Problems, field: str) -> Decimal | None:
    """Return an amount in euros, recording a problem for a malformed or negative one."""
    amount = euros(value)
    if amount is None:
        problems.add(field, _("Give an amount in euros, to the cent (e.g. 450.00)."))
    elif amount < 0:
        problems.add(field, _("An amount cannot be negative."))
        return None
    return amount


@dataclass(frozen=True, slots=True)
class FundingSpec:
    """One payer's share of a price, as given to an action.

    ``employer`` (an Employer or its SIRET) names the employer for an employer's
    share; ``funder`` names the OPCO or the other funder.
    """

    payer: str
    amount: Decimal | str | int
    employer: Employer | str | None = None
    funder: str = ""


def prepare_funding(
    specs: Sequence[FundingSpec],
    *,
    total: Decimal | None,
    problems: Problems,
    field: str = "funding",
) -> list[FundingShare]:
    """Return unsaved funding shares, recording every problem; they must add up to the total."""
    shares: list[FundingShare] = []
    seen: set[tuple[str, int | None, str]] = set()
    for index, spec in enumerate(specs):
        prefix = f"{field}[{index}]"
        if spec.payer not in Payer.values:
            choices = ", ".join(Payer.values)
            problems.add(
                f"{prefix}.payer",
                _("Unknown payer “%(value)s”; choose one of %(choices)s.")
                % {"value": spec.payer, "choices": choices},
            )
            continue
        share = FundingShare(payer=spec.payer, funder=spec.funder.strip())
        amount = money(spec.amount, problems, f"{prefix}.amount")
        if amount is not None:
            share.amount = amount
        if spec.payer == Payer.EMPLOYER:
            share.employer = employer_by_siret(spec.employer, problems, f"{prefix}.employer")
        elif spec.employer:
            problems.add(f"{prefix}.employer", _("Only an employer's share names an employer."))
        if spec.payer in (Payer.OPCO, Payer.OTHER) and not share.funder:
            problems.add(f"{prefix}.funder", _("Name the OPCO or the funder."))
        if spec.payer in (Payer.LEARNER, Payer.CPF, Payer.EMPLOYER):
            share.funder = ""
        key = (share.payer, share.employer_id, share.funder.lower())
        if key in seen:
            problems.add(f"{prefix}.payer", _("This payer appears twice; give one share each."))
        seen.add(key)
        shares.append(share)
    if not shares and not problems.has(field):
        problems.add(field, _("Say who pays: give at least one share."))
    amounts = [share.amount for share in shares]
    if total is not None and not any(name.startswith(field) for name in problems.errors):
        added = sum(amounts, Decimal("0"))
        if added != total:
            problems.add(
                field,
                _("The shares add up to %(sum)s, not to the price of %(price)s.")
                % {"sum": format_euros(added), "price": format_euros(total)},
            )
    return shares


def funding_state(shares: Iterable[FundingShare]) -> list[dict[str, object]]:
    """Return how events record a split: payer, employer's SIRET or funder, amount."""
    return [
        {
            "payer": share.payer,
            "employer": share.employer.siret if share.employer is not None else None,
            "funder": share.funder,
            "amount": share.amount,
        }
        for share in shares
    ]


def next_number(model: type[M], prefix: str) -> str:
    """Return the number after the highest one of a model starting with the prefix."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = model._default_manager.filter(number__startswith=prefix).order_by("-number")
    for number in numbers.values_list("number", flat=True)[:20]:
        if match := pattern.match(str(number)):
            return f"{prefix}{int(match.group(1)) + 1:05d}"
    return f"{prefix}{1:05d}"


def save_with_next_number(instance: M, prefix: str) -> None:
    """Save a new numbered document with the next free number of its series."""
    model = type(instance)
    for _attempt in range(NUMBER_ATTEMPTS):
        number = next_number(model, prefix)
        instance.number = number  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            if model._default_manager.filter(number=number).exists():
                continue
            raise
        return
    raise Conflict(_("No free number was found; try again."), field="number")


def lock_offerings(offerings: Iterable[Offering]) -> list[Offering]:
    """Lock offerings' rows, by id, and return them with unit, term, year and centre."""
    ids = sorted({offering.pk for offering in offerings})
    return list(
        Offering.objects.select_for_update(no_key=True, of=("self",))
        .select_related("unit", "term", "term__academic_year", "centre")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def lock_offering(offering: Offering) -> Offering:
    """Lock one offering's row and return it with unit, term, year and centre."""
    locked = lock_offerings([offering])
    if not locked:
        raise NotFound(_("No such offering."), field="offering")
    return locked[0]


def long_date(day: date) -> str:
    """Return a date as messages write it, in the active language."""
    return str(formats.date_format(day, "DATE_FORMAT"))


def offerings_of_one_year(
    offerings: Sequence[Offering | int], problems: Problems, field: str = "offerings"
) -> tuple[list[Offering], AcademicYear | None]:
    """Return the offerings (given or by id) with their units and terms, all of one year."""
    ids = [offering.pk if isinstance(offering, Offering) else offering for offering in offerings]
    found = {
        offering.pk: offering
        for offering in Offering.objects.select_related(
            "unit", "term", "term__academic_year", "centre"
        ).filter(pk__in=ids)
    }
    missing = [str(pk) for pk in ids if pk not in found]
    if not ids:
        problems.add(field, _("Name at least one offering."))
    elif missing:
        problems.add(field, _("No such offerings: %(ids)s.") % {"ids": ", ".join(missing)})
    chosen = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    years = {offering.term.academic_year for offering in chosen}
    if len(years) > 1:
        problems.add(field, _("The offerings must all belong to one academic year."))
        return chosen, None
    return chosen, next(iter(years), None)


def fill_training_terms(
    document: TrainingTerms,
    *,
    offerings: Sequence[Offering],
    title: str,
    objective: str,
    content: str,
    assessment: str,
    hours: int | None,
    starts_on: date | None,
    ends_on: date | None,
    problems: Problems,
) -> None:
    """Set what the law requires a training contract to state, from the offerings by default.

    The duration defaults to the units' hours of teaching, the dates to the
    offerings' terms.
    """
    document.title = title.strip()
    document.objective = objective.strip()
    document.content = content.strip()
    document.assessment = assessment.strip()
    if hours is None:
        unit_hours = [offering.unit.hours for offering in offerings]
        if offerings and all(unit_hours):
            hours = sum(h for h in unit_hours if h)
        elif offerings:
            problems.add("hours", _("Give the duration in hours: some units have no hours set."))
    if hours is not None:
        if hours <= 0:
            problems.add("hours", _("The duration must be a positive number of hours."))
        document.hours = hours
    if offerings:
        document.starts_on = starts_on or min(o.term.starts_on for o in offerings)
        document.ends_on = ends_on or max(o.term.ends_on for o in offerings)
    elif starts_on and ends_on:
        document.starts_on, document.ends_on = starts_on, ends_on
    if document.starts_on and document.ends_on and document.ends_on < document.starts_on:
        problems.add("ends_on", _("The training cannot end before it starts."))
    for name in ("title", "objective", "content", "assessment"):
        if not getattr(document, name):
            problems.add(name, _("The law requires this to be stated."))
