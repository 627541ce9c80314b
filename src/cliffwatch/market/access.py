"""Probability that the refinancing market is open, from the HY spread index.

``a(s) = 1 / (1 + exp(beta (ln s - ln s_half)))``: half open at ``s_half``; ``beta`` makes
``a(s0) = base_access`` at the t0 spread (DOMAIN 6.1: 95%).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def access_beta(s0: float, base_access: float, half_open_spread: float) -> float:
    """Slope so that the t0 spread gives the base access probability."""
    return float(np.log(base_access / (1 - base_access)) / np.log(half_open_spread / s0))


def access_probability(spread: np.ndarray, beta: float, half_open_spread: float) -> np.ndarray:
    """Access probability in [0, 1] for spread levels (decimal)."""
    return expit(-beta * (np.log(spread) - np.log(half_open_spread)))
