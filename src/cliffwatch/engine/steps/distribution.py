"""Distribution: an SPV passes its surplus cash to its parent (`b_parent`), USD.

At the end of its month (after covenants and default), a borrower with a parent passes up
`max(cash − reserve, 0)`. The `reserve` is the debt service of its next `DIST_RESERVE_MONTHS`
= 3 months (`engine/constants.py`, [estimate]: the usual 3-month debt-service reserve of
project and GPU-SPV distribution tests), per active facility: unpaid accrued interest and fees,
3 months of interest and undrawn fee at this month's rate, the scheduled principal
(`amortization.scheduled_principal` on the current balance) and custom amounts of the payment
dates in months `t+1 .. t+3`, and the whole balance if the balloon falls inside; plus the capex
the SPV still has to spend. Nothing is distributed while any facility of the SPV is in a cash
trap or past its ARD, or a covenant was breached at the last quarterly test (any covenant
action), after the SPV's default, or once the parent has defaulted. The parent receives the
cash when it is next processed (step 1): in the same month if it comes later in borrower
order, else at the start of the next month; a distribution paid in the last month to a parent
processed earlier arrives after the horizon.
"""

from __future__ import annotations

from cliffwatch.engine.amortization import CUSTOM, amortizes, scheduled_principal
from cliffwatch.engine.constants import DIST_RESERVE_MONTHS
from cliffwatch.engine.jit import kernel_fn, step_fn
from cliffwatch.engine.layout import AF, AI, BI, BT, FF, FI, FS, IS, ST_ACTIVE, ST_POST_ARD
from cliffwatch.engine.state import Book, Market, PathState
from cliffwatch.engine.steps.common import balloon_month, contract_rate
from cliffwatch.engine.steps.operations import DC
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR


@kernel_fn
def facility_reserve(t: int, amort: int, start: int, term: int, io: int, freq: int,
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


@step_fn
def reserve(bk: Book, mk: Market, ps: PathState, p: int, t: int,
            b: int) -> tuple[bool, float]:
    """``(blocked, reserve)``: whether a trapped or post-ARD facility blocks any distribution,
    else the cash borrower ``b`` keeps back (USD)."""
    fs, st, ff, fi = ps.fs, ps.st, bk.ff, bk.fi
    total = 0.0
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        mode = st[f, IS.MODE]
        if mode == ST_POST_ARD or (mode == ST_ACTIVE and st[f, IS.TRAP] != 0):
            return True, 0.0
        if mode != ST_ACTIVE:
            continue
        ev = balloon_month(mode, st[f, IS.MAT], st[f, IS.ARD], st[f, IS.LEGAL])
        need = facility_reserve(
            t, st[f, IS.AMORT], st[f, IS.START], st[f, IS.TERM], st[f, IS.IO], fi[f, FI.FREQ],
            ev, contract_rate(st[f, IS.RK], fs[f, FS.COUPON], fs[f, FS.SPREAD], mk.sofr[p, t],
                              ff[f, FF.FLOOR], ff[f, FF.CAP]),
            fs[f, FS.BAL], fs[f, FS.ACCR], fs[f, FS.FEE], fs[f, FS.AVAIL],
            ff[f, FF.UNDRAWN_FEE])
        if st[f, IS.AMORT] == CUSTOM and ev - t > DIST_RESERVE_MONTHS:
            for j in range(bk.f_sched_ptr[f], bk.f_sched_ptr[f + 1]):
                if t < bk.sched_month[j] <= t + DIST_RESERVE_MONTHS:
                    need += bk.sched_amount[j]
        total += need
    for a in range(bk.b_asset_ptr[b], bk.b_asset_ptr[b + 1]):  # capex still to spend
        comp = bk.ai[a, AI.COMPLETION]
        if bk.ai[a, AI.KIND] == DC and t < comp:
            total += bk.af[a, AF.CAPEX] * (comp - t - 1) / comp
    return False, total


@step_fn
def distribute(bk: Book, mk: Market, ps: PathState, p: int, t: int, b: int,
               cause: int) -> None:
    """Pass borrower ``b``'s cash above its reserve to its parent's ``dist_in``."""
    pb = bk.bi[b, BI.PARENT]
    if cause == 0 and pb >= 0 and ps.dead[pb] == NO_MONTH and not ps.breached[b]:
        dout = 0.0
        blocked, keep = reserve(bk, mk, ps, p, t, b)
        if not blocked:
            dout = max(ps.cash[b] - keep, 0.0)
        ps.cash[b] -= dout
        ps.dist_in[pb] += dout
        ps.bm[BT.DIST_OUT] = dout
