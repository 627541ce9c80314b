"""Year-one base-case cash flow and debt service of a sample borrower, in closed form.

A deliberately simple, independent check of the sample's calibration (not the engine): revenue
at DOMAIN 6.1 base utilization and t0 rents, power at a flat price, the amortising-phase debt
service of every facility fully drawn, with the level payment from numpy-financial.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy_financial as npf

from cliffwatch.tape.schema import Asset, Facility, Portfolio
from cliffwatch.tape.vocab import parse_amortization

SOFR_T0_PCT = 3.65
"""SOFR at t0, percent (DOMAIN 3.1 / 5) [estimate]."""
HOURS_PER_YEAR = 8760.0
"""Hours in a (non-leap) year."""
CONTRACTED_UTILIZATION = 0.95
"""Utilization of contracted GPUs (DOMAIN 6.1 base) [estimate]."""
SPOT_UTILIZATION = 0.75
"""Utilization of uncontracted GPUs at t0 (DOMAIN 6.1 base) [estimate]."""
POWER_USD_PER_KWH = 0.06
"""Delivered power price, USD/kWh (DOMAIN 6.1: $60/MWh) [estimate]."""
MARKET_RENT_T0 = {"H100": 2.35, "H200": 3.00, "B200": 3.50, "GB200": 3.50, "GB300": 3.80}
"""Market rent per GPU-hour at t0 (DOMAIN 6.1; H200 and GB300 as in the market reference)."""
RESIDUAL_AGE_YEARS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)
"""Ages of the GPU residual-value curve, years."""
RESIDUAL_SHARE = (1.0, 0.65, 0.45, 0.30, 0.18, 0.12)
"""GPU value as a share of cost by age (DOMAIN 6.1 base, "GLRI" curve [weak])."""
DAYS_PER_YEAR = 365.25
KW_PER_MW = 1000.0
MONTHS_PER_YEAR = 12


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def given(value: float | None) -> float:
    """A column the tape rules make required for this row (validated tapes only)."""
    assert value is not None
    return value


def fleet_cash_flow(a: Asset, contracted_only: bool = False) -> float:
    """Annual CFADS of a GPU fleet (USD): contracted and spot revenue less power and opex."""
    hours = given(a.units) * HOURS_PER_YEAR
    share = a.contracted_share
    revenue = share * CONTRACTED_UTILIZATION * (a.contract_price_usd_per_gpu_hour or 0.0)
    if not contracted_only:
        revenue += (1 - share) * SPOT_UTILIZATION * MARKET_RENT_T0[str(a.gpu_generation)]
    cost = a.power_kw_per_gpu * a.pue * POWER_USD_PER_KWH + (a.opex_usd_per_gpu_hour or 0.0)
    return hours * (revenue - cost)


def centre_noi(a: Asset) -> float:
    """Annual NOI of a data centre at full rent (USD): leased kW x rent x 12 x (1 - opex)."""
    rent = a.leased_mw * KW_PER_MW * (a.lease_rate_usd_per_kw_month or 0.0) * MONTHS_PER_YEAR
    return rent * (1 - (a.opex_ratio or 0.0))


def software_ebitda(a: Asset) -> float:
    """Annual EBITDA of a software business at t0 (USD): ARR x EBITDA margin. Recurring
    revenue counts as contracted."""
    return given(a.arr_usd) * given(a.ebitda_margin_pct) / 100


def software_arr(p: Portfolio, borrower: str) -> float:
    """ARR of all the borrower's software businesses at t0 (USD per year)."""
    return sum(given(a.arr_usd) for a in p.assets
               if a.borrower_id == borrower and a.kind == "software_business")


def software_value(a: Asset) -> float:
    """Enterprise value of a software business at t0 (USD): ARR x the EV/ARR multiple."""
    return given(a.arr_usd) * given(a.ev_to_arr)


def cash_flow(p: Portfolio, borrower: str, contracted_only: bool = False) -> float:
    """Annual base CFADS of all the borrower's assets (USD)."""
    total = 0.0
    for a in p.assets:
        if a.borrower_id != borrower:
            continue
        if a.kind == "gpu_fleet":
            total += fleet_cash_flow(a, contracted_only)
        elif a.kind == "software_business":
            total += software_ebitda(a)
        else:
            total += centre_noi(a)
    return total


def annual_rate(f: Facility) -> float:
    """All-in annual rate as a decimal: the coupon, or SOFR at t0 plus the spread."""
    if f.coupon_pct is not None:
        return f.coupon_pct / 100
    return (SOFR_T0_PCT + (f.spread_bp or 0.0) / 100) / 100


def debt_service(f: Facility, as_of: date, amortising: bool = True) -> float:
    """Annual debt service of the full commitment (USD): interest only, or the level payment /
    straight-line principal of its amortising phase."""
    rate = annual_rate(f)
    interest = rate * f.commitment_usd
    rule, io_months = parse_amortization(f.amortization)
    term = f.amort_term_months or months_between(f.start_date or as_of, f.maturity_date)
    if not amortising or rule.name in {"bullet", "sweep", "custom"}:
        return interest
    if rule.name == "straight_line":
        return interest + f.commitment_usd / term * MONTHS_PER_YEAR
    monthly = -npf.pmt(rate / MONTHS_PER_YEAR, term - io_months, f.commitment_usd)
    return float(monthly) * MONTHS_PER_YEAR


def dscr(p: Portfolio, borrower: str, amortising: bool = True,
         contracted_only: bool = False) -> float:
    """Base year-one DSCR of a borrower: CFADS over the debt service of all its facilities."""
    service = sum(debt_service(f, p.info.as_of, amortising) for f in p.facilities
                  if f.borrower_id == borrower)
    return cash_flow(p, borrower, contracted_only) / service


def asset_value(a: Asset, as_of: date) -> float:
    """Collateral value at t0 (USD): GPU cost x age residual, data-centre NOI / cap rate, or a
    software business's ARR x EV/ARR."""
    if a.kind == "data_center":
        return centre_noi(a) / (given(a.cap_rate_pct) / 100)
    if a.kind == "software_business":
        return software_value(a)
    in_service = a.in_service_date or as_of
    age = max((as_of - in_service).days / DAYS_PER_YEAR, 0.0)
    residual = float(np.interp(age, RESIDUAL_AGE_YEARS, RESIDUAL_SHARE))
    return given(a.units) * given(a.unit_cost_usd) * residual


def ltv(p: Portfolio, f: Facility) -> float:
    """Loan-to-value of a secured facility at t0: its commitment plus that of every facility of
    the same borrower ranking at least as high on shared collateral, over the collateral value."""
    assets = {a.id: a for a in p.assets}
    shared = set(f.collateral)
    debt = sum(g.commitment_usd for g in p.facilities if g.borrower_id == f.borrower_id
               and g.rank <= f.rank and shared & set(g.collateral))
    return debt / sum(asset_value(assets[c], p.info.as_of) for c in shared)
