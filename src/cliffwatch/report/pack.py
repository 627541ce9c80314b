"""The committee pack: the few pages a credit committee reads, laid out for A4 paper.

Five pages, then an appendix: (1) the executive summary per scenario with EL, VaR99, ES99,
their Monte Carlo standard errors and the book's LGD; (2) the maturity wall and the cliff;
(3) lenders under the worst scenario, with an "unallocated" row so exposure and EL add up to
the book; (4) what drives the worst scenario (its factor changes and the facilities carrying
its tail); (5) key assumptions and limitations; appendix: every scenario as a readable table
and small multiples of the main factors. Everything else stays in report.html and the
workbook. The page is a fixed 186 mm wide (A4 portrait less 12 mm margins) on screen and on
paper, tables use a fixed layout that wraps text, and charts are drawn at the page width, so
nothing is wider than the page. :mod:`cliffwatch.report.pdf` prints it with Chromium.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Final

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cliffwatch.report import charts
from cliffwatch.report.format import MISSING, fmt_bp, fmt_num, fmt_pct, fmt_usd
from cliffwatch.report.scenario_table import public_text, scenario_rows
from cliffwatch.results import RunResult

if TYPE_CHECKING:
    from cliffwatch.report.html import ChartSet

PAGE_WIDTH_MM: Final = 186
"""Printable width of A4 portrait with 12 mm margins."""
CHART_WIDTH_PX: Final = 700
"""Chart width: 186 mm at 96 px per inch is 703 px."""
BASE_SCENARIO: Final = "base"
"""The scenario the worst one is set against in the cliff chart (when the run has it)."""
TOP_BORROWERS: Final = 8
TOP_FACILITIES: Final = 10
KEY_ASSUMPTIONS: Final[tuple[str, ...]] = (
    "engine.gpu_fire_sale_haircut", "engine.gpu_sale_cost", "engine.dc_sale_cost",
    "engine.refi_window_months", "engine.contract_renewal_prob", "engine.renewal_rent_ratio",
    "engine.contagion", "market.sofr.r0", "market.spread.s0", "market.utilization.u0",
)
"""Assumptions shown on the assumptions page (all are in the workbook and the HTML)."""
SMALL_MULTIPLE_FACTORS: Final[tuple[str, ...]] = ("sofr", "spread", "utilization")
LIMITATIONS: Final[tuple[str, ...]] = (
    "Figures are Monte Carlo estimates: read each with its standard error; differences smaller "
    "than about two standard errors are noise.",
    "Scenario paths are judgements anchored on history (2001, 2008, 2020, the 2026 software "
    "sell-off), not forecasts; the base case is the calibrated model, not a consensus view.",
    "Parameters marked [estimate] in the assumptions table are set by judgement where no "
    "public calibration exists, notably fire-sale haircuts, market depth and renewal rates.",
    "Losses are measured over the horizon without discounting; recoveries come from collateral "
    "sales under absolute priority, not from workouts or restructurings.",
    "Lender exposure covers the holdings on the tape; the unallocated row is the part of the "
    "book no listed lender holds.",
)

PACK_CSS: Final = f"""
@page {{ size: A4 portrait; margin: 12mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ width: {PAGE_WIDTH_MM}mm; font-family: Helvetica, Arial, sans-serif; font-size: 9pt;
       color: #1b2733; line-height: 1.35; }}
h1 {{ font-size: 16pt; color: #1f3b57; margin: 0 0 2mm; }}
h2 {{ font-size: 12.5pt; color: #1f3b57; border-bottom: 1px solid #d8dee4; margin: 0 0 3mm;
      padding-bottom: 1mm; }}
h3 {{ font-size: 10pt; margin: 3mm 0 1.5mm; }}
.page {{ break-after: page; width: 100%; }}
.page:last-of-type {{ break-after: auto; }}
.facts, .note {{ color: #5b6b7a; font-size: 8pt; }}
table {{ width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 7.5pt;
         margin: 1mm 0 3mm; }}
th, td {{ border-bottom: 1px solid #d8dee4; padding: 1mm 1.2mm; vertical-align: top;
          overflow-wrap: anywhere; }}
th {{ background: #eef2f6; text-align: left; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.total td {{ font-weight: bold; border-top: 1.5px solid #1b2733; }}
tr.rest td {{ font-style: italic; }}
.chart {{ width: {CHART_WIDTH_PX}px; max-width: 100%; overflow: hidden; }}
.scenario {{ break-inside: avoid; }}
ul {{ padding-left: 5mm; margin: 1mm 0; }}
"""


def _money_se(value: float, se: float) -> str:
    return f"{fmt_usd(value)} ± {fmt_usd(se)}" if pd.notna(se) else fmt_usd(value)


def _table(head: list[str], rows: list[list[str]], numeric: set[int],
           widths: list[int] | None = None, classes: list[str] | None = None) -> str:
    """An escaped fixed-layout table; ``widths`` in percent of the page."""
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    th = "".join(f'<th class="{"num" if i in numeric else "text"}">{escape(h)}</th>'
                 for i, h in enumerate(head))
    body = []
    for r, row in enumerate(rows):
        cls = f' class="{classes[r]}"' if classes and classes[r] else ""
        tds = "".join(f'<td class="{"num" if i in numeric else "text"}">{escape(c)}</td>'
                      for i, c in enumerate(row))
        body.append(f"<tr{cls}>{tds}</tr>")
    return (f"<table><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _sized(fig: go.Figure | None, height: int) -> go.Figure | None:
    if fig is None:
        return None
    fig.update_layout(width=CHART_WIDTH_PX, height=height,
                      margin={"l": 55, "r": 24, "t": 40, "b": 40}, font={"size": 10},
                      legend={"orientation": "h", "y": -0.18, "font": {"size": 9}})
    return fig


def executive_summary(r: RunResult) -> str:
    s = r.table("scenario_summary")
    if s.empty:
        return '<p class="note">The run produced no scenario summary.</p>'
    worst = charts.worst_scenario(r)
    w = s[s["scenario"] == worst].iloc[0]
    text = (f"<p>Under <b>{escape(str(worst))}</b>, the most severe scenario of this run, the "
            f"book of {fmt_usd(w['exposure'])} loses {_money_se(w['el'], w['el_se'])} on "
            f"average (± one Monte Carlo standard error); in the worst 1% of paths it loses "
            f"{fmt_usd(w['es99'])} (ES99). Of {fmt_usd(w['due_12_24'])} due in months 12–24, "
            f"{fmt_usd(w['refi_gap_12_24'])} is expected to fail to refinance.</p>")
    head = ["scenario", "EL ± SE", "EL / exposure", "VaR99 ± SE", "ES99 ± SE", "LGD",
            "defaults", "refi gap 12–24"]
    rows = []
    for x in s.itertuples(index=False):
        rows.append([
            str(x.scenario), _money_se(x.el, x.el_se),
            fmt_bp(x.el / x.exposure) if x.exposure else MISSING,
            _money_se(x.var99, getattr(x, "var99_se", float("nan"))),
            _money_se(x.es99, x.es99_se), fmt_pct(getattr(x, "lgd", float("nan")), 1),
            fmt_num(x.mean_defaults, 3), fmt_usd(x.refi_gap_12_24),
        ])
    table = _table(head, rows, set(range(1, 8)), [17, 15, 8, 16, 16, 7, 8, 13])
    return (text + table + '<p class="note">EL: expected loss over the horizon; VaR99 / ES99: '
            "99% value at risk and expected shortfall of the whole book's loss; ± one Monte "
            "Carlo standard error; LGD: loss over exposure at default, pooled over every "
            "default; defaults: mean number of borrowers defaulting.</p>")


def maturity_and_cliff(r: RunResult, c: ChartSet) -> str:
    b = r.table("borrower_metrics")
    worst = charts.worst_scenario(r)
    top = b[b["scenario"] == worst].sort_values("p_cliff_12_24", ascending=False,
                                                kind="stable").head(TOP_BORROWERS)
    rows = [[str(x.borrower_name), str(x.rating), fmt_pct(x.p_cliff_12_24, 1), fmt_pct(x.pd, 1),
             fmt_usd(x.el)] for x in top.itertuples(index=False)]
    table = _table(["borrower", "rating", "P(cliff 12–24)", "PD", "EL"], rows, {2, 3, 4},
                   [44, 10, 16, 14, 16])
    cliff = r.table("time_to_cliff")
    shown = [x for x in dict.fromkeys([BASE_SCENARIO, worst]) if x is not None]
    two = RunResult({**r.tables, "time_to_cliff": cliff[cliff["scenario"].isin(shown)]},
                    r.manifest)  # two lines, not one per scenario
    return (c.div(maturity_by_year(r))
            + c.div(_sized(charts.time_to_cliff(two), 260))
            + f"<h3>Borrowers most exposed to the 12–24 month cliff — {escape(str(worst))}</h3>"
            + table)


WALL_STRUCTURES: Final = 6
"""Structures named in the pack's maturity wall; the rest are summed as "other"."""


def maturity_by_year(r: RunResult) -> go.Figure | None:
    """Contractual principal due per year, stacked by the largest structures (USD bn)."""
    t = r.table("maturity_wall")
    if t.empty:
        return None
    t = t.assign(year=t["quarter"].astype(str).str[:4])
    top = t.groupby("structure")["due"].sum().sort_values(ascending=False, kind="stable")
    named = set(top.index[:WALL_STRUCTURES])
    t["group"] = t["structure"].where(t["structure"].isin(named), "other")
    wide = t.pivot_table(index="year", columns="group", values="due", aggfunc="sum",
                         sort=True).fillna(0.0)
    order = [g for g in top.index[:WALL_STRUCTURES] if g in wide.columns]
    order += ["other"] if "other" in wide.columns else []
    fig = go.Figure([go.Bar(name=str(g), x=wide.index.tolist(),
                            y=(wide[g] / charts.USD_BN).tolist()) for g in order],
                    layout={"template": charts.REPORT_TEMPLATE})
    fig.update_layout(barmode="stack", title="Maturity wall: principal due per year",
                      yaxis_title="USD bn due")
    return _sized(fig, 280)


def lender_rows(r: RunResult, scenario: str) -> pd.DataFrame:
    """Lenders of ``scenario`` plus an ``unallocated`` row (the part of the book no listed
    lender holds) and a ``book`` row: exposure and EL add up to the book's."""
    lm = r.table("lender_metrics")
    lm = lm[lm["scenario"] == scenario].sort_values("exposure", ascending=False, kind="stable")
    s = r.table("scenario_summary")
    book = s[s["scenario"] == scenario].iloc[0]
    cols = ["lender_name", "exposure", "el", "el_se", "var99", "es99", "es99_se"]
    out = lm[cols].copy()
    rest = {"lender_name": "unallocated (no listed lender)",
            "exposure": book["exposure"] - lm["exposure"].sum(), "el": book["el"] - lm["el"].sum(),
            "el_se": float("nan"), "var99": float("nan"), "es99": float("nan"),
            "es99_se": float("nan")}
    total = {"lender_name": "book", "exposure": book["exposure"], "el": book["el"],
             "el_se": book["el_se"], "var99": book["var99"], "es99": book["es99"],
             "es99_se": book["es99_se"]}
    return pd.concat([out, pd.DataFrame([rest, total])], ignore_index=True)


def lenders(r: RunResult) -> str:
    worst = charts.worst_scenario(r)
    if worst is None or r.table("scenario_summary").empty:
        return '<p class="note">No lender table in this run.</p>'
    t = lender_rows(r, worst)
    rows, classes = [], []
    for i, x in enumerate(t.itertuples(index=False)):
        rows.append([str(x.lender_name), fmt_usd(x.exposure), _money_se(x.el, x.el_se),
                     fmt_usd(x.var99), _money_se(x.es99, x.es99_se)])
        classes.append("total" if i == len(t) - 1 else "rest" if i == len(t) - 2 else "")
    table = _table(["lender", "exposure", "EL ± SE", "VaR99", "ES99 ± SE"], rows,
                   {1, 2, 3, 4}, [34, 14, 18, 14, 20], classes)
    return (f"<p>Scenario <b>{escape(worst)}</b>. Exposure and EL add up to the book; VaR and "
            "ES do not add up (a tail is not additive), so the unallocated row shows none.</p>"
            + table)


def drivers(r: RunResult) -> str:
    worst = charts.worst_scenario(r)
    spec = (r.manifest.get("scenarios") or {}).get(worst, {})
    parts = [f"<p><b>{escape(str(worst))}</b>: {escape(str(spec.get('description', '')))}</p>"]
    changes = scenario_rows(spec) if isinstance(spec, dict) else pd.DataFrame()
    if not changes.empty:
        parts.append(_table(["factor", "what the scenario does"],
                            changes.astype(str).values.tolist(), set(), [26, 74]))
    rc = r.table("risk_contributions")
    rc = rc[rc["scenario"] == worst]
    if not rc.empty:
        by_fac = rc.groupby("facility_id", sort=False)["es99_contribution"].sum()
        top = by_fac.sort_values(ascending=False, kind="stable").head(TOP_FACILITIES)
        fm = r.table("facility_metrics")
        fm = fm[fm["scenario"] == worst].set_index("facility_id")
        rows = []
        for fid, contrib in top.items():
            f = fm.loc[fid] if fid in fm.index else None
            rows.append([str(fid), "" if f is None else str(f["kind"]),
                         MISSING if f is None else fmt_pct(f["pd60"], 1),
                         MISSING if f is None else fmt_pct(f["lgd"], 0),
                         MISSING if f is None else fmt_usd(f["el"]), fmt_usd(contrib)])
        parts.append("<h3>Facilities carrying the tail (contribution to the lenders' ES99)</h3>")
        parts.append(_table(["facility", "kind", "PD (60m)", "LGD", "EL", "ES99 contribution"],
                            rows, {2, 3, 4, 5}, [30, 18, 11, 9, 14, 18]))
    return "".join(parts)


def assumptions(r: RunResult) -> str:
    a = r.table("assumptions")
    shown = a[a["name"].isin(KEY_ASSUMPTIONS)]
    rows = [[str(x.name), str(x.value), public_text(str(x.source))]
            for x in shown.itertuples(index=False)]
    table = (_table(["parameter", "value", "source"], rows, set(), [30, 14, 56]) if rows
             else "")
    items = "".join(f"<li>{escape(t)}</li>" for t in LIMITATIONS)
    facts = r.manifest
    run = (f"{facts.get('paths', MISSING)} paths per scenario, seed {facts.get('seed', MISSING)}, "
           f"horizon {facts.get('horizon', MISSING)} months")
    return (f"<h3>Key assumptions</h3><p>{escape(run)}. The full list ({len(a)} parameters, each "
            f"with its source) is in report.html and results.xlsx.</p>{table}"
            f"<h3>Limitations</h3><ul>{items}</ul>")


def scenario_appendix(r: RunResult) -> str:
    parts = []
    for name, spec in (r.manifest.get("scenarios") or {}).items():
        if not isinstance(spec, dict):
            continue
        rows = scenario_rows(spec)
        body = (_table(["factor", "change"], rows.astype(str).values.tolist(), set(), [26, 74])
                if not rows.empty else '<p class="note">The calibrated model, unchanged.</p>')
        parts.append(f'<div class="scenario"><h3>{escape(str(name))}</h3><p class="note">'
                     f"{escape(str(spec.get('description', '')))}</p>{body}</div>")
    return "".join(parts)


def small_multiples(r: RunResult, factor: str) -> go.Figure | None:
    """Median and 5–95% band of ``factor``, one small panel per scenario on a shared axis."""
    t = r.table("fan_charts")
    t = t[t["factor"] == factor]
    if t.empty:
        return None
    groups = list(t.groupby("scenario", sort=False))
    ncols = 6
    nrows = -(-len(groups) // ncols)
    fig = make_subplots(rows=nrows, cols=ncols, shared_yaxes=True, shared_xaxes=True,
                        subplot_titles=[str(s) for s, _ in groups],
                        vertical_spacing=0.16, horizontal_spacing=0.02)
    for i, (_, g) in enumerate(groups):
        row, col = i // ncols + 1, i % ncols + 1
        months = g["month"].tolist()
        fig.add_trace(go.Scatter(x=months + months[::-1], y=g["p5"].tolist()
                                 + g["p95"].tolist()[::-1], fill="toself",
                                 fillcolor="rgba(31,119,180,0.18)", line={"width": 0},
                                 hoverinfo="skip", showlegend=False), row=row, col=col)
        fig.add_trace(go.Scatter(x=months, y=g["p50"].tolist(), mode="lines",
                                 line={"color": "#1f77b4", "width": 1.5}, showlegend=False),
                      row=row, col=col)
    fig.update_layout(template=charts.REPORT_TEMPLATE, width=CHART_WIDTH_PX,
                      height=90 + 110 * nrows, title=f"{factor}: median and 5–95% band, "
                      "months from valuation", margin={"l": 50, "r": 24, "t": 60, "b": 30},
                      font={"size": 9})
    fig.update_annotations(font_size=8)
    if factor in charts.PERCENT_FACTORS:
        fig.update_yaxes(tickformat=".0%")
    return fig


def pack_pages(r: RunResult, c: ChartSet) -> list[tuple[str, str]]:
    """(title, escaped HTML) of every page of the pack, in order."""
    fans = "".join(c.div(small_multiples(r, f)) for f in SMALL_MULTIPLE_FACTORS
                   if f in charts.fan_factors(r))
    return [
        ("Executive summary", executive_summary(r)),
        ("Maturity wall and the refinancing cliff", maturity_and_cliff(r, c)),
        ("Losses per lender", lenders(r)),
        ("What drives the worst scenario", drivers(r)),
        ("Key assumptions and limitations", assumptions(r)),
        ("Appendix A: the scenarios", scenario_appendix(r)),
        ("Appendix B: the main factors per scenario", fans or
         '<p class="note">No factor paths in this run.</p>'),
    ]


def build_pack_html(result: RunResult) -> str:
    """The committee pack of ``result`` as one self-contained HTML document (plotly inlined
    once, charts drawn static: no toolbar on paper)."""
    from cliffwatch.report.html import ChartSet, plotly_js

    chart_set = ChartSet(config={"staticPlot": True, "displayModeBar": False,
                                 "responsive": False})
    pages = pack_pages(result, chart_set)
    m = result.manifest
    facts = " · ".join(escape(f"{label}: {m[k]}") for k, label in [
        ("tape_name", "Tape"), ("valuation_date", "Valuation"), ("run_id", "Run"),
        ("paths", "Paths"), ("seed", "Seed")] if k in m)
    body = []
    for i, (title, html) in enumerate(pages):
        top = ("<h1>AI-infrastructure debt stress test — committee pack</h1>"
               f'<p class="facts">{facts}</p>') if i == 0 else ""
        body.append(f'<section class="page">{top}<h2>{escape(title)}</h2>{html}</section>')
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{escape('committee pack — ' + str(m.get('tape_name', 'run')))}</title>",
        f"<style>{PACK_CSS}</style>", f"<script>{plotly_js()}</script>", "</head>", "<body>",
        *body, f"<script>{chart_set.script()}</script>", "</body>", "</html>",
    ])
