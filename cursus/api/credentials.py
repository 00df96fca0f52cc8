"""Diplomas: requests, jury sessions, candidates and decisions, awarded diplomas, revocation.

Learners request their diplomas and read those awarded to them; centre staff open
their centre's jury sessions and put candidates before them; the members of a jury
decide; the registrar does all of it, holds the national juries and revokes.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.credentials import actions, queries
from cursus.credentials.models import AwardedDiploma, Candidate, DiplomaRequest, JurySession
from cursus.records.queries import readable_learner

router = Router(tags=["credentials"])

READ_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors, 422: Errors}
WRITE_ERRORS: dict[int, type[Errors]] = {**READ_ERRORS, 409: Errors}


class SessionIn(Schema):
    diploma: str = Field(max_length=30)
    held_on: date
    centre: str | None = Field(None, description="The centre's code; null for a national jury.")
    members: list[int] = Field(description="Ids of users holding the jury member role.")


class SessionOut(Schema):
    id: int
    diploma: str
    level: str
    centre: str | None
    held_on: date
    status: str
    members: list[int]


class AwardOut(Schema):
    number: str
    learner: str
    diploma: str
    version: int
    awarded_on: date
    centre: str | None
    honours: str
    average: str | None
    status: str
    revoked_at: datetime | None
    revocation_reason: str


class CandidateOut(Schema):
    id: int
    learner: str
    name: str
    satisfied: bool
    decision: str
    reason: str
    override_reason: str
    evidence: dict[str, Any]
    award: str | None = Field(description="The number of the diploma awarded, if any.")


class SessionDetailOut(SessionOut):
    candidates: list[CandidateOut]


class CandidatesIn(Schema):
    learners: list[str] | None = Field(
        None, description="Learner numbers; omitted: the requests and the eligible learners."
    )


class DecisionIn(Schema):
    decision: Literal["award", "defer", "refuse"]
    reason: str = Field("", max_length=2000)
    override_reason: str = Field(
        "", max_length=2000, description="Needed to award when the audit is not satisfied."
    )


class RequestIn(Schema):
    diploma: str = Field(max_length=30)


class RequestOut(Schema):
    id: int
    diploma: str
    status: str
    requested_at: datetime


class RevokeIn(Schema):
    reason: str = Field(max_length=2000)


def _session(session: JurySession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "diploma": session.diploma_code,
        "level": session.level,
        "centre": session.centre.code if session.centre else None,
        "held_on": session.held_on,
        "status": session.status,
        "members": sorted(m.pk for m in session.members.all()),
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    award: AwardedDiploma | None = getattr(candidate, "award", None)
    return {
        "id": candidate.pk,
        "learner": candidate.learner.number,
        "name": f"{candidate.learner.first_name} {candidate.learner.last_name}",
        "satisfied": candidate.satisfied,
        "decision": candidate.decision,
        "reason": candidate.reason,
        "override_reason": candidate.override_reason,
        "evidence": candidate.evidence,
        "award": award.number if award is not None else None,
    }


def _award(award: AwardedDiploma) -> dict[str, Any]:
    return {
        "number": award.number,
        "learner": award.learner.number,
        "diploma": award.diploma_code,
        "version": award.diploma.version,
        "awarded_on": award.awarded_on,
        "centre": award.centre.code if award.centre else None,
        "honours": award.honours,
        "average": str(award.average) if award.average is not None else None,
        "status": award.status,
        "revoked_at": award.revoked_at,
        "revocation_reason": award.revocation_reason,
    }


def _request(made: DiplomaRequest) -> dict[str, Any]:
    return {
        "id": made.pk,
        "diploma": made.diploma_code,
        "status": made.status,
        "requested_at": made.created_at,
    }


@router.get("/credentials/sessions", response={200: list[SessionOut], **READ_ERRORS})
def list_sessions(request: HttpRequest) -> list[dict[str, Any]]:
    """Return the jury sessions the user sits on or administers, latest first."""
    found = queries.sessions_of(actor(request)).prefetch_related("members")
    return [_session(s) for s in found]


@router.post("/credentials/sessions", response={201: SessionOut, **WRITE_ERRORS})
def open_session(request: HttpRequest, payload: SessionIn) -> Status[dict[str, Any]]:
    """Open a jury session: centre staff for their centre, the registrar for a national one."""
    centre = queries.centre_coded(payload.centre) if payload.centre else None
    session = actions.open_jury_session(
        actor=actor(request),
        diploma_code=payload.diploma,
        held_on=payload.held_on,
        members=queries.users_with_ids(payload.members),
        centre=centre,
    )
    return Status(201, _session(session))


@router.get("/credentials/sessions/{session_id}", response={200: SessionDetailOut, **READ_ERRORS})
def session_detail(request: HttpRequest, session_id: int) -> dict[str, Any]:
    """Return a jury session with its candidates, their evidence and decisions."""
    session = queries.session_of(actor(request), session_id)
    return {
        **_session(session),
        "candidates": [_candidate(c) for c in queries.candidates_of(session)],
    }


@router.post(
    "/credentials/sessions/{session_id}/candidates",
    response={201: list[CandidateOut], **WRITE_ERRORS},
)
def add_candidates(
    request: HttpRequest, session_id: int, payload: CandidatesIn
) -> Status[list[dict[str, Any]]]:
    """Put learners before the jury; without a list, the requests and the eligible learners."""
    user = actor(request)
    session = queries.session_of(user, session_id)
    learners = queries.learners_numbered(payload.learners) if payload.learners is not None else None
    made = actions.add_candidates(actor=user, session=session, learners=learners)
    return Status(201, [_candidate(c) for c in made])


@router.post(
    "/credentials/candidates/{candidate_id}/decision", response={200: CandidateOut, **WRITE_ERRORS}
)
def decide(request: HttpRequest, candidate_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Record the jury's decision; an award takes the diploma's next number."""
    user = actor(request)
    candidate = queries.candidate_of(user, candidate_id)
    decided = actions.decide(
        actor=user,
        candidate=candidate,
        decision=payload.decision,
        reason=payload.reason,
        override_reason=payload.override_reason,
    )
    return _candidate(decided)


@router.post(
    "/credentials/sessions/{session_id}/award-satisfied",
    response={200: list[AwardOut], **WRITE_ERRORS},
)
def award_satisfied(request: HttpRequest, session_id: int) -> list[dict[str, Any]]:
    """Award at once every pending candidate whose audit is (still) satisfied."""
    user = actor(request)
    session = queries.session_of(user, session_id)
    made = [award.pk for award in actions.award_satisfied(actor=user, session=session)]
    awards = AwardedDiploma.objects.filter(pk__in=made).select_related(
        "learner", "diploma", "centre"
    )
    return [_award(award) for award in awards.order_by("number")]


@router.post("/credentials/sessions/{session_id}/close", response={200: SessionOut, **WRITE_ERRORS})
def close_session(request: HttpRequest, session_id: int) -> dict[str, Any]:
    """Close a jury session."""
    user = actor(request)
    session = actions.close_jury_session(actor=user, session=queries.session_of(user, session_id))
    return _session(session)


@router.get(
    "/credentials/learners/{number}/diplomas", response={200: list[AwardOut], **READ_ERRORS}
)
def learner_diplomas(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """Return the diplomas awarded to a learner, revoked ones included."""
    user = actor(request)
    learner = readable_learner(user, number)
    return [_award(a) for a in queries.diplomas_of(user, learner)]


@router.post("/credentials/learners/{number}/requests", response={201: RequestOut, **WRITE_ERRORS})
def request_diploma(
    request: HttpRequest, number: str, payload: RequestIn
) -> Status[dict[str, Any]]:
    """Ask to be put before a jury for a diploma."""
    user = actor(request)
    learner = readable_learner(user, number)
    made = actions.request_diploma(actor=user, learner=learner, diploma_code=payload.diploma)
    return Status(201, _request(made))


@router.post("/credentials/diplomas/{number}/revoke", response={200: AwardOut, **WRITE_ERRORS})
def revoke(request: HttpRequest, number: str, payload: RevokeIn) -> dict[str, Any]:
    """Revoke an awarded diploma with a reason (the registrar); it keeps its number."""
    user = actor(request)
    award = actions.revoke_diploma(
        actor=user, award=queries.award_of(user, number), reason=payload.reason
    )
    return _award(award)
