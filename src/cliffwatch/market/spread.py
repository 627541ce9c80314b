"""HY credit-spread index: log-OU plus compound-Poisson jumps that decay at their own speed.

``ln s(t) = x(t) + j(t)`` (METHODS 4, two-speed variant):

* slow part ``dx = kappa(theta - x) dt + sigma dW``, stepped exactly;
* jump part ``dj = -kappa_J j dt + J dN``, N Poisson(lam), J ~ N(muJ, sJ²); jumps arrive at a
  uniform time inside the month and decay from there, so ``E[j] = lam muJ / kappa_J`` and
  ``Var[j] = lam (muJ² + sJ²) / (2 kappa_J)`` hold exactly on the monthly grid (up to
  O((lam dt)²) for two jumps in one month).

With ``kappa_J = kappa`` this is the METHODS 4 model (stationary E[ln s] = theta + lam muJ/kappa,
Var = (sigma² + lam(muJ² + sJ²))/(2 kappa)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter
from scipy.stats import poisson

from cliffwatch.market.ou import MONTH_YEARS, ou_paths

MAX_JUMPS_PER_MONTH: int = 50
"""Largest monthly jump count tabulated for the inverse Poisson CDF (far beyond any mean)."""


def poisson_counts(u: np.ndarray, mean: float) -> np.ndarray:
    """Inverse Poisson CDF ``min{n : F(n) >= u}`` by table lookup (as ``poisson.ppf``, faster)."""
    cdf = poisson.cdf(np.arange(MAX_JUMPS_PER_MONTH + 1), mean)
    return np.searchsorted(cdf, u, side="left").astype(np.float64)


@dataclass(frozen=True)
class SpreadModel:
    """Parameters: ``s0``, ``theta`` as levels (decimal), speeds per year, vols per sqrt(year)."""

    s0: float
    theta: float
    kappa: float
    sigma: float
    jump_intensity: float
    jump_mean: float
    jump_sd: float
    jump_decay: float

    def center(self, months: int) -> np.ndarray:
        """(T,) no-jump median ``exp(ln theta + (ln s0 - ln theta) e^{-kappa t})``."""
        t = np.arange(months) * MONTH_YEARS
        lt = np.log(self.theta)
        return np.exp(lt + (np.log(self.s0) - lt) * np.exp(-self.kappa * t))

    def jump_increments(self, u: np.ndarray, z: np.ndarray, v: np.ndarray) -> np.ndarray:
        """(T, P) decayed jump sums arriving in each month from fixed-count draws.

        ``u`` gives the count by the inverse Poisson CDF, ``z`` the size of the month's sum
        (``n muJ + sqrt(n) sJ z``), ``v`` the arrival time inside the month.
        """
        n = poisson_counts(u, self.jump_intensity * MONTH_YEARS)
        size = n * self.jump_mean + np.sqrt(n) * self.jump_sd * z
        inc = size * np.exp(-self.jump_decay * MONTH_YEARS * (1.0 - v))
        inc[0] = 0.0
        return inc

    def noise(self, z: np.ndarray, u: np.ndarray, zj: np.ndarray, v: np.ndarray) -> np.ndarray:
        """(T, P) log-spread minus log-median: slow OU deviation plus the decaying jumps."""
        x = ou_paths(z, self.kappa, self.sigma, 0.0)
        decay = np.exp(-self.jump_decay * MONTH_YEARS)
        j = lfilter([1.0], [1.0, -decay], self.jump_increments(u, zj, v), axis=0)
        return x + j

    def stationary_log_moments(self) -> tuple[float, float]:
        """Stationary mean and variance of ``ln s``."""
        m = np.log(self.theta) + self.jump_intensity * self.jump_mean / self.jump_decay
        jv = self.jump_intensity * (self.jump_mean**2 + self.jump_sd**2) / (2 * self.jump_decay)
        return float(m), float(self.sigma**2 / (2 * self.kappa) + jv)
