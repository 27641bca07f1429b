"""Generate and store people on PostgreSQL through the bulk path, side by side with the usual tools.

    uv run python benchmarks/bulk_people.py [--people 1000000] [--compare 100000]

Two comparisons in one run, each printed as rates and a ratio:
  1. generation: corredor.core.synth vs Faker (es_MX) producing the same fields per person;
  2. storage: people_bulk_register's COPY path vs Django's bulk_create path (the ORM's own bulk path).
Then the headline: N people generated, validated and stored on PostgreSQL, with the wall time.
The database is a separate one (corredor_bench), dropped and re-created on each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
BENCH_DB = "corredor_bench"


def _setup_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _synth_people(count: int, today: dt.date):
    from corredor.core.synth import generate_people

    return generate_people(seed=7, count=count, today=today)


def _faker_people(count: int) -> list[tuple]:
    from faker import Faker

    fake = Faker("es_MX")
    Faker.seed(7)
    return [(fake.first_name(), fake.last_name(), fake.last_name(), fake.date_of_birth(minimum_age=0, maximum_age=80),
             fake.random_element(["F", "M"]), fake.phone_number(), fake.bothify("?########")) for _ in range(count)]


def _median_rate(fn, count: int, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(count)
        times.append(time.perf_counter() - start)
    return count / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--compare", type=int, default=100_000, help="people per comparison run")
    parser.add_argument("--admin-url", default=os.environ.get("BENCH_ADMIN_URL",
                                                              "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    _setup_database(args.admin_url)
    os.environ["DATABASE_URL"] = args.admin_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.platform.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from corredor.accounts.models import Organisation
    from corredor.reference.services import reference_load
    from corredor.registry.bulk import people_bulk_register
    from corredor.registry.demo import known_subdivisions, person_data_from_synth

    call_command("migrate", verbosity=0)
    reference_load(actor=None)
    organisation = Organisation.objects.get(code="UNHCR")
    today = dt.date(2026, 11, 30)
    places = {"Tijuana": "mx-tijuana", "Mexicali": "mx-mexicali", "Nogales": "mx-nogales",
              "Ciudad Juárez": "mx-ciudad-juarez", "Piedras Negras": "mx-piedras-negras",
              "Nuevo Laredo": "mx-nuevo-laredo", "Reynosa": "mx-reynosa", "Matamoros": "mx-matamoros"}

    subdivisions = known_subdivisions()

    def registry_inputs(count: int):
        return (person_data_from_synth(p, places.get(h.waiting_city, ""), subdivisions)
                for h, p in _synth_people(count, today))

    def truncate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_identitydocument, registry_contactchannel, registry_person CASCADE")

    print(f"machine: {os.cpu_count()} cores; PostgreSQL {connection.pg_version // 10000}; database {BENCH_DB}")

    # 1. generation
    ours = _median_rate(lambda n: sum(1 for _ in _synth_people(n, today)), args.compare)
    faker = _median_rate(_faker_people, args.compare // 5)
    print(f"generation  corredor.core.synth {ours:>12,.0f} people/s   Faker(es_MX) {faker:>10,.0f} people/s"
          f"   ratio {ours / faker:5.1f}x")

    # 2. storage of the same inputs (validation included in both)
    def store(method: str, count: int) -> float:
        inputs = list(registry_inputs(count))
        truncate()
        start = time.perf_counter()
        people_bulk_register(actor=None, organisation=organisation, people=inputs, today=today, method=method)
        return time.perf_counter() - start

    copy_times = [store("copy", args.compare) for _ in range(3)]
    orm_times = [store("bulk_create", args.compare) for _ in range(3)]
    copy_rate = args.compare / statistics.median(copy_times)
    orm_rate = args.compare / statistics.median(orm_times)
    print(f"storage     COPY path {copy_rate:>12,.0f} people/s   Django bulk_create {orm_rate:>10,.0f} people/s"
          f"   ratio {copy_rate / orm_rate:5.1f}x   (median of 3 x {args.compare:,})")

    # 3. the headline: N people, generated, validated and stored
    truncate()
    start = time.perf_counter()
    report = people_bulk_register(actor=None, organisation=organisation, people=registry_inputs(args.people),
                                  today=today, method="copy", batch_size=10_000)
    elapsed = time.perf_counter() - start
    from corredor.registry.models import Person

    stored = Person.objects.count()
    print(f"headline    {stored:,} people ({report.documents:,} documents, {report.contacts:,} contacts) generated,"
          f" validated and stored in {elapsed:,.1f} s = {stored / elapsed:,.0f} people/s; "
          f"{report.batches} audit events (one per batch)")


if __name__ == "__main__":
    main()
