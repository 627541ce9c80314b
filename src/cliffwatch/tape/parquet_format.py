"""The tape as a folder of Parquet files, one ``<table>.parquet`` per table.

Columns are typed from the schema (strings, float64, int64, bool, date32; collateral as a
``;``-separated string). Reading accepts any Arrow types the validator can coerce.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.raw import RawTable, RawTape, TableSource, clean_cell, normalize_name
from cliffwatch.tape.schema import TABLE_MODELS, Portfolio
from cliffwatch.tape.tabular import column_types, columns, portfolio_tables

ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(), "list": pa.string(), "number": pa.float64(), "integer": pa.int64(),
    "boolean": pa.bool_(), "date": pa.date32(),
}
"""Arrow type written for each cell type."""


def read_parquet_folder(folder: Path, files: list[Path]) -> RawTape:
    """Read every ``.parquet`` table file of a folder; unreadable files are reported together."""
    raw = RawTape(str(folder))
    issues: list[Issue] = []
    for path in files:
        table = normalize_name(path.stem)
        if table not in TABLE_MODELS:
            raw.ignored.append(path.name)
            continue
        try:
            data = pq.read_table(path)
        except (pa.ArrowException, OSError, ValueError) as exc:
            issues.append(Issue(str(path), "", None, "", None,
                                f"a readable Parquet file ({type(exc).__name__})"))
            continue
        raw.tables[table] = _raw_table(table, data, str(folder), path.name)
    if issues:
        raise TapeError(issues)
    return raw


def _raw_table(table: str, data: pa.Table, file: str, sheet: str) -> RawTable:
    names = [normalize_name(n) for n in data.column_names]
    columns_data = [_clean_column(data.column(i)) for i in range(data.num_columns)]
    rows: list[dict[str, Any]] = [dict(zip(names, cells, strict=True))
                                  for cells in zip(*columns_data, strict=True)]
    if not columns_data:
        rows = [{} for _ in range(data.num_rows)]
    # A Parquet table has no header row on screen; number rows as a spreadsheet export would.
    numbers = list(range(2, data.num_rows + 2))
    return RawTable(table, names, rows, TableSource(file, sheet, numbers))


def _clean_column(column: pa.ChunkedArray) -> list[Any]:
    """Cells of one column as Python values, cleaned as :func:`clean_cell` does (trimmed text,
    empty text and NaN as ``None``) with Arrow kernels for text and float columns."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        trimmed = pc.utf8_trim_whitespace(column)
        return pc.if_else(pc.equal(trimmed, ""), None, trimmed).to_pylist()  # type: ignore[no-any-return]
    if pa.types.is_floating(column.type):
        return pc.if_else(pc.is_nan(column), None, column).to_pylist()  # type: ignore[no-any-return]
    return [clean_cell(v) for v in column.to_pylist()]


def arrow_tables(portfolio: Portfolio) -> dict[str, pa.Table]:
    """Every table of ``portfolio`` as a typed Arrow table."""
    out: dict[str, pa.Table] = {}
    for table, rows in portfolio_tables(portfolio).items():
        names, types = columns(table), column_types(table)
        schema = pa.schema([(n, ARROW_TYPES[types[n]]) for n in names])
        arrays = [pa.array([row[i] for row in rows], type=schema.field(i).type)
                  for i in range(len(names))]
        out[table] = pa.Table.from_arrays(arrays, schema=schema)
    return out


def write_parquet_folder(portfolio: Portfolio, folder: Path) -> None:
    """Write one Parquet file per table into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, data in arrow_tables(portfolio).items():
        pq.write_table(data, folder / f"{table}.parquet")
