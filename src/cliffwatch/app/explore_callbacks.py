"""Callbacks of the runs and compare tabs: pick a stored run, filter, chart, trace, compare."""

from __future__ import annotations

import re
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from cliffwatch.app import trace_view
from cliffwatch.app.components import alert, failure, frame_table, graph
from cliffwatch.app.explore import Filters, filter_result, options
from cliffwatch.app.services import Services
from cliffwatch.market.scenario import Scenario, ScenarioSpec
from cliffwatch.report import charts
from cliffwatch.report.compare import DELTA_NOTE, compare_runs, delta_display
from cliffwatch.report.format import fmt_num, fmt_pct, fmt_usd
from cliffwatch.report.theme import NO_SOFTWARE_TEXT, NO_SPLIT_TEXT, theme_table
from cliffwatch.results import RunResult
from cliffwatch.store.errors import StoreError

RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""Shape of a run id accepted from the browser."""
BORROWER_COLUMNS = ["borrower_id", "borrower_name", "archetype", "rating", "pd", "pd_maturity",
                    "el", "median_default_month", "p_cliff_12_24"]
RATIO_COLUMNS = ("dscr", "ltv")
SHARE_COLUMNS = ("utilization",)


def run_label(row: pd.Series) -> str:
    """One line per stored run in the pickers."""
    return (f"{row['created']} · {row['scenarios']} · {row['paths']} paths · seed {row['seed']}"
            f" · {row['tape_name']} · {row['run_id']}")


def facts_view(result: RunResult, run_id: str) -> html.Div:
    """The run's manifest facts and its download links."""
    m = result.manifest
    facts = (f"tape {m.get('tape_name', '')} ({str(m.get('tape_hash', ''))[:12]}) · valuation "
             f"{m.get('valuation_date', '')} · seed {m.get('seed')} · {m.get('paths')} paths · "
             f"{m.get('horizon')} months · cliffwatch {m.get('code_version', '')}")
    return html.Div([
        html.P(facts, className="small mb-1"),
        dbc.Button("Download HTML report", href=f"/download/{run_id}/report.html",
                   external_link=True, id="dl-report", size="sm", className="me-2"),
        dbc.Button("Download Excel workbook", href=f"/download/{run_id}/results.xlsx",
                   external_link=True, id="dl-workbook", size="sm"),
    ])


def charts_view(r: RunResult, scenario: str | None) -> list[Any]:
    """The report's charts for the filtered run, two per row."""
    figs = [
        (charts.maturity_wall(r), "chart-maturity-wall"),
        (charts.refi_gap(r), "chart-refi-gap"),
        (charts.time_to_cliff(r), "chart-time-to-cliff"),
        (charts.loss_exceedance(r, scenario), "chart-loss-exceedance"),
        (charts.lender_es(r), "chart-lender-es"),
        (charts.contagion(r), "chart-contagion"),
        (charts.top_contributors(r, scenario), "chart-contributors"),
        (charts.drawdowns(r), "chart-drawdowns"),
        (charts.theme_el(r), "chart-ai-theme"),
    ]
    cols = [dbc.Col(graph(fig, gid), lg=6) for fig, gid in figs]
    return [dbc.Row(cols[i:i + 2]) for i in range(0, len(cols), 2)]


def theme_view(r: RunResult, scenario: str | None) -> html.Div:
    """The report's "two sides of the AI theme" table for the detail scenario."""
    if r.table("theme_split").empty:
        body: Any = html.P(NO_SPLIT_TEXT, className="text-muted")
    elif not charts.has_software_side(r):
        body = html.P(NO_SOFTWARE_TEXT, className="text-muted")
    else:
        body = frame_table(theme_table(r, str(scenario)), "theme_split", table_id="theme-table")
    return html.Div([html.H5(f"The two sides of the AI theme — {scenario}", className="mt-3"),
                     body], id="theme-view")


def borrower_view(r: RunResult, scenario: str | None) -> html.Div:
    """Borrower metrics of the detail scenario, ids as trace links."""
    bm = r.table("borrower_metrics")
    bm = bm[bm["scenario"] == scenario][BORROWER_COLUMNS]
    return frame_table(bm, "borrower_metrics", table_id="borrowers",
                       link=("borrower_id", lambda v: {"type": "borrower-link",
                                                       "index": str(v)}))


def _bridge_text(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy().astype(object)
    for col in out.columns:
        if col in ("month", "status"):
            out[col] = df[col].astype(int)
        elif col in RATIO_COLUMNS:
            out[col] = df[col].map(fmt_num)
        elif col in SHARE_COLUMNS:
            out[col] = df[col].map(fmt_pct)
        else:
            out[col] = df[col].map(fmt_usd)
    return out


def trace_view_for(services: Services, result: RunResult, scenario: str,
                   borrower_id: str) -> Any:
    """Charts and cash bridge of one borrower under a stored run's scenario."""
    m = result.manifest
    tape = services.tapes.get(str(m.get("tape_hash", "")))
    if tape is None and services.tapes.sample().digest == m.get("tape_hash"):
        tape = services.tapes.sample()
    if tape is None:
        return alert(f"this run's tape ({m.get('tape_name', '')}) is not loaded in this server:"
                     " upload it on the Tape tab to trace its borrowers", "warning")
    spec = (m.get("scenarios") or {}).get(scenario)
    if spec is None:
        return alert(f"the run holds no specification of scenario {scenario!r}", "warning")
    scn = Scenario(spec=ScenarioSpec.model_validate(spec), source="stored run")
    t = trace_view.borrower_trace(tape.arrays, scn, borrower_id, int(m["seed"]),
                                  int(m["horizon"]))
    outcome = (f"defaults in month {t.default_month} ({t.default_cause})"
               if t.default_month >= 0 else "no default within the horizon")
    cliff = f"first cliff in month {t.cliff_month}" if t.cliff_month >= 0 else "no cliff"
    return html.Div([
        html.H5(f"Trace of {borrower_id} under {scenario}: {outcome}; {cliff}",
                id="trace-title"),
        dbc.Row([dbc.Col(graph(trace_view.cash_figure(t), "chart-trace-cash"), lg=6),
                 dbc.Col(graph(trace_view.balance_figure(t), "chart-trace-balance"), lg=6)]),
        frame_table(_bridge_text(trace_view.bridge_table(t)), table_id="trace-table"),
    ], id="trace")


def _usd_text(d: pd.DataFrame) -> pd.DataFrame:
    """``d`` with every numeric column shown as USD text."""
    out = d.copy().astype(object)
    for col in d.select_dtypes("number").columns:
        out[col] = d[col].map(fmt_usd)
    return out


def compare_view(a: RunResult, b: RunResult) -> html.Div:
    """Inputs that differ, scenario status, loss deltas, and the two runs' charts."""
    cmp = compare_runs(a, b)
    deltas, theme = delta_display(cmp.deltas), _usd_text(cmp.theme)
    side = [dbc.Col([html.H6(f"run {label}"),
                     graph(charts.lender_es(r), f"cmp-es-{label}"),
                     graph(charts.refi_gap(r), f"cmp-gap-{label}")], lg=6)
            for label, r in (("A", a), ("B", b))]
    return html.Div([
        html.H6("Inputs"), frame_table(cmp.facts, table_id="cmp-facts"),
        html.H6("Scenarios"), frame_table(cmp.scenarios, table_id="cmp-scenarios"),
        html.H6("Losses (B − A)"), frame_table(deltas, table_id="cmp-deltas"),
        html.P(DELTA_NOTE, className="small text-muted"),
        *([] if theme.empty else [html.H6("The two sides of the AI theme (B − A)"),
                                  frame_table(theme, table_id="cmp-theme")]),
        dbc.Row(side, className="mt-3"),
    ])


def _load(services: Services, run_id: str | None) -> RunResult | None:
    if not run_id or not RUN_ID.match(run_id):
        return None
    return services.stored.get(run_id)


def register(app: Dash, services: Services) -> None:
    """Attach the runs and compare tabs' callbacks."""

    @app.callback(Output("run-pick", "options"), Output("cmp-a", "options"),
                  Output("cmp-b", "options"), Input("refresh-runs", "n_clicks"),
                  Input("jobs-signature", "data"), Input("tabs", "active_tab"))
    def _list(*_: Any) -> tuple[Any, Any, Any]:
        try:
            runs = services.stored.listing()
        except StoreError:
            runs = pd.DataFrame(columns=["run_id"])
        opts = [{"label": run_label(r), "value": str(r["run_id"])} for _, r in runs.iterrows()]
        return opts, opts, opts

    @app.callback(Output("run-pick", "value"), Output("tabs", "active_tab"),
                  Input({"type": "open-run", "index": ALL}, "n_clicks"),
                  prevent_initial_call=True)
    def _open(_clicks: list[int | None]) -> tuple[Any, Any]:
        if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update
        return ctx.triggered_id["index"], "tab-runs"

    @app.callback(Output("run-facts", "children"), Output("flt-scenario", "options"),
                  Output("flt-lender", "options"), Output("flt-archetype", "options"),
                  Output("flt-structure", "options"), Output("detail-scenario", "options"),
                  Output("detail-scenario", "value"), Input("run-pick", "value"))
    def _pick(run_id: str | None) -> tuple[Any, ...]:
        try:
            r = _load(services, run_id)
        except StoreError as exc:
            return (alert(str(exc)), [], [], [], [], [], None)
        if r is None:
            return (html.P("no run chosen", className="text-muted"), [], [], [], [], [], None)
        o = options(r)
        return (facts_view(r, str(run_id)), o["scenario"], o["lender"], o["archetype"],
                o["structure"], o["scenario"], charts.worst_scenario(r))

    @app.callback(Output("run-charts", "children"), Output("borrower-table", "children"),
                  Input("run-pick", "value"), Input("flt-scenario", "value"),
                  Input("flt-lender", "value"), Input("flt-archetype", "value"),
                  Input("flt-structure", "value"), Input("detail-scenario", "value"))
    def _charts(run_id: str | None, scn: list[str] | None, lenders: list[str] | None,
                archetypes: list[str] | None, structures: list[str] | None,
                detail: str | None) -> tuple[Any, Any]:
        try:
            r = _load(services, run_id)
        except StoreError:
            return no_update, no_update
        if r is None:
            return [], []
        f = Filters(tuple(scn or ()), tuple(lenders or ()), tuple(archetypes or ()),
                    tuple(structures or ()))
        fr = filter_result(r, f)
        return [*charts_view(fr, detail), theme_view(fr, detail)], borrower_view(fr, detail)

    @app.callback(Output("trace-panel", "children"),
                  Input({"type": "borrower-link", "index": ALL}, "n_clicks"),
                  State("run-pick", "value"), State("detail-scenario", "value"),
                  prevent_initial_call=True)
    def _trace(_clicks: list[int | None], run_id: str | None, scenario: str | None) -> Any:
        if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update
        try:
            r = _load(services, run_id)
            if r is None or scenario is None:
                return alert("choose a run and a scenario first", "warning")
            return trace_view_for(services, r, scenario, str(ctx.triggered_id["index"]))
        except StoreError as exc:
            return alert(str(exc))
        except (KeyError, ValueError) as exc:  # borrower absent from the tape, bad spec
            return failure("the borrower trace", exc)

    @app.callback(Output("compare-body", "children"), Input("cmp-a", "value"),
                  Input("cmp-b", "value"))
    def _compare(a_id: str | None, b_id: str | None) -> Any:
        try:
            a, b = _load(services, a_id), _load(services, b_id)
        except StoreError as exc:
            return alert(str(exc))
        if a is None or b is None:
            return html.P("choose two runs", className="text-muted")
        return compare_view(a, b)
