"""The run queue: worker processes, FIFO queueing, progress, failures and cancellation."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from tests.app.conftest import SEED, SMALL_PATHS

from cliffwatch.app.jobs import FINAL_STATES, JobRequest, JobStatus, RunQueue
from cliffwatch.market.scenario import load_scenario
from cliffwatch.memory import LIMIT_ENV
from cliffwatch.results import RunResult
from cliffwatch.runs.spec import RunSpec
from cliffwatch.sample import load_sample
from cliffwatch.store.runs import list_runs, load_run
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

WAIT_S = 240.0
"""Longest wait for a job state (a fresh checkout compiles the kernel once, ~90 s)."""
LONG_PATHS = 20_000
"""A run long enough to be cancelled mid-way."""


@pytest.fixture
def queue() -> Iterator[RunQueue]:
    q = RunQueue(max_parallel=1, warm=False)
    yield q
    q.shutdown()


@functools.cache
def _sample() -> PortfolioArrays:
    return compile_portfolio(load_sample())


def _request(store: Path, names: list[str], paths: int = SMALL_PATHS,
             sensitivities: bool = True) -> JobRequest:
    spec = RunSpec(tape=_sample(), scenarios=tuple(load_scenario(n) for n in names),
                   paths=paths, seed=SEED, horizon=60, tape_name="bundled sample",
                   sensitivities=sensitivities, reverse_stress=True)
    return JobRequest(spec=spec, store=str(store))


def _wait(q: RunQueue, job_id: str, ok: Callable[[JobStatus], bool]) -> JobStatus:
    end = time.monotonic() + WAIT_S
    while time.monotonic() < end:
        s = q.status(job_id)
        if ok(s):
            return s
        if s.state in FINAL_STATES:
            raise AssertionError(f"{job_id} ended as {s}")
        time.sleep(0.1)
    raise AssertionError(f"timeout waiting for {job_id}: {q.status(job_id)}")


def test_jobs_queue_in_order_and_match_an_in_process_run(
        queue: RunQueue, tmp_path: Path, small_run: RunResult) -> None:
    store = tmp_path / "runs.duckdb"
    first = queue.submit(_request(store, ["base", "crowded_unwind"]))
    dropped = queue.submit(_request(store, ["base"]))
    second = queue.submit(_request(store, ["spread_shock_2020"]))
    assert queue.status(first).state == "running"
    assert (queue.status(dropped).state, queue.status(dropped).position) == ("queued", 1)
    assert queue.status(second).position == 2
    assert queue.cancel(dropped) and queue.status(dropped).state == "cancelled"
    assert queue.status(second).position == 1
    assert queue.cancel(second)
    done = _wait(queue, first, lambda s: s.state == "done")
    assert done.fraction == 1.0 and done.done == done.total > 0
    assert list(list_runs(store)["run_id"]) == [done.run_id]
    stored = load_run(store, done.run_id)
    # Same tape, scenarios, paths and seed in another process: bit-identical tables.
    for name in ("scenario_summary", "lender_metrics", "contagion", "sensitivities"):
        pd.testing.assert_frame_equal(stored.table(name), small_run.table(name))


def test_failed_run_shows_its_error_and_saves_nothing(queue: RunQueue, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "runs.duckdb"
    # the worker, spawned at submit, inherits a memory limit no run fits in
    monkeypatch.setenv(LIMIT_ENV, str(2**20))
    job = queue.submit(_request(store, ["base"]))
    s = _wait(queue, job, lambda s: s.state == "failed")
    assert "CapacityError" in s.error and "needs about" in s.error
    assert not store.exists()


def test_cancel_stops_a_running_job_and_leaves_the_store(queue: RunQueue,
                                                         tmp_path: Path) -> None:
    store = tmp_path / "runs.duckdb"
    job = queue.submit(_request(store, ["base"], paths=LONG_PATHS))
    s = _wait(queue, job, lambda s: s.done > 0)
    assert s.state == "running" and 0 < s.fraction < 1
    assert queue.cancel(job)
    assert queue.status(job).state == "cancelled"
    assert not queue.cancel(job)  # already final
    time.sleep(1.0)
    assert queue.status(job).state == "cancelled" and not store.exists()


def test_bad_parallelism_and_unknown_job(queue: RunQueue) -> None:
    with pytest.raises(ValueError):
        RunQueue(max_parallel=0)
    with pytest.raises(KeyError):
        queue.status("job-0")

