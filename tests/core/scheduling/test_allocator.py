"""The allocator's rules on small, hand-made examples, and its explanations."""

from __future__ import annotations

import gc
import json
import random
from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta

import pytest

from corredor.core.scheduling import _compiled, _fast, allocator
from corredor.core.scheduling.allocator import (
    AllocationResult,
    Assignment,
    ExistingAppointment,
    Policy,
    PortDay,
    Unassigned,
    WaitingCase,
    allocate,
    allocate_reference,
)

from .conftest import allocate_compiled, placement_lists

D0 = date(2026, 5, 4)
D1, D2, D3 = D0 + timedelta(days=1), D0 + timedelta(days=2), D0 + timedelta(days=3)
FIFO = Policy(expedite_share=0.0)
STRICT = Policy(expedite_share=0.0, backfill=False)


def case(case_id: int, size: int = 1, line: date = date(2024, 1, 1), ports: tuple[str, ...] = ("SYS",),
         **extra: object) -> WaitingCase:
    return WaitingCase(case_id=case_id, party_size=size, place_in_line=line, tiebreak=case_id, ports=ports,
                       **extra)  # type: ignore[arg-type]


def cap(port: str, *seats: int, start: date = D0) -> list[PortDay]:
    return [PortDay(port, start + timedelta(days=i), s) for i, s in enumerate(seats)]


def placed(result: AllocationResult) -> dict[int, tuple[str, date]]:
    return {a.case_id: (a.port, a.day) for a in result.assignments}


def by_id(result: AllocationResult) -> dict[int, Assignment | Unassigned]:
    return {x.case_id: x for x in (*result.assignments, *result.unassigned)}


def both(*args: object, **kwargs: object) -> AllocationResult:
    """Run every engine and insist they agree: `allocate` (the Python engine at this size), the reference
    engine and the compiled one."""
    fast = allocate(*args, **kwargs)  # type: ignore[arg-type]
    assert fast == allocate_reference(*args, **kwargs)  # type: ignore[arg-type]
    assert fast == allocate_compiled(*args, **kwargs)  # type: ignore[arg-type]
    return fast


# --- queue order ------------------------------------------------------------------------------------------

def test_queue_order_is_rescheduled_then_place_in_line_then_tiebreak() -> None:
    cases = [
        WaitingCase(1, 1, date(2024, 3, 1), 0, ("SYS",)),
        WaitingCase(2, 1, date(2024, 1, 1), 5, ("SYS",)),
        WaitingCase(3, 1, date(2024, 1, 1), 2, ("SYS",)),
        WaitingCase(4, 1, date(2025, 1, 1), 9, ("SYS",), rescheduled=True),
        WaitingCase(5, 1, date(2023, 1, 1), 0, ("SYS",), ready=False, not_ready_reason="in hospital"),
    ]
    result = both(cases, cap("SYS", 1, 1, 1, 1), [], FIFO)
    assert [(a.case_id, a.day) for a in result.assignments] == [(4, D0), (3, D1), (2, D2), (1, D3)]
    assert [a.position for a in result.assignments] == [1, 3, 4, 5]
    (waiting,) = result.unassigned
    assert (waiting.case_id, waiting.position, waiting.code) == (5, 2, "not_ready")
    assert waiting.reason == "not ready to be scheduled: in hospital; keeps its place in line"


def test_input_order_does_not_matter_and_equal_keys_fall_back_to_case_id() -> None:
    cases = [WaitingCase(i, 1, date(2024, 1, 1), 0, ("SYS",)) for i in (30, 10, 20)]
    result = both(cases, cap("SYS", 1, 1, 1), [], FIFO)
    assert [a.case_id for a in result.assignments] == [10, 20, 30]
    assert result == both(list(reversed(cases)), cap("SYS", 1, 1, 1), [], FIFO)


# --- capacity, families, ports --------------------------------------------------------------------------

def test_a_family_is_never_split_and_a_smaller_party_behind_may_backfill() -> None:
    cases = [case(1, size=4), case(2, size=1), case(3, size=2)]
    result = both(cases, cap("SYS", 3, 4), [], FIFO)
    assert placed(result) == {1: ("SYS", D1), 2: ("SYS", D0), 3: ("SYS", D0)}
    jumped = by_id(result)
    assert jumped[2].out_of_order and jumped[3].out_of_order  # type: ignore[union-attr]
    assert not jumped[1].out_of_order  # type: ignore[union-attr]
    assert result.stats["out_of_order"] == 2
    assert "took seats an earlier, larger party could not use that day" in jumped[2].reason


def test_strict_order_leaves_the_seats_empty_rather_than_let_anyone_pass() -> None:
    cases = [case(1, size=4), case(2, size=1), case(3, size=2)]
    result = both(cases, cap("SYS", 3, 4, 3), [], STRICT)
    assert placed(result) == {1: ("SYS", D1), 2: ("SYS", D2), 3: ("SYS", D2)}
    assert result.stats["out_of_order"] == 0
    assert result.stats["utilisation"][0] == {  # type: ignore[index]
        "port": "SYS", "day": D0.isoformat(), "used": 0, "capacity": 3, "existing": 0, "expedite_reserve": 0,
        "expedite_used": 0, "lottery_seats": 0, "lottery_used": 0}


def test_strict_order_only_holds_ports_the_waiting_party_could_ever_use() -> None:
    # The family of 5 fits SYS (5 on the last day) but never CLX (at most 3): it holds SYS, not CLX.
    cases = [case(1, size=5, ports=("SYS", "CLX")), case(2, ports=("SYS",)), case(3, ports=("CLX",))]
    result = both(cases, cap("SYS", 2, 5) + cap("CLX", 3, 3), [], STRICT)
    # Day 0: the family fits neither port and holds SYS only, so case 2 waits but case 3 takes CLX; on
    # day 1 the family fills SYS.
    assert placed(result) == {1: ("SYS", D1), 3: ("CLX", D0)}


def test_a_party_larger_than_any_port_day_is_reported_and_blocks_nobody() -> None:
    cases = [case(1, size=9, ports=("SYS", "CLX")), case(2)]
    result = both(cases, cap("SYS", 4, 4) + cap("CLX", 6), [], STRICT)
    assert placed(result) == {2: ("SYS", D0)}
    (too_large,) = result.unassigned
    assert too_large.code == "party_larger_than_any_port_day"
    assert too_large.reason.startswith("a party of 9 is larger than any day's capacity at SYS or CLX (at most 6)")


def test_first_listed_port_on_the_earliest_day_with_room() -> None:
    cases = [case(1, ports=("SYS", "CLX")), case(2, ports=("SYS", "CLX")), case(3, ports=("CLX", "SYS"))]
    result = both(cases, cap("SYS", 1, 1) + cap("CLX", 1, 1), [], FIFO)
    assert placed(result) == {1: ("SYS", D0), 2: ("CLX", D0), 3: ("CLX", D1)}
    second = by_id(result)[2]
    assert isinstance(second, Assignment) and second.port_choice == 2
    assert second.reason == ("position 2 in line since 2024-01-01; second-choice port because the first was "
                             f"full until {D1.isoformat()}")
    assert second.reason_parts["earlier_choices_full"] == ({"port": "SYS", "choice": 1,
                                                            "full_until": D1.isoformat()},)


def test_second_choice_reason_when_the_first_never_frees_up() -> None:
    cases = [case(1, ports=("SYS",)), case(2, ports=("SYS", "NOG", "CLX"))]
    result = both(cases, cap("SYS", 1) + cap("NOG", 0) + cap("CLX", 1), [], FIFO)
    third = by_id(result)[2]
    assert isinstance(third, Assignment) and third.port_choice == 3
    assert third.reason.endswith(f"third-choice port because the first was full through {D0.isoformat()} and "
                                 f"the second full through {D0.isoformat()}")


def test_not_before_is_respected() -> None:
    cases = [case(1, not_before=D2), case(2)]
    result = both(cases, cap("SYS", 1, 1, 1), [], FIFO)
    assert placed(result) == {1: ("SYS", D2), 2: ("SYS", D0)}
    assert by_id(result)[1].reason.endswith(f"; not before {D2.isoformat()}")
    # Nobody jumped case 1 on the first two days: it could not come then.
    assert not by_id(result)[2].out_of_order  # type: ignore[union-attr]


def test_days_come_from_capacity_and_a_missing_port_day_is_closed() -> None:
    capacity = [PortDay("SYS", D0, 1), PortDay("CLX", D2, 1)]  # SYS on D2 and CLX on D0 are not published
    result = both([case(1, ports=("CLX",)), case(2, ports=("SYS",)), case(3, ports=("SYS",))], capacity, [], FIFO)
    assert placed(result) == {1: ("CLX", D2), 2: ("SYS", D0)}
    assert by_id(result)[3].code == "no_capacity_in_horizon"  # type: ignore[union-attr]
    assert by_id(result)[3].reason == (f"no day through {D2.isoformat()} had room for one person at SYS; "
                                       "keeps its place in line")


def test_no_open_day_after_not_before() -> None:
    result = both([case(1, size=2, not_before=D3)], cap("SYS", 5, 5), [], FIFO)
    (waiting,) = result.unassigned
    assert waiting.code == "no_capacity_in_horizon"
    assert waiting.reason.startswith("no open day at SYS on or after its not-before day")


# --- existing appointments -------------------------------------------------------------------------------

def test_existing_appointments_consume_capacity_and_are_never_moved() -> None:
    existing = [ExistingAppointment(1, "SYS", D0, 2), ExistingAppointment(99, "SYS", D1, 1)]
    cases = [case(1, size=2), case(2), case(3), case(4)]
    result = both(cases, cap("SYS", 3, 2), existing, FIFO)
    assert placed(result) == {2: ("SYS", D0), 3: ("SYS", D1)}
    scheduled = by_id(result)[1]
    assert scheduled.code == "already_scheduled"  # type: ignore[union-attr]
    assert scheduled.reason == f"already has a published appointment at SYS on {D0.isoformat()}; it is never moved"
    assert scheduled.position == 1
    used = {row["day"]: row["used"] for row in result.stats["utilisation"]}  # type: ignore[attr-defined]
    assert used == {D0.isoformat(): 3, D1.isoformat(): 2}


def test_existing_appointments_beyond_capacity_are_reported() -> None:
    existing = [ExistingAppointment(7, "SYS", D0, 5)]
    result = both([case(1)], cap("SYS", 3, 1), existing, FIFO)
    assert placed(result) == {1: ("SYS", D1)}
    assert result.stats["existing_over_capacity"] == [{"port": "SYS", "day": D0.isoformat(), "existing": 5,
                                                       "capacity": 3}]


# --- expedite reserve ------------------------------------------------------------------------------------

def test_the_reserve_goes_to_expedited_cases_first_and_unused_seats_are_released() -> None:
    cases = [case(1), case(2), case(3), case(4),
             case(5, line=date(2025, 1, 1), expedite=True, expedite_reason="unaccompanied child")]
    result = both(cases, cap("SYS", 5, 5), [], Policy(expedite_share=0.2))
    assert placed(result)[5] == ("SYS", D0)
    child = by_id(result)[5]
    assert isinstance(child, Assignment) and child.via == "expedite_reserve"
    assert child.reason == "position 5 in line since 2025-01-01; expedited: unaccompanied child (expedite reserve)"
    assert child.reason_parts["expedite_reason"] == "unaccompanied child"
    # Without expedited cases the reserved seat is released to the line.
    plain = both([replace(c, expedite=False) for c in cases], cap("SYS", 5, 5), [], Policy(expedite_share=0.2))
    assert all(a.day == D0 for a in plain.assignments)
    assert plain.stats["expedite_persons"] == 0


def test_an_expedited_case_also_keeps_its_normal_place_in_line() -> None:
    # The reserve (1 seat) goes to the earlier expedited case; the later one still gets a general seat by
    # its own position, ahead of a non-expedited case behind it.
    cases = [case(1, expedite=True), case(2, expedite=True), case(3)]
    result = both(cases, cap("SYS", 5), [], Policy(expedite_share=0.2))
    vias = {a.case_id: a.via for a in result.assignments}
    assert vias == {1: "expedite_reserve", 2: "arrival_order", 3: "arrival_order"}


def test_reserve_shares_use_exact_decimal_arithmetic() -> None:
    # floor(100 * 0.29) must be 29; in binary floating point 100 * 0.29 is 28.999999999999996.
    result = both([case(1)], cap("SYS", 100), [], Policy(expedite_share=0.29))
    assert result.stats["utilisation"][0]["expedite_reserve"] == 29  # type: ignore[index]


def test_out_of_order_inside_the_reserve() -> None:
    # An expedited family of 3 cannot fit the 2 reserve seats; an expedited single behind it takes one and
    # the family is still waiting at the end of the day (general seats are full): that is a jump.
    cases = [case(1, size=3, expedite=True), case(2, line=date(2025, 1, 1), expedite=True)]
    # (The next day's reserve of 4 could seat the family, so it is waiting for reserve seats at SYS.)
    capacity, existing = cap("SYS", 4, 8), [ExistingAppointment(50, "SYS", D0, 1)]
    result = both(cases, capacity, existing, Policy(expedite_share=0.5, backfill=True))
    single = by_id(result)[2]
    assert isinstance(single, Assignment) and single.via == "expedite_reserve" and single.out_of_order
    assert placed(result)[1] == ("SYS", D1)
    # Strict order holds the reserve for the family; the unused reserve is released to the general pool,
    # where the family, first in line, now fits the same day. The single waits for the next day.
    strict = both(cases, capacity, existing, Policy(expedite_share=0.5, backfill=False))
    assert not any(a.out_of_order for a in strict.assignments)
    assert placed(strict) == {1: ("SYS", D0), 2: ("SYS", D1)}
    assert by_id(strict)[1].via == "arrival_order"  # type: ignore[union-attr]
    # A family that no day's reserve could ever seat holds nothing and nobody jumps it.
    small = both(cases, cap("SYS", 4, 5), existing, Policy(expedite_share=0.5, backfill=True))
    assert by_id(small)[2].via == "expedite_reserve" and not by_id(small)[2].out_of_order  # type: ignore[union-attr]


# --- lottery ---------------------------------------------------------------------------------------------

def test_lottery_follows_the_documented_draw() -> None:
    cases = [case(i, size=1 + (i == 3)) for i in range(1, 7)]
    policy = Policy(expedite_share=0.0, lottery_share=0.5)
    result = both(cases, cap("SYS", 4), [], policy, seed=42)
    # Redo the draw by hand: candidates ordered by (party size, queue position), rng.randrange on the list.
    rng = random.Random(42)
    pool = sorted(cases, key=lambda c: (c.party_size, c.case_id))
    room, won = 2, []
    while room > 0:
        fitting = [c for c in pool if c.party_size <= room]
        if not fitting:
            break
        pick = fitting[rng.randrange(len(fitting))]
        pool.remove(pick)
        won.append(pick.case_id)
        room -= pick.party_size
    lottery = [a.case_id for a in result.assignments if a.via == "lottery"]
    assert sorted(lottery) == sorted(won)
    for a in result.assignments:
        if a.via == "lottery":
            assert "; lottery draw" in a.reason
    assert result.stats["lottery_persons"] == sum(c.party_size for c in cases if c.case_id in won)
    # The rest of the day's seats go in queue order.
    general = [a.case_id for a in result.assignments if a.via == "arrival_order"]
    assert general == [c.case_id for c in cases if c.case_id not in won][: len(general)]


def test_huge_parties_and_a_lottery_agree_in_every_engine() -> None:
    # Party sizes in the tens of thousands: the compiled engine numbers its queues and lottery groups by
    # sorting instead of through a table over (list, size).
    cases = [case(i, size=[1, 70_000, 3, 90_000, 2][i % 5], ports=(("SYS",), ("SYS", "CLX"), ("CLX",))[i % 3],
                  expedite=i % 4 == 0) for i in range(1, 40)]
    for policy in (Policy(expedite_share=0.2, lottery_share=0.3), Policy(lottery_share=0.5, backfill=False)):
        result = both(cases, cap("SYS", 100_000, 5, 80_000) + cap("CLX", 4, 95_000), [], policy, seed=9)
        assert result.stats["lottery_persons"]


def test_a_generator_other_than_random_random_draws_in_python() -> None:
    class Counted(random.Random):
        pass

    cases = [case(i, size=1 + i % 3) for i in range(1, 30)]
    prepared = allocator._prepare(cases, cap("SYS", 5, 4, 6), [], Policy(lottery_share=0.5))
    first, second = Counted(4), Counted(4)
    compiled = placement_lists(_compiled.place(prepared.inst, True, first))
    assert compiled == placement_lists(_fast.place(prepared.inst, True, second))
    assert first.getstate() == second.getstate()


def test_the_seed_changes_the_lottery_and_only_the_lottery() -> None:
    cases = [case(i) for i in range(1, 41)]
    policy = Policy(expedite_share=0.0, lottery_share=0.5)
    draws = {tuple(a.case_id for a in allocate(cases, cap("SYS", 10), [], policy, seed=s).assignments
                   if a.via == "lottery") for s in range(5)}
    assert len(draws) > 1
    no_lottery = [allocate(cases, cap("SYS", 10), [], FIFO, seed=s).assignments for s in range(3)]
    assert no_lottery[0] == no_lottery[1] == no_lottery[2]


# --- explanations ----------------------------------------------------------------------------------------

def test_reason_states_position_with_separators_date_expedite_family_and_port_choice() -> None:
    crowd = [case(i, line=date(2020, 1, 1)) for i in range(1, 1_234)]
    family = case(5_000, size=4, line=date(2020, 3, 2), ports=("SYS", "CLX"), expedite=True,
                  expedite_reason="serious medical condition")
    result = both([*crowd, family], cap("SYS", 1_233, 0, 4) + cap("CLX", 0, 4), [], FIFO)
    mine = by_id(result)[5_000]
    assert isinstance(mine, Assignment)
    assert (mine.port, mine.day, mine.position) == ("CLX", D1, 1_234)
    assert mine.reason == ("position 1,234 in line since 2020-03-02; expedited: serious medical condition; "
                           f"family of 4 kept together; second-choice port because the first was full until "
                           f"{D2.isoformat()}")
    assert mine.reason_parts == {
        "position": 1_234, "place_in_line": "2020-03-02", "rescheduled": False,
        "expedite_reason": "serious medical condition", "via": "arrival_order", "party_size": 4, "port_choice": 2,
        "earlier_choices_full": ({"port": "SYS", "choice": 1, "full_until": D2.isoformat()},),
        "out_of_order": False, "not_before": None,
    }
    json.dumps(mine.reason_parts)
    plain = by_id(result)[1]
    assert plain.reason == "position 1 in line since 2020-01-01"


def test_rescheduled_and_lottery_second_choice_wording() -> None:
    cases = [case(1, rescheduled=True), case(2, ports=("CLX", "SYS"))]
    result = both(cases, cap("SYS", 2) + cap("CLX", 0), [], Policy(expedite_share=0.0, lottery_share=0.5), seed=3)
    texts = {a.case_id: a.reason for a in result.assignments}
    assert "rescheduled by a coordinator, keeps its priority" in texts[1]
    lucky = [a for a in result.assignments if a.via == "lottery"]
    assert lucky
    for a in lucky:
        assert "lottery draw" in a.reason
        if a.port_choice == 2:
            assert "lottery draw at its second-choice port" in a.reason


def test_policy_description_in_english_and_spanish() -> None:
    policy = Policy(version="2026-2", expedite_share=0.25, lottery_share=0.1, backfill=False)
    english, spanish = policy.describe("en"), policy.describe("es")
    assert english.startswith("Appointment policy 2026-2.")
    assert "25% of each port's daily places are set aside" in english
    assert "10% of each port's daily places are drawn by lottery" in english
    assert "Strict order" in english
    assert spanish.startswith("Política de citas 2026-2.")
    assert "El 25 % de los lugares diarios" in spanish and "Orden estricto" in spanish
    assert "No places are drawn by lottery" in Policy().describe()
    with pytest.raises(ValueError, match="no description in 'fr'"):
        policy.describe("fr")


# --- inputs, outputs, purity -----------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "message"), [
    ({"expedite_share": -0.1}, "expedite_share must be between 0 and 1"),
    ({"lottery_share": float("nan")}, "lottery_share must be between 0 and 1"),
    ({"expedite_share": 0.6, "lottery_share": 0.5}, "must not exceed 1"),
    ({"version": ""}, "needs a version"),
])
def test_bad_policies_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Policy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cases", "capacity", "message"), [
    ([case(1), case(1)], cap("SYS", 1), "case 1 is listed twice"),
    ([case(1, size=0)], cap("SYS", 1), "at least one person"),
    ([case(1, size=2**31)], cap("SYS", 1), "not a party"),
    ([case(1, ports=())], cap("SYS", 1), "at least one port"),
    ([case(1, ports=("SYS", "SYS"))], cap("SYS", 1), "names a port twice"),
    ([case(1)], [PortDay("SYS", D0, 1), PortDay("SYS", D0, 2)], "twice"),
    ([case(1)], [PortDay("SYS", D0, -1)], "negative capacity"),
])
def test_malformed_input_is_refused(cases: list[WaitingCase], capacity: list[PortDay], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(cases, capacity, [], FIFO)


def test_unassigned_reasons_are_grouped_the_same_without_packed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = ("SYS", "CLX", "NOG")
    cases = [case(i, size=1 + i % 4, ports=(ports[i % 3], ports[(i + 1) % 3]), ready=i % 7 > 0,
                  not_before=D1 if i % 5 == 0 else None) for i in range(1, 60)]
    capacity = cap("SYS", 3, 0) + cap("CLX", 0, 2) + cap("NOG", 0, 0)
    packed = both(cases, capacity, [], FIFO)
    monkeypatch.setattr(allocator, "_PACK_LIMIT", 1)  # as if the key would overflow 64 bits
    assert both(cases, capacity, [], FIFO) == packed


def test_nothing_in_nothing_out() -> None:
    result = both([], [], [], Policy())
    assert result.assignments == () and result.unassigned == ()
    assert result.stats["assigned_cases"] == 0 and result.stats["horizon"] == []
    only_cases = both([case(1)], [], [], Policy())
    assert only_cases.unassigned[0].code == "no_capacity_in_horizon"
    closed = both([case(1, size=3)], cap("SYS", 0, 0), [], Policy())
    assert closed.unassigned[0].code == "no_capacity_in_horizon"
    assert closed.unassigned[0].reason.startswith(f"no open day at SYS on or after {D0.isoformat()}")


def test_stats_report_the_run() -> None:
    cases = [case(1, expedite=True), case(2, size=2), case(3, ready=False)]
    result = both(cases, cap("SYS", 5, 5), [], Policy(version="v9"), seed=123)
    stats = result.stats
    assert stats["policy_version"] == "v9" and stats["seed"] == 123
    assert stats["assigned_cases"] == 2 and stats["assigned_persons"] == 3
    assert stats["unassigned_by_code"] == {"not_ready": 1, "no_capacity_in_horizon": 0,
                                           "party_larger_than_any_port_day": 0, "already_scheduled": 0}
    assert stats["expedite_persons"] == 1 and stats["lottery_persons"] == 0
    assert stats["horizon"] == [D0.isoformat(), D1.isoformat()]
    assert [row["day"] for row in stats["utilisation"]] == [D0.isoformat(), D1.isoformat()]  # type: ignore[attr-defined]


def test_results_are_frozen_and_the_fast_builders_match_the_constructors() -> None:
    result = both([case(1), case(2, ready=False)], cap("SYS", 1), [], FIFO)
    with pytest.raises(FrozenInstanceError):
        result.assignments[0].day = D1  # type: ignore[misc]
    a, u = result.assignments[0], result.unassigned[0]
    assert a == Assignment(a.case_id, a.port, a.day, a.party_size, a.position, a.via, a.port_choice,
                           a.out_of_order, a.reason, a.reason_parts)
    assert u == Unassigned(u.case_id, u.position, u.code, u.reason)
    assert hash(u) == hash(Unassigned(u.case_id, u.position, u.code, u.reason))


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        allocate([case(1)], cap("SYS", 1), [], FIFO)
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError):
            allocate([case(1), case(1)], cap("SYS", 1), [], FIFO)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_the_core_module_reads_no_clock_and_no_django() -> None:
    source = open(allocator.__file__, encoding="utf-8").read()
    for forbidden in ("datetime.now", "date.today", "time.time", "django", "os.environ"):
        assert forbidden not in source
