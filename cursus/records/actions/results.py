"""Results: teachers enter a session's grades, staff publish them, corrections carry a reason.

A draft may be entered again until it is published; a published result
changes only by :func:`correct_result`, which writes who corrected it and
why. Session 2 is open, without a new sign-up, to those absent, excused or
under 10 in session 1.
"""

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Offering, Term
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import record_event
from cursus.core.models import Role, User
from cursus.core.scoping import require, scope_of
from cursus.enrolment.models import Enrolment, EnrolmentStatus
from cursus.records.grades import BadGrade, Mark, parse_mark
from cursus.records.models import ExamSession, Result
from cursus.records.store import refresh_acquisitions

# The CSV's columns, by the names a header may give them.
LEARNER_COLUMNS = frozenset({"learner", "number", "apprenant", "numero", "numéro", "auditeur"})
GRADE_COLUMNS = frozenset({"grade", "note", "mark"})
MAX_CSV_LINES = 5000


@dataclass(frozen=True, slots=True)
class GradeEntry:
    """One cell of a grade grid: a learner's number and what was typed for them."""

    learner: str
    grade: object


@dataclass(frozen=True, slots=True)
class _Problem:
    index: int
    column: str
    message: str


def session_date(term: Term, session: int) -> date:
    """Return the date a session's results are dated: its last day."""
    return term.session1_ends_on if session == ExamSession.FIRST else term.session2_ends_on


def result_state(result: Result, offering: Offering) -> dict[str, Any]:
    """Return what an event says about a result: enough to replay the ledger from it."""
    enrolment = result.enrolment
    return {
        "learner": enrolment.learner_id,
        "unit": offering.unit.code,
        "offering": offering.pk,
        "session": result.session,
        "status": result.status,
        "grade": None if result.grade is None else f"{result.grade:.2f}",
        "date": session_date(offering.term, result.session).isoformat(),
        "centre": offering.centre.code,
    }


def ensure_may_grade(actor: User, offering: Offering) -> None:
    """Raise NotAllowed unless the user teaches the offering or administers its centre."""
    scope = scope_of(actor)
    if scope.covers_centre(offering.centre_id):
        return
    if scope.has(Role.TEACHER) and offering.teachers.filter(pk=actor.pk).exists():
        return
    raise NotAllowed(_("Only the offering's teachers and its centre's staff enter its grades."))


def ensure_may_publish(actor: User, offering: Offering) -> None:
    """Raise NotAllowed unless the user is the registrar or staff of the offering's centre."""
    require(actor, Role.CENTRE_STAFF, centre_id=offering.centre_id)


def _session(session: object) -> int:
    if session not in ExamSession.values:
        raise InvalidInput({"session": [_("The session is 1 or 2.")]})
    return int(str(session))


def _check(
    offering: Offering, session: int, entries: Sequence[GradeEntry]
) -> tuple[list[_Problem], list[tuple[Enrolment, Mark, Result | None]]]:
    """Check every entry against the offering's enrolments and results; change nothing."""
    numbers = [str(entry.learner).strip() for entry in entries]
    enrolments = {
        enrolment.learner.number: enrolment
        for enrolment in Enrolment.objects.select_related("learner").filter(
            offering=offering, status=EnrolmentStatus.ENROLLED, learner__number__in=numbers
        )
    }
    results = {
        (result.enrolment_id, result.session): result
        for result in Result.objects.select_for_update().filter(
            enrolment__in=list(enrolments.values())
        )
    }
    problems: list[_Problem] = []
    rows: list[tuple[Enrolment, Mark, Result | None]] = []
    seen: set[str] = set()
    for index, (number, entry) in enumerate(zip(numbers, entries, strict=True)):
        enrolment = enrolments.get(number)
        if not number:
            problems.append(_Problem(index, "learner", _("Give the learner's number.")))
        elif number in seen:
            problems.append(
                _Problem(index, "learner", _("%(number)s appears twice.") % {"number": number})
            )
        elif enrolment is None:
            problems.append(
                _Problem(
                    index,
                    "learner",
                    _("%(number)s is not enrolled in this offering.") % {"number": number},
                )
            )
        seen.add(number)
        try:
            mark = parse_mark(entry.grade)
        except BadGrade as error:
            problems.append(_Problem(index, "grade", str(error)))
            continue
        if enrolment is None:
            continue
        if session == ExamSession.SECOND:
            first = results.get((enrolment.pk, ExamSession.FIRST))
            if first is None:
                problems.append(
                    _Problem(
                        index,
                        "grade",
                        _("%(number)s has no session 1 result: enter session 1 first.")
                        % {"number": number},
                    )
                )
                continue
            if first.passed:
                problems.append(
                    _Problem(
                        index,
                        "grade",
                        _(
                            "%(number)s passed session 1 with %(grade)s/20: session 2 is only "
                            "for those absent or under 10."
                        )
                        % {"number": number, "grade": first.display_grade},
                    )
                )
                continue
        current = results.get((enrolment.pk, session))
        if current is not None and current.is_published:
            problems.append(
                _Problem(
                    index,
                    "grade",
                    _("The result of %(number)s is published: correct it, with a reason.")
                    % {"number": number},
                )
            )
            continue
        rows.append((enrolment, mark, current))
    return problems, rows


def _save_drafts(
    actor: User,
    offering: Offering,
    session: int,
    rows: Sequence[tuple[Enrolment, Mark, Result | None]],
) -> list[Result]:
    saved = []
    for enrolment, mark, current in rows:
        if current is not None and (current.status, current.grade) == (mark.status, mark.grade):
            saved.append(current)
            continue
        result = current or Result(enrolment=enrolment, session=session)
        result.status, result.grade, result.entered_by = mark.status, mark.grade, actor
        result.save()
        record_event(
            kind="records.result_recorded",
            subject=result,
            actor=actor,
            data={
                "learner": enrolment.learner_id,
                "unit": offering.unit.code,
                "offering": offering.pk,
                "session": session,
                "status": result.status,
                "grade": None if result.grade is None else f"{result.grade:.2f}",
            },
        )
        saved.append(result)
    return saved


def _raise(problems: Sequence[_Problem], name: Callable[[_Problem], str]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(name(problem), []).append(problem.message)
        raise InvalidInput(errors)


@transaction.atomic
def record_results(
    *, actor: User, offering: Offering, session: int, entries: Sequence[GradeEntry]
) -> list[Result]:
    """Enter a session's draft grades for many learners at once: all of them, or none.

    Errors name ``entries[i].learner`` or ``entries[i].grade``.
    """
    ensure_may_grade(actor, offering)
    session = _session(session)
    problems, rows = _check(offering, session, entries)
    _raise(problems, lambda p: f"entries[{p.index}].{p.column}")
    return _save_drafts(actor, offering, session, rows)


@transaction.atomic
def record_result(
    *, actor: User, offering: Offering, learner_number: str, session: int, grade: object
) -> Result:
    """Enter one learner's draft grade (a number out of 20, ABS or EXC) in a session."""
    ensure_may_grade(actor, offering)
    session = _session(session)
    problems, rows = _check(offering, session, [GradeEntry(learner_number, grade)])
    _raise(problems, lambda p: p.column)
    return _save_drafts(actor, offering, session, rows)[0]


def _csv_entries(text: str) -> tuple[list[GradeEntry], list[int], list[_Problem]]:
    """Read ``learner,grade`` lines (commas, semicolons or tabs), with their line numbers."""
    lines = text.lstrip("\ufeff").splitlines()
    if not [line for line in lines if line.strip()]:
        raise InvalidInput({"file": [_("The file is empty.")]})
    if len(lines) > MAX_CSV_LINES:
        raise InvalidInput(
            {"file": [_("The file has more than %(max)s lines.") % {"max": MAX_CSV_LINES}]}
        )
    header = lines[0]
    delimiter = max(";,\t", key=header.count)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    names = [cell.strip().lower() for cell in rows[0]]
    learner_at = next((i for i, name in enumerate(names) if name in LEARNER_COLUMNS), None)
    grade_at = next((i for i, name in enumerate(names) if name in GRADE_COLUMNS), None)
    if learner_at is None or grade_at is None:
        raise InvalidInput(
            {
                "line 1": [
                    _(
                        "The first line names the columns: “learner” (the learner's number) "
                        "and “grade” (0 to 20, ABS or EXC)."
                    )
                ]
            }
        )
    entries: list[GradeEntry] = []
    line_numbers: list[int] = []
    problems: list[_Problem] = []
    for line_number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(learner_at, grade_at):
            problems.append(
                _Problem(
                    line_number,
                    "grade" if len(cells) > learner_at else "learner",
                    _("This line has %(count)s columns; the header has %(expected)s.")
                    % {"count": len(cells), "expected": len(names)},
                )
            )
            continue
        entries.append(GradeEntry(cells[learner_at].strip(), cells[grade_at].strip()))
        line_numbers.append(line_number)
    return entries, line_numbers, problems


@transaction.atomic
def import_results_csv(*, actor: User, offering: Offering, session: int, text: str) -> list[Result]:
    """Import a session's draft grades from CSV: every line, or none.

    Each error is keyed ``line N`` and names the column at fault.
    """
    ensure_may_grade(actor, offering)
    session = _session(session)
    entries, line_numbers, shape_problems = _csv_entries(text)
    problems, rows = _check(offering, session, entries)
    located = [
        *shape_problems,
        *(_Problem(line_numbers[p.index], p.column, p.message) for p in problems),
    ]
    located.sort(key=lambda p: p.index)
    columns = {"learner": _("learner"), "grade": _("grade")}
    if located:
        errors: dict[str, list[str]] = {}
        for problem in located:
            errors.setdefault(_("line %(number)s") % {"number": problem.index}, []).append(
                _("column “%(column)s”: %(message)s")
                % {"column": columns[problem.column], "message": problem.message}
            )
        raise InvalidInput(errors)
    if not rows:
        raise InvalidInput({"file": [_("The file holds no grades.")]})
    return _save_drafts(actor, offering, session, rows)


@transaction.atomic
def publish_results(*, actor: User, offering: Offering, session: int) -> list[Result]:
    """Publish a session's draft results: the passed units join the learners' ledgers."""
    ensure_may_publish(actor, offering)
    session = _session(session)
    drafts = list(
        Result.objects.select_for_update()
        .select_related("enrolment")
        .filter(enrolment__offering=offering, session=session, published_at__isnull=True)
        .order_by("pk")
    )
    if not drafts:
        raise Conflict(_("There is no draft result to publish in this session."), field="session")
    now = timezone.now()
    for result in drafts:
        result.published_at, result.published_by = now, actor
        record_event(
            kind="records.result_published",
            subject=result,
            actor=actor,
            data=result_state(result, offering),
        )
    Result.objects.filter(pk__in=[r.pk for r in drafts]).update(
        published_at=now, published_by=actor, updated_at=now
    )
    refresh_acquisitions({(r.enrolment.learner_id, offering.unit.code) for r in drafts})
    return drafts


@transaction.atomic
def correct_result(*, actor: User, result: Result, grade: object, reason: str) -> Result:
    """Correct a published result; the event keeps the former mark, the author and the reason."""
    result = (
        Result.objects.select_for_update()
        .select_related("enrolment__offering__term", "enrolment__offering__centre")
        .select_related("enrolment__offering__unit")
        .get(pk=result.pk)
    )
    offering = result.enrolment.offering
    ensure_may_publish(actor, offering)
    errors: dict[str, list[str]] = {}
    try:
        mark = parse_mark(grade)
    except BadGrade as error:
        errors["grade"] = [str(error)]
    if not reason.strip():
        errors["reason"] = [_("Say why: a correction needs a reason.")]
    if errors:
        raise InvalidInput(errors)
    if not result.is_published:
        raise Conflict(
            _("This result is a draft: enter it again in the grid instead."), field="grade"
        )
    if (mark.status, mark.grade) == (result.status, result.grade):
        raise InvalidInput({"grade": [_("This is the mark already recorded.")]})
    previous = {
        "status": result.status,
        "grade": None if result.grade is None else f"{result.grade:.2f}",
    }
    result.status, result.grade = mark.status, mark.grade
    result.save(update_fields=["status", "grade", "updated_at"])
    record_event(
        kind="records.result_corrected",
        subject=result,
        actor=actor,
        data={**result_state(result, offering), "previous": previous},
        reason=reason.strip(),
    )
    refresh_acquisitions({(result.enrolment.learner_id, offering.unit.code)})
    return result


__all__ = [
    "GradeEntry",
    "correct_result",
    "ensure_may_grade",
    "ensure_may_publish",
    "import_results_csv",
    "publish_results",
    "record_result",
    "record_results",
    "result_state",
    "session_date",
]
