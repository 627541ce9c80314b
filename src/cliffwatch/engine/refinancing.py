"""Sizing of a refinancing loan (METHODS 6, lender refinance test).

``L_max = min(LTV_max · V, NOI / (DSCR_min · k(r)), NOI / DY_min)`` with the annual debt
constant ``k(r) = 12 · pmt(r/12, n, −1)`` of a loan amortising over ``n`` months.
"""

from __future__ import annotations

import math

from numba import njit

from cliffwatch.engine.amortization import level_payment
from cliffwatch.units import MONTHS_PER_YEAR


@njit(cache=True, error_model="numpy")
def debt_constant(annual_rate: float, amort_months: int) -> float:
    """Annual debt service per unit of loan, ``k(r) = 12·pmt(r/12, n, −1)``, 1/year.

    An ``amort_months`` of 0 means interest only: ``k = r``.
    """
    if amort_months <= 0:
        return annual_rate
    return MONTHS_PER_YEAR * level_payment(1.0, annual_rate / MONTHS_PER_YEAR, amort_months)


@njit(cache=True, error_model="numpy")
def max_new_loan(
    noi: float,
    value: float,
    annual_rate: float,
    amort_months: int,
    min_dscr: float,
    max_ltv: float,
    min_debt_yield: float,
) -> float:
    """Largest loan the refinancing lender offers, USD.

    Parameters
    ----------
    noi : float
        Net operating income available to the new loan, USD per year (<= 0 sizes to zero).
    value : float
        Collateral value, USD.
    annual_rate : float
        All-in rate of the new loan, per year.
    amort_months : int
        Amortisation of the new loan, months.
    min_dscr, max_ltv, min_debt_yield : float
        Sizing tests; a test set to 0 (DSCR, debt yield) or ``inf`` (LTV) does not bind.
    """
    cap = math.inf
    if max_ltv < math.inf:
        cap = min(cap, max_ltv * max(value, 0.0))
    if noi <= 0.0:
        return 0.0
    if min_dscr > 0.0:
        k = debt_constant(annual_rate, amort_months)
        if k > 0.0:
            cap = min(cap, noi / (min_dscr * k))
    if min_debt_yield > 0.0:
        cap = min(cap, noi / min_debt_yield)
    return cap
