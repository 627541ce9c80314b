"""Debt service: interest, fees and scheduled principal due, liquidity, payment, USD.

Facilities are sorted most senior first.

* Payment dates: `t > start` and `(t − start) mod pay_freq == 0`, plus the balloon date.
* Interest paid = interest accrued since the last payment (step 6); undrawn fees likewise.
* Scheduled principal (`engine/amortization.py`, stateless in the balance), at the rate of the
  period just ended (month 0's before the grid):
  * `annuity`: `pmt(r_p, n_left, balance) − balance · r_p` with `r_p = rate · pay_freq / 12`
    (nominal periodic rate) and `n_left` the payments left in `amort_term_months`. Fixed rate →
    the level annuity; floating → re-amortization at each reset. A term longer than the
    maturity leaves a balloon.
  * `straight_line`: `balance / n_left`.
  * `io_then_annuity`: nothing for `io_months`, then an annuity over `amort_term_months`
    counted from the end of the IO period.
  * `custom`: the tape amounts dated `t` (on any month), capped at the balance.
  * `bullet`, `sweep`: nothing scheduled.
* An ABS past its ARD pays only the original coupon; the step-up accrues on the balance and is
  deferred (the `accrued_step_up` claim).
* **Liquidity**: if cash is short of the total due, revolvers (`kind = revolver`, active,
  before maturity) are drawn in seniority order up to their undrawn commitment. Then, for a
  **software borrower** only, the **PIK toggle**: every facility with `pik_share > 0` pays that
  share of the interest due this month in kind (it moves from accrued interest into the
  balance, so the claim is unchanged; the trace shows it in `pik`); the capitalised amount bears
  `pik_margin` per year on top of the coupon on `min(capitalised, balance)` until the facility
  is refinanced. All PIK facilities toggle together. If still short → **payment default** (no
  partial payment). Revolvers are not repaid voluntarily.
* Otherwise the whole amount due is paid from cash and recorded in the trailing 3-month debt
  service of the facility and of the borrower (covenants, refinancing NOI).
"""

from __future__ import annotations

from cliffwatch.codes import DefaultCause, FacilityKind
from cliffwatch.engine.amortization import CUSTOM, amortizes, scheduled_principal
from cliffwatch.engine.constants import BALANCE_EPS
from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import BI, BT, FF, FI, FS, FT, IS, ST_ACTIVE, ST_POST_ARD
from cliffwatch.engine.state import Book, Market, PathState, Trace
from cliffwatch.engine.steps.common import balloon_month, contract_rate

REVOLVER = int(FacilityKind.revolver)
C_PAYMENT = int(DefaultCause.payment)


@step_fn
def amounts_due(bk: Book, mk: Market, ps: PathState, p: int, t: int, b: int,
                cause: int) -> float:
    """Set each facility's interest, fee and principal due in month ``t``; return the
    borrower's total due, USD."""
    fs, st, fi, ff = ps.fs, ps.st, bk.fi, bk.ff
    f_lo, f_hi = bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]
    for f in range(f_lo, f_hi):
        ps.due_int[f] = 0.0
        ps.due_fee[f] = 0.0
        ps.due_prin[f] = 0.0
        ps.ds_ring[f, t % 3] = 0.0
    due_b = 0.0
    for f in range(f_lo, f_hi):
        if cause != 0 or (st[f, IS.MODE] != ST_ACTIVE and st[f, IS.MODE] != ST_POST_ARD):
            continue
        if t <= st[f, IS.START]:
            continue
        ev = balloon_month(st[f, IS.MODE], st[f, IS.MAT], st[f, IS.ARD], st[f, IS.LEGAL])
        freq = fi[f, FI.FREQ]
        if freq == 1 or (t - st[f, IS.START]) % freq == 0 or t == ev:
            ps.due_int[f] = fs[f, FS.ACCR]
            ps.due_fee[f] = fs[f, FS.FEE]
            # bullet, sweep and custom loans owe no scheduled principal here: due_prin keeps
            # its 0.0 without the call (most of the book is bullet)
            if st[f, IS.MODE] == ST_ACTIVE and amortizes(st[f, IS.AMORT]):
                r = contract_rate(st[f, IS.RK], fs[f, FS.COUPON], fs[f, FS.SPREAD],
                                  mk.sofr[p, max(t - 1, 0)], ff[f, FF.FLOOR], ff[f, FF.CAP])
                ps.due_prin[f] = scheduled_principal(st[f, IS.AMORT], fs[f, FS.BAL], r, freq,
                                                     t - st[f, IS.START], st[f, IS.TERM],
                                                     st[f, IS.IO])
        if st[f, IS.AMORT] == CUSTOM and st[f, IS.MODE] == ST_ACTIVE:
            for j in range(bk.f_sched_ptr[f], bk.f_sched_ptr[f + 1]):
                if bk.sched_month[j] == t:
                    ps.due_prin[f] += min(bk.sched_amount[j], fs[f, FS.BAL] - ps.due_prin[f])
        due_b += ps.due_int[f] + ps.due_fee[f] + ps.due_prin[f]
    return due_b


@step_fn
def revolver_draws(bk: Book, ps: PathState, tr: Trace, t: int, b: int, due_b: float) -> None:
    """Draw revolvers, most senior first, until cash covers ``due_b`` (USD)."""
    fs, st = ps.fs, ps.st
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if ps.cash[b] >= due_b:
            break
        if (bk.fi[f, FI.KIND] == REVOLVER and st[f, IS.MODE] == ST_ACTIVE
                and st[f, IS.START] <= t < st[f, IS.MAT] and fs[f, FS.AVAIL] > 0.0):
            d = min(fs[f, FS.AVAIL], due_b - ps.cash[b])
            fs[f, FS.BAL] += d
            fs[f, FS.AVAIL] -= d
            ps.cash[b] += d
            ps.bm[BT.REVOLVER] += d
            if tr.on:
                tr.fac[t, f, FT.DRAWS] += d


@step_fn
def pik_toggle(bk: Book, ps: PathState, tr: Trace, t: int, b: int, due_b: float) -> float:
    """Capitalise ``pik_share`` of each facility's interest due; return the new total due."""
    fs = ps.fs
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        pik = bk.ff[f, FF.PIK_SHARE] * ps.due_int[f]
        if pik > 0.0:
            ps.due_int[f] -= pik
            due_b -= pik
            fs[f, FS.ACCR] -= pik
            fs[f, FS.BAL] += pik
            fs[f, FS.PIK] += pik
            if tr.on:
                tr.fac[t, f, FT.PIK] = pik
    return due_b


@step_fn
def pay(bk: Book, ps: PathState, tr: Trace, t: int, b: int, cause: int, due_b: float) -> int:
    """Liquidity and payment of ``due_b`` (USD): cash, revolvers, the PIK toggle, else payment
    default. Returns the default cause (0 none)."""
    if cause == 0 and ps.cash[b] < due_b:
        revolver_draws(bk, ps, tr, t, b, due_b)
        if bk.bi[b, BI.SOFTWARE] != 0 and ps.cash[b] < due_b - BALANCE_EPS:
            due_b = pik_toggle(bk, ps, tr, t, b, due_b)
        if ps.cash[b] < due_b - BALANCE_EPS:
            cause = C_PAYMENT
    w = t % 3
    if cause == 0:
        fs = ps.fs
        ps.cash[b] -= due_b
        ps.bm[BT.DEBT_SERVICE] = due_b
        for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
            fs[f, FS.BAL] -= ps.due_prin[f]
            fs[f, FS.ACCR] -= ps.due_int[f]
            fs[f, FS.FEE] -= ps.due_fee[f]
            ps.ds_ring[f, w] = ps.due_int[f] + ps.due_fee[f] + ps.due_prin[f]
            if tr.on:
                tr.fac[t, f, FT.INTEREST] = ps.due_int[f]
                tr.fac[t, f, FT.PRINCIPAL] = ps.due_prin[f]
                tr.fac[t, f, FT.FEES] = ps.due_fee[f]
    ps.dsb_ring[b, w] = ps.bm[BT.DEBT_SERVICE]
    return cause
