"""Initial term structures for the short-rate model: ``f(0, t)`` and ``P(0, t)``.

A curve is anything with ``forward(t)`` (instantaneous forward, decimal per year, continuous
compounding) and ``integral(t)`` (``∫_0^t f(0, u) du``, so ``P(0, t) = exp(-integral(t))``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Curve(Protocol):
    def forward(self, t: np.ndarray) -> np.ndarray: ...
    def integral(self, t: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class PiecewiseLinearForward:
    """Instantaneous forward curve linear between knots and flat beyond the last knot.

    Attributes
    ----------
    knots
        (n,) knot times in years, starting at 0, increasing.
    rates
        (n,) forward rates at the knots, decimal per year.
    """

    knots: np.ndarray
    rates: np.ndarray

    def forward(self, t: np.ndarray) -> np.ndarray:
        """f(0, t), decimal per year."""
        return np.interp(t, self.knots, self.rates)

    def integral(self, t: np.ndarray) -> np.ndarray:
        """∫_0^t f(0, u) du (exact for a piecewise-linear f), year·decimal."""
        t = np.asarray(t, dtype=float)
        k, r = np.asarray(self.knots, float), np.asarray(self.rates, float)
        cum = np.concatenate([[0.0], np.cumsum(np.diff(k) * 0.5 * (r[1:] + r[:-1]))])
        i = np.clip(np.searchsorted(k, t, side="right") - 1, 0, len(k) - 1)
        return cum[i] + (t - k[i]) * 0.5 * (r[i] + self.forward(t))

    def discount(self, t: np.ndarray) -> np.ndarray:
        """P(0, t)."""
        return np.exp(-self.integral(t))


@dataclass(frozen=True)
class VasicekCurve:
    """The curve implied by a Vasicek model (METHODS 3), for the Vasicek special case of HW."""

    r0: float
    a: float
    b: float
    sigma: float

    def integral(self, t: np.ndarray) -> np.ndarray:
        """-ln P(0, t) from the Vasicek closed form."""
        from cliffwatch.market.short_rate import vasicek_zcb

        return -np.log(vasicek_zcb(self.r0, self.a, self.b, self.sigma, np.asarray(t, float)))

    def forward(self, t: np.ndarray) -> np.ndarray:
        """f(0,t) = r0 e^{-at} + b(1 - e^{-at}) - sigma²/(2a²)(1 - e^{-at})²."""
        e = np.exp(-self.a * np.asarray(t, float))
        return self.r0 * e + self.b * (1 - e) - self.sigma**2 / (2 * self.a**2) * (1 - e) ** 2
