"""A maturing facility tries to refinance in each month of the window before its maturity."""

from __future__ import annotations

import numpy as np
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import RefiOutcome
from cliffwatch.engine.constants import GOLDEN_FRACTION
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block
from cliffwatch.tape.arrays import NO_MONTH

MATURITY = 12
HORIZON = 16
WINDOW = 6
OPEN_MONTH = 8  # the only month the market is open
CASH = 100_000.0  # with the revenue, pays the interest but not the 1M balloon
REVENUE = 20_000.0  # USD per month from one contracted GPU: positive NOI for the new loan


def _run(window: int, access: np.ndarray, refi_u: float = 0.5, cash: float = CASH,
         **terms: float) -> tuple[int, int, int]:
    gpu = dict(units=1.0, contracted_share=1.0, contract_price=REVENUE / 730.0)
    pa = portfolio(borrowers=[dict(cash=cash)], assets=[gpu],
                   facilities=[dict(maturity_month=MATURITY, collateral=(0,), **terms)])
    fp = flat_paths(pa, HORIZON, market_access=access, refi_u=refi_u)
    s = run_block(pa, fp, EngineParams(refi_window_months=window), horizon=HORIZON)
    return (int(s.fac_refi_month[0, 0]), int(s.fac_refi_outcome[0, 0]),
            int(s.default_month[0, 0]))


def _open_only(month: int) -> np.ndarray:
    access = np.zeros(HORIZON)
    access[month] = 1.0
    return access


def test_refinances_early_when_the_market_opens_inside_the_window() -> None:
    assert _run(WINDOW, _open_only(OPEN_MONTH)) == (OPEN_MONTH, RefiOutcome.refinanced,
                                                    NO_MONTH)


def test_without_window_a_closed_market_at_maturity_defaults() -> None:
    assert _run(0, _open_only(OPEN_MONTH)) == (MATURITY, RefiOutcome.failed_default,
                                               MATURITY)


def test_market_open_before_the_window_does_not_count() -> None:
    before = MATURITY - WINDOW - 1
    assert _run(WINDOW, _open_only(before)) == (MATURITY, RefiOutcome.failed_default,
                                                MATURITY)


def test_each_month_draws_the_golden_ratio_rotation_of_refi_u() -> None:
    """Constant access 0.3: the first month k before maturity (k = 6 .. 0) whose
    frac(u + k·φ) < 0.3 refinances (oracle computed here, not by the engine)."""
    access, u = 0.3, 0.9
    draws = {k: (u + k * GOLDEN_FRACTION) % 1.0 for k in range(WINDOW, -1, -1)}
    first = next(k for k, d in draws.items() if d < access)
    month, outcome, _ = _run(WINDOW, np.full(HORIZON, access), refi_u=u)
    assert (month, outcome) == (MATURITY - first, RefiOutcome.refinanced)


def test_a_partial_refinancing_waits_for_the_maturity_date() -> None:
    """Debt-yield sizing gives ~half the balloon: no early refinancing with a cash paydown in
    the window; at maturity the new loan plus cash from the balance sheet takes it out."""
    half_sizing_dy = 2 * 12 * REVENUE / 1e6  # NOI / DY ~ 0.5M of the 1M balloon
    got = _run(WINDOW, np.ones(HORIZON), cash=1e6, refi_min_dy=half_sizing_dy)
    assert got == (MATURITY, RefiOutcome.refinanced, NO_MONTH)
