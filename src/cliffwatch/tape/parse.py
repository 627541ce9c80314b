"""Raw tables -> validated rows: cell types, allowed values and ranges, located per cell.

Each row is validated on its own, so one bad cell does not hide the problems of other rows;
every problem becomes an :class:`~cliffwatch.tape.errors.Issue` at the row and column the user
sees. Columns whose name starts with ``_`` are notes and are ignored.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from cliffwatch.tape.columns import id_text
from cliffwatch.tape.convert import Conversions, convert_row
from cliffwatch.tape.errors import Issue
from cliffwatch.tape.messages import plain_message
from cliffwatch.tape.raw import RawTable, RawTape, TableSource
from cliffwatch.tape.schema import REQUIRED_TABLES, TABLE_MODELS, Portfolio, Row, TapeInfo

NOTE_PREFIX = "_"


def parse_tape(raw: RawTape) -> tuple[Portfolio | None, list[Issue]]:
    """Validate every cell of ``raw``; return the portfolio (``None`` if no usable tape row).

    Rows that fail are left out of the portfolio so cross-table rules can still run on the rest;
    the caller must treat any error issue as blocking.
    """
    issues: list[Issue] = [
        Issue(raw.file, name, None, "", None, "not a tape table; ignored", "warning")
        for name in raw.ignored
    ]
    for name in REQUIRED_TABLES:
        if name not in raw.tables:
            issues.append(Issue(raw.file, name, None, "", None, f"a '{name}' table (missing)"))
    parsed: dict[str, list[Row]] = {}
    sources: dict[str, TableSource] = {}
    rejected: dict[str, set[str]] = {}
    for name, table in raw.tables.items():
        rows, numbers = _parse_table(table, TABLE_MODELS[name], issues)
        valid = {getattr(r, "id", None) for r in rows}
        rejected[name] = {str(id_text(r.get("id"))) for r in table.rows} - valid
        parsed[name] = rows
        sources[name] = TableSource(
            table.source.file, table.source.sheet, numbers, table.source.row_word
        )
    info = _single_info(raw, parsed.get("tape", []), issues)
    if info is None:
        return None, issues
    tables: dict[str, Any] = {n: parsed.get(n, []) for n in TABLE_MODELS if n != "tape"}
    portfolio = Portfolio.model_construct(None, info=info, **tables)
    portfolio._sources = sources
    portfolio._rejected_ids = rejected
    return portfolio, issues


def _single_info(raw: RawTape, rows: list[Row], issues: list[Issue]) -> TapeInfo | None:
    if "tape" in raw.tables and len(raw.tables["tape"].rows) > 1:
        table = raw.tables["tape"]
        issues.append(table.source.issue(1, "", None, "exactly one row in the 'tape' table"))
    info = rows[0] if rows else None
    return info if isinstance(info, TapeInfo) else None


def _parse_table(
    table: RawTable, model: type[Row], issues: list[Issue]
) -> tuple[list[Row], list[int]]:
    src = table.source
    issues.extend(table.layout_issues)
    known = set(model.model_fields)
    unknown = [c for c in table.columns if c and c not in known and not c.startswith(NOTE_PREFIX)]
    for column in unknown:
        expected = _unknown_column(column, table.name, known)
        if src.row_word == "row":  # the header row of a sheet
            issues.append(Issue(src.file, src.sheet, 1, column, None, expected))
        else:  # YAML: the first item that uses the key
            first = next(i for i, r in enumerate(table.rows) if column in r)
            issues.append(src.issue(first, column, None, expected))
    rows: list[Row] = []
    numbers: list[int] = []
    conversions = Conversions()
    for i, cells in enumerate(table.rows):
        values = {k: v for k, v in cells.items() if k in known and v is not None}
        typed = dict(values)
        failed = convert_row(model, table, i, values, conversions)
        for column, message in failed.items():
            issues.append(src.issue(i, column, typed.get(column), message))
        try:
            row = model.model_validate(values)
        except ValidationError as exc:
            issues.extend(_issues_of(exc, model, typed, src, i, set(failed)))
            continue
        if not failed:
            rows.append(row)
            numbers.append(src.row_numbers[i])
    issues.extend(conversions.issues(table))
    return rows, numbers


def _unknown_column(column: str, table: str, known: set[str]) -> str:
    """The unknown-column message: the closest known names, and how to keep a note column."""
    close = difflib.get_close_matches(column, sorted(known), n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return (f"a known column of '{table}'{hint}; see docs/TAPE.md, or start the header with "
            f"'{NOTE_PREFIX}' (e.g. '{NOTE_PREFIX}{column}') to keep the column as a note")


def _issues_of(
    exc: ValidationError,
    model: type[Row],
    values: dict[str, Any],
    src: TableSource,
    index: int,
    failed: set[str],
) -> list[Issue]:
    """Located issues of a row's validation errors (columns already reported are skipped)."""
    out = []
    for err in exc.errors(include_url=False):
        column = str(err["loc"][0]) if err["loc"] else ""
        if column in failed:
            continue
        value = values.get(column) if column else None
        field = model.model_fields.get(column)
        out.append(src.issue(index, column, value, plain_message(err, field, column)))
    return out
