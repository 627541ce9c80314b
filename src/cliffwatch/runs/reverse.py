"""Reverse stress on the engine: the utilization level and the rent decline at which each
borrower defaults within the horizon (METHODS 9).

The search runs on one deterministic path, the cross-path median of a scenario's factors with
every idiosyncratic draw neutral (no counterparty defaults, average borrower utilization,
refinancing access whenever the market's access probability is positive), so the default
indicator is a deterministic function of the one shock being searched. Utilization is held at
the level for every month; a rent decline scales GPU rents and GPU values together (value is
tied to rent through its capitalization).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from cliffwatch.analytics.reverse_stress import ReverseStressResult, solve_indicator
from cliffwatch.analytics.tables import reverse_stress_table as _table
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import Scenario
from cliffwatch.runs.montecarlo import median_path
from cliffwatch.runs.params import engine_params
from cliffwatch.tape.arrays import PortfolioArrays

SEARCH_TOL: float = 1e-4
"""Width of the final bracket, in shock units (utilization share, rent-decline share)."""


def _defaults(pa: PortfolioArrays, params: EngineParams, horizon: int,
              shocked: Callable[[float], FactorPaths], borrower: int) -> Callable[[float], bool]:
    def indicator(level: float) -> bool:
        s = run_block(pa, shocked(level), params, horizon)
        return bool(s.default_month[0, borrower] < horizon)
    return indicator


def solve_borrowers(
    pa: PortfolioArrays, path: FactorPaths, params: EngineParams, horizon: int
) -> tuple[dict[int, ReverseStressResult], dict[int, ReverseStressResult]]:
    """Per borrower: (utilization threshold in [0, 1], rent-decline threshold in [0, 1])."""
    def at_utilization(u: float) -> FactorPaths:
        return replace(path, utilization=np.full_like(path.utilization, u))

    def at_rent_decline(d: float) -> FactorPaths:
        return replace(path, gpu_rent=path.gpu_rent * (1.0 - d),
                       gpu_value=path.gpu_value * (1.0 - d))

    util: dict[int, ReverseStressResult] = {}
    rent: dict[int, ReverseStressResult] = {}
    for b in range(pa.n_borrowers):
        util[b] = solve_indicator(_defaults(pa, params, horizon, at_utilization, b),
                                  0.0, 1.0, SEARCH_TOL)
        rent[b] = solve_indicator(_defaults(pa, params, horizon, at_rent_decline, b),
                                  0.0, 1.0, SEARCH_TOL)
    return util, rent


def reverse_stress_table(pa: PortfolioArrays, scenario: Scenario, seed: int,
                         horizon: int) -> pd.DataFrame:
    """The ``reverse_stress`` result table for ``scenario``'s median path."""
    params = replace(engine_params(scenario), contagion=False)
    util, rent = solve_borrowers(pa, median_path(pa, scenario, seed, horizon), params, horizon)
    return _table(pa, util, rent)
