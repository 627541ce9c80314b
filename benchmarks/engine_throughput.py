"""Throughput of the fused kernel in facility-path-months per second.

Run from the repository root:
``PYTHONPATH=src:. python benchmarks/engine_throughput.py --borrowers 500 --paths 1000``
(4 facilities and 2 assets per borrower; the first call compiles or loads the numba cache and
is not timed).
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np
from tests.engine.factory import portfolio
from tests.engine.random_case import random_paths

from cliffwatch.codes import Amortization, AssetKind, FacilityKind, RateKind, RefKind
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block

M = 1e6


def generated_portfolio(n_borrowers: int, seed: int = 0):
    """Healthy-ish book: each borrower owns a GPU fleet and a data center and owes a floating
    annuity term loan, a DDTL with two draws, a revolver and a bullet bond."""
    rng = np.random.default_rng(seed)
    borrowers, assets, facilities = [], [], []
    for b in range(n_borrowers):
        borrowers.append(dict(cash=float(rng.uniform(5, 40)) * M, rating=int(rng.integers(2, 7))))
        gpu, dc = len(assets), len(assets) + 1
        assets.append(dict(borrower=b, kind=AssetKind.gpu_fleet, gpu_gen=int(b % 2),
                           units=float(rng.integers(2000, 20000)), contracted_share=0.7,
                           contract_price=2.4, contract_end_month=int(rng.integers(12, 72)),
                           power_kw=1.2, pue=1.3, opex_per_gpu_hour=0.1,
                           cpty_kind=RefKind.counterparty, cpty=int(b % 4)))
        assets.append(dict(borrower=b, kind=AssetKind.data_center, completion_month=6,
                           capex_remaining=30 * M, leased_mw=20.0, lease_rate=150.0,
                           escalator=0.03, lease_end_month=120, opex_ratio=0.25,
                           cap_rate=0.065, cpty_kind=RefKind.counterparty, cpty=int(b % 4)))
        common = dict(borrower=b, access_spread=0.08, refi_min_dscr=1.2, refi_max_ltv=0.75,
                      refi_min_dy=0.08, min_dscr=1.0, max_ltv=1.2, cov_action=2,
                      trap_dscr=1.1, ext_months=12, ext_fee=0.0025, ext_max_ltv=0.9)
        facilities += [
            dict(common, kind=FacilityKind.term_loan, rank=1, drawn=float(rng.uniform(50, 150)) * M,
                 rate_kind=RateKind.floating, spread=0.04, floor=0.01, amort=Amortization.annuity,
                 amort_term_months=84, start_month=-6, maturity_month=int(rng.integers(12, 84)),
                 pay_freq=3, day_count=1, collateral=(gpu,)),
            dict(common, kind=FacilityKind.ddtl, rank=1, drawn=10 * M, commitment=40 * M,
                 rate_kind=RateKind.floating, spread=0.05, amort=Amortization.straight_line,
                 amort_term_months=60, maturity_month=60, draws=((3, 10 * M), (9, 15 * M)),
                 undrawn_fee=0.005, collateral=(dc,)),
            dict(common, kind=FacilityKind.revolver, rank=2, drawn=0.0, commitment=25 * M,
                 rate_kind=RateKind.floating, spread=0.03, maturity_month=48, undrawn_fee=0.0035,
                 secured=False),
            dict(common, kind=FacilityKind.bond, rank=3, drawn=float(rng.uniform(20, 80)) * M,
                 coupon=0.09, pay_freq=6, maturity_month=int(rng.integers(24, 96)),
                 secured=False),
        ]
    holdings = [dict(facility=f, lender=f % 8, share=0.6) for f in range(len(facilities))]
    return portfolio(borrowers=borrowers, assets=assets, facilities=facilities,
                     holdings=holdings, counterparties=4, generations=("H100", "B200"),
                     n_lenders=8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--borrowers", type=int, default=500)
    ap.add_argument("--paths", type=int, default=1000)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pa = generated_portfolio(args.borrowers)
    fp = random_paths(np.random.default_rng(1), pa, args.months, n_paths=args.paths)
    params = EngineParams(contagion=True)
    run_block(pa, fp.take(0, 2), params, args.months)  # compile / load cache
    best, best_cpu = np.inf, np.inf
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        s = run_block(pa, fp, params, args.months)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    work = pa.n_facilities * args.paths * args.months
    # CPU time makes the figure comparable on a machine shared with other jobs
    print(f"facilities={pa.n_facilities} paths={args.paths} months={args.months} "
          f"threads={numba.get_num_threads()} wall={best:.3f}s cpu={best_cpu:.3f}s "
          f"throughput={work / best / 1e6:.1f}M facility-path-months/s (wall), "
          f"{work / best_cpu / 1e6:.1f}M per CPU-second; "
          f"defaults/path={np.mean((s.default_month < args.months).sum(axis=1)):.1f}")


if __name__ == "__main__":
    main()
