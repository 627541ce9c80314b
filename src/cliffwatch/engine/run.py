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
from cliffwatch.engine.layout import BT_NAMES, FT_NAMES, N_BT, N_FT
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.validate import check_inputs
from cliffwatch.market.paths import ENGINE_FACTORS, FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

DEFAULT_HORIZON_MONTHS: int = 60

_FF = ("f_commitment", "f_drawn", "f_coupon", "f_spread", "f_floor", "f_cap", "f_undrawn_fee",
       "f_step_up", "f_sweep_share", "f_min_dscr", "f_max_ltv", "f_trap_dscr", "f_refi_min_dscr",
       "f_refi_max_ltv", "f_refi_min_dy", "f_access_spread", "f_ext_fee", "f_ext_max_ltv",
       "f_max_arr_leverage", "f_max_leverage", "f_pik_share", "f_pik_margin")
_FI = ("f_borrower", "f_kind", "f_rank", "f_secured", "f_rate_kind", "f_amort",
       "f_amort_term_months", "f_io_months", "f_start_month", "f_maturity_month", "f_ard_month",
       "f_legal_final_month", "f_pay_freq", "f_day_count", "f_cov_action",
       "f_refi_amort_months", "f_ext_months", "f_cov_convert_month")
_AF = ("a_units", "a_contracted_share", "a_contract_price", "a_power_kw", "a_pue",
       "a_opex_per_gpu_hour", "a_capex_remaining", "a_leased_mw", "a_lease_rate",
       "a_escalator", "a_opex_ratio", "a_cap_rate", "a_rvg_amount", "a_arr", "a_arr_growth",
       "a_gross_margin", "a_ebitda_margin", "a_vulnerability", "a_ev_to_arr")
_AI = ("a_kind", "a_gpu_gen", "a_in_service_month", "a_contract_end_month",
       "a_completion_month", "a_lease_end_month", "a_cpty_kind", "a_cpty", "a_backstop_kind",
       "a_backstop", "a_rvg_kind", "a_rvg")


def _stack(pa: PortfolioArrays, names: tuple[str, ...], dtype: type) -> np.ndarray:
    """Columns ``names`` of ``pa`` as one C-contiguous (rows, len(names)) array."""
    n = len(getattr(pa, names[0]))
    out: np.ndarray = np.empty((n, len(names)), dtype=dtype)
    for j, name in enumerate(names):
        out[:, j] = getattr(pa, name)
    return out


def _writable_f8(a: np.ndarray | tuple[float, ...]) -> np.ndarray:
    """``a`` as a C-contiguous, writeable float64 array, copied only if it is not one already.

    numba compiles the kernel once per argument type and a read-only array is another type
    (factor paths can arrive read-only, e.g. from the cluster or a cache): one type means one
    compilation, about a minute, instead of one per combination of flags.
    """
    return np.require(a, np.float64, ("C", "W"))


def obligor_refs(pa: PortfolioArrays, kind: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Unified obligor index of references: counterparty ``c`` -> ``c``, borrower ``b`` ->
    ``n_counterparties + b``, none (or a negative index) -> -1."""
    ref = np.where(kind == RefKind.counterparty, idx, pa.n_counterparties + idx)
    return np.where((kind == RefKind.none) | (idx < 0), -1, ref).astype(np.int64)


def pack_assets_int(pa: PortfolioArrays) -> np.ndarray:
    """Asset integer columns in ``layout.AI_*`` order, int64."""
    refs = [obligor_refs(pa, pa.a_cpty_kind, pa.a_cpty),
            obligor_refs(pa, pa.a_backstop_kind, pa.a_backstop),
            obligor_refs(pa, pa.a_rvg_kind, pa.a_rvg)]
    return np.ascontiguousarray(np.column_stack([_stack(pa, _AI, np.int64), *refs]))


def pack_params(params: EngineParams) -> np.ndarray:
    """EngineParams scalars in ``layout.P_*`` order, float64."""
    return np.array([
        1.0 if params.contagion else 0.0, params.gpu_fire_sale_haircut,
        params.gpu_market_depth_units, params.max_impact_per_month, params.dc_sale_cost,
        params.gpu_sale_cost, params.contract_renewal_prob, params.renewal_rent_ratio,
        params.lease_renewal_prob, params.idio_util_vol, params.dc_relet_rent_ratio,
        float(params.refi_window_months), params.software_churn_sensitivity,
        params.software_sale_ratio,
    ], dtype=np.float64)


def _kernel_args(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams,
                 horizon: int) -> tuple:
    """Positional inputs of ``run_paths`` (everything before the outputs)."""
    i8 = np.int64
    return (
        horizon, pa.n_borrowers, pa.n_facilities, pa.n_assets, len(pa.gpu_generations),
        pa.b_rating.astype(i8), pa.b_cash.astype(np.float64), pa.b_fac_ptr.astype(i8),
        pa.b_asset_ptr.astype(i8), pa.b_parent.astype(i8),
        pa.software_borrowers().astype(np.bool_),
        _stack(pa, _FF, np.float64), _stack(pa, _FI, i8), _stack(pa, _AF, np.float64),
        pack_assets_int(pa), pack_params(params),
        _writable_f8(params.rating_spread_multiplier),
        month_fractions(pa.valuation_date, horizon),
        pa.f_draw_ptr.astype(i8), pa.draw_month.astype(i8), pa.draw_amount.astype(np.float64),
        pa.f_sched_ptr.astype(i8), pa.sched_month.astype(i8),
        pa.sched_amount.astype(np.float64), pa.f_coll_ptr.astype(i8), pa.coll_asset.astype(i8),
        pa.h_facility.astype(i8), pa.h_lender.astype(i8), pa.h_share.astype(np.float64),
        # the kernel takes the factor fields it reads in their declaration order
        *(_writable_f8(getattr(fp, f.name)) if f.dtype.kind == "f"
          else getattr(fp, f.name).astype(i8) for f in ENGINE_FACTORS),
    )


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
          ftr: np.ndarray, btr: np.ndarray, do_trace: bool) -> EngineSummary:
    check_inputs(pa, fp, horizon)
    out = _empty_summary(fp.n_paths, pa, horizon)
    # int32/int8 outputs are widened for the kernel and narrowed back (codes fit by design)
    wide = {f.name: getattr(out, f.name) for f in fields(out)}
    for k in ("default_month", "default_cause", "cliff_month", "fac_refi_month",
              "fac_refi_outcome"):
        wide[k] = wide[k].astype(np.int64)
    run_paths(*_kernel_args(pa, fp, params, horizon),  # type: ignore[call-arg]
              wide["default_month"], wide["default_cause"], wide["cliff_month"],
              wide["fac_loss"], wide["fac_ead"], wide["fac_refi_month"], wide["fac_refi_due"],
              wide["fac_refi_outcome"], wide["fac_peak_drawn"], wide["lender_drawn"],
              wide["lender_undrawn"], wide["gpu_units_sold"], wide["gpu_price_impact"],
              do_trace, ftr, btr)
    return EngineSummary(**{
        f.name: wide[f.name].astype(getattr(out, f.name).dtype, copy=False) for f in fields(out)
    })


def run_block(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
              horizon: int = DEFAULT_HORIZON_MONTHS) -> EngineSummary:
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
    return _call(pa, fp, params, horizon, none3, none3, False)


def trace(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
          horizon: int = DEFAULT_HORIZON_MONTHS, path: int = 0,
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
    ftr = np.zeros((horizon, pa.n_facilities, N_FT))
    btr = np.zeros((horizon, pa.n_borrowers, N_BT))
    summary = _call(pa, one, params, horizon, ftr, btr, True)
    return _trace_frames(pa, summary, ftr, btr, borrowers)


def _trace_frames(pa: PortfolioArrays, summary: EngineSummary, ftr: np.ndarray,
                  btr: np.ndarray, borrowers: list[int] | None) -> dict[str, pd.DataFrame]:
    horizon = ftr.shape[0]
    keep_b = np.arange(pa.n_borrowers) if borrowers is None else np.asarray(borrowers)
    keep_f = np.flatnonzero(np.isin(pa.f_borrower, keep_b))
    fac = pd.DataFrame(ftr[:, keep_f, :].reshape(-1, N_FT), columns=list(FT_NAMES))
    fac.insert(0, "facility", np.tile(keep_f, horizon))
    fac.insert(0, "month", np.repeat(np.arange(horizon), len(keep_f)))
    fac.insert(2, "facility_id", [pa.facility_ids[i] for i in fac["facility"]])
    fac["status"] = fac["status"].astype(np.int64)
    bor = pd.DataFrame(btr[:, keep_b, :].reshape(-1, N_BT), columns=list(BT_NAMES))
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
