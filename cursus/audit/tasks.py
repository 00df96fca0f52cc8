"""Background tasks of audits."""

from django_tasks import task

from cursus.audit.actions import run_institution_audit


@task()
def audit_institution(run_id: int) -> int:
    """Audit the whole institution for the queued run; return the audits made."""
    return run_institution_audit(run_id).audits
