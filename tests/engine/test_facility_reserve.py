"""The per-facility reserve of an SPV distribution (docs/ENGINE.md, step 8b) against
numpy-financial: three months of interest and undrawn fee, the unpaid accruals, and the
scheduled principal of the payment dates in the next three months on today's balance."""

from __future__ import annotations

import numpy_financial as npf
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.codes import Amortization
from cliffwatch.engine.constants import DIST_RESERVE_MONTHS
from cliffwatch.engine.steps.distribution import facility_reserve as _facility_reserve

ANNUITY = int(Amortization.annuity)
BULLET = int(Amortization.bullet)
STRAIGHT_LINE = int(Amortization.straight_line)
FAR = 10_000  # a balloon month far outside the reserve window
REL = 1e-12


def _carry(bal: float, rate: float, accr: float, fee: float, avail: float, ufee: float) -> float:
    """Accruals plus three months of interest and undrawn fee, USD."""
    months = DIST_RESERVE_MONTHS / 12.0
    return accr + fee + bal * rate * months + avail * ufee * months


@settings(max_examples=200, deadline=None)
@given(bal=st.floats(1e3, 1e9), rate=st.floats(0.001, 0.25), t=st.integers(0, 40),
       term=st.integers(60, 360), accr=st.floats(0, 1e6), fee=st.floats(0, 1e5))
def test_monthly_annuity_reserve_is_three_ppmt_on_todays_balance(
        bal: float, rate: float, t: int, term: int, accr: float, fee: float) -> None:
    start = 0
    got = _facility_reserve(t, ANNUITY, start, term, 0, 1, FAR, rate, bal, accr, fee, 0.0, 0.0)
    # payment k months after the start has term - k + 1 payments left (the one due included)
    principal = sum(float(npf.ppmt(rate / 12, 1, term - m + 1, -bal))
                    for m in range(t + 1, t + DIST_RESERVE_MONTHS + 1))
    want = _carry(bal, rate, accr, fee, 0.0, 0.0) + principal
    assert abs(got - want) <= REL * want


def test_quarterly_straight_line_reserves_only_its_payment_date() -> None:
    bal, rate, term, t = 9e6, 0.08, 36, 4  # payment dates 3, 6, 9, ...: only month 6 inside
    got = _facility_reserve(t, STRAIGHT_LINE, 0, term, 0, 3, FAR, rate, bal, 0.0, 0.0, 0.0, 0.0)
    payments_left = term // 3 - 6 // 3 + 1
    want = _carry(bal, rate, 0.0, 0.0, 0.0, 0.0) + bal / payments_left
    assert abs(got - want) <= REL * want


def test_balloon_inside_the_window_reserves_the_whole_balance() -> None:
    bal, rate, avail, ufee = 5e6, 0.07, 2e6, 0.005
    for amort in (BULLET, ANNUITY):
        got = _facility_reserve(10, amort, 0, 120, 0, 1, 10 + DIST_RESERVE_MONTHS, rate, bal,
                                1e3, 2e2, avail, ufee)
        assert got == _carry(bal, rate, 1e3, 2e2, avail, ufee) + bal


def test_bullet_outside_the_window_reserves_only_carry() -> None:
    got = _facility_reserve(10, BULLET, 0, 120, 0, 1, FAR, 0.07, 5e6, 0.0, 0.0, 1e6, 0.004)
    assert got == _carry(5e6, 0.07, 0.0, 0.0, 1e6, 0.004)
