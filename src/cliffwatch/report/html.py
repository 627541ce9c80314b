"""The credit-committee report: one self-contained HTML file that works offline.

Plotly's JavaScript is inlined once; each chart is a div filled from JSON in which ``<``, ``>``
and ``&`` are escaped, so no tape string can close a script element. Every table cell and
label passes through :func:`html.escape`. The output depends only on the RunResult (no clock,
no random ids), so the report rebuilt from the store equals the one built in memory.
"""

from __future__ import annotations

import functools
import json
from html import escape
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from cliffwatch.report.atomic import replaced_on_success
from cliffwatch.report.sections import Section, build_sections
from cliffwatch.report.style import REPORT_CSS
from cliffwatch.results import RunResult

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})
"""JSON escapes that keep data inside a <script> element inert (valid JSON all the same)."""


class ChartSet:
    """Collects the report's figures and hands out the div that will hold each one."""

    def __init__(self, config: dict[str, object] | None = None) -> None:
        self.figures: list[tuple[str, str]] = []
        self.config = {**PLOTLY_CONFIG, **(config or {})}

    def div(self, fig: go.Figure | None) -> str:
        """The placeholder div for ``fig`` ('' when there is no figure)."""
        if fig is None:
            return ""
        div_id = f"chart-{len(self.figures) + 1}"
        self.figures.append((div_id, fig.to_json()))
        return f'<div class="chart" id="{div_id}"></div>'

    def script(self) -> str:
        """JavaScript that draws every collected figure."""
        figs = "{" + ",".join(f"{json.dumps(i)}:{j}" for i, j in self.figures) + "}"
        return (f"const FIGURES = {figs.translate(_SCRIPT_SAFE)};\n"
                f"const CONFIG = {json.dumps(self.config)};\n"
                "for (const [id, f] of Object.entries(FIGURES)) {\n"
                "  Plotly.newPlot(id, f.data, f.layout, CONFIG);\n}\n")


@functools.cache
def plotly_js() -> str:
    """The bundled plotly.js source (4.8 MB, read once per process)."""
    return get_plotlyjs()


def build_html(result: RunResult) -> str:
    """The full report of ``result`` as an HTML document (UTF-8 text)."""
    chart_set = ChartSet()
    sections = build_sections(result, chart_set)
    title = f"cliffwatch report — {result.manifest.get('tape_name', 'run')}"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(str(title))}</title>", f"<style>{REPORT_CSS}</style>",
        f"<script>{plotly_js()}</script>", "</head>", "<body>",
        _header(result), _nav(sections), *(_section(s) for s in sections),
        f"<script>{chart_set.script()}</script>", "</body>", "</html>",
    ])


def chart_count(result: RunResult) -> int:
    """Number of charts the report of ``result`` draws."""
    chart_set = ChartSet()
    build_sections(result, chart_set)
    return len(chart_set.figures)


def _header(result: RunResult) -> str:
    m = result.manifest
    facts = " · ".join(escape(f"{label}: {m[k]}") for k, label in [
        ("tape_name", "Tape"), ("valuation_date", "Valuation"), ("run_id", "Run"),
        ("paths", "Paths"), ("seed", "Seed")] if k in m)
    return (f"<header><h1>AI-infrastructure debt stress test</h1>"
            f'<p class="facts">{facts}</p></header>')


def _nav(sections: list[Section]) -> str:
    links = "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in sections)
    return f'<nav><ol>{links}</ol></nav>'


def _section(s: Section) -> str:
    return f'<section id="{s.anchor}"><h2>{escape(s.title)}</h2>\n{s.body}\n</section>'


def write_html(result: RunResult, path: str | Path) -> Path:
    """Write the report of ``result`` to ``path`` (atomically) and return the path.

    Raises
    ------
    OSError
        ``path`` cannot be written.
    """
    path = Path(path)
    with replaced_on_success(path) as partial:
        partial.write_text(build_html(result), encoding="utf-8")
    return path


__all__ = ["ChartSet", "build_html", "chart_count", "write_html"]
