"""Month fractions on the real calendar against QuantLib's day counters."""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.codes import DayCount
from cliffwatch.engine.daycount import days_in_months, month_fractions

ql = pytest.importorskip("QuantLib")


def test_days_in_months_knows_leap_years() -> None:
    np.testing.assert_array_equal(days_in_months(np.datetime64("2028-01-20"), 3), [31, 29, 31])


def test_fractions_match_quantlib_over_ten_years() -> None:
    months = 120
    got = month_fractions(np.datetime64("2026-07-01"), months)
    counters = {DayCount.thirty_360: ql.Thirty360(ql.Thirty360.BondBasis),
                DayCount.act_360: ql.Actual360(), DayCount.act_365f: ql.Actual365Fixed()}
    start = ql.Date(1, 7, 2026)
    for code, dc in counters.items():
        want = [dc.yearFraction(start + ql.Period(t, ql.Months),
                                start + ql.Period(t + 1, ql.Months)) for t in range(months)]
        np.testing.assert_allclose(got[code], want, rtol=1e-14)
