"""Small Dash building blocks: tables of DataFrames, messages, figure placeholders.

Cells are Dash components holding plain text, which React escapes: a tape string such as
``<script>`` is shown as those characters, never interpreted. No component here uses
``dangerously_set_inner_html``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from cliffwatch.report.columns import column_kind
from cliffwatch.report.format import fmt_value

LOG = logging.getLogger("cliffwatch.app")
MAX_TABLE_ROWS = 400
"""Rows rendered in one HTML table (the caption says when rows were left out)."""
GRAPH_CONFIG = dcc.Graph.Config(displaylogo=False, responsive=True)


def cell_text(df: pd.DataFrame, table: str, column: str, value: Any) -> str:
    """A result cell formatted like the report (USD in $m/$bn, percentages, integers)."""
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    return fmt_value(value, column_kind(table, column)) if table else (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def frame_table(df: pd.DataFrame, table: str = "", *, table_id: str | None = None,
                link: tuple[str, Callable[[Any], dict[str, str]]] | None = None,
                max_rows: int = MAX_TABLE_ROWS) -> html.Div:
    """A Bootstrap table of ``df``; ``table`` names the result table for number formats.

    ``link = (column, make_id)`` turns that column's cells into link buttons whose id is
    ``make_id(value)`` (pattern-matching callbacks use them).
    """
    shown = df.head(max_rows)
    head = html.Thead(html.Tr([html.Th(str(c)) for c in shown.columns]))
    rows = []
    for rec in shown.itertuples(index=False):
        cells = []
        for col, value in zip(shown.columns, rec, strict=True):
            text = cell_text(shown, table, str(col), value)
            if link is not None and col == link[0]:
                cells.append(html.Td(dbc.Button(text, id=link[1](value), color="link",
                                                size="sm", className="p-0")))
            else:
                cells.append(html.Td(text))
        rows.append(html.Tr(cells))
    attrs = {"id": table_id} if table_id else {}
    body = dbc.Table([head, html.Tbody(rows)], bordered=False, hover=True, size="sm",
                     striped=True, responsive=True, className="small", **attrs)
    note = ([html.P(f"showing {max_rows} of {len(df)} rows", className="text-muted small")]
            if len(df) > max_rows else [])
    return html.Div([body, *note])


def alert(text: str | Sequence[Any], color: str = "danger", alert_id: str | None = None
          ) -> dbc.Alert:
    """A message box; multi-line text keeps its line breaks."""
    attrs = {"id": alert_id} if alert_id else {}
    return dbc.Alert(html.Pre(text, className="mb-0", style={"whiteSpace": "pre-wrap"})
                     if isinstance(text, str) else text, color=color, **attrs)


def failure(what: str, exc: BaseException) -> dbc.Alert:
    """An unexpected error as a message (and in the server log with its traceback)."""
    LOG.exception("%s failed", what)
    return alert(f"{what} failed: {type(exc).__name__}: {exc}", "danger", "unexpected-error")


def graph(fig: go.Figure | None, graph_id: str, empty: str = "no data for this selection"
          ) -> html.Div:
    """A chart, or a short note when the report's chart function returned ``None``."""
    if fig is None:
        return html.Div(html.P(empty, className="text-muted"), id=graph_id)
    return html.Div(dcc.Graph(figure=clear_of_toolbar(fig), config=GRAPH_CONFIG), id=graph_id)


TOOLBAR_CLEARANCE_PX = 70
"""Top margin that keeps a left-aligned title below plotly's toolbar row (top right)."""


def clear_of_toolbar(fig: go.Figure) -> go.Figure:
    """Title at the left and a top margin for the toolbar, so the two never overlap."""
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 0
    fig.update_layout(title={"x": 0.0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
                      margin={"t": max(top, TOOLBAR_CLEARANCE_PX)})
    return fig
