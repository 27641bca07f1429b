import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.core.custody import clocks as c
from corredor.core.custody.populations import Population, classify
from corredor.core.custody.rules import RuleError, load_rules
from corredor.core.custody.timeline import Interval, check_arrival, check_departure, check_transfer
from corredor.core.registry.family import ChildStatus

RULES = load_rules()
UC = next(r for r in RULES if r.id == "uc-orr-placement")
TEDS = next(r for r in RULES if r.id == "cbp-teds")
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def test_default_rules_are_ordered_and_sourced():
    assert {r.id for r in RULES} == {"uc-orr-placement", "cbp-teds", "family-reception"}
    for r in RULES:
        assert r.warning_hours < r.escalation_hours < r.limit_hours
        assert r.source and r.label_es and r.label_en


@pytest.mark.parametrize("text,needle", [
    ("- {id: a, applies_to: all, counted_facility_kinds: [port], warning_hours: 60, escalation_hours: 50, "
     "limit_hours: 72, label: {en: a, es: a}, source: s}", "warning_hours < escalation_hours < limit_hours"),
    ("- {id: a, applies_to: nobody, counted_facility_kinds: [port], warning_hours: 1, escalation_hours: 2, "
     "limit_hours: 3, label: {en: a, es: a}, source: s}", "applies_to"),
    ("- {id: a, applies_to: all, counted_facility_kinds: [jail], warning_hours: 1, escalation_hours: 2, "
     "limit_hours: 3, label: {en: a, es: a}, source: s}", "counted_facility_kinds"),
    ("- {id: a, applies_to: all, counted_facility_kinds: [port], warning_hours: '1', escalation_hours: 2, "
     "limit_hours: 3, label: {en: a, es: a}, source: s}", "warning_hours must be a number"),
    ("- {id: a, colour: red, applies_to: all, counted_facility_kinds: [port], warning_hours: 1, "
     "escalation_hours: 2, limit_hours: 3, label: {en: a, es: a}, source: s}", "unknown key(s) colour"),
    ("[]", "non-empty list"),
])
def test_bad_rule_files_name_the_rule_and_key(text, needle):
    with pytest.raises(RuleError) as err:
        load_rules(text)
    assert needle in str(err.value)


def journey(kinds_and_hours, end=None):
    """Stays from (kind, arrival offset hours, departure offset hours or None)."""
    return [c.Stay(k, T0 + a * H, None if d is None else T0 + d * H) for k, a, d in kinds_and_hours]


def test_transfers_between_counted_facilities_never_reset_the_clock():
    stays = journey([("port", 0, 10), ("bp_station", 12, 30), ("jpc", 31, None)])
    clock = c.clock(UC, started_at=T0, stays=stays, ended_at=None, now=T0 + 50 * H)
    assert clock is not None and clock.running
    assert clock.elapsed == 50 * H and clock.level is c.Level.WARNING
    assert clock.remaining == 22 * H


def test_arrival_at_orr_stops_the_child_clock_and_cbp_clock_stops_at_the_jpc():
    stays = journey([("port", 0, 20), ("jpc", 22, 60), ("orr_shelter", 65, None)])
    uc = c.clock(UC, started_at=T0, stays=stays, ended_at=None, now=T0 + 100 * H)
    teds = c.clock(TEDS, started_at=T0, stays=stays, ended_at=None, now=T0 + 100 * H)
    assert uc is not None and uc.stopped_at == T0 + 65 * H and uc.level is c.Level.MET
    assert teds is not None and teds.stopped_at == T0 + 22 * H and teds.level is c.Level.MET


def test_breach_after_the_limit_and_levels_in_order():
    stays = journey([("jpc", 0, None)])
    levels = [c.clock(UC, started_at=T0, stays=stays, ended_at=None, now=T0 + h * H).level
              for h in (0, 47.9, 48, 59.9, 60, 72, 72.01)]
    assert levels == [c.Level.RUNNING, c.Level.RUNNING, c.Level.WARNING, c.Level.WARNING, c.Level.ESCALATED,
                      c.Level.ESCALATED, c.Level.BREACHED]
    ended = c.clock(UC, started_at=T0, stays=journey([("jpc", 0, 80)]), ended_at=T0 + 80 * H, now=T0 + 90 * H)
    assert ended is not None and ended.level is c.Level.BREACHED and not ended.running


def test_rule_does_not_apply_when_the_journey_did_not_start_in_a_counted_facility():
    assert c.clock(TEDS, started_at=T0, stays=journey([("jpc", 0, None)]), ended_at=None, now=T0 + H) is None
    found = c.clocks(RULES, population=Population.SINGLE_MEN, started_at=T0,
                     stays=journey([("port", 0, None)]), ended_at=None, now=T0 + H)
    assert [k.rule.id for k in found] == ["cbp-teds"]


segments = st.lists(st.tuples(st.sampled_from(["port", "bp_station", "jpc"]), st.floats(0, 30), st.floats(0, 6)),
                    min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(segments, st.floats(0, 200))
def test_property_transfers_never_reset(segs, later):
    """Splitting a stay in counted facilities into transfers gives the same clock as one long stay."""
    stays, t = [], 0.0
    for kind, length, transit in segs:
        stays.append(c.Stay(kind, T0 + t * H, T0 + (t + length) * H))
        t += length + transit
    stays[-1] = c.Stay(stays[-1].facility_kind, stays[-1].arrived_at, None)
    now = T0 + (t + later) * H
    for rule in RULES:
        if stays[0].facility_kind not in rule.counted_facility_kinds:
            continue
        split = c.clock(rule, started_at=T0, stays=stays, ended_at=None, now=now)
        kinds = [s.facility_kind for s in stays]
        if all(k in rule.counted_facility_kinds for k in kinds):
            whole = c.clock(rule, started_at=T0, stays=[c.Stay(kinds[0], T0)], ended_at=None, now=now)
            assert split is not None and whole is not None
            assert split.elapsed == whole.elapsed and split.level == whole.level
        assert split is not None and split.elapsed <= now - T0


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 500), st.booleans())
def test_property_scalar_and_array_levels_agree(hours, running):
    for rule in RULES:
        start = T0.timestamp()
        stopped = np.array([np.nan if running else start + hours * 3600])
        arrays = c.clock_arrays(rule, started_at=np.array([start]), stopped_at=stopped,
                                now=start + (hours if running else 999) * 3600)
        assert arrays.level[0] == c.level_for(rule, hours, running)


@pytest.mark.parametrize("zone,arrival,deadline_local", [
    # spring forward (2nd Sunday of March 2026 = 8 March): one wall-clock hour disappears
    ("America/Tijuana", dt.datetime(2026, 3, 7, 20, 0), dt.datetime(2026, 3, 10, 21, 0)),
    ("America/Chicago", dt.datetime(2026, 3, 7, 20, 0), dt.datetime(2026, 3, 10, 21, 0)),
    # fall back (1st Sunday of November 2026 = 1 November): one wall-clock hour repeats
    ("America/Tijuana", dt.datetime(2026, 10, 31, 20, 0), dt.datetime(2026, 11, 3, 19, 0)),
    ("America/Chicago", dt.datetime(2026, 10, 31, 20, 0), dt.datetime(2026, 11, 3, 19, 0)),
    # Arizona keeps standard time all year: no shift either way
    ("America/Phoenix", dt.datetime(2026, 3, 7, 20, 0), dt.datetime(2026, 3, 10, 20, 0)),
    ("America/Phoenix", dt.datetime(2026, 10, 31, 20, 0), dt.datetime(2026, 11, 3, 20, 0)),
])
def test_deadlines_across_daylight_saving_changes(zone, arrival, deadline_local):
    start = arrival.replace(tzinfo=ZoneInfo(zone))
    clock = c.clock(UC, started_at=start, stays=[c.Stay("port", start)], ended_at=None, now=start + H)
    assert clock is not None
    shown = c.local_time(clock.deadline, zone)
    assert shown.replace(tzinfo=None) == deadline_local
    assert clock.deadline - start == 72 * H  # real elapsed time, whatever the wall clock does


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        c.clock(UC, started_at=dt.datetime(2026, 1, 1), stays=[c.Stay("port", T0)], ended_at=None, now=T0)


def test_impossible_timelines_are_refused():
    now = T0 + 100 * H
    open_stay = Interval("JPC Demo", T0, None)
    assert check_arrival([open_stay], facility="X", arrived_at=T0 + H, now=now)[0][1].startswith("Already in custody")
    closed = Interval("Port", T0, T0 + 10 * H)
    assert "Overlaps" in check_arrival([closed], facility="X", arrived_at=T0 + 5 * H, now=now)[0][1]
    assert "future" in check_arrival([], facility="X", arrived_at=now + 2 * H, now=now)[0][1]
    assert check_arrival([closed], facility="X", arrived_at=T0 + 11 * H, now=now) == []
    current = Interval("Port", T0 + 5 * H, None)
    assert "before the arrival" in check_departure(current, departed_at=T0, now=now)[0][1]
    problems = check_transfer(current, departed_at=T0 + 6 * H, arrived_at=T0 + 5.5 * H, destination="JPC", now=now)
    assert problems == [("arrived_at", problems[0][1])] and "before the departure" in problems[0][1]
    assert check_transfer(current, departed_at=T0 + 6 * H, arrived_at=None, destination="Port", now=now)


@pytest.mark.parametrize("sex,age,status,unit,adult,expected", [
    ("male", 15, ChildStatus.UNACCOMPANIED, False, False, Population.UC_BOYS_13_17),
    ("female", 9, ChildStatus.SEPARATED, False, True, Population.UC_GIRLS_0_12),  # with an aunt: unaccompanied
    ("female", None, ChildStatus.AGE_UNKNOWN, False, False, Population.UC_OTHER),  # benefit of the doubt
    ("female", None, ChildStatus.AGE_UNKNOWN, True, True, Population.FAMILIES),
    ("male", 7, ChildStatus.ACCOMPANIED, True, True, Population.FAMILIES),
    ("female", 34, ChildStatus.NOT_A_CHILD, True, False, Population.FAMILIES),  # a mother with her child
    ("female", 30, ChildStatus.NOT_A_CHILD, False, True, Population.SINGLE_WOMEN),  # the aunt of a separated child
    ("male", 34, ChildStatus.NOT_A_CHILD, False, False, Population.SINGLE_MEN),
    ("unknown", 30, ChildStatus.NOT_A_CHILD, False, False, Population.SINGLE_ADULTS_OTHER),
])
def test_population_classification(sex, age, status, unit, adult, expected):
    assert classify(sex=sex, age=age, child_status=status, family_unit=unit, adult_present=adult) is expected


def test_hundred_thousand_clocks_in_one_pass():
    """The batch path on a registry-sized input agrees with the scalar rule (the timing is in benchmarks/)."""
    rng = np.random.default_rng(1)
    now = T0.timestamp()
    starts = now - rng.uniform(0, 100 * 3600, 100_000)
    stops = np.where(rng.random(100_000) < 0.3, starts + rng.uniform(0, 90 * 3600, 100_000), np.nan)
    arrays = c.clock_arrays(UC, started_at=starts, stopped_at=stops, now=now)
    assert arrays.level.shape == (100_000,)
    assert set(np.unique(arrays.level)) <= {int(v) for v in c.Level}
    for k in range(0, 100_000, 997):
        hours = ((now if np.isnan(stops[k]) else stops[k]) - starts[k]) / 3600
        assert arrays.level[k] == c.level_for(UC, hours, bool(np.isnan(stops[k])))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([p.value for p in Population]), segments, st.floats(0, 200),
                          st.booleans()), min_size=1, max_size=8))
def test_property_many_clocks_equal_one_by_one(journeys):
    built = []
    for population, segs, _later, ended in journeys:
        stays, t = [], 0.0
        for kind, length, transit in segs:
            stays.append(c.Stay(kind, T0 + t * H, T0 + (t + length) * H))
            t += length + transit
        end = T0 + t * H if ended else None
        if not ended:
            stays[-1] = c.Stay(stays[-1].facility_kind, stays[-1].arrived_at, None)
        built.append(c.Journey(population, T0, stays, end))
    now = T0 + 300 * H
    many = c.clocks_many(RULES, built, now)
    for journey, found in zip(built, many, strict=True):
        one = c.clocks(RULES, population=journey.population, started_at=journey.started_at, stays=journey.stays,
                       ended_at=journey.ended_at, now=now)
        assert [(k.rule.id, k.level, k.stopped_at) for k in found] == [(k.rule.id, k.level, k.stopped_at) for k in one]
        assert all(abs((a.elapsed - b.elapsed).total_seconds()) < 1e-3 for a, b in zip(found, one, strict=True))
