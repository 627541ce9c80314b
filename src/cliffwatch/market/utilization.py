"""Utilization of uncontracted GPU capacity: logistic ramp plus a common logit-OU factor.

Median ``u(t) = u0 + (u_long - u0)(S(t) - S(0))/(1 - S(0))`` with ``S`` the logistic function
of ``(t - mid)/width`` (months), so ``u(0) = u0``; the path is
``logistic(logit(u(t)) + y(t))`` with ``y`` an exact OU in logit space.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from cliffwatch.market.ou import ou_paths
from cliffwatch.market.reference import UtilRef


def util_center(ref: UtilRef, months: int) -> np.ndarray:
    """(T,) median utilization in [0, 1]."""
    t = np.arange(months, dtype=float)
    s = expit((t - ref.ramp_mid_months.value) / ref.ramp_width_months.value)
    s0 = expit(-ref.ramp_mid_months.value / ref.ramp_width_months.value)
    u0, ul = ref.u0.value, ref.u_long.value
    return u0 + (ul - u0) * (s - s0) / (1.0 - s0)


def util_noise(ref: UtilRef, z: np.ndarray) -> np.ndarray:
    """(T, P) logit-space OU deviation."""
    return ou_paths(z, ref.kappa.value, ref.sigma.value, 0.0)
