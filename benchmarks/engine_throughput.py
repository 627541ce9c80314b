"""Throughput of the fused kernel in facility-path-months per second.

Run from the repository root:
``PYTHONPATH=src python benchmarks/engine_throughput.py --borrowers 500 --paths 1000``
(4 facilities and 2 assets per borrower, ``engine_synthetic.py``; the first call
compiles or loads the numba cache and is not timed).
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np
from engine_synthetic import synthetic_book, synthetic_paths

from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--borrowers", type=int, default=500)
    ap.add_argument("--paths", type=int, default=1000)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pa = synthetic_book(args.borrowers)
    fp = synthetic_paths(pa, args.paths, args.months)
    params = EngineParams(contagion=True)
    run_block(pa, fp.take(0, 2), params, args.months)  # compile / load cache
    best, best_cpu = np.inf, np.inf
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        s = run_block(pa, fp, params, args.months)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    work = pa.n_facilities * args.paths * args.months
    # CPU time makes the figure comparable on a machine shared with other jobs
    print(f"facilities={pa.n_facilities} paths={args.paths} months={args.months} "
          f"threads={numba.get_num_threads()} wall={best:.3f}s cpu={best_cpu:.3f}s "
          f"throughput={work / best / 1e6:.1f}M facility-path-months/s (wall), "
          f"{work / best_cpu / 1e6:.1f}M per CPU-second; "
          f"defaults/path={np.mean((s.default_month < args.months).sum(axis=1)):.1f}")


if __name__ == "__main__":
    main()
