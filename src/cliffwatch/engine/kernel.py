"""The fused monthly kernel: every borrower of every path, month by month.

One numba function, parallel over paths (``prange``). Each path owns small local state arrays
(balances, accruals, cash, trailing windows, status) allocated once per path; nothing is
allocated per month and nothing of size paths x facilities x months is kept. The same function
writes the per-month trace of one path when ``do_trace`` is set, so the trace and the summary
can never disagree. ``docs/ENGINE.md`` states the monthly step and every convention;
``engine/reference.py`` is the readable twin that tests hold equal to this kernel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from cliffwatch.codes import AssetKind, DefaultCause, FacilityKind, RateKind, RefiOutcome
from cliffwatch.engine.amortization import CUSTOM, SWEEP, amortizes, scheduled_principal
from cliffwatch.engine.constants import (
    BALANCE_EPS,
    COVENANT_TEST_MONTHS,
    DEFAULT_REFI_TENOR_MONTHS,
    DIST_RESERVE_MONTHS,
    GOLDEN_FRACTION,
    UTIL_CLIP,
)
from cliffwatch.engine.layout import (
    AF_ARR,
    AF_ARR_GROWTH,
    AF_CAP_RATE,
    AF_CAPEX,
    AF_CPRICE,
    AF_CSHARE,
    AF_EBITDA_MARGIN,
    AF_ESCALATOR,
    AF_EV_ARR,
    AF_GROSS_MARGIN,
    AF_KW,
    AF_LEASE_RATE,
    AF_LEASED_MW,
    AF_OPEX_H,
    AF_OPEX_RATIO,
    AF_PUE,
    AF_RVG,
    AF_UNITS,
    AF_VULN,
    AI_BACKSTOP_REF,
    AI_COMPLETION,
    AI_CONTRACT_END,
    AI_CPTY_REF,
    AI_GEN,
    AI_IN_SERVICE,
    AI_KIND,
    AI_LEASE_END,
    AI_RVG_REF,
    BT_ARR,
    BT_CAPEX,
    BT_CASH_CLOSE,
    BT_CASH_OPEN,
    BT_CFADS,
    BT_DEBT_SERVICE,
    BT_DEFAULT_CASH,
    BT_DIST_IN,
    BT_DIST_OUT,
    BT_DRAWS,
    BT_DSCR,
    BT_EBITDA,
    BT_LTV,
    BT_OPEX,
    BT_PAYDOWN,
    BT_REVENUE,
    BT_REVOLVER,
    BT_RVG,
    BT_STATUS,
    BT_SWEEP,
    BT_UTILIZATION,
    FF_ACCESS,
    FF_CAP,
    FF_COMMIT,
    FF_COUPON,
    FF_DRAWN,
    FF_EXT_FEE,
    FF_EXT_LTV,
    FF_FLOOR,
    FF_MAX_ARR_LEV,
    FF_MAX_LEV,
    FF_MAX_LTV,
    FF_MIN_DSCR,
    FF_PIK_MARGIN,
    FF_PIK_SHARE,
    FF_REFI_DSCR,
    FF_REFI_DY,
    FF_REFI_LTV,
    FF_SPREAD,
    FF_STEP_UP,
    FF_SWEEP,
    FF_TRAP_DSCR,
    FF_UNDRAWN_FEE,
    FI_AMORT,
    FI_ARD,
    FI_COV,
    FI_COV_CONVERT,
    FI_DC,
    FI_EXT_MONTHS,
    FI_FREQ,
    FI_IO,
    FI_KIND,
    FI_LEGAL,
    FI_MAT,
    FI_RANK,
    FI_RATE_KIND,
    FI_REFI_AMORT,
    FI_SECURED,
    FI_START,
    FI_TERM,
    FS_ACCR,
    FS_AVAIL,
    FS_BAL,
    FS_COUPON,
    FS_FEE,
    FS_PIK,
    FS_SPREAD,
    FS_STEP,
    FT_BALANCE,
    FT_DRAWS,
    FT_FEES,
    FT_INTEREST,
    FT_PIK,
    FT_PRINCIPAL,
    FT_STATUS,
    FT_STEP_UP,
    FT_SWEEP,
    IS_AMORT,
    IS_ARD,
    IS_EXT,
    IS_IO,
    IS_LEGAL,
    IS_MAT,
    IS_MODE,
    IS_RK,
    IS_START,
    IS_TERM,
    IS_TRAP,
    N_FS,
    N_IS,
    P_CHURN,
    P_CONTAGION,
    P_DC_SALE,
    P_DEPTH,
    P_GPU_SALE,
    P_HAIRCUT,
    P_IDIO_VOL,
    P_LEASE_RENEW,
    P_MAX_IMPACT,
    P_REFI_WINDOW,
    P_RELET,
    P_RENEW_PROB,
    P_RENEW_RATIO,
    P_SW_SALE,
    ST_ACTIVE,
    ST_CLOSED,
    ST_DEFAULTED,
    ST_POST_ARD,
)
from cliffwatch.engine.recovery import waterfall
from cliffwatch.engine.refinancing import max_new_loan
from cliffwatch.tape.arrays import NO_MONTH

HOURS = 730.0  # hours per month, EngineParams.HOURS_PER_MONTH (8,760 / 12)
MONTHS_PER_YEAR = 12.0
GPU = int(AssetKind.gpu_fleet)
DC = int(AssetKind.data_center)
SW = int(AssetKind.software_business)
REVOLVER = int(FacilityKind.revolver)
ABS = int(FacilityKind.abs)
FLOATING = int(RateKind.floating)
EOD = 1  # CovenantAction.event_of_default
TRAP = 2  # CovenantAction.cash_trap
C_PAYMENT = int(DefaultCause.payment)
C_COVENANT = int(DefaultCause.covenant)
C_MATURITY = int(DefaultCause.maturity)
C_CROSS = int(DefaultCause.cross_default)
O_NOT_DUE = int(RefiOutcome.not_due)
O_REPAID = int(RefiOutcome.repaid)
O_REFI = int(RefiOutcome.refinanced)
O_EXT = int(RefiOutcome.extended)
O_STEP = int(RefiOutcome.abs_step_up)
O_FAIL = int(RefiOutcome.failed_default)


@njit(cache=True, error_model="numpy")
def floating_rate(sofr: float, spread: float, floor: float, cap: float) -> float:
    """All-in floating rate: ``spread + min(max(sofr, floor), cap)``, per year."""
    return spread + min(max(sofr, floor), cap)


@njit(cache=True, error_model="numpy")
def logit_common(common: float) -> float:
    """``logit(U)`` of the common utilization, ``U`` clipped to [UTIL_CLIP, 1 − UTIL_CLIP]."""
    u = min(max(common, UTIL_CLIP), 1.0 - UTIL_CLIP)
    return math.log(u / (1.0 - u))


@njit(cache=True, error_model="numpy")
def utilization(logit_u: float, idio: float, vol: float) -> float:
    """Borrower utilization ``logistic(logit(U) + vol·z)``."""
    x = logit_u + vol * idio
    return 1.0 / (1.0 + math.exp(-x))


@njit(cache=True, error_model="numpy")
def dc_scheduled_rent(leased_mw: float, rate: float, escalator: float, month: int,
                      completion: int) -> float:
    """Contractual monthly rent of a data center in ``month`` (USD), before renewal/credit.

    ``leased_mw × 1000 × rate × (1 + escalator)^years`` with whole lease years since completion.
    """
    years = max(month - completion, 0) // 12
    return leased_mw * 1000.0 * rate * (1.0 + escalator) ** years


@njit(cache=True, error_model="numpy")
def software_plan_arr(arr0: float, growth: float, month: int) -> float:
    """Base-case ARR of a software business in ``month``: ``ARR_0 × (1 + g)^(t/12)``, USD/year."""
    return arr0 * (1.0 + growth) ** (month / MONTHS_PER_YEAR)


@njit(cache=True, error_model="numpy")
def software_arr(plan: float, vuln: float, kappa: float, churn: float, budget: float) -> float:
    """ARR after budget reallocation, USD per year: ``plan × exp(−v·kappa·C_t) × max(1 − v·B_t,
    0)`` (churn, then seat compression and price pressure)."""
    return plan * math.exp(-vuln * kappa * churn) * max(1.0 - vuln * budget, 0.0)


@njit(cache=True, error_model="numpy")
def software_opex(revenue: float, plan_revenue: float, gross_margin: float,
                  ebitda_margin: float) -> float:
    """Monthly operating cost, USD: variable cost of revenue ``(1 − gm) × revenue`` plus
    operating expenses sticky to the plan ``(gm − em) × plan revenue``."""
    return (1.0 - gross_margin) * revenue + (gross_margin - ebitda_margin) * plan_revenue


@njit(cache=True, error_model="numpy")
def asset_month_table(T: int, ai: np.ndarray, af: np.ndarray) -> np.ndarray:
    """(T, NA) per-asset figures of each month that no path changes, USD: a data center's
    contractual rent per month (:func:`dc_scheduled_rent`, from completion), a software
    business's plan ARR per year (:func:`software_plan_arr`), 0 for a GPU fleet.

    Computed once per block by the same functions the step used to call every path-month, so
    the values are bit for bit the same; month-major so that one month's row is contiguous.
    """
    na = ai.shape[0]
    out = np.zeros((T, na))
    for t in range(T):
        for a in range(na):
            if ai[a, AI_KIND] == DC:
                comp = ai[a, AI_COMPLETION]
                out[t, a] = dc_scheduled_rent(af[a, AF_LEASED_MW], af[a, AF_LEASE_RATE],
                                              af[a, AF_ESCALATOR], max(t, comp), comp)
            elif ai[a, AI_KIND] == SW:
                out[t, a] = software_plan_arr(af[a, AF_ARR], af[a, AF_ARR_GROWTH], t)
    return out


@njit(cache=True, error_model="numpy")
def gpu_borrowers(b_asset_ptr: np.ndarray, ai: np.ndarray) -> np.ndarray:
    """(NB,) bool: the borrower owns a GPU fleet (only those need their utilization)."""
    nb = b_asset_ptr.shape[0] - 1
    out = np.zeros(nb, np.bool_)
    for b in range(nb):
        for a in range(b_asset_ptr[b], b_asset_ptr[b + 1]):
            if ai[a, AI_KIND] == GPU:
                out[b] = True
    return out


@njit(cache=True, error_model="numpy")
def _contract_rate(rate_kind: int, coupon: float, spread: float, sofr: float, floor: float,
                   cap: float) -> float:
    """Current contractual rate (step-up excluded), per year: the fixed coupon or
    ``spread + min(max(SOFR, floor), cap)``."""
    if rate_kind == FLOATING:
        return floating_rate(sofr, spread, floor, cap)
    return coupon


@njit(cache=True, error_model="numpy")
def _default(
    p: int, t: int, b: int, cause: int, f_lo: int, f_hi: int, a_lo: int, a_hi: int,
    af: np.ndarray, ai: np.ndarray, fi: np.ndarray, prm: np.ndarray, f_coll_ptr: np.ndarray,
    coll_asset: np.ndarray, fp_value: np.ndarray, impact: np.ndarray, aval: np.ndarray,
    fs: np.ndarray, st: np.ndarray, cash: np.ndarray, dead: np.ndarray, ead: np.ndarray,
    proceeds: np.ndarray, rec: np.ndarray,
    sold: np.ndarray, out_dm: np.ndarray, out_cause: np.ndarray, out_loss: np.ndarray,
    out_ead: np.ndarray,
) -> float:
    """Liquidate borrower ``b``: sell collateral, run the waterfall, book losses.

    Returns the cash the estate consumed (USD), for the trace's cash bridge.
    """
    for f in range(f_lo, f_hi):
        ead[f] = 0.0
        if st[f, IS_MODE] == ST_ACTIVE or st[f, IS_MODE] == ST_POST_ARD:
            ead[f] = fs[f, FS_BAL] + fs[f, FS_ACCR] + fs[f, FS_FEE] + fs[f, FS_STEP]
    for a in range(a_lo, a_hi):
        proceeds[a] = 0.0
        if ai[a, AI_KIND] == GPU:
            g = ai[a, AI_GEN]
            proceeds[a] = (af[a, AF_UNITS] * fp_value[p, g, t] * impact[g]
                           * (1.0 - prm[P_HAIRCUT]) * (1.0 - prm[P_GPU_SALE]))
            sold[g] += af[a, AF_UNITS]
        elif ai[a, AI_KIND] == DC:
            proceeds[a] = aval[a] * (1.0 - prm[P_DC_SALE])
        elif ai[a, AI_KIND] == SW:
            proceeds[a] = aval[a] * prm[P_SW_SALE]
    used = max(cash[b], 0.0)
    waterfall(f_lo, f_hi, a_lo, a_hi, ead, fi[:, FI_SECURED], fi[:, FI_RANK], f_coll_ptr,
              coll_asset, proceeds, used, rec)
    for f in range(f_lo, f_hi):
        out_ead[p, f] = ead[f]
        out_loss[p, f] = max(ead[f] - rec[f], 0.0)  # rec == ead up to rounding: no -1e-7 loss
        if st[f, IS_MODE] == ST_ACTIVE or st[f, IS_MODE] == ST_POST_ARD:
            st[f, IS_MODE] = ST_DEFAULTED
        fs[f, FS_BAL] = 0.0
        fs[f, FS_ACCR] = 0.0
        fs[f, FS_FEE] = 0.0
        fs[f, FS_STEP] = 0.0
        fs[f, FS_AVAIL] = 0.0
    cash[b] = cash[b] - used
    dead[b] = t
    out_dm[p, b] = t
    out_cause[p, b] = cause
    return used


@njit(cache=True, error_model="numpy")
def _balloon_month(status: int, maturity: int, ard: int, legal: int) -> int:
    """Month the balloon falls due: the ARD, then the legal final once past the ARD."""
    if status == ST_POST_ARD:
        return legal
    if ard < NO_MONTH:
        return ard
    return maturity


@njit(cache=True, error_model="numpy", inline="always")
def _trailing_noi(b: int, f: int, t: int, cf_ring: np.ndarray, dsb_ring: np.ndarray,
                  ds_ring: np.ndarray) -> float:
    """Annualised trailing CFADS less the other facilities' debt service, USD per year.

    Uses the trailing 3 months (fewer at the start of the grid), times 12 / months.
    """
    n = min(t + 1, 3)
    cf = cf_ring[b, 0] + cf_ring[b, 1] + cf_ring[b, 2]
    others = (dsb_ring[b, 0] + dsb_ring[b, 1] + dsb_ring[b, 2]
              - ds_ring[f, 0] - ds_ring[f, 1] - ds_ring[f, 2])
    return (cf - others) * MONTHS_PER_YEAR / n


@njit(cache=True, error_model="numpy", inline="always")
def _collateral_value(f: int, a_lo: int, a_hi: int, f_coll_ptr: np.ndarray,
                      coll_asset: np.ndarray, aval: np.ndarray) -> float:
    """Value of the facility's collateral (all the borrower's assets if it names none), USD."""
    v = 0.0
    if f_coll_ptr[f + 1] > f_coll_ptr[f]:
        for j in range(f_coll_ptr[f], f_coll_ptr[f + 1]):
            v += aval[coll_asset[j]]
    else:
        for a in range(a_lo, a_hi):
            v += aval[a]
    return v


@njit(cache=True, error_model="numpy", inline="always")
def _maturity(
    t: int, b: int, f: int, a_lo: int, a_hi: int, ff: np.ndarray, fi: np.ndarray,
    rating_mult: float, sofr: float, sp: float, access: float, u: float, early: bool,
    cash: float, cf_ring: np.ndarray, dsb_ring: np.ndarray, ds_ring: np.ndarray,
    f_coll_ptr: np.ndarray, coll_asset: np.ndarray, aval: np.ndarray, fs: np.ndarray,
    st: np.ndarray,
) -> tuple[int, float, float]:
    """Settle the balloon of facility ``f`` due in month ``t`` (maturity, ARD or legal final).

    Order: refinance if the market is open (access uniform ``u``) and the new loan (METHODS 6
    sizing) plus a cash paydown covers the balloon; else repay from cash; else an ABS at its
    ARD steps up and sweeps; else a one-time extension if the LTV allows and the fee is
    affordable; else the borrower is in maturity default. ``sp`` is the spread the borrower
    refinances at (HY index, plus the software sector basis for software borrowers). ``early``
    (a month of the refinancing window before the balloon date) tries only a refinancing of the
    whole balloon and otherwise returns ``not_due``. ``rating_mult`` is the borrower's rating
    multiplier on ``sp``, ``sofr`` and ``access`` the month's SOFR and market-access threshold,
    ``cash`` the borrower's cash (USD); the caller takes the cash paid out of it (scalars, not
    arrays: every array argument costs an atomic refcount per call). Returns
    ``(RefiOutcome, cash paid, balloon due)``.
    """
    due = fs[f, FS_BAL] + fs[f, FS_STEP]
    kind = fi[f, FI_KIND]
    tenor = (st[f, IS_ARD] if st[f, IS_ARD] < NO_MONTH else st[f, IS_MAT]) - st[f, IS_START]
    if tenor <= 0:
        tenor = DEFAULT_REFI_TENOR_MONTHS
    is_open = sp < ff[f, FF_ACCESS] and u < access
    if due <= BALANCE_EPS:
        fs[f, FS_BAL] = 0.0
        fs[f, FS_STEP] = 0.0
        if kind == REVOLVER and is_open:  # the commitment is renewed for another tenor
            st[f, IS_START] = t
            st[f, IS_MAT] = t + tenor
        else:
            st[f, IS_MODE] = ST_CLOSED
            fs[f, FS_AVAIL] = 0.0
        return O_REPAID, 0.0, due
    value = _collateral_value(f, a_lo, a_hi, f_coll_ptr, coll_asset, aval)
    if is_open:
        new_spread = sp * rating_mult
        rate = floating_rate(sofr, new_spread, ff[f, FF_FLOOR], ff[f, FF_CAP])
        noi = _trailing_noi(b, f, t, cf_ring, dsb_ring, ds_ring)
        size = max_new_loan(noi, value, rate, fi[f, FI_REFI_AMORT], ff[f, FF_REFI_DSCR],
                            ff[f, FF_REFI_LTV], ff[f, FF_REFI_DY])
        new = due if size >= due else size
        paid = due - new
        # ahead of the balloon date only a full refinancing is taken (no early cash paydown)
        if new > BALANCE_EPS and cash >= paid and not (early and paid > 0.0):
            fs[f, FS_BAL] = new
            fs[f, FS_STEP] = 0.0
            st[f, IS_MODE] = ST_ACTIVE
            st[f, IS_RK] = FLOATING
            fs[f, FS_SPREAD] = new_spread
            fs[f, FS_PIK] = 0.0  # the new loan pays cash interest on all of it
            st[f, IS_START] = t
            st[f, IS_MAT] = t + tenor
            st[f, IS_ARD] = NO_MONTH
            st[f, IS_IO] = 0
            if kind != REVOLVER:
                st[f, IS_AMORT] = 0  # Amortization.annuity over the refinancing term
                st[f, IS_TERM] = fi[f, FI_REFI_AMORT] if fi[f, FI_REFI_AMORT] > 0 else tenor
                fs[f, FS_AVAIL] = 0.0
            return O_REFI, paid, due
    if early:
        return O_NOT_DUE, 0.0, due
    if cash >= due:
        fs[f, FS_BAL] = 0.0
        fs[f, FS_STEP] = 0.0
        st[f, IS_MODE] = ST_CLOSED
        fs[f, FS_AVAIL] = 0.0
        return O_REPAID, due, due
    if (kind == ABS and st[f, IS_MODE] == ST_ACTIVE and st[f, IS_ARD] < NO_MONTH
            and fi[f, FI_LEGAL] > t):
        st[f, IS_MODE] = ST_POST_ARD
        fs[f, FS_AVAIL] = 0.0
        return O_STEP, 0.0, due
    ltv = due / value if value > 0.0 else math.inf
    fee = ff[f, FF_EXT_FEE] * due
    if (fi[f, FI_EXT_MONTHS] > 0 and st[f, IS_EXT] == 0 and ltv <= ff[f, FF_EXT_LTV]
            and cash >= fee):
        st[f, IS_EXT] = 1
        st[f, IS_MAT] = t + fi[f, FI_EXT_MONTHS]
        return O_EXT, fee, due
    return O_FAIL, 0.0, due


@njit(cache=True, error_model="numpy")
def _leverage_breach(t: int, debt: float, arr: float, ebitda3: float, max_arr_lev: float,
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


@njit(cache=True, error_model="numpy", inline="always")
def _shares_collateral(f: int, g: int, f_coll_ptr: np.ndarray, coll_asset: np.ndarray) -> bool:
    """Whether facilities ``f`` and ``g`` of one borrower have an asset in common (a facility
    naming no collateral is secured on all the borrower's assets)."""
    if f_coll_ptr[f + 1] == f_coll_ptr[f] or f_coll_ptr[g + 1] == f_coll_ptr[g]:
        return True
    for i in range(f_coll_ptr[f], f_coll_ptr[f + 1]):
        for j in range(f_coll_ptr[g], f_coll_ptr[g + 1]):
            if coll_asset[i] == coll_asset[j]:
                return True
    return False


@njit(cache=True, error_model="numpy", inline="always")
def _facility_ltv(f: int, f_lo: int, f_hi: int, a_lo: int, a_hi: int, fi: np.ndarray,
                  f_coll_ptr: np.ndarray, coll_asset: np.ndarray, aval: np.ndarray,
                  fs: np.ndarray, st: np.ndarray) -> float:
    """LTV of secured facility ``f`` on its own collateral: balances of the open secured
    facilities of the borrower ranking ahead of or pari passu with ``f`` that share an asset
    with it (``f`` included), over the value of ``f``'s collateral (∞ if debt without value)."""
    debt = 0.0
    for g in range(f_lo, f_hi):
        if (fi[g, FI_SECURED] != 0 and fi[g, FI_RANK] <= fi[f, FI_RANK]
                and (st[g, IS_MODE] == ST_ACTIVE or st[g, IS_MODE] == ST_POST_ARD)
                and _shares_collateral(f, g, f_coll_ptr, coll_asset)):
            debt += fs[g, FS_BAL]
    v = _collateral_value(f, a_lo, a_hi, f_coll_ptr, coll_asset, aval)
    if v > 0.0:
        return debt / v
    return math.inf if debt > BALANCE_EPS else 0.0


@njit(cache=True, error_model="numpy")
def _facility_reserve(t: int, amort: int, start: int, term: int, io: int, freq: int,
                      balloon: int, r: float, bal: float, accr: float, fee: float,
                      avail: float, undrawn_fee: float) -> float:
    """Debt service an active facility reserves against an SPV distribution, USD: its unpaid
    accruals ``accr`` and fees ``fee``, ``DIST_RESERVE_MONTHS`` of interest at ``r`` (per year)
    and of undrawn fee (``undrawn_fee`` per year on ``avail``), and the scheduled principal of
    its payment dates in months ``t+1 .. t+DIST_RESERVE_MONTHS`` on the current balance
    ``bal``, or the whole balance if its ``balloon`` month falls inside. Custom amounts are
    added by the caller (they need the schedule arrays).

    Scalars only, on purpose: this runs every month for every facility of every SPV, and numba
    pays an atomic incref/decref pair per array argument per call of a helper taking arrays.
    """
    months = DIST_RESERVE_MONTHS / MONTHS_PER_YEAR
    need = accr + fee + bal * r * months + avail * undrawn_fee * months
    if balloon - t <= DIST_RESERVE_MONTHS:
        return need + bal
    # scheduled_principal is 0 for a non-amortising facility; the +0.0 it would add cannot
    # change the reserve (a sum starting at +0.0), so the calls are skipped
    if amortizes(amort):
        for m in range(t + 1, t + DIST_RESERVE_MONTHS + 1):
            if m > start and (m - start) % freq == 0:
                need += scheduled_principal(amort, bal, r, freq, m - start, term, io)
    return need


@njit(cache=True, error_model="numpy")
def _path(
    p: int, T: int, nb: int, nf: int, na: int, G: int,
    b_rating: np.ndarray, b_cash: np.ndarray, b_fac_ptr: np.ndarray, b_asset_ptr: np.ndarray,
    b_parent: np.ndarray, b_soft: np.ndarray, ff: np.ndarray, fi: np.ndarray, af: np.ndarray,
    ai: np.ndarray, prm: np.ndarray, a_month: np.ndarray, b_gpu: np.ndarray,
    rating_mult: np.ndarray, yfrac: np.ndarray,
    f_draw_ptr: np.ndarray, draw_month: np.ndarray, draw_amount: np.ndarray,
    f_sched_ptr: np.ndarray, sched_month: np.ndarray, sched_amount: np.ndarray,
    f_coll_ptr: np.ndarray, coll_asset: np.ndarray,
    h_facility: np.ndarray, h_lender: np.ndarray, h_share: np.ndarray,
    sofr: np.ndarray, fspread: np.ndarray, rent: np.ndarray, value: np.ndarray,
    util: np.ndarray, idio: np.ndarray, power: np.ndarray, dcv: np.ndarray,
    access: np.ndarray, swb: np.ndarray, swm: np.ndarray, sws: np.ndarray,
    cpty_default: np.ndarray, ext_default: np.ndarray, refi_u: np.ndarray,
    o_dm: np.ndarray, o_cause: np.ndarray, o_cliff: np.ndarray, o_loss: np.ndarray,
    o_ead: np.ndarray, o_rmonth: np.ndarray, o_rdue: np.ndarray, o_rout: np.ndarray,
    o_peak: np.ndarray, o_ldrawn: np.ndarray, o_lundrawn: np.ndarray, o_sold: np.ndarray,
    o_impact: np.ndarray, do_trace: bool, ftr: np.ndarray, btr: np.ndarray,
) -> None:
    """Run every borrower of path ``p`` through months ``0 .. T-1`` (see docs/ENGINE.md)."""
    # ---- per-path state, allocated once ----
    # facility state, one row per facility (row-major: one cache line or two per facility)
    fs = np.zeros((nf, N_FS))
    st = np.zeros((nf, N_IS), np.int64)
    for f in range(nf):
        fs[f, FS_BAL] = ff[f, FF_DRAWN]
        fs[f, FS_AVAIL] = max(ff[f, FF_COMMIT] - ff[f, FF_DRAWN], 0.0)
        fs[f, FS_SPREAD] = ff[f, FF_SPREAD]
        fs[f, FS_COUPON] = ff[f, FF_COUPON]
        st[f, IS_MODE] = ST_ACTIVE
        st[f, IS_START] = fi[f, FI_START]
        st[f, IS_MAT] = fi[f, FI_MAT]
        st[f, IS_ARD] = fi[f, FI_ARD]
        st[f, IS_LEGAL] = fi[f, FI_LEGAL]
        st[f, IS_AMORT] = fi[f, FI_AMORT]
        st[f, IS_TERM] = fi[f, FI_TERM]
        st[f, IS_IO] = fi[f, FI_IO]
        st[f, IS_RK] = fi[f, FI_RATE_KIND]
    ds_ring = np.zeros((nf, 3))
    due_int = np.zeros(nf)
    due_fee = np.zeros(nf)
    due_prin = np.zeros(nf)
    ead = np.zeros(nf)
    rec = np.zeros(nf)
    cash = b_cash.copy()
    dead = np.full(nb, NO_MONTH, np.int64)
    dist_in = np.zeros(nb)  # distributions from SPVs not yet received by their parent
    breached = np.zeros(nb, np.bool_)  # a covenant was breached at the last test
    cf_ring = np.zeros((nb, 3))
    dsb_ring = np.zeros((nb, 3))
    aval = np.zeros(na)
    churn = 0.0  # budget-years of reallocation C_t: one path-wide sum, the same for every asset
    proceeds = np.zeros(na)
    flows = np.zeros(5)
    impact = np.ones(G)
    sold = np.zeros(G)
    nc = cpty_default.shape[1]
    window = int(prm[P_REFI_WINDOW])
    # ob_alive[c] counterparty c pays this month; ob_alive[nc + b] borrower b pays this month.
    # A counterparty pays before its default month, a borrower before its exogenous default
    # month and through the month of its in-path default (so borrower order does not matter).
    # References are unified indices (run.obligor_refs), -1 = none = pays. Written out inline:
    # a helper taking the array would cost an atomic incref/decref per call.
    ob_alive = np.ones(nc + nb, np.bool_)
    # interest accrued since the last payment date before the valuation month (30/360, t0 rate)
    for f in range(nf):
        if st[f, IS_START] < 0:
            since = (-st[f, IS_START]) % fi[f, FI_FREQ]
            r0 = _contract_rate(st[f, IS_RK], fs[f, FS_COUPON], fs[f, FS_SPREAD], sofr[p, 0],
                                ff[f, FF_FLOOR],
                                ff[f, FF_CAP])
            fs[f, FS_ACCR] = fs[f, FS_BAL] * r0 * since / 12.0

    for t in range(T):
        w = t % 3
        churn += max(swb[p, t], 0.0) / MONTHS_PER_YEAR
        for g in range(G):
            sold[g] = 0.0
        logit_u = logit_common(util[p, t])
        for c in range(nc):
            ob_alive[c] = cpty_default[p, c] > t
        for b in range(nb):
            # a default in month t stops payments from t + 1 (order-independent within t)
            ob_alive[nc + b] = ext_default[p, b] > t and dead[b] >= t
        for b in range(nb):
            f_lo = b_fac_ptr[b]
            f_hi = b_fac_ptr[b + 1]
            a_lo = b_asset_ptr[b]
            a_hi = b_asset_ptr[b + 1]
            if dead[b] != NO_MONTH:
                if do_trace:
                    btr[t, b, BT_STATUS] = 1.0
                    btr[t, b, BT_CASH_OPEN] = cash[b]
                    btr[t, b, BT_CASH_CLOSE] = cash[b]
                    for f in range(f_lo, f_hi):
                        ftr[t, f, FT_STATUS] = st[f, IS_MODE]
                continue
            cash_open = cash[b]
            din = dist_in[b]
            cash[b] += din
            dist_in[b] = 0.0
            u_b = 0.0  # one exp per borrower-month: only GPU revenue and the trace use it
            if b_gpu[b] or do_trace:
                u_b = utilization(logit_u, idio[p, b], prm[P_IDIO_VOL])
            rev = 0.0
            opex = 0.0
            capex = 0.0
            rvg = 0.0
            arr_b = 0.0
            ebitda_b = 0.0
            for a in range(a_lo, a_hi):
                kind = ai[a, AI_KIND]
                aval[a] = 0.0
                if kind == GPU:
                    g = ai[a, AI_GEN]
                    units = af[a, AF_UNITS]
                    aval[a] = units * value[p, g, t] * impact[g]
                    end = ai[a, AI_CONTRACT_END]
                    if t >= ai[a, AI_IN_SERVICE]:
                        cu = units * af[a, AF_CSHARE]
                        price = af[a, AF_CPRICE]
                        if t >= end:  # renewal as an expected-value haircut
                            cu *= prm[P_RENEW_PROB]
                            price *= prm[P_RENEW_RATIO]
                        if not (ai[a, AI_CPTY_REF] < 0 or ob_alive[ai[a, AI_CPTY_REF]]):
                            cu = 0.0
                        mu = units - cu
                        busy = cu + mu * u_b
                        rev += HOURS * (cu * price + mu * u_b * rent[p, g, t])
                        opex += HOURS * (busy * af[a, AF_KW] * af[a, AF_PUE] * power[p, t]
                                         + units * af[a, AF_OPEX_H])
                    if t == end and ai[a, AI_RVG_REF] >= 0 and ob_alive[ai[a, AI_RVG_REF]]:
                        rvg += af[a, AF_RVG] * (1.0 - prm[P_RENEW_PROB])
                elif kind == DC:
                    comp = ai[a, AI_COMPLETION]
                    end = ai[a, AI_LEASE_END]
                    sched = a_month[t, a]  # dc_scheduled_rent, precomputed per block
                    if t >= end:
                        sched *= prm[P_LEASE_RENEW]
                    payer = (ai[a, AI_CPTY_REF] < 0 or ob_alive[ai[a, AI_CPTY_REF]])
                    if not payer and t < end and ai[a, AI_BACKSTOP_REF] >= 0:
                        payer = (ai[a, AI_BACKSTOP_REF] < 0 or ob_alive[ai[a, AI_BACKSTOP_REF]])
                    if t >= comp:
                        if payer:
                            rev += sched
                        opex += af[a, AF_OPEX_RATIO] * sched
                    left = 0.0
                    if t < comp:
                        capex += af[a, AF_CAPEX] / comp
                        left = af[a, AF_CAPEX] * (comp - t - 1) / comp
                    noi = sched * (1.0 - af[a, AF_OPEX_RATIO])
                    if not payer:  # vacant: valued at the market re-let rent
                        noi *= prm[P_RELET]
                    v = MONTHS_PER_YEAR * noi / af[a, AF_CAP_RATE] * dcv[p, t] - left
                    aval[a] = max(v, 0.0)
                    if t == end and ai[a, AI_RVG_REF] >= 0 and ob_alive[ai[a, AI_RVG_REF]]:
                        rvg += af[a, AF_RVG] * (1.0 - prm[P_LEASE_RENEW])
                elif kind == SW:
                    plan = a_month[t, a]  # software_plan_arr, precomputed per block
                    arr = software_arr(plan, af[a, AF_VULN], prm[P_CHURN], churn, swb[p, t])
                    r_sw = arr / MONTHS_PER_YEAR
                    o_sw = software_opex(r_sw, plan / MONTHS_PER_YEAR, af[a, AF_GROSS_MARGIN],
                                         af[a, AF_EBITDA_MARGIN])
                    rev += r_sw
                    opex += o_sw
                    arr_b += arr
                    ebitda_b += r_sw - o_sw
                    aval[a] = af[a, AF_EV_ARR] * arr * swm[p, t]
            flows[0] = rev
            flows[1] = opex
            flows[2] = capex
            flows[3] = rvg
            flows[4] = u_b
            cfads = flows[0] - flows[1]
            cash[b] += cfads - flows[2] + flows[3]
            cf_ring[b, w] = cfads
            cause = C_CROSS if ext_default[p, b] <= t else 0
            draws_b = 0.0
            revolver_b = 0.0
            ds_b = 0.0
            sweep_b = 0.0
            paydown_b = 0.0
            for f in range(f_lo, f_hi):
                due_int[f] = 0.0
                due_fee[f] = 0.0
                due_prin[f] = 0.0
                ds_ring[f, w] = 0.0
            # ---- 3. scheduled draws ----
            for f in range(f_lo, f_hi):
                if (cause != 0 or st[f, IS_MODE] != ST_ACTIVE or t < st[f, IS_START]
                        or t >= st[f, IS_MAT]):
                    continue
                for j in range(f_draw_ptr[f], f_draw_ptr[f + 1]):
                    if draw_month[j] == t:
                        amt = min(draw_amount[j], fs[f, FS_AVAIL])
                        fs[f, FS_BAL] += amt
                        fs[f, FS_AVAIL] -= amt
                        cash[b] += amt
                        draws_b += amt
                        if do_trace:
                            ftr[t, f, FT_DRAWS] += amt
            # ---- 4. debt service due ----
            due_b = 0.0
            for f in range(f_lo, f_hi):
                if cause != 0 or (st[f, IS_MODE] != ST_ACTIVE and st[f, IS_MODE] != ST_POST_ARD):
                    continue
                if t <= st[f, IS_START]:
                    continue
                ev = _balloon_month(st[f, IS_MODE], st[f, IS_MAT], st[f, IS_ARD], st[f, IS_LEGAL])
                freq = fi[f, FI_FREQ]
                if freq == 1 or (t - st[f, IS_START]) % freq == 0 or t == ev:
                    due_int[f] = fs[f, FS_ACCR]
                    due_fee[f] = fs[f, FS_FEE]
                    # bullet, sweep and custom loans owe no scheduled principal here: due_prin
                    # keeps its 0.0 without the call (most of the book is bullet)
                    if st[f, IS_MODE] == ST_ACTIVE and amortizes(st[f, IS_AMORT]):
                        # the rate of the period just ended (month 0's before the grid)
                        r = _contract_rate(st[f, IS_RK], fs[f, FS_COUPON], fs[f, FS_SPREAD],
                                           sofr[p, max(t - 1, 0)],
                                           ff[f, FF_FLOOR], ff[f, FF_CAP])
                        due_prin[f] = scheduled_principal(st[f, IS_AMORT], fs[f, FS_BAL], r, freq,
                                                          t - st[f, IS_START], st[f, IS_TERM],
                                                          st[f, IS_IO])
                if st[f, IS_AMORT] == CUSTOM and st[f, IS_MODE] == ST_ACTIVE:
                    for j in range(f_sched_ptr[f], f_sched_ptr[f + 1]):
                        if sched_month[j] == t:
                            due_prin[f] += min(sched_amount[j], fs[f, FS_BAL] - due_prin[f])
                due_b += due_int[f] + due_fee[f] + due_prin[f]
            # ---- 5. liquidity: cash, then revolvers, else payment default ----
            if cause == 0 and cash[b] < due_b:
                for f in range(f_lo, f_hi):
                    if cash[b] >= due_b:
                        break
                    if (fi[f, FI_KIND] == REVOLVER and st[f, IS_MODE] == ST_ACTIVE
                            and st[f, IS_START] <= t < st[f, IS_MAT] and fs[f, FS_AVAIL] > 0.0):
                        d = min(fs[f, FS_AVAIL], due_b - cash[b])
                        fs[f, FS_BAL] += d
                        fs[f, FS_AVAIL] -= d
                        cash[b] += d
                        revolver_b += d
                        if do_trace:
                            ftr[t, f, FT_DRAWS] += d
                if b_soft[b] and cash[b] < due_b - BALANCE_EPS:
                    # PIK toggle: part of the interest is capitalised before a payment default
                    for f in range(f_lo, f_hi):
                        pik = ff[f, FF_PIK_SHARE] * due_int[f]
                        if pik > 0.0:
                            due_int[f] -= pik
                            due_b -= pik
                            fs[f, FS_ACCR] -= pik
                            fs[f, FS_BAL] += pik
                            fs[f, FS_PIK] += pik
                            if do_trace:
                                ftr[t, f, FT_PIK] = pik
                if cash[b] < due_b - BALANCE_EPS:
                    cause = C_PAYMENT
            if cause == 0:
                cash[b] -= due_b
                ds_b = due_b
                for f in range(f_lo, f_hi):
                    fs[f, FS_BAL] -= due_prin[f]
                    fs[f, FS_ACCR] -= due_int[f]
                    fs[f, FS_FEE] -= due_fee[f]
                    ds_ring[f, w] = due_int[f] + due_fee[f] + due_prin[f]
                    if do_trace:
                        ftr[t, f, FT_INTEREST] = due_int[f]
                        ftr[t, f, FT_PRINCIPAL] = due_prin[f]
                        ftr[t, f, FT_FEES] = due_fee[f]
            dsb_ring[b, w] = ds_b
            # ---- 7. maturity / ARD ----
            sp = fspread[p, t]
            if b_soft[b]:
                sp += sws[p, t]  # software loans refinance at the HY index plus sector basis
            if cause == 0:
                for f in range(f_lo, f_hi):
                    if st[f, IS_MODE] != ST_ACTIVE and st[f, IS_MODE] != ST_POST_ARD:
                        continue
                    ev = _balloon_month(st[f, IS_MODE], st[f, IS_MAT], st[f, IS_ARD],
                                        st[f, IS_LEGAL])
                    if t < st[f, IS_START]:
                        continue
                    k = ev - t  # months before the balloon date
                    early = k > 0
                    if early and (k > window or st[f, IS_MODE] != ST_ACTIVE
                                  or t <= st[f, IS_START] or fs[f, FS_BAL] <= BALANCE_EPS):
                        continue
                    u = refi_u[p, f] + k * GOLDEN_FRACTION
                    u -= math.floor(u)
                    if early and not (sp < ff[f, FF_ACCESS] and u < access[p, t]):
                        continue  # market closed this month: skip the call (same result)
                    out, paid, due = _maturity(
                        t, b, f, a_lo, a_hi, ff, fi, rating_mult[b_rating[b]], sofr[p, t], sp,
                        access[p, t], u, early, cash[b], cf_ring, dsb_ring, ds_ring,
                        f_coll_ptr, coll_asset, aval, fs, st)
                    if out == O_NOT_DUE:
                        continue
                    cash[b] -= paid
                    paydown_b += paid
                    if do_trace and out == O_EXT:
                        ftr[t, f, FT_FEES] += paid
                    elif do_trace:
                        ftr[t, f, FT_PRINCIPAL] += paid
                    if o_rmonth[p, f] == NO_MONTH:
                        o_rmonth[p, f] = t
                        o_rdue[p, f] = due
                        o_rout[p, f] = out
                    if out == O_STEP or out == O_EXT or out == O_FAIL:
                        if o_cliff[p, b] == NO_MONTH:
                            o_cliff[p, b] = t
                    if out == O_FAIL:
                        cause = C_MATURITY
                        break
            # ---- sweeps: ABS past ARD, cash traps, sweep amortisation ----
            if cause == 0:
                excess = max(min(cfads - ds_b, cash[b]), 0.0)
                for f in range(f_lo, f_hi):
                    sweeping = st[f, IS_MODE] == ST_POST_ARD or (
                        st[f, IS_MODE] == ST_ACTIVE and t >= st[f, IS_START]
                        and (st[f, IS_TRAP] != 0 or st[f, IS_AMORT] == SWEEP))
                    if not sweeping or excess <= 0.0:
                        continue
                    share = ff[f, FF_SWEEP] if ff[f, FF_SWEEP] > 0.0 else 1.0
                    s = min(share * excess, fs[f, FS_BAL])
                    fs[f, FS_BAL] -= s
                    excess -= s
                    if st[f, IS_MODE] == ST_POST_ARD and fs[f, FS_BAL] <= BALANCE_EPS:
                        s2 = min(share * excess, fs[f, FS_STEP])
                        fs[f, FS_STEP] -= s2
                        excess -= s2
                        s += s2
                        if fs[f, FS_STEP] <= BALANCE_EPS:
                            st[f, IS_MODE] = ST_CLOSED
                    cash[b] -= s
                    sweep_b += s
                    if do_trace:
                        ftr[t, f, FT_SWEEP] = s
            # ---- accrual of month t ----
            if cause == 0:
                for f in range(f_lo, f_hi):
                    if ((st[f, IS_MODE] != ST_ACTIVE and st[f, IS_MODE] != ST_POST_ARD)
                            or t < st[f, IS_START]):
                        continue
                    yf = yfrac[fi[f, FI_DC], t]
                    r = _contract_rate(st[f, IS_RK], fs[f, FS_COUPON], fs[f, FS_SPREAD], sofr[p, t],
                                       ff[f, FF_FLOOR],
                                       ff[f, FF_CAP])
                    fs[f, FS_ACCR] += fs[f, FS_BAL] * r * yf
                    if t < st[f, IS_MAT]:
                        fs[f, FS_FEE] += fs[f, FS_AVAIL] * ff[f, FF_UNDRAWN_FEE] * yf
                    if st[f, IS_MODE] == ST_POST_ARD:
                        fs[f, FS_STEP] += fs[f, FS_BAL] * ff[f, FF_STEP_UP] * yf
                    if fs[f, FS_PIK] > 0.0:  # the PIK margin, on what is still outstanding
                        fs[f, FS_ACCR] += (min(fs[f, FS_PIK], fs[f, FS_BAL])
                                           * ff[f, FF_PIK_MARGIN] * yf)
            # ---- 6. covenants (quarterly, trailing 3 months) ----
            sum_cf = cf_ring[b, 0] + cf_ring[b, 1] + cf_ring[b, 2]
            sum_ds = dsb_ring[b, 0] + dsb_ring[b, 1] + dsb_ring[b, 2]
            dscr = sum_cf / sum_ds if sum_ds > 0.0 else math.inf
            test = cause == 0 and w == COVENANT_TEST_MONTHS - 1
            debt = 0.0  # borrower debt: the trace's LTV and the leverage covenants
            ltv = 0.0
            if test or do_trace:  # two loops a test month or the trace needs, not every month
                for f in range(f_lo, f_hi):
                    debt += fs[f, FS_BAL]
                val = 0.0
                for a in range(a_lo, a_hi):
                    val += aval[a]
                ltv = debt / val if val > 0.0 else (math.inf if debt > BALANCE_EPS else 0.0)
            if test:
                # a borrower with no operating cash flow yet (under construction) has no
                # meaningful DSCR: its cliff is a failed refinancing or a default, not DSCR
                if dscr < 1.0 and sum_cf != 0.0 and o_cliff[p, b] == NO_MONTH:
                    o_cliff[p, b] = t
                breached[b] = False
                for f in range(f_lo, f_hi):
                    if st[f, IS_MODE] != ST_ACTIVE or t < st[f, IS_START]:
                        continue
                    breach = ff[f, FF_MIN_DSCR] > 0.0 and dscr < ff[f, FF_MIN_DSCR]
                    if not breach and fi[f, FI_SECURED] != 0 and ff[f, FF_MAX_LTV] < math.inf:
                        breach = _facility_ltv(f, f_lo, f_hi, a_lo, a_hi, fi, f_coll_ptr,
                                               coll_asset, aval, fs, st) > ff[f, FF_MAX_LTV]
                    if not breach and b_soft[b]:
                        breach = _leverage_breach(t, debt, arr_b, sum_cf,
                                                  ff[f, FF_MAX_ARR_LEV], ff[f, FF_MAX_LEV],
                                                  fi[f, FI_COV_CONVERT])
                    breached[b] = breached[b] or breach
                    st[f, IS_TRAP] = (breach and fi[f, FI_COV] == TRAP) or (
                        ff[f, FF_TRAP_DSCR] > 0.0 and dscr < ff[f, FF_TRAP_DSCR])
                    if breach and fi[f, FI_COV] == EOD:
                        cause = C_COVENANT
            # ---- 8. default ----
            default_cash = 0.0
            if cause != 0:
                default_cash = _default(
                    p, t, b, cause, f_lo, f_hi, a_lo, a_hi, af, ai, fi, prm, f_coll_ptr,
                    coll_asset, value, impact, aval, fs, st, cash, dead, ead, proceeds, rec,
                    sold, o_dm, o_cause, o_loss, o_ead)
            # ---- 8b. distribution of an SPV's surplus cash to its parent ----
            dout = 0.0
            pb = b_parent[b]
            if cause == 0 and pb >= 0 and dead[pb] == NO_MONTH and not breached[b]:
                # written out here, not in a helper taking arrays: it runs every SPV-month
                # and each array argument of a call costs an atomic incref/decref pair
                reserve = 0.0
                blocked = False  # a trapped or post-ARD facility blocks any distribution
                for f in range(f_lo, f_hi):
                    mode = st[f, IS_MODE]
                    if mode == ST_POST_ARD or (mode == ST_ACTIVE and st[f, IS_TRAP] != 0):
                        blocked = True
                        break
                    if mode != ST_ACTIVE:
                        continue
                    ev = _balloon_month(mode, st[f, IS_MAT], st[f, IS_ARD], st[f, IS_LEGAL])
                    need = _facility_reserve(
                        t, st[f, IS_AMORT], st[f, IS_START], st[f, IS_TERM], st[f, IS_IO],
                        fi[f, FI_FREQ], ev,
                        _contract_rate(st[f, IS_RK], fs[f, FS_COUPON], fs[f, FS_SPREAD],
                                       sofr[p, t], ff[f, FF_FLOOR], ff[f, FF_CAP]),
                        fs[f, FS_BAL], fs[f, FS_ACCR], fs[f, FS_FEE], fs[f, FS_AVAIL],
                        ff[f, FF_UNDRAWN_FEE])
                    if st[f, IS_AMORT] == CUSTOM and ev - t > DIST_RESERVE_MONTHS:
                        for j in range(f_sched_ptr[f], f_sched_ptr[f + 1]):
                            if t < sched_month[j] <= t + DIST_RESERVE_MONTHS:
                                need += sched_amount[j]
                    reserve += need
                if not blocked:
                    for a in range(a_lo, a_hi):  # capex still to spend
                        comp = ai[a, AI_COMPLETION]
                        if ai[a, AI_KIND] == DC and t < comp:
                            reserve += af[a, AF_CAPEX] * (comp - t - 1) / comp
                    dout = max(cash[b] - reserve, 0.0)
                cash[b] -= dout
                dist_in[pb] += dout
            if do_trace:
                bt = btr[t, b]
                bt[BT_CASH_OPEN] = cash_open
                bt[BT_REVENUE] = flows[0]
                bt[BT_OPEX] = flows[1]
                bt[BT_CAPEX] = flows[2]
                bt[BT_RVG] = flows[3]
                bt[BT_UTILIZATION] = flows[4]
                bt[BT_CFADS] = cfads
                bt[BT_DRAWS] = draws_b
                bt[BT_REVOLVER] = revolver_b
                bt[BT_DEBT_SERVICE] = ds_b
                bt[BT_SWEEP] = sweep_b
                bt[BT_PAYDOWN] = paydown_b
                bt[BT_DEFAULT_CASH] = default_cash
                bt[BT_DIST_IN] = din
                bt[BT_DIST_OUT] = dout
                bt[BT_CASH_CLOSE] = cash[b]
                bt[BT_DSCR] = dscr
                bt[BT_LTV] = ltv
                bt[BT_STATUS] = 1.0 if cause != 0 else 0.0
                bt[BT_ARR] = arr_b
                bt[BT_EBITDA] = ebitda_b
        # ---- month end: exposures, peaks, trace, contagion ----
        for f in range(nf):
            if fs[f, FS_BAL] > o_peak[p, f]:
                o_peak[p, f] = fs[f, FS_BAL]
            if do_trace:
                ftr[t, f, FT_BALANCE] = fs[f, FS_BAL]
                ftr[t, f, FT_STEP_UP] = fs[f, FS_STEP]
                ftr[t, f, FT_STATUS] = st[f, IS_MODE]
        # Exposure sums start at +0.0, so a zero term (closed or defaulted facility, drawn
        # commitment) leaves their bits unchanged and is skipped: no load-add-store.
        for h in range(h_facility.shape[0]):
            f = h_facility[h]
            drawn = h_share[h] * fs[f, FS_BAL]
            if drawn != 0.0:
                o_ldrawn[p, t, h_lender[h]] += drawn
            if st[f, IS_MODE] == ST_ACTIVE and t < st[f, IS_MAT]:
                undrawn = h_share[h] * fs[f, FS_AVAIL]
                if undrawn != 0.0:
                    o_lundrawn[p, t, h_lender[h]] += undrawn
        for g in range(G):
            o_sold[p, g] += sold[g]
            if prm[P_CONTAGION] > 0.0 and sold[g] > 0.0:
                impact[g] *= max(math.exp(-sold[g] / prm[P_DEPTH]), 1.0 - prm[P_MAX_IMPACT])
    for g in range(G):
        o_impact[p, g] = impact[g]


@njit(parallel=True, cache=True, error_model="numpy")
def run_paths(
    T: int, nb: int, nf: int, na: int, G: int,
    b_rating: np.ndarray, b_cash: np.ndarray, b_fac_ptr: np.ndarray, b_asset_ptr: np.ndarray,
    b_parent: np.ndarray, b_soft: np.ndarray, ff: np.ndarray, fi: np.ndarray, af: np.ndarray,
    ai: np.ndarray, prm: np.ndarray,
    rating_mult: np.ndarray, yfrac: np.ndarray,
    f_draw_ptr: np.ndarray, draw_month: np.ndarray, draw_amount: np.ndarray,
    f_sched_ptr: np.ndarray, sched_month: np.ndarray, sched_amount: np.ndarray,
    f_coll_ptr: np.ndarray, coll_asset: np.ndarray,
    h_facility: np.ndarray, h_lender: np.ndarray, h_share: np.ndarray,
    sofr: np.ndarray, fspread: np.ndarray, rent: np.ndarray, value: np.ndarray,
    util: np.ndarray, idio: np.ndarray, power: np.ndarray, dcv: np.ndarray,
    access: np.ndarray, swb: np.ndarray, swm: np.ndarray, sws: np.ndarray,
    cpty_default: np.ndarray, ext_default: np.ndarray, refi_u: np.ndarray,
    o_dm: np.ndarray, o_cause: np.ndarray, o_cliff: np.ndarray, o_loss: np.ndarray,
    o_ead: np.ndarray, o_rmonth: np.ndarray, o_rdue: np.ndarray, o_rout: np.ndarray,
    o_peak: np.ndarray, o_ldrawn: np.ndarray, o_lundrawn: np.ndarray, o_sold: np.ndarray,
    o_impact: np.ndarray, do_trace: bool, ftr: np.ndarray, btr: np.ndarray,
) -> None:
    """Run all paths in parallel; outputs are written in place (one row per path).

    Paths share nothing, so the result is identical for any thread count or block split.
    """
    a_month = asset_month_table(T, ai, af)
    b_gpu = gpu_borrowers(b_asset_ptr, ai)
    for p in prange(sofr.shape[0]):
        _path(p, T, nb, nf, na, G, b_rating, b_cash, b_fac_ptr, b_asset_ptr, b_parent, b_soft,
              ff, fi, af, ai, prm, a_month, b_gpu, rating_mult, yfrac, f_draw_ptr, draw_month,
              draw_amount, f_sched_ptr, sched_month, sched_amount, f_coll_ptr, coll_asset,
              h_facility, h_lender, h_share, sofr, fspread, rent, value, util, idio, power,
              dcv, access, swb, swm, sws, cpty_default, ext_default, refi_u, o_dm, o_cause,
              o_cliff, o_loss, o_ead, o_rmonth, o_rdue, o_rout, o_peak, o_ldrawn, o_lundrawn,
              o_sold, o_impact, do_trace, ftr, btr)
