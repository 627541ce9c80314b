"""PD, EAD, LGD, EL per facility, borrower and lender; lender loss distributions; Euler ES.

Inputs are an :class:`~cliffwatch.engine.outputs.EngineSummary` (P paths) and the compiled
:class:`~cliffwatch.tape.arrays.PortfolioArrays`. Optional ``weights`` (P,) are sample weights
(e.g. importance-sampling likelihood ratios); standard errors then use the Kish effective
sample size. A borrower "defaults within h months" when ``default_month < h`` (months 0..h-1).
Money in USD, probabilities as decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from cliffwatch.analytics.cliff import WINDOW as CLIFF_WINDOW
from cliffwatch.analytics.risk_measures import (
    effective_sample_size,
    es_standard_error,
    tail_weights,
    var_es,
    var_standard_error,
)
from cliffwatch.codes import Archetype, DefaultCause
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.tape.arrays import PortfolioArrays

PD_HORIZONS: tuple[int, ...] = (12, 24, 36, 60)
"""Months of the reported cumulative PDs (capped at the run horizon)."""
RISK_LEVELS: tuple[float, ...] = (0.95, 0.99, 0.999)
"""VaR / ES confidence levels of the lender tables."""
CONTRIBUTION_LEVEL: float = 0.99
"""ES level of the Euler risk contributions."""
CAUSES: tuple[DefaultCause, ...] = (
    DefaultCause.payment, DefaultCause.covenant, DefaultCause.maturity, DefaultCause.cross_default,
)


def horizon_months(summary: EngineSummary) -> int:
    """Months simulated (the T axis of the per-lender monthly arrays)."""
    return int(summary.lender_drawn.shape[1])


def path_weights(weights: np.ndarray | None, n: int) -> np.ndarray:
    """Path weights (n,) summing to one; equal weights when none are given."""
    if weights is None:
        return np.full(n, 1.0 / n)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"weights must be non-negative with shape ({n},)")
    return w / w.sum()


def binomial_se(p: np.ndarray | float, n_eff: float) -> np.ndarray | float:
    """Standard error ``sqrt(p(1-p)/n)`` of an estimated probability."""
    # Weighted means can land a rounding step outside [0, 1]; clip so the variance stays >= 0.
    q = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    return np.sqrt(q * (1.0 - q) / n_eff)


def mean_and_se(
    values: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Column means over paths of ``values`` (P, ...) and their Monte Carlo standard errors.

    The SE is the delta-method SE of the self-normalised weighted mean,
    ``sqrt(n/(n-1) · Σ w_p² (x_p - mean)²)`` with weights summing to one; for equal weights it
    is the classical ``sd / sqrt(n)``. NaN for a single path.
    """
    n = values.shape[0]
    w = path_weights(weights, n)
    mean = np.tensordot(w, values, axes=1)
    if n < 2:
        return mean, np.full_like(mean, np.nan, dtype=np.float64)
    spread = np.tensordot(np.square(w), np.square(values - mean), axes=1)
    return mean, np.sqrt(spread * n / (n - 1.0))


def pd_by_horizon(
    default_month: np.ndarray,
    horizons: tuple[int, ...] = PD_HORIZONS,
    max_month: int | None = None,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Cumulative default probabilities.

    Parameters
    ----------
    default_month : ndarray (P, N) int
        Default month per path and obligor (NO_MONTH = none).
    horizons : months
        Each is capped at ``max_month`` (the run horizon) when given.
    weights : ndarray (P,), optional

    Returns
    -------
    ndarray (N, len(horizons)) of probabilities.
    """
    w = path_weights(weights, default_month.shape[0])
    hs = [h if max_month is None else min(h, max_month) for h in horizons]
    return np.stack([w @ (default_month < h) for h in hs], axis=1)


def _group_sum(values: np.ndarray, labels: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the last axis of ``values`` (..., N) into ``n_groups`` groups by ``labels`` (N,)."""
    g = sparse.csr_matrix((np.ones(len(labels)), (np.arange(len(labels)), labels)),
                          shape=(len(labels), n_groups))
    return np.asarray(values @ g)


@dataclass(frozen=True)
class FacilityMetrics:
    """Per-facility credit metrics (NF rows)."""

    pd: np.ndarray
    """(NF, H) cumulative PD of the owning borrower at ``PD_HORIZONS`` (capped at the horizon)."""
    pd_se: np.ndarray
    """(NF,) binomial SE of the horizon PD."""
    ead: np.ndarray
    """(NF,) E[EAD | default], USD (NaN if it never defaults)."""
    lgd: np.ndarray
    """(NF,) E[loss | default] / E[EAD | default], share of EAD (NaN if it never defaults)."""
    el: np.ndarray
    """(NF,) expected loss, USD."""
    el_se: np.ndarray
    """(NF,) standard error of el, USD."""


def facility_metrics(
    summary: EngineSummary, pa: PortfolioArrays, weights: np.ndarray | None = None
) -> FacilityMetrics:
    """PD by horizon, EAD, LGD and EL of every facility (its borrower's default drives its PD)."""
    n, t = summary.n_paths, horizon_months(summary)
    w = path_weights(weights, n)
    b_pd = pd_by_horizon(summary.default_month, PD_HORIZONS, t, w)
    pd = b_pd[pa.f_borrower]
    # EngineSummary sets fac_ead and fac_loss to 0 on paths without default, so plain weighted
    # sums are sums over default paths: no (P, NF) indicator array is needed.
    p_def = (w @ (summary.default_month < t))[pa.f_borrower]
    with np.errstate(invalid="ignore", divide="ignore"):
        ead = np.where(p_def > 0, (w @ summary.fac_ead) / p_def, np.nan)
        lgd = np.where(p_def > 0, (w @ summary.fac_loss) / (ead * p_def), np.nan)
    el, el_se = mean_and_se(summary.fac_loss, weights)
    n_eff = effective_sample_size(n, None if weights is None else w)
    pd_se = np.asarray(binomial_se(pd[:, -1], n_eff))
    return FacilityMetrics(pd, pd_se, ead, lgd, el, el_se)


@dataclass(frozen=True)
class BorrowerMetrics:
    """Per-borrower credit metrics (NB rows)."""

    pd: np.ndarray
    """(NB,) probability of default within the horizon."""
    pd_by_cause: np.ndarray
    """(NB, 4) PD split by cause in ``CAUSES`` order (payment, covenant, maturity, cross)."""
    el: np.ndarray
    """(NB,) expected loss on its facilities, USD."""
    median_default_month: np.ndarray
    """(NB,) lower (weighted) median default month given default (NaN if it never defaults)."""
    p_cliff_window: np.ndarray
    """(NB,) probability the first cliff month lies in ``CLIFF_WINDOW``."""


def _weighted_median(values: np.ndarray, w: np.ndarray) -> float:
    if w.sum() <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cw = np.cumsum(w[order]) / w.sum()
    return float(values[order][min(int(np.searchsorted(cw, 0.5)), len(cw) - 1)])


def borrower_metrics(
    summary: EngineSummary, pa: PortfolioArrays, weights: np.ndarray | None = None
) -> BorrowerMetrics:
    """Horizon PD (total and by cause), EL, median default month and cliff-window probability."""
    n, t = summary.n_paths, horizon_months(summary)
    w = path_weights(weights, n)
    dm = summary.default_month
    defaulted = dm < t
    pd = w @ defaulted
    by_cause = np.stack([w @ (defaulted & (summary.default_cause == c)) for c in CAUSES], axis=1)
    fac_el = w @ summary.fac_loss
    el = _group_sum(fac_el, pa.f_borrower, pa.n_borrowers)
    median = np.array([_weighted_median(dm[defaulted[:, b], b], w[defaulted[:, b]])
                       for b in range(dm.shape[1])])
    lo, hi = CLIFF_WINDOW
    p_cliff = w @ ((summary.cliff_month >= lo) & (summary.cliff_month < hi))
    return BorrowerMetrics(pd, by_cause, el, median, p_cliff)


def facility_face(pa: PortfolioArrays) -> np.ndarray:
    """(NF,) exposure of each facility at t0: its commitment, or the drawn balance where it is
    larger, USD."""
    return np.maximum(pa.f_commitment, pa.f_drawn)


def lender_exposure(pa: PortfolioArrays) -> np.ndarray:
    """(NL,) held share of commitments at t0 (drawn balance where it exceeds the commitment)."""
    face = facility_face(pa)
    return np.bincount(pa.h_lender, weights=pa.h_share * face[pa.h_facility],
                       minlength=pa.n_lenders)


def lender_losses(summary: EngineSummary, pa: PortfolioArrays) -> np.ndarray:
    """(P, NL) loss of each lender on each path: facility losses split by holding share."""
    return summary.lender_loss(pa.h_facility, pa.h_lender, pa.h_share, pa.n_lenders)


@dataclass(frozen=True)
class LossDistributionMetrics:
    """EL, VaR and ES of K loss series (e.g. lenders), with standard errors."""

    el: np.ndarray
    """(K,) expected loss, USD."""
    el_se: np.ndarray
    """(K,) standard error of el, USD."""
    levels: tuple[float, ...]
    """Confidence levels of the var/es columns."""
    var: np.ndarray
    """(K, len(levels)) VaR, USD."""
    es: np.ndarray
    """(K, len(levels)) expected shortfall, USD."""
    var_se: np.ndarray
    """(K, len(levels)) kernel-density SE of VaR, USD."""
    es_se: np.ndarray
    """(K, len(levels)) Manistre–Hancock SE of ES, USD."""


def loss_distribution_metrics(
    losses: np.ndarray, levels: tuple[float, ...] = RISK_LEVELS,
    weights: np.ndarray | None = None,
) -> LossDistributionMetrics:
    """EL, VaR and ES at each level, with SEs, of losses (P, K) column-wise."""
    x = np.asarray(losses, dtype=np.float64)
    x = x[:, None] if x.ndim == 1 else x
    el, el_se = mean_and_se(x, weights)
    pairs = [var_es(x, a, weights) for a in levels]
    var = np.stack([np.atleast_1d(v) for v, _ in pairs], axis=1)
    es = np.stack([np.atleast_1d(e) for _, e in pairs], axis=1)
    var_se = np.stack([np.atleast_1d(var_standard_error(x, a, weights)) for a in levels], axis=1)
    es_se = np.stack([np.atleast_1d(es_standard_error(x, a, weights)) for a in levels], axis=1)
    return LossDistributionMetrics(el, el_se, tuple(levels), var, es, var_se, es_se)


def euler_contributions(
    summary: EngineSummary, pa: PortfolioArrays, alpha: float = CONTRIBUTION_LEVEL,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Euler contribution of each holding to its lender's ES (one value per holding row).

    ``C_h = share_h · Σ_p theta_p^(lender) · L_f,p`` with ``theta`` the lender's ES tail
    weights (:func:`~cliffwatch.analytics.risk_measures.tail_weights`), i.e.
    ``E[share·L_f | L_lender in its ES tail]`` with the atom at VaR weighted exactly as in ES.
    Because ``L_lender = Σ_h share_h L_f`` path by path, the contributions of a lender's
    holdings sum to its ES (up to floating-point rounding).

    Returns
    -------
    ndarray (NH,) USD, aligned with ``pa.h_facility`` / ``pa.h_lender``.
    """
    theta = tail_weights(lender_losses(summary, pa), alpha, weights)  # (P, NL)
    # about (1 - alpha)·P paths per lender carry weight: a sparse product skips the rest and,
    # unlike a threaded BLAS call, sums in a fixed order whatever the thread count
    per_pair = np.asarray(sparse.csr_matrix(theta.T) @ summary.fac_loss).T  # (NF, NL)
    return pa.h_share * per_pair[pa.h_facility, pa.h_lender]


def el_by_label(fac_el: np.ndarray, labels: tuple[str, ...] | np.ndarray) -> pd.Series:
    """Sum facility ELs (NF,) by a label per facility (structure, archetype name ...), USD."""
    return pd.Series(np.asarray(fac_el), index=pd.Index(list(labels), name="label")).groupby(
        level=0, sort=True
    ).sum()


def el_by_archetype(fac_el: np.ndarray, pa: PortfolioArrays) -> pd.Series:
    """Facility ELs summed by their borrower's archetype name, USD."""
    names = [Archetype(int(a)).name for a in pa.b_archetype[pa.f_borrower]]
    return el_by_label(fac_el, tuple(names))
