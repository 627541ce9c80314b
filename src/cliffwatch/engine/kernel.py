"""The monthly kernel: the loops over paths, months and borrowers, and the order of the steps.

``run_paths`` runs paths in parallel (``prange``); each path owns its state
(:class:`cliffwatch.engine.state.PathState`), allocated once; nothing is allocated per month
and nothing of size paths × facilities × months is kept. The steps live in
``engine/steps/`` (one module per step, numbered as in docs/ENGINE.md) and are inlined here, so
``borrower_month`` reads as the list of steps. The same code writes the per-month trace of one
path when ``tr.on`` is set, so the trace and the summary can never disagree.
``engine/reference/`` is the readable twin, step module for step module, that tests hold equal
to this kernel.
"""

from __future__ import annotations

from numba import njit, prange

from cliffwatch.engine.jit import kernel_fn, loop_fn, step_fn
from cliffwatch.engine.layout import BT, FT, IS, N_BT
from cliffwatch.engine.state import Book, Market, Outputs, PathState, Trace, new_path_state
from cliffwatch.engine.steps import (
    accrual,
    balloons,
    covenants,
    debt_service,
    default,
    distribution,
    draws,
    month_end,
    operations,
    sweeps,
)
from cliffwatch.tape.arrays import NO_MONTH


@step_fn
def borrower_month(bk: Book, mk: Market, ps: PathState, out: Outputs, tr: Trace, p: int,
                   t: int, b: int) -> None:
    """Steps 1-9 for a live borrower ``b`` in month ``t`` of path ``p``; ``cause`` is the
    default cause so far (0 none)."""
    operations.operate(bk, mk, ps, tr, p, t, b)  # 1
    cause = default.cross_default(mk, p, t, b)
    draws.scheduled_draws(bk, ps, tr, t, b, cause)  # 2
    due = debt_service.amounts_due(bk, mk, ps, p, t, b, cause)  # 3
    cause = debt_service.pay(bk, ps, tr, t, b, cause, due)
    cause = balloons.settle_balloons(bk, mk, ps, out, tr, p, t, b, cause)  # 4
    sweeps.sweep(bk, ps, tr, t, b, cause)  # 5
    accrual.accrue(bk, mk, ps, p, t, b, cause)  # 6
    cause = covenants.test(bk, ps, out, tr, p, t, b, cause)  # 7
    if cause != 0:
        default.liquidate(bk, mk, ps, out, p, t, b, cause)  # 8
    distribution.distribute(bk, mk, ps, p, t, b, cause)  # 9
    if tr.on:
        ps.bm[BT.CASH_CLOSE] = ps.cash[b]
        ps.bm[BT.STATUS] = 1.0 if cause != 0 else 0.0
        for k in range(N_BT):  # element-wise: the loop runs without reference counting
            tr.bor[t, b, k] = ps.bm[k]


@step_fn
def trace_defaulted(bk: Book, ps: PathState, tr: Trace, t: int, b: int) -> None:
    """Trace row of a borrower that defaulted in an earlier month (its cash stays put)."""
    tr.bor[t, b, BT.STATUS] = 1.0
    tr.bor[t, b, BT.CASH_OPEN] = ps.cash[b]
    tr.bor[t, b, BT.CASH_CLOSE] = ps.cash[b]
    for f in range(bk.b_fac_ptr[b], bk.b_fac_ptr[b + 1]):
        tr.fac[t, f, FT.STATUS] = ps.st[f, IS.MODE]


@loop_fn
def run_months(bk: Book, mk: Market, ps: PathState, out: Outputs, tr: Trace, p: int) -> None:
    """Run every borrower of path ``p`` through months ``0 .. T-1`` (see docs/ENGINE.md)."""
    for t in range(bk.T):
        operations.month_start(bk, mk, ps, p, t)
        for b in range(bk.nb):
            if ps.dead[b] == NO_MONTH:
                borrower_month(bk, mk, ps, out, tr, p, t, b)
            elif tr.on:
                trace_defaulted(bk, ps, tr, t, b)
        month_end.close_month(bk, ps, out, tr, p, t)  # 10
    for g in range(bk.G):
        out.gpu_price_impact[p, g] = ps.impact[g]


@kernel_fn
def run_path(bk: Book, mk: Market, out: Outputs, tr: Trace, p: int) -> None:
    """Path ``p``: its state at the valuation date, then the month loop."""
    run_months(bk, mk, new_path_state(bk, mk, p), out, tr, p)


@njit(parallel=True, cache=True, error_model="numpy")
def run_paths(bk: Book, mk: Market, out: Outputs, tr: Trace) -> None:
    """Run all paths in parallel; outputs are written in place (one row per path).

    Paths share nothing, so the result is identical for any thread count or block split.
    """
    for p in prange(mk.sofr.shape[0]):
        run_path(bk, mk, out, tr, p)
