"""Value at risk, expected shortfall and their Monte Carlo standard errors.

Pure functions over simulated losses (positive = loss, USD or any unit). Conventions:

* ``losses`` has shape ``(P,)`` (one loss per path) or ``(P, K)`` (K loss series, e.g. one per
  lender, measured column-wise); a ``(P,)`` input gives a float, a ``(P, K)`` input a ``(K,)``
  array.
* ``weights`` (optional, shape ``(P,)``, non-negative) are sample weights, e.g. importance-
  sampling likelihood ratios; they are normalised to sum to one.
* ``VaR_a`` is the lower ``a``-quantile ``min{x : F(x) >= a}`` of the (weighted) empirical
  distribution; ``ES_a`` is the Acerbi–Tasche expected shortfall
  ``(E[L 1{L > VaR}] + (F(VaR) - a) VaR) / (1 - a)``, i.e. the mean of the worst ``1 - a`` of the
  probability mass with the atom at VaR split exactly. ``ES_a >= VaR_a`` always.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

QUANTILE_RTOL: float = 1e-12
"""Relative slack when locating the ``a``-quantile: ``n·a`` computed in floating point may miss
an integer by one ulp (0.99·100 = 98.99999999999999), which must not shift VaR by a path."""

SILVERMAN_FACTOR: float = 0.9
"""Silverman's rule-of-thumb bandwidth ``0.9·min(sd, IQR/1.34)·n^(-1/5)`` (Silverman 1986, 3.31)."""
IQR_TO_SD: float = 1.34
"""IQR of a normal distribution in standard deviations."""
SILVERMAN_EXPONENT: float = -0.2
"""Bandwidth shrinks like ``n^(-1/5)``."""


def _as_2d(losses: np.ndarray) -> tuple[np.ndarray, bool]:
    arr = np.asarray(losses, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(f"losses must have shape (P,) or (P, K), got {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError("losses is empty: at least one path is needed")
    return (arr[:, None], True) if arr.ndim == 1 else (arr, False)


def _check_alpha(alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")


def _normalised(weights: np.ndarray | None, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},), got {w.shape}")
    if np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w / w.sum()


def _out(values: np.ndarray, squeeze: bool) -> float | np.ndarray:
    return float(values[0]) if squeeze else values


def _quantile_index(n: int, alpha: float) -> int:
    """0-based index of the lower alpha-quantile among n equally weighted sorted values."""
    k = int(np.ceil(n * alpha * (1.0 - QUANTILE_RTOL)))
    return min(max(k, 1), n) - 1


def _var_es_unweighted(x: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[0]
    j = _quantile_index(n, alpha)
    part = np.partition(x, j, axis=0)
    var = part[j]
    tail = part[j:]
    strict = tail > var
    tail_mass = n * (1.0 - alpha)  # in units of one path
    upper = np.where(strict, tail, 0.0).sum(axis=0)
    es = (upper + (tail_mass - strict.sum(axis=0)) * var) / tail_mass
    return var, es


def _var_es_weighted(x: np.ndarray, alpha: float, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    var = np.empty(x.shape[1])
    es = np.empty(x.shape[1])
    for k in range(x.shape[1]):
        order = np.argsort(x[:, k], kind="stable")
        xs, cw = x[order, k], np.cumsum(w[order])
        j = min(int(np.searchsorted(cw, alpha * (1.0 - QUANTILE_RTOL), side="left")), len(xs) - 1)
        var[k] = xs[j]
        strict = xs > xs[j]
        upper_mass = w[order][strict].sum()
        upper = (w[order][strict] * xs[strict]).sum()
        es[k] = (upper + ((1.0 - alpha) - upper_mass) * xs[j]) / (1.0 - alpha)
    return var, es


def var_es(
    losses: np.ndarray, alpha: float, weights: np.ndarray | None = None
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """VaR and ES at level ``alpha`` in one pass.

    Parameters
    ----------
    losses : ndarray, shape (P,) or (P, K)
        Loss per path (per column), any money unit.
    alpha : float
        Confidence level in (0, 1), e.g. 0.99.
    weights : ndarray, shape (P,), optional
        Sample weights; equal weights if omitted.

    Returns
    -------
    (var, es) : floats for a (P,) input, ``(K,)`` arrays for (P, K); same unit as ``losses``.
    """
    _check_alpha(alpha)
    x, squeeze = _as_2d(losses)
    w = _normalised(weights, x.shape[0])
    var, es = _var_es_unweighted(x, alpha) if w is None else _var_es_weighted(x, alpha, w)
    return _out(var, squeeze), _out(es, squeeze)


def value_at_risk(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> float | np.ndarray:
    """Lower ``alpha``-quantile of the loss distribution (see module docstring for shapes)."""
    return var_es(losses, alpha, weights)[0]


def expected_shortfall(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> float | np.ndarray:
    """Mean of the worst ``1 - alpha`` of the loss mass, atom at VaR split exactly."""
    return var_es(losses, alpha, weights)[1]


def tail_weights(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> np.ndarray:
    """Per-path weights ``theta`` with ``ES_alpha = theta @ losses`` exactly (column-wise).

    Paths above VaR get ``w_p / (1 - alpha)``; the remaining tail mass ``(1 - alpha) - P(L > VaR)``
    is spread over the paths tied at VaR in proportion to their weights, so the result does not
    depend on path order. Used for Euler risk contributions.

    Parameters
    ----------
    losses : ndarray, shape (P,) or (P, K)
    alpha : float
    weights : ndarray, shape (P,), optional

    Returns
    -------
    ndarray, shape (P,) or (P, K), non-negative, each column summing to one.
    """
    _check_alpha(alpha)
    x, squeeze = _as_2d(losses)
    n = x.shape[0]
    w = _normalised(weights, n)
    w = np.full(n, 1.0 / n) if w is None else w
    var = np.atleast_1d(value_at_risk(x, alpha, w))
    above = x > var
    at = x == var
    w2 = w[:, None]
    atom_mass = (1.0 - alpha) - np.where(above, w2, 0.0).sum(axis=0)
    at_weight = np.where(at, w2, 0.0)
    theta = np.where(above, w2, 0.0) + at_weight * (atom_mass / at_weight.sum(axis=0))
    theta /= 1.0 - alpha
    return theta[:, 0] if squeeze else theta


def effective_sample_size(n: int, weights: np.ndarray | None = None) -> float:
    """Kish effective sample size ``(sum w)^2 / sum w^2`` (``n`` for equal weights)."""
    if weights is None:
        return float(n)
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / np.square(w).sum())


def _kernel_density_at(x: np.ndarray, point: float, w: np.ndarray) -> float:
    """Gaussian-kernel density of the weighted sample ``x`` at ``point``.

    The bandwidth follows Silverman's rule on the *unweighted* sample: it adapts to where the
    draws actually are, which under importance sampling is the tail being measured (a
    bandwidth from the weighted spread and the Kish size would oversmooth it).
    """
    sd = float(np.std(x))
    q25, q75 = np.quantile(x, [0.25, 0.75])
    spread = min(sd, (q75 - q25) / IQR_TO_SD) if q75 > q25 else sd
    if spread <= 0:
        return np.inf  # a point mass: the quantile has no sampling error
    h = SILVERMAN_FACTOR * spread * len(x) ** SILVERMAN_EXPONENT
    return float(w @ stats.norm.pdf((x - point) / h) / h)


def var_standard_error(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> float | np.ndarray:
    """Asymptotic SE of VaR: ``sqrt(a(1-a)/n) / f(q_a)`` with ``f`` a kernel density (METHODS 8.4).

    With sample weights (self-normalised, e.g. importance sampling) the numerator becomes the
    delta-method variance of the weighted CDF at the quantile,
    ``Σ w_p² (1{L_p <= q} - a)²`` (weights summing to one), which reduces to ``a(1-a)/n`` for
    equal weights. Zero when the quantile sits on an atom with no spread (all losses equal).

    Returns
    -------
    float or ndarray (K,), same unit as ``losses``.
    """
    x, squeeze = _as_2d(losses)
    n = x.shape[0]
    w = _normalised(weights, n)
    var = np.atleast_1d(value_at_risk(x, alpha, w))
    if w is None:
        cdf_var = np.full(x.shape[1], alpha * (1.0 - alpha) / n)
        w = np.full(n, 1.0 / n)
    else:
        cdf_var = np.square(w) @ np.square((x <= var) - alpha)
    dens = np.array([_kernel_density_at(x[:, k], var[k], w) for k in range(x.shape[1])])
    return _out(np.sqrt(cdf_var) / dens, squeeze)


def es_influence(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> np.ndarray:
    """Per-path influence of ES: ``IF_p = (L_p - VaR)⁺ / (1 - a) + VaR - ES``.

    ``ES_hat - ES ≈ Σ_p w_p IF_p`` to first order, so the SE of ES, or of a difference of two
    ES on paired paths, is the SE of a weighted mean of influences (the delta method).

    Returns
    -------
    ndarray, shape of ``losses``, same unit.
    """
    x, squeeze = _as_2d(losses)
    var, es = (np.atleast_1d(v) for v in var_es(x, alpha, weights))
    influence = np.maximum(x - var, 0.0) / (1.0 - alpha) + var - es
    return influence[:, 0] if squeeze else influence


def es_standard_error(
    losses: np.ndarray, alpha: float = 0.99, weights: np.ndarray | None = None
) -> float | np.ndarray:
    """Manistre–Hancock SE of ES: ``sqrt(Var(L|L>q) + a(ES-q)^2) / sqrt(n(1-a))`` (METHODS 8.4).

    The conditional variance uses the same tail weights as the ES estimate. With sample
    weights the same variance is taken in its influence-function form: ES has influence
    ``IF(L) = (L - q)⁺/(1-a) + q - ES``, whose variance is exactly the Manistre–Hancock
    numerator over ``1 - a``, and the SE is ``sqrt(Σ w_p² IF_p²)`` (weights summing to one),
    the delta-method SE of a self-normalised (importance-sampling) estimator.

    Returns
    -------
    float or ndarray (K,), same unit as ``losses``.
    """
    x, squeeze = _as_2d(losses)
    n = x.shape[0]
    w = _normalised(weights, n)
    var, es = (np.atleast_1d(v) for v in var_es(x, alpha, w))
    if w is not None:
        influence = es_influence(x, alpha, w)
        return _out(np.sqrt(np.square(w) @ np.square(influence)), squeeze)
    theta = tail_weights(x, alpha)  # columns sum to one: a tail distribution
    tail_var = (theta * np.square(x - es)).sum(axis=0)
    se = np.sqrt(tail_var + alpha * np.square(es - var)) / np.sqrt(n * (1.0 - alpha))
    return _out(se, squeeze)


Measure = Callable[[np.ndarray, float, "np.ndarray | None"], "float | np.ndarray"]


def batch_means_standard_error(
    losses: np.ndarray,
    measure: Measure,
    alpha: float = 0.99,
    n_batches: int = 20,
    weights: np.ndarray | None = None,
) -> float | np.ndarray:
    """SE of any risk measure by batch means over fixed contiguous blocks of paths.

    The P paths are cut into ``n_batches`` contiguous blocks in path order (the engine's
    SeedSequence blocks are contiguous, so blocks are independent), the measure is computed on
    each, and ``SE = sd(block values) / sqrt(n_batches)``. Blocks are fixed by path index only,
    so the answer does not depend on how paths were distributed over workers. Each block should
    hold well over ``1 / (1 - alpha)`` paths; the estimate is slightly conservative because a
    block estimate of a tail measure is biased at small block sizes.

    Parameters
    ----------
    losses : ndarray, shape (P,) or (P, K)
    measure : callable ``measure(losses, alpha, weights)`` such as :func:`expected_shortfall`
    alpha : float
    n_batches : int, at least 2
    weights : ndarray, shape (P,), optional

    Returns
    -------
    float or ndarray (K,), same unit as ``losses``.
    """
    x, squeeze = _as_2d(losses)
    if not 2 <= n_batches <= x.shape[0]:
        raise ValueError(f"n_batches must lie in [2, P={x.shape[0]}], got {n_batches}")
    bounds = np.linspace(0, x.shape[0], n_batches + 1).astype(int)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    vals = np.array(
        [
            np.atleast_1d(measure(x[a:b], alpha, None if w is None else w[a:b]))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
    )
    se = vals.std(axis=0, ddof=1) / np.sqrt(n_batches)
    return _out(se, squeeze)
