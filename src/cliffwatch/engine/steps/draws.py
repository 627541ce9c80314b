"""Draws: scheduled draws of delayed-draw and construction facilities, USD.

Scheduled draws (`draw_month == t`, from `start_month` and before maturity) add
`min(amount, undrawn)` to the balance and to cash. Undrawn commitment starts as
`commitment − drawn` for every facility. Capex funded by a draw is thus cash-neutral; capex not
funded by draws comes out of cash. A borrower already in default this month draws nothing.
"""

from __future__ import annotations

from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import BT, FS, FT, IS, ST_ACTIVE
from cliffwatch.engine.state import Book, PathState, Trace


@step_fn
def scheduled_draws(bk: Book, ps: PathState, tr: Trace, t: int, b: int, cause: int) -> None:
    """Draw every scheduled amount of month ``t`` on borrower ``b``'s open facilities."""
    fs, st = ps.fs, ps.st
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        if (cause != 0 or st[f, IS.MODE] != ST_ACTIVE or t < st[f, IS.START]
                or t >= st[f, IS.MAT]):
            continue
        for j in range(bk.f_draw_ptr[f], bk.f_draw_ptr[f + 1]):
            if bk.draw_month[j] == t:
                amt = min(bk.draw_amount[j], fs[f, FS.AVAIL])
                fs[f, FS.BAL] += amt
                fs[f, FS.AVAIL] -= amt
                ps.cash[b] += amt
                ps.bm[BT.DRAWS] += amt
                if tr.on:
                    tr.fac[t, f, FT.DRAWS] += amt
