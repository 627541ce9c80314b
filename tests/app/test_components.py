"""Dashboard conventions: booleans read Yes/No, chart titles clear of the toolbar, the run
list above the run form, and the template's valuation date equal to the sample's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cliffwatch.app.components import TOOLBAR_CLEARANCE_PX, cell_text, clear_of_toolbar, graph
from cliffwatch.app.layout import run_tab
from cliffwatch.report.format import fmt_value
from cliffwatch.sample import load_sample
from cliffwatch.tape.template import template_portfolio


def test_booleans_read_yes_and_no() -> None:
    df = pd.DataFrame({"two_sided": [True, False]})
    assert [cell_text(df, "theme_split", "two_sided", v) for v in (True, np.bool_(False))] == \
        ["Yes", "No"]
    assert cell_text(df, "", "flag", True) == "Yes"
    assert fmt_value(np.bool_(True), "text") == "Yes"


def test_chart_titles_sit_left_below_the_toolbar_row() -> None:
    fig = go.Figure(layout={"title": "Refinancing gap", "margin": {"t": 30}})
    out = clear_of_toolbar(fig)
    assert out.layout.title.x == 0.0 and out.layout.title.xanchor == "left"
    assert out.layout.margin.t == TOOLBAR_CLEARANCE_PX
    assert graph(go.Figure(), "g").children.figure.layout.margin.t == TOOLBAR_CLEARANCE_PX


def test_run_list_comes_before_the_run_form() -> None:
    ids = [getattr(c, "id", None) for c in run_tab().children.children]
    assert ids.index("jobs-panel") < ids.index("start-run")


def test_template_and_sample_share_the_valuation_date() -> None:
    assert template_portfolio().info.as_of == load_sample().info.as_of
