"""SHA-256 digests of every engine output, to prove a kernel change moves no bit.

Run from the repository root, before and after a change, and compare the printed lines::

    PYTHONPATH=src python benchmarks/engine_digest.py [--threads N] [--block-paths B]

It runs (a) the bundled sample tape under ``base``, ``two_sided_bust``, ``crowded_unwind``
(fire-sale contagion on) and ``gfc_severe`` (market shut for a year), 256 paths, seed
20260701: every ``EngineSummary`` array, the one-path ``trace`` arrays and every ``RunResult``
table of one job over those scenarios; and (b) the synthetic 10,000-facility tape of
``synthetic.py`` under ``base`` and ``two_sided_bust``, 32 paths: every ``EngineSummary`` array;
and (c) the reverse-stress table of the sample on ``base``'s median path.
The last line digests all lines, so one string compares a whole run. ``--threads`` (numba
threads) and ``--block-paths`` (paths per Monte Carlo block) must not change any digest.

The digests are also a test: ``tests/engine/golden_digests.json`` stores every line and
``tests/engine/test_golden_digests.py`` recomputes the sample part (summaries, traces, job
tables) against it. A change that moves a number fails that test until its author regenerates
the file on purpose and says in the commit which digests changed and why::

    PYTHONPATH=src python benchmarks/engine_digest.py --write tests/engine/golden_digests.json

The file records the machine it was written on (:func:`fingerprint`): numba compiles the kernel
for the host CPU and numpy picks its SIMD loops at run time, so a CPU with another instruction
set may round differently in the last bit; the test then skips and says why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
from dataclasses import fields
from pathlib import Path
from typing import Any

import llvmlite.binding as llvm
import numba
import numpy as np
import pandas as pd
from synthetic import synthetic_portfolio

from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.run import trace
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.job import run
from cliffwatch.runs.montecarlo import median_path, simulate
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.reverse import reverse_stress_table
from cliffwatch.runs.spec import RunSpec
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

SEED: int = 20260701
HORIZON: int = 60
SAMPLE_PATHS: int = 256
SAMPLE_SCENARIOS: tuple[str, ...] = ("base", "two_sided_bust", "crowded_unwind", "gfc_severe")
SYNTHETIC_FACILITIES: int = 10_000
SYNTHETIC_PATHS: int = 32
SYNTHETIC_SCENARIOS: tuple[str, ...] = ("base", "two_sided_bust")
TRACE_PATHS: tuple[int, ...] = (0, 17, 255)
"""Paths of the sample run whose month-by-month trace is digested."""


def digest_array(a: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes (C order)."""
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def digest_frame(df: pd.DataFrame) -> str:
    """SHA-256 of a table's column names, dtypes and values, column by column."""
    h = hashlib.sha256()
    for name in df.columns:
        col = df[name]
        h.update(f"{name}:{col.dtype}".encode())
        values = col.to_numpy()
        if values.dtype == object or not np.issubdtype(values.dtype, np.number):
            h.update("\x1f".join(map(repr, values.tolist())).encode())
        else:
            h.update(np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def summary_lines(label: str, s: EngineSummary) -> list[str]:
    return [f"{label} summary.{f.name} {digest_array(getattr(s, f.name))}" for f in fields(s)]


def sample_summary_lines(pa: PortfolioArrays, scenario: str, block_paths: int) -> list[str]:
    """Every ``EngineSummary`` array of the sample run of one scenario."""
    sc = load_scenario(scenario)
    sim = simulate(pa, sc, SAMPLE_PATHS, SEED, HORIZON, block_paths=block_paths)
    return summary_lines(f"sample/{sc.name}", sim.summary)


def sample_trace_lines(pa: PortfolioArrays, scenario: str) -> list[str]:
    """The month-by-month trace tables on the median path and on paths ``TRACE_PATHS``."""
    sc = load_scenario(scenario)
    lines = []
    fp = median_path(pa, sc, SEED, HORIZON)
    for name, df in trace(pa, fp, engine_params(sc), HORIZON).items():
        lines.append(f"sample/{sc.name} trace.median.{name} {digest_frame(df)}")
    full = generate(Universe.from_arrays(pa), sc, SEED, 0, SAMPLE_PATHS, HORIZON)
    for p in TRACE_PATHS:
        for name, df in trace(pa, full, engine_params(sc), HORIZON, path=p).items():
            lines.append(f"sample/{sc.name} trace.path{p}.{name} {digest_frame(df)}")
    return lines


def sample_job_lines(pa: PortfolioArrays) -> list[str]:
    """Every result table of one job over ``SAMPLE_SCENARIOS`` (no bumps, no reverse stress)."""
    scenarios = [load_scenario(n) for n in SAMPLE_SCENARIOS]
    res = run(RunSpec(tape=pa, scenarios=tuple(scenarios), paths=SAMPLE_PATHS, seed=SEED,
                      horizon=HORIZON, sensitivities=False, reverse_stress=False))
    return [f"sample/job table.{name} {digest_frame(res.tables[name])}"
            for name in sorted(res.tables)]


def sample_reverse_lines(pa: PortfolioArrays) -> list[str]:
    """The reverse-stress table on ``base``'s median path (utilization and rent thresholds)."""
    table = reverse_stress_table(pa, load_scenario("base"), SEED, HORIZON)
    return [f"sample/reverse_stress table.reverse_stress {digest_frame(table)}"]


def sample_lines(pa: PortfolioArrays, block_paths: int) -> list[str]:
    lines = []
    for name in SAMPLE_SCENARIOS:
        lines += sample_summary_lines(pa, name, block_paths)
        lines += sample_trace_lines(pa, name)
    return lines + sample_job_lines(pa) + sample_reverse_lines(pa)


def synthetic_lines(sample: PortfolioArrays, block_paths: int) -> list[str]:
    big = synthetic_portfolio(SYNTHETIC_FACILITIES, sample=sample)
    lines = []
    for name in SYNTHETIC_SCENARIOS:
        sim = simulate(big, load_scenario(name), SYNTHETIC_PATHS, SEED, HORIZON,
                       block_paths=block_paths)
        lines += summary_lines(f"synthetic/{name}", sim.summary)
    return lines


def fingerprint() -> dict[str, Any]:
    """What the last bit of a floating-point result may depend on besides the code: the CPU
    numba compiles for, the SIMD loops numpy dispatches to, and the library versions."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return {
        "machine": platform.machine(),
        "llvm_cpu": llvm.get_host_cpu_name(),
        "numpy_simd": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
        "numpy": np.__version__,
        "numba": numba.__version__,
    }


def as_mapping(lines: list[str]) -> dict[str, str]:
    """``{"sample/base summary.fac_loss": "<sha256>", ...}`` from printed lines."""
    return dict(line.rsplit(" ", 1) for line in lines)  # type: ignore[misc]


def write_golden(path: Path, lines: list[str]) -> None:
    """Store the digests, in printed order, with the fingerprint of this machine (JSON)."""
    doc = {"written_on": fingerprint(), "digests": as_mapping(lines)}
    path.write_text(json.dumps(doc, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="numba threads (default: all)")
    ap.add_argument("--block-paths", type=int, default=256, help="paths per Monte Carlo block")
    ap.add_argument("--write", type=Path, default=None,
                    help="also store the digests as JSON here (the golden-digest test's file)")
    args = ap.parse_args()
    if args.threads is not None:
        numba.set_num_threads(args.threads)
    sample = compile_portfolio(load_sample())
    lines = sample_lines(sample, args.block_paths) + synthetic_lines(sample, args.block_paths)
    for line in lines:
        print(line)
    total = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    print(f"ALL {total}")
    if args.write is not None:
        write_golden(args.write, lines)


if __name__ == "__main__":
    main()
