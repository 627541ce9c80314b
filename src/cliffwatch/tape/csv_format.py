"""The tape as CSV: a folder, or a ``.zip``, holding one ``<table>.csv`` per table.

Files are UTF-8 (a byte-order mark is accepted); the first line is the header; the separator
is ``,`` (or ``;`` / tab when the header has no comma, as European Excel exports write). File
names match table names case-insensitively (``Facilities.csv`` is the ``facilities`` table).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.raw import RawTape, normalize_name, table_from_records
from cliffwatch.tape.schema import TABLE_MODELS, Portfolio
from cliffwatch.tape.tabular import column_types, columns, portfolio_tables

_ZIP_MAGIC = b"PK\x03\x04"


def read_csv_folder(folder: Path, files: list[Path]) -> RawTape:
    """Read every CSV of a folder; all unreadable files are reported together."""
    try:
        members = [(p.name, p.read_bytes()) for p in files]
    except OSError as exc:
        raise TapeError([Issue(str(folder), "", None, "", None,
                               f"readable files ({exc.strerror})")]) from None
    return _read_members(str(folder), members)


def read_csv_zip(path: Path) -> RawTape:
    """Read every ``.csv`` member of a zip archive."""
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if n.lower().endswith(".csv")
                   and not PurePosixPath(n).name.startswith((".", "__MACOSX"))
                   and "__MACOSX" not in n]
        if not members:
            raise TapeError([Issue(str(path), "", None, "", None,
                                   "an .xlsx workbook or a .zip of CSV files (no .csv inside)")])
        return _read_members(str(path), [(n, _member_bytes(archive, n)) for n in members])


def _member_bytes(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return b"\x00unreadable zip member"


def _read_members(file: str, members: list[tuple[str, bytes]]) -> RawTape:
    raw = RawTape(file)
    issues: list[Issue] = []
    for name, data in members:
        table = normalize_name(PurePosixPath(name).stem)
        if table not in TABLE_MODELS:
            raw.ignored.append(name)
            continue
        text = _decode(data, f"{file}/{name}", issues)
        if text is None:
            continue
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        if not records:
            issues.append(Issue(file, name, None, "", None, "a header line (the file is empty)"))
            continue
        raw.tables[table] = table_from_records(table, records[0], records[1:], file, name)
    if issues:
        raise TapeError(issues)
    comma = decimal_comma_issue(raw)
    if comma is not None:
        raise TapeError([comma])
    return raw


_DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(\.\d{3})*,\d+|[+-]?\d+,\d+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def decimal_comma_issue(raw: RawTape) -> Issue | None:
    """One issue for a file written with decimal commas (``7,5``), naming the first cell and the
    count, instead of one error per number. ``250,000`` (thousands) is not counted."""
    first: Issue | None = None
    count = 0
    for name, table in raw.tables.items():
        numeric = [c for c, kind in column_types(name).items() if kind in ("number", "integer")]
        for i, row in enumerate(table.rows):
            for column in numeric:
                value = row.get(column)
                if (type(value) is str and "," in value and _DECIMAL_COMMA.fullmatch(value)
                        and not _THOUSANDS.fullmatch(value)):
                    count += 1
                    if first is None:
                        first = table.source.issue(i, column, value, "")
    if first is None:
        return None
    expected = (f"numbers with a decimal point (7.5): this file uses decimal commas ({count:,} "
                "cells such as this one); export the CSV with '.' as the decimal separator "
                "(or save the workbook as .xlsx) and load it again")
    return replace(first, expected=expected)


_DELIMITERS = (",", ";", "\t")


def _delimiter(text: str) -> str:
    """The separator of the header line: ',' unless only ';' or tab appears (European Excel
    exports use ';')."""
    header = text.split("\n", 1)[0]
    return next((d for d in _DELIMITERS if d in header), ",")


def _decode(data: bytes, where: str, issues: list[Issue]) -> str | None:
    if data.startswith(_ZIP_MAGIC):
        issues.append(Issue(where, "", None, "", None,
                            "CSV text (this file is an XLSX workbook or zip: save as CSV)"))
        return None
    if b"\x00" in data:
        issues.append(Issue(where, "", None, "", None, "CSV text (this file is binary)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        issues.append(Issue(where, "", None, "", None,
                            f"UTF-8 text (invalid byte at offset {exc.start}); save as UTF-8 CSV"))
        return None


def csv_cell(value: Any) -> str:
    """A cell as CSV text: ISO dates, lower-case booleans, shortest round-trip floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def csv_texts(portfolio: Portfolio) -> dict[str, str]:
    """CSV text of every table of ``portfolio`` keyed by file name."""
    out: dict[str, str] = {}
    for table, rows in portfolio_tables(portfolio).items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns(table))
        writer.writerows([csv_cell(v) for v in row] for row in rows)
        out[f"{table}.csv"] = buffer.getvalue()
    return out


def write_csv_folder(portfolio: Portfolio, folder: Path) -> None:
    """Write one CSV per table into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in csv_texts(portfolio).items():
        (folder / name).write_text(text, encoding="utf-8")


def write_csv_zip(portfolio: Portfolio, path: Path) -> None:
    """Write one CSV per table into the zip archive ``path``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_texts(portfolio).items():
            archive.writestr(name, text)
