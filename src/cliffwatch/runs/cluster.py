"""Scale-out on Dask: blocks of Monte Carlo paths as tasks on a ``dask.distributed`` cluster.

The portfolio is scattered to every worker once per executor and each simulation's job (scenario,
engine parameters, seed, transform) once per simulation; a task then carries only its path range.
Each task runs :func:`cliffwatch.runs.montecarlo.run_path_block`, a pure function, so a task lost
with a worker is simply run again (``retries``), and the client joins the block results in path
order exactly as the local run does: any number of workers gives bit-identical numbers.
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import logging
import math
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Any

from distributed import Client, Future, KilledWorker, LocalCluster, as_completed
from distributed.client import ClosedClientError

from cliffwatch.market.streams import CHUNK_SIZE
from cliffwatch.runs.montecarlo import BlockJob, BlockResult, ProgressFn, run_path_block
from cliffwatch.runs.spec import DEFAULT_CONNECT_TIMEOUT_S
from cliffwatch.tape.arrays import PortfolioArrays

DEFAULT_RETRIES: int = 3
"""Re-runs of a task whose worker failed; tasks are pure, so a re-run changes nothing."""
MIN_CLUSTER_BLOCK_PATHS: int = 576
"""Smallest block sent as a task: keeps Dask's fixed per-task cost under 5% of the task.

``benchmarks/bench_cluster.py`` on the bundled sample (the cheapest book per path, hence the
worst case) fitted 2.3 ms and 35 ms per task in two runs on a loaded 2-core box, against
1.24-1.27 ms of compute per path: the worse fit needs 35 / (0.05 x 1.27) = 551 paths, rounded
up to whole 32-path chunks. Figures in docs/CLUSTER.md.
"""
MAX_CLUSTER_BLOCK_PATHS: int = 4096
"""Largest block: bounds worker memory (factor paths and per-path summaries of one block)."""
TASK_MEMORY_BYTES: int = 256 * 2**20
"""Peak memory of one task, bytes: a small share of a typical 4-8 GiB per worker thread, since
finished results also wait in worker memory until the client fetches them."""
DEFAULT_KERNEL_THREADS: int = 1
"""numba threads inside one task: Dask's worker threads are the parallelism on a cluster."""
TASKS_PER_THREAD: int = 4
"""Blocks per worker thread when paths allow: balances load and bounds work lost with a worker."""

CLUSTER_FAILURES: tuple[type[BaseException], ...] = (
    OSError, TimeoutError, concurrent.futures.CancelledError, KilledWorker, ClosedClientError,
)
"""Exceptions meaning the cluster, not the model, failed (lost scheduler, dead workers)."""
CONNECT_FAILURES: tuple[type[BaseException], ...] = (*CLUSTER_FAILURES, ValueError)
"""Failures to connect: those above, or an address Dask cannot parse (ValueError)."""


class ClusterError(RuntimeError):
    """The Dask cluster could not be reached or failed during a run; nothing was stored."""


def cluster_block_paths(paths: int, threads: int, bytes_per_path: int = 0) -> int:
    """Paths per task for a run of ``paths`` paths on ``threads`` worker threads.

    About ``TASKS_PER_THREAD`` tasks per thread, never below ``MIN_CLUSTER_BLOCK_PATHS`` (so
    overhead stays small) nor above ``MAX_CLUSTER_BLOCK_PATHS``; memory comes first: a task
    holds at most ``TASK_MEMORY_BYTES`` (``bytes_per_path`` from
    :func:`cliffwatch.runs.montecarlo.block_bytes_per_path`). Always a whole number of the market
    layer's random-number chunks, so no chunk is generated twice.
    """
    target = math.ceil(paths / max(1, TASKS_PER_THREAD * threads))
    size = min(max(target, MIN_CLUSTER_BLOCK_PATHS), MAX_CLUSTER_BLOCK_PATHS)
    size = CHUNK_SIZE * math.ceil(size / CHUNK_SIZE)
    if bytes_per_path > 0:
        fit = TASK_MEMORY_BYTES // bytes_per_path
        size = min(size, max(CHUNK_SIZE, CHUNK_SIZE * (fit // CHUNK_SIZE)))
    return size


def _has_bokeh() -> bool:
    """Whether bokeh, which draws the dashboard, can be imported (run on the scheduler)."""
    return importlib.util.find_spec("bokeh") is not None


def _task_key(token: str, lo: int) -> str:
    # Readable on the dashboard, unique per simulation: never shared by two different jobs.
    return f"cliffwatch-block-{token}-{lo:010d}"


@dataclass(eq=False)
class DaskExecutor:
    """Runs blocks of paths as tasks on a connected :class:`distributed.Client`.

    Parameters
    ----------
    client : a connected client (the executor never closes it).
    retries : re-runs allowed per task after a failure.
    task_timeout : seconds to wait for the whole simulation before declaring the cluster
        failed; ``None`` waits as long as the client stays connected.
    kernel_threads : numba threads per task; 1 by default, since each worker thread already
        runs a task (size workers x threads to the cores); ``None`` keeps numba's default.
    """

    client: Client
    retries: int = DEFAULT_RETRIES
    task_timeout: float | None = None
    kernel_threads: int | None = DEFAULT_KERNEL_THREADS
    _portfolio: tuple[PortfolioArrays, Future] | None = field(default=None, repr=False)

    def _require_running(self) -> None:
        # A lost scheduler closes the client; its methods then fail in Dask's internals.
        if self.client.status != "running":
            raise ClusterError(f"the Dask client is {self.client.status}: the scheduler was "
                               "lost during the run; nothing was stored")

    def threads(self) -> int:
        """Worker threads currently in the cluster (at least 1)."""
        self._require_running()
        return max(1, sum(self.client.nthreads().values()))

    def block_paths(self, paths: int, bytes_per_path: int) -> int:
        """See :func:`cluster_block_paths`."""
        return cluster_block_paths(paths, self.threads(), bytes_per_path)

    def describe(self) -> dict[str, Any]:
        """Scheduler address, workers and threads at the time of the call."""
        self._require_running()
        nthreads = self.client.nthreads()
        return {"executor": "dask", "scheduler": self.client.scheduler.address,
                "workers": len(nthreads), "threads": sum(nthreads.values())}

    def dashboard_link(self) -> str | None:
        """URL of the scheduler's dashboard; ``None`` if it serves none (no bokeh there)."""
        if "dashboard" not in self.client.scheduler_info().get("services", {}):
            return None
        try:
            # Without bokeh the scheduler still answers HTTP, but /status is not there.
            served = bool(self.client.run_on_scheduler(_has_bokeh))
        except Exception:  # some managed clusters forbid run_on_scheduler: trust the link
            served = True
        return self.client.dashboard_link if served else None

    def _scatter_portfolio(self, pa: PortfolioArrays) -> Future:
        # Once per portfolio: every simulation of a run reuses the same copy on each worker.
        if self._portfolio is None or self._portfolio[0] is not pa:
            future = self.client.scatter(pa, broadcast=True, hash=False)
            self._portfolio = (pa, future)
        return self._portfolio[1]

    def map_blocks(self, pa: PortfolioArrays, job: BlockJob, bounds: Sequence[tuple[int, int]],
                   progress: ProgressFn | None) -> list[BlockResult]:
        """Submit one task per block, report blocks as they finish, return them in path order.

        Raises
        ------
        ClusterError if the scheduler is lost or workers keep dying; model errors raised inside
        a task propagate unchanged.
        """
        futures: list[Future] = []
        self._require_running()
        try:
            pa_future = self._scatter_portfolio(pa)
            # hash=False: two bump jobs differ only in a closure, which tokenising may miss.
            job_future = self.client.scatter(replace(job, kernel_threads=self.kernel_threads),
                                             broadcast=True, hash=False)
            token = uuid.uuid4().hex[:12]
            futures = [
                self.client.submit(run_path_block, pa_future, job_future, lo, hi,
                                   key=_task_key(token, lo), retries=self.retries, pure=False)
                for lo, hi in bounds
            ]
            return self._collect(futures, progress)
        except BaseException as exc:
            # Free the cluster from the rest of a failed or interrupted run. Best effort: a lost
            # scheduler also closes the client, and cancel would then fail.
            with suppress(Exception):
                self.client.cancel(futures)
            if isinstance(exc, CLUSTER_FAILURES):
                raise ClusterError(f"Dask cluster failed during the run ({type(exc).__name__}: "
                                   f"{exc}); nothing was stored") from exc
            raise

    def _collect(self, futures: list[Future], progress: ProgressFn | None) -> list[BlockResult]:
        position = {f.key: i for i, f in enumerate(futures)}
        results: list[BlockResult | None] = [None] * len(futures)
        # The client's own loop: as_completed would otherwise look for a default client, which a
        # client made with set_as_default=False (as in a notebook with several) is not.
        for future in as_completed(futures, loop=self.client.loop, timeout=self.task_timeout):
            block = future.result()
            results[position[future.key]] = block
            if progress is not None:
                progress(block.hi - block.lo)
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:
            raise ClusterError(f"{len(missing)} blocks never came back from the cluster")
        return [r for r in results if r is not None]


def connect(address: str, timeout: float = DEFAULT_CONNECT_TIMEOUT_S) -> Client:
    """A client of the scheduler at ``address`` (``tcp://HOST:8786``) with a worker attached.

    Raises
    ------
    ClusterError if the scheduler does not answer, or no worker joins, within ``timeout`` s.
    """
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except CONNECT_FAILURES as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r} within "
                           f"{timeout:g} s: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except CLUSTER_FAILURES as exc:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address!r} has no worker after "
                           f"{timeout:g} s: {exc}") from None
    return client


def local_cluster(workers: int, threads_per_worker: int = 1) -> LocalCluster:
    """A cluster of ``workers`` processes on this machine; its HTTP server on a free port."""
    if workers < 1 or threads_per_worker < 1:
        raise ClusterError("workers and threads per worker must be at least 1")
    return LocalCluster(
        n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
        dashboard_address=":0", silence_logs=logging.ERROR,
    )


@contextmanager
def open_executor(
    cluster: str | Client | None = None,
    workers: int | None = None,
    threads_per_worker: int = 1,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
) -> Iterator[DaskExecutor | None]:
    """The executor of a run: ``None`` (local), an existing cluster, or a LocalCluster.

    Parameters
    ----------
    cluster : scheduler address (``tcp://HOST:8786``) or a connected client; left open.
    workers : start a LocalCluster of this many worker processes for the run, closed after.
    threads_per_worker : threads of each LocalCluster worker.

    Raises
    ------
    ClusterError if both ``cluster`` and ``workers`` are given or the cluster is unreachable.
    """
    if cluster is not None and workers is not None:
        raise ClusterError("give either a cluster address or a number of workers, not both")
    if cluster is None and workers is None:
        yield None
    elif isinstance(cluster, Client):
        yield DaskExecutor(cluster, retries=retries)
    elif cluster is not None:
        with connect(cluster, connect_timeout) as client:
            yield DaskExecutor(client, retries=retries)
    else:
        assert workers is not None
        try:
            lc = local_cluster(workers, threads_per_worker)
        except CLUSTER_FAILURES as exc:
            raise ClusterError(f"could not start a local Dask cluster of {workers} workers: "
                               f"{exc}") from None
        with lc, Client(lc, set_as_default=False) as client:
            yield DaskExecutor(client, retries=retries)
