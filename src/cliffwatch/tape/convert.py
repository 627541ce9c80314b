"""Cells as typed in a spreadsheet -> the schema's plain forms, with a note of each conversion.

Runs on a raw table before validation. Per column, the schema's unit decides what text is read
(:mod:`cliffwatch.tape.typed_text`); a %-formatted number cell (Excel stores 7.5% as 0.075) is
read as the percent it shows. Every kind of conversion is summarised once per column as a
warning (``converted 12 cells: '7.5%' read as 7.5``), so the user sees what was changed; text
that cannot be read becomes one located error naming the expected form.

Plain numbers and ISO dates (the bulk of every CSV) pass through untouched on a fast path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from cliffwatch.tape.columns import UNIT_KEY
from cliffwatch.tape.errors import Issue
from cliffwatch.tape.raw import RawTable
from cliffwatch.tape.schema import Row
from cliffwatch.tape.tabular import CellType, cell_type
from cliffwatch.tape.typed_text import (
    Unit,
    is_iso_date,
    is_plain_number,
    percent_cell,
    read_date,
    read_number,
)

PERCENT_FORMAT: Final = "percent"
"""Mark of a %-formatted number cell (see :attr:`RawTable.marks`)."""
FORMULA_WITHOUT_VALUE: Final = "formula"
"""Mark of a formula cell saved without its calculated value."""

FORMULA_MESSAGE: Final = (
    "a value, not a formula saved without its result (the program that wrote the workbook did "
    "not calculate it): open and save the workbook in Excel or LibreOffice, or paste the "
    "values, e.g. 250000000"
)


def column_unit(unit_text: str) -> Unit:
    """The reading unit of a column from its documented unit (``% per year`` -> percent)."""
    if unit_text.startswith("%"):
        return "percent"
    if unit_text.startswith("bp"):
        return "bp"
    if unit_text == "decimal":
        return "share"
    return "number"


@dataclass(frozen=True)
class _Column:
    kind: CellType
    unit: Unit


@dataclass
class Conversions:
    """Conversions made in one table: per (column, note), the count, first row and example."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    first: dict[tuple[str, str], tuple[int, Any, Any]] = field(default_factory=dict)

    def add(self, column: str, note: str, index: int, before: Any, after: Any) -> None:
        key = (column, note)
        self.counts[key] += 1
        self.first.setdefault(key, (index, before, after))

    def issues(self, table: RawTable) -> list[Issue]:
        """One warning per column and kind of conversion, at the first converted row."""
        out = []
        for (column, note), n in self.counts.items():
            index, before, after = self.first[(column, note)]
            shown = after.isoformat() if isinstance(after, date) else repr(after)
            cells = "1 cell" if n == 1 else f"{n} cells"
            text = f"converted {cells} ({note}), e.g. {before!r} read as {shown}"
            out.append(table.source.issue(index, column, None, text, "warning"))
        return out


def _columns(model: type[Row]) -> dict[str, _Column]:
    out = {}
    for name, info in model.model_fields.items():
        kind = cell_type(info)
        if kind in ("number", "integer", "date"):
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            out[name] = _Column(kind, column_unit(str(extra.get(UNIT_KEY, ""))))
    return out


_COLUMNS: dict[type[Row], dict[str, _Column]] = {}


def convert_row(
    model: type[Row],
    table: RawTable,
    index: int,
    values: dict[str, Any],
    conversions: Conversions,
) -> dict[str, str]:
    """Convert the typed cells of row ``index`` in place; return {column: error message}.

    A column with an error is removed from ``values`` (its message replaces the schema's).
    """
    columns = _COLUMNS.get(model)
    if columns is None:
        columns = _COLUMNS[model] = _columns(model)
    failed: dict[str, str] = {}
    if table.marks:
        for name, mark in table.marks.get(index, ()):
            _marked(name, mark, columns.get(name), index, values, conversions, failed)
    for name, value in values.items():
        spec = columns.get(name)
        if spec is not None and type(value) is str:
            _typed(name, value, spec, index, values, conversions, failed)
    for name in failed:
        values.pop(name, None)
    return failed


def _marked(name: str, mark: str, spec: _Column | None, index: int,
            values: dict[str, Any], conversions: Conversions, failed: dict[str, str]) -> None:
    value = values.get(name)
    if mark == FORMULA_WITHOUT_VALUE:
        failed[name] = FORMULA_MESSAGE
    elif (mark == PERCENT_FORMAT and spec is not None and spec.kind != "date"
          and isinstance(value, float | int) and not isinstance(value, bool)):
        converted = percent_cell(float(value), spec.unit)
        if converted is not None:
            values[name] = converted
            conversions.add(name, "%-formatted cell read as the percent it shows", index,
                            f"{float(value) * 100:g}%", converted)


def _typed(name: str, text: str, spec: _Column, index: int, values: dict[str, Any],
           conversions: Conversions, failed: dict[str, str]) -> None:
    try:
        if spec.kind == "date":
            if is_iso_date(text) or is_plain_number(text):
                return  # a number in a date column is refused by the schema, with its reason
            when, note = read_date(text)
            values[name] = when
        else:
            if is_plain_number(text):
                return
            number, note = read_number(text, spec.unit, name)
            values[name] = number
    except ValueError as exc:
        failed[name] = str(exc)
        return
    if note is not None:
        conversions.add(name, note, index, text, values[name])
