"""Obligor default months from a one-factor Gaussian copula on the tech-earnings factor.

Obligor i has latent ``X_i = sqrt(rho) S + sqrt(1 - rho) eps_i`` (Li's Gaussian copula, the
one-factor model of METHODS 1) and defaults in the first month m with
``Phi(X_i) <= F_i(m) = 1 - (1 - PD_i)^{(m + 1)/12}`` (constant hazard matching the annual PD).
``S`` is the standardized tech-earnings state at a fixed month, so in the base case it is
N(0, 1) and each obligor's default frequency by any month equals ``F_i(m)`` exactly; a weaker
tech-earnings path (scenario) lowers ``S`` and raises defaults on the same draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import norm

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.scenario import ForcedDefault, PdRule
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR

MAX_PD: float = 0.9999
"""Cap on an annual PD after scenario multipliers (keeps the hazard finite)."""


def obligor_pd(
    archetypes: np.ndarray,
    ratings: np.ndarray,
    base_pd: np.ndarray,
    rules: Sequence[PdRule],
) -> np.ndarray:
    """(N,) annual PD per obligor: the rating's base PD, then each matching rule in order."""
    pd = base_pd[np.asarray(ratings, dtype=np.intp)].astype(float)
    for r in rules:
        hit = np.ones(len(pd), dtype=bool)
        if r.archetype is not None:
            hit &= archetypes == Archetype[r.archetype]
        if r.rating is not None:
            hit &= ratings == Rating[r.rating]
        pd[hit] = pd[hit] * r.multiplier if r.multiplier is not None else r.annual_pd
    return np.minimum(pd, MAX_PD)


def default_months(
    eps: np.ndarray,
    factor: np.ndarray,
    annual_pd: np.ndarray,
    rho: float,
    months: int,
) -> np.ndarray:
    """(P, N) int32 default month per path and obligor, ``NO_MONTH`` if none within ``months``.

    Parameters
    ----------
    eps
        (N, P) idiosyncratic standard normals.
    factor
        (P,) systematic factor (N(0, 1) in the base case).
    annual_pd
        (N,) annual default probabilities.
    rho
        Asset correlation.
    """
    x = np.sqrt(rho) * factor[None, :] + np.sqrt(1.0 - rho) * eps
    log_surv = norm.logcdf(-x)  # ln(1 - Phi(x)), accurate in both tails
    with np.errstate(divide="ignore"):
        rate = np.log1p(-annual_pd)[:, None] / MONTHS_PER_YEAR  # monthly log-survival, <= 0
        m = np.ceil(log_surv / rate) - 1.0
    m = np.where(np.isfinite(m) & (rate < 0.0), np.maximum(m, 0.0), np.inf)
    return np.where(m < months, m, NO_MONTH).astype(np.int32).T.copy()


def apply_forced(
    months_arr: np.ndarray,
    archetypes: np.ndarray,
    ids: Sequence[str],
    rules: Sequence[ForcedDefault],
    target: str,
    horizon: int,
) -> np.ndarray:
    """Set the default month of obligors hit by forced-default rules (earliest month wins)."""
    out = months_arr.copy()
    for r in rules:
        if r.target != target or r.month >= horizon:
            continue
        hit = np.zeros(len(archetypes), dtype=bool)
        if r.archetype is not None:
            hit |= archetypes == Archetype[r.archetype]
        if r.ids:
            hit |= np.isin(np.asarray(ids, dtype=object), r.ids) if ids else False
        idx = np.flatnonzero(hit)[: r.max_count]
        out[:, idx] = np.minimum(out[:, idx], r.month)
    return out
