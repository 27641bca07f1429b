"""Background jobs of orderly processing (Django's tasks framework; database backend by default)."""

from __future__ import annotations

from django.tasks import task

from corredor.audit import context


@task()
def allocation_run_execute(run_id: int) -> dict[str, object]:
    """Compute a preview run; progress and the result are stored on the run for the coordinator's page."""
    from .services import run_execute

    with context.bind(channel=context.Channel.JOB):
        run = run_execute(run_id)
    return {"run": run.pk, "status": run.status}
