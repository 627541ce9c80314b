"""One stress run of a portfolio against several scenarios, assembled into a :class:`RunResult`.

Per scenario: the Monte Carlo run; the same paths without fire-sale contagion when the scenario
has it on (so the amplification is measured with common random numbers); for the first
scenario, paired bumped runs for the sensitivities. Once per run: the maturity wall and the
reverse stress on the base scenario's median path.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cliffwatch import __version__
from cliffwatch.analytics.tables import build_tables
from cliffwatch.bumps import BUMPS, Bump, BumpSizes, make_bumps
from cliffwatch.engine.params import EngineParams
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import Scenario
from cliffwatch.memory import require_fits
from cliffwatch.montecarlo import (
    FAN_QUANTILES,
    BlockExecutor,
    LocalExecutor,
    Simulation,
    simulate,
)
from cliffwatch.results import RunResult, conform
from cliffwatch.reverse import reverse_stress_table
from cliffwatch.run_memory import run_memory
from cliffwatch.tape.arrays import PortfolioArrays

if TYPE_CHECKING:
    from distributed import Client

DEPENDENCIES: tuple[str, ...] = (
    "numpy", "scipy", "numba", "pandas", "pydantic", "duckdb", "pyarrow", "plotly",
)
__all__ = ["BUMPS", "Bump", "ProgressFn", "run_job", "total_work"]
"""``BUMPS`` and ``Bump`` now live in :mod:`cliffwatch.bumps`; re-exported for callers."""


ProgressFn = Callable[[str, int], None]
"""Called with (stage label, paths just finished)."""


def total_work(scenarios: Sequence[Scenario], paths: int, sensitivities: bool) -> int:
    """Paths the run will simulate in all (for a progress bar)."""
    n = sum(paths * (2 if s.engine_params().contagion else 1) for s in scenarios)
    return n + (len(BUMPS) * paths if sensitivities and scenarios else 0)


def _fan_table(sim: Simulation) -> pd.DataFrame:
    rows = []
    for factor, q in sim.fan.items():
        months = np.arange(q.shape[1])
        frame = pd.DataFrame({"scenario": sim.scenario.name, "factor": factor, "month": months})
        for label, values in zip(("p5", "p25", "p50", "p75", "p95"), q, strict=True):
            frame[label] = values
        rows.append(frame)
    return conform("fan_charts", pd.concat(rows, ignore_index=True))


def _assumptions(params: EngineParams) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    for name, value in vars(params).items():
        shown = np.array2string(value, precision=3) if isinstance(value, np.ndarray) else str(value)
        rows.append({"name": f"engine.{name}", "value": shown,
                     "source": "EngineParams default or scenario override [estimate]"})
    ref = load_reference()
    for name, value, source in ref.assumptions():
        rows.append({"name": f"market.{name}", "value": value, "source": source})
    return conform("assumptions", pd.DataFrame(rows))


def _dependencies() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "absent"
    return out


def _concat(parts: dict[str, list[pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items() if frames}


def _scenario_tables(
    pa: PortfolioArrays, scn: Scenario, paths: int, seed: int, horizon: int, *,
    sensitivities: bool, progress: ProgressFn | None, executor: BlockExecutor | None,
    bumps: Sequence[Bump] = BUMPS,
) -> dict[str, pd.DataFrame]:
    """All tables of one scenario: the run, its no-contagion twin, the bumped runs."""

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
            for b in bumps
        }
    tables = build_tables(scn.name, pa, sim.summary, contagion_off=off, bumped=bumped)
    tables["fan_charts"] = _fan_table(sim)
    return tables


def _executor(cluster: str | Client | None, workers: int | None, threads_per_worker: int,
              connect_timeout: float | None) -> AbstractContextManager[BlockExecutor | None]:
    # distributed is imported only when a cluster is asked for: local runs stay light.
    if cluster is None and workers is None:
        return nullcontext(None)
    from cliffwatch.cluster import DEFAULT_CONNECT_TIMEOUT_S, open_executor

    timeout = DEFAULT_CONNECT_TIMEOUT_S if connect_timeout is None else connect_timeout
    return open_executor(cluster, workers, threads_per_worker, connect_timeout=timeout)


def run_job(
    pa: PortfolioArrays,
    scenarios: Sequence[Scenario],
    *,
    paths: int,
    seed: int,
    horizon: int = 60,
    tape_hash: str = "",
    tape_name: str = "",
    sensitivities: bool = True,
    reverse_stress: bool = True,
    progress: ProgressFn | None = None,
    cluster: str | Client | None = None,
    workers: int | None = None,
    threads_per_worker: int = 1,
    connect_timeout: float | None = None,
    bump_sizes: BumpSizes | None = None,
) -> RunResult:
    """Run every scenario with common random numbers and build all result tables.

    Parameters
    ----------
    pa : compiled portfolio.
    scenarios : resolved scenarios, in report order; the first one gets the sensitivities.
    paths, seed, horizon : Monte Carlo paths, root seed, months.
    tape_hash, tape_name : recorded in the manifest.
    cluster : Dask scheduler address (``tcp://HOST:8786``) or a connected ``distributed.Client``
        to run the path blocks on; ``None`` with ``workers=None`` runs here.
    workers, threads_per_worker : start a local Dask cluster of that many worker processes
        for the run and close it after. Every executor gives bit-identical tables.
    connect_timeout : seconds to reach the scheduler; ``None``: the cluster module default.
    bump_sizes : sizes of the sensitivity bumps (``None``: :data:`cliffwatch.bumps.BUMPS`).

    Raises
    ------
    cliffwatch.cluster.ClusterError if the cluster cannot be reached or fails mid-run.
    cliffwatch.memory.CapacityError if the run's estimated peak memory exceeds what this
        machine can give it (checked before anything is simulated).
    """
    if not scenarios:
        raise ValueError("at least one scenario is needed")
    require_fits(run_memory(pa, paths, horizon, bumps=len(BUMPS) if sensitivities else 0))
    timings: dict[str, float] = {}
    parts: dict[str, list[pd.DataFrame]] = {}
    with _executor(cluster, workers, threads_per_worker, connect_timeout) as executor:
        execution = (executor or LocalExecutor()).describe()
        for i, scn in enumerate(scenarios):
            t0 = time.perf_counter()
            tables = _scenario_tables(pa, scn, paths, seed, horizon,
                                      sensitivities=sensitivities and i == 0,
                                      progress=progress, executor=executor,
                                      bumps=make_bumps(bump_sizes) if bump_sizes else BUMPS)
            if i > 0:
                tables.pop("maturity_wall", None)
            for name, df in tables.items():
                parts.setdefault(name, []).append(df)
            timings[scn.name] = time.perf_counter() - t0

    if reverse_stress:
        t0 = time.perf_counter()
        parts["reverse_stress"] = [reverse_stress_table(pa, scenarios[0], seed, horizon)]
        timings["reverse_stress"] = time.perf_counter() - t0
    parts["assumptions"] = [_assumptions(scenarios[0].engine_params())]

    manifest: dict[str, Any] = {
        "run_id": uuid.uuid4().hex[:12],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tape_hash": tape_hash,
        "tape_name": tape_name,
        "valuation_date": str(pa.valuation_date),
        "scenarios": {s.name: s.spec.model_dump(mode="json") for s in scenarios},
        "seed": seed,
        "paths": paths,
        "horizon": horizon,
        "fan_quantiles": list(FAN_QUANTILES),
        "code_version": __version__,
        "dependencies": _dependencies(),
        "timings": timings,
        "execution": execution,
    }
    return RunResult(tables=_concat(parts), manifest=manifest)
