"""Demo data for orderly processing: waiting-list checks on the synthetic population, a published run,
and today's appointments at San Ysidro for the port officer to check in."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from corredor.accounts.models import User
from corredor.core.registry import vocab as v
from corredor.reference.models import Place, PlaceKind
from corredor.registry.models import Case

from . import services
from .models import WaitingListEntry


def demo_waiting_list_create(*, users: dict[str, User], seed: int = 2021) -> dict[str, int]:
    """Confirm identity and screening for most waiting cases, then preview and publish a two-week run."""
    if WaitingListEntry.objects.exists():
        return {"skipped": 1}
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    today = timezone.localdate()
    nearest = services._nearest_ports(list(Place.objects.filter(kind=PlaceKind.PORT)))
    ready = 0
    for case in Case.objects.filter(status=v.CaseStatus.WAITING).select_related("site"):
        ports = list(nearest.get(case.site.code, ())) if case.site_id and case.site else []
        confirmed = rng.random() < 0.8
        services.waiting_entry_update(actor=users["intake"], case=case, identity_confirmed=confirmed,
                                      ports=ports[: 1 if rng.random() < 0.3 else 2])
        if rng.random() < 0.85:
            services.health_screening_record(actor=users["health"], case=case,
                                             screened_on=today - dt.timedelta(days=rng.randint(0, 45)))
        ready += int(confirmed)
    # A smaller demo calendar, so the queue is visible in two weeks: the real default is 1,450 a day.
    for port in Place.objects.filter(kind=PlaceKind.PORT):
        services.capacity_set(actor=users["coordinator"], port=port, start=today, end=today + dt.timedelta(days=13),
                              capacity=6)
    run = services.run_request(actor=users["coordinator"], start_day=today, horizon_days=14, seed=seed,
                               enqueue=False)
    run = services.run_execute(run.pk)
    published = services.run_publish(actor=users["coordinator"], run=run)
    # A second run left in preview, for the coordinator to review and publish in the demo.
    preview = services.run_request(actor=users["coordinator"], start_day=today + dt.timedelta(days=14),
                                   horizon_days=14, seed=seed + 1, enqueue=False)
    services.run_execute(preview.pk)
    return {"ready": ready, "published": published}
