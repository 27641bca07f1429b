"""Erlang C, and the M/M/c configuration of the reception stage against it (engine and SimPy).

The port stage is day-batched (a fixed number a day, evenly spaced), not M/M/c, so it has no Erlang check;
its exactness is checked against SimPy person by person instead. The reception stage is M/M/c when custody
starts at Poisson arrivals (pass-through mode), beds are the servers and the time in a bed is exponential.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from corredor.core.simulation.engine import simulate_replication
from corredor.core.simulation.erlang import erlang_b, erlang_c, mmc, mmc_check_scenario

from .conftest import assert_statistically_equal
from .simpy_reference import run_reference


def test_erlang_formulas_known_values() -> None:
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = rho
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # a textbook call-centre case: 10 agents, 8 erlangs -> about 40.9% wait
    assert erlang_c(10, 8.0) == pytest.approx(0.40918, abs=1e-4)
    queue = mmc(arrival_rate=0.5, mean_service=1.0, servers=1)  # M/M/1: Wq = rho / (mu - lambda)
    assert queue.mean_wait == pytest.approx(1.0)
    assert queue.mean_queue == pytest.approx(0.5)
    assert queue.wait_exceeds(2.0) == pytest.approx(0.5 * math.exp(-1.0))
    assert erlang_c(3, 3.5) == 1.0
    assert math.isinf(mmc(2.0, 1.0, 2).mean_wait)
    assert erlang_c(400, 380.0) == pytest.approx(erlang_c(400, 380.0))  # stable for many servers
    with pytest.raises(ValueError):
        erlang_b(-1, 1.0)


ARRIVALS_PER_DAY, MEAN_BED_HOURS, BEDS, DAYS, WARM_UP_DAYS = 48.0, 8.0, 18, 700, 30


def _waits(entry: np.ndarray, start: np.ndarray) -> tuple[float, float]:
    keep = (start > WARM_UP_DAYS * 24.0) & (entry < DAYS * 24.0)
    w = entry[keep] - start[keep]
    return float(w.mean()), float((w > 1e-12).mean())


def test_engine_and_simpy_match_erlang_c_on_the_reception_stage() -> None:
    theory = mmc(ARRIVALS_PER_DAY / 24.0, MEAN_BED_HOURS, BEDS)  # 16 erlangs on 18 beds: rho = 0.89
    scenario = mmc_check_scenario(ARRIVALS_PER_DAY, MEAN_BED_HOURS, BEDS, DAYS)
    engine_waits, engine_p = [], []
    for r in range(12):
        trace = simulate_replication(scenario, 77, r, keep_trace=True).trace
        assert trace is not None
        beds = trace.custody[0]
        mean, p_wait = _waits(beds.entry, beds.start)
        engine_waits.append(mean)
        engine_p.append(p_wait)
    simpy_waits, simpy_p = [], []
    for r in range(3):
        ref = run_reference(scenario, seed=r)
        entry = np.array([p.entry for p in ref.persons])
        start = np.array([p.custody_start for p in ref.persons])
        mean, p_wait = _waits(entry, start)
        simpy_waits.append(mean)
        simpy_p.append(p_wait)
    for name, sample, expected in (("engine mean wait", engine_waits, theory.mean_wait),
                                   ("engine P(wait)", engine_p, theory.wait_probability),
                                   ("SimPy mean wait", simpy_waits, theory.mean_wait),
                                   ("SimPy P(wait)", simpy_p, theory.wait_probability)):
        values = np.array(sample)
        se = values.std(ddof=1) / math.sqrt(values.size)
        assert abs(values.mean() - expected) <= 4 * se + 0.02 * expected, f"{name}: {values.mean()} vs {expected}"
    assert_statistically_equal("mean wait, engine vs SimPy", engine_waits, simpy_waits)
