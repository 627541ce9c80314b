"""Every bundled scenario loads and its median factor paths reproduce its anchor figures."""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.generator import generate
from cliffwatch.market.library import bundled_names
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params

N_PATHS = 2000
"""Enough paths for medians within ~1-2% of the anchors at 4 standard errors."""
EXPECTED = {
    "base",
    "higher_for_longer",
    "spread_shock_2020",
    "gfc_severe",
    "utilization_lag",
    "gpu_price_collapse",
    "weak_tech_earnings",
    "refinancing_cliff",
    "crowded_unwind",
    "software_repricing",
    "two_sided_bust",
}
U = Universe.simple(
    gpu_generations=("H100", "B200"),
    borrower_archetypes=(Archetype.neocloud, Archetype.neocloud),
    borrower_ratings=(Rating.B, Rating.B),
    counterparty_archetypes=(Archetype.ai_lab, Archetype.hyperscaler),
    counterparty_ratings=(Rating.B, Rating.A),
    n_facilities=1,
)


def _median(name: str) -> tuple[FactorPaths, dict[str, np.ndarray]]:
    fp = generate(U, name, seed=2026, path_stop=N_PATHS, horizon=37)
    med = {
        "sofr": np.median(fp.sofr, 0),
        "hy_bp": 1e4 * np.median(fp.spread, 0),
        "h100": np.median(fp.gpu_rent[:, 0], 0),
        "b200": np.median(fp.gpu_rent[:, 1], 0),
        "h100_value": np.median(fp.gpu_value[:, 0], 0),
        "util": np.median(fp.utilization, 0),
        "access": np.median(fp.market_access, 0),
        "dc": np.median(fp.dc_value, 0),
        "power": np.median(fp.power_price, 0),
        "capex": np.median(fp.ai_capex, 0),
        "budget": np.median(fp.software_budget, 0),
        "multiple": np.median(fp.software_multiple, 0),
        "sw_bp": 1e4 * np.median(fp.software_spread, 0),
    }
    return fp, med


def test_library_is_complete_and_cited() -> None:
    assert set(bundled_names()) >= EXPECTED
    for name in bundled_names():
        spec = load_scenario(name).spec
        assert spec.name == name and spec.description and spec.anchors


def test_base_anchors() -> None:
    _, m = _median("base")
    np.testing.assert_allclose(
        m["sofr"][[0, 12, 24, 36]], [0.0365, 0.0375, 0.0340, 0.0325], atol=0.0015
    )
    np.testing.assert_allclose(m["hy_bp"][[0, 12, 24, 36]], [270, 300, 330, 350], rtol=0.06)
    np.testing.assert_allclose(m["h100"][[0, 12, 24, 36]], [2.35, 2.05, 1.80, 1.60], rtol=0.05)
    np.testing.assert_allclose(m["b200"][[0, 12, 24, 36]], [3.50, 3.10, 2.70, 2.30], rtol=0.05)
    np.testing.assert_allclose(m["util"][[0, 12, 24]], [0.75, 0.70, 0.70], atol=0.02)
    assert m["access"][0] == pytest.approx(0.965)
    # DOMAIN 6.1: access ~95% flat in base, so the median never drops below 0.93
    assert m["access"].min() >= 0.93
    assert m["power"][36] == pytest.approx(0.060 * np.exp(0.09), rel=0.05)
    assert m["dc"][36] == pytest.approx(np.exp(0.06), rel=0.03)


def test_higher_for_longer_anchors() -> None:
    _, m = _median("higher_for_longer")
    np.testing.assert_allclose(m["sofr"][[12, 24, 36]], 0.0475, atol=0.0015)
    assert m["hy_bp"][12] == pytest.approx(420, rel=0.06)


def test_spread_shock_2020_anchors() -> None:
    _, m = _median("spread_shock_2020")
    assert m["hy_bp"][:3].max() == pytest.approx(1000, rel=0.06)  # ~1,000 bp within a quarter
    assert m["hy_bp"][12] == pytest.approx(500, rel=0.08)  # back to ~500 by +4Q
    assert np.all(m["access"][1:7] == 0.0) and m["access"][7] > 0.5
    base = _median("base")[1]
    assert m["h100"][12] / base["h100"][12] == pytest.approx(0.90, rel=1e-9)


def test_gfc_severe_anchors() -> None:
    fp, m = _median("gfc_severe")
    assert m["hy_bp"][12] == pytest.approx(2000, rel=0.06)
    assert m["hy_bp"][36] == pytest.approx(900, rel=0.06)
    assert m["sofr"][12] == pytest.approx(0.005, abs=0.0015)
    base = _median("base")[1]
    assert m["h100_value"][12] / base["h100_value"][12] == pytest.approx(0.60, rel=1e-6)
    assert m["dc"][12] / base["dc"][12] == pytest.approx(0.61, rel=1e-6)
    assert np.all(fp.market_access[:, 1:13] == 0.0)


def test_utilization_lag_anchors() -> None:
    _, m = _median("utilization_lag")
    assert m["util"][12] == pytest.approx(0.40, abs=0.02)
    base = _median("base")[1]
    assert m["h100"][12] / base["h100"][12] == pytest.approx(0.70, rel=1e-9)
    ep = engine_params(load_scenario("utilization_lag"))
    assert (ep.contract_renewal_prob, ep.renewal_rent_ratio) == (0.40, 0.50)


def test_gpu_price_collapse_anchors() -> None:
    _, m = _median("gpu_price_collapse")
    assert m["h100"][12] / m["h100"][0] == pytest.approx(0.40, rel=0.04)  # -60% in 12 months
    assert m["h100"][12] < 1.65  # below the H100 breakeven
    assert m["b200"][12] / m["b200"][0] == pytest.approx(0.55, rel=0.04)  # Blackwell -45%
    base = _median("base")[1]
    # the value follows the rent surprise, steps down 30% at the Rubin launch (month 3) and is
    # floored at the inference-use value (5% of the $25k list price)
    ratio = (m["h100"][12] / base["h100"][12]) * 0.70
    expected = max(base["h100_value"][12] * ratio, 0.05 * 25_000)
    assert m["h100_value"][12] == pytest.approx(expected, rel=0.05)
    assert m["h100_value"][12] < 0.5 * base["h100_value"][12]
    assert engine_params(load_scenario("gpu_price_collapse")).gpu_fire_sale_haircut == 0.40


def test_refinancing_cliff_anchors() -> None:
    fp, m = _median("refinancing_cliff")
    assert np.all(fp.market_access[:, 12:24] == 0.40)
    base = _median("base")[1]
    assert m["sofr"][12] - base["sofr"][12] == pytest.approx(0.005, abs=1e-12)
    assert m["hy_bp"][18] - base["hy_bp"][18] == pytest.approx(250, abs=1e-6)


def test_weak_tech_earnings_raises_counterparty_defaults() -> None:
    base, _ = _median("base")
    weak, _ = _median("weak_tech_earnings")
    assert np.median(weak.tech_earnings[:, 12]) == pytest.approx(-1.2, abs=0.06)
    assert (weak.cpty_default_month[:, 0] < 12).mean() > 2 * (
        base.cpty_default_month[:, 0] < 12
    ).mean()


def test_crowded_unwind_anchors() -> None:
    fp, m = _median("crowded_unwind")
    s = load_scenario("crowded_unwind")
    assert engine_params(s).contagion is True
    assert m["sofr"][12] == pytest.approx(0.0475, abs=0.0015)
    assert m["sofr"][24] == pytest.approx(0.005, abs=0.0015)
    assert m["hy_bp"][12] == pytest.approx(2000, rel=0.06)
    assert m["util"][12] == pytest.approx(0.40, abs=0.02)
    assert m["h100"][12] == pytest.approx(0.94, rel=0.04)
    assert np.all(fp.market_access[:, 12:30] == 0.0)
    # the first neocloud borrower is forced to default at +6Q on every path
    assert np.all(fp.borrower_ext_default_month[:, 0] <= 18)
    ai_lab_3y = (fp.cpty_default_month[:, 0] < 36).mean()
    assert ai_lab_3y == pytest.approx(0.25, abs=4 * np.sqrt(0.25 * 0.75 / N_PATHS) + 0.03)


LOAN_HOLD_YEARS = 3.5
"""Actual hold of a software term loan, years: 3-4 years given refinancings (DOMAIN 9)."""
LOAN_YIELD = 0.0365 + 0.055
"""Yield of a single-B software unitranche at t0: SOFR 3.65% + ~550 bp (DOMAIN 3.1, 5.1)."""
LOAN_PRICE_DROP_BP = 465.0
"""Software/IT loan index price fall, 6 Jan -> 6 Feb 2026, bp of par (DOMAIN 9)."""


def _spread_duration() -> float:
    """Annuity factor of the hold at the loan yield: the price change per unit spread."""
    return (1.0 - (1.0 + LOAN_YIELD) ** -LOAN_HOLD_YEARS) / LOAN_YIELD


def test_spread_duration_matches_numpy_financial() -> None:
    import numpy_financial as npf

    # a 3.5-year annuity of 1 per year: the annual-pay approximation of a floater's spread DV01
    assert _spread_duration() == pytest.approx(-npf.pv(LOAN_YIELD, LOAN_HOLD_YEARS, 1.0), rel=1e-12)


def test_software_repricing_anchors() -> None:
    _, m = _median("software_repricing")
    b = _median("base")[1]
    # loans: -(d HY + d basis) x spread duration at month 1 ~ -465 bp of par, +/-15%
    d_spread_bp = (m["hy_bp"][1] - b["hy_bp"][1]) + (m["sw_bp"][1] - b["sw_bp"][1])
    assert d_spread_bp * _spread_duration() == pytest.approx(LOAN_PRICE_DROP_BP, rel=0.15)
    # the broad HY market moved far less than software
    assert m["hy_bp"][1] - b["hy_bp"][1] < 0.25 * d_spread_bp
    # software index -19% to -23% at month 2; P/S 9x -> 6x by month 6
    assert 0.77 <= m["multiple"][2] <= 0.81
    assert m["multiple"][6] == pytest.approx(6.0 / 9.0, abs=0.03)
    # AI capex up, software budgets reallocated (erosion)
    assert m["capex"][1] == pytest.approx(1.0, abs=0.08)
    assert np.all(m["budget"][1:] > b["budget"][1:] + 0.02)
    # the infrastructure side is untouched apart from the small HY move
    np.testing.assert_array_equal(m["h100"], b["h100"])
    np.testing.assert_array_equal(m["util"], b["util"])


def test_two_sided_bust_anchors() -> None:
    fp, m = _median("two_sided_bust")
    b = _median("base")[1]
    # phase 1: capex accelerates while software erodes; infrastructure still in the base case
    assert m["capex"][12] == pytest.approx(1.5, abs=0.08)
    assert m["budget"][12] > b["budget"][12] + 0.05
    assert m["multiple"][12] < 0.75 and m["sw_bp"][12] - b["sw_bp"][12] > 90
    for k in ("h100", "util", "hy_bp", "access", "sofr"):
        np.testing.assert_array_equal(m[k][:16], b[k][:16])
    # phase 2: the infrastructure side breaks too
    assert m["h100"][24] / b["h100"][24] == pytest.approx(0.55, rel=1e-9)
    assert m["hy_bp"][18] == pytest.approx(900, rel=0.08)
    assert np.all(fp.market_access[:, 18:24] == 0.0)
    assert m["util"][24] == pytest.approx(b["util"][24] - 0.20, abs=0.01)
    assert np.median(fp.tech_earnings[:, 21]) == pytest.approx(-1.2, abs=0.08)
    assert m["capex"][24] < -0.8
    assert m["multiple"][24] < m["multiple"][12]


def test_user_facing_scenario_text_has_no_internal_labels() -> None:
    """Descriptions and anchors are shown in reports: no "S7", "Issue 11" or "DOMAIN 6.1"."""
    import re

    internal = re.compile(r"\bS[1-9]\b|\bIssue \d+|\bDOMAIN\b|\bMETHODS\b")
    for name in bundled_names():
        spec = load_scenario(name).spec
        for text in [spec.description, *spec.anchors]:
            assert not internal.search(text), (name, text)
