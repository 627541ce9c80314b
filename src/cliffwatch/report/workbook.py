"""The Excel workbook of a run: a summary sheet, then one sheet per result table.

Every sheet has a frozen header in words with its unit (``EL s.e. (USD)``; the ``columns``
sheet maps each heading to its code name and meaning), an autofilter and fitted column widths;
money is formatted ``#,##0`` and shares ``0.00%``; numbers are number cells, also where the
run stores them as text (assumption values, manifest figures). Text cells are always written
as strings, so a tape value such as ``=SUM(A1)`` or ``@ABS`` can never become a formula.

The per-path loss table (``lender_loss_paths``: scenarios × paths × lenders rows, most of the
file) is written beside the workbook as Parquet, ``<workbook stem>.loss_paths.parquet``, so the
workbook opens in seconds; ``loss_paths=True`` puts it in a sheet instead.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from cliffwatch.report.atomic import replaced_on_success
from cliffwatch.report.columns import ColumnKind, column_kind
from cliffwatch.report.labels import COLUMN_LABELS
from cliffwatch.report.summary import HEADLINE_LABELS, headline_rows, manifest_rows
from cliffwatch.results import TABLES, RunResult

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel worksheet, header included (Excel specification limits)."""
NUMBER_FORMATS: dict[ColumnKind, str] = {
    "usd": "#,##0", "pct": "0.00%", "bp": "0.00%", "int": "0", "num": "#,##0.0000", "text": "@",
}
"""Excel number format of each column kind (basis points show as % with 2 decimals)."""
MIN_WIDTH, MAX_WIDTH = 8, 48
"""Column width bounds, in characters."""
WIDTH_SAMPLE_ROWS = 500
"""Rows inspected to fit a column's width."""
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    "nan_inf_to_errors": True, "constant_memory": True,
}


EXACT_INTEGER_LIMIT = 2**53
"""Largest integer a spreadsheet number holds exactly (larger seeds stay text)."""
LOSS_PATHS = "lender_loss_paths"
"""The per-path table written as Parquet beside the workbook unless asked for as a sheet."""
LOSS_PATHS_SUFFIX = ".loss_paths.parquet"


def loss_paths_path(workbook: str | Path) -> Path:
    """Where the Parquet loss paths of the workbook ``workbook`` go."""
    path = Path(workbook)
    return path.with_name(path.stem + LOSS_PATHS_SUFFIX)


def workbook_tables(loss_paths: bool) -> list[str]:
    """Result tables that get a sheet, in order."""
    return [n for n in TABLES if loss_paths or n != LOSS_PATHS]


def write_workbook(result: RunResult, path: str | Path, *, loss_paths: bool = False) -> Path:
    """Write the workbook of ``result`` to ``path`` and return the path.

    ``loss_paths=False`` (default) writes the per-path losses to
    :func:`loss_paths_path` (Parquet) instead of a sheet.

    Raises
    ------
    OSError
        ``path`` cannot be written.
    """
    path = Path(path)
    parquet = None if loss_paths else loss_paths_path(path)
    try:
        with replaced_on_success(path) as partial:
            _write(result, partial, loss_paths, parquet)
            if parquet is not None:
                _write_loss_paths(result, parquet)
    except FileCreateError as exc:
        raise OSError(f"{path}: cannot write the workbook: {exc}") from exc
    return path


def _write_loss_paths(result: RunResult, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with replaced_on_success(path) as partial:
        table = pa.Table.from_pandas(result.table(LOSS_PATHS), preserve_index=False)
        pq.write_table(table, partial)


def _write(result: RunResult, path: Path, loss_paths: bool, parquet: Path | None) -> None:
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = {k: wb.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
        header = wb.add_format({"bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff",
                                "text_wrap": True, "valign": "top"})
        names = workbook_tables(loss_paths)
        truncated = {n: len(result.table(n)) for n in names
                     if len(result.table(n)) > EXCEL_MAX_ROWS - 1}
        _summary_sheet(wb, result, header, formats, truncated, parquet)
        for name in names:
            _table_sheet(wb.add_worksheet(name), name, result.table(name), header, formats)
        _columns_sheet(wb, names, header)
        _manifest_sheet(wb, result, header, formats)
    finally:
        wb.close()


def _write_cell(ws: Worksheet, r: int, c: int, value: Any, kind: ColumnKind, fmt: Any) -> None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(r, c, None, fmt)
    elif kind == "text" or isinstance(value, str):
        ws.write_string(r, c, str(value), fmt)  # never a formula, whatever it starts with
    else:
        ws.write_number(r, c, float(value), fmt)


def _table_sheet(ws: Worksheet, name: str, df: pd.DataFrame, header: Any,
                 formats: dict[ColumnKind, Any]) -> None:
    cols = list(df.columns)
    kinds = [column_kind(name, c) for c in cols]
    n = min(len(df), EXCEL_MAX_ROWS - 1)
    for c, (col, kind) in enumerate(zip(cols, kinds, strict=True)):
        ws.set_column(c, c, _width(col, df[col].head(WIDTH_SAMPLE_ROWS), kind), formats[kind])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), max(len(cols) - 1, 0))
    for c, col in enumerate(cols):
        ws.write_string(0, c, heading(name, col), header)
    _write_rows(ws, df.head(n), kinds, formats,
                {c for c in cols if (name, c) in NUMBERS_AS_TEXT})


NUMBERS_AS_TEXT: frozenset[tuple[str, str]] = frozenset({("assumptions", "value")})
"""Text columns whose plain numbers are written as number cells (ids never are)."""


def _write_rows(ws: Worksheet, df: pd.DataFrame, kinds: list[ColumnKind],
                formats: dict[ColumnKind, Any], numbers_in_text: set[str]) -> None:
    """Write ``df`` below the header, typed by column kind (the hot loop of big tables)."""
    columns = []
    for col, kind in zip(df.columns, kinds, strict=True):
        missing = df[col].isna().to_numpy()
        numeric = kind != "text"
        flag = pd.api.types.is_bool_dtype(df[col].dtype)  # an Excel TRUE / FALSE cell
        values = (df[col].to_numpy(dtype=float, na_value=np.nan) if numeric
                  else df[col].astype(object).tolist())
        columns.append((values.tolist() if numeric else values, missing.tolist(), numeric,
                        flag, formats[kind], col in numbers_in_text))
    write_number, write_string, write_blank = ws.write_number, ws.write_string, ws.write_blank
    write_boolean = ws.write_boolean
    for r in range(len(df)):
        for c, (values, missing, numeric, flag, fmt, as_number) in enumerate(columns):
            if missing[r]:
                write_blank(r + 1, c, None, fmt)
            elif numeric:
                write_number(r + 1, c, values[r], fmt)
            elif flag:
                write_boolean(r + 1, c, bool(values[r]), fmt)
            elif as_number and (number := _number_text(values[r])) is not None:
                write_number(r + 1, c, number)  # e.g. an assumption's value "0.2"
            else:
                write_string(r + 1, c, str(values[r]), fmt)  # never a formula


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _number_text(value: Any) -> float | None:
    """The number a text cell spells exactly (``"0.2"``, ``"2000000.0"``), else ``None``.

    Only plain decimals qualify: an id such as ``"=1+1"``, ``"+PC1"`` or ``"@ABS"`` stays text.
    A sign-led number stays text too, so a lender id like ``"-1"`` is never turned into one.
    """
    if not isinstance(value, str) or value[:1] in "+-" or not _PLAIN_NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def heading(table: str, column: str) -> str:
    """A column's heading in words with its unit: ``el_se`` -> ``EL s.e. (USD)``."""
    label = COLUMN_LABELS.get(column) or WORKBOOK_LABELS.get(column) or column.replace("_", " ")
    return label + UNIT_SUFFIX.get(column_kind(table, column), "")


UNIT_SUFFIX: dict[ColumnKind, str] = {"usd": " (USD)"}
"""Unit shown in a heading (shares carry their % format, counts and multiples no unit)."""
WORKBOOK_LABELS: dict[str, str] = {
    "paths": "paths", "mean_defaults": "mean defaults", "refi_gap_12_24": "refi gap 12–24m",
    "due_12_24": "due 12–24m", "kind": "kind", "structure": "structure",
    "commitment": "commitment", "pd12": "PD 12m", "pd24": "PD 24m", "pd36": "PD 36m",
    "pd60": "PD 60m", "pd_se": "PD s.e.", "ead": "EAD", "lgd": "LGD", "quarter": "quarter",
    "due": "due", "failed": "failing to refinance", "failed_p5": "failing, 5th pct",
    "failed_p95": "failing, 95th pct", "month": "month", "probability": "probability",
    "path": "path", "loss": "loss", "drawn": "drawn", "undrawn": "undrawn", "factor": "factor",
    "p5": "5th pct", "p25": "25th pct", "p50": "median", "p75": "75th pct", "p95": "95th pct",
    "archetype": "archetype", "rating": "rating",
    # the rating-implied benchmark (scenario_summary, el_benchmark, pd_benchmark)
    "benchmark_el": "benchmark EL", "el_to_benchmark": "EL / benchmark EL",
    "weighted_lgd": "weighted LGD", "model_el": "model EL", "ratio": "EL / benchmark EL",
    "implied_pd12": "benchmark PD 12m", "implied_pd24": "benchmark PD 24m",
    "implied_pd60": "benchmark PD 60m", "ratio12": "PD / benchmark PD 12m",
    "ratio24": "PD / benchmark PD 24m", "ratio60": "PD / benchmark PD 60m",
}
"""Headings of columns the report's own labels do not name."""


def _columns_sheet(wb: xlsxwriter.Workbook, names: list[str], header: Any) -> None:
    """Every heading with its sheet, code name (as in the store and Parquet) and meaning."""
    ws = wb.add_worksheet("columns")
    for c, (title, width) in enumerate([("sheet", 22), ("heading", 28), ("code name", 24),
                                        ("meaning", 90)]):
        ws.write_string(0, c, title, header)
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    r = 1
    for name in names:
        for col, _, desc in TABLES[name]:
            for c, text in enumerate([name, heading(name, col), col, desc]):
                ws.write_string(r, c, text)
            r += 1


def _width(col: str, sample: pd.Series, kind: ColumnKind) -> int:
    if kind == "text":
        longest = max((len(str(v)) for v in sample.dropna()), default=0)
    elif kind == "usd":
        longest = max((len(f"{v:,.0f}") for v in sample.dropna()), default=0)
    else:
        longest = 12
    return int(min(MAX_WIDTH, max(MIN_WIDTH, len(col) + 2, longest + 2)))


def _summary_sheet(wb: xlsxwriter.Workbook, result: RunResult, header: Any,
                   formats: dict[ColumnKind, Any], truncated: dict[str, int],
                   parquet: Path | None) -> None:
    ws = wb.add_worksheet("summary")
    bold = wb.add_format({"bold": True, "font_size": 14})
    ws.write_string(0, 0, "cliffwatch run summary", bold)
    row = 2
    for key, value in manifest_rows(result.manifest):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, value)
        row += 1
    row += 1
    cols, kinds, rows = headline_rows(result.table("scenario_summary"))
    ws.freeze_panes(row + 1, 0)
    for c, (col, kind) in enumerate(zip(cols, kinds, strict=True)):
        title = HEADLINE_LABELS.get(col, col) + UNIT_SUFFIX.get(kind, "")
        ws.write_string(row, c, title, header)
        ws.set_column(c, c, max(18, len(title) + 2))
    for r, values in enumerate(rows, start=row + 1):
        for c, (v, kind) in enumerate(zip(values, kinds, strict=True)):
            _write_cell(ws, r, c, v, kind, formats[kind])
    if rows:
        ws.autofilter(row, 0, row + len(rows), len(cols) - 1)
    row += len(rows) + 2
    for name, count in truncated.items():
        ws.write_string(row, 0, f"Sheet {name} shows the first {EXCEL_MAX_ROWS - 1:,} of "
                                f"{count:,} rows (Excel's limit); the store holds them all.")
        row += 1
    if parquet is not None:
        ws.write_string(row, 0, f"Loss per scenario, path and lender "
                                f"({len(result.table(LOSS_PATHS)):,} rows): {parquet.name}, "
                                "beside this workbook (Parquet: pandas, DuckDB, Power BI).")


def _manifest_sheet(wb: xlsxwriter.Workbook, result: RunResult, header: Any,
                    formats: dict[ColumnKind, Any]) -> None:
    ws = wb.add_worksheet("manifest")
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, "key", header)
    ws.write_string(0, 1, "value (numbers as numbers, the rest as JSON)", header)
    ws.freeze_panes(1, 0)
    for r, (key, value) in enumerate(result.manifest.items(), start=1):
        ws.write_string(r, 0, str(key))
        if isinstance(value, int | float) and not isinstance(value, bool) \
                and math.isfinite(value) and abs(value) <= EXACT_INTEGER_LIMIT:
            ws.write_number(r, 1, float(value), formats["int" if isinstance(value, int)
                                                        else "num"])
        else:
            ws.write_string(r, 1, json.dumps(value, default=str, sort_keys=True))
