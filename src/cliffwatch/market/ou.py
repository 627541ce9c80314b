"""Exact discretisation of the Ornstein–Uhlenbeck process on the monthly grid (METHODS 3, 8.5).

``dx = -kappa x dt + sigma dW`` stepped exactly: ``x' = x e^{-kappa dt} + sd · Z`` with
``sd = sigma sqrt((1 - e^{-2 kappa dt}) / (2 kappa))``. Used by every mean-reverting factor.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from cliffwatch.units import MONTHS_PER_YEAR

MONTH_YEARS: float = 1.0 / MONTHS_PER_YEAR
"""Length of one monthly step, years."""


def ou_step_coefficients(
    kappa: float, sigma: float, dt: float = MONTH_YEARS
) -> tuple[float, float]:
    """Decay factor and innovation standard deviation of one exact OU step.

    Parameters
    ----------
    kappa
        Mean-reversion speed, per year (``kappa = 0`` gives Brownian motion).
    sigma
        Instantaneous volatility, factor units per sqrt(year).
    dt
        Step, years.

    Returns
    -------
    (decay, sd)
        ``e^{-kappa dt}`` and ``sigma sqrt((1 - e^{-2 kappa dt}) / (2 kappa))``.
    """
    if kappa <= 0.0:
        return 1.0, sigma * np.sqrt(dt)
    decay = float(np.exp(-kappa * dt))
    return decay, float(sigma * np.sqrt(-np.expm1(-2.0 * kappa * dt) / (2.0 * kappa)))


def ou_paths(z: np.ndarray, kappa: float, sigma: float, x0: float = 0.0) -> np.ndarray:
    """Monthly OU paths driven by standard-normal shocks.

    Parameters
    ----------
    z
        (T, ...) standard normals; ``z[0]`` is unused so that month 0 is the known start and
        a longer horizon extends (never changes) a shorter one.
    kappa, sigma
        Mean-reversion speed per year and volatility per sqrt(year).
    x0
        Value at month 0.

    Returns
    -------
    np.ndarray
        (T, ...) with ``x[0] = x0`` and ``x[t] = decay · x[t-1] + sd · z[t]``.
    """
    decay, sd = ou_step_coefficients(kappa, sigma)
    u = sd * np.asarray(z, dtype=np.float64)
    u[0] = x0
    return lfilter([1.0], [1.0, -decay], u, axis=0)


def ou_variance(kappa: float, sigma: float, t_years: np.ndarray | float) -> np.ndarray:
    """Variance of an OU started at a known value after ``t_years``: ``sigma²(1-e^{-2kt})/(2k)``."""
    t = np.asarray(t_years, dtype=float)
    if kappa <= 0.0:
        return sigma**2 * t
    return sigma**2 * -np.expm1(-2.0 * kappa * t) / (2.0 * kappa)
