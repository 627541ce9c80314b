"""The Monte Carlo run: factor paths and the engine kernel over blocks of paths.

Random numbers come from the market layer's chunked ``SeedSequence`` scheme (one child per fixed
chunk of paths), and the kernel writes each path's outcome into that path's row only, so the
result is bit-identical whatever the block size or the number of threads. Blocks bound memory:
only one block's factor paths exist at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from cliffwatch.analytics.tables import concat_summaries
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import Scenario
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

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


def _factor_series(fp: FactorPaths, generations: tuple[str, ...]) -> dict[str, np.ndarray]:
    series = {
        "sofr": fp.sofr,
        "spread": fp.spread,
        "utilization": fp.utilization,
        "power_price": fp.power_price,
        "tech_earnings": fp.tech_earnings,
        "market_access": fp.market_access,
    }
    for g, name in enumerate(generations):
        series[f"gpu_rent:{name}"] = fp.gpu_rent[:, g, :]
        series[f"gpu_value:{name}"] = fp.gpu_value[:, g, :]
    return series


def simulate(
    pa: PortfolioArrays,
    scenario: Scenario,
    paths: int,
    seed: int,
    horizon: int = 60,
    *,
    block_paths: int = DEFAULT_BLOCK_PATHS,
    antithetic: bool = False,
    params: EngineParams | None = None,
    transform: Callable[[FactorPaths], FactorPaths] | None = None,
    progress: ProgressFn | None = None,
) -> Simulation:
    """Run ``paths`` Monte Carlo paths of ``scenario`` on the portfolio.

    Parameters
    ----------
    pa : compiled portfolio.
    scenario : resolved scenario (its ``engine_params()`` unless ``params`` is given).
    paths : number of paths (>= 1).
    seed : root seed; with the same seed every scenario sees the same shocks.
    horizon : months simulated (1..360).
    block_paths : paths per execution block (affects memory and speed, never results).
    transform : applied to each block's factor paths before the engine (paired bumps).
    """
    if paths < 1:
        raise ValueError("paths must be at least 1")
    if not 1 <= horizon <= 360:
        raise ValueError("horizon must be between 1 and 360 months")
    start = time.perf_counter()
    eng_params = params if params is not None else scenario.engine_params()
    universe = Universe.from_arrays(pa)
    reference = load_reference()
    summaries: list[EngineSummary] = []
    factor_blocks: dict[str, list[np.ndarray]] = {}
    for lo in range(0, paths, block_paths):
        hi = min(paths, lo + block_paths)
        fp = generate(universe, scenario, seed, lo, hi, horizon, antithetic=antithetic,
                      reference=reference)
        if transform is not None:
            fp = transform(fp)
        summaries.append(run_block(pa, fp, eng_params, horizon))
        for name, arr in _factor_series(fp, pa.gpu_generations).items():
            factor_blocks.setdefault(name, []).append(np.asarray(arr, dtype=np.float64))
        if progress is not None:
            progress(hi - lo)
    fan = {
        name: np.quantile(np.concatenate(blocks, axis=0), FAN_QUANTILES, axis=0)
        for name, blocks in factor_blocks.items()
    }
    return Simulation(
        scenario=scenario,
        params=eng_params,
        summary=concat_summaries(summaries),
        fan=fan,
        seconds=time.perf_counter() - start,
    )


MEDIAN_PATHS: int = 256
"""Paths whose per-month median forms the deterministic search path."""
_MEDIAN_FIELDS = ("sofr", "spread", "utilization", "power_price", "tech_earnings", "dc_value",
                  "market_access")


def median_path(pa: PortfolioArrays, scenario: Scenario, seed: int, horizon: int) -> FactorPaths:
    """One path: the per-month median of each factor, idiosyncratic draws neutral."""
    fp = generate(Universe.from_arrays(pa), scenario, seed, 0, MEDIAN_PATHS, horizon)
    med = {name: np.median(getattr(fp, name), axis=0, keepdims=True) for name in _MEDIAN_FIELDS}
    return replace(
        fp.take(0, 1),
        **med,
        gpu_rent=np.median(fp.gpu_rent, axis=0, keepdims=True),
        gpu_value=np.median(fp.gpu_value, axis=0, keepdims=True),
        util_idio=np.zeros((1, pa.n_borrowers)),
        cpty_default_month=np.full((1, pa.n_counterparties), NO_MONTH, dtype=np.int32),
        borrower_ext_default_month=np.full((1, pa.n_borrowers), NO_MONTH, dtype=np.int32),
        refi_u=np.zeros((1, pa.n_facilities)),
    )
