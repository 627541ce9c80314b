"""Dates to month offsets from the valuation month (month 0)."""

from __future__ import annotations

from datetime import date

import numpy as np

from cliffwatch.tape.arrays import NO_MONTH


def month_offset(day: date | None, as_of: date) -> int:
    """``(year - y0) * 12 + (month - m0)``; ``NO_MONTH`` for an absent date.

    Day-of-month is ignored: a date anywhere in the valuation month is month 0.
    """
    if day is None:
        return NO_MONTH
    return (day.year - as_of.year) * 12 + (day.month - as_of.month)


def month_start(day: date) -> np.datetime64:
    """First day of ``day``'s month as ``datetime64[D]``."""
    return np.datetime64(date(day.year, day.month, 1), "D")


def whole_months(start: date, end: date) -> int:
    """Calendar months from ``start`` to ``end`` (at least 1), as the month offsets differ."""
    return max(1, month_offset(end, start))
