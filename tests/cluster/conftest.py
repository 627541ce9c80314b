"""One 2-worker LocalCluster (processes, 1 thread each) shared by the cluster tests.

Worker processes load the numba kernel from its on-disk cache, so the parent warms the cache
(a local run) before the cluster starts; otherwise every worker would compile it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from distributed import Client, LocalCluster

from cliffwatch.market.scenario import Scenario
from cliffwatch.runs.montecarlo import Simulation, simulate
from cliffwatch.tape.arrays import PortfolioArrays

SEED = 20260701
PATHS = 200
"""Not a multiple of any block size used: the last block is short."""


@pytest.fixture(scope="session")
def base(base_scenario: Scenario) -> Scenario:
    return base_scenario


@pytest.fixture(scope="session")
def local_base(sample_arrays: PortfolioArrays, base: Scenario) -> Simulation:
    """The reference: the local executor, default block size (also warms the numba cache)."""
    return simulate(sample_arrays, base, PATHS, SEED)


@pytest.fixture(scope="session")
def cluster(local_base: Simulation) -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as lc:
        yield lc


@pytest.fixture(scope="session")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=60)
        yield c
