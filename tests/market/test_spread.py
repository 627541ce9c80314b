"""Two-speed log-OU + jumps spread model against the METHODS 4 oracle."""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.market.spread import SpreadModel

ORACLE = SpreadModel(
    s0=0.10,
    theta=0.045,
    kappa=0.5,
    sigma=0.35,
    jump_intensity=0.15,
    jump_mean=0.5,
    jump_sd=0.25,
    jump_decay=0.5,
)


def test_closed_form_stationary_moments() -> None:
    mean, var = ORACLE.stationary_log_moments()
    assert mean == pytest.approx(-2.95109, abs=1e-5)
    assert var == pytest.approx(0.169375, abs=1e-6)


def test_no_jump_median_from_10pct() -> None:
    assert ORACLE.center(13)[12] == pytest.approx(0.07304, abs=1e-5)


def test_simulated_stationary_moments_within_mc_error() -> None:
    n, months = 10_000, 360  # 30 years: e^{-0.5*30} leaves no trace of the start
    rng = np.random.default_rng(2024)
    z, zj = rng.standard_normal((months, n)), rng.standard_normal((months, n))
    u, v = rng.random((months, n)), rng.random((months, n))
    x = np.log(ORACLE.center(months))[-1] + ORACLE.noise(z, u, zj, v)[-1]
    mean, var = ORACLE.stationary_log_moments()
    assert abs(x.mean() - mean) < 4 * np.sqrt(var / n)
    m4 = np.mean((x - x.mean()) ** 4)
    assert abs(x.var() - var) < 4 * np.sqrt((m4 - var**2) / n)


def test_jump_counts_follow_poisson_and_no_jump_in_month_0() -> None:
    m = SpreadModel(0.027, 0.045, 0.24, 0.35, 3.0, 0.5, 0.25, 2.5)
    rng = np.random.default_rng(1)
    shape = (13, 40_000)
    inc = m.jump_increments(rng.random(shape), rng.standard_normal(shape), rng.random(shape))
    assert np.all(inc[0] == 0.0)
    p_jump = np.mean(inc[1:] != 0.0)
    expected = 1 - np.exp(-3.0 / 12)
    assert abs(p_jump - expected) < 4 * np.sqrt(expected * (1 - expected) / inc[1:].size)


def test_poisson_lookup_equals_scipy_ppf() -> None:
    from scipy.stats import poisson

    from cliffwatch.market.spread import poisson_counts

    u = np.random.default_rng(3).random(50_000)
    for mean in (0.01, 0.25, 3.0):
        np.testing.assert_array_equal(poisson_counts(u, mean), poisson.ppf(u, mean))


def test_two_speed_reference_model_stationary_moments() -> None:
    from cliffwatch.market.generator import spread_model
    from cliffwatch.market.reference import load_reference

    m = spread_model(load_reference())
    assert m.jump_decay != m.kappa
    n, months = 8_000, 480  # 40 years: e^{-0.24*40} < 1e-4 of the start remains
    rng = np.random.default_rng(77)
    z, zj = rng.standard_normal((months, n)), rng.standard_normal((months, n))
    u, v = rng.random((months, n)), rng.random((months, n))
    x = np.log(m.center(months))[-1] + m.noise(z, u, zj, v)[-1]
    mean, var = m.stationary_log_moments()
    assert abs(x.mean() - mean) < 4 * np.sqrt(var / n) + 1e-4
    m4 = np.mean((x - x.mean()) ** 4)
    assert abs(x.var() - var) < 4 * np.sqrt((m4 - var**2) / n)
