"""Background tasks of imports."""

from django_tasks import task

from cursus.exchange.actions import run_import_job


@task()
def run_import(job_id: int) -> str:
    """Check or import the job's file, as its status says; return the status reached."""
    return run_import_job(job_id).status
