"""Counterparty default months from the one-factor Gaussian copula."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.defaults import apply_forced, default_months, obligor_pd
from cliffwatch.market.generator import generate
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import ForcedDefault, PdRule
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import NO_MONTH


def _freq(months: np.ndarray, by: int) -> tuple[float, float]:
    """Default frequency by month ``by`` and its SE (per-path means: names are correlated)."""
    per_path = (months <= by).mean(axis=1)
    return float(per_path.mean()), float(per_path.std(ddof=1) / np.sqrt(len(per_path)))


def test_default_months_closed_form_small_case() -> None:
    # rho = 0: default month = ceil(12 ln(1 - u) / ln(1 - pd)) - 1 with u = Phi(eps)
    eps = np.array([[-3.0, 0.0, 2.0]])
    m = default_months(eps, np.zeros(3), np.array([0.05]), 0.0, 600)
    expected = np.ceil(12 * np.log(norm.sf(eps[0])) / np.log(0.95)) - 1
    np.testing.assert_array_equal(m[:, 0], np.where(expected < 600, expected, NO_MONTH))
    assert m[0, 0] == 0  # u = Phi(-3) = 0.00135 < first-month PD 0.0043


def test_zero_pd_never_defaults() -> None:
    m = default_months(np.full((1, 4), -8.0), np.full(4, -5.0), np.array([0.0]), 0.3, 60)
    assert np.all(m == NO_MONTH)


@pytest.mark.slow
def test_counterparty_default_frequency_matches_rating_pd() -> None:
    n_names = 40
    u = Universe.simple(
        counterparty_archetypes=(Archetype.ai_lab,) * n_names,
        counterparty_ratings=(Rating.B,) * n_names,
    )
    fp = generate(u, "base", seed=21, path_stop=6000, horizon=36)
    pd = load_reference().annual_pd()[Rating.B]
    for by, years in ((11, 1), (35, 3)):
        freq, se = _freq(fp.cpty_default_month, by)
        assert abs(freq - (1 - (1 - pd) ** years)) < 4 * se


def test_weak_tech_earnings_matches_copula_closed_form() -> None:
    n_names = 40
    u = Universe.simple(
        counterparty_archetypes=(Archetype.ai_lab,) * n_names,
        counterparty_ratings=(Rating.B,) * n_names,
    )
    fp = generate(u, "weak_tech_earnings", seed=8, path_stop=3000, horizon=12)
    ref = load_reference()
    pd, rho = ref.annual_pd()[Rating.B], ref.tech_earnings.copula_rho.value
    sd11 = np.sqrt(1 - np.exp(-2 * 1.0 * 11 / 12))  # tech OU kappa = 1, unit stationary var
    stressed = norm.cdf(norm.ppf(pd) - np.sqrt(rho) * (-1.2 / sd11))
    freq, se = _freq(fp.cpty_default_month, 11)
    assert abs(freq - stressed) < 4 * se
    assert 0.10 < stressed < 0.14  # the anchor: AI-exposed stress default rates 8-13%


def test_pd_rules_and_forced_defaults() -> None:
    base = load_reference().annual_pd()
    arch = np.array([Archetype.ai_lab, Archetype.hyperscaler, Archetype.ai_lab], np.int8)
    rat = np.array([Rating.B, Rating.A, Rating.CCC], np.int8)
    rules = [PdRule(archetype="ai_lab", annual_pd=0.15), PdRule(rating="A", multiplier=3.0)]
    np.testing.assert_allclose(obligor_pd(arch, rat, base, rules), [0.15, 3 * base[2], 0.15])
    months = np.full((2, 3), NO_MONTH, np.int32)
    forced = [ForcedDefault(archetype="ai_lab", month=5, max_count=1)]
    out = apply_forced(months, arch, (), forced, "borrower", 36)
    np.testing.assert_array_equal(out, [[5, NO_MONTH, NO_MONTH]] * 2)
    assert np.array_equal(apply_forced(months, arch, (), forced, "counterparty", 36), months)
