"""Background jobs of reception: the clock sweep that raises alerts and sends the outbox."""

from __future__ import annotations

from django.tasks import task

from corredor.audit import context

from .services import alerts_sweep


@task()
def custody_sweep() -> dict[str, int]:
    """Raise the alerts now due on every open custody (idempotent) and deliver pending messages."""
    with context.bind(channel=context.Channel.JOB):
        return alerts_sweep()
