"""compare_runs: input differences and B − A loss deltas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cliffwatch.report.compare import PORTFOLIO, compare_runs

from .fixtures import make_result


def test_identical_runs_have_zero_deltas_and_no_changes() -> None:
    a = make_result(paths=40)
    cmp = compare_runs(a, a)
    assert not cmp.facts["changed"].any()
    assert set(cmp.scenarios["status"]) == {"both"}
    assert (cmp.deltas[["d_el", "d_es99"]] == 0).all().all()


def test_deltas_are_b_minus_a_per_scenario_and_lender() -> None:
    a = make_result(paths=40, seed=1)
    b = make_result(paths=40, seed=2, scenarios=("base", "spread_shock"))
    b.manifest["scenarios"]["base"] = {**b.manifest["scenarios"]["base"], "spread_jump_bp": 7}
    cmp = compare_runs(a, b)
    facts = cmp.facts.set_index("item")["changed"]
    assert facts["seed"] and facts["tape_hash"] and not facts["paths"]
    status = cmp.scenarios.set_index("scenario")["status"]
    assert status.to_dict() == {"base": "changed spec", "spread_shock": "both",
                                "crowded_unwind": "only in A"}
    la = a.table("lender_metrics").set_index(["scenario", "lender_id"])
    lb = b.table("lender_metrics").set_index(["scenario", "lender_id"])
    d = cmp.deltas.set_index(["scenario", "lender_id"])
    key = ("spread_shock", "+PC1")
    assert d.loc[key, "d_el"] == pytest.approx(lb.loc[key, "el"] - la.loc[key, "el"])
    assert d.loc[key, "d_es99"] == pytest.approx(lb.loc[key, "es99"] - la.loc[key, "es99"])
    sa = a.table("scenario_summary").set_index("scenario")
    assert d.loc[("crowded_unwind", PORTFOLIO), "el_a"] == sa.loc["crowded_unwind", "el"]
    assert pd.isna(d.loc[("crowded_unwind", PORTFOLIO), "d_el"])
    n_rows = len(la) + len(sa)
    assert len(cmp.deltas) == n_rows


def test_theme_deltas_are_b_minus_a_of_each_side() -> None:
    a = make_result(paths=40, seed=1)
    b = make_result(paths=40, seed=2, scenarios=("base", "spread_shock"))
    cmp = compare_runs(a, b)
    ta = a.table("theme_split").set_index(["scenario", "lender_id"])
    tb = b.table("theme_split").set_index(["scenario", "lender_id"])
    th = cmp.theme.set_index(["scenario", "lender_id"])
    assert set(th.index) == set(ta.index) | set(tb.index)
    for key in set(ta.index) & set(tb.index):
        for m in ("el_infra", "el_software", "es99_joint", "diversification"):
            assert th.loc[key, f"d_{m}"] == pytest.approx(tb.loc[key, m] - ta.loc[key, m])
    only_a = next(k for k in ta.index if k not in tb.index)
    assert th.loc[only_a, "el_software_a"] == ta.loc[only_a, "el_software"]
    assert pd.isna(th.loc[only_a, "d_el_software"])
    assert (PORTFOLIO in th.index.get_level_values("lender_id"))


def test_no_software_on_either_side_gives_an_empty_theme_table() -> None:
    a = make_result(paths=40)
    a.tables["theme_split"] = a.table("theme_split").iloc[0:0]
    cmp = compare_runs(a, a)
    assert cmp.theme.empty and not cmp.deltas.empty


def test_more_paths_of_the_same_run_use_the_nested_standard_error() -> None:
    a = make_result(paths=40, seed=5)
    b = make_result(paths=160, seed=5)
    b.manifest.update({k: a.manifest[k] for k in ("tape_hash", "horizon", "code_version")})
    b.manifest["scenarios"] = a.manifest["scenarios"]
    d = compare_runs(a, b).deltas.set_index(["scenario", "lender_id"])
    la = a.table("lender_metrics").set_index(["scenario", "lender_id"])
    lb = b.table("lender_metrics").set_index(["scenario", "lender_id"])
    key = ("base", "+PC1")
    nested = (la.loc[key, "el_se"] ** 2 - lb.loc[key, "el_se"] ** 2) ** 0.5
    assert d.loc[key, "d_el_se"] == pytest.approx(abs(nested))
    es = abs(la.loc[key, "es99_se"] ** 2 - lb.loc[key, "es99_se"] ** 2) ** 0.5
    assert d.loc[key, "d_es99_se"] == pytest.approx(es)
    assert d["significant_el"].tolist() == (d["d_el"].abs() > 1.96 * d["d_el_se"]).tolist()


def test_other_inputs_use_the_independent_standard_error() -> None:
    a = make_result(paths=40, seed=1)
    b = make_result(paths=40, seed=2)
    d = compare_runs(a, b).deltas.set_index(["scenario", "lender_id"])
    la = a.table("lender_metrics").set_index(["scenario", "lender_id"])
    lb = b.table("lender_metrics").set_index(["scenario", "lender_id"])
    key = ("spread_shock", "+PC1")
    want = (la.loc[key, "el_se"] ** 2 + lb.loc[key, "el_se"] ** 2) ** 0.5
    assert d.loc[key, "d_el_se"] == pytest.approx(want)


def test_identical_runs_flag_nothing() -> None:
    a = make_result(paths=40)
    d = compare_runs(a, a).deltas
    assert (d["d_el_se"] == 0).all() and not d["significant_el"].any()
    assert not d["significant_es99"].any()


def test_nested_mean_difference_variance_matches_the_documented_formula() -> None:
    """Oracle for the SE formula: replicate nested samples (A = first n_a of B's paths)."""
    rng = np.random.default_rng(3)
    n_a, n_b, reps, sigma = 100, 300, 4000, 2.0
    x = rng.normal(0.0, sigma, size=(reps, n_b))
    diff = x.mean(axis=1) - x[:, :n_a].mean(axis=1)
    want = sigma**2 * (1 / n_a - 1 / n_b)
    assert diff.var(ddof=1) == pytest.approx(want, rel=0.08)
