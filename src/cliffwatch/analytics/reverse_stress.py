"""Reverse stress testing: the smallest shock at which a borrower defaults (METHODS 9).

Two solvers over a bracket ``[lo, hi]`` of a scalar shock (utilization, rent decline, ...):

* :func:`solve_metric` — ``brentq`` on a continuous metric ``g(s) - threshold`` (minimum DSCR,
  equity cushion), for use when g is monotone in s under common random numbers;
* :func:`solve_indicator` — bisection on a default indicator ``defaults(s) -> bool`` (robust to
  sweeps, triggers and cures that make g piecewise), to a tolerance in shock units.

Both return a :class:`ReverseStressResult`; when the borrower never defaults (or always
defaults) inside the bracket the threshold is NaN and the flag says which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import optimize


class Outcome(StrEnum):
    """How the search ended."""

    found = "found"
    never_in_range = "never_in_range"
    """No default anywhere in the bracket."""
    always_in_range = "always_in_range"
    """Default at both ends of the bracket (already in default at the mildest shock)."""


@dataclass(frozen=True)
class ReverseStressResult:
    """Threshold shock, with the bracket that contains it."""

    threshold: float
    """Shock at which default starts (NaN unless ``outcome`` is ``found``), shock units."""
    lo: float
    """Lower end of the final bracket, shock units."""
    hi: float
    """Upper end of the final bracket, shock units."""
    outcome: Outcome
    method: str
    """``brentq`` or ``bisection``."""
    evaluations: int
    """Calls of the metric or indicator."""

    @property
    def found(self) -> bool:
        return self.outcome is Outcome.found


def solve_metric(
    metric: Callable[[float], float],
    lo: float,
    hi: float,
    threshold: float = 1.0,
    xtol: float = 1e-12,
) -> ReverseStressResult:
    """Shock ``s*`` in ``[lo, hi]`` with ``metric(s*) = threshold`` by ``brentq``.

    ``metric(s) < threshold`` means default (e.g. minimum DSCR below 1.0). If both ends are on
    the same side, the answer is NaN flagged ``never_in_range`` (no end defaults) or
    ``always_in_range`` (both ends default).
    """
    calls = [0]

    def gap(s: float) -> float:
        calls[0] += 1
        return float(metric(s)) - threshold

    g_lo, g_hi = gap(lo), gap(hi)
    if (g_lo < 0.0) == (g_hi < 0.0):
        outcome = Outcome.always_in_range if g_lo < 0.0 else Outcome.never_in_range
        return ReverseStressResult(np.nan, lo, hi, outcome, "brentq", calls[0])
    root = float(optimize.brentq(gap, lo, hi, xtol=xtol, rtol=4 * np.finfo(float).eps))
    return ReverseStressResult(root, lo, hi, Outcome.found, "brentq", calls[0])


def solve_indicator(
    defaults: Callable[[float], bool],
    lo: float,
    hi: float,
    tol: float = 1e-6,
) -> ReverseStressResult:
    """Boundary between default and no default in ``[lo, hi]`` by bisection.

    Exactly one end must default; the returned bracket (width <= ``tol``) keeps the defaulting
    side, and the threshold is its midpoint. Works with either orientation (default at low
    utilization, or default at a high rent decline).
    """
    d_lo, d_hi = bool(defaults(lo)), bool(defaults(hi))
    calls = 2
    if d_lo == d_hi:
        outcome = Outcome.always_in_range if d_lo else Outcome.never_in_range
        return ReverseStressResult(np.nan, lo, hi, outcome, "bisection", calls)
    a, b = lo, hi
    while b - a > tol:
        mid = 0.5 * (a + b)
        calls += 1
        if bool(defaults(mid)) == d_lo:
            a = mid
        else:
            b = mid
    return ReverseStressResult(0.5 * (a + b), a, b, Outcome.found, "bisection", calls)
