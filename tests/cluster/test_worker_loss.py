"""A worker process killed mid-run: Dask re-runs its tasks and the numbers do not change.

In a file of its own that sorts last, so no later test waits for the restarted worker to
import the engine again.
"""

from __future__ import annotations

import os
import signal

from distributed import Client, LocalCluster

from cliffwatch.market.scenario import Scenario
from cliffwatch.runs.cluster import DaskExecutor
from cliffwatch.runs.montecarlo import Simulation, simulate
from cliffwatch.tape.arrays import PortfolioArrays

from .conftest import PATHS, SEED
from .test_cluster import assert_same_simulation


def _kill_one_worker(cluster: LocalCluster) -> int:
    nanny = next(iter(cluster.workers.values()))
    pid = nanny.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    return pid


def test_worker_killed_mid_run_gives_the_same_result(
        cluster: LocalCluster, client: Client, sample_arrays: PortfolioArrays, base: Scenario,
        local_base: Simulation) -> None:
    killed: list[int] = []
    done: list[int] = []

    def progress(n: int) -> None:
        done.append(n)
        if not killed:  # after the first finished block, while the others are queued
            killed.append(_kill_one_worker(cluster))

    sim = simulate(sample_arrays, base, PATHS, SEED, block_paths=32,
                   executor=DaskExecutor(client), progress=progress)
    assert killed and sum(done) == PATHS
    assert_same_simulation(sim, local_base)
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it; later tests need both
    assert killed[0] not in {n.pid for n in cluster.workers.values()}
