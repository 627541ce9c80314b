"""Plotly figures of the HTML report, one function per chart, each from RunResult tables.

Every function returns ``None`` when its table is empty, so a run that did not produce a table
simply has no chart for it. Money axes are in USD millions or billions as labelled.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cliffwatch.analytics.theme import BOOK_ID
from cliffwatch.results import RunResult

CLIFF_WINDOW_MONTHS = (12, 24)
"""The refinancing window the committee watches most closely, months from valuation."""
EXCEEDANCE_LEVELS = np.unique(np.concatenate([
    np.linspace(0.0, 0.9, 46), 1.0 - np.logspace(-1, -3.3, 70),
]))
"""Quantile levels at which loss exceedance curves are drawn (dense in the tail)."""
TOP_CONTRIBUTORS = 15
"""Facilities shown in the risk-contribution chart."""
USD_BN, USD_M = 1e9, 1e6
CHART_HEIGHT_PX = 380
BAR_HEIGHT_PX = 26
"""Height per bar of horizontal bar charts."""
BAND_OPACITY = 0.12
"""Fill opacity of the outer fan-chart band (the inner band has twice that)."""
PERCENT_FACTORS = frozenset({"sofr", "spread", "utilization"})
"""Factors that are decimal rates or shares, shown as percentages."""
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


GRID_COLOR = "#e5eaf0"
REPORT_TEMPLATE = go.layout.Template(layout={
    "plot_bgcolor": "white", "paper_bgcolor": "white", "colorway": PALETTE,
    "font": {"family": "Helvetica, Arial, sans-serif", "size": 12},
    "xaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR},
    "yaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR},
})
"""A small white template: plotly's stock templates cost a deep copy per figure (~0.1 s)."""


def _figure(data: Any) -> go.Figure:
    return go.Figure(data, layout={"template": REPORT_TEMPLATE})


def _layout(fig: go.Figure, title: str, y_title: str, x_title: str = "") -> go.Figure:
    fig.update_layout(title=title, height=CHART_HEIGHT_PX,
                      margin={"l": 60, "r": 20, "t": 50, "b": 50}, yaxis_title=y_title,
                      xaxis_title=x_title, legend={"orientation": "h", "y": -0.2})
    return fig


def argmax_label(values: pd.Series, labels: pd.Series) -> str | None:
    """Label of the largest value (NaNs ignored; the first label if all are NaN)."""
    if values.empty:
        return None
    v = values.astype(float).reset_index(drop=True)
    pos = 0 if v.isna().all() else int(v.idxmax())
    return str(labels.iloc[pos])


def worst_scenario(result: RunResult) -> str | None:
    """The scenario with the highest portfolio ES99 (the one detailed charts show)."""
    s = result.table("scenario_summary")
    if s.empty:
        lm = result.table("lender_metrics")
        return None if lm.empty else str(lm["scenario"].iloc[0])
    return argmax_label(s["es99"], s["scenario"])


def maturity_wall(result: RunResult) -> go.Figure | None:
    """Contractual principal due per quarter, stacked by structure (USD bn)."""
    t = result.table("maturity_wall")
    if t.empty:
        return None
    wide = t.pivot_table(index="quarter", columns="structure", values="due", aggfunc="sum",
                         sort=True).fillna(0.0)
    fig = _figure([go.Bar(name=str(s), x=wide.index.tolist(), y=(wide[s] / USD_BN).tolist(),
                            hovertemplate="%{x}: $%{y:.2f}bn") for s in wide.columns])
    fig.update_layout(barmode="stack")
    return _layout(fig, "Maturity wall by structure", "USD bn due", "quarter")


def refi_gap(result: RunResult) -> go.Figure | None:
    """Expected debt failing to refinance per quarter and scenario, bars with 5–95% range."""
    t = result.table("refi_gap")
    if t.empty:
        return None
    bars = []
    for s, g in t.groupby("scenario", sort=False):
        failed = g["failed"] / USD_M
        bars.append(go.Bar(
            name=str(s), x=g["quarter"].tolist(), y=failed.tolist(),
            error_y={"type": "data", "symmetric": False,
                     "array": (g["failed_p95"] / USD_M - failed).tolist(),
                     "arrayminus": (failed - g["failed_p5"] / USD_M).tolist(),
                     # thin and faint: the 5-95% range informs, the bars carry the message
                     "thickness": 1, "width": 2, "color": "rgba(60,60,60,0.45)"},
            hovertemplate="%{x}: $%{y:,.1f}m"))
    fig = _figure(bars)
    fig.update_layout(barmode="group")
    return _layout(fig, "Refinancing gap (expected failed refinancing; whiskers 5–95%)",
                   "USD m failing", "quarter")


def time_to_cliff(result: RunResult) -> go.Figure | None:
    """Probability of the first cliff in each month, per scenario, 12–24 months shaded."""
    t = result.table("time_to_cliff")
    if t.empty:
        return None
    fig = _figure([go.Scatter(name=str(s), x=g["month"].tolist(),
                                y=g["probability"].tolist(), mode="lines+markers",
                                hovertemplate="month %{x}: %{y:.2%}")
                     for s, g in t.groupby("scenario", sort=False)])
    lo, hi = CLIFF_WINDOW_MONTHS
    fig.add_vrect(x0=lo, x1=hi, fillcolor="#f4a261", opacity=0.2, line_width=0,
                  annotation_text=f"{lo}–{hi} month window", annotation_position="top left")
    fig.update_yaxes(tickformat=".1%")
    return _layout(fig, "Time to cliff (first failed refinancing or DSCR < 1)",
                   "probability per borrower-path", "months from valuation")


def loss_exceedance(result: RunResult, scenario: str | None) -> go.Figure | None:
    """Probability that each lender's loss exceeds x, in ``scenario`` (log scale)."""
    t = result.table("lender_loss_paths")
    t = t[t["scenario"] == scenario]
    if t.empty:
        return None
    traces = []
    for lid, g in t.groupby("lender_id", sort=False):
        x = np.quantile(g["loss"].to_numpy(dtype=float), EXCEEDANCE_LEVELS) / USD_M
        traces.append(go.Scatter(name=str(lid), x=x.tolist(),
                                 y=(1.0 - EXCEEDANCE_LEVELS).tolist(), mode="lines",
                                 line_shape="hv", hovertemplate="P(loss > $%{x:,.1f}m) = %{y:.3%}"))
    fig = _figure(traces)
    fig.update_yaxes(type="log", tickformat=".1%")
    return _layout(fig, f"Loss exceedance per lender — {scenario}", "probability of exceeding",
                   "loss over the horizon, USD m")


def lender_es(result: RunResult) -> go.Figure | None:
    """ES99 per lender and scenario with ±1.96 standard-error whiskers (USD m)."""
    t = result.table("lender_metrics")
    if t.empty:
        return None
    z95 = 1.96  # two-sided 95% normal quantile
    fig = _figure([go.Bar(name=str(s), x=g["lender_id"].tolist(),
                            y=(g["es99"] / USD_M).tolist(),
                            error_y={"type": "data",
                                     "array": (z95 * g["es99_se"] / USD_M).tolist()},
                            hovertemplate="%{x}: ES99 $%{y:,.1f}m")
                     for s, g in t.groupby("scenario", sort=False)])
    fig.update_layout(barmode="group")
    return _layout(fig, "Expected shortfall 99% per lender (whiskers: 95% MC interval)",
                   "USD m", "lender")


def top_contributors(result: RunResult, scenario: str | None) -> go.Figure | None:
    """Largest Euler contributions to lender ES99 in ``scenario`` (USD m)."""
    t = result.table("risk_contributions")
    t = t[t["scenario"] == scenario]
    if t.empty:
        return None
    top = t.nlargest(TOP_CONTRIBUTORS, "es99_contribution").iloc[::-1]
    labels = (top["facility_id"].astype(str) + " → " + top["lender_id"].astype(str)).tolist()
    fig = _figure(go.Bar(x=(top["es99_contribution"] / USD_M).tolist(), y=labels,
                           orientation="h", hovertemplate="%{y}: $%{x:,.1f}m"))
    fig = _layout(fig, f"Top contributors to lender ES99 — {scenario}", "", "USD m")
    fig.update_layout(height=max(CHART_HEIGHT_PX, BAR_HEIGHT_PX * len(top) + 100))
    fig.update_yaxes(automargin=True)  # facility and lender ids vary in length
    return fig


def contagion_scenario(result: RunResult) -> str | None:
    """The scenario where contagion adds the most ES99 (the one the chart shows)."""
    t = result.table("contagion")
    if t.empty:
        return None
    extra = (t["es99_on"] - t["es99_off"]).groupby(t["scenario"], sort=False).sum()
    return argmax_label(extra, extra.index.to_series())


def contagion(result: RunResult) -> go.Figure | None:
    """EL and ES99 per lender with fire-sale contagion off and on (USD m)."""
    scenario = contagion_scenario(result)
    t = result.table("contagion")
    t = t[t["scenario"] == scenario]
    if t.empty:
        return None
    x = t["lender_id"].tolist()
    fig = _figure([
        go.Bar(name=f"{label}", x=x, y=(t[col] / USD_M).tolist(),
               hovertemplate="%{x}: $%{y:,.1f}m")
        for col, label in [("el_off", "EL, contagion off"), ("el_on", "EL, contagion on"),
                           ("es99_off", "ES99, contagion off"), ("es99_on", "ES99, contagion on")]
    ])
    fig.update_layout(barmode="group")
    return _layout(fig, f"Contagion amplification — {scenario}", "USD m", "lender")


def drawdowns(result: RunResult) -> go.Figure | None:
    """Expected drawn amount on committed facilities, all lenders, per scenario (USD m)."""
    t = result.table("drawdowns")
    if t.empty:
        return None
    total = t.groupby(["scenario", "month"], sort=False)[["drawn", "undrawn"]].sum().reset_index()
    fig = _figure([go.Scatter(name=str(s), x=g["month"].tolist(),
                                y=(g["drawn"] / USD_M).tolist(), mode="lines",
                                hovertemplate="month %{x}: $%{y:,.1f}m drawn")
                     for s, g in total.groupby("scenario", sort=False)])
    return _layout(fig, "Committed-facility drawdowns (expected drawn, all lenders)", "USD m",
                   "months from valuation")


THEME_SIDES: tuple[tuple[str, str, str], ...] = (
    ("el_infra", "infrastructure", "#1f77b4"), ("el_software", "software", "#ff7f0e"),
)
"""(column, legend label, colour) of the two sides of the AI theme."""
THEME_CHART_HEIGHT_PX = 480
"""Height of the AI-theme chart: its x axis carries lender and scenario labels."""


def has_software_side(result: RunResult) -> bool:
    """Whether any lender of the run holds software-side exposure (``theme_split`` table)."""
    t = result.table("theme_split")
    return bool((t["exposure_software"].fillna(0.0) > 0).any())


def theme_el(result: RunResult) -> go.Figure | None:
    """EL per lender and scenario stacked by side of the AI theme (USD m); ``None`` when the
    run has no theme split or no software side (one side only: nothing to split)."""
    t = result.table("theme_split")
    t = t[t["lender_id"] != BOOK_ID]
    if t.empty or not has_software_side(result):
        return None
    x = [t["lender_id"].astype(str).tolist(), t["scenario"].astype(str).tolist()]
    fig = _figure([go.Bar(name=label, x=x, y=(t[col] / USD_M).tolist(), marker_color=color,
                          hovertemplate=f"%{{x}}: {label} EL $%{{y:,.1f}}m")
                   for col, label, color in THEME_SIDES])
    fig.update_layout(barmode="stack")
    fig = _layout(fig, "Expected loss per lender and scenario, by side of the AI theme",
                  "USD m", "")
    # two rows of category labels (scenario under lender) need the room below the axis, so
    # the legend goes above the plot
    fig.update_layout(height=THEME_CHART_HEIGHT_PX,
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    fig.update_xaxes(automargin=True, tickangle=-45)
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def fan_chart(result: RunResult, factor: str) -> go.Figure | None:
    """Percentile bands (5–95%, 25–75%) and median of ``factor`` per scenario.

    All bands are drawn first and the medians on top, so no scenario's band hides
    another's median.
    """
    t = result.table("fan_charts")
    t = t[t["factor"] == factor]
    if t.empty:
        return None
    bands, medians = [], []
    for i, (s, g) in enumerate(t.groupby("scenario", sort=False)):
        color = PALETTE[i % len(PALETTE)]
        months = g["month"].tolist()
        for lo, hi, alpha in [("p5", "p95", BAND_OPACITY), ("p25", "p75", 2 * BAND_OPACITY)]:
            bands.append(go.Scatter(x=months + months[::-1],
                                    y=g[lo].tolist() + g[hi].tolist()[::-1], fill="toself",
                                    fillcolor=_rgba(color, alpha), line={"width": 0},
                                    legendgroup=str(s), showlegend=False, hoverinfo="skip"))
        medians.append(go.Scatter(name=str(s), x=months, y=g["p50"].tolist(), mode="lines",
                                  line={"color": color, "width": 2}, legendgroup=str(s)))
    fig = _layout(_figure(bands + medians), f"Scenario fan chart — {factor}", factor,
                  "months from valuation")
    if factor in PERCENT_FACTORS:
        fig.update_yaxes(tickformat=".1%")
    return fig


def fan_factors(result: RunResult) -> list[str]:
    """Factors that have fan-chart data, in table order."""
    return list(dict.fromkeys(result.table("fan_charts")["factor"].astype(str).tolist()))
