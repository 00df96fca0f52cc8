"""Writes of audits: the diplomas a learner pursues, and institution-wide audits."""

from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.audit import queries
from cursus.audit.engine import holdings
from cursus.audit.models import AuditRun, AuditRunStatus, AuditSnapshot, Pursuit
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import record_event
from cursus.core.models import Role, User
from cursus.core.scoping import require, scope_of
from cursus.enrolment.models import Learner

# Closest diplomas kept per learner by an institution audit, besides those pursued.
CLOSEST_KEPT = 3


def _ensure_may_manage_pursuits(actor: User | None, learner: Learner) -> None:
    scope = scope_of(actor)
    if scope.learner_id == learner.pk or scope.is_registrar:
        return
    if scope.has(Role.CENTRE_STAFF) and scope.covers_centre(learner.home_centre_id):
        return
    raise NotAllowed("Only the learner, their centre's staff or the registrar may do this.")


@transaction.atomic
def pursue_diploma(
    *, actor: User | None, learner: Learner, diploma_code: str, started_on: date | None = None
) -> Pursuit:
    """Record that a learner aims at a diploma from ``started_on`` (today by default)."""
    _ensure_may_manage_pursuits(actor, learner)
    code = diploma_code.strip().upper()
    if code not in queries.catalogue().versions:
        raise InvalidInput({"diploma": [_("No diploma has the code %(code)s.") % {"code": code}]})
    started = started_on or timezone.localdate()
    if started > timezone.localdate():
        raise InvalidInput({"started_on": [_("The start cannot be in the future.")]})
    if Pursuit.objects.filter(learner=learner, diploma_code=code).exists():
        raise Conflict(_("The learner already pursues this diploma."), field="diploma")
    pursuit = Pursuit.objects.create(learner=learner, diploma_code=code, started_on=started)
    record_event(
        kind="audit.pursuit_started",
        subject=pursuit,
        actor=actor,
        data={"learner": learner.pk, "diploma": code, "started_on": started.isoformat()},
    )
    return pursuit


@transaction.atomic
def drop_pursuit(*, actor: User | None, pursuit: Pursuit) -> None:
    """Stop pursuing a diploma: the learner no longer aims at it."""
    _ensure_may_manage_pursuits(actor, pursuit.learner)
    record_event(
        kind="audit.pursuit_dropped",
        subject=pursuit,
        actor=actor,
        data={"learner": pursuit.learner_id, "diploma": pursuit.diploma_code},
    )
    pursuit.delete()


@transaction.atomic
def start_institution_audit(*, actor: User | None) -> AuditRun:
    """Queue an audit of every learner; the background task fills in its progress."""
    require(actor, Role.REGISTRAR)
    if AuditRun.objects.filter(status__in=[AuditRunStatus.QUEUED, AuditRunStatus.RUNNING]).exists():
        raise Conflict(_("An institution audit is already under way."), field="run")
    run = AuditRun.objects.create(requested_by=actor)
    record_event(kind="audit.institution_audit_requested", subject=run, actor=actor)
    run_id = run.pk

    def enqueue() -> None:
        # Imported here: the task module imports this one.
        from cursus.audit.tasks import audit_institution

        audit_institution.enqueue(run_id=run_id)

    transaction.on_commit(enqueue)
    return run


def run_institution_audit(
    run_id: int, *, progress: Callable[[int, int], None] | None = None
) -> AuditRun:
    """Audit every learner against what they pursue and their closest diplomas.

    Reads learners by chunks (two queries for their records, one for their
    pursuits), writes the snapshots of each chunk in bulk and the progress in
    the run's row, which the registrar's page polls.
    """
    run = AuditRun.objects.get(pk=run_id)
    total = Learner.objects.count()
    AuditRun.objects.filter(pk=run_id).update(
        status=AuditRunStatus.RUNNING, started_at=timezone.now(), learners_total=total
    )
    try:
        done = audits = 0
        cat = queries.catalogue()
        for chunk in queries.learner_ids():
            rows, made = _audit_chunk(run_id, chunk, cat)
            with transaction.atomic():
                _write_snapshots(rows)
                done += len(chunk)
                audits += made
                AuditRun.objects.filter(pk=run_id).update(learners_done=done, audits=audits)
            if progress is not None:
                progress(done, total)
    except Exception as error:
        AuditRun.objects.filter(pk=run_id).update(
            status=AuditRunStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    AuditRun.objects.filter(pk=run_id).update(
        status=AuditRunStatus.DONE, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


# The columns an institution audit writes, in the order of its rows.
SNAPSHOT_COLUMNS = (
    "run_id",
    "learner_id",
    "diploma_id",
    "pursued",
    "satisfied",
    "ects",
    "remaining_ects",
    "remaining_units",
    "remaining_milestones",
)
SnapshotRow = tuple[int, int, int, bool, bool, float, float, int, int]


def _write_snapshots(rows: list[SnapshotRow]) -> None:
    """Insert snapshot rows in one statement per batch, without building model instances."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(AuditSnapshot._meta.db_table)
    columns = ", ".join(quote(c) for c in SNAPSHOT_COLUMNS)
    marks = ", ".join(["%s"] * len(SNAPSHOT_COLUMNS))
    with connection.cursor() as cursor:
        # Names from the model, quoted; the values go as parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, rows)


def _audit_chunk(
    run_id: int, chunk: list[int], cat: queries.Catalogue
) -> tuple[list[SnapshotRow], int]:
    records = queries.records_of(chunk)
    pursued: dict[int, list[tuple[str, date]]] = {}
    for learner_id, code, started_on in Pursuit.objects.filter(learner_id__in=chunk).values_list(
        "learner_id", "diploma_code", "started_on"
    ):
        pursued.setdefault(learner_id, []).append((code, started_on))
    rows: list[SnapshotRow] = []
    made = 0
    index = cat.index
    for learner_id in chunk:
        held = holdings(records[learner_id])
        seen: set[int] = set()
        for code, started_on in pursued.get(learner_id, ()):
            versions = cat.versions.get(code)
            if not versions:
                continue
            choice = queries.favourable_audit(versions, held, started_on, cat.unit_ects)
            made += choice.compared
            seen.add(choice.chosen.pk)
            left = choice.remaining
            rows.append(
                (
                    run_id,
                    learner_id,
                    choice.chosen.pk,
                    True,
                    choice.result.satisfied,
                    choice.result.ects,
                    left.ects,
                    left.units,
                    left.milestones,
                )
            )
        touched = index.touched(held)
        made += len(touched)
        kept = 0
        for closeness in index.rank(held, CLOSEST_KEPT + len(seen), touched):
            version = cat.latest[closeness.position]
            if kept == CLOSEST_KEPT or version.pk in seen:
                continue
            left = closeness.remaining
            rows.append(
                (
                    run_id,
                    learner_id,
                    version.pk,
                    False,
                    closeness.satisfied,
                    closeness.ects,
                    left.ects,
                    left.units,
                    left.milestones,
                )
            )
            kept += 1
    return rows, made
