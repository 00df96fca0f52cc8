"""Plans: the fastest path of a learner to a diploma, alternatives, enrolment from the plan.

A learner plans for themselves; centre staff for the learners in their scope;
the registrar for anyone. Texts (explanations, obstacles) come in French or
English: ``lang``.
"""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.planner import actions
from cursus.planner.inputs import PlanRequest, constraints_for
from cursus.planner.problem import Problem
from cursus.planner.queries import (
    LearnerContext,
    alternatives,
    diploma_version,
    learner_context,
    learner_for,
    problem_for,
    target_code,
    variations,
)
from cursus.planner.solve import Plan, make_plan

router = Router(tags=["planner"])

READ_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors, 422: Errors}
WRITE_ERRORS: dict[int, type[Errors]] = {**READ_ERRORS, 409: Errors}

Lang = Literal["fr", "en"]


class PlanQuery(Schema):
    """How the learner can study; every field is optional."""

    diploma: str = Field("", max_length=30, description="A diploma's code; the closest if empty.")
    centres: str = Field("", description="Centres the learner can reach, by code: lyon,paris.")
    formulas: str = Field(
        "", description="Formulas accepted: evening_saturday,daytime,institute,distance."
    )
    weekdays: str = Field(
        "",
        description="When the learner is free: tue:evening,thu:18:00-21:30,sat (empty: any time).",
    )
    max_units: int | None = Field(None, description="At most this many units per term.")
    max_ects: float | None = Field(None, description="At most this many ECTS per term.")
    skip: str = Field("", description="Terms to skip: 2027-S1,2027-S2.")
    lang: Lang | None = Field(None, description="Language of the texts; the active one if unset.")


class SlotOut(Schema):
    weekday: str
    starts_at: str
    ends_at: str


class BlockOut(Schema):
    starts_on: str
    ends_on: str


class PlannedOfferingOut(Schema):
    unit: str
    ects: float
    offering: int | None = Field(None, description="The catalogue's offering; null if projected.")
    centre: str
    formula: str
    published: bool
    slots: list[SlotOut]
    blocks: list[BlockOut]
    why: str


class PlannedTermOut(Schema):
    term: str
    label: str
    projected: bool
    offerings: list[PlannedOfferingOut]


class TextOut(Schema):
    node: str
    text: str


class ObstacleOut(Schema):
    kind: str
    text: str
    requirement: str
    units: list[str]


class SuggestionOut(Schema):
    constraint: str
    text: str
    finishes: str | None


class PlanAuditOut(Schema):
    diploma: dict[str, Any]
    satisfied: bool
    ects: float
    assignment: dict[str, str]
    missing: list[TextOut]


class PlanOut(Schema):
    """A plan term by term, the diploma's audit once it is done, or why there is none."""

    diploma: dict[str, Any]
    feasible: bool
    proven_best: bool = Field(
        description="False when the solver's time ran out first: a faster plan may exist."
    )
    finishes: str | None
    ects: float
    terms: list[PlannedTermOut]
    outside_courses: list[TextOut]
    obstacles: list[ObstacleOut]
    suggestions: list[SuggestionOut]
    audit: PlanAuditOut


class VariationOut(Schema):
    kind: str
    text: str
    plan: PlanOut


class ComparisonOut(Schema):
    plan: PlanOut
    alternatives: list[PlanOut]
    variations: list[VariationOut]


class EnrolmentOut(Schema):
    unit: str
    offering: int | None
    status: Literal["enrolled", "waitlisted", "refused"]
    position: int | None
    error: str


def _lang(asked: str | None) -> str:
    if asked is not None:
        return asked
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _request(query: PlanQuery) -> PlanRequest:
    def listed(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(",") if part.strip())

    return PlanRequest(
        diploma=query.diploma,
        centres=listed(query.centres),
        formulas=listed(query.formulas),
        weekdays=query.weekdays,
        max_units=query.max_units,
        max_ects=query.max_ects,
        skip_terms=listed(query.skip),
    )


def _plan(
    request: HttpRequest, number: str, query: PlanQuery
) -> tuple[LearnerContext, Problem, Plan]:
    learner = learner_for(actor(request), number)
    constraints = constraints_for(_request(query))
    context = learner_context(learner)
    problem = problem_for(
        context, diploma_version(target_code(context, query.diploma)), constraints
    )
    return context, problem, make_plan(problem)


@router.get("/planner/learners/{number}/plan", response={200: PlanOut, **READ_ERRORS})
def plan(request: HttpRequest, number: str, query: Query[PlanQuery]) -> dict[str, object]:
    """Return the fastest plan of a learner to a diploma (the closest one if none is named)."""
    lang = _lang(query.lang)
    with translation.override(lang):
        _context, _problem, made = _plan(request, number, query)
        return made.as_json(lang)


@router.get("/planner/learners/{number}/compare", response={200: ComparisonOut, **READ_ERRORS})
def compare(request: HttpRequest, number: str, query: Query[PlanQuery]) -> dict[str, object]:
    """Return the plan beside plans to the closest other diplomas, and what a little more gives."""
    lang = _lang(query.lang)
    with translation.override(lang):
        context, problem, made = _plan(request, number, query)
        others = alternatives(context, problem.constraints, besides=made.diploma.code)
        return {
            "plan": made.as_json(lang),
            "alternatives": [other.as_json(lang) for other in others],
            "variations": [
                {"kind": v.kind, "text": v.text, "plan": v.plan.as_json(lang)}
                for v in variations(problem)
            ],
        }


@router.post(
    "/planner/learners/{number}/enrolments", response={200: list[EnrolmentOut], **WRITE_ERRORS}
)
def enrol_from_plan(
    request: HttpRequest, number: str, query: Query[PlanQuery]
) -> list[dict[str, object]]:
    """Enrol the learner in the offerings of the plan's next term; report each outcome."""
    lang = _lang(query.lang)
    with translation.override(lang):
        context, _problem, made = _plan(request, number, query)
        done = actions.enrol_from_plan(actor=actor(request), learner=context.learner, plan=made)
        return [
            {
                "unit": e.planned.candidate.unit,
                "offering": e.planned.candidate.offering_id,
                "status": e.status,
                "position": e.outcome.position if e.outcome is not None else None,
                "error": e.error,
            }
            for e in done
        ]
