"""Juries held: a few learners complete the database administrator certificate and receive it.

Four learners other than the demo learner, from Lyon first, are granted the units
of CC-ABD they lack by equivalence and their professional experience is recorded,
through the records' actions; Lyon's staff then open a jury session with the demo
jury member, who awards each of them the certificate. The registrar revokes the
last one, with a reason, so the demo shows a revoked diploma too.
"""

from datetime import date

from cursus.catalogue.models import Diploma
from cursus.core.models import User
from cursus.credentials.actions import (
    add_candidates,
    close_jury_session,
    decide,
    open_jury_session,
    revoke_diploma,
)
from cursus.credentials.models import AwardedDiploma, Decision
from cursus.demo.steps.context import BuildContext
from cursus.demo.steps.people import DEMO_CENTRE, DEMO_DOMAIN
from cursus.enrolment.models import Learner
from cursus.records.actions.milestones import record_milestone
from cursus.records.actions.validations import validate_prior_learning
from cursus.records.models import Acquisition, MilestoneKind, ValidationSource

JURY_DIPLOMA = "CC-ABD"
JURY_CENTRE = DEMO_CENTRE
GRADUATES = 4
DECIDED_ON = date(2025, 5, 20)
HELD_ON = date(2025, 6, 24)
REQUIRED_UNITS = ("NFA008", "NSY103", "NSY107", "NFA011", "NFE156", "UASI05")
DESIGN_UNITS = ("NFE113", "NFP107", "NFE106")
REVOCATION_REASON = "The equivalence decision behind one unit was found to be forged."


def _graduates(ctx: BuildContext) -> list[Learner]:
    found = Learner.objects.select_related("home_centre")
    if ctx.demo_learner is not None:
        found = found.exclude(pk=ctx.demo_learner.pk)
    lyon = ctx.centres.get(JURY_CENTRE)
    ordered = sorted(
        found,
        key=lambda learner: (lyon is None or learner.home_centre_id != lyon.pk, learner.pk),
    )
    return ordered[:GRADUATES]


def _complete(ctx: BuildContext, learner: Learner, diploma: Diploma) -> None:
    assert ctx.registrar is not None
    held = set(Acquisition.objects.filter(learner=learner).values_list("unit__code", flat=True))
    missing = [code for code in REQUIRED_UNITS if code not in held]
    if not held.intersection(DESIGN_UNITS):
        missing.append(DESIGN_UNITS[0])
    if missing:
        validate_prior_learning(
            actor=ctx.registrar,
            learner=learner,
            units=missing,
            source=ValidationSource.EQUIVALENCE,
            decision_reference=f"EQ-{DECIDED_ON.year}-{learner.pk:05d}",
            jury="Jury d'équivalence, Lyon",
            decided_on=DECIDED_ON,
        )
    record_milestone(
        actor=ctx.registrar,
        learner=learner,
        kind=MilestoneKind.EXPERIENCE,
        achieved_on=DECIDED_ON,
        evidence="Attestation d'employeur : administration de bases de données.",
        years=3,
        in_field_years=2,
    )


def build_juries(ctx: BuildContext) -> list[AwardedDiploma]:
    """Hold a CC-ABD jury at Lyon, award its candidates, revoke one; return the awards."""
    if ctx.registrar is None or JURY_CENTRE not in ctx.centres:
        return []
    diploma = Diploma.objects.filter(code=JURY_DIPLOMA).order_by("-version").first()
    if diploma is None:
        return []
    learners = _graduates(ctx)
    for done, learner in enumerate(learners, start=1):
        _complete(ctx, learner, diploma)
        ctx.report("juries", done, len(learners) + 1)
    staff = User.objects.get(email=f"centre.lyon@{DEMO_DOMAIN}")
    jury = User.objects.get(email=f"jury@{DEMO_DOMAIN}")
    session = open_jury_session(
        actor=staff,
        diploma_code=JURY_DIPLOMA,
        held_on=HELD_ON,
        members=[jury],
        centre=ctx.centres[JURY_CENTRE],
    )
    candidates = add_candidates(actor=staff, session=session, learners=learners)
    for candidate in candidates:
        decide(actor=jury, candidate=candidate, decision=Decision.AWARD)
    close_jury_session(actor=jury, session=session)
    awards = list(AwardedDiploma.objects.filter(session=session).order_by("number"))
    if awards:
        revoke_diploma(actor=ctx.registrar, award=awards[-1], reason=REVOCATION_REASON)
    ctx.report("juries", len(learners) + 1, len(learners) + 1)
    return awards
