"""Peak memory of the streaming pattern: generate + run_block block by block, keeping only
per-path lender losses (no per-facility per-path arrays survive a block).

Run from the repository root: ``python benchmarks/bench_memory.py [--paths 10000]``. Defaults:
10,000 facilities, 60 months, blocks of 256 paths. Prints, after every ``--report-every``
blocks, the process peak RSS (``resource.getrusage``: numpy, numba and the interpreter) and the
tracemalloc peak (numpy buffers only; numba's own allocations are not traced), so a flat peak
over blocks shows memory does not grow with the path count.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
from bench_engine import HORIZON, SEED
from synthetic import synthetic_portfolio

from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params

KIB: int = 1024
MEMORY_TARGET_GB: float = 4.0
"""Issue #4: 10k facilities x 10k paths x 60 months within 4 GB."""


def peak_rss_gb() -> float:
    """Peak resident set size of this process so far, GB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB / 1e9


def stream(n_fac: int, paths: int, block: int, report_every: int) -> np.ndarray:
    """Run ``paths`` paths block by block; return the (paths, lenders) loss matrix."""
    pa = synthetic_portfolio(n_fac)
    scenario = load_scenario("base")
    params = engine_params(scenario)
    universe, reference = Universe.from_arrays(pa), load_reference()
    run_block(pa, generate(universe, scenario, SEED, 0, 1, HORIZON), params, HORIZON)
    losses = np.empty((paths, pa.n_lenders))
    print(f"facilities={pa.n_facilities} paths={paths} months={HORIZON} block={block}; "
          f"peak RSS before the run {peak_rss_gb():.3f} GB")
    tracemalloc.start()
    start = time.perf_counter()
    for i, lo in enumerate(range(0, paths, block)):
        hi = min(paths, lo + block)
        fp = generate(universe, scenario, SEED, lo, hi, HORIZON, reference=reference)
        summary = run_block(pa, fp, params, HORIZON)
        losses[lo:hi] = summary.lender_loss(pa.h_facility, pa.h_lender, pa.h_share,
                                            pa.n_lenders)
        del fp, summary
        if (i + 1) % report_every == 0 or hi == paths:
            traced = tracemalloc.get_traced_memory()[1] / 1e9
            elapsed = time.perf_counter() - start
            rate = pa.n_facilities * hi * HORIZON / elapsed / 1e6
            print(f"  paths {hi:6d}: peak RSS {peak_rss_gb():.3f} GB, tracemalloc peak "
                  f"{traced:.3f} GB, {elapsed:7.1f} s, {rate:.2f} M fpm/s")
    tracemalloc.stop()
    verdict = "within" if peak_rss_gb() <= MEMORY_TARGET_GB else "OVER"
    print(f"peak RSS {peak_rss_gb():.3f} GB: {verdict} the {MEMORY_TARGET_GB} GB target; "
          f"mean book loss {losses.sum(axis=1).mean() / 1e9:.2f} bn USD per path")
    return losses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facilities", type=int, default=10_000)
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--block", type=int, default=256)
    ap.add_argument("--report-every", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.facilities, args.paths, args.block = 1_000, 64, 32
    stream(args.facilities, args.paths, args.block, args.report_every)


if __name__ == "__main__":
    main()
