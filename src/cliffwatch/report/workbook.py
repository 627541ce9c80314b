"""The Excel workbook of a run: a summary sheet, then one sheet per result table.

Every sheet has a frozen header, an autofilter and fitted column widths; money is formatted
``#,##0`` and shares ``0.00%``. Text cells are always written as strings, so a tape value such
as ``=SUM(A1)`` or ``@ABS`` can never become a formula.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from cliffwatch.report.atomic import replaced_on_success
from cliffwatch.report.columns import ColumnKind, column_kind
from cliffwatch.report.summary import headline_rows, manifest_rows
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


def write_workbook(result: RunResult, path: str | Path) -> Path:
    """Write the workbook of ``result`` to ``path`` and return the path.

    Raises
    ------
    OSError
        ``path`` cannot be written.
    """
    path = Path(path)
    try:
        with replaced_on_success(path) as partial:
            _write(result, partial)
    except FileCreateError as exc:
        raise OSError(f"{path}: cannot write the workbook: {exc}") from exc
    return path


def _write(result: RunResult, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = {k: wb.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
        header = wb.add_format({"bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff",
                                "text_wrap": True, "valign": "top"})
        truncated = {n: len(result.table(n)) for n in TABLES
                     if len(result.table(n)) > EXCEL_MAX_ROWS - 1}
        _summary_sheet(wb, result, header, formats, truncated)
        for name in TABLES:
            _table_sheet(wb.add_worksheet(name), name, result.table(name), header, formats)
        _manifest_sheet(wb, result, header)
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
        ws.write_string(0, c, col, header)
    _write_rows(ws, df.head(n), kinds, formats)


def _write_rows(ws: Worksheet, df: pd.DataFrame, kinds: list[ColumnKind],
                formats: dict[ColumnKind, Any]) -> None:
    """Write ``df`` below the header, typed by column kind (the hot loop of big tables)."""
    columns = []
    for col, kind in zip(df.columns, kinds, strict=True):
        missing = df[col].isna().to_numpy()
        numeric = kind != "text"
        flag = pd.api.types.is_bool_dtype(df[col].dtype)  # an Excel TRUE / FALSE cell
        values = (df[col].to_numpy(dtype=float, na_value=np.nan) if numeric
                  else df[col].astype(object).tolist())
        columns.append((values.tolist() if numeric else values, missing.tolist(), numeric,
                        flag, formats[kind]))
    write_number, write_string, write_blank = ws.write_number, ws.write_string, ws.write_blank
    write_boolean = ws.write_boolean
    for r in range(len(df)):
        for c, (values, missing, numeric, flag, fmt) in enumerate(columns):
            if missing[r]:
                write_blank(r + 1, c, None, fmt)
            elif numeric:
                write_number(r + 1, c, values[r], fmt)
            elif flag:
                write_boolean(r + 1, c, bool(values[r]), fmt)
            else:
                write_string(r + 1, c, str(values[r]), fmt)  # never a formula


def _width(col: str, sample: pd.Series, kind: ColumnKind) -> int:
    if kind == "text":
        longest = max((len(str(v)) for v in sample.dropna()), default=0)
    elif kind == "usd":
        longest = max((len(f"{v:,.0f}") for v in sample.dropna()), default=0)
    else:
        longest = 12
    return int(min(MAX_WIDTH, max(MIN_WIDTH, len(col) + 2, longest + 2)))


def _summary_sheet(wb: xlsxwriter.Workbook, result: RunResult, header: Any,
                   formats: dict[ColumnKind, Any], truncated: dict[str, int]) -> None:
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
    for c, col in enumerate(cols):
        ws.write_string(row, c, col, header)
        ws.set_column(c, c, max(18, len(col) + 2))
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


def _manifest_sheet(wb: xlsxwriter.Workbook, result: RunResult, header: Any) -> None:
    ws = wb.add_worksheet("manifest")
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, "key", header)
    ws.write_string(0, 1, "value (JSON)", header)
    ws.freeze_panes(1, 0)
    for r, (key, value) in enumerate(result.manifest.items(), start=1):
        ws.write_string(r, 0, str(key))
        ws.write_string(r, 1, json.dumps(value, default=str, sort_keys=True))
