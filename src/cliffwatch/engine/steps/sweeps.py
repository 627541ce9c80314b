"""Sweeps: excess cash flow to facilities past their ARD, in a cash trap or amortising by sweep.

Each month, after debt service and balloons, the excess cash flow
`min(CFADS − debt service, cash)` (USD, if positive) is swept, in seniority order, to
facilities that are past their ARD, in a cash trap (set by the covenant test, step 7), or
amortise by `sweep`: `share × remaining excess`, share `sweep_share` (1 if 0), up to the
balance. A facility past its ARD whose balance is repaid then pays its deferred step-up from
the rest and closes once that is paid.
"""

from __future__ import annotations

from cliffwatch.engine.amortization import SWEEP
from cliffwatch.engine.constants import BALANCE_EPS
from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import BT, FF, FS, FT, IS, ST_ACTIVE, ST_CLOSED, ST_POST_ARD
from cliffwatch.engine.state import Book, PathState, Trace


@step_fn
def sweep(bk: Book, ps: PathState, tr: Trace, t: int, b: int, cause: int) -> None:
    """Sweep borrower ``b``'s excess cash flow of month ``t``."""
    if cause != 0:
        return
    fs, st, ff = ps.fs, ps.st, bk.ff
    excess = max(min(ps.bm[BT.CFADS] - ps.bm[BT.DEBT_SERVICE], ps.cash[b]), 0.0)
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        sweeping = st[f, IS.MODE] == ST_POST_ARD or (
            st[f, IS.MODE] == ST_ACTIVE and t >= st[f, IS.START]
            and (st[f, IS.TRAP] != 0 or st[f, IS.AMORT] == SWEEP))
        if not sweeping or excess <= 0.0:
            continue
        share = ff[f, FF.SWEEP] if ff[f, FF.SWEEP] > 0.0 else 1.0
        s = min(share * excess, fs[f, FS.BAL])
        fs[f, FS.BAL] -= s
        excess -= s
        if st[f, IS.MODE] == ST_POST_ARD and fs[f, FS.BAL] <= BALANCE_EPS:
            s2 = min(share * excess, fs[f, FS.STEP])
            fs[f, FS.STEP] -= s2
            excess -= s2
            s += s2
            if fs[f, FS.STEP] <= BALANCE_EPS:
                st[f, IS.MODE] = ST_CLOSED
        ps.cash[b] -= s
        ps.bm[BT.SWEEP] += s
        if tr.on:
            tr.fac[t, f, FT.SWEEP] = s
