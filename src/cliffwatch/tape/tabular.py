"""The tape as flat tables: column order, cell types and the cell encoding shared by writers.

Spreadsheet-friendly encoding of ragged fields: a facility's collateral is one cell of
``;``-separated asset ids; draw schedules and custom principal schedules are their own tables
(``draws``, ``amortization_schedule``) with one row per date. Dates are date cells (XLSX,
Parquet) or ISO text (CSV); booleans are ``true``/``false``.
"""

from __future__ import annotations

import types
import typing
from datetime import date
from typing import Any, Literal

from pydantic.fields import FieldInfo

from cliffwatch.tape.schema import TABLE_MODELS, Portfolio

CellType = Literal["text", "number", "integer", "boolean", "date", "list"]
LIST_SEPARATOR = ";"


_CELL_TYPES: dict[Any, CellType] = {
    str: "text", float: "number", int: "integer", bool: "boolean", date: "date",
}


def cell_type(info: FieldInfo) -> CellType:
    """The spreadsheet type of a schema field (Optional and Annotated wrappers removed)."""
    base = _base(info.annotation)
    if typing.get_origin(base) is list:
        return "list"
    return _CELL_TYPES[base]


def _base(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base(args[0])
    return annotation


def columns(table: str) -> list[str]:
    """Column names of ``table`` in schema order."""
    return list(TABLE_MODELS[table].model_fields)


def column_types(table: str) -> dict[str, CellType]:
    """Cell type of every column of ``table``."""
    return {n: cell_type(f) for n, f in TABLE_MODELS[table].model_fields.items()}


def encode_cell(value: Any) -> Any:
    """A validated value as a table cell: lists joined by ``;``, everything else unchanged."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value) if value else None
    return value


def portfolio_tables(portfolio: Portfolio) -> dict[str, list[list[Any]]]:
    """Every table of ``portfolio`` as rows of encoded cells in :func:`columns` order."""
    out: dict[str, list[list[Any]]] = {}
    for table in TABLE_MODELS:
        names = columns(table)
        out[table] = [
            [encode_cell(getattr(row, n)) for n in names] for row in portfolio.rows(table)
        ]
    return out
