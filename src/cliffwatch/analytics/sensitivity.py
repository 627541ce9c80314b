"""Finite-difference sensitivities of EL and ES from paired (common-random-number) paths.

The engine runs the base and each bumped scenario on the same seed, so path p of both runs sees
the same random draws; the per-path difference ``bumped_p - base_p`` then has a small variance
and its mean and SE give ΔEL (METHODS 8.2). ES is not a mean of per-path values, so its SE comes
from batch means of the paired ES difference over fixed blocks of paths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.analytics.risk_measures import (
    batch_means_standard_error,
    es_influence,
    expected_shortfall,
)

ES_LEVEL: float = 0.99
"""Confidence level of the ES sensitivity (the tables report ΔES99)."""
DEFAULT_BATCHES: int = 20
"""Blocks of paths for the batch-means SE of ΔES."""


@dataclass(frozen=True)
class Sensitivity:
    """Change per unit bump, with standard errors. Arrays are (K,) for (P, K) inputs."""

    d_el: float | np.ndarray
    """Change in expected loss per unit of bump, loss units."""
    d_el_se: float | np.ndarray
    """Paired standard error of ``d_el``."""
    d_es: float | np.ndarray
    """Change in ES at ``ES_LEVEL`` per unit of bump, loss units."""
    d_es_se: float | np.ndarray
    """Standard error of ``d_es`` by the chosen method (batch means or delta method)."""


def paired_difference(
    base: np.ndarray, bumped: np.ndarray, bump_size: float = 1.0
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Mean and SE of ``(bumped - base) / bump_size`` over paired paths.

    Parameters
    ----------
    base, bumped : ndarray (P,) or (P, K)
        Per-path outcome of the same paths without and with the bump.
    bump_size : float
        Bump in its own unit (1 for 'per 1 bp' when the bump is 1 bp).
    """
    b0, b1 = np.asarray(base, dtype=np.float64), np.asarray(bumped, dtype=np.float64)
    if b0.shape != b1.shape:
        raise ValueError(f"base {b0.shape} and bumped {b1.shape} must hold the same paths")
    diff = (b1 - b0) / bump_size
    n = diff.shape[0]
    mean = diff.mean(axis=0)
    se = diff.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full_like(mean, np.nan)
    return (float(mean), float(se)) if diff.ndim == 1 else (mean, se)


def _es_difference(stacked: np.ndarray, alpha: float, weights: np.ndarray | None) -> np.ndarray:
    half = stacked.shape[1] // 2
    return np.atleast_1d(expected_shortfall(stacked[:, half:], alpha)) - np.atleast_1d(
        expected_shortfall(stacked[:, :half], alpha)
    )


def finite_difference(
    base: np.ndarray,
    bumped: np.ndarray,
    bump_size: float = 1.0,
    alpha: float = ES_LEVEL,
    n_batches: int = DEFAULT_BATCHES,
    es_se_method: str = "batch_means",
) -> Sensitivity:
    """ΔEL and ΔES per unit bump from paired per-path losses.

    Parameters
    ----------
    base, bumped : ndarray (P,) or (P, K)
        Losses of the same paths (same seed) without and with the bump, USD.
    bump_size : float
        Size of the bump in the unit the sensitivity is quoted per.
    alpha : float
        ES level.
    n_batches : int
        Blocks for the batch-means SE of ΔES; each should hold well over 1/(1-alpha) paths.
        Fewer paths than blocks use one block per path; a single path gives a NaN SE.
    es_se_method : ``"batch_means"`` or ``"delta"``
        ``delta`` takes the paired SE of the per-path ES influence difference
        ``IF_bumped - IF_base`` (:func:`~cliffwatch.analytics.risk_measures.es_influence`).
    """
    d_el, d_el_se = paired_difference(base, bumped, bump_size)
    b0, b1 = np.asarray(base, dtype=np.float64), np.asarray(bumped, dtype=np.float64)
    squeeze = b0.ndim == 1
    b0, b1 = (b0[:, None], b1[:, None]) if squeeze else (b0, b1)
    stacked = np.concatenate([b0, b1], axis=1)
    d_es = _es_difference(stacked, alpha, None) / bump_size
    batches = min(n_batches, stacked.shape[0])
    if es_se_method == "delta":
        _, se = paired_difference(es_influence(b0, alpha), es_influence(b1, alpha), bump_size)
        d_es_se = np.atleast_1d(se)
    elif es_se_method != "batch_means":
        raise ValueError(f"es_se_method must be 'batch_means' or 'delta', got {es_se_method!r}")
    elif batches < 2:  # one path: no estimate of the error
        d_es_se = np.full(b0.shape[1], np.nan)
    else:
        d_es_se = np.atleast_1d(
            batch_means_standard_error(stacked, _es_difference, alpha, batches)
        ) / bump_size
    if squeeze:
        return Sensitivity(d_el, d_el_se, float(d_es[0]), float(d_es_se[0]))
    return Sensitivity(d_el, d_el_se, d_es, d_es_se)
