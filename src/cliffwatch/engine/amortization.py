"""Scheduled principal of a facility on a payment date.

Every rule is stateless given today's balance: the principal due is recomputed from the balance
and the number of scheduled payments left, so a draw, a rate reset or a refinancing simply
re-spreads what is owed. For a fixed rate this reproduces the level annuity exactly; for a
floating rate it is the re-amortisation rule of METHODS 7
(``pmt = npf.pmt(r_new / 12, remaining_n, -balance)`` at each reset).
"""

from __future__ import annotations

from numba import njit

from cliffwatch.codes import Amortization
from cliffwatch.units import MONTHS_PER_YEAR

ANNUITY = int(Amortization.annuity)
STRAIGHT_LINE = int(Amortization.straight_line)
CUSTOM = int(Amortization.custom)
BULLET = int(Amortization.bullet)
IO_THEN_ANNUITY = int(Amortization.io_then_annuity)
SWEEP = int(Amortization.sweep)


@njit(cache=True, error_model="numpy")
def level_payment(balance: float, rate_per_period: float, n_periods: int) -> float:
    """Level payment repaying ``balance`` in ``n_periods`` payments.

    ``pmt = P·r / (1 − (1 + r)^−n)`` (``P / n`` when ``r = 0``), USD per period; the same as
    ``-numpy_financial.pmt(r, n, P)``.
    """
    if n_periods <= 0:
        return balance
    if rate_per_period == 0.0:
        return balance / n_periods
    return balance * rate_per_period / (1.0 - (1.0 + rate_per_period) ** (-n_periods))


@njit(cache=True, error_model="numpy")
def balance_after(balance: float, rate_per_period: float, payment: float, k: int) -> float:
    """Balance after ``k`` level payments: ``P(1+r)^k − pmt·((1+r)^k − 1)/r``, USD."""
    if rate_per_period == 0.0:
        return balance - payment * k
    g = (1.0 + rate_per_period) ** k
    return balance * g - payment * (g - 1.0) / rate_per_period


@njit(cache=True, error_model="numpy")
def payments_left(months_since_start: int, pay_freq: int, amort_term_months: int) -> int:
    """Scheduled payments left, counting the one due now.

    The ``k``-th payment falls ``k·pay_freq`` months after the start; an amortisation term of
    ``n`` months holds ``n // pay_freq`` payments (at least one).
    """
    if pay_freq == 1:  # no integer division on the common monthly schedule
        return max(amort_term_months, 1) - months_since_start + 1
    n_total = max(amort_term_months // pay_freq, 1)
    k = months_since_start // pay_freq
    return n_total - k + 1


@njit(cache=True, error_model="numpy")
def amortizes(amort: int) -> bool:
    """Whether a facility with ``codes.Amortization`` code ``amort`` owes scheduled principal
    computed by :func:`scheduled_principal` (``annuity``, ``straight_line``,
    ``io_then_annuity``); for every other code that function returns 0."""
    return amort == ANNUITY or amort == STRAIGHT_LINE or amort == IO_THEN_ANNUITY


@njit(cache=True, error_model="numpy")
def scheduled_principal(
    amort: int,
    balance: float,
    annual_rate: float,
    pay_freq: int,
    months_since_start: int,
    amort_term_months: int,
    io_months: int,
) -> float:
    """Principal due on a payment date ``months_since_start`` months after the start.

    Parameters
    ----------
    amort : int
        ``codes.Amortization`` code. ``custom`` amounts come from the tape's schedule and
        ``bullet``/``sweep`` owe nothing on a payment date, so all three return 0 here.
    balance : float
        Balance before the payment, USD.
    annual_rate : float
        Nominal rate per year that the level payment is computed at (periodic rate
        ``annual_rate · pay_freq / 12``).
    pay_freq : int
        Months between payments.
    months_since_start, amort_term_months, io_months : int
        Months; an ``io_then_annuity`` facility amortises over ``amort_term_months`` counted
        from the end of its interest-only period.

    Returns
    -------
    float
        Principal due, USD, in ``[0, balance]``.
    """
    if balance <= 0.0:
        return 0.0
    r = annual_rate * pay_freq / MONTHS_PER_YEAR
    if amort == IO_THEN_ANNUITY:
        if months_since_start <= io_months:
            return 0.0
        months_since_start -= io_months
        amort = ANNUITY
    if amort == ANNUITY:
        n = payments_left(months_since_start, pay_freq, amort_term_months)
        if n <= 1:
            return balance
        return min(balance, max(level_payment(balance, r, n) - balance * r, 0.0))
    if amort == STRAIGHT_LINE:
        n = payments_left(months_since_start, pay_freq, amort_term_months)
        if n <= 1:
            return balance
        return balance / n
    return 0.0
