"""Paired finite differences: the METHODS 8.2 CRN oracle and ES sensitivities."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from cliffwatch.analytics.risk_measures import expected_shortfall
from cliffwatch.analytics.sensitivity import finite_difference, paired_difference

THETA, H, N = 0.3, 0.01, 100_000


def payoff(theta: float, z: np.ndarray) -> np.ndarray:
    return np.maximum(np.exp(theta * z) - 1.0, 0.0)


def exact_derivative(theta: float) -> float:
    # E[max(e^{tZ}-1, 0)] = e^{t^2/2} Phi(t) - 1/2
    return float(np.exp(theta**2 / 2) * (theta * norm.cdf(theta) + norm.pdf(theta)))


def test_crn_oracle_standard_error_and_value() -> None:
    rng = np.random.default_rng(8)
    z = rng.standard_normal(N)
    d, se = paired_difference(payoff(THETA, z), payoff(THETA + H, z), H)
    assert se == pytest.approx(0.0033, rel=0.1)
    # forward difference bias is O(h): well under 4 SE here
    assert abs(d - exact_derivative(THETA)) < 4 * se + H
    z2 = rng.standard_normal(N)
    _, se_ind = paired_difference(payoff(THETA, z), payoff(THETA + H, z2), H)
    assert se_ind == pytest.approx(0.107, rel=0.1)


def test_es_sensitivity_of_a_scaled_loss_is_exact() -> None:
    # bumping a scale parameter by h multiplies every loss by (1+h): dES = ES exactly per unit
    x = np.random.default_rng(9).exponential(size=(20_000, 2))
    s = finite_difference(x, x * 1.01, bump_size=0.01)
    np.testing.assert_allclose(s.d_es, expected_shortfall(x, 0.99), rtol=1e-9)
    np.testing.assert_allclose(s.d_el, x.mean(axis=0), rtol=1e-9)
    assert np.all(s.d_es_se > 0)


def test_es_sensitivity_se_matches_replication() -> None:
    rng = np.random.default_rng(10)
    reps = [
        finite_difference(payoff(THETA, z), payoff(THETA + H, z), H)
        for z in rng.standard_normal((60, 20_000))
    ]
    d_es = np.array([r.d_es for r in reps])
    se = np.mean([r.d_es_se for r in reps])
    assert se == pytest.approx(d_es.std(ddof=1), rel=0.35)
    zs = np.random.default_rng(10).standard_normal((60, 20_000))
    delta = np.mean([
        finite_difference(payoff(THETA, z), payoff(THETA + H, z), H, es_se_method="delta").d_es_se
        for z in zs[:10]
    ])
    assert delta == pytest.approx(d_es.std(ddof=1), rel=0.2)


def test_shape_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError, match="same paths"):
        paired_difference(np.zeros(3), np.zeros(4))


def test_tiny_runs_degrade_gracefully() -> None:
    s = finite_difference(np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 3.5]))
    assert s.d_el == pytest.approx(1.0 / 3.0) and s.d_es_se >= 0
    one = finite_difference(np.array([1.0]), np.array([2.0]))
    assert one.d_es == 1.0 and np.isnan(one.d_es_se) and np.isnan(one.d_el_se)


def test_unknown_es_se_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="es_se_method"):
        finite_difference(np.ones(30), np.ones(30), es_se_method="bootstrap")
