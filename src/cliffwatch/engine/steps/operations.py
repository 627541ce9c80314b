"""Operations: revenue, operating cost, capex, RVG, asset values and CFADS, USD per month.

* **Month start** (once per path-month): churn state `C_t += max(B_t, 0) / 12`, `logit(U_t)`,
  and who pays: a counterparty pays in month `t` iff `cpty_default_month > t`; a borrower
  referenced as tenant / customer / backstop / guarantor pays iff its
  `borrower_ext_default_month > t` and it has not defaulted in the path before month `t`.
  A missing reference (`RefKind.none`) on a contract or lease counts as paying; a missing
  backstop or guarantor pays nothing.
* **Opening cash**: cash plus the distributions received from SPVs since the borrower was last
  processed (step 9).
* **Utilization** of borrower `b`: `u = logistic(logit(U_t) + idio_util_vol · z_b)`, `U_t` the
  common factor clipped to [1e-9, 1 − 1e-9], `z_b = util_idio[p, b]`.
* **GPU fleet** (from `in_service_month`): contracted units `cu = units · contracted_share` at
  `contract_price`. From the contract end, renewal is an **expected-value haircut**:
  `cu ×= contract_renewal_prob`, price `×= renewal_rent_ratio` (for the rest of the horizon),
  the non-renewed units join the merchant pool. If the contract counterparty has defaulted,
  `cu = 0`. Merchant units `mu = units − cu` earn `u · gpu_rent[g, t]`.
  Revenue `= 730 · (cu · price + mu · u · rent)`; opex
  `730 · (busy · kW · PUE · power_price + units · opex_per_gpu_hour)` with busy units
  `cu + mu · u` (idle GPUs draw no power; other opex is paid on every unit).
  Value `units × gpu_value_t × fire-sale multiplier` (step 10).
* **Data center**: scheduled rent `leased_mw · 1000 · lease_rate · (1 + escalator)^y` with `y`
  whole years since completion (`escalator` is a rate per year, 0.03 = 3%). Paid from completion
  while the tenant pays; until the lease end a backstop pays if the tenant has defaulted. After
  the lease end the rent is `× lease_renewal_prob` (expected-value renewal) and only the tenant
  pays. Opex `opex_ratio × scheduled rent` from completion (costs run even if the tenant stops
  paying). Capex: `capex_remaining` is spent evenly over months `0 .. completion−1`.
  Value `12 × NOI / cap_rate × dc_value_t − capex still to spend`, floored at 0, with
  `NOI = rent × (1 − opex_ratio)` on the in-place rent while tenant or backstop pays, and on the
  **re-let rent** `dc_relet_rent_ratio × rent` once neither pays (a vacant campus keeps the
  value of being let again; revenue stays zero while vacant).
* **Residual-value guarantee**: at the contract end (GPU) or lease end (DC) the guarantor, if
  alive, pays `rvg_amount × (1 − renewal probability)`: the guarantee is called only on the
  share that is not renewed (expected-value convention).
* **Software business**, with `v = a_vulnerability`, `g = a_arr_growth`,
  `κ = software_churn_sensitivity`, `B_t = software_budget`: plan `P_t = ARR_0 · (1 + g)^(t/12)`;
  `ARR_t = P_t · exp(−v κ C_t) · max(1 − v B_t, 0)` (USD per year; the level term is seat
  compression and price pressure and recovers when `B` falls, the exponential is churn and does
  not); revenue `ARR_t / 12`; opex `(1 − gross_margin) · ARR_t/12 + (gross_margin −
  ebitda_margin) · P_t/12` (cost of revenue variable, operating expenses sticky to the plan, so
  erosion compresses the EBITDA margin); value `ev_to_arr × ARR_t × software_multiple_t`.
* `CFADS = revenue − opex`; cash `+= CFADS − capex + rvg`.
"""

from __future__ import annotations

import math

import numpy as np

from cliffwatch.codes import AssetKind
from cliffwatch.engine.constants import UTIL_CLIP
from cliffwatch.engine.jit import kernel_fn, step_fn
from cliffwatch.engine.layout import AF, AI, BT, N_BT, P
from cliffwatch.engine.state import MONTH_CHURN, MONTH_LOGIT_U, Book, Market, PathState, Trace
from cliffwatch.units import HOURS_PER_MONTH, MONTHS_PER_YEAR

GPU = int(AssetKind.gpu_fleet)
DC = int(AssetKind.data_center)
SW = int(AssetKind.software_business)
LEASE_YEAR_MONTHS = int(MONTHS_PER_YEAR)
"""Months in a lease year, as an int (whole lease years for the rent escalator)."""


@kernel_fn
def logit_common(common: float) -> float:
    """``logit(U)`` of the common utilization, ``U`` clipped to [UTIL_CLIP, 1 − UTIL_CLIP]."""
    u = min(max(common, UTIL_CLIP), 1.0 - UTIL_CLIP)
    return math.log(u / (1.0 - u))


@kernel_fn
def utilization(logit_u: float, idio: float, vol: float) -> float:
    """Borrower utilization ``logistic(logit(U) + vol·z)``, a share."""
    x = logit_u + vol * idio
    return 1.0 / (1.0 + math.exp(-x))


@kernel_fn
def dc_scheduled_rent(leased_mw: float, rate: float, escalator: float, month: int,
                      completion: int) -> float:
    """Contractual monthly rent of a data center in ``month`` (USD), before renewal/credit:
    ``leased_mw × 1000 × rate × (1 + escalator)^years``, whole lease years since completion."""
    years = max(month - completion, 0) // LEASE_YEAR_MONTHS
    return leased_mw * 1000.0 * rate * (1.0 + escalator) ** years


@kernel_fn
def software_plan_arr(arr0: float, growth: float, month: int) -> float:
    """Base-case ARR of a software business in ``month``: ``ARR_0 × (1 + g)^(t/12)``, USD/year."""
    return arr0 * (1.0 + growth) ** (month / MONTHS_PER_YEAR)


@kernel_fn
def software_arr(plan: float, vuln: float, kappa: float, churn: float, budget: float) -> float:
    """ARR after budget reallocation, USD per year: ``plan × exp(−v·kappa·C_t) × max(1 − v·B_t,
    0)`` (churn, then seat compression and price pressure)."""
    return plan * math.exp(-vuln * kappa * churn) * max(1.0 - vuln * budget, 0.0)


@kernel_fn
def software_opex(revenue: float, plan_revenue: float, gross_margin: float,
                  ebitda_margin: float) -> float:
    """Monthly operating cost, USD: variable cost of revenue ``(1 − gm) × revenue`` plus
    operating expenses sticky to the plan ``(gm − em) × plan revenue``."""
    return (1.0 - gross_margin) * revenue + (gross_margin - ebitda_margin) * plan_revenue


@kernel_fn
def asset_month_table(T: int, ai: np.ndarray, af: np.ndarray) -> np.ndarray:
    """(T, NA) per-asset figures of each month that no path changes, USD: a data center's
    contractual rent per month (:func:`dc_scheduled_rent`, from completion), a software
    business's plan ARR per year (:func:`software_plan_arr`), 0 for a GPU fleet. Computed once
    per block by the same functions, month-major so that one month's row is contiguous."""
    na = ai.shape[0]
    out = np.zeros((T, na))
    for t in range(T):
        for a in range(na):
            if ai[a, AI.KIND] == DC:
                comp = ai[a, AI.COMPLETION]
                out[t, a] = dc_scheduled_rent(af[a, AF.LEASED_MW], af[a, AF.LEASE_RATE],
                                              af[a, AF.ESCALATOR], max(t, comp), comp)
            elif ai[a, AI.KIND] == SW:
                out[t, a] = software_plan_arr(af[a, AF.ARR], af[a, AF.ARR_GROWTH], t)
    return out


@kernel_fn
def gpu_borrowers(b_asset_ptr: np.ndarray, ai: np.ndarray) -> np.ndarray:
    """(NB,) bool: the borrower owns a GPU fleet (only those need their utilization)."""
    nb = b_asset_ptr.shape[0] - 1
    out = np.zeros(nb, np.bool_)
    for b in range(nb):
        for a in range(b_asset_ptr[b], b_asset_ptr[b + 1]):
            if ai[a, AI.KIND] == GPU:
                out[b] = True
    return out


@step_fn
def month_start(bk: Book, mk: Market, ps: PathState, p: int, t: int) -> None:
    """Path-wide figures of month ``t``: churn state, ``logit(U_t)``, the fire-sale tally, and
    the table of who pays (``ob_alive[c]`` counterparty ``c``, ``ob_alive[nc + b]`` borrower
    ``b``; a default in month ``t`` stops payments from ``t + 1``, whatever the borrower
    order)."""
    ps.month[MONTH_CHURN] += max(mk.software_budget[p, t], 0.0) / MONTHS_PER_YEAR
    for g in range(bk.G):
        ps.sold[g] = 0.0
    ps.month[MONTH_LOGIT_U] = logit_common(mk.utilization[p, t])
    for c in range(bk.nc):
        ps.ob_alive[c] = mk.cpty_default_month[p, c] > t
    for b in range(bk.nb):
        ps.ob_alive[bk.nc + b] = mk.borrower_ext_default_month[p, b] > t and ps.dead[b] >= t


@step_fn
def pays(ps: PathState, ref: int) -> bool:
    """Whether obligor ``ref`` (unified index, -1 none) pays this month; none pays."""
    return ref < 0 or ps.ob_alive[ref]


@step_fn
def gpu_fleet_month(bk: Book, mk: Market, ps: PathState, p: int, t: int, a: int,
                    u_b: float) -> None:
    """Add a GPU fleet's revenue, opex and RVG to the borrower-month; set its value."""
    ai, af, prm, bm = bk.ai, bk.af, bk.prm, ps.bm
    g = ai[a, AI.GEN]
    units = af[a, AF.UNITS]
    ps.aval[a] = units * mk.gpu_value[p, g, t] * ps.impact[g]
    end = ai[a, AI.CONTRACT_END]
    if t >= ai[a, AI.IN_SERVICE]:
        cu = units * af[a, AF.CSHARE]
        price = af[a, AF.CPRICE]
        if t >= end:  # renewal as an expected-value haircut
            cu *= prm[P.RENEW_PROB]
            price *= prm[P.RENEW_RATIO]
        if not pays(ps, ai[a, AI.CPTY_REF]):
            cu = 0.0
        mu = units - cu
        busy = cu + mu * u_b
        bm[BT.REVENUE] += HOURS_PER_MONTH * (cu * price + mu * u_b * mk.gpu_rent[p, g, t])
        bm[BT.OPEX] += HOURS_PER_MONTH * (busy * af[a, AF.KW] * af[a, AF.PUE]
                                          * mk.power_price[p, t] + units * af[a, AF.OPEX_H])
    if t == end and ai[a, AI.RVG_REF] >= 0 and ps.ob_alive[ai[a, AI.RVG_REF]]:
        bm[BT.RVG] += af[a, AF.RVG] * (1.0 - prm[P.RENEW_PROB])


@step_fn
def data_center_month(bk: Book, mk: Market, ps: PathState, p: int, t: int, a: int) -> None:
    """Add a data center's rent, opex, capex and RVG to the borrower-month; set its value."""
    ai, af, prm, bm = bk.ai, bk.af, bk.prm, ps.bm
    comp = ai[a, AI.COMPLETION]
    end = ai[a, AI.LEASE_END]
    sched = bk.a_month[t, a]  # dc_scheduled_rent, precomputed per block
    if t >= end:
        sched *= prm[P.LEASE_RENEW]
    payer = pays(ps, ai[a, AI.CPTY_REF])
    if not payer and t < end and ai[a, AI.BACKSTOP_REF] >= 0:
        payer = pays(ps, ai[a, AI.BACKSTOP_REF])
    if t >= comp:
        if payer:
            bm[BT.REVENUE] += sched
        bm[BT.OPEX] += af[a, AF.OPEX_RATIO] * sched
    left = 0.0
    if t < comp:
        bm[BT.CAPEX] += af[a, AF.CAPEX] / comp
        left = af[a, AF.CAPEX] * (comp - t - 1) / comp
    noi = sched * (1.0 - af[a, AF.OPEX_RATIO])
    if not payer:  # vacant: valued at the market re-let rent
        noi *= prm[P.RELET]
    v = MONTHS_PER_YEAR * noi / af[a, AF.CAP_RATE] * mk.dc_value[p, t] - left
    ps.aval[a] = max(v, 0.0)
    if t == end and ai[a, AI.RVG_REF] >= 0 and ps.ob_alive[ai[a, AI.RVG_REF]]:
        bm[BT.RVG] += af[a, AF.RVG] * (1.0 - prm[P.LEASE_RENEW])


@step_fn
def software_month(bk: Book, mk: Market, ps: PathState, p: int, t: int, a: int) -> None:
    """Add a software business's revenue, opex, ARR and EBITDA to the borrower-month; set its
    value."""
    af, bm = bk.af, ps.bm
    plan = bk.a_month[t, a]  # software_plan_arr, precomputed per block
    arr = software_arr(plan, af[a, AF.VULN], bk.prm[P.CHURN], ps.month[MONTH_CHURN],
                       mk.software_budget[p, t])
    r_sw = arr / MONTHS_PER_YEAR
    o_sw = software_opex(r_sw, plan / MONTHS_PER_YEAR, af[a, AF.GROSS_MARGIN],
                         af[a, AF.EBITDA_MARGIN])
    bm[BT.REVENUE] += r_sw
    bm[BT.OPEX] += o_sw
    bm[BT.ARR] += arr
    bm[BT.EBITDA] += r_sw - o_sw
    ps.aval[a] = af[a, AF.EV_ARR] * arr * mk.software_multiple[p, t]


@step_fn
def operate(bk: Book, mk: Market, ps: PathState, tr: Trace, p: int, t: int, b: int) -> None:
    """Borrower ``b``'s operating month: opening cash, asset flows and values, CFADS and cash.
    Starts the borrower-month record ``ps.bm``."""
    bm = ps.bm
    for k in range(N_BT):
        bm[k] = 0.0
    bm[BT.CASH_OPEN] = ps.cash[b]
    din = ps.dist_in[b]
    bm[BT.DIST_IN] = din
    ps.cash[b] += din
    ps.dist_in[b] = 0.0
    u_b = 0.0  # one exp per borrower-month: only GPU revenue and the trace use it
    if bk.b_gpu[b] or tr.on:
        u_b = utilization(ps.month[MONTH_LOGIT_U], mk.util_idio[p, b], bk.prm[P.IDIO_VOL])
    bm[BT.UTILIZATION] = u_b
    for a in range(bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1]):
        kind = bk.ai[a, AI.KIND]
        ps.aval[a] = 0.0
        if kind == GPU:
            gpu_fleet_month(bk, mk, ps, p, t, a, u_b)
        elif kind == DC:
            data_center_month(bk, mk, ps, p, t, a)
        elif kind == SW:
            software_month(bk, mk, ps, p, t, a)
    cfads = bm[BT.REVENUE] - bm[BT.OPEX]
    bm[BT.CFADS] = cfads
    ps.cash[b] += cfads - bm[BT.CAPEX] + bm[BT.RVG]
    ps.cf_ring[b, t % 3] = cfads
