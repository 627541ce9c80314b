"""GPU rent and resale value per generation.

Rent (USD per GPU-hour): ``rent0 · e^{-decay·t} · (1 - launch_rent_step)^{n(t)} · e^{y(t)}``,
with ``n(t)`` the launches of newer generations after the valuation date up to month t and
``y`` a log-OU surprise mixing a common GPU-rent factor and a generation-specific shock.

Value (USD per GPU): ``list_price · residual(age) · (1 - launch_value_step)^{n(t)} · rent/trend``
floored at ``value_floor_share · list_price`` (DOMAIN 6.4: age curve × rental ratio, floored by
the inference-use value). The ratio is taken against the model's trend rent rather than the t0
rent because the age curve already carries the expected rent decline; only rent surprises and
scenario rent shocks move value beyond it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from cliffwatch.market.ou import MONTH_YEARS, ou_paths
from cliffwatch.market.reference import GenerationRef, GpuRef
from cliffwatch.units import MONTHS_PER_YEAR


def month_offset(valuation: np.datetime64, date: dt.date) -> int:
    """Whole months from the valuation month to ``date``'s month."""
    v = valuation.astype("datetime64[M]").astype(int)
    return int(np.datetime64(date, "M").astype(int) - v)


def launch_counts(
    ref: GpuRef, gen: GenerationRef, valuation: np.datetime64, months: int
) -> np.ndarray:
    """(T,) newer-generation launches after the valuation month, up to and including month t."""
    t = np.arange(months)
    n = np.zeros(months)
    for launch in ref.future_launches.value:
        m = month_offset(valuation, launch)
        if launch > gen.launch.value and m > 0:
            n += t >= m
    return n


def rent_center(
    ref: GpuRef, gen: GenerationRef, valuation: np.datetime64, months: int
) -> np.ndarray:
    """(T,) median rent path, USD per GPU-hour."""
    t = np.arange(months) * MONTH_YEARS
    steps = (1.0 - ref.launch_rent_step.value) ** launch_counts(ref, gen, valuation, months)
    return gen.rent0.value * np.exp(-gen.rent_decay.value * t) * steps


def rent_noise(ref: GpuRef, common: np.ndarray, own: np.ndarray) -> np.ndarray:
    """(T, P) log-rent surprise from the common rent innovation and the generation's own."""
    w = ref.rent_common_share.value
    z = w * common + np.sqrt(1.0 - w * w) * own
    return ou_paths(z, ref.rent_kappa.value, ref.rent_sigma.value, 0.0)


def age_years(gen: GenerationRef, valuation: np.datetime64, months: int) -> np.ndarray:
    """(T,) generation age in years at each month (0 before launch)."""
    months_since = np.maximum(np.arange(months) - month_offset(valuation, gen.launch.value), 0)
    return months_since / MONTHS_PER_YEAR


def value_paths(
    ref: GpuRef,
    gen: GenerationRef,
    valuation: np.datetime64,
    rent: np.ndarray,
    trend: np.ndarray,
    launch_value_step: float,
) -> np.ndarray:
    """(T, P) resale value per GPU, USD, from the (scenario-transformed) rent paths.

    Parameters
    ----------
    rent
        (T, P) rent paths, USD per GPU-hour.
    trend
        (T,) the model's base median rent (``rent_center``).
    launch_value_step
        Value step-down at each newer-generation launch, share of value.
    """
    months = trend.shape[0]
    residual = np.interp(
        age_years(gen, valuation, months), ref.residual_age_years.value, ref.residual_share.value
    )
    steps = (1.0 - launch_value_step) ** launch_counts(ref, gen, valuation, months)
    base = gen.list_price.value * residual * steps
    value = base[:, None] * rent / trend[:, None]
    return np.maximum(value, ref.value_floor_share.value * gen.list_price.value)
