"""The page: four tabs (tape, run, runs, compare) and the stores that carry browser state.

Browser-side state is per tab (``memory`` stores): each browser tab has its own tape choice,
custom scenarios and job list, so two analysts' tabs never overwrite each other.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from cliffwatch.app.limits import BYTES_PER_MB, MAX_PATHS, PROGRESS_POLL_MS
from cliffwatch.market.library import bundled_names
from cliffwatch.runs.spec import DEFAULT_PATHS, DEFAULT_SEED
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS

DASHBOARD_PATHS = DEFAULT_PATHS
"""Default path count in the run form: the CLI's default, so ES99 rests on 30 tail paths."""
DEFAULT_HORIZON = HORIZON_DEFAULT_MONTHS
"""Default horizon in the run form, months."""
UPLOAD_STYLE = {"borderWidth": "2px", "borderStyle": "dashed", "borderRadius": "8px",
                "padding": "28px", "textAlign": "center", "cursor": "pointer"}


def _number(id_: str, label: str, value: float | None, **kw: object) -> dbc.Col:
    """A labelled number field; fractional fields need ``step="any"`` or the browser drops
    values off the step grid (e.g. 3 with min 0.01 and step 0.1)."""
    return dbc.Col([dbc.Label(label, html_for=id_, className="small mb-0"),
                    dbc.Input(id=id_, type="number", value=value, size="sm", **kw)], md=3)


def tape_tab(max_mb: float) -> dbc.Tab:
    """Upload, validation table and portfolio summary."""
    return dbc.Tab(label="1 · Tape", tab_id="tab-tape", children=dbc.Container([
        html.P(["Upload a loan tape: one ", html.B("XLSX"), " workbook or ", html.B("YAML"),
                " file, a ", html.B("zip"), " of CSV or Parquet files (one per table), or "
                "several CSV or Parquet files at once. ", f"Limit {max_mb:g} MB."],
               className="mt-3"),
        dcc.Upload(id="upload", multiple=True, style=UPLOAD_STYLE,
                   children=html.Div(["Drop the tape here or ", html.A("choose files")])),
        dbc.Button("Use the bundled sample tape", id="use-sample", color="secondary",
                   size="sm", className="mt-2"),
        dcc.Loading(html.Div(id="upload-result", className="mt-3")),
    ], fluid=True))


def _form() -> dbc.Card:
    names = bundled_names()
    return dbc.Card(dbc.CardBody([
        html.H6("Custom scenario: common shocks"),
        dbc.Row([
            dbc.Col([dbc.Label("name", html_for="f-name", className="small mb-0"),
                     dbc.Input(id="f-name", value="custom_shock", size="sm")], md=3),
            dbc.Col([dbc.Label("on top of", html_for="f-extends", className="small mb-0"),
                     dbc.Select(id="f-extends", value="base", size="sm",
                                options=[{"label": n, "value": n} for n in names])], md=3),
        ]),
        dbc.Row([_number("f-spread-mult", "spread index × (1 = none)", 1.0, min=0.01,
                         step="any"),
                 _number("f-spread-month", "at month", 3, min=0, step=1),
                 _number("f-spread-hl", "half-life, months (blank = permanent)", None, min=0.1,
                         step="any")]),
        dbc.Row([_number("f-util-pp", "utilization shift, pp", 0.0, step="any"),
                 _number("f-util-month", "fully in by month", 12, min=0, step=1),
                 _number("f-rent-pct", "GPU rent decline, %", 0.0, min=0, max=99.9,
                         step="any"),
                 _number("f-rent-month", "fully in by month", 12, min=0, step=1)]),
        dbc.Row([_number("f-closed-from", "market closed from month", None, min=0, step=1),
                 _number("f-closed-to", "reopens at month", None, min=1, step=1)]),
        dbc.Button("Write YAML from the form", id="form-to-yaml", size="sm", className="mt-2"),
        html.H6("Scenario YAML (edit anything the scenario language allows)", className="mt-3"),
        dbc.Textarea(id="scenario-yaml", rows=10, style={"fontFamily": "monospace"},
                     placeholder="name: my_scenario\nextends: base\nfactors:\n  spread:\n"
                                 "    shift: {0: 0.0, 6: 0.01}"),
        dbc.Button("Validate and add", id="add-scenario", size="sm", color="primary",
                   className="mt-2"),
        html.Div(id="scenario-message", className="mt-2"),
    ]), className="mt-3")


def run_tab() -> dbc.Tab:
    """Scenario choice, custom scenarios, run parameters and the job list."""
    names = bundled_names()
    return dbc.Tab(label="2 · Run", tab_id="tab-run", children=dbc.Container([
        html.Div(id="run-tape-label", className="mt-3"),
        # the runs (with their progress) first, so a started run is seen without scrolling
        html.Div(id="jobs-panel"),
        dbc.Row([
            dbc.Col([html.H6("Scenario library"),
                     dbc.Checklist(id="scenario-pick", value=["base"],
                                   options=[{"label": n, "value": n} for n in names]),
                     html.H6("Custom scenarios", className="mt-3"),
                     dbc.Checklist(id="custom-pick", value=[], options=[])], md=3),
            dbc.Col(_form(), md=9),
        ]),
        dbc.Row([_number("run-paths", "paths per scenario", DASHBOARD_PATHS, min=1,
                         max=MAX_PATHS, step=1),
                 _number("run-seed", "seed", DEFAULT_SEED, min=0, step=1),
                 _number("run-horizon", "horizon, months", DEFAULT_HORIZON, min=HORIZON_MIN_MONTHS,
                         max=HORIZON_MAX_MONTHS,
                         step=1)], className="mt-3"),
        dbc.Checklist(id="run-options", value=["sensitivities", "reverse_stress"], inline=True,
                      options=[{"label": "sensitivities (first scenario)",
                                "value": "sensitivities"},
                               {"label": "reverse stress", "value": "reverse_stress"}]),
        dbc.Button("Start run", id="start-run", color="success", className="mt-2"),
        html.Div(id="run-message", className="mt-2"),
    ], fluid=True))


def _multi(id_: str, label: str) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=id_, className="small mb-0"),
                    dcc.Dropdown(id=id_, multi=True, placeholder="all")], md=3)


def runs_tab() -> dbc.Tab:
    """Stored runs: pick one, filter, charts, borrower table and trace, downloads."""
    return dbc.Tab(label="3 · Runs", tab_id="tab-runs", children=dbc.Container([
        dbc.Row([
            dbc.Col([dbc.Label("stored run", html_for="run-pick", className="small mb-0"),
                     dcc.Dropdown(id="run-pick", placeholder="choose a stored run")], md=8),
            dbc.Col(dbc.Button("Refresh list", id="refresh-runs", size="sm",
                               className="mt-4"), md=2),
        ], className="mt-3"),
        html.Div(id="run-facts", className="mt-2"),
        dbc.Row([_multi("flt-scenario", "scenarios"), _multi("flt-lender", "lenders"),
                 _multi("flt-archetype", "borrower archetypes"),
                 _multi("flt-structure", "structures")], className="mt-2"),
        dbc.Row(dbc.Col([dbc.Label("scenario for loss distributions and traces",
                                   html_for="detail-scenario", className="small mb-0"),
                         dcc.Dropdown(id="detail-scenario", clearable=False)], md=4)),
        dcc.Loading(html.Div(id="run-charts", className="mt-2")),
        html.H5("Borrowers (click an id for its cash-flow trace)", className="mt-3"),
        html.Div(id="borrower-table"),
        dcc.Loading(html.Div(id="trace-panel", className="mt-3")),
    ], fluid=True))


def compare_tab() -> dbc.Tab:
    """Two stored runs side by side."""
    return dbc.Tab(label="4 · Compare", tab_id="tab-compare", children=dbc.Container([
        dbc.Row([
            dbc.Col([dbc.Label("run A (reference)", html_for="cmp-a", className="small mb-0"),
                     dcc.Dropdown(id="cmp-a")], md=6),
            dbc.Col([dbc.Label("run B", html_for="cmp-b", className="small mb-0"),
                     dcc.Dropdown(id="cmp-b")], md=6),
        ], className="mt-3"),
        dcc.Loading(html.Div(id="compare-body", className="mt-3")),
    ], fluid=True))


def page(max_mb: float, store_label: str) -> html.Div:
    """The whole page."""
    return html.Div([
        dbc.NavbarSimple(brand="cliffwatch — AI-infrastructure debt stress", color="dark",
                         dark=True, children=[html.Span(f"store: {store_label}",
                                                        className="text-light small")]),
        dcc.Store(id="tape-store", storage_type="memory"),
        dcc.Store(id="upload-gate", storage_type="memory"),
        dcc.Store(id="cap-bytes", data=int(max_mb * BYTES_PER_MB)),
        dcc.Store(id="custom-scenarios", storage_type="memory", data=[]),
        dcc.Store(id="my-jobs", storage_type="memory", data=[]),
        dcc.Store(id="jobs-signature", storage_type="memory"),
        dcc.Interval(id="poll", interval=PROGRESS_POLL_MS),
        dbc.Tabs(id="tabs", active_tab="tab-tape",
                 children=[tape_tab(max_mb), run_tab(), runs_tab(), compare_tab()]),
    ])
