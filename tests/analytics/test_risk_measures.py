"""VaR / ES estimators: exact small cases, invariants, and SEs against replication."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import norm

from cliffwatch.analytics.risk_measures import (
    batch_means_standard_error,
    es_standard_error,
    expected_shortfall,
    tail_weights,
    value_at_risk,
    var_es,
    var_standard_error,
)

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def test_hand_computed_ten_paths_with_fractional_tail() -> None:
    x = np.arange(1.0, 11.0)  # 1..10, each mass 0.1
    # a = 0.85: F(9)=0.9 >= 0.85 -> VaR 9; ES = (10*0.1 + 9*(0.9-0.85))/0.15
    var, es = var_es(x, 0.85)
    assert var == 9.0
    assert es == pytest.approx((1.0 + 9 * 0.05) / 0.15, rel=1e-14)


def test_integer_tail_is_the_plain_mean_of_the_worst_paths() -> None:
    x = np.random.default_rng(1).normal(size=1000)
    var, es = var_es(x, 0.99)
    s = np.sort(x)
    assert var == s[989]
    assert es == pytest.approx(s[990:].mean(), rel=1e-13)


def test_atom_at_var_is_split_exactly() -> None:
    x = np.array([0.0] * 95 + [5.0] * 3 + [7.0] * 2)
    var, es = var_es(x, 0.96)
    assert var == 5.0
    assert es == pytest.approx((7 * 0.02 + 5 * 0.02) / 0.04)


def test_weights_equal_to_replication() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=200)
    reps = rng.integers(1, 4, size=200)
    w_var, w_es = var_es(x, 0.97, weights=reps.astype(float))
    r_var, r_es = var_es(np.repeat(x, reps), 0.97)
    assert w_var == r_var
    assert w_es == pytest.approx(r_es, rel=1e-12)


def test_columns_are_measured_independently() -> None:
    rng = np.random.default_rng(3)
    x = rng.exponential(size=(500, 3))
    var, es = var_es(x, 0.95)
    for k in range(3):
        assert var[k] == value_at_risk(x[:, k], 0.95)
        assert es[k] == pytest.approx(expected_shortfall(x[:, k], 0.95), rel=1e-14)


def test_rejects_bad_alpha_and_weights() -> None:
    with pytest.raises(ValueError, match="alpha"):
        value_at_risk(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="weights"):
        value_at_risk(np.ones(3), 0.9, weights=np.array([1.0, -1.0, 1.0]))


@given(arrays(np.float64, st.integers(1, 300), elements=finite), st.floats(0.5, 0.999))
def test_es_at_least_var(x: np.ndarray, alpha: float) -> None:
    var, es = var_es(x, alpha)
    assert es >= var - 1e-9 * max(1.0, abs(var))
    assert es <= x.max() + 1e-9 * max(1.0, abs(x.max()))


@given(
    arrays(np.float64, st.integers(2, 200), elements=st.integers(0, 5).map(float)),
    st.floats(0.5, 0.99),
)
def test_tail_weights_reproduce_es_with_ties(x: np.ndarray, alpha: float) -> None:
    theta = tail_weights(x, alpha)
    assert theta.sum() == pytest.approx(1.0, rel=1e-12)
    assert theta @ x == pytest.approx(expected_shortfall(x, alpha), rel=1e-12, abs=1e-12)


@given(
    arrays(np.float64, st.integers(2, 100), elements=finite),
    arrays(np.float64, 100, elements=st.floats(0.01, 10.0)),
    st.floats(0.5, 0.99),
)
def test_weighted_es_at_least_var_and_tail_weights(
    x: np.ndarray, w: np.ndarray, alpha: float
) -> None:
    w = w[: len(x)]
    var, es = var_es(x, alpha, w)
    assert es >= var - 1e-9 * max(1.0, abs(var))
    theta = tail_weights(x, alpha, w)
    assert theta @ x == pytest.approx(es, rel=1e-9, abs=1e-6)


def test_asymptotic_ses_match_methods_normal_oracle() -> None:
    # METHODS 8.4: standard normal, a=0.99, n=1e5: VaR SE 0.011806; ES SE empirical 0.01451.
    # The Manistre-Hancock formula with exact normal moments gives 0.0145097 (METHODS' 0.01526
    # does not reproduce: Var(X|X>q) = 1 + q*ES - ES^2 = 0.0968486).
    x = np.random.default_rng(4).normal(size=100_000)
    q = norm.ppf(0.99)
    es = norm.pdf(q) / 0.01
    exact = np.sqrt(1 + q * es - es**2 + 0.99 * (es - q) ** 2) / np.sqrt(100_000 * 0.01)
    assert exact == pytest.approx(0.0145097, rel=1e-5)
    assert var_standard_error(x, 0.99) == pytest.approx(0.011806, rel=0.05)
    assert es_standard_error(x, 0.99) == pytest.approx(exact, rel=0.05)
    assert es_standard_error(x, 0.99) == pytest.approx(0.01451, rel=0.05)


@pytest.mark.slow
def test_standard_errors_within_20pct_of_replication() -> None:
    rng = np.random.default_rng(5)
    n, reps = 20_000, 200
    samples = rng.standard_t(df=5, size=(reps, n))
    var_hat = np.array([value_at_risk(s, 0.99) for s in samples])
    es_hat = np.array([expected_shortfall(s, 0.99) for s in samples])
    one = samples[0]
    assert var_standard_error(one, 0.99) == pytest.approx(var_hat.std(ddof=1), rel=0.2)
    assert es_standard_error(one, 0.99) == pytest.approx(es_hat.std(ddof=1), rel=0.2)
    bm = batch_means_standard_error(samples[:10].ravel(), expected_shortfall, 0.99, 10)
    # 10 blocks of n: SE of the full-sample estimate is the replication SD / sqrt(10)
    assert bm == pytest.approx(es_hat.std(ddof=1) / np.sqrt(10), rel=0.5)


def test_batch_means_of_the_mean_matches_classical_se() -> None:
    x = np.random.default_rng(6).normal(size=40_000)

    def mean(v: np.ndarray, a: float, w: np.ndarray | None) -> float:
        return float(np.mean(v))

    se = batch_means_standard_error(x, mean, 0.99, n_batches=40)
    assert se == pytest.approx(1 / np.sqrt(40_000), rel=0.3)


def test_normal_var_es_converge_to_closed_form() -> None:
    x = np.random.default_rng(7).normal(size=200_000)
    var, es = var_es(x, 0.99)
    assert abs(var - norm.ppf(0.99)) < 4 * var_standard_error(x, 0.99)
    assert abs(es - norm.pdf(norm.ppf(0.99)) / 0.01) < 4 * es_standard_error(x, 0.99)


@pytest.mark.slow
def test_ses_on_vasicek_losses_within_20pct_of_replication() -> None:
    from tests.oracles.vasicek import conditional_pd

    rng = np.random.default_rng(12)
    n, reps, alpha = 20_000, 200, 0.99
    losses = conditional_pd(rng.standard_normal((reps, n)), 0.02, 0.15)
    var_rep = np.std([value_at_risk(x, alpha) for x in losses], ddof=1)
    es_rep = np.std([expected_shortfall(x, alpha) for x in losses], ddof=1)
    sample = losses[:10]
    estimates = {
        "var_kde": (np.mean([var_standard_error(x, alpha) for x in sample]), var_rep),
        "var_bm": (np.mean([batch_means_standard_error(x, value_at_risk, alpha) for x in sample]),
                   var_rep),
        "es_mh": (np.mean([es_standard_error(x, alpha) for x in sample]), es_rep),
        "es_bm": (np.mean([batch_means_standard_error(x, expected_shortfall, alpha)
                           for x in sample]), es_rep),
    }
    for name, (se, rep) in estimates.items():
        assert se == pytest.approx(rep, rel=0.2), name


@given(
    arrays(np.float64, st.integers(5, 200), elements=st.floats(-100, 100)),
    st.floats(0.5, 0.9),
    st.floats(0.001, 0.09),
    st.floats(0.1, 10.0),
    st.floats(-50, 50),
)
def test_monotone_in_level_and_equivariant(
    x: np.ndarray, alpha: float, step: float, scale: float, shift: float
) -> None:
    v1, e1 = var_es(x, alpha)
    v2, e2 = var_es(x, alpha + step)
    assert v2 >= v1 and e2 >= e1 - 1e-9
    v3, e3 = var_es(scale * x + shift, alpha)
    assert v3 == pytest.approx(scale * v1 + shift, rel=1e-9, abs=1e-9)
    assert e3 == pytest.approx(scale * e1 + shift, rel=1e-9, abs=1e-9)


def test_importance_sampling_weights_reproduce_the_vasicek_tail() -> None:
    # Glasserman-Li: shift the systematic factor into the tail, weight by the likelihood ratio
    from tests.oracles.vasicek import conditional_pd, lhp_expected_shortfall, lhp_quantile

    shift = -1.5  # defaults happen for low Z
    z = np.random.default_rng(14).standard_normal(50_000) + shift
    lr = np.exp(-shift * z + shift**2 / 2)
    losses = conditional_pd(z, 0.02, 0.15)
    var, es = var_es(losses, 0.999, weights=lr)
    assert abs(var - lhp_quantile(0.999, 0.02, 0.15)) < 4 * var_standard_error(losses, 0.999, lr)
    es_se = es_standard_error(losses, 0.999, lr)
    assert abs(es - lhp_expected_shortfall(0.999, 0.02, 0.15)) < 4 * es_se


@pytest.mark.slow
def test_weighted_ses_match_replication_under_importance_sampling() -> None:
    from tests.oracles.vasicek import conditional_pd

    # shift -1.5 keeps E[LR^2] = e^2.25 moderate; over-shifted IS (e.g. -2.5, E[LR^2] = e^6.25)
    # has heavy-tailed weights and every SE estimate, batch means included, is then ~30% low
    rng = np.random.default_rng(18)
    shift, alpha = -1.5, 0.999
    z = rng.standard_normal((150, 20_000)) + shift
    lr = np.exp(-shift * z + shift**2 / 2)
    losses = conditional_pd(z, 0.02, 0.15)
    pairs = [var_es(x, alpha, w) for x, w in zip(losses, lr, strict=True)]
    var_rep = np.std([p[0] for p in pairs], ddof=1)
    es_rep = np.std([p[1] for p in pairs], ddof=1)
    var_se = np.mean([var_standard_error(x, alpha, w) for x, w in zip(losses[:20], lr[:20],
                                                                       strict=True)])
    es_se = np.mean([es_standard_error(x, alpha, w) for x, w in zip(losses[:20], lr[:20],
                                                                     strict=True)])
    assert var_se == pytest.approx(var_rep, rel=0.2)
    assert es_se == pytest.approx(es_rep, rel=0.2)
    # and importance sampling pays: plain MC at the same n has a far larger ES error
    plain = conditional_pd(rng.standard_normal(20_000), 0.02, 0.15)
    assert es_standard_error(plain, alpha) > 3 * es_se
