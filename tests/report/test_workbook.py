"""The Excel workbook: sheets, formats, frozen headers, and no formula injection."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.report.summary import headline_table
from cliffwatch.report.workbook import heading, loss_paths_path, write_workbook
from cliffwatch.results import TABLES, RunResult, conform

from .fixtures import HOSTILE_BORROWER, LENDERS, make_result

FORMULA_PREFIXES = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = write_workbook(make_result(paths=60), tmp_path_factory.mktemp("wb") / "run.xlsx")
    return openpyxl.load_workbook(path)


SHEET_TABLES = [n for n in TABLES if n != "lender_loss_paths"]


def test_summary_first_then_one_sheet_per_table(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["summary", *SHEET_TABLES, "columns", "manifest"]


def test_loss_paths_go_to_parquet_or_an_opt_in_sheet(tmp_path: Path) -> None:
    result = make_result(paths=60)
    path = write_workbook(result, tmp_path / "run.xlsx")
    back = pd.read_parquet(loss_paths_path(path))
    pd.testing.assert_frame_equal(back, result.table("lender_loss_paths"), check_dtype=False)
    summary = [c for row in openpyxl.load_workbook(path)["summary"].iter_rows(values_only=True)
               for c in row if isinstance(c, str)]
    assert any("run.loss_paths.parquet" in c for c in summary)
    with_sheet = write_workbook(result, tmp_path / "all.xlsx", loss_paths=True)
    assert "lender_loss_paths" in openpyxl.load_workbook(with_sheet).sheetnames
    assert not loss_paths_path(with_sheet).exists()


def test_headers_are_words_with_units_and_numbers_are_numbers(book: openpyxl.Workbook) -> None:
    lm = [c.value for c in book["lender_metrics"][1]]
    assert "EL s.e. (USD)" in lm and "el_se" not in lm
    assert heading("facility_metrics", "pd60") == "PD 60m"
    codes = {(r[0], r[2]): r[1] for r in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert codes[("lender_metrics", "el_se")] == "EL s.e. (USD)"
    values = {r[0]: r[1] for r in book["assumptions"].iter_rows(min_row=2, values_only=True)}
    numeric = [v for v in values.values() if not isinstance(v, str)]
    assert numeric and all(isinstance(v, float) for v in numeric)
    manifest = {r[0]: r[1] for r in book["manifest"].iter_rows(min_row=2, values_only=True)}
    assert manifest["paths"] == 60


def test_every_table_sheet_matches_the_result(book: openpyxl.Workbook) -> None:
    result = make_result(paths=60)
    for name in SHEET_TABLES:
        ws = book[name]
        df = result.table(name)
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == [heading(name, c) for c, _, _ in TABLES[name]]
        assert len(rows) == len(df) + 1
        for got, want in zip(rows[1:], df.itertuples(index=False), strict=True):
            for g, w in zip(got, want, strict=True):
                if isinstance(w, float) and math.isnan(w):
                    assert g is None
                elif isinstance(w, str) and name == "assumptions" and not isinstance(g, str):
                    assert g == float(w)  # a number stored as text by the run
                elif isinstance(w, str):
                    assert g == w
                else:
                    # xlsxwriter writes 16 significant digits (%.16g), Excel keeps 15
                    assert g == pytest.approx(float(w), rel=1e-15, abs=0)


def test_formula_like_strings_are_text_cells(book: openpyxl.Workbook) -> None:
    hostile = {lid for lid, _ in LENDERS if lid.startswith(FORMULA_PREFIXES)}
    seen = set()
    for name in book.sheetnames:
        for row in book[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert hostile <= seen
    assert {"=F1", "+F2", "-F3", "@F4", "=1+1"} <= seen
    assert HOSTILE_BORROWER in [c.value for c in book["borrower_metrics"]["C"]]


def test_headers_frozen_filtered_and_formatted(book: openpyxl.Workbook) -> None:
    ws = book["lender_metrics"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    assert ws["E2"].number_format == "#,##0"  # el, USD
    assert book["facility_metrics"]["G2"].number_format == "0.00%"  # pd12
    assert ws.column_dimensions["B"].width >= len("=SUM(A1:A9)")


def test_summary_sheet_holds_headline_figures(book: openpyxl.Workbook) -> None:
    result = make_result(paths=60)
    head = headline_table(result.table("scenario_summary"))
    values = [c for row in book["summary"].iter_rows(values_only=True) for c in row]
    assert result.manifest["run_id"] in values
    for v in head["es99"]:
        assert pytest.approx(v) in values
    ratio = head["el / exposure"].iloc[0]
    assert ratio == pytest.approx(head["el"].iloc[0] / head["exposure"].iloc[0])
    assert pytest.approx(ratio) in values


def test_unwritable_path_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_workbook(make_result(paths=20), blocker / "run.xlsx")


def test_tables_beyond_excel_rows_are_cut_and_flagged(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from cliffwatch.report import workbook

    limit = 101  # header + 100 rows stands in for Excel's 1,048,576
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", limit)
    result = make_result(paths=60)
    n = len(result.table("lender_loss_paths"))
    book = openpyxl.load_workbook(write_workbook(result, tmp_path / "cut.xlsx",
                                                 loss_paths=True))
    assert book["lender_loss_paths"].max_row == limit
    notes = [c for row in book["summary"].iter_rows(values_only=True) for c in row
             if isinstance(c, str) and c.startswith("Sheet lender_loss_paths")]
    assert notes == [f"Sheet lender_loss_paths shows the first {limit - 1:,} of {n:,} rows "
                     "(Excel's limit); the store holds them all."]


@settings(max_examples=10)
@given(ids=st.lists(st.from_regex(r"[=+\-@][ -~]{0,20}", fullmatch=True), min_size=1,
                    max_size=5))
def test_any_formula_like_id_round_trips_as_text(ids: list[str]) -> None:
    df = pd.DataFrame({"scenario": "base", "path": range(len(ids)), "lender_id": ids,
                       "loss": 1.0})
    result = RunResult(tables={"lender_loss_paths": conform("lender_loss_paths", df)})
    with tempfile.TemporaryDirectory() as d:
        ws = openpyxl.load_workbook(write_workbook(result, Path(d) / "p.xlsx",
                                                   loss_paths=True))["lender_loss_paths"]
        cells = [ws.cell(row=r + 2, column=3) for r in range(len(ids))]
    assert [c.value for c in cells] == ids
    assert {c.data_type for c in cells} == {"s"}
