"""Result tables: schemas, cross-table identities and block concatenation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from cliffwatch.analytics import tables
from cliffwatch.analytics.risk_measures import expected_shortfall
from cliffwatch.results import TABLES

from .builders import make_portfolio, one_factor_summary

HOLDINGS = [(0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.0), (2, 1, 0.7), (3, 0, 0.2), (3, 2, 0.3)]


@pytest.fixture(scope="module")
def run():
    pa = make_portfolio([0, 0, 1, 2], [100.0, 50.0, 80.0, 60.0], [18, 40, 13, 12], HOLDINGS, 3,
                        structures=["abs", "term_loan", "hy_bond", "abs"])
    s = one_factor_summary(pa, 3_000, pd=0.08, rho=0.25, lgd=0.6, horizon=36, seed=21)
    return pa, s


def _schema_ok(name: str, df: pd.DataFrame) -> None:
    assert list(df.columns) == [c for c, _, _ in TABLES[name]]
    assert [str(t) for t in df.dtypes] == [d for _, d, _ in TABLES[name]]


def test_every_table_conforms_to_its_schema(run) -> None:
    pa, s = run
    bumped = dataclasses.replace(s, fac_loss=s.fac_loss * 1.01)
    out = tables.build_tables("base", pa, s, contagion_off=s,
                              bumped={"gpu_value_1pct": (bumped, 1.0)})
    expected = {"scenario_summary", "lender_metrics", "facility_metrics", "borrower_metrics",
                "maturity_wall", "refi_gap", "time_to_cliff", "lender_loss_paths",
                "risk_contributions", "contagion", "drawdowns", "sensitivities", "theme_split",
                "el_benchmark", "pd_benchmark"}
    assert set(out) == expected
    for name, df in out.items():
        _schema_ok(name, df)
        assert len(df) > 0, name


def test_cross_table_identities(run) -> None:
    pa, s = run
    out = tables.build_tables("base", pa, s)
    lm = out["lender_metrics"].set_index("lender_id")
    rc = out["risk_contributions"].groupby("lender_id")["es99_contribution"].sum()
    np.testing.assert_allclose(rc.loc[lm.index], lm["es99"], rtol=1e-12)
    paths = out["lender_loss_paths"].pivot(index="path", columns="lender_id", values="loss")
    np.testing.assert_allclose(paths.mean().loc[lm.index], lm["el"], rtol=1e-12)
    summary = out["scenario_summary"].iloc[0]
    assert summary["el"] == pytest.approx(out["facility_metrics"]["el"].sum(), rel=1e-12)
    assert summary["es99"] == pytest.approx(expected_shortfall(s.fac_loss.sum(axis=1), 0.99))
    assert summary["due_12_24"] == pytest.approx(80.0 + 100.0 + 60.0)  # months 18, 13, 12
    assert summary["paths"] == 3_000
    defaulted = s.fac_ead > 0
    assert summary["lgd"] == pytest.approx(s.fac_loss[defaulted].sum() / s.fac_ead[defaulted].sum())
    assert summary["var99_se"] > 0
    fm = out["facility_metrics"]
    bm = out["borrower_metrics"]
    assert bm["el"].sum() == pytest.approx(fm["el"].sum(), rel=1e-12)
    wall = out["maturity_wall"]
    assert wall["due"].sum() == pytest.approx(290.0)
    assert set(wall["quarter"]) == {"2027Q3", "2028Q1", "2029Q4"}  # months 12, 13 | 18 | 40
    gap = out["refi_gap"]
    assert np.all(gap["failed"] <= gap["due"] + 1e-9)
    assert np.all(gap["failed_p5"] <= gap["failed_p95"])
    assert out["time_to_cliff"]["probability"].sum() <= 1.0


def test_sensitivity_of_a_loss_scaling_bump(run) -> None:
    pa, s = run
    bumped = dataclasses.replace(s, fac_loss=s.fac_loss * 1.01)
    sens = tables.sensitivities_table("base", pa, s, {"gpu_value_1pct": (bumped, 1.0)})
    lm = tables.lender_metrics_table("base", pa, s).set_index("lender_id")
    by = sens.set_index("lender_id")
    np.testing.assert_allclose(by.loc[lm.index, "d_el"], 0.01 * lm["el"], rtol=1e-9)
    np.testing.assert_allclose(by.loc[lm.index, "d_es99"], 0.01 * lm["es99"], rtol=1e-9)
    assert "portfolio" in by.index


def test_concat_summaries_equals_one_big_block(run) -> None:
    pa, s = run
    blocks = []
    for a, b in ((0, 1000), (1000, 1700), (1700, 3000)):
        blocks.append(type(s)(**{f.name: getattr(s, f.name)[a:b]
                                 for f in dataclasses.fields(s)}))
    joined = tables.concat_summaries(blocks)
    for f in dataclasses.fields(s):
        np.testing.assert_array_equal(getattr(joined, f.name), getattr(s, f.name))
    a = tables.build_tables("base", pa, blocks)
    b = tables.build_tables("base", pa, s)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_concat_rejects_mismatched_blocks(run) -> None:
    pa, s = run
    other = one_factor_summary(pa, 10, pd=0.1, rho=0.1, lgd=0.5, horizon=12, seed=1)
    with pytest.raises(ValueError, match="lender_drawn"):
        tables.concat_summaries([s, other])
    with pytest.raises(ValueError, match="no engine summaries"):
        tables.concat_summaries([])


@pytest.mark.parametrize("n_paths", [1, 5])
def test_tiny_runs_build_every_table(run, n_paths: int) -> None:
    pa, _ = run
    s = one_factor_summary(pa, n_paths, pd=0.5, rho=0.2, lgd=0.6, horizon=12, seed=2)
    out = tables.build_tables("tiny", pa, s, contagion_off=s, bumped={"sofr_1bp": (s, 1.0)})
    for name, df in out.items():
        _schema_ok(name, df)
    assert out["scenario_summary"]["paths"].iloc[0] == n_paths


def test_reverse_stress_table(run) -> None:
    from cliffwatch.analytics.reverse_stress import solve_metric

    pa, _ = run
    found = solve_metric(lambda u: 2.0 * u, 0.0, 1.0, threshold=1.0)
    never = solve_metric(lambda u: 2.0 + u, 0.0, 1.0, threshold=1.0)
    df = tables.reverse_stress_table(pa, {0: found, 2: never}, {0: never})
    _schema_ok("reverse_stress", df)
    assert list(df["borrower_id"]) == ["B0", "B2"]
    assert df["utilization_threshold"][0] == pytest.approx(0.5)
    assert df[["utilization_threshold", "rent_decline_threshold"]].isna().to_numpy().tolist() == [
        [False, True], [True, True]]
