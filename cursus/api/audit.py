"""Audits: a learner against a diploma, what-if, closest diplomas, pursuits, institution audits.

A learner reads their own audits; centre staff those of the learners in their
scope; the registrar everyone's, and only the registrar starts institution
audits. Texts (what is missing, progress) come in French or English: ``lang``.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.audit import actions, queries
from cursus.audit.engine import AuditResult, NodeResult, Remaining, holdings
from cursus.audit.models import AuditRun, Pursuit

router = Router(tags=["audit"])

READ_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors}
WRITE_ERRORS: dict[int, type[Errors]] = {**READ_ERRORS, 409: Errors, 422: Errors}

Lang = Literal["fr", "en"]


class LangQuery(Schema):
    lang: Lang | None = Field(None, description="Language of the texts; the active one if unset.")


class VersionQuery(LangQuery):
    version: int | None = Field(None, description="A version of the rules; the latest if unset.")


class ClosestQuery(LangQuery):
    limit: int = Field(10, ge=1, le=500, description="How many diplomas, closest first.")


class RemainingOut(Schema):
    ects: float
    units: int
    milestones: int


class NodeOut(Schema):
    key: str
    path: str
    status: Literal["met", "partly-met", "not-met"]
    progress: str
    have: float
    need: float
    units: list[str]
    children: list["NodeOut"]


class MissingOut(Schema):
    node: str
    text: str


class AuditOut(Schema):
    """A learner audited against one version of a diploma."""

    learner: str
    diploma: str
    version: int
    title: str
    satisfied: bool
    ects: float
    remaining: RemainingOut
    assignment: dict[str, str]
    missing: list[MissingOut]
    tree: NodeOut


class PursuitOut(Schema):
    """A diploma a learner pursues, audited against its most favourable version."""

    id: int
    diploma: str
    started_on: date
    version_at_start: int
    version: int
    later_version_chosen: bool
    versions_compared: int
    audit: AuditOut


class PursuitIn(Schema):
    diploma: str = Field(..., max_length=30, examples=["CC-ABD"])
    started_on: date | None = Field(None, description="When the learner started; today if unset.")


class ClosestOut(Schema):
    diploma: str
    version: int
    title: str
    kind: str
    satisfied: bool
    ects: float
    remaining: RemainingOut


class RunOut(Schema):
    id: int
    status: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    learners_total: int
    learners_done: int
    percent: int
    audits: int


def _lang(asked: str | None) -> str:
    if asked is not None:
        return asked
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _remaining(left: Remaining) -> dict[str, Any]:
    return {"ects": left.ects, "units": left.units, "milestones": left.milestones}


def _node(node: NodeResult, lang: str) -> dict[str, Any]:
    return {
        "key": node.key,
        "path": node.path,
        "status": str(node.status),
        "progress": node.progress(lang),
        "have": node.have,
        "need": node.need,
        "units": list(node.units),
        "children": [_node(child, lang) for child in node.children],
    }


def _audit(
    number: str,
    version: queries.DiplomaVersion,
    result: AuditResult,
    left: Remaining,
    lang: str,
) -> dict[str, Any]:
    return {
        "learner": number,
        "diploma": version.code,
        "version": version.version,
        "title": version.title_en if lang == "en" else version.title_fr,
        "satisfied": result.satisfied,
        "ects": result.ects,
        "remaining": _remaining(left),
        "assignment": dict(result.assignment),
        "missing": [{"node": m.node, "text": m.text(lang)} for m in result.missing],
        "tree": _node(result.tree(), lang),
    }


def _pursuit(number: str, audited: queries.PursuitAudit, lang: str) -> dict[str, Any]:
    choice = audited.choice
    return {
        "id": audited.pursuit.pk,
        "diploma": audited.pursuit.diploma_code,
        "started_on": audited.pursuit.started_on,
        "version_at_start": choice.at_start.version,
        "version": choice.chosen.version,
        "later_version_chosen": choice.later_is_better,
        "versions_compared": choice.compared,
        "audit": _audit(number, choice.chosen, choice.result, choice.remaining, lang),
    }


def _run(run: AuditRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "requested_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "learners_total": run.learners_total,
        "learners_done": run.learners_done,
        "percent": run.percent,
        "audits": run.audits,
    }


@router.get("/audit/learners/{number}/pursuits", response={200: list[PursuitOut], **READ_ERRORS})
def list_pursuits(
    request: HttpRequest, number: str, query: Query[LangQuery]
) -> list[dict[str, Any]]:
    """Return the diplomas a learner pursues, each audited against its most favourable version."""
    learner = queries.auditable_learner(actor(request), number)
    lang = _lang(query.lang)
    return [_pursuit(learner.number, p, lang) for p in queries.audit_pursuits(learner)]


@router.post("/audit/learners/{number}/pursuits", response={201: PursuitOut, **WRITE_ERRORS})
def add_pursuit(
    request: HttpRequest, number: str, payload: PursuitIn, query: Query[LangQuery]
) -> Status[dict[str, Any]]:
    """Record that a learner pursues a diploma (the learner, their centre, the registrar)."""
    user = actor(request)
    learner = queries.auditable_learner(user, number)
    made = actions.pursue_diploma(
        actor=user, learner=learner, diploma_code=payload.diploma, started_on=payload.started_on
    )
    audited = next(p for p in queries.audit_pursuits(learner) if p.pursuit.pk == made.pk)
    return Status(201, _pursuit(learner.number, audited, _lang(query.lang)))


@router.delete("/audit/pursuits/{pursuit_id}", response={204: None, **WRITE_ERRORS})
def remove_pursuit(request: HttpRequest, pursuit_id: int) -> Status[None]:
    """Stop pursuing a diploma."""
    user = actor(request)
    pursuit: Pursuit = queries.pursuit_of(user, pursuit_id)
    actions.drop_pursuit(actor=user, pursuit=pursuit)
    return Status(204, None)


@router.get("/audit/learners/{number}/diplomas/{code}", response={200: AuditOut, **READ_ERRORS})
def audit_diploma(
    request: HttpRequest, number: str, code: str, query: Query[VersionQuery]
) -> dict[str, Any]:
    """Audit a learner against a diploma.

    Without ``version``: the most favourable version when the learner pursues
    the diploma, else the latest one.
    """
    learner = queries.auditable_learner(actor(request), number)
    lang = _lang(query.lang)
    if query.version is None:
        for audited in queries.audit_pursuits(learner):
            if audited.pursuit.diploma_code == code:
                return _pursuit(learner.number, audited, lang)["audit"]  # type: ignore[no-any-return]
    return what_if(request, number, code, query)


@router.get("/audit/learners/{number}/what-if/{code}", response={200: AuditOut, **READ_ERRORS})
def what_if(
    request: HttpRequest, number: str, code: str, query: Query[VersionQuery]
) -> dict[str, Any]:
    """Audit a learner against any diploma: the version given, else the latest."""
    learner = queries.auditable_learner(actor(request), number)
    cat = queries.catalogue()
    chosen, result = queries.what_if(learner, code, query.version)
    left = result.remaining(cat.unit_ects)
    return _audit(learner.number, chosen, result, left, _lang(query.lang))


@router.get("/audit/learners/{number}/closest", response={200: list[ClosestOut], **READ_ERRORS})
def closest(request: HttpRequest, number: str, query: Query[ClosestQuery]) -> list[dict[str, Any]]:
    """Rank diplomas (latest versions) by what the learner still lacks, closest first."""
    learner = queries.auditable_learner(actor(request), number)
    lang = _lang(query.lang)
    held = holdings(queries.record_of(learner))
    return [
        {
            "diploma": c.diploma.code,
            "version": c.diploma.version,
            "title": c.diploma.title_en if lang == "en" else c.diploma.title_fr,
            "kind": c.diploma.kind,
            "satisfied": c.closeness.satisfied,
            "ects": c.closeness.ects,
            "remaining": _remaining(c.closeness.remaining),
        }
        for c in queries.closest_diplomas(learner, limit=query.limit, held=held)
    ]


@router.post("/audit/institution", response={202: RunOut, **WRITE_ERRORS})
def start_institution_audit(request: HttpRequest) -> Status[dict[str, Any]]:
    """Start auditing every learner in the background (registrar); poll the run for progress."""
    run = actions.start_institution_audit(actor=actor(request))
    run.refresh_from_db()
    return Status(202, _run(run))


@router.get("/audit/institution/{run_id}", response={200: RunOut, **READ_ERRORS})
def institution_audit(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """Return an institution audit's progress (registrar)."""
    return _run(queries.audit_run(actor(request), run_id))
