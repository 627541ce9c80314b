"""Dask executor: bit-identical to the local run, survives a dead worker, fails clearly."""

from __future__ import annotations

import importlib.util
import time
from dataclasses import fields, replace

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch import api
from cliffwatch.market.generator import generate
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.market.streams import CHUNK_SIZE
from cliffwatch.market.universe import Universe
from cliffwatch.runs.bumps import BUMPS
from cliffwatch.runs.cluster import (
    MAX_CLUSTER_BLOCK_PATHS,
    MIN_CLUSTER_BLOCK_PATHS,
    TASK_MEMORY_BYTES,
    TASKS_PER_THREAD,
    ClusterError,
    DaskExecutor,
    cluster_block_paths,
    open_executor,
)
from cliffwatch.runs.job import run
from cliffwatch.runs.montecarlo import (
    BlockJob,
    Simulation,
    block_bytes_per_path,
    merge_blocks,
    run_path_block,
    simulate,
)
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.spec import ExecutorSpec, RunSpec
from cliffwatch.tape.arrays import PortfolioArrays

from .conftest import PATHS, SEED

UNREACHABLE = "tcp://127.0.0.1:9"
"""The discard port: nothing listens there on a test machine."""
SHORT_TIMEOUT_S = 1.0


def assert_same_simulation(a: Simulation, b: Simulation) -> None:
    for f in fields(a.summary):
        x, y = getattr(a.summary, f.name), getattr(b.summary, f.name)
        assert x.dtype == y.dtype and np.array_equal(x, y), f.name
    assert a.fan.keys() == b.fan.keys()
    for name in a.fan:
        assert np.array_equal(a.fan[name], b.fan[name]), name


def test_cluster_run_is_bit_identical_to_local(
        client: Client, sample_arrays: PortfolioArrays, base: Scenario,
        local_base: Simulation) -> None:
    executor = DaskExecutor(client)
    for block in (96, None):
        assert_same_simulation(simulate(sample_arrays, base, PATHS, SEED, block_paths=block,
                                        executor=executor), local_base)


def test_jobs_differing_only_in_a_closure_stay_apart(
        client: Client, sample_arrays: PortfolioArrays, base: Scenario) -> None:
    """Two bumps built by one factory must not share scattered data or task keys."""
    executor = DaskExecutor(client)
    params = engine_params(base)
    for bump in BUMPS[:2]:
        local = simulate(sample_arrays, base, 64, SEED, params=params, transform=bump.apply)
        remote = simulate(sample_arrays, base, 64, SEED, params=params, transform=bump.apply,
                          block_paths=32, executor=executor)
        assert_same_simulation(remote, local)


def test_progress_counts_every_path_once(
        client: Client, sample_arrays: PortfolioArrays, base: Scenario) -> None:
    seen: list[int] = []
    simulate(sample_arrays, base, 100, SEED, block_paths=32, executor=DaskExecutor(client),
             progress=seen.append)
    assert sorted(seen) == [4, 32, 32, 32]


def test_run_job_tables_identical_to_local(client: Client, sample_arrays: PortfolioArrays) -> None:
    spec = RunSpec(tape=sample_arrays,
                   scenarios=(load_scenario("base"), load_scenario("crowded_unwind")),
                   paths=64, seed=SEED, horizon=36, reverse_stress=False)
    local = run(spec)
    remote = run(replace(spec, executor=ExecutorSpec(cluster=client)))
    assert local.tables.keys() == remote.tables.keys()
    for name, df in local.tables.items():
        pd.testing.assert_frame_equal(remote.tables[name], df, check_exact=True, obj=name)
    assert remote.manifest["execution"]["executor"] == "dask"
    assert remote.manifest["execution"]["workers"] == 2
    assert local.manifest["execution"]["executor"] == "local"


def test_unreachable_scheduler_is_a_quick_cluster_error() -> None:
    t0 = time.perf_counter()
    with pytest.raises(ClusterError, match="cannot reach"), open_executor(
            UNREACHABLE, connect_timeout=SHORT_TIMEOUT_S):
        pass
    assert time.perf_counter() - t0 < 10 * SHORT_TIMEOUT_S


def test_scheduler_lost_mid_run_is_a_cluster_error(
        local_base: Simulation, sample_arrays: PortfolioArrays, base: Scenario) -> None:
    # In-process workers (threads): cheap to start, and the scheduler can be shut from here.
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as lc, Client(lc, timeout=2,
                                                            set_as_default=False) as c:
        def progress(n: int) -> None:
            lc.close()

        with pytest.raises(ClusterError, match="nothing was stored"):
            simulate(sample_arrays, base, 256, SEED, block_paths=32,
                     executor=DaskExecutor(c), progress=progress)


def test_run_job_with_a_lost_scheduler_raises_before_building_a_result(
        local_base: Simulation, sample_arrays: PortfolioArrays) -> None:
    results = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as lc, Client(lc, timeout=2,
                                                            set_as_default=False) as c:
        with pytest.raises(ClusterError):
            # one task per simulation: the scheduler goes between two simulations of the run
            results.append(run(RunSpec(
                tape=sample_arrays, scenarios=(load_scenario("base"),), paths=64, seed=SEED,
                horizon=24, sensitivities=True, reverse_stress=False,
                executor=ExecutorSpec(cluster=c), progress=lambda label, n: lc.close())))
    assert results == []  # no RunResult exists, so nothing can reach a store


def test_cluster_and_workers_together_are_refused() -> None:
    with pytest.raises(ClusterError, match="not both"), open_executor(UNREACHABLE, 2):
        pass


def _truncate_sofr(fp: FactorPaths) -> FactorPaths:
    """A transform that breaks the engine's shape checks: a model error, not a cluster one."""
    return replace(fp, sofr=fp.sofr[:, :1])


def test_model_errors_inside_tasks_propagate_unchanged(
        client: Client, sample_arrays: PortfolioArrays, base: Scenario) -> None:
    with pytest.raises(Exception) as local:
        simulate(sample_arrays, base, 32, SEED, transform=_truncate_sofr)
    t0 = time.perf_counter()
    with pytest.raises(type(local.value)) as remote:
        simulate(sample_arrays, base, 32, SEED, transform=_truncate_sofr,
                 executor=DaskExecutor(client, retries=1))
    print(f"model error came back in {time.perf_counter() - t0:.2f} s")
    assert str(remote.value) == str(local.value)


@given(paths=st.integers(1, 10**7), threads=st.integers(1, 512),
       bytes_per_path=st.one_of(st.just(0), st.integers(1, 10**8)))
def test_block_size_policy(paths: int, threads: int, bytes_per_path: int) -> None:
    size = cluster_block_paths(paths, threads, bytes_per_path)
    assert size % CHUNK_SIZE == 0 and CHUNK_SIZE <= size <= MAX_CLUSTER_BLOCK_PATHS
    fits = TASK_MEMORY_BYTES // bytes_per_path if bytes_per_path else MAX_CLUSTER_BLOCK_PATHS
    if size > CHUNK_SIZE:
        assert size <= fits  # memory first
    if fits >= MAX_CLUSTER_BLOCK_PATHS:
        assert size >= MIN_CLUSTER_BLOCK_PATHS  # overhead bound when memory allows
        n_tasks = -(-paths // size)
        if size > MIN_CLUSTER_BLOCK_PATHS and size < MAX_CLUSTER_BLOCK_PATHS:
            # neither bound binds: about TASKS_PER_THREAD tasks per thread, never more
            assert n_tasks <= TASKS_PER_THREAD * threads
            assert paths > (TASKS_PER_THREAD * threads - 1) * (size - CHUNK_SIZE)


def test_bytes_per_path_matches_the_arrays_of_a_block(
        sample_arrays: PortfolioArrays, base: Scenario) -> None:
    """Oracle: the nbytes of a real block's factor paths, summary and fan series."""
    horizon, n = 24, 40
    fp = generate(Universe.from_arrays(sample_arrays), base, SEED, 0, n, horizon)
    block = run_path_block(sample_arrays, BlockJob(base, engine_params(base), SEED, horizon),
                           0, n)
    arrays = [getattr(fp, f.name) for f in fields(fp)]
    fp_bytes = sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
    out_bytes = (sum(getattr(block.summary, f.name).nbytes for f in fields(block.summary))
                 + sum(a.nbytes for a in block.factors.values()))
    assert block_bytes_per_path(sample_arrays, horizon) * n == fp_bytes + 2 * out_bytes


def test_dashboard_link_only_when_the_scheduler_can_draw_it(client: Client) -> None:
    link = DaskExecutor(client).dashboard_link()
    if importlib.util.find_spec("bokeh") is None:  # scheduler and test share the environment
        assert link is None
    else:
        assert link is not None and link.startswith("http")


def test_api_run_with_an_unreachable_cluster_raises_cluster_error(
        sample_arrays: PortfolioArrays) -> None:
    t0 = time.perf_counter()
    with pytest.raises(ClusterError, match="tcp://127.0.0.1:9"):
        api.run(sample_arrays, ["base"], paths=32, cluster=UNREACHABLE,
               connect_timeout=SHORT_TIMEOUT_S)
    assert time.perf_counter() - t0 < 10 * SHORT_TIMEOUT_S


def test_portfolio_is_scattered_once_to_every_worker(
        client: Client, sample_arrays: PortfolioArrays, base: Scenario) -> None:
    def portfolio_keys(dask_scheduler) -> list[str]:  # noqa: ANN001 - Dask passes the scheduler
        return [str(k) for k in dask_scheduler.tasks if str(k).startswith("PortfolioArrays-")]

    # an earlier test's executor may still be releasing its copy on the shared cluster
    before = set(client.run_on_scheduler(portfolio_keys))
    executor = DaskExecutor(client)
    for seed in (1, 2):
        simulate(sample_arrays, base, 64, seed, block_paths=32, executor=executor)
    assert executor._portfolio is not None
    future = executor._portfolio[1]
    holders = client.who_has([future])[future.key]
    assert len(holders) == 2  # broadcast: each worker holds its own copy
    new = [k for k in client.run_on_scheduler(portfolio_keys) if k not in before]
    assert new == [str(future.key)]


def test_merge_blocks_restores_path_order_and_rejects_gaps(
        sample_arrays: PortfolioArrays, base: Scenario, local_base: Simulation) -> None:
    job = BlockJob(base, engine_params(base), SEED, local_base.fan["sofr"].shape[1])
    blocks = [run_path_block(sample_arrays, job, lo, min(PATHS, lo + 64))
              for lo in range(0, PATHS, 64)]
    summary, fan = merge_blocks(blocks[::-1])  # arrival order must not matter
    assert_same_simulation(replace(local_base, summary=summary, fan=fan), local_base)
    with pytest.raises(ValueError, match="tile"):
        merge_blocks(blocks[:1] + blocks[2:])
