"""Scaling of the Dask executor on this machine: workers, threads per worker, block size.

Run from the repository root (takes a few minutes; not collected by pytest):
``PYTHONPATH=src python benchmarks/bench_cluster.py --paths 2048``

For each configuration it times the blocks of one simulation of the bundled sample (base
scenario) after a warm-up that loads the numba cache on every worker, checks the result is
bit-identical to the local run, and reports

* wall: seconds from submitting the first task to holding the last result;
* task s: the sum over tasks of their own run time (generation + engine), measured inside;
* overhead: ``1 - task s / (wall x threads)``, the share of the thread-time not spent in
  tasks (scheduling, serialisation, transfer, idle tail), and the same per task in ms.

Local rows run the same blocks in this process (no Dask) for reference. A first table times
"null" tasks that only return a copy of a real block result: Dask's own cost per task by
block size, free of compute contention.
"""

from __future__ import annotations

import argparse
import copy
import logging
import pickle
import time
from dataclasses import dataclass, fields

import numba
import numpy as np
from distributed import Client, LocalCluster, as_completed

from cliffwatch.market.scenario import load_scenario
from cliffwatch.runs.cluster import DaskExecutor, cluster_block_paths
from cliffwatch.runs.montecarlo import (
    BlockExecutor,
    BlockJob,
    BlockResult,
    LocalExecutor,
    Simulation,
    merge_blocks,
    run_path_block,
    simulate,
)
from cliffwatch.runs.params import engine_params
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

SEED = 20260701
HORIZON = 60
WARM_PATHS = 64
OVERHEAD_TARGET = 0.05
"""Share of a task's time we allow Dask's fixed per-task cost to take."""


@dataclass(frozen=True)
class Row:
    """One timed configuration."""

    setup: str
    threads: int
    block: int
    tasks: int
    wall: float
    task_seconds: float

    @property
    def overhead(self) -> float:
        return 1.0 - self.task_seconds / (self.wall * self.threads)

    @property
    def overhead_ms_per_task(self) -> float:
        return 1e3 * (self.wall * self.threads - self.task_seconds) / self.tasks


def _time(executor: BlockExecutor, pa: PortfolioArrays, job: BlockJob, paths: int, block: int,
          reference: Simulation) -> tuple[float, float, int]:
    bounds = [(lo, min(paths, lo + block)) for lo in range(0, paths, block)]
    t0 = time.perf_counter()
    blocks = executor.map_blocks(pa, job, bounds, None)
    wall = time.perf_counter() - t0
    summary, fan = merge_blocks(blocks)
    for f in fields(summary):  # a benchmark of wrong numbers is worthless
        assert np.array_equal(getattr(summary, f.name), getattr(reference.summary, f.name))
    assert all(np.array_equal(fan[k], reference.fan[k]) for k in fan)
    return wall, sum(b.seconds for b in blocks), len(blocks)


def _best(executor: BlockExecutor, pa: PortfolioArrays, job: BlockJob, paths: int, block: int,
          reference: Simulation, repeats: int) -> tuple[float, float, int]:
    return min((_time(executor, pa, job, paths, block, reference) for _ in range(repeats)),
               key=lambda r: r[0])


def local_rows(pa: PortfolioArrays, job: BlockJob, paths: int, reference: Simulation,
               repeats: int) -> list[Row]:
    rows = []
    for kernel_threads in (1, numba.config.NUMBA_NUM_THREADS):
        numba.set_num_threads(kernel_threads)
        block = LocalExecutor().default_block_paths
        wall, task_s, n = _best(LocalExecutor(), pa, job, paths, block, reference, repeats)
        rows.append(Row(f"local, numba {kernel_threads} thread(s)", 1, block, n, wall, task_s))
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    return rows


def cluster_rows(pa: PortfolioArrays, job: BlockJob, paths: int, reference: Simulation,
                 workers: int, threads: int, blocks: list[int], repeats: int) -> list[Row]:
    rows = []
    with LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as lc, Client(
            lc, set_as_default=False) as client:
        executor = DaskExecutor(client)
        # Warm-up: every worker imports cliffwatch and loads the numba cache once.
        simulate(pa, job.scenario, WARM_PATHS * workers * threads, SEED, horizon=HORIZON,
                 block_paths=WARM_PATHS, executor=executor)
        for block in blocks:
            wall, task_s, n = _best(executor, pa, job, paths, block, reference, repeats)
            rows.append(Row(f"dask {workers} worker(s) x {threads} thread(s)",
                            workers * threads, block, n, wall, task_s))
    return rows


def _copy(block: BlockResult) -> BlockResult:
    """A fresh copy of a block result: a task whose only cost is Dask's own."""
    return copy.deepcopy(block)


def null_task_overhead(pa: PortfolioArrays, job: BlockJob, blocks: list[int],
                       seconds_per_path: float, n_tasks: int = 32) -> str:
    """Per-task cost of scheduling and shipping a result of each block size, no compute.

    One worker thread; ``n_tasks`` copies of a real block result are returned through Dask,
    so the wall time per task is the scheduling, serialisation and transfer a real task of
    that size pays on top of its compute (``seconds_per_path`` x block).
    """
    out = ["| block | result KiB | overhead ms/task | compute ms/task | overhead share |",
           "|---:|---:|---:|---:|---:|"]
    measured: list[tuple[int, float]] = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as lc, Client(
            lc, set_as_default=False) as client:
        for block in blocks:
            result = run_path_block(pa, job, 0, block)
            src = client.scatter(result, hash=False)
            client.submit(_copy, src, pure=False).result()  # warm the function on the worker
            t0 = time.perf_counter()
            futures = [client.submit(_copy, src, pure=False) for _ in range(n_tasks)]
            for f in as_completed(futures, loop=client.loop):
                f.result()
            per_task = (time.perf_counter() - t0) / n_tasks
            measured.append((block, per_task))
            compute = seconds_per_path * block
            out.append(f"| {block} | {len(pickle.dumps(result)) / 1024:,.0f} "
                       f"| {1e3 * per_task:.1f} | {1e3 * compute:.0f} "
                       f"| {100 * per_task / (per_task + compute):.1f}% |")
    # overhead = fixed + per_path x block: the fixed part is scheduling, the slope is shipping
    per_path, fixed = np.polyfit(*np.array(measured).T, deg=1)
    share = OVERHEAD_TARGET / (1 - OVERHEAD_TARGET)
    out += ["", f"Fit: {1e3 * fixed:.1f} ms per task + {1e3 * per_path:.3f} ms per path "
            f"shipped; compute {1e3 * seconds_per_path:.3f} ms per path. Fixed cost under "
            f"{100 * OVERHEAD_TARGET:.0f}% of compute from "
            f"{fixed / (share * seconds_per_path):.0f} paths per task."]
    return "\n".join(out)


def markdown(rows: list[Row], paths: int) -> str:
    base = rows[0].wall
    out = [f"Sample book (26 borrowers, 45 facilities), base scenario, {paths} paths, "
           f"{HORIZON} months.", "",
           "| setup | block | tasks | wall s | task s | overhead | ms/task | speed-up |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r.setup} | {r.block} | {r.tasks} | {r.wall:.2f} | {r.task_seconds:.2f} "
                   f"| {100 * r.overhead:.1f}% | {r.overhead_ms_per_task:.1f} "
                   f"| {base / r.wall:.2f} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=2048)
    ap.add_argument("--repeats", type=int, default=2, help="best of this many timings")
    ap.add_argument("--sweep", type=int, nargs="*", default=[32, 64, 128, 256, 512],
                    help="block sizes timed on 1 worker x 1 thread")
    ap.add_argument("--overhead-only", action="store_true",
                    help="only the null-task overhead table")
    args = ap.parse_args()
    pa = compile_portfolio(load_sample())
    scenario = load_scenario("base")
    reference = simulate(pa, scenario, args.paths, SEED, horizon=HORIZON)
    job = BlockJob(scenario=scenario, params=engine_params(scenario), seed=SEED,
                   horizon=HORIZON)
    rows = local_rows(pa, job, args.paths, reference, args.repeats)
    print(null_task_overhead(pa, job, args.sweep + [1024], rows[0].wall / args.paths), "\n")
    if args.overhead_only:
        return
    rows += cluster_rows(pa, job, args.paths, reference, 1, 1, args.sweep, args.repeats)
    policy = [cluster_block_paths(args.paths, w * t) for w, t in ((2, 1), (1, 2))]
    rows += cluster_rows(pa, job, args.paths, reference, 2, 1, [policy[0]], args.repeats)
    rows += cluster_rows(pa, job, args.paths, reference, 1, 2, [policy[1]], args.repeats)
    print(markdown(rows, args.paths))


if __name__ == "__main__":
    main()
