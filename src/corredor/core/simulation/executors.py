"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

An executor has one method, ``map(fn, items)``, returning the results in the order of `items` as an
iterator (so a caller can report progress as they come). `fn` and the items must be picklable for the
process and Dask executors: module-level functions and plain data, as `run_replications` uses.

Results never depend on the executor: replication i always draws from ``SeedSequence(seed,
spawn_key=(i,))``, whichever worker runs it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from .engine import simulate_replication
from .results import ReplicationResult, Summary, summarise
from .scenario import Scenario

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]  # (replications done, replications in total)


class Executor(Protocol):
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class SerialExecutor:
    """Runs everything in the calling process."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        return None


class ProcessExecutor:
    """Local worker processes (spawned, so it is safe from threads and servers). Reuses its pool until closed;
    use it as a context manager or call `close()`."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pool = self._get_pool()
        futures = [pool.submit(fn, item) for item in items]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskExecutor:
    """A Dask distributed cluster: give a scheduler address ("tcp://host:8786") or a `distributed.Client`.

    `distributed` is imported only here, so the rest of the simulator does not need it installed. The
    workers must be able to import `corredor` (the same environment as this process).
    """

    def __init__(self, address_or_client: Any) -> None:
        from distributed import Client

        if isinstance(address_or_client, Client):
            self.client = address_or_client
            self._owns_client = False
        else:
            self.client = Client(address_or_client)
            self._owns_client = True

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        futures = self.client.map(fn, list(items), pure=False)
        try:
            for future in futures:
                yield future.result()
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _replicate(task: tuple[Scenario, int, int]) -> ReplicationResult:
    scenario, seed, replication = task
    return simulate_replication(scenario, seed, replication)


def resolve_seed(scenario: Scenario, seed: int | None) -> int:
    """The explicit seed, or the scenario's; one of them is required."""
    chosen = seed if seed is not None else scenario.seed
    if chosen is None:
        raise ValueError("a seed is required: pass seed=... or set 'seed' in the scenario")
    return chosen


def run_replications(scenario: Scenario, replications: int, seed: int | None = None,
                     executor: Executor | None = None, progress: Progress | None = None) -> list[ReplicationResult]:
    """Replications 0 .. n-1 of the scenario, in order. `progress(done, total)` is called after each one."""
    if replications < 1:
        raise ValueError("replications must be >= 1")
    base = resolve_seed(scenario, seed)
    runner: Executor = executor if executor is not None else SerialExecutor()
    results: list[ReplicationResult] = []
    for result in runner.map(_replicate, [(scenario, base, i) for i in range(replications)]):
        results.append(result)
        if progress is not None:
            progress(len(results), replications)
    return results


def simulate(scenario: Scenario, replications: int, seed: int | None = None, executor: Executor | None = None,
             progress: Progress | None = None) -> Summary:
    """Run and summarise: mean and 90% interval of every series and metric."""
    base = resolve_seed(scenario, seed)
    return summarise(run_replications(scenario, replications, base, executor, progress), seed=base)
