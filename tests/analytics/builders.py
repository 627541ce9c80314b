"""Small synthetic portfolios and engine summaries for analytics tests.

Summaries come from a one-factor Gaussian copula (Vasicek), so their loss laws are known.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from tests.oracles import vasicek

from cliffwatch.codes import Archetype, DefaultCause, RefiOutcome
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

_FLOAT_DEFAULTS = {"f_cap": np.inf, "f_max_ltv": np.inf, "f_access_spread": np.inf}


def make_portfolio(
    f_borrower: list[int],
    commitment: list[float],
    maturity: list[int],
    holdings: list[tuple[int, int, float]],
    n_lenders: int,
    structures: list[str] | None = None,
    ard: list[int] | None = None,
    valuation_date: str = "2026-07-01",
) -> PortfolioArrays:
    """A portfolio with the given facilities and holdings (facility, lender, share); no assets."""
    nf = len(f_borrower)
    nb = max(f_borrower) + 1
    fb = np.asarray(f_borrower, dtype=np.int32)
    values: dict[str, object] = {
        "valuation_date": np.datetime64(valuation_date, "D"),
        "borrower_ids": tuple(f"B{i}" for i in range(nb)),
        "borrower_names": tuple(f"Borrower {i}" for i in range(nb)),
        "counterparty_ids": (),
        "asset_ids": (),
        "facility_ids": tuple(f"F{i}" for i in range(nf)),
        "facility_structures": tuple(structures or ["term_loan"] * nf),
        "lender_ids": tuple(f"L{i}" for i in range(n_lenders)),
        "lender_names": tuple(f"Lender {i}" for i in range(n_lenders)),
        "gpu_generations": (),
        "b_archetype": np.array([i % len(Archetype) for i in range(nb)], dtype=np.int8),
        "b_rating": np.full(nb, 4, dtype=np.int8),
        "b_cash": np.zeros(nb),
        "b_parent": np.full(nb, -1, dtype=np.int32),
        "b_fac_ptr": np.searchsorted(fb, np.arange(nb + 1)).astype(np.int32),
        "b_asset_ptr": np.zeros(nb + 1, dtype=np.int32),
        "f_borrower": fb,
        "f_commitment": np.asarray(commitment, dtype=np.float64),
        "f_drawn": np.asarray(commitment, dtype=np.float64),
        "f_maturity_month": np.asarray(maturity, dtype=np.int32),
        "f_ard_month": np.asarray(ard if ard else [NO_MONTH] * nf, dtype=np.int32),
        "f_legal_final_month": np.asarray(maturity, dtype=np.int32),
        "f_draw_ptr": np.zeros(nf + 1, dtype=np.int32),
        "f_sched_ptr": np.zeros(nf + 1, dtype=np.int32),
        "f_coll_ptr": np.zeros(nf + 1, dtype=np.int32),
        "l_type": np.zeros(n_lenders, dtype=np.int8),
        "h_facility": np.array([h[0] for h in holdings], dtype=np.int32),
        "h_lender": np.array([h[1] for h in holdings], dtype=np.int32),
        "h_share": np.array([h[2] for h in holdings], dtype=np.float64),
    }
    for f in fields(PortfolioArrays):
        if f.name in values:
            continue
        size = nf if f.name.startswith("f_") else 0
        if f.name.startswith(("c_", "a_", "draw_", "sched_", "coll_")):
            size = 0
        if f.name in _FLOAT_DEFAULTS:
            values[f.name] = np.full(size, _FLOAT_DEFAULTS[f.name])
        elif f.name in ("f_secured", "f_eom"):
            values[f.name] = np.zeros(size, dtype=bool)
        elif any(k in f.name for k in ("month", "rank", "_ptr", "term", "io_", "gpu_gen",
                                        "borrower", "asset", "cpty", "backstop", "rvg")) and (
            "amount" not in f.name
        ):
            values[f.name] = np.zeros(size, dtype=np.int32)
        else:
            values[f.name] = np.zeros(size, dtype=np.float64)
    return PortfolioArrays(**values)  # type: ignore[arg-type]


def one_factor_summary(
    pa: PortfolioArrays,
    n_paths: int,
    pd: float,
    rho: float,
    lgd: float,
    horizon: int,
    seed: int,
) -> EngineSummary:
    """Defaults from a one-factor Gaussian copula over the horizon, deterministic LGD.

    A borrower defaults in month ``floor(horizon * U)`` when its latent variable is below
    ``Phi^-1(pd)``; every facility of a defaulted borrower loses ``lgd`` of its commitment.
    Refinancing: each facility maturing in the horizon is due its commitment and fails (with a
    default) when its borrower defaulted before maturity; otherwise it is refinanced.
    """
    rng = np.random.default_rng(seed)
    nb, nf, nl = pa.n_borrowers, pa.n_facilities, pa.n_lenders
    z = rng.standard_normal((n_paths, 1))
    eps = rng.standard_normal((n_paths, nb))
    latent = np.sqrt(rho) * z + np.sqrt(1 - rho) * eps
    defaulted = latent < vasicek.norm.ppf(pd)
    month = np.minimum((rng.random((n_paths, nb)) * horizon).astype(np.int32), horizon - 1)
    default_month = np.where(defaulted, month, NO_MONTH).astype(np.int32)
    cause = np.where(defaulted, rng.integers(1, 5, size=(n_paths, nb)), DefaultCause.none)
    fdef = defaulted[:, pa.f_borrower]
    ead = np.where(fdef, pa.f_commitment, 0.0)
    due_in = pa.f_maturity_month < horizon
    refi_month = np.where(due_in, pa.f_maturity_month, NO_MONTH) * np.ones((n_paths, 1), int)
    failed = fdef & (default_month[:, pa.f_borrower] <= pa.f_maturity_month)
    outcome = np.where(
        ~due_in, RefiOutcome.not_due,
        np.where(failed, RefiOutcome.failed_default, RefiOutcome.refinanced),
    )
    cliff = np.where(defaulted, default_month, NO_MONTH).astype(np.int32)
    drawn = np.broadcast_to(
        np.bincount(pa.h_lender, pa.h_share * pa.f_drawn[pa.h_facility], minlength=nl),
        (n_paths, horizon, nl),
    ) * (1 + 0.01 * np.arange(horizon))[None, :, None]
    return EngineSummary(
        default_month=default_month,
        default_cause=cause.astype(np.int8),
        cliff_month=cliff,
        fac_loss=lgd * ead,
        fac_ead=ead,
        fac_refi_month=refi_month.astype(np.int32),
        fac_refi_due=np.where(due_in, pa.f_commitment, 0.0) * np.ones((n_paths, 1)),
        fac_refi_outcome=outcome.astype(np.int8),
        fac_peak_drawn=np.broadcast_to(pa.f_drawn, (n_paths, nf)).copy(),
        lender_drawn=np.ascontiguousarray(drawn),
        lender_undrawn=np.zeros((n_paths, horizon, nl)),
        gpu_units_sold=np.zeros((n_paths, 0)),
        gpu_price_impact=np.ones((n_paths, 0)),
    )
