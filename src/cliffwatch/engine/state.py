"""The containers the kernel hands to every step: the book, the market, the path state, the
outputs and the trace.

Each is a named tuple of arrays and scalars, so a step's argument list is a handful of names
(``bk, mk, ps, out, tr`` and the indices ``p, t, b``) and the list of arrays is written once,
here. Steps are inlined into the kernel (:data:`cliffwatch.engine.jit.step_fn`): reading
``bk.ff`` costs no call and no reference count.
"""

from __future__ import annotations

from dataclasses import fields
from typing import NamedTuple

import numpy as np

from cliffwatch.engine.jit import kernel_fn
from cliffwatch.engine.layout import BF, FF, FI, FS, IS, N_BT, N_FS, N_IS, ST_ACTIVE
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.steps.common import contract_rate
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR


class Book(NamedTuple):
    """Inputs of a block that no path changes (packed by ``run.pack_book``)."""

    T: int  # months simulated
    nb: int  # borrowers
    nf: int  # facilities
    na: int  # assets
    G: int  # GPU generations
    nc: int  # counterparties
    window: int  # refinancing window, months
    bf: np.ndarray  # (nb, len(BF)) borrower floats
    bi: np.ndarray  # (nb, len(BI)) borrower ints
    b_fac_ptr: np.ndarray  # (nb+1,) CSR: facilities of borrower b
    b_asset_ptr: np.ndarray  # (nb+1,) CSR: assets of borrower b
    b_gpu: np.ndarray  # (nb,) bool: the borrower owns a GPU fleet
    ff: np.ndarray  # (nf, len(FF)) facility floats
    fi: np.ndarray  # (nf, len(FI)) facility ints
    af: np.ndarray  # (na, len(AF)) asset floats
    ai: np.ndarray  # (na, len(AI)) asset ints
    prm: np.ndarray  # (len(P),) EngineParams scalars
    a_month: np.ndarray  # (T, na) DC contract rent / software plan ARR per month
    rating_mult: np.ndarray  # (8,) new-issue spread multiple per Rating
    yfrac: np.ndarray  # (day counts, T) year fraction of each month
    f_draw_ptr: np.ndarray  # CSR of scheduled draws
    draw_month: np.ndarray
    draw_amount: np.ndarray
    f_sched_ptr: np.ndarray  # CSR of custom principal schedules
    sched_month: np.ndarray
    sched_amount: np.ndarray
    f_coll_ptr: np.ndarray  # CSR of named collateral
    coll_asset: np.ndarray
    h_facility: np.ndarray  # lender holdings
    h_lender: np.ndarray
    h_share: np.ndarray


class Market(NamedTuple):
    """The block's factor paths, named as the ``FactorPaths`` fields they are copied from."""

    sofr: np.ndarray  # (P, T) per year
    spread: np.ndarray  # (P, T) HY index spread, per year
    gpu_rent: np.ndarray  # (P, G, T) USD per GPU-hour
    gpu_value: np.ndarray  # (P, G, T) USD per GPU
    utilization: np.ndarray  # (P, T) common utilization
    util_idio: np.ndarray  # (P, NB) borrower shock z_b
    power_price: np.ndarray  # (P, T) USD per kWh
    dc_value: np.ndarray  # (P, T) DC value index
    market_access: np.ndarray  # (P, T) probability the market is open
    software_budget: np.ndarray  # (P, T) share of software spend reallocated
    software_multiple: np.ndarray  # (P, T) EV/ARR multiple index
    software_spread: np.ndarray  # (P, T) software sector basis, per year
    cpty_default_month: np.ndarray  # (P, NC)
    borrower_ext_default_month: np.ndarray  # (P, NB)
    refi_u: np.ndarray  # (P, NF) market-access uniforms


class Outputs(NamedTuple):
    """The ``EngineSummary`` arrays the kernel fills, one row per path (int fields widened to
    int64); same names and order as ``EngineSummary`` (checked below)."""

    default_month: np.ndarray
    default_cause: np.ndarray
    cliff_month: np.ndarray
    fac_loss: np.ndarray
    fac_ead: np.ndarray
    fac_refi_month: np.ndarray
    fac_refi_due: np.ndarray
    fac_refi_outcome: np.ndarray
    fac_peak_drawn: np.ndarray
    lender_drawn: np.ndarray
    lender_undrawn: np.ndarray
    gpu_units_sold: np.ndarray
    gpu_price_impact: np.ndarray


if Outputs._fields != tuple(f.name for f in fields(EngineSummary)):
    raise ImportError("state.Outputs must list the fields of outputs.EngineSummary in order")


class Trace(NamedTuple):
    """The month-by-month trace of one path (empty arrays when ``on`` is false)."""

    on: bool
    fac: np.ndarray  # (T, nf, len(FT))
    bor: np.ndarray  # (T, nb, len(BT))


class PathState(NamedTuple):
    """Everything one path changes, allocated once per path."""

    fs: np.ndarray  # (nf, len(FS)) facility floats
    st: np.ndarray  # (nf, len(IS)) facility ints
    ds_ring: np.ndarray  # (nf, 3) facility debt service paid, trailing 3 months
    due_int: np.ndarray  # (nf,) interest due this month
    due_fee: np.ndarray  # (nf,) fees due this month
    due_prin: np.ndarray  # (nf,) principal due this month
    ead: np.ndarray  # (nf,) exposure at default (scratch)
    rec: np.ndarray  # (nf,) recovery (scratch)
    cash: np.ndarray  # (nb,) USD
    dead: np.ndarray  # (nb,) default month, NO_MONTH while alive
    dist_in: np.ndarray  # (nb,) distributions not yet received by the parent
    breached: np.ndarray  # (nb,) a covenant was breached at the last test
    cf_ring: np.ndarray  # (nb, 3) CFADS, trailing 3 months
    dsb_ring: np.ndarray  # (nb, 3) borrower debt service paid, trailing 3 months
    aval: np.ndarray  # (na,) asset values this month
    proceeds: np.ndarray  # (na,) sale proceeds (scratch)
    impact: np.ndarray  # (G,) fire-sale price multiplier
    sold: np.ndarray  # (G,) GPU units sold this month
    ob_alive: np.ndarray  # (nc + nb,) obligor pays this month
    bm: np.ndarray  # (len(BT),) the current borrower-month's figures (a trace row)
    month: np.ndarray  # (2,) MONTH_CHURN, MONTH_LOGIT_U of the current month


MONTH_CHURN = 0
"""``ps.month`` slot: budget-years of reallocation ``C_t`` (one path-wide sum)."""
MONTH_LOGIT_U = 1
"""``ps.month`` slot: ``logit(U_t)`` of the common utilization."""


@kernel_fn
def new_path_state(bk: Book, mk: Market, p: int) -> PathState:
    """Path ``p``'s state at the valuation date: balances, undrawn commitments, terms, opening
    cash, and interest accrued since the last payment date before month 0 (``(−start) mod
    pay_freq`` months at month 0's rate, 30/360)."""
    nf, nb = bk.nf, bk.nb
    ps = PathState(
        np.zeros((nf, N_FS)), np.zeros((nf, N_IS), np.int64), np.zeros((nf, 3)),
        np.zeros(nf), np.zeros(nf), np.zeros(nf), np.zeros(nf), np.zeros(nf),
        bk.bf[:, BF.CASH].copy(), np.full(nb, NO_MONTH, np.int64), np.zeros(nb),
        np.zeros(nb, np.bool_), np.zeros((nb, 3)), np.zeros((nb, 3)), np.zeros(bk.na),
        np.zeros(bk.na), np.ones(bk.G), np.zeros(bk.G), np.ones(bk.nc + nb, np.bool_),
        np.zeros(N_BT), np.zeros(2))
    fs, st, ff, fi = ps.fs, ps.st, bk.ff, bk.fi
    for f in range(nf):
        fs[f, FS.BAL] = ff[f, FF.DRAWN]
        fs[f, FS.AVAIL] = max(ff[f, FF.COMMIT] - ff[f, FF.DRAWN], 0.0)
        fs[f, FS.SPREAD] = ff[f, FF.SPREAD]
        fs[f, FS.COUPON] = ff[f, FF.COUPON]
        st[f, IS.MODE] = ST_ACTIVE
        st[f, IS.START] = fi[f, FI.START]
        st[f, IS.MAT] = fi[f, FI.MAT]
        st[f, IS.ARD] = fi[f, FI.ARD]
        st[f, IS.LEGAL] = fi[f, FI.LEGAL]
        st[f, IS.AMORT] = fi[f, FI.AMORT]
        st[f, IS.TERM] = fi[f, FI.TERM]
        st[f, IS.IO] = fi[f, FI.IO]
        st[f, IS.RK] = fi[f, FI.RATE_KIND]
    for f in range(nf):
        if st[f, IS.START] < 0:
            since = (-st[f, IS.START]) % fi[f, FI.FREQ]
            r0 = contract_rate(st[f, IS.RK], fs[f, FS.COUPON], fs[f, FS.SPREAD], mk.sofr[p, 0],
                               ff[f, FF.FLOOR], ff[f, FF.CAP])
            fs[f, FS.ACCR] = fs[f, FS.BAL] * r0 * since / MONTHS_PER_YEAR
    return ps
