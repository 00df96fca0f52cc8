"""Writes of diplomas: requests, jury sessions and decisions, awards under a gapless number.

An award takes the next number of its diploma and year from a counter row locked
for the rest of the award's transaction: concurrent awards wait for one another,
and a rolled-back award gives its number back. Awards are never edited, only revoked.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.audit.queries import catalogue
from cursus.catalogue.models import Centre, Diploma
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import EventSpec, record_event, record_events
from cursus.core.models import Role, User
from cursus.core.scoping import require, scope_of
from cursus.credentials import queries
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    BatchStatus,
    Candidate,
    Decision,
    DiplomaCounter,
    DiplomaDocument,
    DiplomaRequest,
    IssuanceBatch,
    JuryLevel,
    JurySession,
    RequestStatus,
    SessionStatus,
    StatusEntry,
    UnitCredential,
    UnitCredentialStatus,
)
from cursus.credentials.vc.status import MIN_ENTRIES
from cursus.enrolment.models import Learner
from cursus.records.models import Acquisition


def _diploma_code(code: str) -> str:
    found = code.strip().upper()
    if found not in catalogue().versions:
        raise InvalidInput({"diploma": [_("No diploma has the code %(code)s.") % {"code": found}]})
    return found


def _needs_national_jury(code: str) -> bool:
    return Diploma.objects.filter(code=code, national_jury=True).exists()


@transaction.atomic
def request_diploma(*, actor: User | None, learner: Learner, diploma_code: str) -> DiplomaRequest:
    """Ask, for a learner, to be put before a jury for a diploma."""
    scope = scope_of(actor)
    if not (
        scope.learner_id == learner.pk
        or scope.is_registrar
        or (scope.has(Role.CENTRE_STAFF) and scope.covers_centre(learner.home_centre_id))
    ):
        raise NotAllowed(_("Only the learner, their centre's staff or the registrar may do this."))
    code = _diploma_code(diploma_code)
    if DiplomaRequest.objects.filter(
        learner=learner, diploma_code=code, status=RequestStatus.PENDING
    ).exists():
        raise Conflict(_("This diploma is already requested."), field="diploma")
    if AwardedDiploma.objects.filter(
        learner=learner, diploma_code=code, status=AwardStatus.AWARDED
    ).exists():
        raise Conflict(_("The learner already holds this diploma."), field="diploma")
    made = DiplomaRequest.objects.create(learner=learner, diploma_code=code, requested_by=actor)
    record_event(
        kind="credentials.diploma_requested",
        subject=made,
        actor=actor,
        data={"learner": learner.pk, "diploma": code},
    )
    return made


@transaction.atomic
def open_jury_session(
    *,
    actor: User | None,
    diploma_code: str,
    held_on: date,
    members: Sequence[User],
    centre: Centre | None = None,
) -> JurySession:
    """Open a jury session: a centre's staff for their centre, the registrar for a national one."""
    code = _diploma_code(diploma_code)
    national = _needs_national_jury(code)
    if national and centre is not None:
        raise InvalidInput({"centre": [_("This diploma is awarded by a national jury only.")]})
    if centre is None:
        if not scope_of(actor).is_registrar:
            raise NotAllowed(_("Only the registrar opens a national jury session."))
    else:
        require(actor, Role.CENTRE_STAFF, centre_id=centre.pk)
    if not members:
        raise InvalidInput({"members": [_("A jury needs at least one member.")]})
    jurors = set(
        User.objects.filter(
            pk__in=[m.pk for m in members], role_assignments__role=Role.JURY_MEMBER
        ).values_list("pk", flat=True)
    )
    outsiders = [m for m in members if m.pk not in jurors]
    if outsiders:
        raise InvalidInput(
            {
                "members": [
                    _("%(name)s is not a jury member.") % {"name": outsiders[0].get_full_name()}
                ]
            }
        )
    session = JurySession(
        diploma_code=code,
        level=JuryLevel.CENTRE if centre is not None else JuryLevel.NATIONAL,
        centre=centre,
        held_on=held_on,
    )
    try:
        session.full_clean()
    except ValidationError as error:
        raise InvalidInput(error.message_dict) from error
    session.save()
    session.members.set(members)
    record_event(
        kind="credentials.jury_opened",
        subject=session,
        actor=actor,
        data={
            "diploma": code,
            "level": session.level,
            "centre": centre.pk if centre else None,
            "held_on": held_on.isoformat(),
            "members": sorted(m.pk for m in members),
        },
    )
    return session


def _ensure_may_administer(actor: User | None, session: JurySession) -> None:
    if session.centre_id is None:
        if not scope_of(actor).is_registrar:
            raise NotAllowed(_("Only the registrar administers a national jury session."))
    else:
        require(actor, Role.CENTRE_STAFF, centre_id=session.centre_id)


def _ensure_open(session: JurySession) -> None:
    if session.status != SessionStatus.OPEN:
        raise Conflict(_("The jury session is closed."), field="session")


@transaction.atomic
def add_candidates(
    *, actor: User | None, session: JurySession, learners: Sequence[Learner] | None = None
) -> list[Candidate]:
    """Put learners before a jury, with their evidence.

    Without ``learners``: those who requested the diploma, and those the latest
    institution audit found satisfying it (of the session's centre for a centre jury).
    Learners already candidates in the session are skipped.
    """
    _ensure_may_administer(actor, session)
    _ensure_open(session)
    requests = DiplomaRequest.objects.filter(
        diploma_code=session.diploma_code, status=RequestStatus.PENDING
    ).select_related("learner")
    if session.centre_id is not None:
        requests = requests.filter(learner__home_centre_id=session.centre_id)
    requested = {r.learner_id: r for r in requests}
    if learners is None:
        chosen = [r.learner for r in requested.values()]
        chosen += queries.eligible_learners(session.diploma_code, session.centre_id)
    else:
        chosen = list(learners)
    present = set(session.candidates.values_list("learner_id", flat=True))
    new: list[Learner] = []
    for learner in chosen:
        if learner.pk not in present:
            present.add(learner.pk)
            new.append(learner)
    evidence = queries.evidence_of([learner.pk for learner in new], session.diploma_code)
    made = Candidate.objects.bulk_create(
        Candidate(
            session=session,
            learner=learner,
            request=requested.get(learner.pk),
            evidence=evidence[learner.pk].data,
            satisfied=evidence[learner.pk].satisfied,
        )
        for learner in new
    )
    considered = [requested[learner.pk].pk for learner in new if learner.pk in requested]
    if considered:
        DiplomaRequest.objects.filter(pk__in=considered).update(
            status=RequestStatus.CONSIDERED, updated_at=timezone.now()
        )
    record_event(
        kind="credentials.candidates_added",
        subject=session,
        actor=actor,
        data={"learners": [c.learner_id for c in made]},
    )
    return made


def _ensure_may_decide(actor: User | None, session: JurySession) -> None:
    if not queries.may_decide(actor, session):
        raise NotAllowed(_("Only the members of this jury or the registrar may decide."))


@transaction.atomic
def decide(
    *,
    actor: User | None,
    candidate: Candidate,
    decision: str,
    reason: str = "",
    override_reason: str = "",
) -> Candidate:
    """Record a jury's decision on a candidate: award, defer or refuse (these two with a reason).

    Awarding a candidate whose audit is not satisfied needs ``override_reason``.
    """
    candidate = Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)
    session = candidate.session
    _ensure_may_decide(actor, session)
    _ensure_open(session)
    if candidate.decision != Decision.PENDING:
        raise Conflict(_("This candidate has already been decided."), field="decision")
    reason = reason.strip()
    override_reason = override_reason.strip()
    if decision not in {Decision.AWARD, Decision.DEFER, Decision.REFUSE}:
        raise InvalidInput({"decision": [_("Choose award, defer or refuse.")]})
    if decision in {Decision.DEFER, Decision.REFUSE} and not reason:
        raise InvalidInput({"reason": [_("Give the reason for this decision.")]})
    evidence = queries.evidence_for(candidate.learner, session.diploma_code)
    candidate.evidence = evidence.data
    candidate.satisfied = evidence.satisfied
    candidate.decision = decision
    candidate.reason = reason
    candidate.override_reason = override_reason if decision == Decision.AWARD else ""
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save()
    if decision == Decision.AWARD:
        award_diploma(actor=actor, candidate=candidate)
    record_event(
        kind="credentials.candidate_decided",
        subject=candidate,
        actor=actor,
        data=_decided(candidate),
        reason=reason or candidate.override_reason,
    )
    return candidate


def _next_number(year: int, code: str) -> str:
    """Take the next sequence of a diploma in a year; the counter stays locked until commit."""
    return _next_numbers(year, code, 1)[0]


def _next_numbers(year: int, code: str, count: int) -> list[str]:
    """Take the next ``count`` sequences of a diploma in a year, under the counter's lock."""
    DiplomaCounter.objects.bulk_create(
        [DiplomaCounter(year=year, diploma_code=code, last_sequence=0)], ignore_conflicts=True
    )
    counter = DiplomaCounter.objects.select_for_update().get(year=year, diploma_code=code)
    first = counter.last_sequence + 1
    counter.last_sequence += count
    counter.save(update_fields=["last_sequence"])
    return [f"{year}-{code}-{sequence:05d}" for sequence in range(first, first + count)]


def _award(
    number: str,
    candidate: Candidate,
    session: JurySession,
    evidence: queries.Evidence,
    diploma: int,
) -> AwardedDiploma:
    """Return (unsaved) the award of a candidate decided for, from their evidence."""
    return AwardedDiploma(
        number=number,
        learner_id=candidate.learner_id,
        diploma_id=diploma,
        diploma_code=session.diploma_code,
        session=session,
        candidate=candidate,
        awarded_on=session.held_on,
        centre_id=session.centre_id or candidate.learner.home_centre_id,
        average=evidence.average,
        honours=evidence.honours,
    )


def _awarded(award: AwardedDiploma, candidate: Candidate) -> dict[str, Any]:
    """Return what the event of an award says."""
    return {
        "number": award.number,
        "learner": candidate.learner_id,
        "diploma": award.diploma_id,
        "session": award.session_id,
        "honours": award.honours,
        "override": bool(candidate.override_reason),
    }


def _decided(candidate: Candidate) -> dict[str, Any]:
    """Return what the event of a decision says."""
    return {
        "session": candidate.session_id,
        "learner": candidate.learner_id,
        "decision": candidate.decision,
        "override": bool(candidate.override_reason),
    }


def _allocated(award: AwardedDiploma, entry: StatusEntry) -> dict[str, Any]:
    """Return what the event of a status list entry says."""
    return {"number": award.number, "list": entry.list_number, "index": entry.index}


@transaction.atomic
def award_diploma(*, actor: User | None, candidate: Candidate) -> AwardedDiploma:
    """Award the diploma a candidate was decided for, under the next number of its year."""
    session = candidate.session
    _ensure_may_decide(actor, session)
    if candidate.decision != Decision.AWARD:
        raise Conflict(_("The jury has not decided to award this diploma."), field="decision")
    if not candidate.satisfied and not candidate.override_reason:
        raise InvalidInput(
            {
                "override_reason": [
                    _("The audit is not satisfied: awarding needs a jury override and its reason.")
                ]
            }
        )
    code = session.diploma_code
    if AwardedDiploma.objects.filter(
        learner_id=candidate.learner_id, diploma_code=code, status=AwardStatus.AWARDED
    ).exists():
        raise Conflict(_("The learner already holds this diploma."), field="diploma")
    evidence = queries.evidence_for(candidate.learner, code)
    diploma_pk = evidence.diploma_pk
    if diploma_pk is None:
        raise InvalidInput({"diploma": [_("No diploma has the code %(code)s.") % {"code": code}]})
    number = _next_number(session.held_on.year, code)
    try:
        with transaction.atomic():
            award = _award(number, candidate, session, evidence, diploma_pk)
            award.save(force_insert=True)
    except IntegrityError as error:
        raise Conflict(_("The learner already holds this diploma."), field="diploma") from error
    record_event(
        kind="credentials.diploma_awarded",
        subject=award,
        actor=actor,
        data=_awarded(award, candidate),
        reason=candidate.override_reason,
    )
    allocate_status_entry(award=award)
    return award


@transaction.atomic
def award_satisfied(*, actor: User | None, session: JurySession) -> list[AwardedDiploma]:
    """Award, at once, every pending candidate of a session whose audit is satisfied.

    The jury's usual decision on the candidates who fulfil every rule: each is
    audited again first, and those no longer satisfied, or who already hold the
    diploma, stay pending for a decision of their own. Numbers are taken in a row
    from the diploma's counter of the session's year, as ``decide`` takes them one
    by one; the events are those ``decide`` records. Returns the awards, by number.
    """
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    _ensure_may_decide(actor, session)
    _ensure_open(session)
    code = session.diploma_code
    candidates = list(
        session.candidates.select_for_update()
        .filter(decision=Decision.PENDING, satisfied=True)
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    holders = set(
        AwardedDiploma.objects.filter(
            learner_id__in=[c.learner_id for c in candidates],
            diploma_code=code,
            status=AwardStatus.AWARDED,
        ).values_list("learner_id", flat=True)
    )
    evidence = queries.evidence_of(
        [c.learner_id for c in candidates if c.learner_id not in holders], code
    )
    now = timezone.now()
    chosen: list[tuple[Candidate, queries.Evidence, int]] = []
    for candidate in candidates:
        found = evidence.get(candidate.learner_id)
        if found is None:
            continue
        candidate.evidence = found.data
        candidate.satisfied = found.satisfied
        candidate.updated_at = now
        if found.satisfied and found.diploma_pk is not None:
            candidate.decision = Decision.AWARD
            candidate.decided_by = actor
            candidate.decided_at = now
            chosen.append((candidate, found, found.diploma_pk))
    Candidate.objects.bulk_update(
        [c for c in candidates if c.learner_id not in holders],
        ["evidence", "satisfied", "decision", "decided_by", "decided_at", "updated_at"],
        batch_size=500,
    )
    if not chosen:
        return []
    numbers = _next_numbers(session.held_on.year, code, len(chosen))
    awards = AwardedDiploma.objects.bulk_create(
        _award(number, candidate, session, found, diploma)
        for number, (candidate, found, diploma) in zip(numbers, chosen, strict=True)
    )
    entries = _allocate_status_entries(awards)
    events: list[EventSpec] = []
    for (candidate, _found, _pk), award, entry in zip(chosen, awards, entries, strict=True):
        events += [
            EventSpec.about(
                award,
                kind="credentials.diploma_awarded",
                actor=actor,
                data=_awarded(award, candidate),
            ),
            EventSpec.about(
                award,
                kind="credentials.status_allocated",
                actor=None,
                data=_allocated(award, entry),
            ),
            EventSpec.about(
                candidate,
                kind="credentials.candidate_decided",
                actor=actor,
                data=_decided(candidate),
            ),
        ]
    record_events(events)
    return awards


@transaction.atomic
def revoke_diploma(*, actor: User | None, award: AwardedDiploma, reason: str) -> AwardedDiploma:
    """Revoke an awarded diploma with a reason; it keeps its number and is never edited."""
    if not scope_of(actor).is_registrar:
        raise NotAllowed(_("Only the registrar revokes a diploma."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Give the reason for the revocation.")]})
    award = AwardedDiploma.objects.select_for_update().get(pk=award.pk)
    if award.status == AwardStatus.REVOKED:
        raise Conflict(_("This diploma is already revoked."), field="status")
    award.status = AwardStatus.REVOKED
    award.revoked_at = timezone.now()
    award.revocation_reason = reason
    award.save(update_fields=["status", "revoked_at", "revocation_reason"])
    record_event(
        kind="credentials.diploma_revoked",
        subject=award,
        actor=actor,
        data={"number": award.number},
        reason=reason,
    )
    return award


@transaction.atomic
def close_jury_session(*, actor: User | None, session: JurySession) -> JurySession:
    """Close a jury session: no candidate may be added or decided afterwards."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if not (queries.may_decide(actor, session)):
        _ensure_may_administer(actor, session)
    _ensure_open(session)
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at", "updated_at"])
    decided = dict.fromkeys(Decision.values, 0)
    for value in session.candidates.values_list("decision", flat=True):
        decided[value] += 1
    record_event(kind="credentials.jury_closed", subject=session, actor=actor, data=decided)
    return session


STATUS_LIST_ENTRIES = MIN_ENTRIES


@transaction.atomic
def allocate_status_entry(*, award: AwardedDiploma) -> StatusEntry:
    """Give an awarded diploma its bit in a revocation status list (once; return it)."""
    found = StatusEntry.objects.filter(award=award).first()
    if found is not None:
        return found
    for _attempt in range(5):
        taken = StatusEntry.objects.count()
        list_number, index = divmod(taken, STATUS_LIST_ENTRIES)
        try:
            with transaction.atomic():
                entry = StatusEntry.objects.create(
                    award=award, list_number=list_number + 1, index=index
                )
        except IntegrityError:
            found = StatusEntry.objects.filter(award=award).first()
            if found is not None:
                return found
            continue
        record_event(
            kind="credentials.status_allocated",
            subject=award,
            actor=None,
            data=_allocated(award, entry),
        )
        return entry
    raise Conflict(_("No status list entry could be given; try again."), field="status")


def _allocate_status_entries(awards: Sequence[AwardedDiploma]) -> list[StatusEntry]:
    """Give new awards their bits in the revocation status lists, in a row after the last one."""
    for _attempt in range(5):
        taken = StatusEntry.objects.count()
        entries = []
        for offset, award in enumerate(awards):
            list_number, index = divmod(taken + offset, STATUS_LIST_ENTRIES)
            entries.append(StatusEntry(award=award, list_number=list_number + 1, index=index))
        try:
            with transaction.atomic():
                return StatusEntry.objects.bulk_create(entries)
        except IntegrityError:
            continue
    raise Conflict(_("No status list entry could be given; try again."), field="status")


# -- Credentials of capitalised units ----------------------------------------------------------


def _ensure_may_ask_for(actor: User | None, learner: Learner) -> None:
    scope = scope_of(actor)
    if not (
        scope.learner_id == learner.pk
        or scope.is_registrar
        or (scope.has(Role.CENTRE_STAFF) and scope.covers_centre(learner.home_centre_id))
    ):
        raise NotAllowed(_("Only the learner, their centre's staff or the registrar may do this."))


def _unit_content(acquisition: Acquisition) -> dict[str, Any]:
    unit = acquisition.unit
    return {
        "unit": unit.code,
        "title": unit.title_fr or unit.title_en,
        "description": unit.description_fr or unit.description_en,
        "ects": unit.ects,
        "grade": str(acquisition.grade) if acquisition.grade is not None else None,
        "source": acquisition.source,
        "date": acquisition.acquired_on.isoformat(),
        "centre": acquisition.centre.code,
        "centre_name": acquisition.centre.name,
    }


# Each failed attempt means another credential took the bit: one more is committed.
UNIT_STATUS_ATTEMPTS = 50


def _unit_status_place() -> tuple[int, int]:
    taken = UnitCredential.objects.count()
    list_number, index = divmod(taken, STATUS_LIST_ENTRIES)
    return list_number + 1, index


@transaction.atomic
def issue_unit_credential(
    *, actor: User | None, learner: Learner, unit_code: str
) -> UnitCredential:
    """Issue the verifiable credential of a unit the learner holds (once; return it)."""
    _ensure_may_ask_for(actor, learner)
    code = unit_code.strip().upper()
    acquisition = (
        Acquisition.objects.select_related("unit", "centre")
        .filter(learner=learner, unit__code=code)
        .first()
    )
    if acquisition is None:
        raise InvalidInput(
            {"unit": [_("%(code)s is not among the units this learner holds.") % {"code": code}]}
        )
    current = (
        UnitCredential.objects.select_for_update()
        .filter(learner=learner, unit_code=code, status=UnitCredentialStatus.ISSUED)
        .first()
    )
    if current is not None and current.acquisition_id == acquisition.pk:
        return current
    if current is not None:
        # The unit was lost then held again: the old credential no longer says the truth.
        _revoke_unit(actor, current, "The unit was no longer held when it was held again.")
    for _attempt in range(UNIT_STATUS_ATTEMPTS):
        list_number, index = _unit_status_place()
        try:
            with transaction.atomic():
                made = UnitCredential.objects.create(
                    learner=learner,
                    unit_code=code,
                    acquisition=acquisition,
                    content=_unit_content(acquisition),
                    list_number=list_number,
                    index=index,
                    issued_at=timezone.now(),
                    issued_by=actor,
                )
        except IntegrityError:
            # Either another request issued this very credential first (theirs stands) or
            # took the same bit (count again).
            found = UnitCredential.objects.filter(
                learner=learner, unit_code=code, status=UnitCredentialStatus.ISSUED
            ).first()
            if found is not None:
                return found
            continue
        record_event(
            kind="credentials.unit_credential_issued",
            subject=made,
            actor=actor,
            data={
                "learner": learner.pk,
                "unit": code,
                "list": list_number,
                "index": index,
            },
        )
        return made
    raise Conflict(_("No status list entry could be given; try again."), field="status")


def _revoke_unit(actor: User | None, credential: UnitCredential, reason: str) -> None:
    credential.status = UnitCredentialStatus.REVOKED
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save(update_fields=["status", "revoked_at", "revocation_reason"])
    record_event(
        kind="credentials.unit_credential_revoked",
        subject=credential,
        actor=actor,
        data={"learner": credential.learner_id, "unit": credential.unit_code},
        reason=reason,
    )


@transaction.atomic
def revoke_unit_credential(
    *, actor: User | None, credential: UnitCredential, reason: str
) -> UnitCredential:
    """Revoke the credential of a unit with a reason (the registrar)."""
    if not scope_of(actor).is_registrar:
        raise NotAllowed(_("Only the registrar revokes a credential."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Give the reason for the revocation.")]})
    credential = UnitCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.status == UnitCredentialStatus.REVOKED:
        raise Conflict(_("This credential is already revoked."), field="status")
    _revoke_unit(actor, credential, reason)
    return credential


# -- Issuance of a session's diploma documents -------------------------------------------------


def _ensure_may_issue(actor: User | None, session: JurySession) -> None:
    if queries.may_decide(actor, session):
        return
    _ensure_may_administer(actor, session)


@transaction.atomic
def queue_issuance(*, actor: User | None, session: JurySession) -> IssuanceBatch:
    """Queue the issuance of the documents of a session's diplomas; a task does the work."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    _ensure_may_issue(actor, session)
    if session.status != SessionStatus.CLOSED and not session.awards.exists():
        raise Conflict(
            _("The session has awarded no diploma yet: close it or award one first."),
            field="session",
        )
    under_way = [BatchStatus.QUEUED, BatchStatus.RUNNING]
    if IssuanceBatch.objects.filter(session=session, status__in=under_way).exists():
        raise Conflict(_("The documents of this session are being issued."), field="session")
    batch = IssuanceBatch.objects.create(
        session=session,
        requested_by=actor,
        total=session.awards.filter(status=AwardStatus.AWARDED).count(),
    )
    record_event(
        kind="credentials.issuance_queued",
        subject=batch,
        actor=actor,
        data={"session": session.pk, "total": batch.total},
    )
    batch_id = batch.pk

    def enqueue() -> None:
        # Imported here: the task module imports this one.
        from cursus.credentials.tasks import issue_session

        issue_session.enqueue(batch_id=batch_id)

    transaction.on_commit(enqueue)
    return batch


def run_issuance(
    batch_id: int, *, progress: Callable[[int, int], None] | None = None
) -> IssuanceBatch:
    """Issue the documents of every awarded, unrevoked diploma of the batch's session.

    Progress is committed after each diploma, for the session's page to show;
    documents stored already are kept as they are, so a batch run again adds nothing.
    The batch acts as the institution: who may ask for it was checked when it was queued.
    """
    # Imported here: the documents module builds on the issuance one, which imports this one.
    from cursus.credentials.documents import issue_documents

    batch = IssuanceBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.is_finished:
        return batch  # Run already (a task delivered twice, or run in place by the demo).
    awards = list(
        AwardedDiploma.objects.filter(session_id=batch.session_id, status=AwardStatus.AWARDED)
        .select_related("diploma", "learner__user", "centre", "candidate", "session")
        .order_by("number")
    )
    total = len(awards)
    IssuanceBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.RUNNING, started_at=timezone.now(), total=total, done=0
    )
    done = documents = 0
    try:
        for award in awards:
            # Each diploma's documents are stored in their own transaction (rendering
            # takes a while); the progress row is written after each, for the page.
            before = DiplomaDocument.objects.filter(award=award).count()
            try:
                stored = issue_documents(award=award, actor=None)
            except Conflict:
                stored = []  # Revoked since the batch was queued: its documents are withdrawn.
            documents += max(0, len(stored) - before)
            done += 1
            IssuanceBatch.objects.filter(pk=batch_id).update(done=done, documents=documents)
            if progress is not None:
                progress(done, total)
    except Exception as error:
        IssuanceBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    with transaction.atomic():
        IssuanceBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.DONE, finished_at=timezone.now()
        )
        batch.refresh_from_db()
        record_event(
            kind="credentials.issuance_done",
            subject=batch,
            actor=batch.requested_by,
            data={"session": batch.session_id, "diplomas": done, "documents": documents},
        )
    return batch
