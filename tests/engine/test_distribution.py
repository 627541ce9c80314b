"""An SPV passes its cash above a reserve to its parent (docs/ENGINE.md, step 9)."""

from __future__ import annotations

import pytest
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import Amortization, CovenantAction
from cliffwatch.engine.run import trace

M = 1e6
HORIZON = 6
SPV_CASH = 10 * M
LOAN = 1 * M
COUPON = 0.06
MONTHLY_INTEREST = LOAN * COUPON / 12  # 30/360, monthly pay


def _parent_and_spv(**loan_terms: object) -> dict:
    pa = portfolio(
        borrowers=[dict(cash=0.0), dict(cash=SPV_CASH, parent=0)],
        facilities=[dict(borrower=1, drawn=LOAN, coupon=COUPON, **loan_terms)])
    return trace(pa, flat_paths(pa, HORIZON), horizon=HORIZON)["borrower"]


def test_spv_keeps_its_reserve_and_the_parent_receives_the_rest_next_month() -> None:
    bor = _parent_and_spv()
    spv = bor[bor["borrower"] == 1].reset_index(drop=True)
    par = bor[bor["borrower"] == 0].reset_index(drop=True)
    # month 0 (hand computed): no payment yet; reserve = month 0's accrual + 3 months ahead
    reserve = 4 * MONTHLY_INTEREST
    assert abs(spv["distribution_out"].iloc[0] - (SPV_CASH - reserve)) < 1e-6
    assert abs(spv["cash_close"].iloc[0] - reserve) < 1e-6
    # month 1 pays one month; the reserve now is again 4 months, so nothing more goes up
    assert spv["distribution_out"].iloc[1] == 0.0
    # the parent comes first in borrower order, so the cash arrives in month 1
    assert par["distribution_in"].iloc[0] == 0.0
    assert par["distribution_in"].iloc[1] == spv["distribution_out"].iloc[0]


def test_reserve_holds_the_next_quarterly_principal() -> None:
    """A quarterly straight-line loan whose first payment is in month 3: the reserve at month 0
    holds that payment (interest 3 months + principal balance / 4), hand computed."""
    bor = _parent_and_spv(pay_freq=3, amort=Amortization.straight_line,
                          amort_term_months=12, maturity_month=12)
    spv = bor[bor["borrower"] == 1].reset_index(drop=True)
    quarter_interest = 3 * MONTHLY_INTEREST
    # accrued month 0 (1 month) + 3 months ahead + principal of the month-3 payment
    reserve = MONTHLY_INTEREST + quarter_interest + LOAN / 4
    assert abs(spv["cash_close"].iloc[0] - reserve) < 1e-6
    assert bor[bor["borrower"] == 1]["status"].max() == 0  # it pays month 3


def test_parent_later_in_order_receives_the_same_month() -> None:
    pa = portfolio(borrowers=[dict(cash=SPV_CASH, parent=1), dict(cash=0.0)])
    bor = trace(pa, flat_paths(pa, HORIZON), horizon=HORIZON)["borrower"]
    spv, par = bor[bor["borrower"] == 0], bor[bor["borrower"] == 1]
    assert spv["distribution_out"].iloc[0] == SPV_CASH
    assert par["distribution_in"].iloc[0] == SPV_CASH


REVENUE = 50_000.0  # USD per month from one contracted GPU, ten times the interest
LOW_LTV_LIMIT = 0.5  # the 1M loan on one GPU worth 20,000 breaches it at every test


def _spv_with_income(**loan_terms: object) -> dict:
    gpu = dict(borrower=1, units=1.0, contracted_share=1.0, contract_price=REVENUE / 730.0)
    pa = portfolio(
        borrowers=[dict(cash=0.0), dict(cash=SPV_CASH, parent=0)], assets=[gpu],
        facilities=[dict(borrower=1, drawn=LOAN, coupon=COUPON, collateral=(0,),
                         **loan_terms)])
    bor = trace(pa, flat_paths(pa, HORIZON), horizon=HORIZON)["borrower"]
    return bor[bor["borrower"] == 1].reset_index(drop=True)


@pytest.mark.parametrize("action", [CovenantAction.cash_trap, CovenantAction.none])
def test_trapped_or_breached_spv_distributes_nothing_after_the_test(
        action: CovenantAction) -> None:
    free = _spv_with_income()
    assert free["distribution_out"].iloc[3] > 0.0  # income above the reserve goes up
    held = _spv_with_income(max_ltv=LOW_LTV_LIMIT, cov_action=action)
    assert held["distribution_out"].iloc[0] > 0.0  # before the first test (month 2)
    assert (held["distribution_out"].iloc[3:] == 0.0).all()
    assert held["status"].max() == 0
