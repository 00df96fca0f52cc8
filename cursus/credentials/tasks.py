"""Background tasks of diplomas: the issuance of a jury session's documents."""

from django_tasks import task

from cursus.credentials.actions import run_issuance


@task()
def issue_session(batch_id: int) -> int:
    """Issue the documents of the queued batch's session; return the diplomas gone through."""
    return run_issuance(batch_id).done
