"""Reads of records: ledgers, results, grade grids, learners' records, issued documents.

Learners read their own record; teachers their offerings' results; centre
staff the records of their centre's learners (by home centre) and of the
learners enrolled at their centre, and their offerings' results; the
registrar everything. The ledger is one for the whole institution: whoever may
read a learner's record sees every unit, wherever it was taken.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet

from cursus.catalogue.models import Offering
from cursus.core.errors import NotAllowed, NotFound
from cursus.core.events import events_about
from cursus.core.models import Event, Role
from cursus.core.scoping import restrict, scope_of
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Learner
from cursus.records.models import (
    Acquisition,
    DocumentKind,
    ExamSession,
    IssuedDocument,
    Milestone,
    Result,
    Validation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User

    Reader = User | AnonymousUser | None


class LedgerRow(NamedTuple):
    """One unit a learner holds, as the audit engine reads it."""

    code: str
    ects: int
    grade: Decimal | None
    source: str
    date: date
    department: str


class MilestoneRow(NamedTuple):
    """One milestone of a record, as the audit engine reads it."""

    kind: str
    years: Decimal | None
    in_field_years: Decimal | None
    language: str
    level: str
    date: date


_LEDGER_COLUMNS = (
    "learner_id",
    "unit__code",
    "unit__ects",
    "grade",
    "source",
    "acquired_on",
    "unit__department__slug",
)


def ledger_of(learner: Learner | int) -> list[LedgerRow]:
    """Return the units a learner holds, best attempt per unit, by code (one query)."""
    learner_id = learner if isinstance(learner, int) else learner.pk
    return ledgers_of([learner_id]).get(learner_id, [])


def ledgers_of(learner_ids: Iterable[int]) -> dict[int, list[LedgerRow]]:
    """Return the ledgers of many learners at once, by learner id (one query)."""
    rows = (
        Acquisition.objects.filter(learner_id__in=list(learner_ids))
        .order_by("learner_id", "unit__code")
        .values_list(*_LEDGER_COLUMNS)
    )
    ledgers: dict[int, list[LedgerRow]] = defaultdict(list)
    for learner_id, *values in rows:
        ledgers[learner_id].append(LedgerRow(*values))
    return dict(ledgers)


def milestones_of(learner_ids: Iterable[int]) -> dict[int, list[MilestoneRow]]:
    """Return the milestones in force of many learners, by learner id (one query)."""
    rows = (
        Milestone.objects.filter(learner_id__in=list(learner_ids), withdrawn_at__isnull=True)
        .order_by("learner_id", "achieved_on", "pk")
        .values_list(
            "learner_id", "kind", "years", "in_field_years", "language", "level", "achieved_on"
        )
    )
    found: dict[int, list[MilestoneRow]] = defaultdict(list)
    for learner_id, kind, years, in_field_years, language, level, achieved_on in rows:
        found[learner_id].append(
            MilestoneRow(kind, years, in_field_years, language, level, achieved_on)
        )
    return dict(found)


# Who may read what.


def readable_learners(user: "Reader") -> QuerySet[Learner]:
    """Return the learners whose record the user may read."""
    queryset = Learner.objects.select_related("home_centre")
    own = restrict(queryset, user, centre="home_centre", learner="pk")
    scope = scope_of(user)
    if scope.is_registrar or not scope.centre_ids:
        return own
    taught_here = Enrolment.objects.filter(offering__centre_id__in=scope.centre_ids).values(
        "learner_id"
    )
    return queryset.filter(Q(pk__in=own.values("pk")) | Q(pk__in=taught_here))


def readable_learner(user: "Reader", number: str) -> Learner:
    """Return a learner whose record the user may read, or raise NotFound."""
    found = readable_learners(user).filter(number=number.strip()).first()
    if found is None:
        raise NotFound("No such learner.", field="number")
    return found


def visible_results(user: "Reader") -> QuerySet[Result]:
    """Return the results the user may read: own, taught, of their centres, or all."""
    queryset = Result.objects.select_related(
        "enrolment__learner",
        "enrolment__offering__unit",
        "enrolment__offering__term__academic_year",
        "enrolment__offering__centre",
    )
    scope = scope_of(user)
    by_offering = restrict(
        queryset,
        user,
        centre="enrolment__offering__centre",
        learner="enrolment__learner",
        teacher="enrolment__offering__teachers",
    )
    if scope.is_registrar or not scope.centre_ids:
        return by_offering
    home = Result.objects.filter(enrolment__learner__home_centre_id__in=scope.centre_ids)
    return queryset.filter(Q(pk__in=by_offering.values("pk")) | Q(pk__in=home.values("pk")))


def gradable_offerings(user: "Reader") -> QuerySet[Offering]:
    """Return the offerings whose grades the user may enter: taught, or of their centres."""
    queryset = Offering.objects.select_related("unit", "term__academic_year", "centre").order_by(
        "-term__academic_year__start_year", "-term__semester", "unit__code", "pk"
    )
    scope = scope_of(user)
    if scope.is_registrar:
        return queryset
    if not (scope.centre_ids or scope.has(Role.TEACHER)):
        return queryset.none()
    return restrict(queryset, user, centre="centre", teacher="teachers")


def gradable_offering(user: "Reader", offering_id: int) -> Offering:
    """Return an offering whose grades the user may enter or read, or raise NotFound."""
    found = gradable_offerings(user).filter(pk=offering_id).first()
    if found is None:
        raise NotFound("No such offering.", field="offering")
    return found


@dataclass(frozen=True, slots=True)
class GridRow:
    """One learner's line of a grade grid."""

    enrolment: Enrolment
    first: Result | None
    second: Result | None


@dataclass(frozen=True, slots=True)
class GradeGrid:
    """The learners of an offering and their results in one session."""

    offering: Offering
    session: int
    rows: list[GridRow]

    @property
    def drafts(self) -> int:
        """Return how many of the session's results await publication."""
        return sum(1 for row in self.rows if (r := self.result(row)) and not r.is_published)

    @property
    def published(self) -> int:
        """Return how many of the session's results are published."""
        return sum(1 for row in self.rows if (r := self.result(row)) and r.is_published)

    def result(self, row: GridRow) -> Result | None:
        """Return the row's result in the grid's session."""
        return row.first if self.session == ExamSession.FIRST else row.second


def grade_grid(user: "Reader", offering: Offering, session: int) -> GradeGrid:
    """Return an offering's learners with their results, for one session (three queries).

    Session 2 lists those absent, excused or under 10 in session 1, and anyone
    who already has a session 2 result.
    """
    if offering not in gradable_offerings(user):
        raise NotAllowed("Only the offering's teachers and its centre's staff see its grades.")
    enrolments = (
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED)
        .select_related("learner")
        .prefetch_related(Prefetch("results", queryset=Result.objects.order_by("session")))
        .order_by("learner__last_name", "learner__first_name", "learner__number")
    )
    rows = []
    for enrolment in enrolments:
        by_session = {result.session: result for result in enrolment.results.all()}
        row = GridRow(enrolment, by_session.get(1), by_session.get(2))
        sits_session_two = row.first is not None and row.first.is_published and not row.first.passed
        if session == ExamSession.SECOND and row.second is None and not sits_session_two:
            continue
        rows.append(row)
    return GradeGrid(offering=offering, session=session, rows=rows)


# A learner's record.


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    """Everything a learner's record shows."""

    learner: Learner
    acquisitions: list[Acquisition]
    attempts: list[Result]
    validations: list[Validation]
    milestones: list[Milestone]
    history: list[Event] = field(default_factory=list)

    @property
    def ects(self) -> int:
        """Return the ECTS credits of the units held."""
        return sum(acquisition.unit.ects for acquisition in self.acquisitions)


def acquisitions(learner: Learner) -> QuerySet[Acquisition]:
    """Return a learner's acquisitions with their unit, department and centre."""
    return (
        Acquisition.objects.filter(learner=learner)
        .select_related("unit__department", "centre")
        .order_by("unit__code")
    )


def learner_record(user: "Reader", number: str) -> LearnerRecord:
    """Return a learner's record for a user who may read it, or raise NotFound."""
    learner = readable_learner(user, number)
    return record_of(learner)


def record_of(learner: Learner) -> LearnerRecord:
    """Return a learner's whole record (five queries, whatever its size)."""
    attempts = list(
        Result.objects.filter(enrolment__learner=learner, published_at__isnull=False)
        .select_related(
            "enrolment__offering__unit",
            "enrolment__offering__term__academic_year",
            "enrolment__offering__centre",
        )
        .order_by(
            "enrolment__offering__term__academic_year__start_year",
            "enrolment__offering__term__semester",
            "session",
            "enrolment__offering__unit__code",
        )
    )
    validations = list(
        Validation.objects.filter(learner=learner)
        .select_related("unit", "centre", "diploma")
        .order_by("decided_on", "unit__code")
    )
    milestones = list(Milestone.objects.filter(learner=learner).order_by("achieved_on", "pk"))
    subjects = Q(subject_type=Learner._meta.label_lower, subject_id=str(learner.pk))
    for model, ids in (
        (Result, [a.pk for a in attempts]),
        (Validation, [v.pk for v in validations]),
        (Milestone, [m.pk for m in milestones]),
    ):
        if ids:
            subjects |= Q(
                subject_type=model._meta.label_lower, subject_id__in=[str(i) for i in ids]
            )
    history = list(
        Event.objects.filter(subjects)
        .filter(
            kind__in=[
                "records.result_published",
                "records.result_corrected",
                "records.validation_granted",
                "records.validation_corrected",
                "records.validation_revoked",
                "records.milestone_recorded",
                "records.milestone_corrected",
            ]
        )
        .select_related("actor")
        .order_by("-sequence")
    )
    return LearnerRecord(
        learner=learner,
        acquisitions=list(acquisitions(learner)),
        attempts=attempts,
        validations=validations,
        milestones=milestones,
        history=history,
    )


def result_history(result: Result) -> QuerySet[Event]:
    """Return the events about one result, oldest first."""
    return events_about(result).order_by("sequence")


# Transcripts and attestations.


def transcript_content(learner: Learner) -> dict[str, Any]:
    """Return what a transcript lists: the holder and every unit held, as plain data."""
    units: list[dict[str, Any]] = [
        {
            "code": a.unit.code,
            "title_fr": a.unit.title_fr,
            "title_en": a.unit.title_en or a.unit.title_fr,
            "ects": a.unit.ects,
            "grade": None if a.grade is None else f"{a.grade:.2f}",
            "source": a.source,
            "date": a.acquired_on.isoformat(),
            "centre": a.centre.name,
        }
        for a in acquisitions(learner)
    ]
    return {
        "holder": {
            "number": learner.number,
            "name": learner.full_name,
            "birth_date": learner.birth_date.isoformat() if learner.birth_date else None,
        },
        "units": units,
        "ects": sum(int(unit["ects"]) for unit in units),
    }


def attestation_content(learner: Learner, unit_code: str) -> dict[str, Any] | None:
    """Return what an attestation of success states, or None if the unit is not held."""
    content = transcript_content(learner)
    held = [unit for unit in content["units"] if unit["code"] == unit_code.upper()]
    if not held:
        return None
    return {"holder": content["holder"], "units": held, "ects": held[0]["ects"]}


def content_digest(content: dict[str, Any]) -> str:
    """Return the SHA-256 of a document's content, written canonically."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def current_content(document: IssuedDocument) -> dict[str, Any] | None:
    """Return what the document would list if it were issued now."""
    if document.kind == DocumentKind.ATTESTATION and document.unit is not None:
        return attestation_content(document.learner, document.unit.code)
    return transcript_content(document.learner)


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """What the public verification page says about a document."""

    document: IssuedDocument
    genuine: bool
    current: bool


def check_document(token: str) -> DocumentCheck:
    """Return a document by its verification token, with whether it is intact and current."""
    document = IssuedDocument.objects.select_related("learner", "unit").filter(token=token).first()
    if document is None:
        raise NotFound("No document has this verification code.", field="token")
    genuine = content_digest(document.content) == document.digest
    now = current_content(document)
    return DocumentCheck(
        document=document,
        genuine=genuine,
        current=genuine and now is not None and content_digest(now) == document.digest,
    )


def readable_document(user: "Reader", token: str) -> IssuedDocument:
    """Return an issued document to its holder or to staff who may read their record."""
    document = (
        IssuedDocument.objects.select_related("learner", "unit")
        .filter(token=token, learner__in=readable_learners(user))
        .first()
    )
    if document is None:
        raise NotFound("No such document.", field="token")
    return document
