"""Executors: serial, local processes and a Dask cluster give identical replications for a seed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from corredor.core.simulation.executors import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    run_replications,
    simulate,
)
from corredor.core.simulation.results import ReplicationResult
from corredor.core.simulation.scenario import Scenario, with_changes


@pytest.fixture(scope="module")
def tiny(small: Scenario) -> Scenario:
    return with_changes(small, horizon=20)


def _same(a: list[ReplicationResult], b: list[ReplicationResult]) -> bool:
    return len(a) == len(b) and all(
        x.metrics == y.metrics and all(np.array_equal(x.series[k], y.series[k]) for k in x.series)
        for x, y in zip(a, b, strict=True))


def test_progress_is_reported_after_each_replication(tiny: Scenario) -> None:
    seen: list[tuple[int, int]] = []
    results = run_replications(tiny, 4, 11, SerialExecutor(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len({r.metrics["flow.arrivals"] for r in results}) > 1  # distinct replications


def test_a_seed_is_required(tiny: Scenario) -> None:
    no_seed = dataclasses.replace(tiny, seed=None)
    with pytest.raises(ValueError, match="seed is required"):
        run_replications(no_seed, 2)
    assert run_replications(tiny, 1)[0].metrics == run_replications(tiny, 1, tiny.seed)[0].metrics
    with pytest.raises(ValueError):
        run_replications(tiny, 0, 1)


def test_processes_and_dask_give_the_serial_results(tiny: Scenario) -> None:
    from distributed import Client, LocalCluster

    serial = run_replications(tiny, 4, 21, SerialExecutor())
    with ProcessExecutor(2) as processes:
        assert _same(run_replications(tiny, 4, 21, processes), serial)
        assert _same(run_replications(tiny, 4, 21, processes), serial)  # the pool is reused
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dask = DaskExecutor(client)
        assert _same(run_replications(tiny, 4, 21, dask), serial)
        summary = simulate(tiny, 4, 21, dask)
        assert summary.replications == 4 and summary.seed == 21
        by_address = DaskExecutor(cluster.scheduler_address)
        try:
            assert _same(run_replications(tiny, 2, 21, by_address), serial[:2])
        finally:
            by_address.close()
