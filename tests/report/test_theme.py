"""The report's "two sides of the AI theme" section, chart and their edge cases."""

from __future__ import annotations

import re
from html import escape

import numpy as np
import pytest

from cliffwatch.analytics.theme import BOOK_ID, TWO_SIDED_MIN_SHARE
from cliffwatch.report import charts
from cliffwatch.report.format import fmt_usd
from cliffwatch.report.html import ChartSet, build_html, chart_count
from cliffwatch.report.sections import SECTIONS
from cliffwatch.report.theme import NO_SOFTWARE_TEXT, NO_SPLIT_TEXT, theme_table
from cliffwatch.results import RunResult

from .fixtures import LENDERS, make_result

SECTION = dict((a, b) for a, _, b in SECTIONS)["ai-theme"]


@pytest.fixture(scope="module")
def result() -> RunResult:
    return make_result(paths=200, scenarios=("base", "crowded_unwind"))


def _without_software(r: RunResult) -> RunResult:
    t = r.tables["theme_split"].copy()
    for col in ("exposure_software", "ead_software", "el_software", "software_share"):
        t[col] = 0.0
    t["two_sided"] = False
    return RunResult(tables={**r.tables, "theme_split": t}, manifest=r.manifest)


def test_section_has_a_table_per_scenario_with_escaped_lenders(result: RunResult) -> None:
    body = SECTION(result, ChartSet())
    for scenario in ("base", "crowded_unwind"):
        assert f"<h3>{scenario}</h3>" in body
    for lid, name in LENDERS:
        assert escape(name) in body and escape(lid) in body
    assert "Bank B & Co" not in body  # the ampersand is escaped
    book = result.table("theme_split")
    book = book[(book["lender_id"] == BOOK_ID) & (book["scenario"] == "crowded_unwind")].iloc[0]
    for value in ("el_infra", "el_software", "diversification"):
        assert fmt_usd(book[value]) in body
    assert "two-sided" in body.lower()


def test_two_sided_flag_reads_yes_or_no_by_the_rule(result: RunResult) -> None:
    t = theme_table(result, "base")
    share = t["exposure_software"] / (t["exposure_infra"] + t["exposure_software"])
    want = np.where((share >= TWO_SIDED_MIN_SHARE) & (1 - share >= TWO_SIDED_MIN_SHARE),
                    "yes", "no")
    assert t["two_sided"].tolist() == want.tolist()
    assert set(t["two_sided"]) == {"yes", "no"}


def test_chart_stacks_each_lenders_el_by_side(result: RunResult) -> None:
    fig = charts.theme_el(result)
    assert fig is not None
    assert [tr.name for tr in fig.data] == ["infrastructure", "software"]
    t = result.table("theme_split")
    t = t[t["lender_id"] != BOOK_ID]
    total = np.add(fig.data[0].y, fig.data[1].y)
    np.testing.assert_allclose(total, t["el_joint"] / charts.USD_M, rtol=1e-9)
    assert BOOK_ID not in list(fig.data[0].x[0])


def test_book_without_software_says_so_and_draws_no_chart(result: RunResult) -> None:
    r = _without_software(result)
    body = SECTION(r, ChartSet())
    assert escape(NO_SOFTWARE_TEXT) in body
    assert "<table" not in body and 'class="chart"' not in body
    assert charts.theme_el(r) is None
    assert chart_count(r) == chart_count(result) - 1
    page = build_html(r)
    assert not re.search(r"\b(nan|inf)\b", re.sub(r"<script>.*?</script>", "", page,
                                                  flags=re.DOTALL), re.IGNORECASE)


def test_run_stored_before_the_split_says_so(result: RunResult) -> None:
    tables = {k: v for k, v in result.tables.items() if k != "theme_split"}
    r = RunResult(tables=tables, manifest=result.manifest)
    assert escape(NO_SPLIT_TEXT) in SECTION(r, ChartSet())
    assert charts.theme_el(r) is None
