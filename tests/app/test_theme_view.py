"""The dashboard's AI-theme view reuses the report's table and chart builders."""

from __future__ import annotations

import json

import numpy as np
import plotly
from tests.report.fixtures import LENDERS, make_result

from cliffwatch.analytics.theme import BOOK_ID
from cliffwatch.app.explore import Filters, filter_result
from cliffwatch.app.explore_callbacks import charts_view, theme_view
from cliffwatch.report.theme import NO_SOFTWARE_TEXT
from cliffwatch.results import RunResult


def _json(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_theme_table_and_chart_are_in_the_explore_view() -> None:
    r = make_result(paths=100, scenarios=("base", "crowded_unwind"))
    view = _json(theme_view(r, "crowded_unwind"))
    assert "theme-table" in view and "crowded_unwind" in view
    for _, name in LENDERS:
        assert json.dumps(name)[1:-1] in view  # a text child: React escapes it
    assert '"yes"' in view and '"no"' in view
    charts = _json(charts_view(r, "crowded_unwind"))
    assert "chart-ai-theme" in charts and "infrastructure" in charts


def test_lender_filter_narrows_the_theme_split() -> None:
    r = make_result(paths=60, scenarios=("base",))
    lender = LENDERS[1][0]
    out = filter_result(r, Filters(lenders=(lender,)))
    assert out.table("theme_split")["lender_id"].tolist() == [lender]
    assert BOOK_ID in r.table("theme_split")["lender_id"].tolist()


def test_book_without_software_says_so_and_draws_no_chart() -> None:
    r = make_result(paths=60, scenarios=("base",))
    t = r.tables["theme_split"].copy()
    t["exposure_software"] = 0.0
    r = RunResult(tables={**r.tables, "theme_split": t}, manifest=r.manifest)
    view = _json(theme_view(r, "base"))
    assert "theme-table" not in view and json.dumps(NO_SOFTWARE_TEXT)[1:-1] in view
    assert "no data for this selection" in _json(charts_view(r, "base")[-1])


def test_a_real_run_carries_the_split_of_its_book(small_run: RunResult) -> None:
    t = small_run.table("theme_split")
    lenders = small_run.table("lender_metrics")
    assert len(t) == len(lenders) + lenders["scenario"].nunique()
    book = t[t["lender_id"] == BOOK_ID].set_index("scenario")
    summary = small_run.table("scenario_summary").set_index("scenario")
    np.testing.assert_allclose(book["el_joint"], summary.loc[book.index, "el"], rtol=1e-12)
    np.testing.assert_allclose(book["es99_joint"], summary.loc[book.index, "es99"], rtol=1e-12)
    np.testing.assert_allclose(t["el_infra"] + t["el_software"], t["el_joint"], rtol=1e-9)
