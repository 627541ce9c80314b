"""The report's "model vs rating-implied benchmark" section."""

from __future__ import annotations

from html import escape

import pandas as pd

from cliffwatch.report.html import ChartSet
from cliffwatch.report.sections import SECTIONS
from cliffwatch.results import RunResult, empty_table

from .fixtures import BORROWERS, HOSTILE_BORROWER, make_result

SECTION = dict((a, b) for a, _, b in SECTIONS)["benchmark"]


def test_section_shows_book_rows_and_first_scenario_borrowers() -> None:
    r = make_result(paths=100, scenarios=("base", "crowded_unwind"))
    body = SECTION(r, ChartSet())
    assert "<h3>Model PD vs rating-implied PD, base</h3>" in body
    for _, name, _, _ in BORROWERS:
        assert escape(name) in body
    assert HOSTILE_BORROWER not in body  # tape strings are escaped
    # one book row per scenario, not one per lender
    assert body.count("crowded_unwind") == 1
    assert "Formula Bank" not in body


def test_section_without_benchmark_tables_says_so() -> None:
    r = make_result(paths=100, scenarios=("base",))
    tables: dict[str, pd.DataFrame] = {**r.tables, "pd_benchmark": empty_table("pd_benchmark")}
    body = SECTION(RunResult(tables=tables, manifest=r.manifest), ChartSet())
    assert "no benchmark comparison" in body
