"""Preview and publish an allocation run for ~40,000 people on PostgreSQL, through the real services.

    uv run python benchmarks/publish_appointments.py [--people 40000]

Set-up (not timed): synthetic people stored by the bulk path, one waiting case per household with its
readiness checks done, the default capacity calendar (1,450 persons a day over eight ports). Timed: the
preview (reading the waiting list, the allocator, storing the result) and the all-or-nothing publication
(seats, appointments with codes, case status and timeline, one audit event per appointment). Database
`corredor_bench`, dropped and re-created on each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
BENCH_DB = "corredor_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=40_000)
    parser.add_argument("--admin-url", default=os.environ.get("BENCH_ADMIN_URL",
                                                              "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    import psycopg

    with psycopg.connect(args.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = args.admin_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.platform.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from corredor.accounts.models import Organisation
    from corredor.appointments import services
    from corredor.appointments.models import Appointment, WaitingListEntry
    from corredor.audit.models import AuditEvent
    from corredor.core.synth import generate_households
    from corredor.reference.models import Place
    from corredor.reference.services import reference_load
    from corredor.registry.bulk import people_bulk_register
    from corredor.registry.demo import known_subdivisions, person_data_from_synth
    from corredor.registry.models import Case, Family, FamilyMembership, Person

    call_command("migrate", verbosity=0)
    reference_load(actor=None)
    organisation = Organisation.objects.get(code="UNHCR")
    today = timezone.localdate()
    cities = {p.name: p for p in Place.objects.filter(kind="waiting_city")}
    subdivisions = known_subdivisions()

    start = time.perf_counter()
    households = []
    people_count = 0
    for household in generate_households(seed=11, count=args.people, today=today):
        households.append(household)
        people_count += len(household.members)
        if people_count >= args.people:
            break
    inputs = [person_data_from_synth(m, cities[h.waiting_city].code, subdivisions) for h in households
              for m in h.members]
    people_bulk_register(actor=None, organisation=organisation, people=inputs, today=today)
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    cursor = 0
    cases = []
    for h in households:
        members = ids[cursor:cursor + len(h.members)]
        cursor += len(h.members)
        family = None
        if len(members) > 1:
            family = Family.objects.create(contact_member_id=members[0], registered_by_organisation=organisation)
            FamilyMembership.objects.bulk_create([FamilyMembership(family=family, person_id=pid,
                                                                   relationship="self" if i == 0 else m.relationship)
                                                  for i, (pid, m) in enumerate(zip(members, h.members, strict=True))])
        cases.append(Case(reference=f"CR-B-{len(cases):07d}", kind="metering_backlog", status="waiting",
                          person_id=None if family else members[0], family=family, holding_organisation=organisation,
                          site=cities[h.waiting_city], opened_on=today, place_in_line_on=h.registered_on,
                          expedite=any(m.vulnerabilities for m in h.members)))
    Case.objects.bulk_create(cases, batch_size=5000)
    now = timezone.now()
    WaitingListEntry.objects.bulk_create([WaitingListEntry(case=c, identity_confirmed_at=now, health_screened_on=today)
                                          for c in Case.objects.all()], batch_size=5000)
    elapsed = time.perf_counter() - start
    print(f"set-up: {people_count:,} people in {len(cases):,} households stored in {elapsed:,.1f} s")

    run = services.run_request(actor=None, start_day=today + dt.timedelta(days=1), horizon_days=60, seed=1,
                               enqueue=False)
    start = time.perf_counter()
    run = services.run_execute(run.pk)
    preview = time.perf_counter() - start
    assigned = len(run.result["assignments"])
    print(f"preview:  {assigned:,} appointments for {run.result['stats']['assigned_persons']:,} persons over "
          f"8 ports x 60 days in {preview:,.2f} s")
    start = time.perf_counter()
    published = services.run_publish(actor=None, run=run)
    publish = time.perf_counter() - start
    print(f"publish:  {published:,} appointments written to PostgreSQL in {publish:,.2f} s "
          f"({published / publish:,.0f} appointments/s); "
          f"{AuditEvent.objects.filter(action='appointment.booked').count():,} audit events; "
          f"{Appointment.objects.count():,} appointment rows")


if __name__ == "__main__":
    main()
