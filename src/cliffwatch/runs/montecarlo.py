"""The Monte Carlo run: factor paths and the engine kernel over blocks of paths.

Random numbers come from the market layer's chunked ``SeedSequence`` scheme (one child per fixed
chunk of paths), and the kernel writes each path's outcome into that path's row only, so the
result is bit-identical whatever the block size or the number of threads. Blocks bound memory:
only one block's factor paths exist at a time.

Block execution is pluggable: :func:`run_path_block` is a pure function of (portfolio, job,
path range), a :class:`BlockExecutor` decides where it runs (here, or on a Dask cluster via
``cliffwatch.runs.cluster``), and :func:`merge_blocks` joins the results in path order, so every
executor gives the same numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numba
import numpy as np

from cliffwatch.analytics.tables import concat_summaries
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.paths import (
    FACTOR_FIELDS,
    FactorPaths,
    bytes_per_path,
    portfolio_sizes,
)
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import Scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS

DEFAULT_BLOCK_PATHS: int = 256
"""Paths per execution block; any value gives the same numbers, this one bounds memory."""

FAN_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.50, 0.75, 0.95)

ProgressFn = Callable[[int], None]
"""Called with the number of paths just finished."""


@dataclass(frozen=True, eq=False)
class Simulation:
    """Outcome of one scenario: per-path engine summary plus factor percentiles for fan charts."""

    scenario: Scenario
    params: EngineParams
    summary: EngineSummary
    fan: dict[str, np.ndarray]
    """factor name -> (5, T) percentiles (p5, p25, p50, p75, p95) across paths."""
    seconds: float


FAN_FACTORS: tuple[str, ...] = ("sofr", "spread", "utilization", "power_price", "tech_earnings",
                                 "market_access")
"""(P, T) factor series whose percentiles the report draws as fan charts."""
FAN_GPU_FACTORS: tuple[str, ...] = ("gpu_rent", "gpu_value")
"""(P, G, T) factors drawn as one fan per GPU generation (``gpu_rent:H100``)."""


def _factor_series(fp: FactorPaths, generations: tuple[str, ...]) -> dict[str, np.ndarray]:
    series = {name: getattr(fp, name) for name in FAN_FACTORS}
    for g, name in enumerate(generations):
        for factor in FAN_GPU_FACTORS:
            series[f"{factor}:{name}"] = getattr(fp, factor)[:, g, :]
    return series


@dataclass(frozen=True, eq=False)
class BlockJob:
    """Everything a block of paths needs besides the portfolio; the same for every block."""

    scenario: Scenario
    params: EngineParams
    seed: int
    """Root seed of the run."""
    horizon: int
    """Months simulated."""
    antithetic: bool = False
    transform: Callable[[FactorPaths], FactorPaths] | None = None
    """Applied to the block's factor paths before the engine (must be a pure function)."""
    kernel_threads: int | None = None
    """numba threads of the engine kernel within one block (speed only: every path writes its
    own rows); ``None`` keeps numba's setting. A cluster sets 1: its workers are the threads."""


@dataclass(frozen=True, eq=False)
class BlockResult:
    """What one block of paths hands back: engine outcomes and factor series, path rows only."""

    lo: int
    """First global path index of the block."""
    hi: int
    """One past the last global path index."""
    summary: EngineSummary
    factors: dict[str, np.ndarray]
    """factor name -> (hi - lo, T) float64 series, the raw material of the fan charts."""
    seconds: float
    """Wall time of the block's generation and engine run, s (for overhead measurement)."""


def run_path_block(pa: PortfolioArrays, job: BlockJob, lo: int, hi: int) -> BlockResult:
    """Generate paths ``[lo, hi)`` and run the engine on them: a pure function of its inputs.

    Pure so that a cluster may run it twice (a retry after a lost worker) with no effect on
    the result; module-level so that it pickles by reference.
    """
    t0 = time.perf_counter()
    fp = generate(Universe.from_arrays(pa), job.scenario, job.seed, lo, hi, job.horizon,
                  antithetic=job.antithetic, reference=load_reference())
    if job.transform is not None:
        fp = job.transform(fp)
    if job.kernel_threads is not None:
        # numba's thread count is per calling thread, so this leaves other tasks untouched.
        available: int = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
        numba.set_num_threads(max(1, min(job.kernel_threads, available)))
    summary = run_block(pa, fp, job.params, job.horizon)
    factors = {name: np.asarray(arr, dtype=np.float64)
               for name, arr in _factor_series(fp, pa.gpu_generations).items()}
    return BlockResult(lo=lo, hi=hi, summary=summary, factors=factors,
                       seconds=time.perf_counter() - t0)


def merge_blocks(blocks: Sequence[BlockResult]) -> tuple[EngineSummary, dict[str, np.ndarray]]:
    """Join block results in path order; fan percentiles over all paths.

    Raises
    ------
    ValueError if the blocks do not tile one contiguous range of paths from 0.
    """
    ordered = sorted(blocks, key=lambda b: b.lo)
    edges = [0] + [b.hi for b in ordered]
    if [b.lo for b in ordered] != edges[:-1]:
        raise ValueError("blocks do not tile the path range without gaps or overlaps")
    fan = {
        name: np.quantile(np.concatenate([b.factors[name] for b in ordered], axis=0),
                          FAN_QUANTILES, axis=0)
        for name in ordered[0].factors
    }
    return concat_summaries([b.summary for b in ordered]), fan


class BlockExecutor(Protocol):
    """Runs :func:`run_path_block` over blocks; results come back in the order of ``bounds``."""

    def block_paths(self, paths: int, bytes_per_path: int) -> int:
        """Paths per block it prefers for ``paths`` paths of ``bytes_per_path`` bytes each."""
        ...

    def map_blocks(self, pa: PortfolioArrays, job: BlockJob, bounds: Sequence[tuple[int, int]],
                   progress: ProgressFn | None) -> list[BlockResult]:
        """One :class:`BlockResult` per ``(lo, hi)`` in ``bounds``, in that order."""
        ...

    def describe(self) -> dict[str, Any]:
        """Where blocks run, for the run manifest (JSON-able; results never depend on it)."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """Blocks one after another in this process: only one block's factor paths in memory."""

    default_block_paths: int = DEFAULT_BLOCK_PATHS

    def block_paths(self, paths: int, bytes_per_path: int) -> int:
        """Always ``default_block_paths``: enough paths for the kernel's threads, few enough
        to bound memory on any book a single machine runs."""
        return self.default_block_paths

    def describe(self) -> dict[str, Any]:
        """``{"executor": "local", "block_paths": ...}``."""
        return {"executor": "local", "block_paths": self.default_block_paths}

    def map_blocks(self, pa: PortfolioArrays, job: BlockJob, bounds: Sequence[tuple[int, int]],
                   progress: ProgressFn | None) -> list[BlockResult]:
        """Run each block in turn, reporting its paths when done."""
        out = []
        for lo, hi in bounds:
            out.append(run_path_block(pa, job, lo, hi))
            if progress is not None:
                progress(hi - lo)
        return out


def block_bytes_per_path(pa: PortfolioArrays, horizon: int) -> int:
    """Peak bytes one path adds to a block while it runs (its inputs and outputs).

    Every declared factor field (:data:`cliffwatch.market.paths.FACTOR_FIELDS`) plus twice the
    returned engine summary and fan series (built, then serialised or concatenated). Matches
    the arrays' ``nbytes`` exactly; excludes the kernel's per-path scratch state, which is a
    few facility-sized vectors.
    """
    f8, g, t = 8, len(pa.gpu_generations), horizon
    factor_paths = bytes_per_path(portfolio_sizes(pa, horizon))
    fan_series = f8 * t * (len(FAN_FACTORS) + len(FAN_GPU_FACTORS) * g)
    return factor_paths + 2 * (summary_bytes_per_path(pa, horizon) + fan_series)


def summary_bytes_per_path(pa: PortfolioArrays, horizon: int) -> int:
    """Bytes one path occupies in an :class:`EngineSummary` (every array's ``nbytes`` / P)."""
    f8, i4 = 8, 4
    g, t = len(pa.gpu_generations), horizon
    return (pa.n_borrowers * (i4 + 1 + i4) + pa.n_facilities * (4 * f8 + i4 + 1)
            + 2 * f8 * t * pa.n_lenders + 2 * f8 * g)


def _bounds(paths: int, block_paths: int) -> list[tuple[int, int]]:
    """Global path ranges ``[lo, hi)`` of consecutive blocks covering ``range(paths)``."""
    return [(lo, min(paths, lo + block_paths)) for lo in range(0, paths, block_paths)]


def simulate(
    pa: PortfolioArrays,
    scenario: Scenario,
    paths: int,
    seed: int,
    horizon: int = HORIZON_DEFAULT_MONTHS,
    *,
    block_paths: int | None = None,
    antithetic: bool = False,
    params: EngineParams | None = None,
    transform: Callable[[FactorPaths], FactorPaths] | None = None,
    progress: ProgressFn | None = None,
    executor: BlockExecutor | None = None,
) -> Simulation:
    """Run ``paths`` Monte Carlo paths of ``scenario`` on the portfolio.

    Parameters
    ----------
    pa : compiled portfolio.
    scenario : resolved scenario (``engine_params(scenario)`` unless ``params`` is given).
    paths : number of paths (>= 1).
    seed : root seed; with the same seed every scenario sees the same shocks.
    horizon : months simulated (``HORIZON_MIN_MONTHS`` .. ``HORIZON_MAX_MONTHS``).
    block_paths : paths per execution block (affects memory and speed, never results);
        ``None`` lets the executor choose (``DEFAULT_BLOCK_PATHS`` locally).
    transform : applied to each block's factor paths before the engine (paired bumps).
    executor : where blocks run; ``None`` runs them in this process, one after another
        (:class:`LocalExecutor`); ``cliffwatch.runs.cluster.DaskExecutor`` runs them on a Dask
        cluster with bit-identical results.
    """
    if paths < 1:
        raise ValueError("paths must be at least 1")
    if not HORIZON_MIN_MONTHS <= horizon <= HORIZON_MAX_MONTHS:
        raise ValueError(f"horizon must be between {HORIZON_MIN_MONTHS} and "
                         f"{HORIZON_MAX_MONTHS} months")
    if block_paths is not None and block_paths < 1:
        raise ValueError("block_paths must be at least 1")
    start = time.perf_counter()
    runner = executor if executor is not None else LocalExecutor()
    job = BlockJob(
        scenario=scenario,
        params=params if params is not None else engine_params(scenario),
        seed=seed,
        horizon=horizon,
        antithetic=antithetic,
        transform=transform,
    )
    size = (block_paths if block_paths is not None
            else runner.block_paths(paths, block_bytes_per_path(pa, horizon)))
    blocks = runner.map_blocks(pa, job, _bounds(paths, size), progress)
    summary, fan = merge_blocks(blocks)
    return Simulation(
        scenario=scenario,
        params=job.params,
        summary=summary,
        fan=fan,
        seconds=time.perf_counter() - start,
    )


MEDIAN_PATHS: int = 256
"""Paths whose per-month median forms the deterministic search path."""


def median_path(pa: PortfolioArrays, scenario: Scenario, seed: int, horizon: int) -> FactorPaths:
    """One path: the per-month median of every monthly factor across ``MEDIAN_PATHS`` paths and
    every per-obligor draw at its neutral value (:data:`~cliffwatch.market.paths.FACTOR_FIELDS`).

    Every field is set from the declaration, so no field keeps path 0's random draws.
    """
    fp = generate(Universe.from_arrays(pa), scenario, seed, 0, MEDIAN_PATHS, horizon)
    sizes = {**portfolio_sizes(pa, horizon), "path": 1}
    out = {}
    for f in FACTOR_FIELDS:
        if f.is_draw:
            out[f.name] = np.full(f.shape(sizes), f.neutral, dtype=f.dtype)
        else:
            out[f.name] = np.median(getattr(fp, f.name), axis=0, keepdims=True)
    return FactorPaths(**out)
