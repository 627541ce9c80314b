"""Small hand-made PortfolioArrays and FactorPaths for engine tests.

``portfolio(borrowers=[...], assets=[...], facilities=[...], holdings=[...])`` takes one dict
per row with only the terms a test cares about; everything else gets a neutral default (no
covenants, no refinancing tests, market always closed unless opened, monthly 30/360 fixed).
``one_loan(**terms)`` is the one-borrower / one-facility shortcut. ``flat_paths`` makes factor
paths that stay at given levels.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cliffwatch.codes import (
    Amortization,
    Archetype,
    AssetKind,
    CovenantAction,
    DayCount,
    FacilityKind,
    LenderType,
    RateKind,
    Rating,
    RefKind,
)
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

VALUATION = np.datetime64("2026-07-01")

BORROWER = dict(archetype=Archetype.neocloud, rating=Rating.B, cash=0.0, parent=-1)
ASSET = dict(
    borrower=0, kind=AssetKind.gpu_fleet, gpu_gen=0, units=0.0, unit_cost=30_000.0,
    in_service_month=0, contracted_share=0.0, contract_price=0.0, contract_end_month=NO_MONTH,
    power_kw=0.0, pue=1.0, opex_per_gpu_hour=0.0, capacity_mw=0.0, capex_remaining=0.0,
    completion_month=0, leased_mw=0.0, lease_rate=0.0, escalator=0.0,
    lease_end_month=NO_MONTH, opex_ratio=0.0, cap_rate=0.065, cpty_kind=RefKind.none, cpty=-1,
    backstop_kind=RefKind.none, backstop=-1, rvg_kind=RefKind.none, rvg=-1, rvg_amount=0.0,
    arr=0.0, arr_growth=0.0, gross_margin=0.0, ebitda_margin=0.0, vulnerability=0.0,
    ev_to_arr=0.0,
)
FACILITY = dict(
    borrower=0, kind=FacilityKind.term_loan, rank=1, secured=True, commitment=None,
    drawn=1_000_000.0, rate_kind=RateKind.fixed, coupon=0.06, spread=0.0, floor=0.0,
    cap=math.inf, undrawn_fee=0.0, amort=Amortization.bullet, amort_term_months=120,
    io_months=0, start_month=0, maturity_month=NO_MONTH, ard_month=NO_MONTH,
    legal_final_month=None, step_up=0.0, sweep_share=0.0, pay_freq=1,
    day_count=DayCount.thirty_360, eom=False, min_dscr=0.0, max_ltv=math.inf,
    cov_action=CovenantAction.none, trap_dscr=0.0, refi_amort_months=360, refi_min_dscr=0.0,
    refi_max_ltv=math.inf, refi_min_dy=0.0, access_spread=math.inf, ext_months=0,
    ext_fee=0.0, ext_max_ltv=math.inf, max_arr_leverage=math.inf, max_leverage=math.inf,
    cov_convert_month=NO_MONTH, pik_share=0.0, pik_margin=0.0, draws=(), schedule=(),
    collateral=(),
)


def _csr(lists: list[tuple], dtypes: tuple) -> tuple[np.ndarray, ...]:
    ptr = np.zeros(len(lists) + 1, np.int32)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    cols = list(zip(*[row for x in lists for row in x], strict=True)) if ptr[-1] else None
    flat = [np.array(cols[i] if cols else [], dtype=d) for i, d in enumerate(dtypes)]
    return (ptr, *flat)


def portfolio(borrowers: list[dict] | None = None, assets: list[dict] | None = None,
              facilities: list[dict] | None = None, holdings: list[dict] | None = None,
              counterparties: int = 0, generations: tuple[str, ...] = ("H100",),
              n_lenders: int = 1) -> PortfolioArrays:
    """A PortfolioArrays from row dicts (rows must already be in engine order)."""
    bs = [{**BORROWER, **b} for b in (borrowers or [{}])]
    as_ = [{**ASSET, **a} for a in (assets or [])]
    fs = [{**FACILITY, **f} for f in (facilities or [])]
    for f in fs:
        f["commitment"] = f["drawn"] if f["commitment"] is None else f["commitment"]
        if f["legal_final_month"] is None:
            f["legal_final_month"] = f["maturity_month"]
    hs = holdings if holdings is not None else [
        dict(facility=i, lender=0, share=1.0) for i in range(len(fs))]
    nb = len(bs)

    def col(rows: list[dict], key: str, dtype: Any) -> np.ndarray:
        return np.array([r[key] for r in rows], dtype=dtype)

    def ptr(rows: list[dict]) -> np.ndarray:
        counts = np.bincount([r["borrower"] for r in rows], minlength=nb)
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)

    f_draw_ptr, draw_month, draw_amount = _csr([tuple(f["draws"]) for f in fs],
                                               (np.int32, np.float64))
    f_sched_ptr, sched_month, sched_amount = _csr([tuple(f["schedule"]) for f in fs],
                                                  (np.int32, np.float64))
    f_coll_ptr, coll_asset = _csr([tuple((a,) for a in f["collateral"]) for f in fs],
                                  (np.int32,))
    i1, i4, f8 = np.int8, np.int32, np.float64
    kw: dict[str, Any] = dict(
        valuation_date=VALUATION,
        borrower_ids=tuple(f"B{i}" for i in range(nb)),
        borrower_names=tuple(f"Borrower {i}" for i in range(nb)),
        counterparty_ids=tuple(f"C{i}" for i in range(counterparties)),
        asset_ids=tuple(f"A{i}" for i in range(len(as_))),
        facility_ids=tuple(f"F{i}" for i in range(len(fs))),
        facility_structures=tuple("loan" for _ in fs),
        lender_ids=tuple(f"L{i}" for i in range(n_lenders)),
        lender_names=tuple(f"Lender {i}" for i in range(n_lenders)),
        gpu_generations=generations,
        b_archetype=col(bs, "archetype", i1), b_rating=col(bs, "rating", i1),
        b_cash=col(bs, "cash", f8), b_parent=col(bs, "parent", i4),
        b_fac_ptr=ptr(fs), b_asset_ptr=ptr(as_),
        c_archetype=np.full(counterparties, Archetype.hyperscaler, i1),
        c_rating=np.full(counterparties, Rating.A, i1),
        coll_asset=coll_asset, draw_month=draw_month, draw_amount=draw_amount,
        sched_month=sched_month, sched_amount=sched_amount, f_draw_ptr=f_draw_ptr,
        f_sched_ptr=f_sched_ptr, f_coll_ptr=f_coll_ptr,
        l_type=np.full(n_lenders, LenderType.bank, i1),
        h_facility=np.array([h["facility"] for h in hs], i4),
        h_lender=np.array([h["lender"] for h in hs], i4),
        h_share=np.array([h["share"] for h in hs], f8),
    )
    int8_keys = {"kind", "cpty_kind", "backstop_kind", "rvg_kind", "rate_kind", "amort",
                 "pay_freq", "day_count", "cov_action"}
    for key in ASSET:
        dtype = i1 if key in int8_keys else (
            i4 if key in ("borrower", "gpu_gen", "cpty", "backstop", "rvg")
            or key.endswith("_month") else f8)
        kw[f"a_{key}"] = col(as_, key, dtype)
    for key in FACILITY:
        if key in ("draws", "schedule", "collateral"):
            continue
        if key in int8_keys:
            dtype = i1
        elif key in ("secured", "eom"):
            dtype = np.bool_
        elif key in ("borrower", "rank", "ext_months") or key.endswith("_months") or \
                key.endswith("_month"):
            dtype = i4
        else:
            dtype = f8
        kw[f"f_{key}"] = col(fs, key, dtype)
    kw["f_amort_term_months"] = col(fs, "amort_term_months", i4)
    return PortfolioArrays(**kw)


def one_loan(cash: float = 0.0, assets: list[dict] | None = None, **terms: Any) -> PortfolioArrays:
    """One borrower with one facility of the given terms."""
    return portfolio(borrowers=[dict(cash=cash)], assets=assets, facilities=[terms])


def flat_paths(pa: PortfolioArrays, months: int, n_paths: int = 1, **levels: Any) -> FactorPaths:
    """Factor paths constant at ``levels`` (arrays broadcast to (P, T) or (P, G, T) allowed)."""
    p, t = n_paths, months
    g, nb, nc, nf = len(pa.gpu_generations), pa.n_borrowers, pa.n_counterparties, pa.n_facilities
    base = dict(sofr=0.04, spread=0.03, gpu_rent=2.0, gpu_value=20_000.0, utilization=0.7,
                util_idio=0.0, power_price=0.06, tech_earnings=0.0, dc_value=1.0,
                market_access=0.0, ai_capex=0.0, software_budget=0.0, software_multiple=1.0,
                software_spread=0.0, cpty_default_month=NO_MONTH,
                borrower_ext_default_month=NO_MONTH, refi_u=0.5)
    base.update(levels)
    shapes = dict(gpu_rent=(p, g, t), gpu_value=(p, g, t), util_idio=(p, nb),
                  cpty_default_month=(p, nc), borrower_ext_default_month=(p, nb),
                  refi_u=(p, nf))
    out = {}
    for k, v in base.items():
        shape = shapes.get(k, (p, t))
        dtype = np.int32 if k.endswith("_month") else np.float64
        out[k] = np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype=dtype), shape))
    return FactorPaths(**out)
