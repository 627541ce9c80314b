"""One borrower's month-by-month cash flows under a scenario, on the scenario's median path.

The same computation as ``cliffwatch project``: the engine's :func:`~cliffwatch.engine.run.trace`
on :func:`~cliffwatch.runs.montecarlo.median_path`. Figures are specific to the trace (the report
has no per-borrower chart), drawn with the report's template and palette.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from cliffwatch.engine.run import trace
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import Scenario
from cliffwatch.report.charts import CHART_HEIGHT_PX, REPORT_TEMPLATE, USD_M
from cliffwatch.runs.montecarlo import median_path
from cliffwatch.runs.params import engine_params
from cliffwatch.tape.arrays import PortfolioArrays

TRACE_CACHE_SIZE = 32
"""Median paths kept in memory (per tape, scenario, seed and horizon)."""
CASH_SERIES: tuple[tuple[str, str], ...] = (
    ("revenue", "revenue"), ("opex", "operating cost"), ("cfads", "CFADS"),
    ("debt_service", "debt service"), ("cash_close", "cash (end of month)"),
    ("revolver_draw", "revolver draw"),
)
"""Borrower trace columns drawn on the cash chart, with their legend labels."""
BRIDGE_COLUMNS = ["month", "cash_open", "revenue", "opex", "capex", "rvg", "draws",
                  "revolver_draw", "distribution_in", "debt_service", "sweep", "refi_paydown",
                  "default_cash", "distribution_out", "cash_close", "cfads", "dscr", "ltv",
                  "utilization", "arr", "ebitda", "status"]
"""Columns of the cash-bridge table shown under the charts."""


@dataclass(frozen=True)
class BorrowerTrace:
    """A borrower's trace: the cash bridge, its facilities and the path's outcome.

    ``borrower`` and ``facility`` are the engine's trace tables restricted to the borrower
    (USD per month); ``default_month`` and ``cliff_month`` are months or negative if none.
    """

    borrower_id: str
    scenario: str
    borrower: pd.DataFrame
    facility: pd.DataFrame
    default_month: int
    default_cause: str
    cliff_month: int


_MEDIANS: OrderedDict[tuple[str, str, int, int], FactorPaths] = OrderedDict()
_MEDIANS_LOCK = threading.Lock()


def _median(pa: PortfolioArrays, scenario: Scenario, seed: int, horizon: int) -> FactorPaths:
    """The scenario's median path, cached by tape digest, scenario spec, seed and horizon."""
    key = (pa.digest(), json.dumps(scenario.spec.model_dump(mode="json"), sort_keys=True),
           seed, horizon)
    with _MEDIANS_LOCK:
        if key in _MEDIANS:
            _MEDIANS.move_to_end(key)
            return _MEDIANS[key]
    fp = median_path(pa, scenario, seed, horizon)
    with _MEDIANS_LOCK:
        _MEDIANS[key] = fp
        while len(_MEDIANS) > TRACE_CACHE_SIZE:
            _MEDIANS.popitem(last=False)
    return fp


def borrower_trace(pa: PortfolioArrays, scenario: Scenario, borrower_id: str, seed: int,
                   horizon: int) -> BorrowerTrace:
    """Trace ``borrower_id`` under ``scenario`` (``KeyError`` if the tape has no such id)."""
    if borrower_id not in pa.borrower_ids:
        raise KeyError(borrower_id)
    b = pa.borrower_ids.index(borrower_id)
    frames = trace(pa, _median(pa, scenario, seed, horizon), engine_params(scenario), horizon,
                   path=0, borrowers=[b])
    s = frames["summary"].iloc[0]
    return BorrowerTrace(borrower_id, scenario.name, frames["borrower"], frames["facility"],
                         int(s["default_month"]), str(s["default_cause"]),
                         int(s["cliff_month"]))


def cash_figure(t: BorrowerTrace) -> go.Figure:
    """Revenue, cost, CFADS, debt service and cash per month (USD m)."""
    b = t.borrower
    fig = go.Figure([go.Scatter(name=label, x=b["month"].tolist(), y=(b[col] / USD_M).tolist(),
                                mode="lines", hovertemplate="month %{x}: $%{y:,.2f}m")
                     for col, label in CASH_SERIES], layout={"template": REPORT_TEMPLATE})
    if t.default_month >= 0:
        fig.add_vline(x=t.default_month, line_color="#d62728", line_dash="dash",
                      annotation_text=f"default ({t.default_cause})")
    fig.update_layout(title=f"{t.borrower_id} — cash flows under {t.scenario} (median path)",
                      height=CHART_HEIGHT_PX, yaxis_title="USD m", xaxis_title="month",
                      legend={"orientation": "h", "y": -0.2})
    return fig


def balance_figure(t: BorrowerTrace) -> go.Figure:
    """Outstanding balance of each of the borrower's facilities per month (USD m)."""
    f = t.facility
    fig = go.Figure([go.Scatter(name=str(fid), x=g["month"].tolist(),
                                y=(g["balance"] / USD_M).tolist(), mode="lines",
                                line_shape="hv", hovertemplate="month %{x}: $%{y:,.2f}m")
                     for fid, g in f.groupby("facility_id", sort=False)],
                    layout={"template": REPORT_TEMPLATE})
    fig.update_layout(title=f"{t.borrower_id} — facility balances", height=CHART_HEIGHT_PX,
                      yaxis_title="USD m", xaxis_title="month",
                      legend={"orientation": "h", "y": -0.2})
    return fig


def bridge_table(t: BorrowerTrace) -> pd.DataFrame:
    """The month-by-month cash bridge (USD; dscr and ltv as ratios)."""
    return t.borrower[BRIDGE_COLUMNS].reset_index(drop=True)
