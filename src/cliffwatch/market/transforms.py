"""Apply a :class:`~cliffwatch.market.scenario.FactorMod` to a factor's median and noise.

A factor model hands over its deterministic median path ``center`` (T,) and its noise (T, P)
in the space where the noise is additive: ``linear`` (level = center + noise), ``log``
(level = center · e^noise) or ``logit`` (level = logistic(logit(center) + noise)). The scenario
acts on these deterministically, so the random draws are the same for every scenario.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.special import expit, logit

from cliffwatch.market.scenario import FactorMod, Points

Space = Literal["linear", "log", "logit"]


def monthly(points: Points, months: int) -> np.ndarray:
    """(months,) values linear between the given months and flat outside them."""
    m = np.array(sorted(points), dtype=float)
    v = np.array([points[int(k)] for k in m], dtype=float)
    return np.interp(np.arange(months, dtype=float), m, v)


def delayed(center: np.ndarray, months: int) -> np.ndarray:
    """The median path started ``months`` later (held at its month-0 value meanwhile)."""
    if months == 0:
        return center
    return np.concatenate([np.full(months, center[0]), center[:-months]])[: len(center)]


def combine(center: np.ndarray, noise: np.ndarray, space: Space) -> np.ndarray:
    """Level (T, P) from a median (T,) and noise (T, P) in the given space."""
    c = center[:, None]
    if space == "linear":
        return c + noise
    if space == "log":
        return c * np.exp(noise)
    return expit(logit(np.clip(c, 1e-9, 1 - 1e-9)) + noise)


def jump_profile(month: int, size: float, half_life: float | None, months: int) -> np.ndarray:
    """(months,) jump effect: 0 before ``month``, ``size · 2^{-(t-month)/half_life}`` after."""
    t = np.arange(months, dtype=float) - month
    decay = np.ones(months) if half_life is None else np.exp2(-np.maximum(t, 0.0) / half_life)
    return np.where(t >= 0, size * decay, 0.0)


def apply_mod(
    center: np.ndarray,
    noise: np.ndarray,
    space: Space,
    mod: FactorMod | None,
    additive_jumps: bool = False,
) -> np.ndarray:
    """The factor level (T, P) under a scenario modification.

    Parameters
    ----------
    center
        (T,) model median path, factor units.
    noise
        (T, P) noise in ``space``.
    space
        How noise combines with the median.
    mod
        The scenario's modification, or ``None`` for the model as is.
    additive_jumps
        Jumps add ``size`` (rates, standardized factors) instead of multiplying by e^size.
    """
    if mod is None:
        return combine(center, noise, space)
    if mod.path is not None:
        return apply_post(noise, mod, additive_jumps)
    base = monthly(mod.center, len(center)) if mod.center is not None else center
    level = combine(delayed(base, mod.delay_months), mod.vol_scale * noise, space)
    return apply_post(level, mod, additive_jumps)


def apply_post(
    level: np.ndarray, mod: FactorMod | None, additive_jumps: bool = False
) -> np.ndarray:
    """Apply a modification's level operations to an existing (T, P) level.

    ``path`` replaces the level (zero volatility); then ``scale``, ``jump``, ``shift``,
    ``set`` windows and ``floor`` / ``cap``. ``center``, ``delay_months`` and ``vol_scale``
    act on the model before the level exists and are handled by :func:`apply_mod`.
    """
    if mod is None:
        return level
    months = level.shape[0]
    if mod.path is not None:
        level = np.broadcast_to(monthly(mod.path, months)[:, None], level.shape)
    level = np.array(level, dtype=np.float64)
    if mod.scale is not None:
        level *= monthly(mod.scale, months)[:, None]
    for j in mod.jump:
        prof = jump_profile(j.month, j.size, j.half_life_months, months)[:, None]
        level = level + prof if additive_jumps else level * np.exp(prof)
    if mod.shift is not None:
        level += monthly(mod.shift, months)[:, None]
    for w in mod.set:
        level[w.from_month : w.to_month] = w.value
    if mod.floor is not None or mod.cap is not None:
        level = np.clip(level, mod.floor, mod.cap)
    return level
