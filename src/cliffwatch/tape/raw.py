"""Raw tables as read from a file, before validation, with where each row came from.

Readers of every format produce a :class:`RawTape`: per table, the header as written, the rows
as dicts of cell values (``None`` for empty) and the row number the user sees. Header and table
names are matched case-insensitively after trimming whitespace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cliffwatch.tape.errors import Issue, Severity


def normalize_name(name: Any) -> str:
    """Header/table name as matched: trimmed, lower-case, inner spaces as underscores."""
    return "_".join(str(name).strip().lower().split())


def clean_cell(value: Any) -> Any:
    """Empty text and NaN mean 'no value'; text is trimmed."""
    kind = type(value)  # exact-type tests first: this runs once per cell of big tapes
    if kind is str or isinstance(value, str):
        text = value.strip()
        return text or None
    if (kind is float or isinstance(value, float)) and math.isnan(value):
        return None
    return value


@dataclass(frozen=True)
class TableSource:
    """Where the rows of one table came from.

    ``row_numbers[i]`` is the number the user sees for row ``i`` (spreadsheet row with header = 1,
    or YAML line); ``row_word`` is "row" or "line".
    """

    file: str
    sheet: str
    row_numbers: list[int]
    row_word: str = "row"

    def row(self, index: int) -> int | None:
        """Displayed number of row ``index`` (``None`` if out of range)."""
        return self.row_numbers[index] if 0 <= index < len(self.row_numbers) else None

    def issue(
        self,
        index: int | None,
        column: str,
        value: Any,
        expected: str,
        severity: Severity = "error",
    ) -> Issue:
        """An issue located at row ``index`` (``None``: the whole table) of this source."""
        row = None if index is None else self.row(index)
        return Issue(self.file, self.sheet, row, column, value, expected, severity, self.row_word)


@dataclass
class RawTable:
    """One table as read: normalized column names, rows of cleaned cells, and its source."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    source: TableSource
    layout_issues: list[Issue] = field(default_factory=list)
    """Duplicate headers and cells without a header, found while reading."""


@dataclass
class RawTape:
    """Every table found in one tape file or folder, keyed by normalized table name."""

    file: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    """Sheets/files that are not tape tables (reported as warnings)."""


def table_from_records(
    name: str, header: list[Any], records: list[list[Any]], file: str, sheet: str
) -> RawTable:
    """Build a RawTable from a header row and data rows (spreadsheet numbering: header = 1).

    Fully empty rows are skipped (their numbers are kept for the rows that follow).
    """
    columns = [normalize_name(h) if clean_cell(h) is not None else "" for h in header]
    source = TableSource(file, sheet, [])
    layout: list[Issue] = [
        Issue(file, sheet, 1, col, None, "each column once (duplicate header)")
        for i, col in enumerate(columns) if col and col in columns[:i]
    ]
    rows: list[dict[str, Any]] = []
    for offset, record in enumerate(records):
        cells = [clean_cell(v) for v in record]
        if all(c is None for c in cells):
            continue
        headless = [i for i, c in enumerate(cells) if c is not None
                    and (i >= len(columns) or not columns[i])]
        if headless:
            layout.append(Issue(file, sheet, offset + 2, f"#{headless[0] + 1}",
                                cells[headless[0]], "a header above every filled cell"))
        rows.append({col: cells[i] if i < len(cells) else None
                     for i, col in enumerate(columns) if col})
        source.row_numbers.append(offset + 2)
    return RawTable(normalize_name(name), columns, rows, source, layout)
