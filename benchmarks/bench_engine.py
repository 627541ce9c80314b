"""Throughput of the full waterfall (``run_block``) against a numpy step and QuantLib schedules.

Run from the repository root: ``python benchmarks/bench_engine.py [--quick]``. For the sample
tape and a synthetic 10,000-facility tape it prints, as medians over ``--repeat`` runs on the
same factor paths (generated once, not timed):

* the engine's facility-path-months per second, by wall clock and per CPU-second (the machine
  is shared: CPU time shows the work, wall time what a user waits);
* the numpy reference (``numpy_reference.run_numpy``) on the same inputs and its ratio;
* QuantLib building the same facilities' cash-flow schedules one by one, per facility-month;
* on the 10k tape, issue #16's bar (>= 50 M fpm/s wall at idle, >= 3x the numpy reference per
  CPU-second) and whether each part is met.

The first engine call compiles or loads the numba cache and is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numba
from numpy_reference import run_numpy
from quantlib_baseline import generate_schedules
from synthetic import synthetic_portfolio

from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

HORIZON: int = 60
SEED: int = 1
MILLION: float = 1e6
BAR = {"engine_10k_wall": 50.0, "vs_numpy_cpu": 3.0}
"""Issue #16's bar on the 10k tape: M facility-path-months/s wall (at idle, 2 cores) and the
engine's rate per CPU-second over the numpy reference's, measured in the same run."""


@dataclass(frozen=True)
class Timing:
    wall: float
    """Median wall-clock seconds."""
    cpu: float
    """Median process CPU seconds (all threads)."""


def timed(fn: Callable[[], object], repeat: int) -> Timing:
    """Median wall and CPU seconds of ``fn`` over ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return Timing(statistics.median(walls), statistics.median(cpus))


def bench_tape(name: str, pa: PortfolioArrays, paths: int, repeat: int,
               numpy_paths: int) -> dict[str, float]:
    """Engine, numpy and QuantLib rates on one tape; returns the figures in M units per s."""
    scenario = load_scenario("base")
    params = engine_params(scenario)
    fp = generate(Universe.from_arrays(pa), scenario, SEED, 0, paths, HORIZON)
    run_block(pa, fp.take(0, 1), params, HORIZON)  # compile / load the cache
    work = pa.n_facilities * paths * HORIZON
    eng = timed(lambda: run_block(pa, fp, params, HORIZON), repeat)
    fp_np = fp.take(0, numpy_paths)
    ref = timed(lambda: run_numpy(pa, fp_np, params, HORIZON), repeat)
    work_np = pa.n_facilities * numpy_paths * HORIZON
    ql_work = generate_schedules(pa, HORIZON, float(fp.sofr[0, 0]))[1]
    ql = timed(lambda: generate_schedules(pa, HORIZON, float(fp.sofr[0, 0])), repeat)
    out = {
        "engine_wall": work / eng.wall / MILLION, "engine_cpu": work / eng.cpu / MILLION,
        "numpy_wall": work_np / ref.wall / MILLION, "numpy_cpu": work_np / ref.cpu / MILLION,
        "quantlib_wall": ql_work / ql.wall / MILLION, "quantlib_cpu": ql_work / ql.cpu / MILLION,
    }
    print(f"\n[{name}] facilities={pa.n_facilities} borrowers={pa.n_borrowers} paths={paths} "
          f"(numpy {numpy_paths}) months={HORIZON} threads={numba.get_num_threads()} "
          f"repeat={repeat}")
    for key in ("engine", "numpy", "quantlib"):
        print(f"  {key:9s} {out[key + '_wall']:9.3f} M fpm/s wall  "
              f"{out[key + '_cpu']:9.3f} M fpm per CPU-s")
    for base in ("numpy", "quantlib"):
        print(f"  engine / {base:8s} = {out['engine_wall'] / out[base + '_wall']:8.1f}x wall, "
              f"{out['engine_cpu'] / out[base + '_cpu']:8.1f}x per CPU-s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facilities", type=int, default=10_000)
    ap.add_argument("--paths", type=int, default=64, help="paths on the large tape")
    ap.add_argument("--sample-paths", type=int, default=1_024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    args = ap.parse_args()
    if args.quick:
        args.facilities, args.paths, args.sample_paths, args.repeat = 1_000, 16, 128, 1
    sample = compile_portfolio(load_sample())
    bench_tape("sample", sample, args.sample_paths, args.repeat, args.sample_paths)
    big = synthetic_portfolio(args.facilities, sample=sample)
    res = bench_tape(f"synthetic {args.facilities}", big, args.paths, args.repeat,
                     max(args.paths // 4, 1))
    report_bar(res)


def report_bar(res: dict[str, float]) -> None:
    """Print the 10k tape's figures against issue #16's bar, and whether each is met."""
    wall, ratio = res["engine_wall"], res["engine_cpu"] / res["numpy_cpu"]
    for label, value, bar, unit in (
            ("engine wall rate", wall, BAR["engine_10k_wall"], " M fpm/s"),
            ("engine / numpy per CPU-s", ratio, BAR["vs_numpy_cpu"], "x")):
        verdict = "met" if value >= bar else "NOT met"
        print(f"  bar {label:26s} >= {bar:g}{unit}: measured {value:.2f}{unit} -> {verdict}")
    print(f"  (per CPU-s: engine {res['engine_cpu']:.2f}, numpy {res['numpy_cpu']:.2f} M fpm; "
          "the wall bar assumes an idle 2-core machine, see the load average)")


if __name__ == "__main__":
    main()
