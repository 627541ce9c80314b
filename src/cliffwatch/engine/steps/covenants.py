"""Covenants and traps: quarterly DSCR, LTV and leverage tests (months 2, 5, 8, …).

DSCR is a borrower-level figure: `DSCR = Σ CFADS / Σ debt service paid` over the trailing 3
months (∞ without debt service). **LTV is per facility on its own collateral**: for a secured
facility `f`, `LTV_f = Σ balances of the open secured facilities of the borrower that rank
ahead of or pari passu with f and share an asset with it (f included) / value of f's
collateral` at the month end (∞ if debt without value). A facility naming no collateral is
secured on all the borrower's assets and shares with every facility. Unsecured facilities have
no LTV test. For each active facility: breach if `DSCR < min_dscr` (when set) or
`LTV_f > max_ltv`. **Recurring-revenue covenants (software borrowers only)**: with `debt` the
borrower's total drawn balance (USD), before `cov_convert_month` (and when `max_arr_leverage`
is set) breach if `debt / ARR_t > max_arr_leverage` (`ARR_t` USD per year, summed over the
borrower's software businesses); from `cov_convert_month` on, or always without an ARR test,
breach if `debt / (4 × trailing-3-month EBITDA) > max_leverage` (EBITDA = the borrower's
CFADS). A zero or negative denominator with debt outstanding breaches; no debt never does.
`event_of_default` → **covenant default** (step 8); `cash_trap` → the facility sweeps (step 5)
until the next test passes; independently `DSCR < trap_dscr` traps cash. Any breach also
blocks distributions to a parent until the next test (step 9). The first quarterly DSCR below
1.0 of a borrower with operating cash flow is its `cliff_month` if none came earlier. The
trace's `dscr` and `ltv` (total debt over total asset value) are written every month.
"""

from __future__ import annotations

import math

import numpy as np

from cliffwatch.codes import DefaultCause
from cliffwatch.engine.constants import BALANCE_EPS, COVENANT_TEST_MONTHS
from cliffwatch.engine.jit import kernel_fn, step_fn
from cliffwatch.engine.layout import BI, BT, FF, FI, FS, IS, ST_ACTIVE, ST_POST_ARD
from cliffwatch.engine.state import Book, Outputs, PathState, Trace
from cliffwatch.engine.steps.common import collateral_value
from cliffwatch.tape.arrays import NO_MONTH

EOD = 1  # CovenantAction.event_of_default
TRAP = 2  # CovenantAction.cash_trap
C_COVENANT = int(DefaultCause.covenant)


@kernel_fn
def leverage_breach(t: int, debt: float, arr: float, ebitda3: float, max_arr_lev: float,
                    max_lev: float, convert: int) -> bool:
    """Recurring-revenue covenants: ``debt / ARR > max_arr_lev`` before ``convert``; from
    ``convert`` (or always without an ARR test) ``debt / (4 × trailing-3-month EBITDA) >
    max_lev``. Debt over a zero or negative denominator breaches; no debt never does."""
    if debt <= BALANCE_EPS:
        return False
    if max_arr_lev < math.inf and t < convert:
        return arr <= 0.0 or debt / arr > max_arr_lev
    if max_lev < math.inf:
        annual = 4.0 * ebitda3
        return annual <= 0.0 or debt / annual > max_lev
    return False


@step_fn
def shares_collateral(f: int, g: int, f_coll_ptr: np.ndarray, coll_asset: np.ndarray) -> bool:
    """Whether facilities ``f`` and ``g`` of one borrower have an asset in common (a facility
    naming no collateral is secured on all the borrower's assets)."""
    if f_coll_ptr[f + 1] == f_coll_ptr[f] or f_coll_ptr[g + 1] == f_coll_ptr[g]:
        return True
    for i in range(f_coll_ptr[f], f_coll_ptr[f + 1]):
        for j in range(f_coll_ptr[g], f_coll_ptr[g + 1]):
            if coll_asset[i] == coll_asset[j]:
                return True
    return False


@step_fn
def facility_ltv(bk: Book, ps: PathState, b: int, f: int) -> float:
    """LTV of secured facility ``f`` on its own collateral (ratio; ∞ if debt without value)."""
    fi, st = bk.fi, ps.st
    debt = 0.0
    for g in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if (fi[g, FI.SECURED] != 0 and fi[g, FI.RANK] <= fi[f, FI.RANK]
                and (st[g, IS.MODE] == ST_ACTIVE or st[g, IS.MODE] == ST_POST_ARD)
                and shares_collateral(f, g, bk.f_coll_ptr, bk.coll_asset)):
            debt += ps.fs[g, FS.BAL]
    v = collateral_value(f, bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1], bk.f_coll_ptr,
                         bk.coll_asset, ps.aval)
    if v > 0.0:
        return debt / v
    return math.inf if debt > BALANCE_EPS else 0.0


@step_fn
def test_facilities(bk: Book, ps: PathState, t: int, b: int, dscr: float, debt: float,
                    sum_cf: float, cause: int) -> int:
    """Test every active facility of ``b``; set traps and ``breached``; return the cause."""
    ff, fi, st = bk.ff, bk.fi, ps.st
    ps.breached[b] = False
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if st[f, IS.MODE] != ST_ACTIVE or t < st[f, IS.START]:
            continue
        breach = ff[f, FF.MIN_DSCR] > 0.0 and dscr < ff[f, FF.MIN_DSCR]
        if not breach and fi[f, FI.SECURED] != 0 and ff[f, FF.MAX_LTV] < math.inf:
            breach = facility_ltv(bk, ps, b, f) > ff[f, FF.MAX_LTV]
        if not breach and bk.bi[b, BI.SOFTWARE] != 0:
            breach = leverage_breach(t, debt, ps.bm[BT.ARR], sum_cf, ff[f, FF.MAX_ARR_LEV],
                                     ff[f, FF.MAX_LEV], fi[f, FI.COV_CONVERT])
        ps.breached[b] = ps.breached[b] or breach
        st[f, IS.TRAP] = (breach and fi[f, FI.COV] == TRAP) or (
            ff[f, FF.TRAP_DSCR] > 0.0 and dscr < ff[f, FF.TRAP_DSCR])
        if breach and fi[f, FI.COV] == EOD:
            cause = C_COVENANT
    return cause


@step_fn
def test(bk: Book, ps: PathState, out: Outputs, tr: Trace, p: int, t: int, b: int,
         cause: int) -> int:
    """Borrower DSCR and LTV of month ``t`` (into ``ps.bm``) and, at a quarter end, the
    covenant tests; returns the default cause (covenant default on an EoD breach)."""
    cf_ring, dsb_ring = ps.cf_ring, ps.dsb_ring
    sum_cf = cf_ring[b, 0] + cf_ring[b, 1] + cf_ring[b, 2]
    sum_ds = dsb_ring[b, 0] + dsb_ring[b, 1] + dsb_ring[b, 2]
    dscr = sum_cf / sum_ds if sum_ds > 0.0 else math.inf
    is_test = cause == 0 and t % 3 == COVENANT_TEST_MONTHS - 1
    debt = 0.0  # borrower debt: the trace's LTV and the leverage covenants
    ltv = 0.0
    if is_test or tr.on:  # two loops a test month or the trace needs, not every month
        for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
            debt += ps.fs[f, FS.BAL]
        val = 0.0
        for a in range(bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1]):
            val += ps.aval[a]
        ltv = debt / val if val > 0.0 else (math.inf if debt > BALANCE_EPS else 0.0)
    ps.bm[BT.DSCR] = dscr
    ps.bm[BT.LTV] = ltv
    if not is_test:
        return cause
    # a borrower with no operating cash flow yet (under construction) has no meaningful
    # DSCR: its cliff is a failed refinancing or a default, not DSCR
    if dscr < 1.0 and sum_cf != 0.0 and out.cliff_month[p, b] == NO_MONTH:
        out.cliff_month[p, b] = t
    return test_facilities(bk, ps, t, b, dscr, debt, sum_cf, cause)
