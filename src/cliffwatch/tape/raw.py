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
    marks: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    """Cell facts a spreadsheet reader found beyond the value, as {row index: [(column, mark)]}:
    ``"percent"`` for a %-formatted number, ``"formula"`` for a formula without a saved result."""


@dataclass
class RawTape:
    """Every table found in one tape file or folder, keyed by normalized table name."""

    file: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    """Sheets/files that are not tape tables (reported as warnings)."""


_TITLE_SEARCH_ROWS = 10
"""How far below row 1 a header row under title rows is looked for."""
_HEADER_MIN_KNOWN = 2
"""Known column names a row needs to be taken for the header."""


def _known_count(row: list[Any], known: set[str]) -> int:
    return sum(1 for v in row if isinstance(v, str) and normalize_name(v) in known)


def header_row(name: str, records: list[list[Any]]) -> int:
    """Index of the header among ``records``: 0, unless row 1 names no column of the table and
    a row within the first ten does (a title typed above the header)."""
    from cliffwatch.tape.schema import TABLE_MODELS

    model = TABLE_MODELS.get(normalize_name(name))
    if model is None or not records:
        return 0
    known = set(model.model_fields)
    if _known_count(records[0], known) > 0:
        return 0
    for i, record in enumerate(records[1:_TITLE_SEARCH_ROWS + 1], start=1):
        if _known_count(record, known) >= _HEADER_MIN_KNOWN:
            return i
    return 0


def table_from_records(
    name: str,
    header: list[Any],
    records: list[list[Any]],
    file: str,
    sheet: str,
    marks: dict[int, list[tuple[int, str]]] | None = None,
) -> RawTable:
    """Build a RawTable from a header row and data rows (spreadsheet numbering: header = 1).

    Fully empty rows are skipped (their numbers are kept for the rows that follow). Title rows
    typed above the header are skipped with a warning (the header is the first row naming at
    least two columns of the table). ``marks`` holds cell facts as {sheet row: [(0-based
    column, mark)]}, see :attr:`RawTable.marks`.
    """
    skip = header_row(name, [header, *records])
    layout: list[Issue] = []
    if skip:
        layout.append(Issue(file, sheet, skip + 1, "", None,
                            f"the column names in row 1: the {skip} row(s) above them were "
                            "read as a title and skipped (delete them to silence this "
                            "warning)", "warning"))
        header, records = records[skip - 1], records[skip:]
    columns = [normalize_name(h) if clean_cell(h) is not None else "" for h in header]
    source = TableSource(file, sheet, [])
    header_number = skip + 1
    layout += [
        Issue(file, sheet, header_number, col, None, "each column once (duplicate header)")
        for i, col in enumerate(columns) if col and col in columns[:i]
    ]
    rows: list[dict[str, Any]] = []
    row_marks: dict[int, list[tuple[str, str]]] = {}
    for offset, record in enumerate(records):
        cells = [clean_cell(v) for v in record]
        number = offset + header_number + 1
        marked = marks.get(number, ()) if marks else ()
        if all(c is None for c in cells) and not marked:
            continue
        headless = [i for i, c in enumerate(cells) if c is not None
                    and (i >= len(columns) or not columns[i])]
        if headless:
            layout.append(Issue(file, sheet, number, f"#{headless[0] + 1}",
                                cells[headless[0]], "a header above every filled cell"))
        for c, mark in marked:
            if c < len(columns) and columns[c]:
                row_marks.setdefault(len(rows), []).append((columns[c], mark))
        rows.append({col: cells[i] if i < len(cells) else None
                     for i, col in enumerate(columns) if col})
        source.row_numbers.append(number)
    return RawTable(normalize_name(name), columns, rows, source, layout, row_marks)

