"""METHODS 6 refinance sizing: the oracle table, then the kernel's maturity decisions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import DefaultCause, Rating, RefiOutcome
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.refinancing import debt_constant, max_new_loan
from cliffwatch.engine.run import run_block, trace

SIZING = dict(min_dscr=1.25, max_ltv=0.65, min_debt_yield=0.10)


@pytest.mark.parametrize(("rate", "k", "loan"), [
    (0.06, 0.071946, 100.0), (0.07, 0.079836, 100.0), (0.08, 0.088052, 90.8557)])
def test_oracle_table(rate: float, k: float, loan: float) -> None:
    assert debt_constant(rate, 360) == pytest.approx(k, abs=1e-6)
    got = min(max_new_loan(10.0, 10.0 / 0.065, rate, 360, **SIZING), 100.0)
    assert got == pytest.approx(loan, abs=1e-4)


def test_oracle_dscr_leg_at_7pct() -> None:
    assert 10.0 / (1.25 * debt_constant(0.07, 360)) == pytest.approx(100.205, abs=1e-3)


def test_stressed_oracle_ltv_binds() -> None:
    assert debt_constant(0.075, 360) == pytest.approx(0.083906, abs=1e-6)
    got = max_new_loan(8.5, 8.5 / 0.075, 0.075, 360, **SIZING)
    assert got == pytest.approx(73.6667, abs=1e-4)
    assert 100.0 - got == pytest.approx(26.3333, abs=1e-4)


def test_non_binding_tests_and_no_income() -> None:
    assert max_new_loan(10.0, 50.0, 0.07, 360, 0.0, math.inf, 0.0) == math.inf
    assert max_new_loan(0.0, 50.0, 0.07, 360, 1.25, 0.65, 0.1) == 0.0
    assert debt_constant(0.07, 0) == 0.07


M = 1e6
HY_SPREAD = 0.02  # spread index; rating B multiplier 1.30 makes the new-issue spread 2.6%


def _maturing(noi: float, value: float, cash: float, **tests: float):
    """A bullet loan of 100m maturing at month 0, income ``noi``/yr, collateral ``value``."""
    gpu = dict(units=1.0, contracted_share=1.0, contract_price=noi / 12 / 730.0)
    pa = portfolio(
        borrowers=[dict(cash=cash, rating=Rating.B)], assets=[gpu],
        facilities=[dict(drawn=100 * M, coupon=0.0, start_month=-12, maturity_month=0,
                         collateral=(0,), refi_amort_months=360, **tests)])
    return pa, dict(gpu_value=value, market_access=1.0, spread=HY_SPREAD)


def _sofr_for(rate: float) -> float:
    return rate - HY_SPREAD * EngineParams().rating_spread_multiplier[Rating.B]


def test_refinancing_passes_at_6pct() -> None:
    pa, lv = _maturing(10 * M, 10 * M / 0.065, 0.0, refi_min_dscr=1.25, refi_max_ltv=0.65,
                       refi_min_dy=0.10)
    s = run_block(pa, flat_paths(pa, 3, sofr=_sofr_for(0.06), **lv), horizon=3)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.refinanced
    assert s.fac_refi_due[0, 0] == pytest.approx(100 * M)
    assert s.default_month[0, 0] > 2


def test_refinancing_with_paydown_from_cash_at_8pct() -> None:
    pa, lv = _maturing(10 * M, 10 * M / 0.065, 9 * M, refi_min_dscr=1.25, refi_max_ltv=0.65,
                       refi_min_dy=0.10)
    out = trace(pa, flat_paths(pa, 3, sofr=_sofr_for(0.08), **lv), horizon=3)
    assert out["facility"]["balance"].iloc[0] == pytest.approx(90.8557 * M, abs=100.0)
    assert out["borrower"]["refi_paydown"].iloc[0] == pytest.approx(9.1443 * M, abs=100.0)


@pytest.mark.parametrize(("noi", "value", "rate", "test"), [
    (10 * M, 10 * M / 0.065, 0.08, dict(refi_min_dscr=1.25)),
    (8.5 * M, 8.5 * M / 0.075, 0.075, dict(refi_max_ltv=0.65)),
    (8.5 * M, 8.5 * M / 0.075, 0.075, dict(refi_min_dy=0.10)),
])
def test_refinancing_fails_on_each_test(noi: float, value: float, rate: float,
                                        test: dict) -> None:
    pa, lv = _maturing(noi, value, 0.0, **test)
    s = run_block(pa, flat_paths(pa, 3, sofr=_sofr_for(rate), **lv), horizon=3)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.failed_default
    assert s.default_month[0, 0] == 0
    assert s.default_cause[0, 0] == DefaultCause.maturity
    assert s.cliff_month[0, 0] == 0
    # the same test passes once the borrower can fund the shortfall from cash
    pa2, lv2 = _maturing(noi, value, 40 * M, **test)
    s2 = run_block(pa2, flat_paths(pa2, 3, sofr=_sofr_for(rate), **lv2), horizon=3)
    assert s2.fac_refi_outcome[0, 0] == RefiOutcome.refinanced


def test_closed_market_extends_once_then_defaults() -> None:
    pa, lv = _maturing(10 * M, 200 * M, 0.0, ext_months=6, ext_fee=0.001, ext_max_ltv=0.75)
    lv["market_access"] = 0.0
    out = trace(pa, flat_paths(pa, 12, **lv), horizon=12)
    s = run_block(pa, flat_paths(pa, 12, **lv), horizon=12)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.extended
    assert out["facility"]["fees"].iloc[0] == pytest.approx(0.001 * 100 * M)
    assert s.default_month[0, 0] == 6
    assert s.default_cause[0, 0] == DefaultCause.maturity


def test_spread_above_access_threshold_closes_market() -> None:
    pa, lv = _maturing(10 * M, 10 * M / 0.065, 0.0, access_spread=0.015)
    s = run_block(pa, flat_paths(pa, 3, **lv), horizon=3)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.failed_default
    lv["spread"] = 0.01
    s = run_block(pa, flat_paths(pa, 3, **lv), horizon=3)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.refinanced
    assert np.all(s.default_month > 2)
