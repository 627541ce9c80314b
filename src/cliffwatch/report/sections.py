"""The sections of the credit-committee report, in reading order.

Each builder takes the RunResult and the :class:`~cliffwatch.report.html.ChartSet` that
collects figures, and returns escaped HTML. Tape strings reach the page only through
:func:`html.escape` or the escaped chart JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from cliffwatch.report import charts
from cliffwatch.report.format import fmt_bp, fmt_num, fmt_pct, fmt_usd
from cliffwatch.report.methodology import METHODOLOGY_HTML
from cliffwatch.report.scenario_table import public_text, scenario_rows
from cliffwatch.report.summary import (
    HEADLINE_COLUMNS,
    HEADLINE_LABELS,
    headline_table,
    manifest_rows,
)
from cliffwatch.report.tables import html_table
from cliffwatch.report.theme import (
    EXPLANATION,
    NO_SOFTWARE_TEXT,
    NO_SPLIT_TEXT,
    book_finding,
    theme_scenarios,
    theme_table,
)
from cliffwatch.results import RunResult

if TYPE_CHECKING:
    from cliffwatch.report.html import ChartSet

TOP_BORROWERS = 20
"""Borrowers listed in the cliff section."""
MAX_TABLE_ROWS = 200
"""Rows shown per table in the HTML (the workbook holds all)."""
TOP_PEAK_DRAWS = 20
"""Scenario-lender pairs listed in the peak-drawdown table (the workbook holds all)."""


@dataclass(frozen=True)
class Section:
    """One report section: anchor id, heading and escaped HTML body."""

    anchor: str
    title: str
    body: str


def _summary(r: RunResult, c: ChartSet) -> str:
    head = headline_table(r.table("scenario_summary"))
    if head.empty:
        return '<p class="empty">The run produced no scenario summary.</p>'
    worst = charts.argmax_label(head["es99"], head["scenario"])
    w = head[head["scenario"] == worst].iloc[0]
    cards = [("Worst scenario (ES99)", escape(str(w["scenario"]))),
             ("Expected loss", f"{fmt_usd(w['el'])} ± {fmt_usd(w['el_se'])} "
                               f"({fmt_bp(w['el / exposure'])})"),
             ("VaR 99%", f"{fmt_usd(w['var99'])} ± {fmt_usd(w['var99_se'])}"),
             ("ES 99%", f"{fmt_usd(w['es99'])} ± {fmt_usd(w['es99_se'])}"),
             ("LGD", fmt_pct(w["lgd"], 1)), ("Mean defaults", fmt_num(w["mean_defaults"], 3)),
             ("Refi gap, months 12–24", f"{fmt_usd(w['refi_gap_12_24'])} of "
                                        f"{fmt_usd(w['due_12_24'])} due")]
    cards_html = "".join(f"<div>{escape(k)}<b>{v}</b></div>" for k, v in cards)
    text = (f"<p>Under <b>{escape(str(w['scenario']))}</b>, the most severe scenario of this run, "
            f"expected loss is {fmt_usd(w['el'])} ({fmt_bp(w['el / exposure'])} of "
            f"{fmt_usd(w['exposure'])} exposure) and the 99% expected shortfall is "
            f"{fmt_usd(w['es99'])}. Of {fmt_usd(w['due_12_24'])} due in months 12–24, "
            f"{fmt_usd(w['refi_gap_12_24'])} is expected to fail to refinance.</p>")
    table = html_table(head, kinds=dict(HEADLINE_COLUMNS), labels=HEADLINE_LABELS)
    return f'<div class="headline">{cards_html}</div>{text}{table}'


def _maturity(r: RunResult, c: ChartSet) -> str:
    return (c.div(charts.maturity_wall(r)) or '<p class="empty">No maturity wall.</p>') + \
        "<p class=\"note\">Contractual principal due (maturities, ARDs, balloons) by quarter.</p>"


def _refi(r: RunResult, c: ChartSet) -> str:
    return c.div(charts.refi_gap(r)) or '<p class="empty">No refinancing gap table.</p>'


def _cliff(r: RunResult, c: ChartSet) -> str:
    b = r.table("borrower_metrics")
    worst = charts.worst_scenario(r)
    top = b[b["scenario"] == worst].sort_values("p_cliff_12_24", ascending=False, kind="stable")
    cols = ["borrower_id", "borrower_name", "archetype", "rating", "p_cliff_12_24", "pd",
            "pd_payment", "pd_covenant", "pd_maturity", "median_default_month", "el"]
    return (c.div(charts.time_to_cliff(r))
            + f"<h3>Borrowers most exposed to the 12–24 month cliff — {escape(str(worst))}</h3>"
            + html_table(top[cols], "borrower_metrics", max_rows=TOP_BORROWERS))


def _losses(r: RunResult, c: ChartSet) -> str:
    cols = ["scenario", "lender_id", "lender_name", "exposure", "el", "el_se", "var99", "es95",
            "es99", "es99_se", "es999"]
    return (c.div(charts.loss_exceedance(r, charts.worst_scenario(r))) + c.div(charts.lender_es(r))
            + html_table(r.table("lender_metrics")[cols], "lender_metrics",
                         max_rows=MAX_TABLE_ROWS))


def _contributors(r: RunResult, c: ChartSet) -> str:
    worst = charts.worst_scenario(r)
    t = r.table("risk_contributions")
    t = t[t["scenario"] == worst].copy()
    total = t.groupby("lender_id")["es99_contribution"].transform("sum")
    t["share"] = t["es99_contribution"] / total.where(total != 0)
    t = t.sort_values("es99_contribution", ascending=False, kind="stable")
    return (c.div(charts.top_contributors(r, worst))
            + html_table(t, "risk_contributions", kinds={"share": "pct"},
                         labels={"share": "share of lender ES99"},
                         max_rows=charts.TOP_CONTRIBUTORS))


def _theme(r: RunResult, c: ChartSet) -> str:
    if r.table("theme_split").empty:
        return f'<p class="empty">{escape(NO_SPLIT_TEXT)}</p>'
    if not charts.has_software_side(r):
        return f"<p>{EXPLANATION}</p><p class=\"empty\">{escape(NO_SOFTWARE_TEXT)}</p>"
    parts = [f"<p>{EXPLANATION}</p>", c.div(charts.theme_el(r))]
    for scenario in theme_scenarios(r):
        parts += [f"<h3>{escape(scenario)}</h3>", book_finding(r, scenario),
                  html_table(theme_table(r, scenario), "theme_split", max_rows=MAX_TABLE_ROWS)]
    return "".join(parts)


def _benchmark(r: RunResult, c: ChartSet) -> str:
    """Model EL and PDs beside the rating-implied benchmark (a before-picture, not a target)."""
    el, pds = r.table("el_benchmark"), r.table("pd_benchmark")
    if el.empty or pds.empty:
        return '<p class="empty">The run produced no benchmark comparison.</p>'
    first = str(pds["scenario"].iloc[0])
    book = el[el["lender_id"] == "portfolio"].drop(columns=["lender_id", "lender_name"])
    borrowers = pds[pds["scenario"] == first].drop(columns=["scenario"])
    return ("<p>The rating-implied benchmark: each facility's exposure at t0 × the long-run "
            "average cumulative default rate of its borrower's rating letter over the horizon "
            "(S&amp;P global corporate study; unrated borrowers mapped by parent or archetype) × "
            "a seniority LGD (senior secured 35%, senior unsecured 60%, subordinated 70%). "
            "Sources: <code>data/market/default_studies.yaml</code>. A ratio far from 1 says the "
            "model and the ratings disagree; the data card explains the largest gaps.</p>"
            + html_table(book, "el_benchmark", max_rows=MAX_TABLE_ROWS)
            + f"<h3>Model PD vs rating-implied PD, {escape(first)}</h3>"
            + html_table(borrowers, "pd_benchmark", max_rows=MAX_TABLE_ROWS))


def _contagion(r: RunResult, c: ChartSet) -> str:
    t = r.table("contagion").copy()
    t["el_amplification"] = t["el_on"] / t["el_off"].where(t["el_off"] != 0) - 1.0
    t["es99_amplification"] = t["es99_on"] / t["es99_off"].where(t["es99_off"] != 0) - 1.0
    return (c.div(charts.contagion(r))
            + html_table(t, "contagion", kinds={"el_amplification": "pct",
                                                "es99_amplification": "pct"},
                         labels={"el_amplification": "EL uplift",
                                 "es99_amplification": "ES99 uplift"}, max_rows=MAX_TABLE_ROWS))


def _drawdowns(r: RunResult, c: ChartSet) -> str:
    t = r.table("drawdowns")
    peak = t.groupby(["scenario", "lender_id"], sort=False)["drawn"].max().reset_index()
    peak = peak.sort_values("drawn", ascending=False, kind="stable")
    return (c.div(charts.drawdowns(r))
            + f"<h3>Largest peak expected drawn amounts (top {TOP_PEAK_DRAWS})</h3>"
            + html_table(peak.rename(columns={"drawn": "peak drawn"}), "drawdowns",
                         kinds={"peak drawn": "usd"}, max_rows=TOP_PEAK_DRAWS))


def _fans(r: RunResult, c: ChartSet) -> str:
    """One small panel per scenario for each factor (a shared axis), not every scenario's band
    drawn over each other."""
    from cliffwatch.report.pack import small_multiples

    figs = [small_multiples(r, f) for f in charts.fan_factors(r)]
    for fig in figs:
        if fig is not None:
            fig.update_layout(width=None, autosize=True)
    divs = "".join(c.div(fig) for fig in figs)
    return divs or '<p class="empty">No factor fan charts.</p>'


def _reverse(r: RunResult, c: ChartSet) -> str:
    t = r.table("reverse_stress")
    names = r.table("borrower_metrics")[["borrower_id", "borrower_name"]].drop_duplicates(
        "borrower_id")
    t = t.merge(names, on="borrower_id", how="left")
    t = t[["borrower_id", "borrower_name", "utilization_threshold", "rent_decline_threshold"]]
    return ("<p>The utilization level below which, and the GPU rent decline at which, each "
            "borrower defaults within the horizon (– : not within the tested range).</p>"
            + html_table(t, "reverse_stress", kinds={"borrower_name": "text"},
                         max_rows=MAX_TABLE_ROWS))


def _sensitivities(r: RunResult, c: ChartSet) -> str:
    from cliffwatch.report.sensitivity_view import SENSITIVITY_NOTE, sensitivity_display

    t = r.table("sensitivities")
    if t.empty:
        return '<p class="empty">No sensitivities in this run.</p>'
    return (f"<p>{escape(SENSITIVITY_NOTE)}</p>"
            + html_table(sensitivity_display(t), kinds={c: "text" for c in
                                                       sensitivity_display(t).columns},
                         max_rows=MAX_TABLE_ROWS))


def _methodology(r: RunResult, c: ChartSet) -> str:
    a = r.table("assumptions")
    a = a.assign(source=a["source"].astype(str).map(public_text))
    return METHODOLOGY_HTML + "<h3>Assumptions</h3>" + html_table(a, "assumptions")


def _manifest(r: RunResult, c: ChartSet) -> str:
    facts = pd.DataFrame(manifest_rows(r.manifest), columns=["item", "value"])
    parts = [html_table(facts)]
    specs = r.manifest.get("scenarios")
    if isinstance(specs, dict):
        parts.append("<h3>Scenario specifications</h3>")
        for name, spec in specs.items():
            rows = scenario_rows(spec) if isinstance(spec, dict) else pd.DataFrame()
            desc = spec.get("description", "") if isinstance(spec, dict) else ""
            parts.append(f'<h4>{escape(str(name))}</h4><p class="note">{escape(str(desc))}</p>'
                         + (html_table(rows, kinds={"factor": "text", "change": "text"})
                            if not rows.empty else
                            '<p class="note">The calibrated model, unchanged.</p>'))
    for key, label in [("dependencies", "Dependencies"), ("timings", "Timings (seconds)")]:
        if isinstance(r.manifest.get(key), dict):
            rows = pd.DataFrame([(k, str(v)) for k, v in sorted(r.manifest[key].items())],
                                columns=["item", "value"])
            parts.append(f"<h3>{label}</h3>" + html_table(rows))
    return "".join(parts)


SECTIONS: list[tuple[str, str, Callable[[RunResult, ChartSet], str]]] = [
    ("summary", "Executive summary", _summary),
    ("maturity-wall", "Maturity wall", _maturity),
    ("refi-gap", "Refinancing gap by scenario", _refi),
    ("time-to-cliff", "Time to cliff", _cliff),
    ("losses", "Loss distributions and expected shortfall per lender", _losses),
    ("contributors", "Top risk contributors", _contributors),
    ("benchmark", "Model vs rating-implied benchmark", _benchmark),
    ("ai-theme", "The two sides of the AI theme", _theme),
    ("contagion", "Contagion amplification (fire sales on vs off)", _contagion),
    ("drawdowns", "Committed-facility drawdowns", _drawdowns),
    ("fan-charts", "Scenario fan charts", _fans),
    ("reverse-stress", "Reverse stress", _reverse),
    ("sensitivities", "Sensitivities", _sensitivities),
    ("methodology", "Methodology and assumptions", _methodology),
    ("manifest", "Run manifest", _manifest),
]
"""(anchor, title, builder) of every section, in reading order."""


def build_sections(result: RunResult, chart_set: ChartSet) -> list[Section]:
    """All sections of the report of ``result``; figures are added to ``chart_set``."""
    return [Section(a, t, build(result, chart_set)) for a, t, build in SECTIONS]
