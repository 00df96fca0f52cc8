"""Juries held: a few learners complete the database administrator certificate and receive it.

Four learners other than the demo learner, from Lyon first, are granted the units
of CC-ABD they lack by equivalence and their professional experience is recorded,
through the records' actions; Lyon's staff then open a jury session with the demo
jury member, who awards each of them the certificate. The registrar revokes the
last one, with a reason, so the demo shows a revoked diploma too.

Then one diploma of every other kind (professional certificate, DEUST, licence,
RNCP title, master, engineering degree before the national jury, and the historic
DPCT and DEST) is awarded to one more Lyon learner each: what the audit says is
missing is granted by equivalence and the milestones recorded, round after round,
and where the rules still are not met (a minimum grade an equivalence cannot give)
the jury awards with an override and its reason. The documents of the CC-ABD
session are issued as a jury's staff would, as a batch.
"""

from collections.abc import Sequence
from datetime import date

from cursus.audit.engine import ChoiceNeeded, CreditsNeeded, MilestoneNeeded, UnitNeeded, holdings
from cursus.audit.engine.rules import (
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    MilestoneNode,
    Node,
    Selector,
    UnitNode,
)
from cursus.audit.queries import catalogue, favourable_audit, records_of
from cursus.catalogue.models import Diploma, DiplomaKind, Unit
from cursus.core.models import User
from cursus.credentials.actions import (
    add_candidates,
    close_jury_session,
    decide,
    open_jury_session,
    queue_issuance,
    revoke_diploma,
    run_issuance,
)
from cursus.credentials.models import AwardedDiploma, Decision, JurySession
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
# The kinds awarded besides CC-ABD's certificate of competence, and the day of their juries.
OTHER_KINDS = (
    DiplomaKind.CERTIFICAT_PROFESSIONNEL,
    DiplomaKind.DEUST,
    DiplomaKind.LICENCE,
    DiplomaKind.TITRE_RNCP,
    DiplomaKind.MASTER,
    DiplomaKind.INGENIEUR,
    DiplomaKind.DPCT,
    DiplomaKind.DEST,
)
KINDS_HELD_ON = date(2025, 7, 1)
KINDS_DECIDED_ON = date(2025, 6, 2)
SOLVING_ROUNDS = 8
# What an equivalence cannot give (a share of ECTS earned by examination, a minimum grade)
# the jury may hold met by the candidate's professional record, and says so.
OVERRIDE_REASON = (
    "The jury holds the candidate's professional record equivalent to the examinations "
    "the rules still ask for."
)
EVIDENCE = {
    "experience": "Attestations d'employeurs",
    "language": "Certificat de langue",
    "thesis": "Procès-verbal de soutenance",
    "admission": "Procès-verbal du jury d'admission",
    "internship": "Attestation de stage",
}


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
    awards += build_juries_of_every_kind(ctx, taken={learner.pk for learner in learners})
    issue_session_documents(session, staff)
    ctx.report("juries", len(learners) + 1, len(learners) + 1)
    return awards


def issue_session_documents(session: JurySession, staff: User) -> None:
    """Issue the documents of a session's diplomas, as the batch a worker runs."""
    batch = queue_issuance(actor=staff, session=session)
    run_issuance(batch.pk)


# -- One diploma of every kind -------------------------------------------------------------------


def _diploma_of(kind: str) -> Diploma | None:
    """Return the latest version of the first diploma of a kind, those still open first."""
    found = Diploma.objects.filter(kind=kind).order_by("code", "-version")
    latest: dict[str, Diploma] = {}
    for diploma in found:
        latest.setdefault(diploma.code, diploma)
    ordered = sorted(latest.values(), key=lambda d: (d.last_year is not None, d.code))
    return ordered[0] if ordered else None


def _node_units(node: Node, units: dict[str, tuple[str | None, float]], want: int) -> list[str]:
    """Return the units that meet a node: all of an ``all``, the first options of the others."""
    if isinstance(node, UnitNode):
        return [node.code] if node.code in units else []
    if isinstance(node, CreditsNode):
        return _pool(node.selector, node.credits, node.max_units, units, [])
    if isinstance(node, AllNode):
        return [code for child in node.children for code in _node_units(child, units, 1)]
    if isinstance(node, AnyNode | ChooseNode):
        count = node.count if isinstance(node, ChooseNode) else 1
        chosen: list[str] = []
        met = 0
        for child in node.children:
            if met >= count * want:
                break
            found = _node_units(child, units, 1)
            if found or isinstance(child, MilestoneNode):
                met += 1
                chosen += found
        return chosen
    return []


def _pool(
    selector: Selector,
    missing: float,
    max_units: int | None,
    units: dict[str, tuple[str | None, float]],
    held: Sequence[str],
) -> list[str]:
    chosen: list[str] = []
    for code in sorted(units):
        if missing <= 0 or (max_units is not None and len(chosen) >= max_units):
            break
        department, ects = units[code]
        if code not in held and selector.matches(code, department):
            chosen.append(code)
            missing -= ects
    return chosen


def _needs(
    missing: Sequence[object], units: dict[str, tuple[str | None, float]], held: Sequence[str]
) -> tuple[list[str], list[MilestoneNode]]:
    """Return the units to grant and the milestones to record for what an audit misses."""
    grant: list[str] = []
    milestones: list[MilestoneNode] = []
    for item in missing:
        reason = getattr(item, "reason", None)
        if isinstance(reason, UnitNeeded) and reason.held is None and reason.elsewhere is None:
            options = [reason.code, *reason.equivalents]
            grant += [next((c for c in options if c in units), reason.code)]
        elif isinstance(reason, CreditsNeeded):
            grant += _pool(
                reason.selector, reason.missing, reason.max_units, units, [*held, *grant]
            )
        elif isinstance(reason, ChoiceNeeded):
            met = 0
            for option in reason.options:
                if met >= reason.more:
                    break
                if isinstance(option, MilestoneNode):
                    milestones.append(option)
                    met += 1
                    continue
                found = [c for c in _node_units(option, units, 1) if c not in held]
                if found:
                    grant += found
                    met += 1
        elif isinstance(reason, MilestoneNeeded):
            milestones.append(reason.node)
    fresh = [c for c in dict.fromkeys(grant) if c in units and c not in held]
    return fresh, milestones


def _record(ctx: BuildContext, learner: Learner, node: MilestoneNode) -> None:
    assert ctx.registrar is not None
    experience = node.kind == "experience"
    years = max(node.years or 0.0, 2.0)
    record_milestone(
        actor=ctx.registrar,
        learner=learner,
        kind=node.kind,
        achieved_on=KINDS_DECIDED_ON,
        evidence=EVIDENCE.get(node.kind, "Pièce justificative"),
        years=f"{years:.1f}" if experience else None,
        in_field_years=f"{max(node.in_field_years or 0.0, 1.0):.1f}" if experience else None,
        language=node.language or ("en" if node.kind == "language" else ""),
        level=node.level or ("B2" if node.kind == "language" else ""),
        test="Linguaskill" if node.kind == "language" else "",
        title="Mémoire" if node.kind == "thesis" else "",
    )


def _prepare(
    ctx: BuildContext,
    learner: Learner,
    code: str,
    units: dict[str, tuple[str | None, float]],
) -> None:
    """Grant, round after round, what the audit of a diploma says the learner lacks."""
    assert ctx.registrar is not None
    cat = catalogue()
    versions = cat.versions[code]
    recorded: set[tuple[str, str | None]] = set()
    for round_number in range(1, SOLVING_ROUNDS + 1):
        record = records_of([learner.pk])[learner.pk]
        result = favourable_audit(versions, holdings(record), None, cat.unit_ects).result
        if result.satisfied:
            return
        held = [unit.code for unit in record.units]
        grant, milestones = _needs(result.missing, units, held)
        fresh = [m for m in milestones if (m.kind, m.language) not in recorded]
        if not grant and not fresh:
            return
        if grant:
            validate_prior_learning(
                actor=ctx.registrar,
                learner=learner,
                units=grant,
                source=ValidationSource.EQUIVALENCE,
                decision_reference=f"EQ-{KINDS_DECIDED_ON.year}-{learner.pk:05d}-{round_number}",
                jury="Commission des équivalences",
                decided_on=KINDS_DECIDED_ON,
                grounds="Acquis antérieurs reconnus",
            )
        for node in fresh:
            recorded.add((node.kind, node.language))
            _record(ctx, learner, node)


def _kind_learners(ctx: BuildContext, taken: set[int], count: int) -> list[Learner]:
    """Return learners of Lyon whose records no other step loads, the demo learner aside."""
    found = Learner.objects.exclude(pk__in=taken | ctx.history_learners)
    if ctx.demo_learner is not None:
        found = found.exclude(pk=ctx.demo_learner.pk)
    lyon = ctx.centres.get(JURY_CENTRE)
    if lyon is not None:
        at_lyon = list(found.filter(home_centre=lyon).order_by("pk")[:count])
        if len(at_lyon) == count:
            return at_lyon
    return list(found.order_by("pk")[:count])


def build_juries_of_every_kind(ctx: BuildContext, *, taken: set[int]) -> list[AwardedDiploma]:
    """Award one diploma of every kind but CC-ABD's, each before its own jury; return them."""
    if ctx.registrar is None or JURY_CENTRE not in ctx.centres:
        return []
    diplomas = [d for d in (_diploma_of(kind) for kind in OTHER_KINDS) if d is not None]
    learners = _kind_learners(ctx, taken, len(diplomas))
    units: dict[str, tuple[str | None, float]] = {
        code: (department, float(ects))
        for code, department, ects in Unit.objects.values_list("code", "department__slug", "ects")
    }
    staff = User.objects.get(email=f"centre.lyon@{DEMO_DOMAIN}")
    jury = User.objects.get(email=f"jury@{DEMO_DOMAIN}")
    awards = []
    for diploma, learner in zip(diplomas, learners, strict=False):
        _prepare(ctx, learner, diploma.code, units)
        if diploma.national_jury:
            session = open_jury_session(
                actor=ctx.registrar,
                diploma_code=diploma.code,
                held_on=KINDS_HELD_ON,
                members=[jury],
            )
            clerk = ctx.registrar
        else:
            session = open_jury_session(
                actor=staff,
                diploma_code=diploma.code,
                held_on=KINDS_HELD_ON,
                members=[jury],
                centre=ctx.centres[JURY_CENTRE],
            )
            clerk = staff
        [candidate] = add_candidates(actor=clerk, session=session, learners=[learner])
        decided = decide(
            actor=jury,
            candidate=candidate,
            decision=Decision.AWARD,
            override_reason="" if candidate.satisfied else OVERRIDE_REASON,
        )
        close_jury_session(actor=jury, session=session)
        awards.append(decided.award)
    return awards
