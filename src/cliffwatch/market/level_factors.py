"""Power price, data-center value multiplier and tech earnings: mean-reverting surprises
around a deterministic trend.

* power price (USD/kWh): ``p0 e^{g t} e^{y}``, y log-OU;
* DC value multiplier: ``e^{g t} e^{y}``, y log-OU (1 = value at t0);
* tech earnings: standardized OU started at 0 with unit stationary variance
  (``sigma = sqrt(2 kappa)``), so ``e(t) ~ N(0, 1 - e^{-2 kappa t})`` in the base case.
"""

from __future__ import annotations

import numpy as np

from cliffwatch.market.ou import MONTH_YEARS, ou_paths, ou_variance


def trend(level0: float, growth: float, months: int) -> np.ndarray:
    """(T,) ``level0 · e^{growth t}``, t in years."""
    return level0 * np.exp(growth * np.arange(months) * MONTH_YEARS)


def log_ou_noise(z: np.ndarray, kappa: float, sigma: float) -> np.ndarray:
    """(T, P) log-space OU surprise started at 0."""
    return ou_paths(z, kappa, sigma, 0.0)


def tech_sigma(kappa: float) -> float:
    """Volatility that gives the tech-earnings OU a unit stationary variance."""
    return float(np.sqrt(2.0 * kappa))


def tech_sd(kappa: float, month: int) -> float:
    """Standard deviation of base tech earnings at ``month`` (started at 0)."""
    return float(np.sqrt(ou_variance(kappa, tech_sigma(kappa), month * MONTH_YEARS)))
