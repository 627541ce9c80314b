"""Balloons: maturity, ARD and legal final; refinancing, repayment, step-up, extension, USD.

On the balloon date (ARD if any, legal final after a failed ARD, else maturity), with
`due = balance + deferred step-up`:

1. `due ≈ 0` → *repaid*; a revolver's commitment renews for another tenor if the market is
   open, otherwise lapses.
2. Market open iff `spread_t < access_spread` **and** `u < market_access_t`. Then the new loan
   is sized `L_max = min(LTV_max · V, NOI / (DSCR_min · k(r)), NOI / DY_min)`
   (`engine/refinancing.py`) with `k(r) = 12 · pmt(r/12, refi_amort_months, −1)` (interest only
   if 0), at `r = new spread + min(max(SOFR_t, floor), cap)`, new spread `= spread_t × rating
   multiplier` (`EngineParams.rating_spread_multiplier`). For a **software borrower**
   `spread_t` is `spread_t + software_spread_t` everywhere in this step (software loans trade
   at a sector basis over the HY index). `NOI` = trailing CFADS less the other facilities' debt
   service over the last 3 months (fewer at the start), annualised, USD per year. `V` = value
   of the facility's collateral (all the borrower's assets if it names none). If `L_max ≥ due`
   → *refinanced* at `due`; else if cash covers `due − L_max` → *refinanced* at `L_max` with
   the paydown from cash.
3. Otherwise, if cash covers `due` → *repaid* from cash.
4. Otherwise an ABS at its ARD → *abs_step_up*: the step-up accrues and excess cash sweeps
   (step 5) until legal final.
5. Otherwise a one-time *extension* by `ext_months` if `due / V ≤ ext_max_ltv` and cash pays
   the fee `ext_fee × due`.
6. Otherwise *failed_default* → maturity default of the borrower (step 8).

**Refinancing window** (`EngineParams.refi_window_months`, default 6 [estimate]): in each of
the `W` months before the balloon date of an active facility (maturity, or an ABS's ARD; not
the legal final after a failed ARD), after its start month and with a positive balance, the
issuer tries 2 only, and only for the whole balloon (no cash paydown ahead of the date), with
that month's spread, access, SOFR and trailing NOI and a fresh uniform
`u_k = frac(refi_u + k·φ)`, `k` = months before the balloon date, `φ` the golden ratio (a Weyl
rotation: each `u_k` is uniform, the sequence deterministic; `k = 0` gives `refi_u`). A failure
in the window is not an event; failure counts only at the balloon date.

A refinanced facility becomes a floating annuity over `refi_amort_months` (or its tenor if 0)
with the new spread, original floor and cap, the original tenor (`maturity − start`, or
ARD − start, 60 months if unknown), no ARD; its payment frequency and day count are kept. A
refinanced revolver keeps its commitment and bullet profile. `fac_refi_*` record the first
balloon of each facility in the horizon (month, amount due, outcome; an early refinancing in
the month it happens); `cliff_month` is the first step-up, extension or failed refinancing
(or the first quarterly DSCR below 1.0, step 7).
"""

from __future__ import annotations

import math

from cliffwatch.codes import DefaultCause, FacilityKind, RateKind, RefiOutcome
from cliffwatch.engine.constants import BALANCE_EPS, DEFAULT_REFI_TENOR_MONTHS, GOLDEN_FRACTION
from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import BI, BT, FF, FI, FS, FT, IS, ST_ACTIVE, ST_CLOSED, ST_POST_ARD
from cliffwatch.engine.refinancing import max_new_loan
from cliffwatch.engine.state import Book, Market, Outputs, PathState, Trace
from cliffwatch.engine.steps.common import balloon_month, collateral_value, floating_rate
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR

REVOLVER = int(FacilityKind.revolver)
ABS = int(FacilityKind.abs)
FLOATING = int(RateKind.floating)
O_NOT_DUE = int(RefiOutcome.not_due)
O_REPAID = int(RefiOutcome.repaid)
O_REFI = int(RefiOutcome.refinanced)
O_EXT = int(RefiOutcome.extended)
O_STEP = int(RefiOutcome.abs_step_up)
O_FAIL = int(RefiOutcome.failed_default)
C_MATURITY = int(DefaultCause.maturity)


@step_fn
def trailing_noi(ps: PathState, b: int, f: int, t: int) -> float:
    """Annualised trailing CFADS less the other facilities' debt service, USD per year, over
    the trailing 3 months (fewer at the start of the grid), times 12 / months."""
    n = min(t + 1, 3)
    cf_ring, dsb_ring, ds_ring = ps.cf_ring, ps.dsb_ring, ps.ds_ring
    cf = cf_ring[b, 0] + cf_ring[b, 1] + cf_ring[b, 2]
    others = (dsb_ring[b, 0] + dsb_ring[b, 1] + dsb_ring[b, 2]
              - ds_ring[f, 0] - ds_ring[f, 1] - ds_ring[f, 2])
    return (cf - others) * MONTHS_PER_YEAR / n


@step_fn
def refinance(bk: Book, ps: PathState, t: int, b: int, f: int, sofr: float, sp: float,
              early: bool, cash: float, due: float, value: float, tenor: int) -> float:
    """Size the new loan at the borrower's spread ``sp`` × rating multiplier and take it if it
    (plus a cash paydown at the balloon date) covers ``due``; returns the cash paid, or -1.0
    if there is no refinancing."""
    ff, fi, fs, st = bk.ff, bk.fi, ps.fs, ps.st
    new_spread = sp * bk.rating_mult[bk.bi[b, BI.RATING]]
    rate = floating_rate(sofr, new_spread, ff[f, FF.FLOOR], ff[f, FF.CAP])
    noi = trailing_noi(ps, b, f, t)
    size = max_new_loan(noi, value, rate, fi[f, FI.REFI_AMORT], ff[f, FF.REFI_DSCR],
                        ff[f, FF.REFI_LTV], ff[f, FF.REFI_DY])
    new = due if size >= due else size
    paid = due - new
    # ahead of the balloon date only a full refinancing is taken (no early cash paydown)
    if not (new > BALANCE_EPS and cash >= paid and not (early and paid > 0.0)):
        return -1.0
    fs[f, FS.BAL] = new
    fs[f, FS.STEP] = 0.0
    st[f, IS.MODE] = ST_ACTIVE
    st[f, IS.RK] = FLOATING
    fs[f, FS.SPREAD] = new_spread
    fs[f, FS.PIK] = 0.0  # the new loan pays cash interest on all of it
    st[f, IS.START] = t
    st[f, IS.MAT] = t + tenor
    st[f, IS.ARD] = NO_MONTH
    st[f, IS.IO] = 0
    if fi[f, FI.KIND] != REVOLVER:
        st[f, IS.AMORT] = 0  # Amortization.annuity over the refinancing term
        st[f, IS.TERM] = fi[f, FI.REFI_AMORT] if fi[f, FI.REFI_AMORT] > 0 else tenor
        fs[f, FS.AVAIL] = 0.0
    return paid


@step_fn
def settle(bk: Book, ps: PathState, t: int, b: int, f: int, sofr: float, sp: float,
           access: float, u: float, early: bool, cash: float) -> tuple[int, float, float]:
    """Settle the balloon of facility ``f`` due in month ``t`` (or try a refinancing ``early``
    in the window): ``sofr`` and ``access`` the month's SOFR and market-access probability,
    ``u`` the access uniform, ``cash`` the borrower's cash (USD). Returns ``(RefiOutcome,
    cash paid, balloon due)``; the caller takes the cash paid."""
    ff, fi, fs, st = bk.ff, bk.fi, ps.fs, ps.st
    a_lo, a_hi = bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1]
    due = fs[f, FS.BAL] + fs[f, FS.STEP]
    kind = fi[f, FI.KIND]
    tenor = (st[f, IS.ARD] if st[f, IS.ARD] < NO_MONTH else st[f, IS.MAT]) - st[f, IS.START]
    if tenor <= 0:
        tenor = DEFAULT_REFI_TENOR_MONTHS
    is_open = sp < ff[f, FF.ACCESS] and u < access
    if due <= BALANCE_EPS:
        fs[f, FS.BAL] = 0.0
        fs[f, FS.STEP] = 0.0
        if kind == REVOLVER and is_open:  # the commitment is renewed for another tenor
            st[f, IS.START] = t
            st[f, IS.MAT] = t + tenor
        else:
            st[f, IS.MODE] = ST_CLOSED
            fs[f, FS.AVAIL] = 0.0
        return O_REPAID, 0.0, due
    value = collateral_value(f, a_lo, a_hi, bk.f_coll_ptr, bk.coll_asset, ps.aval)
    if is_open:
        paid = refinance(bk, ps, t, b, f, sofr, sp, early, cash, due, value, tenor)
        if paid >= 0.0:
            return O_REFI, paid, due
    if early:
        return O_NOT_DUE, 0.0, due
    if cash >= due:
        fs[f, FS.BAL] = 0.0
        fs[f, FS.STEP] = 0.0
        st[f, IS.MODE] = ST_CLOSED
        fs[f, FS.AVAIL] = 0.0
        return O_REPAID, due, due
    if (kind == ABS and st[f, IS.MODE] == ST_ACTIVE and st[f, IS.ARD] < NO_MONTH
            and fi[f, FI.LEGAL] > t):
        st[f, IS.MODE] = ST_POST_ARD
        fs[f, FS.AVAIL] = 0.0
        return O_STEP, 0.0, due
    ltv = due / value if value > 0.0 else math.inf
    fee = ff[f, FF.EXT_FEE] * due
    if (fi[f, FI.EXT_MONTHS] > 0 and st[f, IS.EXT] == 0 and ltv <= ff[f, FF.EXT_LTV]
            and cash >= fee):
        st[f, IS.EXT] = 1
        st[f, IS.MAT] = t + fi[f, FI.EXT_MONTHS]
        return O_EXT, fee, due
    return O_FAIL, 0.0, due


@step_fn
def record(out: Outputs, tr: Trace, p: int, t: int, b: int, f: int, outcome: int,
           paid: float, due: float) -> None:
    """Record a settled balloon: trace cash, first balloon of the facility, cliff month."""
    if tr.on and outcome == O_EXT:
        tr.fac[t, f, FT.FEES] += paid
    elif tr.on:
        tr.fac[t, f, FT.PRINCIPAL] += paid
    if out.fac_refi_month[p, f] == NO_MONTH:
        out.fac_refi_month[p, f] = t
        out.fac_refi_due[p, f] = due
        out.fac_refi_outcome[p, f] = outcome
    if outcome == O_STEP or outcome == O_EXT or outcome == O_FAIL:
        if out.cliff_month[p, b] == NO_MONTH:
            out.cliff_month[p, b] = t


@step_fn
def settle_balloons(bk: Book, mk: Market, ps: PathState, out: Outputs, tr: Trace, p: int,
                    t: int, b: int, cause: int) -> int:
    """Every balloon of borrower ``b`` due in month ``t`` or inside the refinancing window;
    returns the default cause (maturity default on a failure)."""
    fs, st = ps.fs, ps.st
    sp = mk.spread[p, t]
    if bk.bi[b, BI.SOFTWARE] != 0:
        sp += mk.software_spread[p, t]  # software loans refinance at the HY index plus basis
    if cause != 0:
        return cause
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if st[f, IS.MODE] != ST_ACTIVE and st[f, IS.MODE] != ST_POST_ARD:
            continue
        ev = balloon_month(st[f, IS.MODE], st[f, IS.MAT], st[f, IS.ARD], st[f, IS.LEGAL])
        if t < st[f, IS.START]:
            continue
        k = ev - t  # months before the balloon date
        early = k > 0
        if early and (k > bk.window or st[f, IS.MODE] != ST_ACTIVE
                      or t <= st[f, IS.START] or fs[f, FS.BAL] <= BALANCE_EPS):
            continue
        u = mk.refi_u[p, f] + k * GOLDEN_FRACTION
        u -= math.floor(u)
        access = mk.market_access[p, t]
        if early and not (sp < bk.ff[f, FF.ACCESS] and u < access):
            continue  # market closed this month: skip the call (same result)
        outcome, paid, due = settle(bk, ps, t, b, f, mk.sofr[p, t], sp, access, u, early,
                                    ps.cash[b])
        if outcome == O_NOT_DUE:
            continue
        ps.cash[b] -= paid
        ps.bm[BT.PAYDOWN] += paid
        record(out, tr, p, t, b, f, outcome, paid, due)
        if outcome == O_FAIL:
            return C_MATURITY
    return cause
