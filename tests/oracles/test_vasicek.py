"""Vasicek LHP, finite-N and Basel IRB against the METHODS 1 oracle tables."""

from __future__ import annotations

import numpy as np
import pytest
from tests.oracles import vasicek as v

from cliffwatch.analytics.risk_measures import es_standard_error, var_es, var_standard_error

LHP_TABLE = [  # p, rho, a, VaR, ES at a (None: not given)
    (0.02, 0.15, 0.95, 0.062192, 0.089442),
    (0.02, 0.15, 0.99, 0.105587, 0.135971),
    (0.02, 0.15, 0.999, 0.176329, 0.209404),
    (0.01, 0.12, 0.999, 0.090326, None),
    (0.01, 0.24, 0.999, 0.175683, None),
    (0.05, 0.20, 0.999, 0.384422, None),
    (0.02, 0.30, 0.999, 0.332992, None),
]
ES99_TABLE = [(0.01, 0.24, 0.124437), (0.05, 0.20, 0.308119), (0.02, 0.30, 0.242884)]


@pytest.mark.parametrize(("p", "rho", "a", "q", "es"), LHP_TABLE)
def test_lhp_quantile_and_es_oracles(p: float, rho: float, a: float, q: float, es: float) -> None:
    assert v.lhp_quantile(a, p, rho) == pytest.approx(q, abs=1e-6)
    assert v.lhp_cdf(q, p, rho) == pytest.approx(a, abs=1e-5)
    if es is not None:
        assert v.lhp_expected_shortfall(a, p, rho) == pytest.approx(es, abs=1e-6)


@pytest.mark.parametrize(("p", "rho", "es"), ES99_TABLE)
def test_lhp_es99_oracles_closed_form_and_quadrature(p: float, rho: float, es: float) -> None:
    assert v.lhp_expected_shortfall(0.99, p, rho) == pytest.approx(es, abs=1e-6)
    assert v.lhp_expected_shortfall_quad(0.99, p, rho) == pytest.approx(es, abs=1e-6)


def test_lhp_moments() -> None:
    mean, var = v.lhp_moments(0.02, 0.15)
    assert mean == 0.02
    assert var == pytest.approx(4.76896e-4, rel=1e-5)


def test_finite_n_exact_quantiles() -> None:
    assert v.finite_n_quantile(0.999, 100, 0.02, 0.15) == pytest.approx(0.2000)
    assert v.finite_n_quantile(0.99, 100, 0.02, 0.15) == pytest.approx(0.1200)
    assert v.finite_n_quantile(0.999, 1000, 0.02, 0.15) == pytest.approx(0.1780)


@pytest.mark.slow
def test_finite_n_approaches_lhp() -> None:
    assert v.finite_n_quantile(0.99, 1000, 0.02, 0.15) == pytest.approx(0.1070)
    assert v.finite_n_quantile(0.999, 10_000, 0.02, 0.15) == pytest.approx(0.1765)


IRB_TABLE = [  # PD, published RW (LGD 45%, M 2.5)
    (0.0003, 0.1444), (0.001, 0.2965), (0.0025, 0.4947), (0.005, 0.6961),
    (0.01, 0.9232), (0.015, 1.0559), (0.02, 1.1486), (0.03, 1.2844),
]


@pytest.mark.parametrize(("pd", "rw"), IRB_TABLE)
def test_basel_annex5_risk_weights(pd: float, rw: float) -> None:
    assert v.irb_risk_weight(pd, 0.45) == pytest.approx(rw, abs=1e-4)  # 0.01 pp


def test_irb_intermediate_values_and_mortgage() -> None:
    assert v.irb_correlation(0.01) == pytest.approx(0.19278, abs=1e-5)
    assert v.irb_capital(0.01, 0.45) == pytest.approx(0.073853, abs=1e-6)
    assert v.irb_risk_weight(0.01, 0.45, mortgage=True) == pytest.approx(0.56399, abs=1e-5)
    assert v.irb_risk_weight(0.02, 0.45, mortgage=True) == pytest.approx(0.87935, abs=1e-5)


def test_implied_correlation_inverts_the_quantile() -> None:
    assert v.implied_lhp_correlation(0.176329, 0.999, 0.02) == pytest.approx(0.15, abs=1e-5)


def test_simulated_one_factor_losses_match_closed_form_within_mc_error() -> None:
    z = np.random.default_rng(11).standard_normal(200_000)
    losses = v.conditional_pd(z, 0.02, 0.15)
    var, es = var_es(losses, 0.99)
    assert abs(var - 0.105587) < 4 * var_standard_error(losses, 0.99)
    assert abs(es - 0.135971) < 4 * es_standard_error(losses, 0.99)


@pytest.mark.slow
def test_mc_finite_n_quantile_within_one_grid_step() -> None:
    # METHODS 1: N=1000, 2e5 one-factor scenarios -> empirical q99.9 within 0.001 of 0.178
    rng = np.random.default_rng(15)
    z = rng.standard_normal(200_000)
    losses = rng.binomial(1000, v.conditional_pd(z, 0.02, 0.15)) / 1000
    assert abs(var_es(losses, 0.999)[0] - 0.178) <= 0.001 + 1e-12
    assert abs(losses.mean() - 0.02) < 4 * losses.std() / np.sqrt(len(losses))
