"""Interest and principal of traced facilities against QuantLib bonds (1e-8 relative).

QuantLib is the independent oracle for the calendar: monthly schedules on the first of the
month, unadjusted, with the facility's day count. A payment dated the first of month ``t`` is
the kernel's debt service of month ``t``.
"""

from __future__ import annotations

import numpy as np
import pytest

ql = pytest.importorskip("QuantLib")

from tests.engine.factory import VALUATION, flat_paths, one_loan  # noqa: E402

from cliffwatch.codes import Amortization, DayCount, RateKind  # noqa: E402
from cliffwatch.engine.run import trace  # noqa: E402

FACE = 1_000_000.0
START = ql.Date(1, 7, 2026)
DC = {DayCount.thirty_360: ql.Thirty360(ql.Thirty360.BondBasis),
      DayCount.act_360: ql.Actual360(), DayCount.act_365f: ql.Actual365Fixed()}


def _schedule(months: int, freq: int = 1) -> ql.Schedule:
    return ql.Schedule(START, START + ql.Period(months, ql.Months), ql.Period(freq, ql.Months),
                       ql.NullCalendar(), ql.Unadjusted, ql.Unadjusted,
                       ql.DateGeneration.Forward, False)


def _month(d: ql.Date) -> int:
    return (d.year() - 2026) * 12 + d.month() - 7


def _ql_flows(bond: ql.Bond, months: int) -> tuple[np.ndarray, np.ndarray]:
    """(interest, principal) paid at the first of each month 0..months."""
    interest = np.zeros(months + 1)
    principal = np.zeros(months + 1)
    for cf in bond.cashflows():
        t = _month(cf.date())
        coupon = ql.as_coupon(cf)
        if coupon is not None:
            interest[t] += cf.amount()
        else:
            principal[t] += cf.amount()
    return interest, principal


def _run(pa, months: int, **levels: object) -> tuple[np.ndarray, np.ndarray]:
    fac = trace(pa, flat_paths(pa, months + 1, **levels), horizon=months + 1)["facility"]
    paid_at_maturity = fac["principal"].to_numpy()
    return fac["interest"].to_numpy(), paid_at_maturity


def _check(ql_int, ql_prin, eng_int, eng_prin) -> None:
    np.testing.assert_allclose(eng_int, ql_int, rtol=1e-8, atol=1e-6)
    np.testing.assert_allclose(eng_prin, ql_prin, rtol=1e-8, atol=1e-6)


@pytest.mark.parametrize("dc", list(DC))
def test_bullet_matches_fixed_rate_bond(dc: DayCount) -> None:
    months = 36
    bond = ql.FixedRateBond(0, FACE, _schedule(months, 3), [0.07], DC[dc])
    qi, qp = _ql_flows(bond, months)
    pa = one_loan(cash=1e8, drawn=FACE, coupon=0.07, maturity_month=months, pay_freq=3,
                  day_count=dc, amort=Amortization.bullet)
    ei, ep = _run(pa, months)
    _check(qi, qp, ei, ep)


def test_fixed_annuity_matches_amortizing_bond() -> None:
    months = 60
    notionals = list(ql.sinkingNotionals(ql.Period(months, ql.Months), ql.Monthly, 0.06, FACE))
    bond = ql.AmortizingFixedRateBond(0, notionals, _schedule(months), [0.06],
                                      DC[DayCount.thirty_360])
    qi, qp = _ql_flows(bond, months)
    pa = one_loan(cash=1e8, drawn=FACE, coupon=0.06, maturity_month=months,
                  amort=Amortization.annuity, amort_term_months=months)
    ei, ep = _run(pa, months)
    _check(qi, qp, ei, ep)


def test_straight_line_act360_matches_notional_schedule() -> None:
    months, freq = 48, 3
    n = months // freq
    notionals = [FACE * (1 - k / n) for k in range(n)]
    bond = ql.AmortizingFixedRateBond(0, notionals, _schedule(months, freq), [0.055],
                                      DC[DayCount.act_360])
    qi, qp = _ql_flows(bond, months)
    pa = one_loan(cash=1e8, drawn=FACE, coupon=0.055, maturity_month=months, pay_freq=freq,
                  day_count=DayCount.act_360, amort=Amortization.straight_line,
                  amort_term_months=months)
    ei, ep = _run(pa, months)
    _check(qi, qp, ei, ep)


def test_custom_schedule_matches_amortizing_bond() -> None:
    months = 24
    repay = {6: 100_000.0, 12: 250_000.0, 18: 150_000.0}
    notionals, left = [], FACE
    for t in range(months // 6):
        notionals.append(left)
        left -= repay.get(6 * (t + 1), 0.0)
    bond = ql.AmortizingFixedRateBond(0, notionals, _schedule(months, 6), [0.08],
                                      DC[DayCount.act_365f])
    qi, qp = _ql_flows(bond, months)
    pa = one_loan(cash=1e8, drawn=FACE, coupon=0.08, maturity_month=months, pay_freq=6,
                  day_count=DayCount.act_365f, amort=Amortization.custom,
                  schedule=tuple(repay.items()))
    ei, ep = _run(pa, months)
    _check(qi, qp, ei, ep)


def test_floating_loan_matches_floating_rate_bond_on_sofr_path() -> None:
    months = 24
    rng = np.random.default_rng(7)
    sofr = 0.04 + np.cumsum(rng.normal(0, 0.002, months + 1))
    index = ql.IborIndex("SOFR1M", ql.Period(1, ql.Months), 0, ql.USDCurrency(),
                         ql.NullCalendar(), ql.Unadjusted, False, ql.Actual360())
    for t in range(months + 1):
        index.addFixing(START + ql.Period(t, ql.Months), float(sofr[t]), True)
    ql.Settings.instance().evaluationDate = ql.Date(1, 1, 2040)
    try:
        bond = ql.FloatingRateBond(0, FACE, _schedule(months), index, ql.Actual360(),
                                   ql.Unadjusted, 0, [1.0], [0.0275])
        qi, qp = _ql_flows(bond, months)
    finally:
        ql.Settings.instance().evaluationDate = ql.Date(1, 7, 2026)
    pa = one_loan(cash=1e8, drawn=FACE, rate_kind=RateKind.floating, spread=0.0275,
                  floor=-1.0, maturity_month=months, day_count=DayCount.act_360)
    ei, ep = _run(pa, months, sofr=sofr[None, :])
    _check(qi, qp, ei, ep)


def test_valuation_date_is_the_ql_start() -> None:
    assert str(VALUATION) == START.ISO()
