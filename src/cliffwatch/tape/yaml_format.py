"""The tape as one YAML document.

Layout: the ``tape`` row's keys (``as_of``, ``currency``, ``name``) at the top level, then one
key per table holding a list of mappings (one per row)::

    as_of: 2026-06-30
    currency: USD
    borrowers:
      - {id: NEO, name: Neocloud Parent, archetype: neocloud, rating: B+, opening_cash_usd: 1.0e9}
    facilities:
      - id: NEO-SUN-2030
        borrower_id: NEO
        ...

A list column (``collateral``) is a YAML list or a ``;``-separated string. Issues point at the
line of the offending list item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cliffwatch.safe_yaml import YamlBudgetError, compose, safe_load
from cliffwatch.tape.errors import Issue, TapeError, file_issue
from cliffwatch.tape.raw import RawTable, RawTape, TableSource, clean_cell, normalize_name
from cliffwatch.tape.schema import TABLE_MODELS, Portfolio

INFO_KEYS: tuple[str, ...] = tuple(TABLE_MODELS["tape"].model_fields)


def read_yaml(path: Path, text: str) -> RawTape:
    """Parse YAML text into raw tables; syntax errors become one located TapeError."""
    file = str(path)
    try:
        root = compose(text, file)
        data = safe_load(text, file)
    except YamlBudgetError as exc:
        issue = Issue(file, "", exc.line, "", None, f"invalid YAML: {exc.problem}",
                      row_word="line")
        raise TapeError([issue]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        issue = Issue(file, "", line, "", None, f"invalid YAML: {problem}", row_word="line")
        raise TapeError([issue]) from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise file_issue(file, "a YAML mapping with as_of, currency and one list per table")
    lines = _item_lines(root)
    raw = RawTape(file)
    info: dict[str, Any] = {}
    issues: list[Issue] = []
    for key, value in data.items():
        name = normalize_name(key)
        if name in INFO_KEYS:
            info[name] = clean_cell(value)
        elif name in TABLE_MODELS and name != "tape":
            table = _table(name, value, lines.get(str(key), []), file, issues)
            if table is not None:
                raw.tables[name] = table
        else:
            raw.ignored.append(str(key))
    if info:
        # an info key holding an empty list has no item line: skip it (found by fuzzing)
        line = min((lines[k][0] for k in INFO_KEYS if lines.get(k)), default=1)
        source = TableSource(file, "tape", [line], "line")
        raw.tables["tape"] = RawTable("tape", list(info), [info], source)
    if issues:
        raise TapeError(issues)
    return raw


def _item_lines(root: yaml.MappingNode) -> dict[str, list[int]]:
    """Line number (1-based) of every list item under each top-level key (of the key itself
    for a scalar)."""
    out: dict[str, list[int]] = {}
    for key_node, value_node in root.value:
        if isinstance(value_node, yaml.SequenceNode):
            out[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
        else:
            out[str(key_node.value)] = [key_node.start_mark.line + 1]
    return out


def _table(
    name: str, value: Any, lines: list[int], file: str, issues: list[Issue]
) -> RawTable | None:
    if value is None:
        value = []
    if not isinstance(value, list):
        issues.append(Issue(file, name, None, "", value, f"a list of {name} rows"))
        return None
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    columns: dict[str, None] = {}
    for i, item in enumerate(value):
        line = lines[i] if i < len(lines) else i + 1
        if not isinstance(item, dict):
            issues.append(
                Issue(file, name, line, "", item, "a mapping of column: value", row_word="line")
            )
            continue
        row = {normalize_name(k): clean_cell(v) for k, v in item.items()}
        columns.update(dict.fromkeys(row))
        rows.append(row)
        numbers.append(line)
    return RawTable(name, list(columns), rows, TableSource(file, name, numbers, "line"))


def dump_yaml(portfolio: Portfolio) -> str:
    """YAML text of a portfolio: terms equal to their default are omitted (a simple loan stays
    short), dates are YAML dates."""
    doc: dict[str, Any] = portfolio.info.model_dump(exclude_defaults=True)
    for name in TABLE_MODELS:
        if name == "tape":
            continue
        rows = [row.model_dump(exclude_defaults=True) for row in portfolio.rows(name)]
        if rows:
            doc[name] = rows
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
