"""How ``run_block`` time scales with paths, facilities and months (log-log slopes).

Run from the repository root: ``python benchmarks/bench_scaling.py [--quick]``. Each size is
timed ``--repeat`` times on the synthetic tape (median CPU seconds, which a shared machine
disturbs less than wall time; wall medians are printed too). A slope of 1 on log-log means
linear scaling; the fit is ``np.polyfit(log n, log seconds, 1)``.
"""

from __future__ import annotations

import argparse

import numpy as np
from bench_engine import HORIZON, SEED, timed
from synthetic import synthetic_portfolio

from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

LINEAR_SLOPE_TOL: float = 0.15
"""A fitted exponent within 1 ± 0.15 counts as linear (noise on a shared 2-core machine)."""


def _time(n_fac: int, paths: int, months: int, repeat: int,
          sample: PortfolioArrays) -> tuple[float, float]:
    pa = synthetic_portfolio(n_fac, sample=sample)
    scenario = load_scenario("base")
    params = engine_params(scenario)
    fp = generate(Universe.from_arrays(pa), scenario, SEED, 0, paths, months)
    run_block(pa, fp.take(0, 1), params, months)
    t = timed(lambda: run_block(pa, fp, params, months), repeat)
    return t.cpu, t.wall


def sweep(axis: str, values: list[int], base: dict[str, int], repeat: int,
          sample: PortfolioArrays) -> float:
    """Time over one axis with the others at ``base``; print and return the log-log slope."""
    cpu, wall = [], []
    for v in values:
        size = {**base, axis: v}
        c, w = _time(size["facilities"], size["paths"], size["months"], repeat, sample)
        cpu.append(c)
        wall.append(w)
        print(f"  {axis}={v:6d}  cpu {c:8.3f}s  wall {w:8.3f}s")
    slope = float(np.polyfit(np.log(values), np.log(cpu), 1)[0])
    wall_slope = float(np.polyfit(np.log(values), np.log(wall), 1)[0])
    verdict = "linear" if abs(slope - 1.0) <= LINEAR_SLOPE_TOL else "NOT linear"
    print(f"  slope({axis}) = {slope:.3f} on CPU time ({wall_slope:.3f} wall): {verdict}")
    return slope


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    scale = 4 if args.quick else 1
    base = {"facilities": 1_000, "paths": 32, "months": HORIZON}
    sample = compile_portfolio(load_sample())
    sweeps = {
        "paths": [16, 32, 64, 128 // scale],
        "facilities": [500, 1_000, 2_000, 4_000 // scale],
        "months": [12, 24, 48, 96 // scale],
    }
    for axis, values in sweeps.items():
        print(f"\n[scaling in {axis}] base {base}")
        sweep(axis, sorted(set(values)), base, 1 if args.quick else args.repeat, sample)


if __name__ == "__main__":
    main()
