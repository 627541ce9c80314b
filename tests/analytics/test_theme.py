"""The two sides of the AI theme: hand-computed cases, oracles and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cliffwatch.analytics import credit_metrics as cm
from cliffwatch.analytics import tables
from cliffwatch.analytics.theme import (
    BOOK_ID,
    TWO_SIDED_MIN_SHARE,
    side_exposure,
    split_measures,
    theme_split_table,
    two_sided,
)
from cliffwatch.codes import Archetype

from .builders import make_portfolio, one_factor_summary

SOFTWARE_BORROWER = int(Archetype.software)
"""make_portfolio gives borrower i the archetype i % len(Archetype): this one is software."""


def _two_sided_book(n_borrowers: int = 10):
    """Borrowers 0..n-1, one facility each; L0 infra only, L1 mixed, L2 holds the software loan
    alone, L3 takes 40% of everything."""
    nb = n_borrowers
    holdings = [(f, 3, 0.4) for f in range(nb)]
    for f in range(nb):
        lender = 2 if f == SOFTWARE_BORROWER else (1 if f % 2 else 0)
        holdings.append((f, lender, 0.6))
    commitments = [1e8 * (1 + f % 3) for f in range(nb)]
    return make_portfolio(list(range(nb)), commitments, [30] * nb, holdings, 4)


def test_hand_computed_tail_of_single_losses() -> None:
    # 100 paths: infra loses 10 on path 0, software 7 on path 1, nothing elsewhere.
    infra, soft = np.zeros(100), np.zeros(100)
    infra[0], soft[1] = 10.0, 7.0
    at99 = split_measures(infra, soft, alpha=0.99)
    # ES99 is the single worst path of each series: 10, 7 and the joint max(10, 7) = 10.
    np.testing.assert_allclose(at99.es_side[0], [10.0, 7.0], rtol=1e-12)
    assert at99.es_joint[0] == pytest.approx(10.0, rel=1e-12)
    assert at99.diversification[0] == pytest.approx(7.0)
    assert at99.diversification_share[0] == pytest.approx(7.0 / 17.0)
    # ES98 averages the worst two paths: 5, 3.5 and (10 + 7) / 2 = 8.5, no diversification.
    at98 = split_measures(infra, soft, alpha=0.98)
    np.testing.assert_allclose(at98.es_side[0], [5.0, 3.5], rtol=1e-12)
    assert at98.es_joint[0] == pytest.approx(8.5)
    assert at98.diversification[0] == pytest.approx(0.0, abs=1e-12)
    # the two losses never coincide: correlation of two disjoint spikes is -1/99
    assert at99.correlation[0] == pytest.approx(np.corrcoef(infra, soft)[0, 1])
    assert at99.correlation[0] == pytest.approx(-1.0 / 99.0)


def test_comonotone_sides_do_not_diversify() -> None:
    x = np.random.default_rng(3).lognormal(0.0, 1.0, 5000)
    m = split_measures(x, 2.5 * x)
    assert m.es_joint[0] == pytest.approx(3.5 * m.es_side[0, 0], rel=1e-12)
    assert m.diversification[0] == pytest.approx(0.0, abs=1e-9 * m.es_joint[0])
    assert m.diversification_se[0] == pytest.approx(0.0, abs=1e-9 * m.es_joint[0])
    assert m.correlation[0] == pytest.approx(1.0)


def test_independent_sides_diversify() -> None:
    rng = np.random.default_rng(11)
    n = 20_000
    infra = rng.lognormal(0.0, 1.0, n) * (rng.random(n) < 0.2)
    soft = rng.lognormal(0.0, 1.0, n) * (rng.random(n) < 0.2)
    m = split_measures(infra, soft)
    assert m.diversification[0] > 4.0 * m.diversification_se[0] > 0.0
    assert 0.1 < m.diversification_share[0] < 1.0
    assert abs(m.correlation[0]) < 4.0 / np.sqrt(n)


def test_diversification_se_matches_its_spread_over_replications() -> None:
    # the delta-method SE of the benefit against the sd of the benefit over independent runs
    rng = np.random.default_rng(5)
    n, reps = 4000, 200
    z = rng.standard_normal((reps, n, 3))
    infra = np.exp(0.7 * z[..., 0] + 0.5 * z[..., 2])
    soft = np.exp(0.7 * z[..., 1] + 0.5 * z[..., 2])
    benefits = [split_measures(infra[r], soft[r], alpha=0.95).diversification[0]
                for r in range(reps)]
    se = split_measures(infra[0], soft[0], alpha=0.95).diversification_se[0]
    assert se == pytest.approx(np.std(benefits, ddof=1), rel=0.25)


def test_side_without_losses_gives_undefined_correlation() -> None:
    x = np.linspace(0.0, 1.0, 200)
    m = split_measures(x, np.zeros_like(x))
    assert np.isnan(m.correlation[0])
    assert m.diversification[0] == pytest.approx(0.0, abs=1e-15)


losses = arrays(np.float64, st.integers(100, 300),
                elements=st.floats(0.0, 1e9, allow_nan=False, allow_subnormal=False))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), alpha=st.sampled_from([0.9, 0.95, 0.99]), weighted=st.booleans())
def test_joint_el_adds_and_joint_es_is_subadditive(data: st.DataObject, alpha: float,
                                                  weighted: bool) -> None:
    infra = data.draw(losses)
    soft = data.draw(arrays(np.float64, infra.shape,
                            elements=st.floats(0.0, 1e9, allow_nan=False,
                                               allow_subnormal=False)))
    weights = None
    if weighted:
        weights = data.draw(arrays(np.float64, infra.shape, elements=st.floats(0.1, 10.0)))
    m = split_measures(infra, soft, alpha=alpha, weights=weights)
    scale = max(1.0, float(infra.max() + soft.max()))
    assert m.el_joint[0] == pytest.approx(m.el_side[0].sum(), rel=1e-12, abs=1e-12 * scale)
    assert m.es_joint[0] <= m.es_side[0].sum() + 1e-9 * scale
    assert m.diversification[0] >= -1e-9 * scale
    assert m.es_joint[0] >= m.var_joint[0] - 1e-9 * scale


def test_table_splits_each_lender_and_the_book_exactly() -> None:
    pa = _two_sided_book()
    s = one_factor_summary(pa, 3000, pd=0.06, rho=0.3, lgd=0.45, horizon=36, seed=4)
    t = theme_split_table("base", pa, s)
    lenders = tables.lender_metrics_table("base", pa, s)
    summary = tables.scenario_summary_table("base", pa, s)
    assert t["lender_id"].tolist() == [*pa.lender_ids, BOOK_ID]
    by_lender = t.iloc[:-1]
    # the joint series is the lender's own loss: the same EL and ES99 as lender_metrics
    np.testing.assert_allclose(by_lender["el_joint"], lenders["el"], rtol=1e-12)
    np.testing.assert_allclose(by_lender["es99_joint"], lenders["es99"], rtol=1e-12)
    np.testing.assert_allclose(t["el_infra"] + t["el_software"], t["el_joint"], rtol=1e-12)
    book = t.iloc[-1]
    assert book["el_joint"] == pytest.approx(summary["el"].iloc[0], rel=1e-12)
    assert book["es99_joint"] == pytest.approx(summary["es99"].iloc[0], rel=1e-12)
    np.testing.assert_allclose(by_lender["exposure_infra"] + by_lender["exposure_software"],
                               cm.lender_exposure(pa), rtol=1e-12)
    assert book["exposure_software"] == pytest.approx(pa.f_commitment[SOFTWARE_BORROWER])
    held_ead = np.bincount(pa.h_lender, pa.h_share * s.fac_ead.mean(axis=0)[pa.h_facility])
    np.testing.assert_allclose(by_lender["ead_infra"] + by_lender["ead_software"], held_ead,
                               rtol=1e-12)
    assert (t["es99_joint"] <= t["es99_infra"] + t["es99_software"] + 1e-6).all()


def test_two_sided_flag_follows_the_documented_rule() -> None:
    pa = _two_sided_book()
    s = one_factor_summary(pa, 500, pd=0.06, rho=0.3, lgd=0.45, horizon=36, seed=4)
    t = theme_split_table("base", pa, s).set_index("lender_id")
    # L0 infra only, L2 software only, L1 infra only too (odd borrowers minus the software one)
    assert not t.loc["L0", "two_sided"] and not t.loc["L2", "two_sided"]
    assert t.loc["L2", "software_share"] == pytest.approx(1.0)
    share = t.loc["L3", "software_share"]
    assert t.loc["L3", "two_sided"] == (TWO_SIDED_MIN_SHARE <= share <= 1 - TWO_SIDED_MIN_SHARE)
    exposure = np.array([[90.0, 10.0], [91.0, 9.0], [0.0, 0.0], [50.0, 50.0], [5.0, 95.0]])
    assert two_sided(exposure).tolist() == [True, False, False, True, False]


def test_book_without_software_borrowers_has_an_empty_software_side() -> None:
    pa = make_portfolio([0, 1, 2, 3], [1e8] * 4, [24] * 4,
                        [(f, f % 2, 1.0) for f in range(4)], 2)
    assert not pa.software_borrowers().any()
    s = one_factor_summary(pa, 400, pd=0.1, rho=0.2, lgd=0.5, horizon=36, seed=2)
    t = theme_split_table("base", pa, s)
    for col in ("exposure_software", "ead_software", "el_software", "es99_software",
                "diversification", "software_share"):
        assert (t[col] == 0.0).all(), col
    assert not t["two_sided"].any()
    np.testing.assert_allclose(t["el_infra"], t["el_joint"], rtol=1e-12)
    np.testing.assert_allclose(side_exposure(pa)[:, 1], 0.0)
