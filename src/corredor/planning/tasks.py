"""Background jobs of capacity planning."""

from __future__ import annotations

from django.tasks import task

from corredor.audit import context

from . import services


@task()
def planning_run(run_id: int) -> dict[str, object]:
    with context.bind(channel=context.Channel.JOB):
        run = services.run_execute(run_id)
    return {"run": run.pk, "status": run.status, "seconds": run.seconds}


@task()
def crisis_watch() -> dict[str, int]:
    with context.bind(channel=context.Channel.JOB):
        return {"raised": len(services.crisis_watch())}
