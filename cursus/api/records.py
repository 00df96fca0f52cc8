"""Records: grade grids and results, learners' ledgers, validations, milestones, transcripts.

Teachers enter the grades of the offerings they teach; centre staff and the
registrar publish and correct them, record validations and milestones.
Learners read their own record; anyone may verify an issued document.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.catalogue.models import Diploma
from cursus.core.errors import InvalidInput, NotFound
from cursus.records import actions, queries
from cursus.records.grades import format_mark
from cursus.records.models import Milestone, Result, Validation

router = Router(tags=["records"])

READ_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors}
WRITE_ERRORS: dict[int, type[Errors]] = {**READ_ERRORS, 409: Errors, 422: Errors}

SessionNumber = Annotated[int, Path(ge=1, le=2, description="The exam session: 1 or 2.")]
SourceName = Literal["ves", "vae", "dispense", "equivalence", "transfer"]
MilestoneKindName = Literal["experience", "language", "thesis", "admission", "internship"]


class GradeIn(Schema):
    """One learner's grade: a number out of 20 (up to two decimals), ABS or EXC."""

    learner: str = Field(..., description="The learner's number.", examples=["A-0000123"])
    grade: str = Field(..., examples=["12.5", "ABS", "EXC"])


class GradesIn(Schema):
    """A session's draft grades for some of an offering's learners."""

    entries: list[GradeIn]


class CsvIn(Schema):
    """A CSV text: a header naming the columns learner and grade, then one learner a line."""

    csv: str = Field(..., max_length=1_000_000)


class GridLineOut(Schema):
    learner: str
    name: str
    mark: str | None
    status: Literal["draft", "published"] | None
    session_1: str | None


class GridOut(Schema):
    offering: int
    unit: str
    term: str
    centre: str
    session: int
    lines: list[GridLineOut]


class ResultOut(Schema):
    id: int
    learner: str
    unit: str
    term: str
    centre: str
    session: int
    status: str
    grade: Decimal | None
    published_at: datetime | None


class CorrectionIn(Schema):
    grade: str
    reason: str = Field(..., min_length=1)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1)


class LedgerLineOut(Schema):
    code: str
    ects: int
    grade: Decimal | None
    source: str
    date: date
    department: str


class ValidationIn(Schema):
    source: SourceName
    units: list[str] = Field(..., min_length=1)
    decision_reference: str
    jury: str
    decided_on: date
    diploma: str | None = Field(None, description="The diploma's code, e.g. CC-ABD.")
    grounds: str = ""


class ValidationOut(Schema):
    id: int
    unit: str
    source: str
    decision_reference: str
    jury: str
    decided_on: date
    diploma: str | None
    revoked: bool


class ValidationChangesIn(Schema):
    source: SourceName | None = None
    decision_reference: str | None = None
    jury: str | None = None
    decided_on: date | None = None
    grounds: str | None = None
    reason: str = Field(..., min_length=1)


class MilestoneIn(Schema):
    kind: MilestoneKindName
    achieved_on: date
    evidence: str
    years: Decimal | None = None
    in_field_years: Decimal | None = None
    language: str = ""
    level: Literal["A1", "A2", "B1", "B2", "C1", "C2", ""] = ""
    test: str = ""
    title: str = ""


class MilestoneOut(Schema):
    id: int
    kind: str
    achieved_on: date
    evidence: str
    years: Decimal | None
    in_field_years: Decimal | None
    language: str
    level: str
    test: str
    title: str
    withdrawn: bool


class MilestoneChangesIn(Schema):
    achieved_on: date | None = None
    evidence: str | None = None
    years: Decimal | None = None
    in_field_years: Decimal | None = None
    language: str | None = None
    level: Literal["A1", "A2", "B1", "B2", "C1", "C2"] | None = None
    test: str | None = None
    title: str | None = None
    withdrawn: bool | None = None
    reason: str = Field(..., min_length=1)


class RecordOut(Schema):
    learner: str
    name: str
    home_centre: str
    ects: int
    ledger: list[LedgerLineOut]
    results: list[ResultOut]
    validations: list[ValidationOut]
    milestones: list[MilestoneOut]


class DocumentOut(Schema):
    kind: str
    token: str
    issued_at: datetime
    digest: str
    pdf_url: str
    verification_url: str


class VerificationOut(Schema):
    kind: str
    genuine: bool
    current: bool
    issued_at: datetime
    holder: str | None
    units: list[dict[str, Any]]


def _result(result: Result) -> dict[str, Any]:
    offering = result.enrolment.offering
    return {
        "id": result.pk,
        "learner": result.enrolment.learner.number,
        "unit": offering.unit.code,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "session": result.session,
        "status": result.status,
        "grade": result.grade,
        "published_at": result.published_at,
    }


def _validation(validation: Validation) -> dict[str, Any]:
    return {
        "id": validation.pk,
        "unit": validation.unit.code,
        "source": validation.source,
        "decision_reference": validation.decision_reference,
        "jury": validation.jury,
        "decided_on": validation.decided_on,
        "diploma": validation.diploma.code if validation.diploma else None,
        "revoked": validation.revoked_at is not None,
    }


def _milestone(milestone: Milestone) -> dict[str, Any]:
    return {
        **{
            name: getattr(milestone, name)
            for name in (
                "kind",
                "achieved_on",
                "evidence",
                "years",
                "in_field_years",
                "language",
                "level",
                "test",
                "title",
            )
        },
        "id": milestone.pk,
        "withdrawn": milestone.withdrawn_at is not None,
    }


# Grades.


@router.get(
    "/records/offerings/{offering_id}/sessions/{session}", response={200: GridOut, **READ_ERRORS}
)
def get_grid(request: HttpRequest, offering_id: int, session: SessionNumber) -> dict[str, Any]:
    """Return an offering's learners and their marks in a session (teachers, staff)."""
    user = actor(request)
    grid = queries.grade_grid(user, queries.gradable_offering(user, offering_id), session)
    lines = []
    for row in grid.rows:
        result = grid.result(row)
        lines.append(
            {
                "learner": row.enrolment.learner.number,
                "name": row.enrolment.learner.full_name,
                "mark": format_mark(result.status, result.grade) if result else None,
                "status": None
                if result is None
                else ("published" if result.is_published else "draft"),
                "session_1": row.first.display_grade if row.first and session == 2 else None,
            }
        )
    offering = grid.offering
    return {
        "offering": offering.pk,
        "unit": offering.unit.code,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "session": session,
        "lines": lines,
    }


@router.post(
    "/records/offerings/{offering_id}/sessions/{session}/grades",
    response={200: list[ResultOut], **WRITE_ERRORS},
)
def enter_grades(
    request: HttpRequest, offering_id: int, session: SessionNumber, payload: GradesIn
) -> list[dict[str, Any]]:
    """Enter draft grades, all or none; errors name ``entries[i].grade`` or ``.learner``."""
    user = actor(request)
    offering = queries.gradable_offering(user, offering_id)
    saved = actions.record_results(
        actor=user,
        offering=offering,
        session=session,
        entries=[actions.GradeEntry(entry.learner, entry.grade) for entry in payload.entries],
    )
    return [_result(r) for r in queries.visible_results(user).filter(pk__in=[r.pk for r in saved])]


@router.post(
    "/records/offerings/{offering_id}/sessions/{session}/import",
    response={200: list[ResultOut], **WRITE_ERRORS},
)
def import_grades(
    request: HttpRequest, offering_id: int, session: SessionNumber, payload: CsvIn
) -> list[dict[str, Any]]:
    """Import draft grades from CSV text, all or none; errors are keyed ``line N``."""
    user = actor(request)
    offering = queries.gradable_offering(user, offering_id)
    saved = actions.import_results_csv(
        actor=user, offering=offering, session=session, text=payload.csv
    )
    return [_result(r) for r in queries.visible_results(user).filter(pk__in=[r.pk for r in saved])]


@router.post(
    "/records/offerings/{offering_id}/sessions/{session}/publication",
    response={200: list[ResultOut], **WRITE_ERRORS},
)
def publish(request: HttpRequest, offering_id: int, session: SessionNumber) -> list[dict[str, Any]]:
    """Publish a session's drafts (centre staff, registrar)."""
    user = actor(request)
    offering = queries.gradable_offering(user, offering_id)
    published = actions.publish_results(actor=user, offering=offering, session=session)
    return [
        _result(r) for r in queries.visible_results(user).filter(pk__in=[r.pk for r in published])
    ]


@router.post("/records/results/{result_id}/correction", response={200: ResultOut, **WRITE_ERRORS})
def correct_result(request: HttpRequest, result_id: int, payload: CorrectionIn) -> dict[str, Any]:
    """Correct a published result, with a reason (staff of its centre, registrar)."""
    user = actor(request)
    result = queries.visible_results(user).get(pk=result_id)
    actions.correct_result(actor=user, result=result, grade=payload.grade, reason=payload.reason)
    return _result(queries.visible_results(user).get(pk=result_id))


# Records.


@router.get("/records/learners/{number}", response={200: RecordOut, **READ_ERRORS})
def get_record(request: HttpRequest, number: str) -> dict[str, Any]:
    """Return a learner's record: ledger, published results, validations, milestones."""
    record = queries.learner_record(actor(request), number)
    learner = record.learner
    return {
        "learner": learner.number,
        "name": learner.full_name,
        "home_centre": learner.home_centre.code,
        "ects": record.ects,
        "ledger": [row._asdict() for row in queries.ledger_of(learner)],
        "results": [_result(r) for r in record.attempts],
        "validations": [_validation(v) for v in record.validations],
        "milestones": [_milestone(m) for m in record.milestones],
    }


@router.get("/records/learners/{number}/ledger", response={200: list[LedgerLineOut], **READ_ERRORS})
def get_ledger(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """Return the units a learner holds, best attempt per unit."""
    learner = queries.readable_learner(actor(request), number)
    return [row._asdict() for row in queries.ledger_of(learner)]


@router.post(
    "/records/learners/{number}/validations",
    response={201: list[ValidationOut], **WRITE_ERRORS},
)
def validate(
    request: HttpRequest, number: str, payload: ValidationIn
) -> Status[list[dict[str, Any]]]:
    """Record a jury's decision granting units (staff of the home centre, registrar)."""
    user = actor(request)
    learner = queries.readable_learner(user, number)
    diploma = None
    if payload.diploma:
        diploma = Diploma.objects.filter(code=payload.diploma.upper()).order_by("-version").first()
        if diploma is None:
            raise InvalidInput(
                {"diploma": [_("No diploma has the code %(code)s.") % {"code": payload.diploma}]}
            )
    values = payload.dict(exclude={"diploma"})
    granted = actions.validate_prior_learning(
        actor=user, learner=learner, diploma=diploma, **values
    )
    return Status(201, [_validation(v) for v in granted])


def _validation_of(request: HttpRequest, validation_id: int) -> Validation:
    found = (
        Validation.objects.select_related("learner", "unit", "diploma", "centre")
        .filter(pk=validation_id, learner__in=queries.readable_learners(actor(request)))
        .first()
    )
    if found is None:
        raise NotFound("No such validation.")
    return found


@router.post(
    "/records/validations/{validation_id}/revocation", response={200: ValidationOut, **WRITE_ERRORS}
)
def revoke(request: HttpRequest, validation_id: int, payload: ReasonIn) -> dict[str, Any]:
    """Revoke a validation, with a reason."""
    validation = actions.revoke_validation(
        actor=actor(request),
        validation=_validation_of(request, validation_id),
        reason=payload.reason,
    )
    return _validation(validation)


@router.post(
    "/records/validations/{validation_id}/correction", response={200: ValidationOut, **WRITE_ERRORS}
)
def correct_validation(
    request: HttpRequest, validation_id: int, payload: ValidationChangesIn
) -> dict[str, Any]:
    """Correct a validation's source, reference, jury, date or grounds, with a reason."""
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    validation = actions.correct_validation(
        actor=actor(request),
        validation=_validation_of(request, validation_id),
        changes=changes,
        reason=payload.reason,
    )
    return _validation(validation)


@router.post("/records/learners/{number}/milestones", response={201: MilestoneOut, **WRITE_ERRORS})
def add_milestone(
    request: HttpRequest, number: str, payload: MilestoneIn
) -> Status[dict[str, Any]]:
    """Record a milestone with its evidence (staff of the home centre, registrar)."""
    user = actor(request)
    learner = queries.readable_learner(user, number)
    milestone = actions.record_milestone(actor=user, learner=learner, **payload.dict())
    return Status(201, _milestone(milestone))


@router.post(
    "/records/milestones/{milestone_id}/correction", response={200: MilestoneOut, **WRITE_ERRORS}
)
def correct_milestone(
    request: HttpRequest, milestone_id: int, payload: MilestoneChangesIn
) -> dict[str, Any]:
    """Correct or withdraw a milestone, with a reason."""
    user = actor(request)
    milestone = (
        Milestone.objects.select_related("learner")
        .filter(pk=milestone_id, learner__in=queries.readable_learners(user))
        .first()
    )
    if milestone is None:
        raise NotFound("No such milestone.")
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    corrected = actions.correct_milestone(
        actor=user, milestone=milestone, changes=changes, reason=payload.reason
    )
    return _milestone(corrected)


# Documents.


def _document_urls(request: HttpRequest, kind: str, token: str) -> dict[str, str]:
    return {
        "pdf_url": request.build_absolute_uri(
            reverse("web:issued_document", kwargs={"token": token})
        ),
        "verification_url": request.build_absolute_uri(
            reverse("web:verify_document", kwargs={"kind": kind, "token": token})
        ),
    }


@router.post("/records/learners/{number}/transcript", response={201: DocumentOut, **WRITE_ERRORS})
def issue_transcript(request: HttpRequest, number: str) -> Status[dict[str, Any]]:
    """Issue the learner's transcript as it stands; the PDF and the verification page follow."""
    user = actor(request)
    document = actions.issue_transcript(actor=user, learner=queries.readable_learner(user, number))
    return Status(
        201,
        {
            "kind": document.kind,
            "token": document.token,
            "issued_at": document.issued_at,
            "digest": document.digest,
            **_document_urls(request, document.kind, document.token),
        },
    )


@router.get("/verify/{token}", response={200: VerificationOut, 404: Errors}, auth=None)
def verify(request: HttpRequest, token: str) -> dict[str, Any]:
    """Tell anyone whether an issued document is genuine and still current."""
    check = queries.check_document(token)
    content = check.document.content if check.genuine else {}
    return {
        "kind": check.document.kind,
        "genuine": check.genuine,
        "current": check.current,
        "issued_at": check.document.issued_at,
        "holder": content.get("holder", {}).get("name"),
        "units": content.get("units", []),
    }
