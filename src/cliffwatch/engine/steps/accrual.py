"""Accrual: interest, undrawn fee, step-up and PIK margin of month `t`, USD.

Each open facility from its start month accrues `balance × rate × year fraction`, rate = fixed
coupon, or `spread + min(max(SOFR_t, floor), cap)` with the month's SOFR (monthly reset), year
fraction by the facility's day count on the real calendar (`engine/daycount.py`: 30/360 = 1/12,
ACT/360 = days/360, ACT/365F = days/365). Before maturity the undrawn fee accrues on the undrawn
commitment. Past its ARD an ABS accrues the step-up on its balance (the deferred
`accrued_step_up` claim). Interest capitalised by the PIK toggle bears `pik_margin` per year on
`min(capitalised, balance)` on top of the coupon. Interest accrued before the valuation date:
for a facility that started before month 0, the months since its last payment date
(`(−start) mod pay_freq`) are accrued at month 0's rate on a 30/360 basis (`state.new_path_state`).
"""

from __future__ import annotations

from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import FF, FI, FS, IS, ST_ACTIVE, ST_POST_ARD
from cliffwatch.engine.state import Book, Market, PathState
from cliffwatch.engine.steps.common import contract_rate


@step_fn
def accrue(bk: Book, mk: Market, ps: PathState, p: int, t: int, b: int, cause: int) -> None:
    """Accrue month ``t`` on borrower ``b``'s open facilities (nothing once in default)."""
    if cause != 0:
        return
    fs, st, ff = ps.fs, ps.st, bk.ff
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if ((st[f, IS.MODE] != ST_ACTIVE and st[f, IS.MODE] != ST_POST_ARD)
                or t < st[f, IS.START]):
            continue
        yf = bk.yfrac[bk.fi[f, FI.DC], t]
        r = contract_rate(st[f, IS.RK], fs[f, FS.COUPON], fs[f, FS.SPREAD], mk.sofr[p, t],
                          ff[f, FF.FLOOR], ff[f, FF.CAP])
        fs[f, FS.ACCR] += fs[f, FS.BAL] * r * yf
        if t < st[f, IS.MAT]:
            fs[f, FS.FEE] += fs[f, FS.AVAIL] * ff[f, FF.UNDRAWN_FEE] * yf
        if st[f, IS.MODE] == ST_POST_ARD:
            fs[f, FS.STEP] += fs[f, FS.BAL] * ff[f, FF.STEP_UP] * yf
        if fs[f, FS.PIK] > 0.0:  # the PIK margin, on what is still outstanding
            fs[f, FS.ACCR] += min(fs[f, FS.PIK], fs[f, FS.BAL]) * ff[f, FF.PIK_MARGIN] * yf
