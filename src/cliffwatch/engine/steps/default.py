"""Default and recovery: acceleration, collateral sale and the recovery waterfall, USD.

Causes: payment (step 3), maturity (step 4), covenant (step 7), and `cross_default` when the
borrower's own `borrower_ext_default_month` arrives (a parent-level / exogenous default). A
default accelerates every facility of the borrower. `EAD = balance + accrued interest +
accrued fees + deferred step-up`. Proceeds: GPUs `units × gpu_value × fire-sale multiplier ×
(1 − gpu_fire_sale_haircut) × (1 − gpu_sale_cost)`; DC `value × (1 − dc_sale_cost)`; software
business `value × software_sale_ratio`. All the defaulted borrower's GPU units count as sold
(step 10). Waterfall (`engine/recovery.py`): secured facilities, most senior first, take their
own collateral's proceeds up to EAD (an asset pledged twice serves the senior first); leftover
proceeds plus cash form the pool, which pays the remaining claims (unsecured, and secured
deficiency claims) by rank, pro rata within a rank. `loss = EAD − recovery`. Anything left
goes to equity. The borrower stops paying as a counterparty from the next month.
"""

from __future__ import annotations

from cliffwatch.codes import DefaultCause
from cliffwatch.engine.jit import kernel_fn, step_fn
from cliffwatch.engine.layout import AF, AI, BT, FI, FS, IS, ST_ACTIVE, ST_DEFAULTED, ST_POST_ARD, P
from cliffwatch.engine.recovery import waterfall
from cliffwatch.engine.state import Book, Market, Outputs, PathState
from cliffwatch.engine.steps.operations import DC, GPU, SW

C_CROSS = int(DefaultCause.cross_default)


@step_fn
def cross_default(mk: Market, p: int, t: int, b: int) -> int:
    """``cross_default`` once the borrower's exogenous default month has come, else 0."""
    return C_CROSS if mk.borrower_ext_default_month[p, b] <= t else 0


@kernel_fn
def sale_proceeds(bk: Book, mk: Market, ps: PathState, p: int, t: int, b: int) -> None:
    """Net sale proceeds of borrower ``b``'s assets into ``ps.proceeds``; GPU units sold into
    ``ps.sold``."""
    af, ai, prm = bk.af, bk.ai, bk.prm
    for a in range(bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1]):
        ps.proceeds[a] = 0.0
        if ai[a, AI.KIND] == GPU:
            g = ai[a, AI.GEN]
            ps.proceeds[a] = (af[a, AF.UNITS] * mk.gpu_value[p, g, t] * ps.impact[g]
                              * (1.0 - prm[P.HAIRCUT]) * (1.0 - prm[P.GPU_SALE]))
            ps.sold[g] += af[a, AF.UNITS]
        elif ai[a, AI.KIND] == DC:
            ps.proceeds[a] = ps.aval[a] * (1.0 - prm[P.DC_SALE])
        elif ai[a, AI.KIND] == SW:
            ps.proceeds[a] = ps.aval[a] * prm[P.SW_SALE]


@kernel_fn
def liquidate(bk: Book, mk: Market, ps: PathState, out: Outputs, p: int, t: int, b: int,
              cause: int) -> None:
    """Liquidate borrower ``b``: sell collateral, run the waterfall, book losses; the cash the
    estate consumed goes to the trace's cash bridge (``default_cash``)."""
    fs, st = ps.fs, ps.st
    f_lo, f_hi = bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]
    for f in range(f_lo, f_hi):
        ps.ead[f] = 0.0
        if st[f, IS.MODE] == ST_ACTIVE or st[f, IS.MODE] == ST_POST_ARD:
            ps.ead[f] = fs[f, FS.BAL] + fs[f, FS.ACCR] + fs[f, FS.FEE] + fs[f, FS.STEP]
    sale_proceeds(bk, mk, ps, p, t, b)
    used = max(ps.cash[b], 0.0)
    waterfall(f_lo, f_hi, bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1], ps.ead,
              bk.fi[:, FI.SECURED], bk.fi[:, FI.RANK], bk.f_coll_ptr, bk.coll_asset,
              ps.proceeds, used, ps.rec)
    for f in range(f_lo, f_hi):
        out.fac_ead[p, f] = ps.ead[f]
        # rec == ead up to rounding: no -1e-7 loss
        out.fac_loss[p, f] = max(ps.ead[f] - ps.rec[f], 0.0)
        if st[f, IS.MODE] == ST_ACTIVE or st[f, IS.MODE] == ST_POST_ARD:
            st[f, IS.MODE] = ST_DEFAULTED
        fs[f, FS.BAL] = 0.0
        fs[f, FS.ACCR] = 0.0
        fs[f, FS.FEE] = 0.0
        fs[f, FS.STEP] = 0.0
        fs[f, FS.AVAIL] = 0.0
    ps.cash[b] = ps.cash[b] - used
    ps.dead[b] = t
    out.default_month[p, b] = t
    out.default_cause[p, b] = cause
    ps.bm[BT.DEFAULT_CASH] = used
