"""The rating-implied benchmark against hand-computed cases, and its tables' identities."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cliffwatch.analytics import benchmark as bm
from cliffwatch.analytics import tables
from cliffwatch.analytics.benchmark_tables import (
    BOOK_ID,
    UNALLOCATED_ID,
    el_benchmark_table,
    pd_benchmark_table,
)
from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.default_studies import load_default_studies

from .builders import make_portfolio, one_factor_summary

STUDIES = load_default_studies()
BB_5Y, BB_1Y, BB_2Y = 0.0745, 0.0072, 0.0224
"""The bundled S&P figures the hand computation reads (BB at 5, 1 and 2 years)."""


def _three_facility_tape():  # type: ignore[no-untyped-def]
    """B0 (BB): F0 secured rank 1, 100 drawn; F1 unsecured rank 2, 40 committed, 10 drawn.
    B1 (NR, parent B0): F2 unsecured rank 1, 50 committed, 70 drawn (over the commitment).
    Holdings: F0 50/50 L0/L1, F1 all L0, F2 40% L1 (60% held by nobody on the tape)."""
    pa = make_portfolio([0, 0, 1], [100.0, 40.0, 50.0], [60, 60, 60],
                        [(0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.0), (2, 1, 0.4)], 2)
    return dataclasses.replace(
        pa,
        b_rating=np.array([Rating.BB, Rating.NR], dtype=np.int8),
        b_parent=np.array([-1, 0], dtype=np.int32),
        f_secured=np.array([True, False, False]),
        f_rank=np.array([1, 2, 1], dtype=np.int32),
        f_drawn=np.array([100.0, 10.0, 70.0]),
    )


def test_three_facility_benchmark_by_hand() -> None:
    pa = _three_facility_tape()
    fb = bm.facility_benchmark(pa, 60, STUDIES)
    # EAD: commitment, or drawn where larger; PD: BB five-year (B1 takes its parent's BB);
    # LGD: senior secured 35%, senior unsecured 60% (F1 is B0's best unsecured rank).
    np.testing.assert_allclose(fb.ead, [100.0, 40.0, 70.0])
    np.testing.assert_allclose(fb.pd, [BB_5Y] * 3)
    np.testing.assert_allclose(fb.lgd, [0.35, 0.60, 0.60])
    expected = [100 * BB_5Y * 0.35, 40 * BB_5Y * 0.60, 70 * BB_5Y * 0.60]
    np.testing.assert_allclose(fb.el, expected)  # 2.60750, 1.78800, 3.12900
    per_lender, other = bm.split_by_holder(fb.el, pa)
    np.testing.assert_allclose(per_lender, [0.5 * 2.6075 + 1.788, 0.5 * 2.6075 + 0.4 * 3.129])
    assert other == pytest.approx(0.6 * 3.129)
    assert per_lender.sum() + other == pytest.approx(sum(expected))


def test_horizon_interpolates_in_years() -> None:
    pa = _three_facility_tape()
    fb = bm.facility_benchmark(pa, 18, STUDIES)
    np.testing.assert_allclose(fb.pd, [(BB_1Y + BB_2Y) / 2] * 3)
    assert float(STUDIES.cumulative_pd(np.array([Rating.BB]), 6)[0]) == pytest.approx(BB_1Y / 2)


def test_seniority_classes_from_rank_and_security() -> None:
    pa = make_portfolio([0, 0, 0, 0, 1], [1.0] * 5, [12] * 5, [(0, 0, 1.0)], 1)
    pa = dataclasses.replace(pa, f_secured=np.array([True, True, False, False, False]),
                             f_rank=np.array([1, 2, 2, 3, 4], dtype=np.int32))
    # first lien, second lien (-> senior unsecured), best unsecured, junior unsecured, a
    # lone unsecured facility of another borrower (its best unsecured rank)
    assert bm.seniority_classes(pa).tolist() == [0, 1, 1, 2, 1]


def test_unrated_borrowers_take_parent_then_archetype_letter() -> None:
    pa = make_portfolio([0, 1, 2, 3], [1.0] * 4, [12] * 4, [(0, 0, 1.0)], 1)
    pa = dataclasses.replace(
        pa,
        b_rating=np.array([Rating.A, Rating.NR, Rating.NR, Rating.NR], dtype=np.int8),
        b_parent=np.array([-1, 0, 3, -1], dtype=np.int32),
        b_archetype=np.array([Archetype.hyperscaler, Archetype.gpu_spv, Archetype.gpu_spv,
                              Archetype.colo_reit], dtype=np.int8),
    )
    letters, bases = bm.benchmark_ratings(pa, STUDIES)
    colo = Rating[STUDIES.unrated.by_archetype.value["colo_reit"]]
    spv = Rating[STUDIES.unrated.by_archetype.value["gpu_spv"]]
    # B1: rated parent; B2: parent unrated too, so its own archetype; B3: archetype
    assert letters.tolist() == [Rating.A, Rating.A, spv, colo]
    assert bases == ["tape", "parent", "archetype", "archetype"]


def test_weighted_lgd_by_hand() -> None:
    pd_, ead = np.array([0.5, 0.2, 0.0]), np.array([100.0, 50.0, np.nan])
    el = np.array([10.0, 4.0, 0.0])
    # (10 + 4) / (0.5*100 + 0.2*50); the facility that never defaults carries no weight
    assert bm.weighted_lgd(pd_, ead, el) == pytest.approx(14.0 / 60.0)
    assert np.isnan(bm.weighted_lgd(np.zeros(2), np.full(2, np.nan), np.zeros(2)))


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    pa = make_portfolio([0, 0, 1, 2], [100.0, 50.0, 80.0, 60.0], [18, 40, 13, 12],
                        [(0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.0), (2, 1, 0.7), (3, 0, 0.2)], 2)
    return pa, one_factor_summary(pa, 2_000, pd=0.08, rho=0.25, lgd=0.6, horizon=36, seed=5)


def test_el_benchmark_rows_add_up(run) -> None:  # type: ignore[no-untyped-def]
    pa, s = run
    t = el_benchmark_table("base", pa, s).set_index("lender_id")
    parts = t.drop(index=BOOK_ID)
    assert list(parts.index) == [*pa.lender_ids, UNALLOCATED_ID]
    for col in ("exposure", "model_el", "benchmark_el"):
        assert parts[col].sum() == pytest.approx(t.loc[BOOK_ID, col], rel=1e-12)
    summary = tables.scenario_summary_table("base", pa, s).iloc[0]
    assert t.loc[BOOK_ID, "model_el"] == pytest.approx(summary["el"], rel=1e-12)
    assert summary["benchmark_el"] == pytest.approx(t.loc[BOOK_ID, "benchmark_el"])
    assert summary["el_to_benchmark"] == pytest.approx(summary["el"] / summary["benchmark_el"])
    # every facility loses 60% of its exposure at default in this summary
    assert summary["weighted_lgd"] == pytest.approx(0.6, rel=1e-12)
    np.testing.assert_allclose(t["ratio"], t["model_el"] / t["benchmark_el"])


def test_pd_benchmark_matches_borrower_pd(run) -> None:  # type: ignore[no-untyped-def]
    pa, s = run
    t = pd_benchmark_table("base", pa, s)
    bm_pd = tables.borrower_metrics_table("base", pa, s)["pd"].to_numpy()
    np.testing.assert_allclose(t["pd60"], bm_pd)  # 60 months capped at the 36-month horizon
    bb = STUDIES.cumulative_pd(np.array([Rating.BB]), 36)[0]
    np.testing.assert_allclose(t["implied_pd60"], bb)
    np.testing.assert_allclose(t["implied_pd12"], BB_1Y)
    np.testing.assert_allclose(t["ratio24"], t["pd24"] / t["implied_pd24"])
    assert set(t["rating_basis"]) == {"tape"}
