"""A synthetic book and synthetic factor paths for measuring the engine's throughput.

Not a scenario model and not a sample portfolio: a homogeneous, seeded book (per borrower one
GPU fleet, one data center, a floating annuity term loan, a DDTL with two draws, a revolver and
a bullet bond) on random-walk factors, sized by the caller. Used by
``benchmarks/engine_throughput.py``.
"""

from __future__ import annotations

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
    RefKind,
)
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

FACILITIES_PER_BORROWER = 4
ASSETS_PER_BORROWER = 2
N_COUNTERPARTIES = 4
N_LENDERS = 8
M = 1e6


def _per_borrower(nb: int, k: int, values: list) -> np.ndarray:
    """(nb * k,) array repeating ``values`` (length k) for each borrower."""
    return np.tile(np.asarray(values), nb)


def synthetic_book(n_borrowers: int, seed: int = 0) -> PortfolioArrays:
    """A book of ``n_borrowers`` borrowers with 4 facilities and 2 assets each."""
    rng = np.random.default_rng(seed)
    nb, fpb, apb = n_borrowers, FACILITIES_PER_BORROWER, ASSETS_PER_BORROWER
    nf, na = nb * fpb, nb * apb
    i1, i4, f8 = np.int8, np.int32, np.float64
    b_idx = np.arange(nb)
    gpu = 2 * b_idx
    dc = gpu + 1
    cpty = (b_idx % N_COUNTERPARTIES).astype(i4)
    a_kind = _per_borrower(nb, apb, [AssetKind.gpu_fleet, AssetKind.data_center]).astype(i1)
    is_gpu = a_kind == AssetKind.gpu_fleet
    zeros_a, zeros_f = np.zeros(na, f8), np.zeros(nf, f8)
    drawn = np.column_stack([rng.uniform(50, 150, nb) * M, np.full(nb, 10 * M), np.zeros(nb),
                             rng.uniform(20, 80, nb) * M]).ravel()
    commitment = drawn.copy()
    commitment[1::4] = 40 * M
    commitment[2::4] = 25 * M
    maturity = np.column_stack([rng.integers(12, 84, nb), np.full(nb, 60), np.full(nb, 48),
                                rng.integers(24, 96, nb)]).ravel().astype(i4)
    coll_ptr = np.zeros(nf + 1, i4)
    coll_ptr[1:] = np.cumsum(np.tile([1, 1, 0, 0], nb))
    draw_ptr = np.zeros(nf + 1, i4)
    draw_ptr[1:] = np.cumsum(np.tile([0, 2, 0, 0], nb))
    return PortfolioArrays(
        valuation_date=np.datetime64("2026-07-01"),
        borrower_ids=tuple(f"B{i}" for i in range(nb)),
        borrower_names=tuple(f"Synthetic {i}" for i in range(nb)),
        counterparty_ids=tuple(f"C{i}" for i in range(N_COUNTERPARTIES)),
        asset_ids=tuple(f"A{i}" for i in range(na)), facility_ids=tuple(f"F{i}" for i in range(nf)),
        facility_structures=tuple(_per_borrower(nb, fpb, ["term_loan", "ddtl", "revolver",
                                                          "hy_bond"]).tolist()),
        lender_ids=tuple(f"L{i}" for i in range(N_LENDERS)),
        lender_names=tuple(f"Lender {i}" for i in range(N_LENDERS)),
        gpu_generations=("H100", "B200"),
        b_archetype=np.full(nb, Archetype.neocloud, i1),
        b_rating=rng.integers(2, 7, nb).astype(i1), b_cash=rng.uniform(5, 40, nb) * M,
        b_parent=np.full(nb, -1, i4), b_fac_ptr=(np.arange(nb + 1) * fpb).astype(i4),
        b_asset_ptr=(np.arange(nb + 1) * apb).astype(i4),
        c_archetype=np.full(N_COUNTERPARTIES, Archetype.hyperscaler, i1),
        c_rating=np.full(N_COUNTERPARTIES, 2, i1),
        a_borrower=np.repeat(b_idx, apb).astype(i4), a_kind=a_kind,
        a_gpu_gen=np.where(is_gpu, np.repeat(b_idx % 2, apb), -1).astype(i4),
        a_units=np.where(is_gpu, np.repeat(rng.integers(2000, 20000, nb), apb), 0).astype(f8),
        a_unit_cost=np.where(is_gpu, 30_000.0, 0.0),
        a_in_service_month=np.zeros(na, i4), a_contracted_share=np.where(is_gpu, 0.7, 0.0),
        a_contract_price=np.where(is_gpu, 2.4, 0.0),
        a_contract_end_month=np.where(is_gpu, np.repeat(rng.integers(12, 72, nb), apb),
                                      NO_MONTH).astype(i4),
        a_power_kw=np.where(is_gpu, 1.2, 0.0), a_pue=np.where(is_gpu, 1.3, 1.0),
        a_opex_per_gpu_hour=np.where(is_gpu, 0.1, 0.0),
        a_capacity_mw=np.where(is_gpu, 0.0, 25.0), a_capex_remaining=np.where(is_gpu, 0, 30 * M),
        a_completion_month=np.where(is_gpu, 0, 6).astype(i4),
        a_leased_mw=np.where(is_gpu, 0.0, 20.0), a_lease_rate=np.where(is_gpu, 0.0, 150.0),
        a_escalator=np.where(is_gpu, 0.0, 0.03),
        a_lease_end_month=np.where(is_gpu, NO_MONTH, 120).astype(i4),
        a_opex_ratio=np.where(is_gpu, 0.0, 0.25), a_cap_rate=np.full(na, 0.065),
        a_cpty_kind=np.full(na, RefKind.counterparty, i1), a_cpty=np.repeat(cpty, apb),
        a_backstop_kind=np.zeros(na, i1), a_backstop=np.full(na, -1, i4),
        a_rvg_kind=np.zeros(na, i1), a_rvg=np.full(na, -1, i4), a_rvg_amount=zeros_a,
        f_borrower=np.repeat(b_idx, fpb).astype(i4),
        f_kind=_per_borrower(nb, fpb, [FacilityKind.term_loan, FacilityKind.ddtl,
                                       FacilityKind.revolver, FacilityKind.bond]).astype(i1),
        f_rank=_per_borrower(nb, fpb, [1, 1, 2, 3]).astype(i4),
        f_secured=_per_borrower(nb, fpb, [True, True, False, False]),
        f_commitment=commitment, f_drawn=drawn,
        f_rate_kind=_per_borrower(nb, fpb, [RateKind.floating] * 3 + [RateKind.fixed]).astype(i1),
        f_coupon=_per_borrower(nb, fpb, [0.0, 0.0, 0.0, 0.09]),
        f_spread=_per_borrower(nb, fpb, [0.04, 0.05, 0.03, 0.0]),
        f_floor=_per_borrower(nb, fpb, [0.01, 0.0, 0.0, 0.0]), f_cap=np.full(nf, np.inf),
        f_undrawn_fee=_per_borrower(nb, fpb, [0.0, 0.005, 0.0035, 0.0]),
        f_amort=_per_borrower(nb, fpb, [Amortization.annuity, Amortization.straight_line,
                                        Amortization.bullet, Amortization.bullet]).astype(i1),
        f_amort_term_months=_per_borrower(nb, fpb, [84, 60, 120, 120]).astype(i4),
        f_io_months=np.zeros(nf, i4),
        f_start_month=_per_borrower(nb, fpb, [-6, 0, 0, 0]).astype(i4),
        f_maturity_month=maturity, f_ard_month=np.full(nf, NO_MONTH, i4),
        f_legal_final_month=maturity.copy(), f_step_up=zeros_f, f_sweep_share=zeros_f,
        f_pay_freq=_per_borrower(nb, fpb, [3, 1, 1, 6]).astype(i1),
        f_day_count=_per_borrower(nb, fpb, [DayCount.act_360, DayCount.thirty_360,
                                            DayCount.thirty_360, DayCount.thirty_360]).astype(i1),
        f_eom=np.zeros(nf, bool), f_min_dscr=np.full(nf, 1.0), f_max_ltv=np.full(nf, 1.2),
        f_cov_action=np.full(nf, CovenantAction.cash_trap, i1), f_trap_dscr=np.full(nf, 1.1),
        f_refi_amort_months=np.full(nf, 360, i4), f_refi_min_dscr=np.full(nf, 1.2),
        f_refi_max_ltv=np.full(nf, 0.75), f_refi_min_dy=np.full(nf, 0.08),
        f_access_spread=np.full(nf, 0.08), f_ext_months=np.full(nf, 12, i4),
        f_ext_fee=np.full(nf, 0.0025), f_ext_max_ltv=np.full(nf, 0.9),
        f_draw_ptr=draw_ptr, draw_month=np.tile([3, 9], nb).astype(i4),
        draw_amount=np.tile([10 * M, 15 * M], nb),
        f_sched_ptr=np.zeros(nf + 1, i4), sched_month=np.zeros(0, i4),
        sched_amount=np.zeros(0, f8), f_coll_ptr=coll_ptr,
        coll_asset=np.column_stack([gpu, dc]).ravel().astype(i4),
        l_type=np.full(N_LENDERS, LenderType.bank, i1), h_facility=np.arange(nf, dtype=i4),
        h_lender=(np.arange(nf) % N_LENDERS).astype(i4), h_share=np.full(nf, 0.6),
    )


def synthetic_paths(pa: PortfolioArrays, n_paths: int, months: int, seed: int = 1) -> FactorPaths:
    """Bounded random-walk factors around mid-2026 levels (DOMAIN 6.1), one block."""
    rng = np.random.default_rng(seed)
    p, t, g = n_paths, months, len(pa.gpu_generations)

    def walk(x0: float, vol: float, lo: float, hi: float, shape: tuple) -> np.ndarray:
        return np.clip(x0 + np.cumsum(rng.normal(0, vol, shape), axis=-1), lo, hi)

    def never(shape: tuple) -> np.ndarray:
        return np.full(shape, NO_MONTH, np.int32)

    return FactorPaths(
        sofr=walk(0.0365, 0.002, 0.0, 0.1, (p, t)), spread=walk(0.027, 0.004, 0.005, 0.2, (p, t)),
        gpu_rent=walk(2.35, 0.08, 0.2, 5.0, (p, g, t)),
        gpu_value=walk(20_000.0, 800.0, 1_000.0, 40_000.0, (p, g, t)),
        utilization=walk(0.75, 0.03, 0.05, 0.99, (p, t)),
        util_idio=rng.normal(size=(p, pa.n_borrowers)),
        power_price=walk(0.06, 0.002, 0.02, 0.2, (p, t)),
        tech_earnings=rng.normal(size=(p, t)), dc_value=walk(1.0, 0.03, 0.3, 1.5, (p, t)),
        market_access=np.full((p, t), 0.95), ai_capex=np.zeros((p, t)),
        software_budget=np.zeros((p, t)), software_multiple=np.ones((p, t)),
        software_spread=np.zeros((p, t)), cpty_default_month=never((p, pa.n_counterparties)),
        borrower_ext_default_month=never((p, pa.n_borrowers)),
        refi_u=rng.uniform(size=(p, pa.n_facilities)),
    )
