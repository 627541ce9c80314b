"""Twin of ``steps/operations.py``: revenue, opex, capex, RVG, asset values and CFADS."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from cliffwatch.codes import AssetKind, RefKind
from cliffwatch.engine.constants import UTIL_CLIP
from cliffwatch.engine.reference.state import WINDOW, BorrowerMonth
from cliffwatch.units import HOURS_PER_MONTH, MONTHS_PER_YEAR

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def month_start(ref: ReferencePath, t: int) -> None:
    """Churn state ``C_t += max(B_t, 0) / 12``; the month's fire-sale tally starts at 0."""
    ref.sold = np.zeros(len(ref.pa.gpu_generations))
    ref.churn += max(ref.fp.software_budget[ref.p, t], 0.0) / MONTHS_PER_YEAR


def obligor_pays(ref: ReferencePath, kind: int, idx: int, t: int) -> bool:
    """A counterparty pays before its default month; a borrower of the book before its
    exogenous default month and through the month of its in-path default."""
    if kind == RefKind.none or idx < 0:
        return True
    if kind == RefKind.counterparty:
        return bool(ref.fp.cpty_default_month[ref.p, idx] > t)
    return bool(ref.fp.borrower_ext_default_month[ref.p, idx] > t
                and ref.bor[idx].default_month >= t)


def utilization(ref: ReferencePath, b: int, t: int) -> float:
    """``logistic(logit(U_t) + idio_util_vol × z_b)``."""
    u = min(max(ref.fp.utilization[ref.p, t], UTIL_CLIP), 1.0 - UTIL_CLIP)
    x = math.log(u / (1.0 - u)) + ref.prm.idio_util_vol * ref.fp.util_idio[ref.p, b]
    return 1.0 / (1.0 + math.exp(-x))


def gpu_month(ref: ReferencePath, a: int, t: int, util: float) -> tuple[float, float, float]:
    """(revenue, opex, rvg) of a GPU fleet.

    contracted units ``cu = units × share`` (× renewal probability and price × renewal
    ratio after the contract end; 0 if the customer defaulted); revenue
    ``730 × (cu × price + (units − cu) × util × rent)``; opex ``730 × (busy units × kW ×
    PUE × power price + units × other opex)``; RVG ``amount × (1 − renewal prob)`` at the
    contract end if the guarantor pays.
    """
    pa, fp, p, prm = ref.pa, ref.fp, ref.p, ref.prm
    units, g, end = pa.a_units[a], pa.a_gpu_gen[a], pa.a_contract_end_month[a]
    rev = opex = rvg = 0.0
    if t >= pa.a_in_service_month[a]:
        cu = units * pa.a_contracted_share[a]
        price = pa.a_contract_price[a]
        if t >= end:
            cu *= prm.contract_renewal_prob
            price *= prm.renewal_rent_ratio
        if not obligor_pays(ref, pa.a_cpty_kind[a], pa.a_cpty[a], t):
            cu = 0.0
        mu = units - cu
        busy = cu + mu * util
        rev = HOURS_PER_MONTH * (cu * price + mu * util * fp.gpu_rent[p, g, t])
        opex = HOURS_PER_MONTH * (busy * pa.a_power_kw[a] * pa.a_pue[a] * fp.power_price[p, t]
                                  + units * pa.a_opex_per_gpu_hour[a])
    if t == end and pa.a_rvg_kind[a] != RefKind.none and obligor_pays(
            ref, pa.a_rvg_kind[a], pa.a_rvg[a], t):
        rvg = pa.a_rvg_amount[a] * (1.0 - prm.contract_renewal_prob)
    ref.asset_value[a] = units * fp.gpu_value[p, g, t] * ref.impact[g]
    return rev, opex, rvg


def dc_rent(ref: ReferencePath, a: int, month: int) -> float:
    """``leased_mw × 1000 × rate × (1 + escalator)^(whole years since completion)``."""
    pa = ref.pa
    years = max(month - pa.a_completion_month[a], 0) // int(MONTHS_PER_YEAR)
    return float(pa.a_leased_mw[a] * 1000.0 * pa.a_lease_rate[a]
                 * (1.0 + pa.a_escalator[a]) ** years)


def dc_month(ref: ReferencePath, a: int, t: int) -> tuple[float, float, float, float]:
    """(revenue, opex, capex, rvg) of a data center; value = 12 × NOI / cap × dc_value −
    capex still to spend, NOI = rent × (1 − opex ratio) on the in-place rent if tenant or
    backstop pays, else on the re-let rent (× ``dc_relet_rent_ratio``)."""
    pa, prm = ref.pa, ref.prm
    comp, end = pa.a_completion_month[a], pa.a_lease_end_month[a]
    sched = dc_rent(ref, a, max(t, comp))
    if t >= end:
        sched *= prm.lease_renewal_prob
    payer = obligor_pays(ref, pa.a_cpty_kind[a], pa.a_cpty[a], t)
    if not payer and t < end and pa.a_backstop_kind[a] != RefKind.none:
        payer = obligor_pays(ref, pa.a_backstop_kind[a], pa.a_backstop[a], t)
    rev = sched if (t >= comp and payer) else 0.0
    opex = pa.a_opex_ratio[a] * sched if t >= comp else 0.0
    capex = pa.a_capex_remaining[a] / comp if t < comp else 0.0
    left = pa.a_capex_remaining[a] * (comp - t - 1) / comp if t < comp else 0.0
    noi = sched * (1.0 - pa.a_opex_ratio[a])
    if not payer:
        noi *= prm.dc_relet_rent_ratio
    ref.asset_value[a] = max(MONTHS_PER_YEAR * noi / pa.a_cap_rate[a]
                             * ref.fp.dc_value[ref.p, t] - left, 0.0)
    rvg = 0.0
    if t == end and pa.a_rvg_kind[a] != RefKind.none and obligor_pays(
            ref, pa.a_rvg_kind[a], pa.a_rvg[a], t):
        rvg = pa.a_rvg_amount[a] * (1.0 - prm.lease_renewal_prob)
    return rev, opex, capex, rvg


def software_month(ref: ReferencePath, a: int, t: int) -> tuple[float, float, float]:
    """(revenue, opex, ARR) of a software business in month ``t``.

    ``C_t = Σ_{s≤t} max(B_s, 0) / 12``; ``plan_t = ARR_0 (1 + g)^(t/12)``;
    ``ARR_t = plan_t × exp(−v κ C_t) × max(1 − v B_t, 0)``; revenue ``ARR_t / 12``; opex
    ``(1 − gm) × revenue + (gm − em) × plan_t / 12``; value ``EV/ARR × ARR_t × M_t``.
    """
    pa, fp, p = ref.pa, ref.fp, ref.p
    budget = fp.software_budget[p, t]
    v = pa.a_vulnerability[a]
    plan = pa.a_arr[a] * (1.0 + pa.a_arr_growth[a]) ** (t / MONTHS_PER_YEAR)
    arr = (plan * math.exp(-v * ref.prm.software_churn_sensitivity * ref.churn)
           * max(1.0 - v * budget, 0.0))
    gm, em = pa.a_gross_margin[a], pa.a_ebitda_margin[a]
    revenue = arr / MONTHS_PER_YEAR
    opex = (1.0 - gm) * revenue + (gm - em) * (plan / MONTHS_PER_YEAR)
    ref.asset_value[a] = pa.a_ev_to_arr[a] * arr * fp.software_multiple[p, t]
    return revenue, opex, arr


def operate(ref: ReferencePath, b: int, t: int, m: BorrowerMonth) -> None:
    """Opening cash (plus distributions received), every asset's month, CFADS and cash."""
    pa, bo = ref.pa, ref.bor[b]
    bo.cash += bo.dist_in
    bo.dist_in = 0.0
    util = utilization(ref, b, t)
    for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]):
        ref.asset_value[a] = 0.0
        if pa.a_kind[a] == AssetKind.gpu_fleet:
            r, o, g = gpu_month(ref, a, t, util)
            m.revenue, m.opex, m.rvg = m.revenue + r, m.opex + o, m.rvg + g
        elif pa.a_kind[a] == AssetKind.data_center:
            r, o, c, g = dc_month(ref, a, t)
            m.revenue, m.opex = m.revenue + r, m.opex + o
            m.capex, m.rvg = m.capex + c, m.rvg + g
        elif pa.a_kind[a] == AssetKind.software_business:
            r, o, x = software_month(ref, a, t)
            m.revenue, m.opex = m.revenue + r, m.opex + o
            m.arr, m.ebitda = m.arr + x, m.ebitda + (r - o)
    m.cfads = m.revenue - m.opex
    bo.cash += m.cfads - m.capex + m.rvg
    bo.cfads[t % WINDOW] = m.cfads
