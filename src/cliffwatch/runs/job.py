"""One stress run of a portfolio against several scenarios, assembled into a :class:`RunResult`.

Per scenario: the Monte Carlo run; the same paths without fire-sale contagion when the scenario
has it on (so the amplification is measured with common random numbers); for the first
scenario, paired bumped runs for the sensitivities. Once per run: the maturity wall and the
reverse stress on the base scenario's median path.

:func:`run` takes a :class:`~cliffwatch.runs.spec.RunSpec`: every entry point builds one.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from cliffwatch import __version__
from cliffwatch.analytics.tables import build_tables
from cliffwatch.engine.params import EngineParams
from cliffwatch.market.default_studies import load_default_studies
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import Scenario
from cliffwatch.memory import require_fits
from cliffwatch.results import RunResult, conform
from cliffwatch.runs.memory import run_memory
from cliffwatch.runs.montecarlo import (
    FAN_QUANTILES,
    BlockExecutor,
    LocalExecutor,
    Simulation,
    simulate,
)
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.reverse import reverse_stress_table
from cliffwatch.runs.spec import ExecutorSpec, RunSpec

DEPENDENCIES: tuple[str, ...] = (
    "numpy", "scipy", "numba", "pandas", "pydantic", "duckdb", "pyarrow", "plotly",
)


def total_work(spec: RunSpec) -> int:
    """Paths the run will simulate in all (for a progress bar)."""
    n = sum(spec.paths * (2 if engine_params(s).contagion else 1) for s in spec.scenarios)
    return n + (len(spec.bumps) * spec.paths if spec.sensitivities else 0)


def _fan_table(sim: Simulation) -> pd.DataFrame:
    rows = []
    for factor, q in sim.fan.items():
        months = np.arange(q.shape[1])
        frame = pd.DataFrame({"scenario": sim.scenario.name, "factor": factor, "month": months})
        for label, values in zip(("p5", "p25", "p50", "p75", "p95"), q, strict=True):
            frame[label] = values
        rows.append(frame)
    return conform("fan_charts", pd.concat(rows, ignore_index=True))


def _concat(parts: dict[str, list[pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items() if frames}


def _scenario_tables(
    spec: RunSpec, scn: Scenario, *, sensitivities: bool, executor: BlockExecutor | None,
) -> dict[str, pd.DataFrame]:
    """All tables of one scenario: the run, its no-contagion twin, the bumped runs."""
    pa, paths, seed, horizon, progress = (spec.tape, spec.paths, spec.seed, spec.horizon,
                                          spec.progress)

    def tick(label: str) -> Callable[[int], None] | None:
        return None if progress is None else (lambda n: progress(label, n))

    sim = simulate(pa, scn, paths, seed, horizon, progress=tick(scn.name), executor=executor)
    off = None
    if sim.params.contagion:
        off = simulate(pa, scn, paths, seed, horizon, params=replace(sim.params, contagion=False),
                       progress=tick(f"{scn.name} (no contagion)"), executor=executor).summary
    bumped = None
    if sensitivities:
        bumped = {
            b.name: (simulate(pa, scn, paths, seed, horizon, params=sim.params, transform=b.apply,
                              progress=tick(f"{scn.name} {b.name}"), executor=executor).summary,
                     b.size)
            for b in spec.bumps
        }
    tables = build_tables(scn.name, pa, sim.summary, contagion_off=off, bumped=bumped)
    tables["fan_charts"] = _fan_table(sim)
    return tables


def assumptions_table(params: EngineParams) -> pd.DataFrame:
    """The ``assumptions`` table: every engine parameter, every market reference value and the
    rating-implied benchmark's targets."""
    rows: list[dict[str, str]] = []
    for name, value in vars(params).items():
        shown = np.array2string(value, precision=3) if isinstance(value, np.ndarray) else str(value)
        rows.append({"name": f"engine.{name}", "value": shown,
                     "source": "EngineParams default or scenario override [estimate]"})
    ref = load_reference()
    for name, value, source in ref.assumptions():
        rows.append({"name": f"market.{name}", "value": value, "source": source})
    # the benchmark's external targets are not simulated with, but they shape every
    # el_benchmark / pd_benchmark figure, so they are listed with their sources too
    for name, value, source in load_default_studies().assumptions():
        rows.append({"name": f"benchmark.{name}", "value": value, "source": source})
    return conform("assumptions", pd.DataFrame(rows))


def dependencies() -> dict[str, str]:
    """Python and the versions of the libraries the numbers depend on."""
    out = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "absent"
    return out


def build_manifest(spec: RunSpec, timings: dict[str, float],
                   execution: dict[str, Any]) -> dict[str, Any]:
    """The run's manifest (JSON-able): a fresh run id, the inputs, versions, timings and the
    executor (``execution``)."""
    pa = spec.tape
    return {
        "run_id": uuid.uuid4().hex[:12],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tape_hash": pa.digest(),
        "tape_name": spec.tape_name,
        "valuation_date": str(pa.valuation_date),
        "scenarios": {s.name: s.spec.model_dump(mode="json") for s in spec.scenarios},
        "seed": spec.seed,
        "paths": spec.paths,
        "horizon": spec.horizon,
        "fan_quantiles": list(FAN_QUANTILES),
        "code_version": __version__,
        "dependencies": dependencies(),
        "timings": timings,
        "execution": execution,
    }


def open_executor(spec: ExecutorSpec) -> AbstractContextManager[BlockExecutor | None]:
    """The run's executor, opened once for all its simulations: ``None`` (blocks run here) or
    a Dask executor, closed on exit if the run started the cluster or the connection."""
    # distributed is imported only when a cluster is asked for: local runs stay light.
    if spec.local:
        return nullcontext(None)
    from cliffwatch.runs.cluster import open_executor as open_dask

    return open_dask(spec.cluster, spec.workers, spec.threads_per_worker,
                     connect_timeout=spec.connect_timeout)


def run(spec: RunSpec) -> RunResult:
    """Run every scenario of ``spec`` with common random numbers and build all result tables.

    Raises
    ------
    cliffwatch.runs.cluster.ClusterError if the cluster cannot be reached or fails mid-run.
    cliffwatch.memory.CapacityError if the run's estimated peak memory exceeds what this
        machine can give it (checked before anything is simulated).
    """
    pa = spec.tape
    require_fits(run_memory(pa, spec.paths, spec.horizon,
                            bumps=len(spec.bumps) if spec.sensitivities else 0))
    timings: dict[str, float] = {}
    parts: dict[str, list[pd.DataFrame]] = {}
    with open_executor(spec.executor) as executor:
        runner = executor or LocalExecutor()
        execution = runner.describe()
        if spec.on_executor is not None:
            spec.on_executor(runner)
        for i, scn in enumerate(spec.scenarios):
            t0 = time.perf_counter()
            tables = _scenario_tables(spec, scn, sensitivities=spec.sensitivities and i == 0,
                                      executor=executor)
            if i > 0:
                tables.pop("maturity_wall", None)
            for name, df in tables.items():
                parts.setdefault(name, []).append(df)
            timings[scn.name] = time.perf_counter() - t0

    first = spec.scenarios[0]
    if spec.reverse_stress:
        t0 = time.perf_counter()
        parts["reverse_stress"] = [reverse_stress_table(pa, first, spec.seed, spec.horizon)]
        timings["reverse_stress"] = time.perf_counter() - t0
    parts["assumptions"] = [assumptions_table(engine_params(first))]
    return RunResult(tables=_concat(parts), manifest=build_manifest(spec, timings, execution))
