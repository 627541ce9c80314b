"""A readable reference model of one path, written to be audited rather than to be fast.

It reads ``PortfolioArrays`` and ``FactorPaths`` field by field (not the kernel's packed
arrays), keeps state in small dataclasses, and computes each quantity in a small function whose
docstring gives its formula. Tests run it beside the compiled kernel on random portfolios and
require the same results. It shares with the kernel only the schedule and sizing formulas
(``amortization``, ``refinancing``), which have their own oracle tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from cliffwatch.codes import (
    Amortization,
    AssetKind,
    CovenantAction,
    DefaultCause,
    FacilityKind,
    RateKind,
    RefiOutcome,
    RefKind,
)
from cliffwatch.engine.amortization import scheduled_principal
from cliffwatch.engine.constants import (
    BALANCE_EPS,
    COVENANT_TEST_MONTHS,
    DEFAULT_REFI_TENOR_MONTHS,
    DIST_RESERVE_MONTHS,
    GOLDEN_FRACTION,
    UTIL_CLIP,
)
from cliffwatch.engine.daycount import month_fractions
from cliffwatch.engine.layout import ST_ACTIVE, ST_CLOSED, ST_DEFAULTED, ST_POST_ARD
from cliffwatch.engine.params import HOURS_PER_MONTH, EngineParams
from cliffwatch.engine.refinancing import max_new_loan
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

WINDOW = 3  # trailing months of the covenant and refinancing figures


@dataclass
class Facility:
    """Mutable state of one facility on the path."""

    balance: float
    available: float
    start: int
    maturity: int
    ard: int
    legal: int
    amort: int
    term: int
    io: int
    rate_kind: int
    spread: float
    coupon: float
    accrued: float = 0.0
    fee_accrued: float = 0.0
    step_accrued: float = 0.0
    status: int = ST_ACTIVE
    extended: bool = False
    trapped: bool = False
    pik: float = 0.0  # interest capitalised by the PIK toggle since the last refinancing
    debt_service: list[float] = field(default_factory=lambda: [0.0] * WINDOW)

    @property
    def open(self) -> bool:
        return self.status in (ST_ACTIVE, ST_POST_ARD)


@dataclass
class Borrower:
    cash: float
    default_month: int = NO_MONTH
    dist_in: float = 0.0
    breached: bool = False
    cfads: list[float] = field(default_factory=lambda: [0.0] * WINDOW)
    debt_service: list[float] = field(default_factory=lambda: [0.0] * WINDOW)


class ReferencePath:
    """One path of the monthly step; ``run()`` returns the summary and a cash-bridge log."""

    def __init__(self, pa: PortfolioArrays, fp: FactorPaths, params: EngineParams,
                 horizon: int, path: int = 0) -> None:
        self.pa, self.fp, self.prm, self.T, self.p = pa, fp, params, horizon, path
        self.yf = month_fractions(pa.valuation_date, horizon)
        self.fac = [self._new_facility(f) for f in range(pa.n_facilities)]
        self.bor = [Borrower(cash=float(c)) for c in pa.b_cash]
        self.impact = np.ones(len(pa.gpu_generations))
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

    # ------------------------------------------------------------------ set-up
    def _new_facility(self, f: int) -> Facility:
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
            # interest since the last payment date before month 0, at month 0's rate, 30/360
            since = (-s.start) % int(pa.f_pay_freq[f])
            s.accrued = s.balance * self.rate(f, s, 0) * since / 12.0
        return s

    # ------------------------------------------------------------- quantities
    def rate(self, f: int, s: Facility, t: int) -> float:
        """Contractual rate: fixed coupon, or ``spread + min(max(SOFR_t, floor), cap)``."""
        if s.rate_kind == RateKind.floating:
            sofr = self.fp.sofr[self.p, t]
            return s.spread + min(max(sofr, self.pa.f_floor[f]), self.pa.f_cap[f])
        return s.coupon

    def obligor_pays(self, kind: int, idx: int, t: int) -> bool:
        """A counterparty pays before its default month; a borrower of the book before its
        exogenous default month and through the month of its in-path default."""
        if kind == RefKind.none or idx < 0:
            return True
        if kind == RefKind.counterparty:
            return self.fp.cpty_default_month[self.p, idx] > t
        return (self.fp.borrower_ext_default_month[self.p, idx] > t
                and self.bor[idx].default_month >= t)

    def utilization(self, b: int, t: int) -> float:
        """``logistic(logit(U_t) + idio_util_vol × z_b)``."""
        u = min(max(self.fp.utilization[self.p, t], UTIL_CLIP), 1.0 - UTIL_CLIP)
        x = math.log(u / (1.0 - u)) + self.prm.idio_util_vol * self.fp.util_idio[self.p, b]
        return 1.0 / (1.0 + math.exp(-x))

    def gpu_month(self, a: int, t: int, util: float) -> tuple[float, float, float]:
        """(revenue, opex, rvg) of a GPU fleet.

        contracted units ``cu = units × share`` (× renewal probability and price × renewal
        ratio after the contract end; 0 if the customer defaulted); revenue
        ``730 × (cu × price + (units − cu) × util × rent)``; opex ``730 × (busy units × kW ×
        PUE × power price + units × other opex)``; RVG ``amount × (1 − renewal prob)`` at the
        contract end if the guarantor pays.
        """
        pa, p, prm = self.pa, self.p, self.prm
        units, g, end = pa.a_units[a], pa.a_gpu_gen[a], pa.a_contract_end_month[a]
        rev = opex = rvg = 0.0
        if t >= pa.a_in_service_month[a]:
            cu = units * pa.a_contracted_share[a]
            price = pa.a_contract_price[a]
            if t >= end:
                cu *= prm.contract_renewal_prob
                price *= prm.renewal_rent_ratio
            if not self.obligor_pays(pa.a_cpty_kind[a], pa.a_cpty[a], t):
                cu = 0.0
            mu = units - cu
            busy = cu + mu * util
            rev = HOURS_PER_MONTH * (cu * price + mu * util * self.fp.gpu_rent[p, g, t])
            opex = HOURS_PER_MONTH * (busy * pa.a_power_kw[a] * pa.a_pue[a]
                                      * self.fp.power_price[p, t]
                                      + units * pa.a_opex_per_gpu_hour[a])
        if t == end and pa.a_rvg_kind[a] != RefKind.none and self.obligor_pays(
                pa.a_rvg_kind[a], pa.a_rvg[a], t):
            rvg = pa.a_rvg_amount[a] * (1.0 - prm.contract_renewal_prob)
        self.asset_value[a] = units * self.fp.gpu_value[p, g, t] * self.impact[g]
        return rev, opex, rvg

    def dc_rent(self, a: int, month: int) -> float:
        """``leased_mw × 1000 × rate × (1 + escalator)^(whole years since completion)``."""
        pa = self.pa
        years = max(month - pa.a_completion_month[a], 0) // 12
        return pa.a_leased_mw[a] * 1000.0 * pa.a_lease_rate[a] * (1.0 + pa.a_escalator[a]) ** years

    def dc_month(self, a: int, t: int) -> tuple[float, float, float, float]:
        """(revenue, opex, capex, rvg) of a data center; value = 12 × NOI / cap × dc_value −
        capex still to spend, NOI = rent × (1 − opex ratio) on the in-place rent if tenant or
        backstop pays, else on the re-let rent (× ``dc_relet_rent_ratio``)."""
        pa, prm = self.pa, self.prm
        comp, end = pa.a_completion_month[a], pa.a_lease_end_month[a]
        sched = self.dc_rent(a, max(t, comp))
        if t >= end:
            sched *= prm.lease_renewal_prob
        payer = self.obligor_pays(pa.a_cpty_kind[a], pa.a_cpty[a], t)
        if not payer and t < end and pa.a_backstop_kind[a] != RefKind.none:
            payer = self.obligor_pays(pa.a_backstop_kind[a], pa.a_backstop[a], t)
        rev = sched if (t >= comp and payer) else 0.0
        opex = pa.a_opex_ratio[a] * sched if t >= comp else 0.0
        capex = pa.a_capex_remaining[a] / comp if t < comp else 0.0
        left = pa.a_capex_remaining[a] * (comp - t - 1) / comp if t < comp else 0.0
        noi = sched * (1.0 - pa.a_opex_ratio[a])
        if not payer:
            noi *= prm.dc_relet_rent_ratio
        self.asset_value[a] = max(12.0 * noi / pa.a_cap_rate[a] * self.fp.dc_value[self.p, t]
                                  - left, 0.0)
        rvg = 0.0
        if t == end and pa.a_rvg_kind[a] != RefKind.none and self.obligor_pays(
                pa.a_rvg_kind[a], pa.a_rvg[a], t):
            rvg = pa.a_rvg_amount[a] * (1.0 - prm.lease_renewal_prob)
        return rev, opex, capex, rvg

    def software_month(self, a: int, t: int) -> tuple[float, float, float]:
        """(revenue, opex, ARR) of a software business in month ``t``.

        ``C_t = Σ_{s≤t} max(B_s, 0) / 12``; ``plan_t = ARR_0 (1 + g)^(t/12)``;
        ``ARR_t = plan_t × exp(−v κ C_t) × max(1 − v B_t, 0)``; revenue ``ARR_t / 12``; opex
        ``(1 − gm) × revenue + (gm − em) × plan_t / 12``; value ``EV/ARR × ARR_t × M_t``.
        """
        pa, fp, p = self.pa, self.fp, self.p
        budget = fp.software_budget[p, t]
        v = pa.a_vulnerability[a]
        plan = pa.a_arr[a] * (1.0 + pa.a_arr_growth[a]) ** (t / 12.0)
        arr = (plan * math.exp(-v * self.prm.software_churn_sensitivity * self.churn)
               * max(1.0 - v * budget, 0.0))
        gm, em = pa.a_gross_margin[a], pa.a_ebitda_margin[a]
        revenue = arr / 12.0
        opex = (1.0 - gm) * revenue + (gm - em) * (plan / 12.0)
        self.asset_value[a] = pa.a_ev_to_arr[a] * arr * fp.software_multiple[p, t]
        return revenue, opex, arr

    def refinancing_spread(self, b: int, t: int) -> float:
        """HY index spread, plus the software sector basis for a software borrower."""
        sp = self.fp.spread[self.p, t]
        if self.software[b]:
            sp += self.fp.software_spread[self.p, t]
        return float(sp)

    @staticmethod
    def leverage_breach(t: int, debt: float, arr: float, ebitda3: float, max_arr_lev: float,
                        max_lev: float, convert: int) -> bool:
        """``debt / ARR > max_arr_lev`` before ``convert``; from then (or without an ARR
        test) ``debt / (4 × trailing-3-month EBITDA) > max_lev``. No debt never breaches."""
        if debt <= BALANCE_EPS:
            return False
        if max_arr_lev < math.inf and t < convert:
            return arr <= 0.0 or debt / arr > max_arr_lev
        if max_lev < math.inf:
            return 4.0 * ebitda3 <= 0.0 or debt / (4.0 * ebitda3) > max_lev
        return False

    def event_month(self, s: Facility) -> int:
        """Balloon date: legal final after the ARD, else the ARD, else maturity."""
        if s.status == ST_POST_ARD:
            return s.legal
        return s.ard if s.ard < NO_MONTH else s.maturity

    def principal_due(self, f: int, s: Facility, t: int, payment_date: bool) -> float:
        """Scheduled principal on a payment date (rate of the period just ended) plus custom
        schedule amounts dated ``t``."""
        pa = self.pa
        due = 0.0
        if payment_date and s.status == ST_ACTIVE:
            due = scheduled_principal(s.amort, s.balance, self.rate(f, s, max(t - 1, 0)),
                                      int(pa.f_pay_freq[f]), t - s.start, s.term, s.io)
        if s.amort == Amortization.custom and s.status == ST_ACTIVE:
            for j in range(pa.f_sched_ptr[f], pa.f_sched_ptr[f + 1]):
                if pa.sched_month[j] == t:
                    due += min(pa.sched_amount[j], s.balance - due)
        return due

    def collateral_value(self, f: int, b: int) -> float:
        """Sum of the values of the facility's collateral (all the borrower's assets if none)."""
        pa = self.pa
        assets = list(pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]])
        if not assets:
            assets = list(range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]))
        return float(sum(self.asset_value[a] for a in assets))

    def shares_collateral(self, f: int, g: int) -> bool:
        """Whether ``f`` and ``g`` have an asset in common; a facility naming no collateral is
        secured on all the borrower's assets, so it shares with every facility."""
        pa = self.pa
        named_f = {int(a) for a in pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]]}
        named_g = {int(a) for a in pa.coll_asset[pa.f_coll_ptr[g]:pa.f_coll_ptr[g + 1]]}
        return not named_f or not named_g or bool(named_f & named_g)

    def facility_ltv(self, f: int, b: int) -> float:
        """LTV of a secured facility on its own collateral: balances of the open secured
        facilities ranking ahead of or pari passu with ``f`` that share an asset with it,
        over the value of ``f``'s collateral."""
        pa = self.pa
        debt = sum(self.fac[g].balance for g in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
                   if pa.f_secured[g] and pa.f_rank[g] <= pa.f_rank[f] and self.fac[g].open
                   and self.shares_collateral(f, g))
        value = self.collateral_value(f, b)
        if value > 0.0:
            return debt / value
        return math.inf if debt > BALANCE_EPS else 0.0

    def debt_service_ahead(self, f: int, t: int) -> float:
        """Debt service over months ``t+1 .. t+DIST_RESERVE_MONTHS``: unpaid accruals,
        interest and undrawn fees at month ``t``'s rate, scheduled principal on the current
        balance on each payment date, custom amounts, the whole balance if the balloon falls
        inside."""
        pa, s, n = self.pa, self.fac[f], DIST_RESERVE_MONTHS
        r = self.rate(f, s, t)
        need = (s.accrued + s.fee_accrued + s.balance * r * n / 12.0
                + s.available * pa.f_undrawn_fee[f] * n / 12.0)
        if self.event_month(s) - t <= n:
            return need + s.balance
        freq = int(pa.f_pay_freq[f])
        for m in range(t + 1, t + n + 1):
            if m > s.start and (m - s.start) % freq == 0:
                need += scheduled_principal(s.amort, s.balance, r, freq, m - s.start, s.term,
                                            s.io)
        if s.amort == Amortization.custom:
            for j in range(pa.f_sched_ptr[f], pa.f_sched_ptr[f + 1]):
                if t < pa.sched_month[j] <= t + n:
                    need += pa.sched_amount[j]
        return need

    def distributable(self, b: int, t: int) -> float:
        """Cash above a reserve of the next ``DIST_RESERVE_MONTHS`` months' debt service and
        the capex still to spend; 0 while any facility is trapped or past its ARD."""
        pa = self.pa
        reserve = 0.0
        for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
            s = self.fac[f]
            if s.status == ST_POST_ARD or (s.status == ST_ACTIVE and s.trapped):
                return 0.0
            if s.status == ST_ACTIVE:
                reserve += self.debt_service_ahead(f, t)
        for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]):
            comp = pa.a_completion_month[a]
            if pa.a_kind[a] == AssetKind.data_center and t < comp:
                reserve += pa.a_capex_remaining[a] * (comp - t - 1) / comp
        return max(self.bor[b].cash - reserve, 0.0)

    def trailing_noi(self, b: int, f: int, t: int) -> float:
        """``(Σ CFADS − Σ other facilities' debt service) × 12 / months`` over ≤ 3 months."""
        n = min(t + 1, WINDOW)
        bo, s = self.bor[b], self.fac[f]
        # the kernel's order of operations: a borrower whose only debt service is this
        # facility's is left with rounding dust, not zero, and the sizing sees the same sign
        d, e = bo.debt_service, s.debt_service
        others = d[0] + d[1] + d[2] - e[0] - e[1] - e[2]
        return (sum(bo.cfads) - others) * 12.0 / n

    # ------------------------------------------------------------ decisions
    def settle_balloon(self, b: int, f: int, t: int, u: float,
                       early: bool = False) -> tuple[int, float, float]:
        """Refinance (market open iff spread below the threshold and ``u`` below the access
        probability), repay from cash, step up (ABS at ARD), extend once, or fail. ``early``
        (a month of the refinancing window) tries only a refinancing of the whole balloon,
        else ``not_due``."""
        pa, fp, p, s, bo = self.pa, self.fp, self.p, self.fac[f], self.bor[b]
        due = s.balance + s.step_accrued
        kind = pa.f_kind[f]
        tenor = (s.ard if s.ard < NO_MONTH else s.maturity) - s.start
        tenor = tenor if tenor > 0 else DEFAULT_REFI_TENOR_MONTHS
        sp = self.refinancing_spread(b, t)
        market_open = sp < pa.f_access_spread[f] and u < fp.market_access[p, t]
        if due <= BALANCE_EPS:
            s.balance = s.step_accrued = 0.0
            if kind == FacilityKind.revolver and market_open:
                s.start, s.maturity = t, t + tenor
            else:
                s.status, s.available = ST_CLOSED, 0.0
            return RefiOutcome.repaid, 0.0, due
        value = self.collateral_value(f, b)
        if market_open:
            new_spread = sp * self.prm.rating_spread_multiplier[pa.b_rating[b]]
            rate = new_spread + min(max(fp.sofr[p, t], pa.f_floor[f]), pa.f_cap[f])
            size = max_new_loan(self.trailing_noi(b, f, t), value, rate,
                                int(pa.f_refi_amort_months[f]), pa.f_refi_min_dscr[f],
                                pa.f_refi_max_ltv[f], pa.f_refi_min_dy[f])
            new = due if size >= due else size
            # ahead of the balloon date only a full refinancing is taken (no early paydown)
            if new > BALANCE_EPS and bo.cash >= due - new and not (early and new < due):
                bo.cash -= due - new
                s.balance, s.step_accrued, s.status = new, 0.0, ST_ACTIVE
                s.rate_kind, s.spread, s.pik = RateKind.floating, new_spread, 0.0
                s.start, s.maturity, s.ard, s.io = t, t + tenor, NO_MONTH, 0
                if kind != FacilityKind.revolver:
                    s.amort = Amortization.annuity
                    refi_amort = int(pa.f_refi_amort_months[f])
                    s.term = refi_amort if refi_amort > 0 else tenor
                    s.available = 0.0
                return RefiOutcome.refinanced, due - new, due
        if early:
            return RefiOutcome.not_due, 0.0, due
        if bo.cash >= due:
            bo.cash -= due
            s.balance = s.step_accrued = s.available = 0.0
            s.status = ST_CLOSED
            return RefiOutcome.repaid, due, due
        if (kind == FacilityKind.abs and s.status == ST_ACTIVE and s.ard < NO_MONTH
                and pa.f_legal_final_month[f] > t):
            s.status, s.available = ST_POST_ARD, 0.0
            return RefiOutcome.abs_step_up, 0.0, due
        ltv = due / value if value > 0.0 else math.inf
        fee = pa.f_ext_fee[f] * due
        if (pa.f_ext_months[f] > 0 and not s.extended and ltv <= pa.f_ext_max_ltv[f]
                and bo.cash >= fee):
            bo.cash -= fee
            s.extended, s.maturity = True, t + int(pa.f_ext_months[f])
            return RefiOutcome.extended, fee, due
        return RefiOutcome.failed_default, 0.0, due

    def liquidate(self, b: int, t: int, cause: int) -> float:
        """Sell the collateral, pay secured claims from their own assets by rank, then the
        residual pool (leftover proceeds + cash) by rank, pro rata within a rank."""
        pa, prm, p = self.pa, self.prm, self.p
        fs = range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
        as_ = range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1])
        ead = {f: (self.fac[f].balance + self.fac[f].accrued + self.fac[f].fee_accrued
                   + self.fac[f].step_accrued) if self.fac[f].open else 0.0 for f in fs}
        proceeds = {}
        for a in as_:
            if pa.a_kind[a] == AssetKind.gpu_fleet:
                g = pa.a_gpu_gen[a]
                proceeds[a] = (pa.a_units[a] * self.fp.gpu_value[p, g, t] * self.impact[g]
                               * (1.0 - prm.gpu_fire_sale_haircut) * (1.0 - prm.gpu_sale_cost))
                self.sold[g] += pa.a_units[a]
            elif pa.a_kind[a] == AssetKind.data_center:
                proceeds[a] = self.asset_value[a] * (1.0 - prm.dc_sale_cost)
            elif pa.a_kind[a] == AssetKind.software_business:
                proceeds[a] = self.asset_value[a] * prm.software_sale_ratio
            else:
                proceeds[a] = 0.0
        rec = {f: 0.0 for f in fs}
        for f in fs:
            if pa.f_secured[f]:
                for a in pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]]:
                    take = min(proceeds[a], ead[f] - rec[f])
                    if take > 0.0:
                        rec[f] += take
                        proceeds[a] -= take
        used = max(self.bor[b].cash, 0.0)
        pool = used + sum(proceeds.values())
        for rank in sorted({int(pa.f_rank[f]) for f in fs}):
            group = [f for f in fs if pa.f_rank[f] == rank]
            claims = sum(ead[f] - rec[f] for f in group)
            if claims > 0.0 and pool > 0.0:
                paid = min(pool, claims)
                for f in group:
                    rec[f] += (ead[f] - rec[f]) * (paid / claims)
                pool -= paid
        for f in fs:
            self.out["fac_ead"][f] = ead[f]
            self.out["fac_loss"][f] = max(ead[f] - rec[f], 0.0)  # as the kernel
            s = self.fac[f]
            if s.open:
                s.status = ST_DEFAULTED
            s.balance = s.accrued = s.fee_accrued = s.step_accrued = s.available = 0.0
        self.bor[b].cash -= used
        self.bor[b].default_month = t
        self.out["default_month"][b] = t
        self.out["default_cause"][b] = cause
        return used

    # ------------------------------------------------------------- the month
    def run(self) -> dict[str, np.ndarray]:
        """Advance every borrower month by month; returns the one-path summary arrays."""
        pa = self.pa
        for t in range(self.T):
            self.sold = np.zeros(len(pa.gpu_generations))
            self.churn += max(self.fp.software_budget[self.p, t], 0.0) / 12.0
            for b in range(pa.n_borrowers):
                if self.bor[b].default_month == NO_MONTH:
                    self.borrower_month(b, t)
            self.month_end(t)
        self.out["gpu_price_impact"] = self.impact.copy()
        return self.out

    def borrower_month(self, b: int, t: int) -> None:
        """Steps 1-8 of docs/ENGINE.md for borrower ``b`` in month ``t``."""
        pa, fp, p, bo, w = self.pa, self.fp, self.p, self.bor[b], t % WINDOW
        fs = range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
        row = dict(month=t, borrower=b, cash_open=bo.cash, distribution_in=bo.dist_in)
        bo.cash += bo.dist_in
        bo.dist_in = 0.0
        # 1-2. revenue, opex, capex, RVG; CFADS = revenue - opex
        util = self.utilization(b, t)
        rev = opex = capex = rvg = arr = ebitda = 0.0
        for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]):
            self.asset_value[a] = 0.0
            if pa.a_kind[a] == AssetKind.gpu_fleet:
                r, o, g = self.gpu_month(a, t, util)
                rev, opex, rvg = rev + r, opex + o, rvg + g
            elif pa.a_kind[a] == AssetKind.data_center:
                r, o, c, g = self.dc_month(a, t)
                rev, opex, capex, rvg = rev + r, opex + o, capex + c, rvg + g
            elif pa.a_kind[a] == AssetKind.software_business:
                r, o, x = self.software_month(a, t)
                rev, opex, arr, ebitda = rev + r, opex + o, arr + x, ebitda + (r - o)
        cfads = rev - opex
        bo.cash += cfads - capex + rvg
        bo.cfads[w] = cfads
        cause = DefaultCause.cross_default if fp.borrower_ext_default_month[p, b] <= t else 0
        for f in fs:
            self.fac[f].debt_service[w] = 0.0
        # 3. scheduled draws
        draws = 0.0
        for f in fs:
            s = self.fac[f]
            if cause or s.status != ST_ACTIVE or t < s.start or t >= s.maturity:
                continue
            for j in range(pa.f_draw_ptr[f], pa.f_draw_ptr[f + 1]):
                if pa.draw_month[j] == t:
                    amt = min(pa.draw_amount[j], s.available)
                    s.balance += amt
                    s.available -= amt
                    bo.cash += amt
                    draws += amt
        # 4. debt service due: interest and fees on payment dates, scheduled principal
        dues = {}
        for f in fs:
            s = self.fac[f]
            dues[f] = (0.0, 0.0, 0.0)
            if cause or not s.open or t <= s.start:
                continue
            payment_date = (t - s.start) % int(pa.f_pay_freq[f]) == 0 or t == self.event_month(s)
            interest = s.accrued if payment_date else 0.0
            fees = s.fee_accrued if payment_date else 0.0
            dues[f] = (interest, fees, self.principal_due(f, s, t, payment_date))
        total_due = sum(sum(d) for d in dues.values())
        # 5. liquidity: cash, then revolvers, else payment default
        revolver = 0.0
        if not cause and bo.cash < total_due:
            for f in fs:
                s = self.fac[f]
                if bo.cash >= total_due:
                    break
                if (pa.f_kind[f] == FacilityKind.revolver and s.status == ST_ACTIVE
                        and s.start <= t < s.maturity and s.available > 0.0):
                    d = min(s.available, total_due - bo.cash)
                    s.balance += d
                    s.available -= d
                    bo.cash += d
                    revolver += d
            if self.software[b] and bo.cash < total_due - BALANCE_EPS:
                # PIK toggle (software loans): capitalise a share of each facility's interest
                for f in fs:
                    interest, fees, principal = dues[f]
                    pik = pa.f_pik_share[f] * interest
                    if pik > 0.0:
                        s = self.fac[f]
                        dues[f] = (interest - pik, fees, principal)
                        total_due -= pik
                        s.accrued -= pik
                        s.balance += pik
                        s.pik += pik
            if bo.cash < total_due - BALANCE_EPS:
                cause = DefaultCause.payment
        paid_ds = 0.0
        if not cause:
            bo.cash -= total_due
            paid_ds = total_due
            for f in fs:
                interest, fees, principal = dues[f]
                s = self.fac[f]
                s.balance -= principal
                s.accrued -= interest
                s.fee_accrued -= fees
                s.debt_service[w] = interest + fees + principal
        bo.debt_service[w] = paid_ds
        # 7. balloons at maturity / ARD / legal final
        paydown = 0.0
        if not cause:
            for f in fs:
                s = self.fac[f]
                if not s.open or t < s.start:
                    continue
                k = self.event_month(s) - t  # months before the balloon date
                if k > 0 and (k > self.prm.refi_window_months or s.status != ST_ACTIVE
                              or t <= s.start or s.balance <= BALANCE_EPS):
                    continue
                u = fp.refi_u[p, f] + k * GOLDEN_FRACTION
                outcome, paid, due = self.settle_balloon(b, f, t, u - math.floor(u), k > 0)
                if outcome == RefiOutcome.not_due:
                    continue
                paydown += paid
                if self.out["fac_refi_month"][f] == NO_MONTH:
                    self.out["fac_refi_month"][f] = t
                    self.out["fac_refi_due"][f] = due
                    self.out["fac_refi_outcome"][f] = outcome
                if outcome in (RefiOutcome.abs_step_up, RefiOutcome.extended,
                               RefiOutcome.failed_default):
                    self.out["cliff_month"][b] = min(self.out["cliff_month"][b], t)
                if outcome == RefiOutcome.failed_default:
                    cause = DefaultCause.maturity
                    break
        # sweeps of excess cash flow: ABS past ARD, cash traps, sweep amortisation
        swept = 0.0
        if not cause:
            excess = max(min(cfads - paid_ds, bo.cash), 0.0)
            for f in fs:
                s = self.fac[f]
                sweeping = s.status == ST_POST_ARD or (
                    s.status == ST_ACTIVE and t >= s.start
                    and (s.trapped or s.amort == Amortization.sweep))
                if not sweeping or excess <= 0.0:
                    continue
                share = pa.f_sweep_share[f] if pa.f_sweep_share[f] > 0.0 else 1.0
                x = min(share * excess, s.balance)
                s.balance -= x
                excess -= x
                if s.status == ST_POST_ARD and s.balance <= BALANCE_EPS:
                    y = min(share * excess, s.step_accrued)
                    s.step_accrued -= y
                    excess -= y
                    x += y
                    if s.step_accrued <= BALANCE_EPS:
                        s.status = ST_CLOSED
                bo.cash -= x
                swept += x
        # accrual of month t (day count of the facility on the real calendar)
        if not cause:
            for f in fs:
                s = self.fac[f]
                if not s.open or t < s.start:
                    continue
                yf = self.yf[pa.f_day_count[f], t]
                s.accrued += s.balance * self.rate(f, s, t) * yf
                if t < s.maturity:
                    s.fee_accrued += s.available * pa.f_undrawn_fee[f] * yf
                if s.status == ST_POST_ARD:
                    s.step_accrued += s.balance * pa.f_step_up[f] * yf
                if s.pik > 0.0:  # PIK margin on the capitalised part still outstanding
                    s.accrued += min(s.pik, s.balance) * pa.f_pik_margin[f] * yf
        # 6. covenants every quarter on trailing 3-month DSCR and current LTV
        ds3 = sum(bo.debt_service)
        dscr = sum(bo.cfads) / ds3 if ds3 > 0.0 else math.inf
        debt = sum(self.fac[f].balance for f in fs)  # borrower LTV: trace only
        value = sum(self.asset_value[a] for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]))
        ltv = debt / value if value > 0.0 else (math.inf if debt > BALANCE_EPS else 0.0)
        if not cause and w == COVENANT_TEST_MONTHS - 1:
            if dscr < 1.0 and sum(bo.cfads) != 0.0:  # no DSCR cliff before operations start
                self.out["cliff_month"][b] = min(self.out["cliff_month"][b], t)
            bo.breached = False
            for f in fs:
                s = self.fac[f]
                if s.status != ST_ACTIVE or t < s.start:
                    continue
                breach = bool(pa.f_min_dscr[f] > 0.0 and dscr < pa.f_min_dscr[f]) or bool(
                    pa.f_secured[f] and pa.f_max_ltv[f] < math.inf
                    and self.facility_ltv(f, b) > pa.f_max_ltv[f]) or bool(
                    self.software[b] and self.leverage_breach(
                        t, debt, arr, sum(bo.cfads), pa.f_max_arr_leverage[f],
                        pa.f_max_leverage[f], int(pa.f_cov_convert_month[f])))
                bo.breached = bo.breached or breach
                s.trapped = bool((breach and pa.f_cov_action[f] == CovenantAction.cash_trap) or (
                    pa.f_trap_dscr[f] > 0.0 and dscr < pa.f_trap_dscr[f]))
                if breach and pa.f_cov_action[f] == CovenantAction.event_of_default:
                    cause = DefaultCause.covenant
        # 8. default
        default_cash = self.liquidate(b, t, int(cause)) if cause else 0.0
        # 8b. distribution of an SPV's surplus to its parent (received when the parent is
        # next processed: this month if it comes later in borrower order, else next month)
        dist_out = 0.0
        parent = int(pa.b_parent[b])
        if (not cause and parent >= 0 and self.bor[parent].default_month == NO_MONTH
                and not bo.breached):
            dist_out = self.distributable(b, t)
            bo.cash -= dist_out
            self.bor[parent].dist_in += dist_out
        row.update(revenue=rev, opex=opex, capex=capex, rvg=rvg, cfads=cfads, draws=draws,
                   revolver_draw=revolver, debt_service=paid_ds, sweep=swept,
                   refi_paydown=paydown, default_cash=default_cash, cash_close=bo.cash,
                   dscr=dscr, ltv=ltv, distribution_out=dist_out, arr=arr, ebitda=ebitda)
        self.log.append(row)

    def month_end(self, t: int) -> None:
        """Peaks, lender exposures, and the fire-sale impact on next month's GPU values:
        ``impact_g ×= max(exp(−sold_g / depth), 1 − max_impact_per_month)``."""
        pa, out = self.pa, self.out
        for f, s in enumerate(self.fac):
            out["fac_peak_drawn"][f] = max(out["fac_peak_drawn"][f], s.balance)
        for h in range(len(pa.h_facility)):
            s = self.fac[pa.h_facility[h]]
            out["lender_drawn"][t, pa.h_lender[h]] += pa.h_share[h] * s.balance
            if s.status == ST_ACTIVE and t < s.maturity:
                out["lender_undrawn"][t, pa.h_lender[h]] += pa.h_share[h] * s.available
        out["gpu_units_sold"] += self.sold
        if self.prm.contagion:
            for g, sold in enumerate(self.sold):
                if sold > 0.0:
                    self.impact[g] *= max(math.exp(-sold / self.prm.gpu_market_depth_units),
                                          1.0 - self.prm.max_impact_per_month)


def run_reference(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
                  horizon: int = 60, path: int = 0) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Summary arrays (one path, no leading path axis) and the cash-bridge log of one path."""
    ref = ReferencePath(pa, fp, params or EngineParams(), horizon, path)
    return ref.run(), ref.log
