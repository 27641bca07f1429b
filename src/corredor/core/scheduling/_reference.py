"""The reference engine: the allocation rules written as plainly as possible.

Day by day it walks the whole queue for each pool, and it decides "out of order" from the definition
rather than from bookkeeping. It costs O(days x cases) and O(cases^2) for the out-of-order check, so it
serves tests and small instances; `_fast` must give the same placement on every input.
"""

from __future__ import annotations

import random

from ._model import VIA_ARRIVAL, VIA_LOTTERY, VIA_RESERVE, Instance, Placement, usable_ports


def place(inst: Instance, backfill: bool, rng: random.Random) -> Placement:
    """Place every schedulable case, following the rules in `allocator`'s module docstring."""
    n = len(inst.size)
    n_ports = len(inst.ports)
    sizes: list[int] = inst.size.tolist()
    nb: list[int] = inst.nb.tolist()
    expedite: list[bool] = inst.expedite.tolist()
    schedulable: list[bool] = inst.schedulable.tolist()
    day = [-1] * n
    port = [-1] * n
    via = [-1] * n
    ports_of = [inst.classes[c] for c in inst.cls.tolist()]
    reserve_rows: list[list[int]] = inst.reserve.tolist()
    lottery_rows: list[list[int]] = inst.lottery.tolist()
    general_rows: list[list[int]] = inst.general.tolist()

    def serve(d: int, avail: list[int], limit: list[int], candidates: list[int], how: int) -> None:
        blocked = [False] * n_ports
        for r in candidates:
            for p in ports_of[r]:
                if not blocked[p] and avail[p] >= sizes[r]:
                    avail[p] -= sizes[r]
                    day[r], port[r], via[r] = d, p, how
                    break
            else:
                if not backfill:
                    # Strict order: nobody behind this party may use the seats it is waiting for today.
                    for p in usable_ports(ports_of[r], sizes[r], limit):
                        blocked[p] = True

    for d in range(len(inst.days)):

        def waiting(r: int, day_id: int = d) -> bool:
            return schedulable[r] and day[r] < 0 and nb[r] <= day_id

        reserve = [reserve_rows[p][d] for p in range(n_ports)]
        serve(d, reserve, inst.max_reserve, [r for r in range(n) if waiting(r) and expedite[r]], VIA_RESERVE)
        general = [general_rows[p][d] + reserve[p] for p in range(n_ports)]  # unused reserve is released

        for p in range(n_ports):
            room = lottery_rows[p][d]
            while room > 0:
                pool = sorted((sizes[r], r) for r in range(n) if waiting(r) and p in ports_of[r] and sizes[r] <= room)
                if not pool:
                    break
                size, r = pool[rng.randrange(len(pool))]
                day[r], port[r], via[r] = d, p, VIA_LOTTERY
                room -= size
            general[p] += room  # undrawn lottery seats are released too

        serve(d, general, inst.max_open, [r for r in range(n) if waiting(r)], VIA_ARRIVAL)

    def jumped(b: int) -> bool:
        """The definition: a case ahead of b, waiting for the same pool at b's port that day, ended later or nowhere."""
        if via[b] not in (VIA_RESERVE, VIA_ARRIVAL):
            return False
        reserve = via[b] == VIA_RESERVE
        limit = inst.max_reserve if reserve else inst.max_open
        d, p = day[b], port[b]
        for a in range(b):
            if not schedulable[a] or nb[a] > d or (reserve and not expedite[a]):
                continue
            if p in usable_ports(ports_of[a], sizes[a], limit) and (day[a] < 0 or day[a] > d):
                return True
        return False

    return Placement(day=day, port=port, via=via, out_of_order=[jumped(b) for b in range(n)])
