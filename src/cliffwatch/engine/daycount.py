"""Day-count fractions of the monthly grid.

The engine accrues interest month by month from the first day of each month to the first day of
the next (payments fall on the first of the month, unadjusted). For such a whole-month period:

* 30/360: ``30 / 360 = 1/12`` whatever the calendar month;
* ACT/360: ``days_in_month / 360``;
* ACT/365F: ``days_in_month / 365``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cliffwatch.codes import DayCount

DAYS_PER_YEAR_360: float = 360.0
"""Denominator of the 30/360 and ACT/360 conventions, days."""
DAYS_PER_YEAR_365: float = 365.0
"""Denominator of ACT/365 Fixed, days."""
DAYS_PER_MONTH_30_360: float = 30.0
"""A whole month under 30/360, days."""
N_DAY_COUNTS: int = len(DayCount)


@njit(cache=True)
def month_fraction(day_count: int, days_in_month: float) -> float:
    """Year fraction of one whole calendar month under a day count.

    Parameters
    ----------
    day_count : int
        ``codes.DayCount`` code.
    days_in_month : float
        Actual days from the first of the month to the first of the next.

    Returns
    -------
    float
        Year fraction, years.
    """
    if day_count == 0:  # thirty_360
        return DAYS_PER_MONTH_30_360 / DAYS_PER_YEAR_360
    if day_count == 1:  # act_360
        return days_in_month / DAYS_PER_YEAR_360
    return days_in_month / DAYS_PER_YEAR_365


def days_in_months(valuation_date: np.datetime64, months: int) -> np.ndarray:
    """Actual days of each month of the grid.

    Parameters
    ----------
    valuation_date : numpy.datetime64
        Any day of month 0 (the grid starts on the first of that month).
    months : int
        Number of months.

    Returns
    -------
    numpy.ndarray
        (months,) float64 days in month ``t``.
    """
    first = np.asarray(valuation_date).astype("datetime64[M]")
    starts = (first + np.arange(months + 1)).astype("datetime64[D]")
    return np.diff(starts).astype(np.float64)


def month_fractions(valuation_date: np.datetime64, months: int) -> np.ndarray:
    """Year fraction of each month under every day count.

    Returns
    -------
    numpy.ndarray
        (N_DAY_COUNTS, months) float64, row ``codes.DayCount`` code, years.
    """
    days = days_in_months(valuation_date, months)
    out = np.empty((N_DAY_COUNTS, months))
    for dc in range(N_DAY_COUNTS):
        for t in range(months):
            out[dc, t] = month_fraction(dc, days[t])
    return out
