"""Units granted without a grade: VES, VAE, dispense, equivalence, transfer.

A jury's decision grants one or more units; it is recorded with its reference,
jury and date, corrected or revoked only with a reason, never deleted. The
institution's rules hold here: no VES for a unit failed in the past three
years, and one VES request per diploma per year.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Centre, Diploma, Unit
from cursus.core.errors import Conflict
from cursus.core.events import EventSpec, record_event, record_events
from cursus.core.models import Role, User
from cursus.core.scoping import require
from cursus.core.validation import Problems
from cursus.enrolment.models import Learner
from cursus.records.actions.results import session_date
from cursus.records.models import Acquisition, Result, ResultStatus, Validation, ValidationSource
from cursus.records.store import refresh_acquisitions

# No VES for a unit failed within this many years before the decision.
VES_FAILURE_YEARS = 3
CORRECTABLE_FIELDS = frozenset({"source", "decision_reference", "jury", "decided_on", "grounds"})
# Validations written per INSERT when many are granted at once.
BULK_BATCH = 1000


def validation_state(validation: Validation) -> dict[str, Any]:
    """Return what an event says about a validation: enough to replay the ledger from it."""
    return {
        "learner": validation.learner_id,
        "unit": validation.unit.code,
        "source": validation.source,
        "date": validation.decided_on.isoformat(),
        "centre": validation.centre.code,
        "diploma": (
            f"{validation.diploma.code}/{validation.diploma.version}"
            if validation.diploma is not None
            else None
        ),
        "decision_reference": validation.decision_reference,
        "jury": validation.jury,
    }


def ensure_may_validate(actor: User, learner: Learner) -> None:
    """Raise NotAllowed unless the user is the registrar or staff of the learner's home centre."""
    require(actor, Role.CENTRE_STAFF, centre_id=learner.home_centre_id)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _recent_failures(learner: Learner, units: Sequence[Unit], decided_on: date) -> dict[str, date]:
    """Return, by unit code, the latest failed exam within the VES window before the decision."""
    since = _years_before(decided_on, VES_FAILURE_YEARS)
    failures: dict[str, date] = {}
    attempts = Result.objects.filter(
        enrolment__learner=learner,
        enrolment__unit__in=units,
        published_at__isnull=False,
        status=ResultStatus.GRADED,
        grade__lt=10,
    ).select_related("enrolment__offering__term", "enrolment__unit")
    for result in attempts:
        on = session_date(result.enrolment.offering.term, result.session)
        code = result.enrolment.unit.code
        if since < on <= decided_on and on > failures.get(code, date.min):
            failures[code] = on
    return failures


def _check_ves(
    *,
    learner: Learner,
    units: Sequence[Unit],
    diploma: Diploma | None,
    decision_reference: str,
    decided_on: date,
    problems: Problems,
) -> None:
    for code, failed_on in sorted(_recent_failures(learner, units, decided_on).items()):
        problems.add(
            "units",
            _(
                "No VES for %(code)s: it was failed on %(date)s, less than %(years)s years "
                "before the decision."
            )
            % {"code": code, "date": failed_on.strftime("%d/%m/%Y"), "years": VES_FAILURE_YEARS},
        )
    if diploma is None:
        return
    earlier = (
        Validation.objects.filter(
            learner=learner,
            source=ValidationSource.VES,
            diploma=diploma,
            decided_on__year=decided_on.year,
        )
        .exclude(decision_reference=decision_reference)
        .values_list("decision_reference", flat=True)
        .first()
    )
    if earlier is not None:
        problems.add(
            "diploma",
            _(
                "One VES request per diploma per year: %(reference)s already asked for "
                "%(diploma)s in %(year)s."
            )
            % {"reference": earlier, "diploma": diploma.code, "year": decided_on.year},
        )


@dataclass(frozen=True, slots=True)
class PriorLearning:
    """One decision of a jury or commission granting units to a learner without a grade."""

    learner: Learner
    units: Sequence[str]
    source: str
    decision_reference: str
    jury: str
    decided_on: date
    diploma: Diploma | None = None
    centre: Centre | None = None
    grounds: str = ""


@transaction.atomic
def validate_prior_learning(
    *,
    actor: User,
    learner: Learner,
    units: Sequence[str],
    source: str,
    decision_reference: str,
    jury: str,
    decided_on: date,
    diploma: Diploma | None = None,
    centre: Centre | None = None,
    grounds: str = "",
) -> list[Validation]:
    """Record a jury's decision granting units without a grade; each joins the ledger."""
    decision = PriorLearning(
        learner, units, source, decision_reference, jury, decided_on, diploma, centre, grounds
    )
    return _grant(actor, [decision], lambda _index, field: field)


@transaction.atomic
def validate_prior_learning_in_bulk(
    *, actor: User, decisions: Sequence[PriorLearning]
) -> list[Validation]:
    """Record many decisions at once, such as a commission's session, as each would be alone.

    Every decision is checked as ``validate_prior_learning`` checks it, and two
    decisions may not grant one unit to one learner; any problem refuses them
    all, its field named after the decision's place (``decisions.3.units``).
    """
    return _grant(actor, decisions, lambda index, field: f"decisions.{index}.{field}")


def _grant(
    actor: User, decisions: Sequence[PriorLearning], name: Callable[[int, str], str]
) -> list[Validation]:
    learner_ids = {decision.learner.pk for decision in decisions}
    learners = (
        Learner.objects.select_for_update(of=("self",))
        .select_related("home_centre")
        .in_bulk(list(learner_ids))
    )
    for learner in learners.values():
        ensure_may_validate(actor, learner)
    wanted = [
        list(dict.fromkeys(str(code).strip().upper() for code in d.units if str(code).strip()))
        for d in decisions
    ]
    found = {
        unit.code: unit
        for unit in Unit.objects.filter(code__in={code for codes in wanted for code in codes})
    }
    held: dict[tuple[int, str], str] = {}
    passed: set[tuple[int, str]] = set()
    if found:
        held = {
            (learner_id, code): reference
            for learner_id, code, reference in Validation.objects.filter(
                learner_id__in=learner_ids, unit__in=found.values(), revoked_at__isnull=True
            ).values_list("learner_id", "unit__code", "decision_reference")
        }
        passed = set(
            Acquisition.objects.filter(
                learner_id__in=learner_ids, unit__in=found.values(), source="exam"
            ).values_list("learner_id", "unit__code")
        )
    problems = Problems()
    today = timezone.localdate()
    granted: dict[tuple[int, str], int] = {}
    validations: list[Validation] = []
    for index, (decision, codes) in enumerate(zip(decisions, wanted, strict=True)):
        learner = learners[decision.learner.pk]
        source = decision.source
        if not codes:
            problems.add(name(index, "units"), _("Name at least one unit."))
        missing = [code for code in codes if code not in found]
        if missing:
            problems.add(
                name(index, "units"),
                _("Unknown unit codes: %(codes)s.") % {"codes": ", ".join(missing)},
            )
        chosen = [found[code] for code in codes if code in found]
        if source not in ValidationSource.values:
            problems.add(
                name(index, "source"), _("Choose VES, VAE, dispense, equivalence or transfer.")
            )
        if source in {ValidationSource.VES, ValidationSource.VAE} and decision.diploma is None:
            problems.add(
                name(index, "diploma"), _("A VES or a VAE is granted towards a diploma: name it.")
            )
        if decision.decided_on > today:
            problems.add(
                name(index, "decided_on"), _("The decision cannot be dated in the future.")
            )
        if source == ValidationSource.VES and chosen:
            ves = Problems()
            _check_ves(
                learner=learner,
                units=chosen,
                diploma=decision.diploma,
                decision_reference=decision.decision_reference.strip(),
                decided_on=decision.decided_on,
                problems=ves,
            )
            for field, messages in ves.errors.items():
                for message in messages:
                    problems.add(name(index, field), message)
        for code in codes:
            key = (learner.pk, code)
            if key in held:
                problems.add_conflict(
                    name(index, "units"),
                    _("%(code)s is already validated by %(reference)s.")
                    % {"code": code, "reference": held[key]},
                )
            elif key in passed:
                problems.add_conflict(
                    name(index, "units"),
                    _("%(code)s is already acquired by exam.") % {"code": code},
                )
            elif key in granted:
                problems.add_conflict(
                    name(index, "units"),
                    _("%(code)s is granted to this learner twice.") % {"code": code},
                )
            granted[key] = index
        fields = {
            "learner": learner,
            "source": source,
            "diploma": decision.diploma,
            "decision_reference": decision.decision_reference.strip(),
            "jury": decision.jury.strip(),
            "decided_on": decision.decided_on,
            "centre": decision.centre or learner.home_centre,
            "grounds": decision.grounds.strip(),
            "recorded_by": actor,
        }
        # The decision's own fields are checked once, whatever its units.
        problems.check_model(
            Validation(**fields),
            exclude=["unit", "source", "diploma", "centre"],
            prefix=name(index, ""),
            validate_unique=False,
        )
        made = [Validation(unit=unit, **fields) for unit in chosen]
        validations += made
    problems.raise_if_any()
    if len(validations) == 1:
        validations[0].save()
    else:
        validations = Validation.objects.bulk_create(validations, batch_size=BULK_BATCH)
    record_events(
        EventSpec.about(
            validation,
            kind="records.validation_granted",
            actor=actor,
            data=validation_state(validation),
        )
        for validation in validations
    )
    refresh_acquisitions({(v.learner_id, v.unit.code) for v in validations})
    return validations


def _locked(validation: Validation) -> Validation:
    return (
        Validation.objects.select_for_update(of=("self",))
        .select_related("learner", "unit", "centre", "diploma")
        .get(pk=validation.pk)
    )


def _reason(reason: str, problems: Problems) -> str:
    if not reason.strip():
        problems.add("reason", _("Say why: a correction needs a reason."))
    return reason.strip()


@transaction.atomic
def revoke_validation(*, actor: User, validation: Validation, reason: str) -> Validation:
    """Revoke a validation: its unit leaves the ledger unless an exam or another grants it."""
    validation = _locked(validation)
    ensure_may_validate(actor, validation.learner)
    problems = Problems()
    reason = _reason(reason, problems)
    problems.raise_if_any()
    if validation.revoked_at is not None:
        raise Conflict(_("This validation is already revoked."))
    validation.revoked_at = timezone.now()
    validation.save(update_fields=["revoked_at", "updated_at"])
    record_event(
        kind="records.validation_revoked",
        subject=validation,
        actor=actor,
        data=validation_state(validation),
        reason=reason,
    )
    refresh_acquisitions({(validation.learner_id, validation.unit.code)})
    return validation


@transaction.atomic
def correct_validation(
    *, actor: User, validation: Validation, changes: Mapping[str, object], reason: str
) -> Validation:
    """Correct a validation's source, reference, jury, date or grounds, with a reason."""
    validation = _locked(validation)
    ensure_may_validate(actor, validation.learner)
    problems = Problems()
    reason = _reason(reason, problems)
    unknown = sorted(set(changes) - CORRECTABLE_FIELDS)
    for name in unknown:
        problems.add(name, _("This field cannot be changed here."))
    if validation.revoked_at is not None:
        raise Conflict(_("This validation is revoked: record a new decision instead."))
    before = {name: getattr(validation, name) for name in changes if name in CORRECTABLE_FIELDS}
    for name, value in changes.items():
        if name in CORRECTABLE_FIELDS:
            setattr(validation, name, value.strip() if isinstance(value, str) else value)
    if validation.source not in ValidationSource.values:
        problems.add("source", _("Choose VES, VAE, dispense, equivalence or transfer."))
    if (
        validation.source in {ValidationSource.VES, ValidationSource.VAE}
        and validation.diploma is None
    ):
        problems.add("source", _("A VES or a VAE is granted towards a diploma."))
    if isinstance(validation.decided_on, date) and validation.decided_on > timezone.localdate():
        problems.add("decided_on", _("The decision cannot be dated in the future."))
    problems.check_model(validation, exclude=["source"], validate_unique=False)
    changed = {name: old for name, old in before.items() if getattr(validation, name) != old}
    if not problems and not changed:
        problems.add("__all__", _("Nothing to correct: these are the values already recorded."))
    problems.raise_if_any()
    validation.save()
    record_event(
        kind="records.validation_corrected",
        subject=validation,
        actor=actor,
        data={**validation_state(validation), "previous": changed},
        reason=reason,
    )
    refresh_acquisitions({(validation.learner_id, validation.unit.code)})
    return validation
