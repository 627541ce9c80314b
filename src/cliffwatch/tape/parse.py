"""Raw tables -> validated rows: cell types, allowed values and ranges, located per cell.

Each row is validated on its own, so one bad cell does not hide the problems of other rows;
every problem becomes an :class:`~cliffwatch.tape.errors.Issue` at the row and column the user
sees. Columns whose name starts with ``_`` are notes and are ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cliffwatch.tape.columns import id_text
from cliffwatch.tape.errors import Issue
from cliffwatch.tape.raw import RawTable, RawTape, TableSource
from cliffwatch.tape.schema import REQUIRED_TABLES, TABLE_MODELS, Portfolio, Row, TapeInfo

NOTE_PREFIX = "_"
_MISSING = "a value (required column)"


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
        expected = f"a known column of '{table.name}' (see docs/TAPE.md)"
        if src.row_word == "row":  # the header row of a sheet
            issues.append(Issue(src.file, src.sheet, 1, column, None, expected))
        else:  # YAML: the first item that uses the key
            first = next(i for i, r in enumerate(table.rows) if column in r)
            issues.append(src.issue(first, column, None, expected))
    rows: list[Row] = []
    numbers: list[int] = []
    for i, cells in enumerate(table.rows):
        values = {k: v for k, v in cells.items() if k in known and v is not None}
        try:
            rows.append(model.model_validate(values))
            numbers.append(src.row_numbers[i])
        except ValidationError as exc:
            issues.extend(_issues_of(exc, values, src, i))
    return rows, numbers


def _issues_of(
    exc: ValidationError, values: dict[str, Any], src: TableSource, index: int
) -> list[Issue]:
    out = []
    for err in exc.errors(include_url=False):
        column = str(err["loc"][0]) if err["loc"] else ""
        value = values.get(column) if column else None
        out.append(src.issue(index, column, value, _message(err)))
    return out


def _message(err: Any) -> str:
    if err["type"] == "missing":
        return _MISSING
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg.replace("Input should be", "expected").replace("input should be", "expected")
