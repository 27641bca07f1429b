"""The live custody board of a busy Joint Processing Center on PostgreSQL, and the custody clocks in bulk.

    uv run python benchmarks/custody_board.py [--open 5000] [--historical 50000] [--quick] [--profile]

Set-up (not timed): database `corredor_bench` (dropped and re-created; dropped again at the end, also on
failure), migrations, reference data, a JPC, the San Ysidro port facility and an ORR shelter made through
the reception services. Synthetic households (`corredor.core.synth`) are stored by the registry's bulk path,
with one case per household. The custody data is then written with bulk_create, not through the services:
the services (admission, transfer, placement, release, breaches) are exercised by the test suite, and this
benchmark measures reads. It writes
  - `--historical` ended journeys (outcome released) over the past 60 days, each with 1-3 stays
    (port; port -> JPC; a child: port -> JPC -> ORR shelter), some with their recorded breaches;
  - `--open` people in custody now at the JPC: families, single men and women, unaccompanied children of
    every band, who entered custody over the last 90 hours (so every clock level shows), each with a port
    stay then a JPC stay (or in transit to the JPC), some children with pending or refused ORR referrals,
    some breaches already explained, some people in medical isolation, sponsors being searched for.

Timed:
  1. GET of the board page and of its htmx rows partial (20 requests each after 2 warm-ups) by a CBP
     reception-staff user through Django's test client: median, p95, SQL queries per request;
     then the selector `reception.selectors.board` alone and the view's context (selector + row dicts),
     so the split between queries, Python and template rendering is visible.
  2. `core.custody.clocks.clock_arrays` for 100,000 open journeys under every default rule (median of 5),
     against the scalar `clocks()` path on the same journeys (one stay each), with the levels compared.

Nothing about time is asserted: the targets (board p95 < 300 ms; all clocks of 100,000 journeys < 1 s) are
printed as met or not met. `--profile` adds a cProfile of one board request (top functions by own time).
Runs with DEBUG off (as in production) unless DEBUG=1 is set in the environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
BENCH_DB = "corredor_bench"
JPC_CODE = "jpc-bench"
ZONE = "America/Los_Angeles"
BOARD_TARGET_MS = 300.0
CLOCKS_TARGET_S = 1.0
CLOCK_JOURNEYS = 100_000
FAMILY_COMPOSITIONS = frozenset({"parent_with_children", "two_parents_with_children", "extended_family"})
CHILD_COMPOSITIONS = frozenset({"unaccompanied_child", "separated_child_with_relative"})


def _create_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _drop_database(admin_url: str) -> None:
    import psycopg

    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    rank = 0.95 * (len(ordered) - 1)  # linear interpolation between closest ranks (numpy's default)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _timed(fn: Callable[[], Any], repeats: int, warmups: int = 0) -> list[float]:
    for _ in range(warmups):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# --- set-up -------------------------------------------------------------------------------------------


def _bucket(composition: str) -> str:
    if composition in FAMILY_COMPOSITIONS:
        return "families"
    if composition in CHILD_COMPOSITIONS:
        return "children"
    return "singles"


def _choose_households(open_count: int, historical: int, today: dt.date) -> tuple[list[tuple], list[tuple]]:
    """(household, members taken) pairs: the open board gets about half families, 30% single adults and 20%
    children travelling without a parent; the historical journeys take the households in generation order."""
    from corredor.core.synth import generate_households

    targets = {"families": open_count // 2, "singles": open_count * 3 // 10}
    targets["children"] = open_count - sum(targets.values())
    filled: Counter[str] = Counter()
    open_households: list[tuple] = []
    historical_households: list[tuple] = []
    taken_historical = 0
    for household in generate_households(seed=23, count=10 * (open_count + historical), today=today):
        bucket = _bucket(household.composition)
        if filled[bucket] < targets[bucket]:
            members = household.members[:targets[bucket] - filled[bucket]]
            filled[bucket] += len(members)
            open_households.append((household, members))
        elif taken_historical < historical:
            members = household.members[:historical - taken_historical]
            taken_historical += len(members)
            historical_households.append((household, members))
        if taken_historical >= historical and filled == targets:
            break
    return open_households, historical_households


def _populations(members: tuple, on: dt.date) -> list[str]:
    """Each member's population when they arrive together (the rule the admission service applies)."""
    from corredor.core.custody.populations import classify
    from corredor.core.registry.ages import age_on
    from corredor.core.registry.family import ChildStatus, Member, child_status

    family = [Member(i, m.relationship, m.date_of_birth, m.dob_precision) for i, m in enumerate(members)]
    statuses = [child_status(member, family, on) for member in family]
    adults = {i for i, s in enumerate(statuses) if s is ChildStatus.NOT_A_CHILD}
    family_unit = any(s is ChildStatus.ACCOMPANIED for s in statuses)
    return [classify(sex=m.sex.value, age=age_on(m.date_of_birth, on), child_status=statuses[i],
                     family_unit=family_unit, adult_present=bool(adults - {i})).value
            for i, m in enumerate(members)]


def _populate(open_count: int, historical: int, now: dt.datetime, port_count: int = 20) -> dict[str, Any]:
    from corredor.accounts.models import Organisation
    from corredor.core.custody.populations import UNACCOMPANIED
    from corredor.reception import services
    from corredor.reception.models import (
        Breach,
        BreachReason,
        Custody,
        CustodyOutcome,
        DeclineReason,
        FacilityKind,
        OrrReferral,
        ReferralStatus,
        SponsorStatus,
        Stay,
        StayExit,
    )
    from corredor.reference.models import Place
    from corredor.registry.bulk import people_bulk_register
    from corredor.registry.demo import known_subdivisions, person_data_from_synth
    from corredor.registry.models import Case, Family, FamilyMembership, Person

    hour = dt.timedelta(hours=1)
    rng = random.Random(41)  # reproducible benchmark data, not security
    org = {o.code: o for o in Organisation.objects.all()}
    port = services.facility_for_port(actor=None, port=Place.objects.get(code="poe-san-ysidro"))
    jpc = services.facility_create(
        actor=None, code=JPC_CODE, name="JPC Benchmark", kind=FacilityKind.JPC, organisation=org["CBP"],
        city="San Diego", time_zone=ZONE, isolation_capacity=200, partners=[org["IOM"], org["KIND"]],
        beds={"families": open_count // 2, "single_men": open_count // 5, "single_women": open_count // 8,
              "uc_boys_13_17": open_count // 10, "uc_girls_13_17": open_count // 16})
    shelter = services.facility_create(actor=None, code="orr-bench", name="ORR Shelter Benchmark",
                                       kind=FacilityKind.ORR_SHELTER, organisation=org["ORR"], city="San Diego",
                                       time_zone=ZONE, beds={"uc_boys_13_17": 50, "uc_girls_13_17": 50})

    today = now.date()
    open_households, others = _choose_households(open_count, historical + port_count + 50, today)
    port_households: list[tuple] = []  # a few people just arrived at the port: a small board to compare with
    while sum(len(m) for _h, m in port_households) < port_count:
        port_households.append(others.pop(0))
    historical_households: list[tuple] = []
    taken = 0
    for household, members in others:
        if taken == historical:
            break
        historical_households.append((household, members[:historical - taken]))
        taken += len(historical_households[-1][1])
    where = ["jpc"] * len(open_households) + ["port"] * len(port_households) + ["ended"] * len(historical_households)
    cities = {p.name: p for p in Place.objects.filter(kind="waiting_city")}
    subdivisions = known_subdivisions()
    households = open_households + port_households + historical_households
    inputs = [person_data_from_synth(m, cities[h.waiting_city].code, subdivisions)
              for h, members in households for m in members]
    first_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    people_bulk_register(actor=None, organisation=org["UNHCR"], people=inputs, today=today, batch_size=10_000)
    ids = list(Person.objects.filter(id__gte=first_id).order_by("id").values_list("id", flat=True))
    assert len(ids) == len(inputs)

    # one case per household, a family record when more than one person travels together
    cursor = 0
    person_ids: list[list[int]] = []
    for _household, members in households:
        person_ids.append(ids[cursor:cursor + len(members)])
        cursor += len(members)
    multi = [i for i, pids in enumerate(person_ids) if len(pids) > 1]
    families = Family.objects.bulk_create([Family(contact_member_id=person_ids[i][0],
                                                  registered_by_organisation=org["UNHCR"]) for i in multi],
                                          batch_size=10_000)
    family_of = dict(zip(multi, families, strict=True))
    FamilyMembership.objects.bulk_create(
        [FamilyMembership(family=family_of[i], person_id=pid, relationship="self" if j == 0 else m.relationship)
         for i in multi for j, (pid, m) in enumerate(zip(person_ids[i], households[i][1], strict=True))],
        batch_size=10_000)
    cases = Case.objects.bulk_create(
        [Case(reference=f"CR-B-{i:07d}", kind="unaccompanied_child" if h.composition in CHILD_COMPOSITIONS
              else "asylum_at_port", status="released" if where[i] == "ended" else "in_custody",
              person_id=None if i in family_of else person_ids[i][0], family=family_of.get(i),
              holding_organisation=org["UNHCR"], site=cities[h.waiting_city], opened_on=h.registered_on,
              place_in_line_on=h.registered_on)
         for i, (h, _members) in enumerate(households)], batch_size=10_000)

    # custody journeys: one per person; a household arrives together
    custodies: list[Custody] = []
    plans: list[dict[str, Any]] = []  # the stays, referrals and breaches of each custody, in order
    sponsor_states = [SponsorStatus.NOT_STARTED] * 10 + [SponsorStatus.SEARCHING] * 6 + [
        SponsorStatus.FOUND] * 3 + [SponsorStatus.NOT_FOUND]
    for i, (_household, members) in enumerate(households):
        is_open = where[i] != "ended"
        if where[i] == "port":
            started = now - dt.timedelta(hours=rng.uniform(0.25, 8.0))
            in_transit, isolation, sponsor, ended = False, None, SponsorStatus.NOT_STARTED, None
        elif is_open:
            started = now - dt.timedelta(hours=rng.uniform(0.25, 90.0))
            elapsed_h = (now - started) / hour
            at_port_h = rng.uniform(0.1, min(20.0, 0.6 * elapsed_h))
            left_port = started + at_port_h * hour
            reached_jpc = left_port + rng.uniform(0.5, 2.0) * hour
            in_transit = reached_jpc >= now
            isolation = (now + rng.uniform(2, 96) * hour) if not in_transit and rng.random() < 0.03 else None
            sponsor = rng.choice(sponsor_states)
            ended = None
        else:
            started = now - dt.timedelta(hours=rng.uniform(5 * 24, 60 * 24))  # ended before the board's 90 h
            left_port = started + rng.uniform(2, 30) * hour
            reached_jpc = left_port + rng.uniform(0.5, 2.0) * hour
            in_transit, isolation, sponsor = False, None, SponsorStatus.FOUND
        populations = _populations(members, started.date())
        for pid, population in zip(person_ids[i], populations, strict=True):
            child = population in UNACCOMPANIED
            stays: list[tuple] = []
            referrals: list[dict[str, Any]] = []
            breaches: list[tuple[str, dt.datetime]] = []
            facility = jpc
            if where[i] == "port":
                stays.append((port, started, None, ""))
                facility = port
            elif is_open:
                stays.append((port, started, left_port, StayExit.TRANSFER))
                if not in_transit:
                    stays.append((jpc, reached_jpc, None, ""))
                if child:
                    roll = rng.random()
                    asked = started + rng.uniform(0.2, min(10.0, 0.8 * elapsed_h)) * hour
                    if roll < 0.10:  # refused, asked again
                        referrals.append({"status": ReferralStatus.NOT_ACCEPTED, "requested_at": asked,
                                          "decided_at": asked + 0.1 * (now - asked),
                                          "decline_reason": rng.choice([DeclineReason.NO_BED_AGE,
                                                                        DeclineReason.NO_BED_GENDER])})
                        if rng.random() < 0.5:
                            referrals.append({"status": ReferralStatus.REQUESTED,
                                              "requested_at": asked + 0.2 * (now - asked)})
                    elif roll < 0.55:
                        referrals.append({"status": ReferralStatus.REQUESTED, "requested_at": asked})
                    elif roll < 0.75:
                        referrals.append({"status": ReferralStatus.ACCEPTED, "requested_at": asked,
                                          "decided_at": asked + 0.5 * (now - asked), "shelter": shelter})
                rule = "uc-orr-placement" if child else "family-reception" if population == "families" else ""
                if rule and elapsed_h > 72 and rng.random() < 0.5:
                    breaches.append((rule, started + 72 * hour))
            else:
                kind = rng.random()
                if child and kind < 0.7:  # placed with ORR, released from the shelter
                    left_jpc = reached_jpc + rng.uniform(6, 70) * hour
                    at_shelter = left_jpc + rng.uniform(1, 4) * hour
                    ended = max(at_shelter, min(at_shelter + rng.uniform(24, 400) * hour, now - hour))
                    stays += [(port, started, left_port, StayExit.TRANSFER),
                              (jpc, reached_jpc, left_jpc, StayExit.TRANSFER),
                              (shelter, at_shelter, ended, StayExit.RELEASE)]
                    referrals.append({"status": ReferralStatus.PLACED, "requested_at": reached_jpc + hour,
                                      "decided_at": reached_jpc + 3 * hour, "shelter": shelter,
                                      "placed_at": at_shelter})
                    facility, federal_end = shelter, at_shelter
                elif kind < 0.15:  # released from the port
                    ended = left_port
                    stays.append((port, started, ended, StayExit.RELEASE))
                    facility, federal_end = port, ended
                else:
                    ended = reached_jpc + rng.uniform(6, 80) * hour
                    stays += [(port, started, left_port, StayExit.TRANSFER), (jpc, reached_jpc, ended,
                                                                              StayExit.RELEASE)]
                    federal_end = ended
                rule = "uc-orr-placement" if child else "family-reception" if population == "families" else ""
                if rule and (federal_end - started) > 72 * hour and rng.random() < 0.9:
                    breaches.append((rule, started + 72 * hour))
            custodies.append(Custody(
                person_id=pid, case=cases[i], population=population, source="check_in" if i % 3 else "manual",
                started_at=started, ended_at=ended, outcome="" if is_open else CustodyOutcome.RELEASED,
                current_facility=facility, in_transit=in_transit, isolation_until=isolation,
                sponsor_status=sponsor, created_at=started))
            plans.append({"stays": stays, "referrals": referrals, "breaches": breaches})

    Custody.objects.bulk_create(custodies, batch_size=10_000)
    Stay.objects.bulk_create([Stay(custody=c, facility=f, arrived_at=a, departed_at=d, exit=x)
                              for c, plan in zip(custodies, plans, strict=True) for f, a, d, x in plan["stays"]],
                             batch_size=10_000)
    OrrReferral.objects.bulk_create([OrrReferral(custody=c, referred_to=org["ORR"], **r)
                                     for c, plan in zip(custodies, plans, strict=True) for r in plan["referrals"]],
                                    batch_size=10_000)
    reasons = list(BreachReason)
    Breach.objects.bulk_create([Breach(custody=c, rule_id=rule, facility=c.current_facility, breached_at=at,
                                       reason_code=(code := rng.choice(reasons)),
                                       reason=f"Benchmark: {code.label}", recorded_at=at + hour)
                                for c, plan in zip(custodies, plans, strict=True) for rule, at in plan["breaches"]],
                               batch_size=10_000)
    open_custodies = [c for c in custodies if c.ended_at is None and c.current_facility == jpc]
    return {
        "people": len(ids), "households": len(households), "custodies": len(custodies),
        "open": len(open_custodies), "at_port": sum(c.ended_at is None and c.current_facility == port
                                                    for c in custodies),
        "historical": sum(c.ended_at is not None for c in custodies),
        "stays": Stay.objects.count(), "referrals": OrrReferral.objects.count(), "breaches": Breach.objects.count(),
        "populations": Counter(c.population for c in open_custodies),
        "in_transit": sum(c.in_transit for c in open_custodies),
        "isolated": sum(c.isolation_until is not None for c in open_custodies),
        "facilities": (port, jpc, shelter),
    }


# --- the board ----------------------------------------------------------------------------------------


def _reception_user() -> Any:
    from corredor.accounts import services as account_services
    from corredor.accounts.models import Organisation, User
    from corredor.platform.authz import Role

    cbp = Organisation.objects.get(code="CBP")
    user = account_services.user_create(actor=None, username="bench-reception-cbp", password="a-long-bench-pass-42",
                                        organisation=cbp, validate=False)
    account_services.role_assign(actor=None, user=user, role=Role.RECEPTION_STAFF, organisation=cbp)
    return User.objects.get(pk=user.pk)


def _measure_board(user: Any, *, port_code: str, repeats: int, profile: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from corredor.core.custody.clocks import Level
    from corredor.reception import selectors, views

    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results: dict[str, Any] = {}
    for label, url in (("board page", f"/reception/{JPC_CODE}/"), ("rows partial", f"/reception/{JPC_CODE}/rows/"),
                       ("every row (?all=1)", f"/reception/{JPC_CODE}/rows/?all=1")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        times = _timed(lambda url=url: client.get(url), repeats, warmups=1)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[label] = (times, len(queries), size, [q["sql"] for q in queries.captured_queries])
    with CaptureQueriesContext(connection) as queries:  # the same page for a handful of people: no N+1
        response = client.get(f"/reception/{port_code}/")
    assert response.status_code == 200
    results["small board"] = (len(selectors.board(user=user, facility_code=port_code)[1]), len(queries))

    def selector() -> Any:  # what the page asks for: everyone's clocks and order, the tightest 200 rows built
        return selectors.board_page(user=user, facility_code=JPC_CODE, limit=200)

    with CaptureQueriesContext(connection) as queries:
        selector()
    results["selector queries"] = len(queries)
    _facility, rows = selectors.board(user=user, facility_code=JPC_CODE)  # every row built, for the level counts
    results["every row"] = _timed(lambda: selectors.board(user=user, facility_code=JPC_CODE), 5, warmups=1)
    results["levels"] = Counter(Level(row.level).name.lower() for row in rows)
    results["rows"] = len(rows)
    results["needs reason"] = sum(bool(row.breach_needs_reason) for row in rows)
    results["selector"] = _timed(selector, max(5, repeats // 2), warmups=1)

    request = RequestFactory().get(f"/reception/{JPC_CODE}/", HTTP_HOST="localhost")
    request.user = user
    request.LANGUAGE_CODE = "en"
    results["context"] = _timed(lambda: views._board_context(request, JPC_CODE), max(5, repeats // 2), warmups=1)

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        client.get(f"/reception/{JPC_CODE}/")
        profiler.disable()
        print("\nprofile of one board request (top 30 by own time):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
        print("profile of one board request (top 30 by cumulative time):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    return results


def _print_board(results: dict[str, Any], open_count: int, show_sql: bool) -> None:
    print(f"\nboard of {JPC_CODE}: {results['rows']:,} rows; clock levels "
          + ", ".join(f"{name} {results['levels'].get(name, 0):,}"
                      for name in ("running", "warning", "escalated", "breached", "met"))
          + f"; {results['needs reason']:,} rows with a breach awaiting its reason")
    small_rows, small_queries = results["small board"]
    worst = 0.0
    for label in ("board page", "rows partial", "every row (?all=1)"):
        times, queries, size, sql = results[label]
        p95 = _p95(times)
        if label != "every row (?all=1)":  # the default view: counts for everyone, the tightest 200 rows listed
            worst = max(worst, p95)
        print(f"  GET {label:<18} median {_ms(statistics.median(times))}   p95 {_ms(p95)}   "
              f"{queries} SQL queries/request   {size / 1024:,.0f} KiB   ({len(times)} requests)")
        if show_sql:
            for statement in sql:
                print(f"      {statement[:160]}")
    print(f"  SQL queries for the same page with {small_rows} rows (the port's board): {small_queries} -> "
          + ("no N+1" if small_queries == results["board page"][1] else "DIFFERENT: look for an N+1"))
    selector, context = statistics.median(results["selector"]), statistics.median(results["context"])
    page = statistics.median(results["board page"][0])
    print(f"  selectors.board_page      median {_ms(selector)}   {results['selector queries']} SQL queries "
          "(column queries, every clock as arrays, sort; the tightest 200 rows built)")
    print(f"  selectors.board, all rows median {_ms(statistics.median(results['every row']))}   (the API's full list)")
    print(f"  views._board_context      median {_ms(context)}   (selector + per-row view dicts: "
          f"{_ms(context - selector).strip()})")
    print(f"  rest of the page request         {_ms(page - context)}   (template rendering, middleware, session)")
    verdict = "met" if worst < BOARD_TARGET_MS / 1000 else "not met"
    print(f"  target p95 < {BOARD_TARGET_MS:.0f} ms at {open_count:,} people (default board: everyone counted and "
          f"sorted, the tightest 200 listed): {verdict} (worst p95 {worst * 1000:,.0f} ms)")


# --- the clocks in bulk -------------------------------------------------------------------------------


def _measure_clocks(count: int, repeats: int) -> None:
    import numpy as np

    from corredor.core.custody import clocks as core_clocks
    from corredor.core.custody.populations import Population
    from corredor.core.custody.rules import load_rules

    rules = load_rules()
    rng = np.random.default_rng(5)
    now = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC)
    now_ts = now.timestamp()
    started_ts = np.round(now_ts - rng.uniform(0, 90 * 3600, count), 3)
    populations = rng.choice([p.value for p in Population], count,
                             p=[0.2, 0.1, 0.02, 0.48, 0.03, 0.08, 0.03, 0.05, 0.01]).tolist()
    kinds = rng.choice(["port", "bp_station", "jpc"], count, p=[0.4, 0.1, 0.5]).tolist()
    started = [dt.datetime.fromtimestamp(s, dt.UTC) for s in started_ts.tolist()]
    journeys = [(pop, start, [core_clocks.Stay(kind, start)])
                for pop, start, kind in zip(populations, started, kinds, strict=True)]

    def prepare() -> tuple[np.ndarray, np.ndarray]:
        return (np.fromiter((s.timestamp() for s in started), dtype=np.float64, count=count),
                np.full(count, np.nan))

    start_arr, stopped_arr = prepare()
    prep = statistics.median(_timed(prepare, 3))

    def array_path() -> list[Any]:
        return [core_clocks.clock_arrays(rule, started_at=start_arr, stopped_at=stopped_arr, now=now_ts)
                for rule in rules]

    def scalar_path() -> list[list[Any]]:
        return [core_clocks.clocks(rules, population=pop, started_at=s, stays=stays, ended_at=None, now=now)
                for pop, s, stays in journeys]

    per_rule = {rule.id: statistics.median(_timed(
        lambda rule=rule: core_clocks.clock_arrays(rule, started_at=start_arr, stopped_at=stopped_arr, now=now_ts),
        repeats, warmups=1)) for rule in rules}
    arrays = statistics.median(_timed(array_path, repeats, warmups=1))
    scalar = statistics.median(_timed(scalar_path, repeats))

    # the two paths must agree on every clock the scalar path finds
    by_rule = dict(zip((r.id for r in rules), array_path(), strict=True))
    checked = mismatched = 0
    for i, found in enumerate(scalar_path()):
        for clock in found:
            checked += 1
            mismatched += int(by_rule[clock.rule.id].level[i]) != int(clock.level)
    scalar_clocks = checked

    print(f"\nclocks of {count:,} open journeys, {len(rules)} default rules (median of {repeats}):")
    for rule_id, seconds in per_rule.items():
        print(f"  clock_arrays  {rule_id:<17} {_ms(seconds)}   ({count:,} journeys)")
    print(f"  clock_arrays  every rule        {_ms(arrays)}   ({len(rules) * count:,} clocks: each rule on every "
          f"journey; arrays from {count:,} datetimes take {_ms(prep).strip()} more)")
    print(f"  clocks()      scalar, per journey {_ms(scalar)}   ({scalar_clocks:,} clocks: only the rules that apply "
          "and count the journey's facility)")
    print(f"  ratio scalar / arrays: {scalar / arrays:,.0f}x;  per clock {scalar / scalar_clocks * 1e6:.2f} us vs "
          f"{arrays / (len(rules) * count) * 1e9:.1f} ns")
    print(f"  levels compared on {checked:,} clocks: {mismatched} disagreements")
    print(f"  target < {CLOCKS_TARGET_S:.0f} s for every clock of {count:,} journeys: "
          f"{'met' if arrays < CLOCKS_TARGET_S else 'not met'} with clock_arrays ({arrays:.3f} s); "
          f"scalar path {'met' if scalar < CLOCKS_TARGET_S else 'not met'} ({scalar:.2f} s)")


# --- main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=5_000, help="people in custody at the JPC now")
    parser.add_argument("--historical", type=int, default=50_000, help="ended custody journeys")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 open, 5,000 historical")
    parser.add_argument("--profile", action="store_true", help="cProfile one board request")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    parser.add_argument("--admin-url", default=os.environ.get("BENCH_ADMIN_URL",
                                                              "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    if args.quick:
        args.open, args.historical = 500, 5_000
    _create_database(args.admin_url)
    try:
        os.environ["DATABASE_URL"] = args.admin_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.platform.settings.dev")
        os.environ.setdefault("DEBUG", "0")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from corredor.reference.services import reference_load

        call_command("migrate", verbosity=0)
        reference_load(actor=None)
        print(f"machine: {os.cpu_count()} cores; PostgreSQL {connection.pg_version // 10000}; database {BENCH_DB}; "
              f"settings {os.environ['DJANGO_SETTINGS_MODULE']} (DEBUG={settings.DEBUG}); "
              f"load average {os.getloadavg()[0]:.1f}")

        start = time.perf_counter()
        now = timezone.now()
        made = _populate(args.open, args.historical, now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - start
        print(f"set-up: {made['people']:,} people in {made['households']:,} households; {made['custodies']:,} "
              f"custody journeys ({made['historical']:,} ended over 60 days, {made['open']:,} open at the JPC, "
              f"{made['in_transit']:,} of them in transit, {made['isolated']:,} in isolation; {made['at_port']} open "
              f"at the port); {made['stays']:,} stays, {made['referrals']:,} ORR referrals, {made['breaches']:,} "
              f"breaches; {elapsed:,.1f} s")
        print("open by population: " + ", ".join(f"{p} {n:,}" for p, n in sorted(made["populations"].items())))

        user = _reception_user()
        results = _measure_board(user, port_code=made["facilities"][0].code, repeats=args.requests,
                                 profile=args.profile)
        _print_board(results, made["open"], args.sql)
        _measure_clocks(CLOCK_JOURNEYS, 5)
    finally:
        _drop_database(args.admin_url)
        print(f"\ndatabase {BENCH_DB} dropped")


if __name__ == "__main__":
    main()
