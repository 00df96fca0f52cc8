"""Milestones kept in a learner's record with their evidence; corrected only with a reason."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.core.errors import Conflict, InvalidInput
from cursus.core.events import EventSpec, record_event, record_events
from cursus.core.models import User
from cursus.core.validation import Problems
from cursus.enrolment.models import Learner
from cursus.records.actions.validations import ensure_may_validate
from cursus.records.models import Milestone, MilestoneKind

MILESTONE_FIELDS = (
    "kind",
    "achieved_on",
    "years",
    "in_field_years",
    "language",
    "level",
    "test",
    "title",
    "evidence",
)
CORRECTABLE_FIELDS = frozenset(MILESTONE_FIELDS) - {"kind"} | {"withdrawn"}
# Milestones written per INSERT when many are recorded at once.
BULK_BATCH = 1000


def milestone_state(milestone: Milestone) -> dict[str, Any]:
    """Return what an event says about a milestone."""
    state: dict[str, Any] = {"learner": milestone.learner_id}
    for name in MILESTONE_FIELDS:
        value = getattr(milestone, name)
        state[name] = value.isoformat() if isinstance(value, date) else value
    state["withdrawn"] = milestone.withdrawn_at is not None
    return state


def _decimal(value: object, name: str, problems: Problems) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.add(name, _("Enter a number of years, e.g. 3 or 2.5."))
        return None


def _prepare(milestone: Milestone, values: Mapping[str, object], problems: Problems) -> None:
    for name in ("achieved_on", "language", "level", "test", "title", "evidence"):
        if name in values:
            value = values[name]
            setattr(milestone, name, value.strip() if isinstance(value, str) else value)
    milestone.language = (milestone.language or "").lower()
    for name in ("years", "in_field_years"):
        if name in values:
            setattr(milestone, name, _decimal(values[name], name, problems))
    kind = milestone.kind
    if kind not in MilestoneKind.values:
        problems.add("kind", _("Choose experience, language, thesis, admission or internship."))
    if kind == MilestoneKind.EXPERIENCE:
        for name in ("years", "in_field_years"):
            if getattr(milestone, name) is None and not problems.has(name):
                problems.add(name, _("State the years of experience."))
        if (
            milestone.years is not None
            and milestone.in_field_years is not None
            and milestone.in_field_years > milestone.years
        ):
            problems.add(
                "in_field_years", _("Years in the field cannot exceed years of experience.")
            )
    if kind == MilestoneKind.LANGUAGE:
        if len(milestone.language) != 2 or not milestone.language.isalpha():
            problems.add("language", _("Give the language as a two-letter code, e.g. en."))
        if not milestone.level:
            problems.add("level", _("Give the CEFR level, A1 to C2."))
    if isinstance(milestone.achieved_on, date) and milestone.achieved_on > timezone.localdate():
        problems.add("achieved_on", _("The date cannot be in the future."))
    problems.check_model(milestone, exclude=["learner", "kind"])
    problems.raise_if_any()


@transaction.atomic
def record_milestone(
    *,
    actor: User,
    learner: Learner,
    kind: str,
    achieved_on: date,
    evidence: str,
    years: object = None,
    in_field_years: object = None,
    language: str = "",
    level: str = "",
    test: str = "",
    title: str = "",
) -> Milestone:
    """Record experience, a language certificate, a thesis or an admission exam, with evidence."""
    ensure_may_validate(actor, learner)
    milestone = Milestone(learner=learner, kind=kind, recorded_by=actor)
    _prepare(
        milestone,
        {
            "achieved_on": achieved_on,
            "evidence": evidence,
            "years": years,
            "in_field_years": in_field_years,
            "language": language,
            "level": level,
            "test": test,
            "title": title,
        },
        Problems(),
    )
    milestone.save()
    record_event(
        kind="records.milestone_recorded",
        subject=milestone,
        actor=actor,
        data=milestone_state(milestone),
    )
    return milestone


@dataclass(frozen=True, slots=True)
class NewMilestone:
    """What ``record_milestone`` takes for one learner, to record many at once."""

    learner: Learner
    kind: str
    achieved_on: date
    evidence: str
    years: object = None
    in_field_years: object = None
    language: str = ""
    level: str = ""
    test: str = ""
    title: str = ""


@transaction.atomic
def record_milestones(*, actor: User, milestones: Sequence[NewMilestone]) -> list[Milestone]:
    """Record many milestones at once, each checked as ``record_milestone`` checks it.

    Any problem refuses them all, its field named after the milestone's place
    (``milestones.2.level``).
    """
    learners = Learner.objects.in_bulk({entry.learner.pk for entry in milestones})
    for learner in learners.values():
        ensure_may_validate(actor, learner)
    made: list[Milestone] = []
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(milestones):
        milestone = Milestone(learner_id=entry.learner.pk, kind=entry.kind, recorded_by=actor)
        try:
            _prepare(
                milestone,
                {
                    "achieved_on": entry.achieved_on,
                    "evidence": entry.evidence,
                    "years": entry.years,
                    "in_field_years": entry.in_field_years,
                    "language": entry.language,
                    "level": entry.level,
                    "test": entry.test,
                    "title": entry.title,
                },
                Problems(),
            )
        except InvalidInput as error:
            for field, messages in error.errors.items():
                errors[f"milestones.{index}.{field}"] = messages
        made.append(milestone)
    if errors:
        raise InvalidInput(errors)
    made = Milestone.objects.bulk_create(made, batch_size=BULK_BATCH)
    record_events(
        EventSpec.about(
            milestone,
            kind="records.milestone_recorded",
            actor=actor,
            data=milestone_state(milestone),
        )
        for milestone in made
    )
    return made


@transaction.atomic
def correct_milestone(
    *, actor: User, milestone: Milestone, changes: Mapping[str, object], reason: str
) -> Milestone:
    """Correct a milestone, or withdraw it (``withdrawn: True``), with a reason."""
    milestone = Milestone.objects.select_for_update().select_related("learner").get(pk=milestone.pk)
    ensure_may_validate(actor, milestone.learner)
    if milestone.withdrawn_at is not None:
        raise Conflict(_("This milestone is withdrawn: record a new one instead."))
    problems = Problems()
    if not reason.strip():
        problems.add("reason", _("Say why: a correction needs a reason."))
    for name in sorted(set(changes) - CORRECTABLE_FIELDS):
        problems.add(name, _("This field cannot be changed here."))
    before = milestone_state(milestone)
    if changes.get("withdrawn"):
        milestone.withdrawn_at = timezone.now()
    _prepare(milestone, {k: v for k, v in changes.items() if k != "withdrawn"}, problems)
    after = milestone_state(milestone)
    changed = {name: before[name] for name in after if after[name] != before[name]}
    if not changed:
        problems.add("__all__", _("Nothing to correct: these are the values already recorded."))
        problems.raise_if_any()
    milestone.save()
    record_event(
        kind="records.milestone_corrected",
        subject=milestone,
        actor=actor,
        data={**after, "previous": changed},
        reason=reason.strip(),
    )
    return milestone
