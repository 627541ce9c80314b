"""Seeded random small portfolios and factor paths that exercise every branch of the step,
software businesses and their recurring-revenue loans (ARR / EBITDA covenants, PIK toggles)
included."""

from __future__ import annotations

import math

import numpy as np
from tests.engine.factory import portfolio

from cliffwatch.codes import Amortization, Archetype, AssetKind, FacilityKind, RefKind
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

M = 1e6


def _maybe(rng: np.random.Generator, p: float, value: float, default: float) -> float:
    return value if rng.random() < p else default


def _asset(rng: np.random.Generator, b: int, nb: int, nc: int, horizon: int,
           software: bool) -> dict:
    ref_kind = int(rng.integers(0, 3)) if (nc or nb > 1) else 0
    ref = -1
    if ref_kind == RefKind.counterparty and nc:
        ref = int(rng.integers(0, nc))
    elif ref_kind == RefKind.borrower and nb > 1:
        ref = int((b + 1 + rng.integers(0, nb - 1)) % nb)
    else:
        ref_kind = 0
    common = dict(borrower=b, cpty_kind=ref_kind, cpty=ref, rvg_kind=ref_kind, rvg=ref,
                  rvg_amount=float(rng.uniform(0, 5)) * M)
    draw = rng.random()
    if draw >= 0.75 and software:
        return _software_asset(rng, b)
    if draw < 0.45:
        return dict(common, kind=AssetKind.gpu_fleet, gpu_gen=int(rng.integers(0, 2)),
                    units=float(rng.integers(100, 5000)),
                    in_service_month=int(rng.integers(-6, 6)),
                    contracted_share=float(rng.uniform(0, 1)),
                    contract_price=float(rng.uniform(1.0, 3.5)),
                    contract_end_month=int(rng.integers(1, horizon + 5)),
                    power_kw=float(rng.uniform(0.7, 1.4)), pue=float(rng.uniform(1.1, 1.5)),
                    opex_per_gpu_hour=float(rng.uniform(0, 0.3)))
    comp = int(rng.integers(-3, 12))
    return dict(common, kind=AssetKind.data_center, capacity_mw=20.0,
                capex_remaining=float(rng.uniform(0, 50)) * M if comp > 0 else 0.0,
                completion_month=comp, leased_mw=float(rng.uniform(5, 20)),
                lease_rate=float(rng.uniform(100, 180)), escalator=float(rng.uniform(0, 0.04)),
                lease_end_month=int(rng.integers(6, horizon + 10)),
                opex_ratio=float(rng.uniform(0.1, 0.4)), cap_rate=float(rng.uniform(0.06, 0.09)),
                backstop_kind=ref_kind, backstop=ref)


def _software_asset(rng: np.random.Generator, b: int) -> dict:
    """A software business: ARR 5-80M, growth -10%..40%, margins, vulnerability, EV/ARR."""
    gross = float(rng.uniform(0.5, 0.85))
    return dict(borrower=b, kind=AssetKind.software_business,
                arr=float(rng.uniform(5, 80)) * M, arr_growth=float(rng.uniform(-0.1, 0.4)),
                gross_margin=gross, ebitda_margin=float(rng.uniform(-0.1, gross - 0.05)),
                vulnerability=_maybe(rng, 0.8, float(rng.uniform(0, 1)), 0.0),
                ev_to_arr=float(rng.uniform(2, 10)))


def _software_terms(rng: np.random.Generator, horizon: int) -> dict:
    """ARR and EBITDA leverage covenants with a conversion month, and a PIK toggle."""
    return dict(max_arr_leverage=_maybe(rng, 0.5, float(rng.uniform(0.5, 3.0)), math.inf),
                max_leverage=_maybe(rng, 0.5, float(rng.uniform(3.0, 9.0)), math.inf),
                cov_convert_month=int(rng.integers(0, horizon)) if rng.random() < 0.6
                else NO_MONTH,
                pik_share=_maybe(rng, 0.5, float(rng.uniform(0.3, 1.0)), 0.0),
                pik_margin=float(rng.uniform(0.0, 0.02)))


def _facility(rng: np.random.Generator, b: int, rank: int, assets: list[int],
              horizon: int) -> dict:
    kind = int(rng.integers(0, len(FacilityKind)))
    drawn = float(rng.uniform(1, 60)) * M
    start = int(rng.integers(-12, 3))
    mat = int(rng.integers(max(start + 1, 1), horizon + 6))
    amort = int(rng.integers(0, len(Amortization)))
    f = dict(borrower=b, kind=kind, rank=rank, secured=bool(rng.random() < 0.7),
             drawn=drawn, commitment=drawn * float(rng.uniform(1.0, 1.6)),
             rate_kind=int(rng.integers(0, 2)), coupon=float(rng.uniform(0.04, 0.12)),
             spread=float(rng.uniform(0.015, 0.06)), floor=_maybe(rng, 0.5, 0.01, 0.0),
             cap=_maybe(rng, 0.2, 0.06, math.inf),
             undrawn_fee=float(rng.uniform(0, 0.005)), amort=amort,
             amort_term_months=int(rng.integers(12, 240)), io_months=int(rng.integers(0, 18)),
             start_month=start, maturity_month=mat, pay_freq=int(rng.choice([1, 3, 6])),
             day_count=int(rng.integers(0, 3)), step_up=float(rng.uniform(0, 0.05)),
             sweep_share=_maybe(rng, 0.5, float(rng.uniform(0.3, 1.0)), 0.0),
             min_dscr=_maybe(rng, 0.4, float(rng.uniform(0.8, 1.5)), 0.0),
             max_ltv=_maybe(rng, 0.4, float(rng.uniform(0.5, 1.5)), math.inf),
             cov_action=int(rng.integers(0, 3)),
             trap_dscr=_maybe(rng, 0.3, float(rng.uniform(1.0, 1.6)), 0.0),
             refi_amort_months=int(rng.choice([0, 120, 360])),
             refi_min_dscr=_maybe(rng, 0.6, 1.25, 0.0),
             refi_max_ltv=_maybe(rng, 0.6, 0.7, math.inf),
             refi_min_dy=_maybe(rng, 0.5, 0.09, 0.0),
             access_spread=_maybe(rng, 0.5, 0.06, math.inf),
             ext_months=int(rng.choice([0, 6, 12])), ext_fee=0.0025,
             ext_max_ltv=_maybe(rng, 0.5, 0.8, math.inf))
    if kind == FacilityKind.abs:
        f["ard_month"] = mat
        f["legal_final_month"] = mat + int(rng.integers(6, 120))
    if amort == Amortization.custom:
        months = sorted(rng.choice(np.arange(1, horizon + 1), size=3, replace=False))
        f["schedule"] = tuple((int(m), float(rng.uniform(0, 0.2)) * drawn) for m in months)
    if kind in (FacilityKind.ddtl, FacilityKind.construction_loan):
        months = sorted(rng.choice(np.arange(0, horizon), size=2, replace=False))
        f["draws"] = tuple((int(m), float(rng.uniform(0, 0.4)) * drawn) for m in months)
    if rng.random() < 0.5:
        f.update(_software_terms(rng, horizon))
    if f["secured"] and assets:
        k = int(rng.integers(1, len(assets) + 1))
        f["collateral"] = tuple(int(a) for a in rng.choice(assets, size=k, replace=False))
    return f


def random_portfolio(rng: np.random.Generator, horizon: int = 36,
                     software: bool = True) -> PortfolioArrays:
    """A random book of 1-4 borrowers; ``software=False`` draws no software borrower (the
    facilities still carry random ARR/EBITDA covenants and PIK terms, which must be inert)."""
    nb = int(rng.integers(1, 5))
    nc = int(rng.integers(0, 3))
    borrowers = [dict(cash=float(rng.uniform(0, 30)) * M, rating=int(rng.integers(0, 8)),
                      parent=-1,
                      archetype=Archetype.software if software and rng.random() < 0.2
                      else Archetype.neocloud)
                 for _ in range(nb)]
    for b in range(1, nb):  # SPVs of a parent processed before or after them
        if rng.random() < 0.5:
            borrowers[b]["parent"] = int((b + 1 + rng.integers(0, nb - 1)) % nb)
    assets, facilities = [], []
    for b in range(nb):
        mine = []
        for _ in range(int(rng.integers(0, 3))):
            mine.append(len(assets))
            assets.append(_asset(rng, b, nb, nc, horizon, software))
        ranks = sorted(int(r) for r in rng.integers(1, 4, size=int(rng.integers(1, 4))))
        facilities += [_facility(rng, b, r, mine, horizon) for r in ranks]
    nl = int(rng.integers(1, 4))
    holdings = [dict(facility=f, lender=int(rng.integers(0, nl)),
                     share=float(rng.uniform(0.2, 1.0))) for f in range(len(facilities))]
    return portfolio(borrowers=borrowers, assets=assets, facilities=facilities,
                     holdings=holdings, counterparties=nc, generations=("H100", "B200"),
                     n_lenders=nl)


def random_paths(rng: np.random.Generator, pa: PortfolioArrays, months: int,
                 n_paths: int = 2) -> FactorPaths:
    p, t, g = n_paths, months, len(pa.gpu_generations)

    def walk(x0: float, vol: float, lo: float, hi: float, shape: tuple) -> np.ndarray:
        steps = rng.normal(0, vol, shape)
        return np.clip(x0 + np.cumsum(steps, axis=-1), lo, hi)

    def months_or_never(shape: tuple, p_hit: float) -> np.ndarray:
        m = rng.integers(0, months, shape).astype(np.int32)
        return np.where(rng.random(shape) < p_hit, m, NO_MONTH).astype(np.int32)

    return FactorPaths(
        sofr=walk(0.04, 0.002, 0.0, 0.1, (p, t)),
        spread=walk(0.03, 0.004, 0.005, 0.2, (p, t)),
        gpu_rent=walk(2.2, 0.08, 0.2, 5.0, (p, g, t)),
        gpu_value=walk(20_000.0, 800.0, 1_000.0, 40_000.0, (p, g, t)),
        utilization=walk(0.7, 0.03, 0.05, 0.99, (p, t)),
        util_idio=rng.normal(size=(p, pa.n_borrowers)),
        power_price=walk(0.06, 0.002, 0.02, 0.2, (p, t)),
        tech_earnings=rng.normal(size=(p, t)),
        dc_value=walk(1.0, 0.03, 0.3, 1.5, (p, t)),
        market_access=rng.uniform(0.2, 1.0, (p, t)),
        ai_capex=rng.normal(size=(p, t)), software_budget=walk(0.02, 0.03, -0.3, 0.9, (p, t)),
        software_multiple=walk(1.0, 0.03, 0.2, 2.0, (p, t)),
        software_spread=walk(0.005, 0.002, 0.0, 0.1, (p, t)),
        cpty_default_month=months_or_never((p, pa.n_counterparties), 0.3),
        borrower_ext_default_month=months_or_never((p, pa.n_borrowers), 0.1),
        refi_u=rng.uniform(size=(p, pa.n_facilities)),
    )
