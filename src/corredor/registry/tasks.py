"""Background jobs of the registry, run by Django's tasks framework (database backend by default)."""

from __future__ import annotations

from django.tasks import task

from corredor.audit import context

from .retention import retention_apply


@task()
def retention_run() -> dict[str, object]:
    """Nightly: anonymise people whose every case closed beyond the retention period."""
    with context.bind(channel=context.Channel.JOB):
        report = retention_apply(actor=None)
    return {"cutoff": report.cutoff.isoformat(), "anonymised": report.anonymised}
