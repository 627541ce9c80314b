"""Load a tape from any supported format: sniff what the file really is, read, validate.

``load_tape(path)`` returns a validated :class:`~cliffwatch.tape.schema.Portfolio` or raises one
:class:`~cliffwatch.tape.errors.TapeError` carrying every problem found; no other exception
escapes. Formats: one YAML document; one XLSX workbook (a sheet per table); a folder or ``.zip``
of CSV files (one per table); a folder of Parquet files (one per table). The format is decided
from the content (magic bytes, zip members), not only the extension.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from cliffwatch.memory import CapacityError, require_fits, tape_memory
from cliffwatch.tape import defaults as d
from cliffwatch.tape.errors import Issue, TapeError, file_issue
from cliffwatch.tape.gc_pause import paused_gc
from cliffwatch.tape.parse import parse_tape
from cliffwatch.tape.raw import RawTape
from cliffwatch.tape.rules import check_portfolio
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.yaml_format import read_yaml

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
PARQUET_MAGIC = b"PAR1"
_HEAD_BYTES = 8


def load_tape(path: str | Path) -> Portfolio:
    """Read and validate a tape; raise :class:`TapeError` with every blocking issue."""
    portfolio, issues = check_tape(path)
    if portfolio is None or any(i.severity == "error" for i in issues):
        raise TapeError(issues)
    return portfolio


def check_tape(path: str | Path) -> tuple[Portfolio | None, list[Issue]]:
    """Read and validate a tape, returning the portfolio and every issue (errors and warnings).

    Unreadable files raise :class:`TapeError`; a readable but invalid tape returns its issues.
    """
    with paused_gc():
        raw = _guarded_read(Path(path))
        _require_memory(raw)
        portfolio, issues = parse_tape(raw)
        if portfolio is not None:
            issues += check_portfolio(portfolio)
            portfolio._warnings = [i for i in issues if i.severity == "warning"]
    return portfolio, issues


def _require_memory(raw: RawTape) -> None:
    """Refuse, before validation, a tape whose parsed rows would not fit in memory."""
    rows = sum(len(table.rows) for table in raw.tables.values())
    try:
        require_fits(tape_memory(rows))
    except CapacityError as exc:
        raise file_issue(raw.file, f"a tape that fits in memory: {exc}", f"{rows:,} rows") \
            from None


def _guarded_read(path: Path) -> RawTape:
    """Read raw tables; a reader failure we did not foresee still becomes one TapeError."""
    try:
        return read_raw(path)
    except TapeError:
        raise
    except (RecursionError, MemoryError, csv.Error, UnicodeError, ValueError) as exc:
        raise file_issue(str(path), f"a readable tape ({type(exc).__name__}: {exc})") from None


def read_raw(path: Path) -> RawTape:
    """Sniff the format of ``path`` and read its raw tables."""
    file = str(path)
    if not path.exists():
        raise file_issue(file, "an existing file or folder (not found)")
    if path.is_dir():
        return _read_folder(path)
    size = path.stat().st_size
    if size > d.MAX_TAPE_BYTES:
        raise file_issue(file, f"a tape under {d.MAX_TAPE_BYTES // 2**20} MB (refused unread)",
                         f"{size / 2**20:.0f} MB")
    if size == 0:
        raise file_issue(file, "a non-empty tape file (the file is empty)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_issue(file, f"a readable file ({exc.strerror})") from None
    return _read_bytes(path, data)


def _read_bytes(path: Path, data: bytes) -> RawTape:
    file = str(path)
    head = data[:_HEAD_BYTES]
    if head.startswith(ZIP_MAGIC):
        return _read_zip(path, data)
    if head.startswith(OLE_MAGIC):
        raise file_issue(file, "an .xlsx workbook (this is a legacy .xls or an encrypted "
                         "workbook: save it as .xlsx without a password)")
    if head.startswith(PARQUET_MAGIC):
        raise file_issue(file, "a folder of Parquet files, one per table (got a single "
                         "Parquet file)")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".zip", ".parquet"}:
        raise file_issue(file, f"a {suffix} file (its content is not a zip archive or Parquet "
                         "file: it was renamed or is damaged)")
    text = _decode(file, data)
    if suffix == ".csv":
        raise file_issue(file, "a folder or .zip of CSV files, one per table (got a single CSV)")
    return read_yaml(path, text)


def _decode(file: str, data: bytes) -> str:
    if b"\x00" in data:
        raise file_issue(file, "a tape (YAML, XLSX, or a folder/zip of CSV or Parquet); this "
                         "file is binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_issue(file, f"UTF-8 text (invalid byte at offset {exc.start}); save the "
                         "file as UTF-8") from None


def _read_zip(path: Path, data: bytes) -> RawTape:
    from cliffwatch.tape.csv_format import read_csv_zip
    from cliffwatch.tape.xlsx_format import read_xlsx

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_issue(str(path), "a valid .xlsx or .zip file (the archive is corrupt)") from None
    if unpacked > d.MAX_TAPE_BYTES:
        raise file_issue(str(path), f"a tape under {d.MAX_TAPE_BYTES // 2**20} MB unpacked",
                         f"{unpacked / 2**20:.0f} MB")
    if "xl/workbook.xml" in names:
        return read_xlsx(path, data)
    return read_csv_zip(path)


def _read_folder(path: Path) -> RawTape:
    from cliffwatch.tape.csv_format import read_csv_folder
    from cliffwatch.tape.parquet_format import read_parquet_folder

    files = [p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")]
    size = sum(p.stat().st_size for p in files)
    if size > d.MAX_TAPE_BYTES:
        raise file_issue(str(path), f"a tape under {d.MAX_TAPE_BYTES // 2**20} MB (refused "
                         "unread)", f"{size / 2**20:.0f} MB")
    suffixes = {p.suffix.lower() for p in files}
    if ".parquet" in suffixes:
        return read_parquet_folder(path, [p for p in files if p.suffix.lower() == ".parquet"])
    if ".csv" in suffixes:
        return read_csv_folder(path, [p for p in files if p.suffix.lower() == ".csv"])
    raise file_issue(str(path), "a folder of one .csv or .parquet file per table (none found)")
