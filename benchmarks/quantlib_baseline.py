"""QuantLib baseline: the same loans' cash-flow schedules generated one facility at a time.

For each facility: a ``Schedule`` from the valuation date over the months it runs inside the
horizon at its payment frequency, then a ``FixedRateBond`` (bullet and other profiles) or an
``AmortizingFixedRateBond`` with ``sinkingNotionals`` (annuities), at its fixed coupon or, for a
floating loan, its spread plus the month-0 SOFR; the cash flows are summed in Python. This is
the cash-flow part of the step only (no revenue, no defaults, no paths): the rate is quoted per
facility-month of schedule generated.
"""

from __future__ import annotations

import QuantLib as ql
from numpy import datetime64

from cliffwatch.codes import Amortization, RateKind
from cliffwatch.tape.arrays import PortfolioArrays

MIN_MONTHS: int = 1
"""Facilities maturing in month 0 still get a one-month schedule."""


def _date(d: datetime64) -> ql.Date:
    y, m, day = (int(x) for x in str(d.astype("datetime64[D]")).split("-"))
    return ql.Date(day, m, y)


def facility_months(pa: PortfolioArrays, horizon: int) -> list[int]:
    """Months each facility's schedule covers inside the horizon."""
    return [max(min(int(m), horizon), MIN_MONTHS) for m in pa.f_maturity_month]


def generate_schedules(pa: PortfolioArrays, horizon: int, sofr0: float) -> tuple[float, int]:
    """Build every facility's bond and sum its cash flows; returns (total USD, facility-months)."""
    start = _date(pa.valuation_date)
    day_count = ql.Thirty360(ql.Thirty360.BondBasis)
    total, work = 0.0, 0
    for f, months in enumerate(facility_months(pa, horizon)):
        freq = max(int(pa.f_pay_freq[f]), 1)
        months = max(months - months % freq, freq)
        schedule = ql.Schedule(start, start + ql.Period(months, ql.Months),
                               ql.Period(freq, ql.Months), ql.NullCalendar(), ql.Unadjusted,
                               ql.Unadjusted, ql.DateGeneration.Forward, False)
        rate = float(pa.f_coupon[f]) if pa.f_rate_kind[f] == RateKind.fixed else float(
            pa.f_spread[f]) + max(sofr0, float(pa.f_floor[f]))
        face = max(float(pa.f_drawn[f]), 1.0)
        if pa.f_amort[f] == Amortization.annuity:
            notionals = list(ql.sinkingNotionals(ql.Period(months, ql.Months),
                                                 ql.Period(freq, ql.Months).frequency(), rate,
                                                 face))
            bond = ql.AmortizingFixedRateBond(0, notionals, schedule, [rate], day_count)
        else:
            bond = ql.FixedRateBond(0, face, schedule, [rate], day_count)
        total += sum(cf.amount() for cf in bond.cashflows())
        work += months
    return total, work
