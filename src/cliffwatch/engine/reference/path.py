"""Twin of ``kernel.py``: one path, month by month, borrower by borrower, steps in order."""

from __future__ import annotations

import numpy as np

from cliffwatch.engine.daycount import month_fractions
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.reference import (
    accrual,
    balloons,
    covenants,
    debt_service,
    default,
    distribution,
    draws,
    month_end,
    operations,
    sweeps,
)
from cliffwatch.engine.reference.common import rate
from cliffwatch.engine.reference.state import Borrower, BorrowerMonth, Facility
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, MONTHS_PER_YEAR


class ReferencePath:
    """One path of the monthly step; ``run()`` returns the summary and a cash-bridge log."""

    def __init__(self, pa: PortfolioArrays, fp: FactorPaths, params: EngineParams,
                 horizon: int, path: int = 0) -> None:
        self.pa, self.fp, self.prm, self.T, self.p = pa, fp, params, horizon, path
        self.yf = month_fractions(pa.valuation_date, horizon)
        self.fac = [self._new_facility(f) for f in range(pa.n_facilities)]
        self.bor = [Borrower(cash=float(c)) for c in pa.b_cash]
        self.impact = np.ones(len(pa.gpu_generations))
        self.sold = np.zeros(len(pa.gpu_generations))
        self.asset_value = np.zeros(pa.n_assets)
        self.churn = 0.0  # budget-years of reallocation C_t, the same for every software asset
        self.software = pa.software_borrowers()
        nb, nf, nl = pa.n_borrowers, pa.n_facilities, pa.n_lenders
        self.out = dict(
            default_month=np.full(nb, NO_MONTH), default_cause=np.zeros(nb, int),
            cliff_month=np.full(nb, NO_MONTH), fac_loss=np.zeros(nf), fac_ead=np.zeros(nf),
            fac_refi_month=np.full(nf, NO_MONTH), fac_refi_due=np.zeros(nf),
            fac_refi_outcome=np.zeros(nf, int), fac_peak_drawn=np.zeros(nf),
            lender_drawn=np.zeros((horizon, nl)), lender_undrawn=np.zeros((horizon, nl)),
            gpu_units_sold=np.zeros(len(pa.gpu_generations)),
        )
        self.log: list[dict[str, float]] = []

    def _new_facility(self, f: int) -> Facility:
        """Terms at the valuation date, with the interest accrued since the last payment date
        before month 0 (at month 0's rate, 30/360)."""
        pa = self.pa
        s = Facility(
            balance=float(pa.f_drawn[f]),
            available=max(float(pa.f_commitment[f] - pa.f_drawn[f]), 0.0),
            start=int(pa.f_start_month[f]), maturity=int(pa.f_maturity_month[f]),
            ard=int(pa.f_ard_month[f]), legal=int(pa.f_legal_final_month[f]),
            amort=int(pa.f_amort[f]), term=int(pa.f_amort_term_months[f]),
            io=int(pa.f_io_months[f]), rate_kind=int(pa.f_rate_kind[f]),
            spread=float(pa.f_spread[f]), coupon=float(pa.f_coupon[f]))
        if s.start < 0:
            since = (-s.start) % int(pa.f_pay_freq[f])
            s.accrued = s.balance * rate(self, f, s, 0) * since / MONTHS_PER_YEAR
        return s

    def run(self) -> dict[str, np.ndarray]:
        """Advance every borrower month by month; returns the one-path summary arrays."""
        for t in range(self.T):
            operations.month_start(self, t)
            for b in range(self.pa.n_borrowers):
                if self.bor[b].default_month == NO_MONTH:
                    self.borrower_month(b, t)
            month_end.close_month(self, t)  # 10
        self.out["gpu_price_impact"] = self.impact.copy()
        return self.out

    def borrower_month(self, b: int, t: int) -> None:
        """Steps 1-9 of docs/ENGINE.md for borrower ``b`` in month ``t``."""
        bo = self.bor[b]
        m = BorrowerMonth(cash_open=bo.cash, distribution_in=bo.dist_in)
        operations.operate(self, b, t, m)  # 1
        cause = default.cross_default(self, b, t)
        draws.scheduled_draws(self, b, t, m, cause)  # 2
        dues = debt_service.amounts_due(self, b, t, cause)  # 3
        cause = debt_service.pay(self, b, t, m, cause, dues)
        cause = balloons.settle_balloons(self, b, t, m, cause)  # 4
        sweeps.sweep(self, b, t, m, cause)  # 5
        accrual.accrue(self, b, t, cause)  # 6
        cause = covenants.test(self, b, t, m, cause)  # 7
        if cause:
            m.default_cash = default.liquidate(self, b, t, cause)  # 8
        distribution.distribute(self, b, t, m, cause)  # 9
        self.log.append(dict(month=t, borrower=b, **vars(m), cash_close=bo.cash))


def run_reference(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
                  horizon: int = HORIZON_DEFAULT_MONTHS,
                  path: int = 0) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Summary arrays (one path, no leading path axis) and the cash-bridge log of one path."""
    ref = ReferencePath(pa, fp, params or EngineParams(), horizon, path)
    return ref.run(), ref.log
