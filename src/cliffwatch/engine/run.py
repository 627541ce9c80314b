"""Public entry points of the engine: ``run_block`` (summary) and ``trace`` (one path, monthly).

Both call the same compiled kernel (:func:`cliffwatch.engine.kernel.run_paths`); ``trace`` sets
its trace flag and hands it arrays to fill, so the trace is the summary run seen month by month.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd

from cliffwatch.codes import DefaultCause, RefiOutcome, RefKind
from cliffwatch.engine.daycount import month_fractions
from cliffwatch.engine.kernel import run_paths
from cliffwatch.engine.layout import (
    AF,
    AI,
    BF,
    BI,
    BT,
    BT_NAMES,
    FF,
    FI,
    FT,
    FT_NAMES,
    PACKED,
    Column,
    P,
)
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.state import Book, Market, Outputs, Trace
from cliffwatch.engine.steps.operations import asset_month_table, gpu_borrowers
from cliffwatch.engine.validate import check_inputs
from cliffwatch.market.paths import ENGINE_FACTORS, FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.units import HORIZON_DEFAULT_MONTHS


def obligor_refs(pa: PortfolioArrays, kind: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Unified obligor index of references: counterparty ``c`` -> ``c``, borrower ``b`` ->
    ``n_counterparties + b``, none (or a negative index) -> -1."""
    ref = np.where(kind == RefKind.counterparty, idx, pa.n_counterparties + idx)
    return np.where((kind == RefKind.none) | (idx < 0), -1, ref).astype(np.int64)


def _source(pa: PortfolioArrays, col: Column) -> np.ndarray:
    """The values of one declared column: a field, a method's result or obligor indices."""
    if isinstance(col.source, tuple):
        kind, idx = col.source
        return obligor_refs(pa, getattr(pa, kind), getattr(pa, idx))
    value = getattr(pa, col.source)
    return np.asarray(value() if callable(value) else value)


def pack_table(pa: PortfolioArrays, table: type[Column]) -> np.ndarray:
    """The columns of ``table`` as one C-contiguous (rows, len(table)) array, in declaration
    order, of the table's dtype (``layout.PACKED``)."""
    cols = list(table)
    n = len(_source(pa, cols[0]))
    out: np.ndarray = np.empty((n, len(cols)), dtype=PACKED[table])
    for col in cols:
        out[:, col] = _source(pa, col)
    return out


def pack_params(params: EngineParams) -> np.ndarray:
    """EngineParams scalars in ``layout.P`` order, float64 (a bool as 1.0 / 0.0)."""
    return np.array([float(getattr(params, str(c.source))) for c in P], dtype=np.float64)


def _writable_f8(a: np.ndarray | tuple[float, ...]) -> np.ndarray:
    """``a`` as a C-contiguous, writeable float64 array, copied only if it is not one already.

    numba compiles the kernel once per argument type and a read-only array is another type
    (factor paths can arrive read-only, e.g. from the cluster or a cache): one type means one
    compilation, about a minute, instead of one per combination of flags.
    """
    return np.require(a, np.float64, ("C", "W"))


def pack_book(pa: PortfolioArrays, params: EngineParams, horizon: int) -> Book:
    """The block's static inputs, packed for the kernel."""
    i8 = np.int64
    ai, af = pack_table(pa, AI), pack_table(pa, AF)
    prm = pack_params(params)
    return Book(
        T=horizon, nb=pa.n_borrowers, nf=pa.n_facilities, na=pa.n_assets,
        G=len(pa.gpu_generations), nc=pa.n_counterparties, window=int(prm[P.REFI_WINDOW]),
        bf=pack_table(pa, BF), bi=pack_table(pa, BI), b_fac_ptr=pa.b_fac_ptr.astype(i8),
        b_asset_ptr=pa.b_asset_ptr.astype(i8),
        b_gpu=gpu_borrowers(pa.b_asset_ptr.astype(i8), ai),
        ff=pack_table(pa, FF), fi=pack_table(pa, FI), af=af, ai=ai, prm=prm,
        a_month=asset_month_table(horizon, ai, af),
        rating_mult=_writable_f8(params.rating_spread_multiplier),
        yfrac=month_fractions(pa.valuation_date, horizon),
        f_draw_ptr=pa.f_draw_ptr.astype(i8), draw_month=pa.draw_month.astype(i8),
        draw_amount=pa.draw_amount.astype(np.float64), f_sched_ptr=pa.f_sched_ptr.astype(i8),
        sched_month=pa.sched_month.astype(i8), sched_amount=pa.sched_amount.astype(np.float64),
        f_coll_ptr=pa.f_coll_ptr.astype(i8), coll_asset=pa.coll_asset.astype(i8),
        h_facility=pa.h_facility.astype(i8), h_lender=pa.h_lender.astype(i8),
        h_share=pa.h_share.astype(np.float64),
    )


# the kernel's view of the factors is the declaration's engine fields, in declaration order
if Market._fields != tuple(f.name for f in ENGINE_FACTORS):
    raise ImportError("engine.state.Market must list market.paths.ENGINE_FACTORS in order")


def pack_market(fp: FactorPaths) -> Market:
    """The factor paths the kernel reads, by ``Market`` field name (int64 where the field is
    declared integer, e.g. default months; writeable float64 otherwise)."""
    return Market(*(
        getattr(fp, f.name).astype(np.int64) if f.dtype.kind != "f"
        else _writable_f8(getattr(fp, f.name))
        for f in ENGINE_FACTORS
    ))


def _empty_summary(n_paths: int, pa: PortfolioArrays, horizon: int) -> EngineSummary:
    """Summary arrays at their 'nothing happened' values, for the kernel to fill."""
    nb, nf, nl, ng = pa.n_borrowers, pa.n_facilities, pa.n_lenders, len(pa.gpu_generations)
    never = np.int32(NO_MONTH)
    return EngineSummary(
        default_month=np.full((n_paths, nb), never, np.int32),
        default_cause=np.full((n_paths, nb), DefaultCause.none, np.int8),
        cliff_month=np.full((n_paths, nb), never, np.int32),
        fac_loss=np.zeros((n_paths, nf)), fac_ead=np.zeros((n_paths, nf)),
        fac_refi_month=np.full((n_paths, nf), never, np.int32),
        fac_refi_due=np.zeros((n_paths, nf)),
        fac_refi_outcome=np.full((n_paths, nf), RefiOutcome.not_due, np.int8),
        fac_peak_drawn=np.zeros((n_paths, nf)),
        lender_drawn=np.zeros((n_paths, horizon, nl)),
        lender_undrawn=np.zeros((n_paths, horizon, nl)),
        gpu_units_sold=np.zeros((n_paths, ng)), gpu_price_impact=np.ones((n_paths, ng)),
    )


def _call(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams, horizon: int,
          tr: Trace) -> EngineSummary:
    check_inputs(pa, fp, horizon)
    out = _empty_summary(fp.n_paths, pa, horizon)
    # int32/int8 outputs are widened for the kernel and narrowed back (codes fit by design)
    wide = {f.name: getattr(out, f.name) for f in fields(out)}
    for k in ("default_month", "default_cause", "cliff_month", "fac_refi_month",
              "fac_refi_outcome"):
        wide[k] = wide[k].astype(np.int64)
    run_paths(pack_book(pa, params, horizon), pack_market(fp), Outputs(**wide), tr)
    return EngineSummary(**{
        f.name: wide[f.name].astype(getattr(out, f.name).dtype, copy=False) for f in fields(out)
    })


def run_block(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
              horizon: int = HORIZON_DEFAULT_MONTHS) -> EngineSummary:
    """Run every path of ``fp`` through ``horizon`` months and summarise the outcomes.

    Parameters
    ----------
    pa : PortfolioArrays
        Compiled portfolio.
    fp : FactorPaths
        Factor paths with at least ``horizon`` months.
    params : EngineParams, optional
        Engine assumptions (defaults if omitted).
    horizon : int
        Months to simulate, 1..360.

    Returns
    -------
    EngineSummary
        Per-path outcomes; see :mod:`cliffwatch.engine.outputs`.
    """
    params = params or EngineParams()
    none3 = np.zeros((0, 0, 0))
    return _call(pa, fp, params, horizon, Trace(False, none3, none3))


def trace(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
          horizon: int = HORIZON_DEFAULT_MONTHS, path: int = 0,
          borrowers: list[int] | None = None) -> dict[str, pd.DataFrame]:
    """Month-by-month trace of one path.

    Returns
    -------
    dict of pandas.DataFrame
        ``"facility"``: one row per (month, facility) with ``balance, interest, principal,
        draws, fees, sweep, accrued_step_up, pik`` (USD; ``interest`` is the cash part, ``pik``
        the interest paid in kind that month) and ``status`` (0 active, 1 past ARD,
        2 closed, 3 defaulted); ``"borrower"``: one row per (month, borrower) with the cash
        bridge ``cash_open + distribution_in + revenue - opex - capex + rvg + draws +
        revolver_draw - debt_service - sweep - refi_paydown - default_cash - distribution_out
        = cash_close`` (USD; distributions run from an SPV to its parent), ``cfads``,
        trailing-3-month ``dscr``, ``ltv``, ``utilization``, ``status`` (1 defaulted),
        ``arr`` (ARR of its software businesses, USD per year) and ``ebitda`` (their EBITDA,
        USD per month; 0 for a borrower without software);
        ``"summary"``: the one-path summary (default month and cause per borrower).
        ``borrowers`` (indices) restricts both tables to those borrowers and their facilities.
    """
    params = params or EngineParams()
    if not 0 <= path < fp.n_paths:
        raise ValueError(f"path {path} is outside 0..{fp.n_paths - 1}")
    one = fp.take(path, path + 1)
    ftr = np.zeros((horizon, pa.n_facilities, len(FT)))
    btr = np.zeros((horizon, pa.n_borrowers, len(BT)))
    summary = _call(pa, one, params, horizon, Trace(True, ftr, btr))
    return _trace_frames(pa, summary, ftr, btr, borrowers)


def _trace_frames(pa: PortfolioArrays, summary: EngineSummary, ftr: np.ndarray,
                  btr: np.ndarray, borrowers: list[int] | None) -> dict[str, pd.DataFrame]:
    horizon = ftr.shape[0]
    keep_b = np.arange(pa.n_borrowers) if borrowers is None else np.asarray(borrowers)
    keep_f = np.flatnonzero(np.isin(pa.f_borrower, keep_b))
    fac = pd.DataFrame(ftr[:, keep_f, :].reshape(-1, len(FT)), columns=list(FT_NAMES))
    fac.insert(0, "facility", np.tile(keep_f, horizon))
    fac.insert(0, "month", np.repeat(np.arange(horizon), len(keep_f)))
    fac.insert(2, "facility_id", [pa.facility_ids[i] for i in fac["facility"]])
    fac["status"] = fac["status"].astype(np.int64)
    bor = pd.DataFrame(btr[:, keep_b, :].reshape(-1, len(BT)), columns=list(BT_NAMES))
    bor.insert(0, "borrower", np.tile(keep_b, horizon))
    bor.insert(0, "month", np.repeat(np.arange(horizon), len(keep_b)))
    bor.insert(2, "borrower_id", [pa.borrower_ids[i] for i in bor["borrower"]])
    bor["status"] = bor["status"].astype(np.int64)
    summ = pd.DataFrame({
        "borrower": keep_b,
        "default_month": summary.default_month[0, keep_b],
        "default_cause": [DefaultCause(c).name for c in summary.default_cause[0, keep_b]],
        "cliff_month": summary.cliff_month[0, keep_b],
    })
    return {"facility": fac, "borrower": bor, "summary": summ}
