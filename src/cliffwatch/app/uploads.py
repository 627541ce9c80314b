"""Turn a browser upload into a validated tape: decode, cap, store privately, check.

Uploads arrive as base64 ``data:`` URLs (one per file). They are decoded in memory, refused
over the size cap, written to a private temporary folder (mode 0700, removed with the server)
and read with the tape layer's own loader, so the dashboard accepts exactly what the CLI
accepts: one YAML or XLSX file, a zip of CSV or Parquet files, or several CSV or Parquet files
selected together (one per table).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cliffwatch.app.limits import BYTES_PER_MB
from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.load import check_tape
from cliffwatch.tape.schema import Portfolio

PARQUET_SUFFIX = ".parquet"
ISSUE_COLUMNS = ["severity", "file", "sheet", "row", "column", "value", "expected"]
"""Columns of the validation table, in display order."""
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_DEFAULT_NAME = "upload"


class UploadRefused(ValueError):
    """An upload the dashboard will not read (too large, not base64, empty, bad archive)."""


@dataclass(frozen=True)
class TapeCheck:
    """The outcome of reading and validating one upload.

    Attributes
    ----------
    name : str
        What the user uploaded (file name, or the names joined).
    path : Path
        The tape on disk (a file or a folder) inside the private upload folder.
    root : Path
        The private folder of this upload (issue locations are shown relative to it).
    portfolio : Portfolio or None
        The validated portfolio when there is no blocking error.
    issues : list of Issue
        Every error and warning found.
    """

    name: str
    path: Path
    root: Path
    portfolio: Portfolio | None
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        """True when the tape has no blocking error."""
        return self.portfolio is not None and not any(i.severity == "error" for i in self.issues)


def safe_name(name: str) -> str:
    """A file name without folders or unusual characters (the suffix is kept)."""
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).lstrip(".")
    return base or _DEFAULT_NAME


def decode_contents(contents: str, name: str) -> bytes:
    """Decode a ``data:<mime>;base64,<payload>`` upload into bytes."""
    _, sep, payload = contents.partition(",")
    if not sep:
        raise UploadRefused(f"{name}: the browser sent no file content")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(f"{name}: the upload is not valid base64") from None


def check_size(sizes: Sequence[int], names: Sequence[str], max_mb: float) -> None:
    """Refuse an upload whose files sum to more than ``max_mb`` MB, naming the sizes."""
    total = sum(sizes)
    if total > max_mb * BYTES_PER_MB:
        shown = ", ".join(names)
        raise UploadRefused(
            f"{shown}: {total / BYTES_PER_MB:.1f} MB is over the upload limit of "
            f"{max_mb:g} MB; split the tape or start the server with a larger --max-upload-mb"
        )
    if total == 0:
        raise UploadRefused(f"{', '.join(names)}: the upload is empty")


def _is_parquet_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile:
        return False
    return bool(names) and "xl/workbook.xml" not in names and all(
        n.lower().endswith(PARQUET_SUFFIX) for n in names if not Path(n).name.startswith(".")
    )


def _unzip_parquet(data: bytes, folder: Path, max_mb: float, name: str = "the archive") -> None:
    """Extract the Parquet members of a zip, flat, refusing duplicates, zip bombs and corrupt
    members (a bad CRC-32 raises ``BadZipFile`` only when the member is read)."""
    folder.mkdir()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()
                   and not Path(i.filename).name.startswith(".")]
        check_size([i.file_size for i in members], ["unpacked archive"], max_mb)
        for info in members:
            target = folder / safe_name(info.filename)
            if target.exists():
                raise UploadRefused(f"the archive holds two files named {target.name}")
            try:
                target.write_bytes(archive.read(info))
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise UploadRefused(f"{name}: member {safe_name(info.filename)}: the archive "
                                    f"is corrupt ({exc}); re-create the zip") from None


def store_upload(files: Sequence[tuple[str, bytes]], root: Path, max_mb: float) -> Path:
    """Write decoded files into ``root`` and return the path the tape loader should read."""
    if len(files) == 1:
        name, data = files[0]
        if _is_parquet_zip(data):
            folder = root / Path(safe_name(name)).stem
            _unzip_parquet(data, folder, max_mb, name)
            return folder
        path = root / safe_name(name)
        path.write_bytes(data)
        return path
    tables = {PARQUET_SUFFIX, ".csv"}
    odd = [n for n, _ in files if Path(n).suffix.lower() not in tables]
    if odd:
        raise UploadRefused(f"{', '.join(odd)}: several files make one tape only when each is "
                            "a .csv or .parquet table; upload a YAML, XLSX or zip file alone")
    folder = root / "tape"
    folder.mkdir()
    for name, data in files:
        target = folder / safe_name(name)
        if target.exists():
            raise UploadRefused(f"two uploaded files are named {target.name}")
        target.write_bytes(data)
    return folder


def read_upload(contents: Sequence[str], names: Sequence[str], workdir: Path,
                max_mb: float) -> TapeCheck:
    """Decode, cap, store and validate one upload (one or several files).

    Raises
    ------
    UploadRefused
        The upload is over the cap, empty or not decodable; nothing was written.
    """
    shown = [safe_name(n) for n in names]
    decoded = [decode_contents(c, n) for c, n in zip(contents, shown, strict=True)]
    check_size([len(d) for d in decoded], shown, max_mb)
    root = Path(tempfile.mkdtemp(prefix="upload-", dir=workdir))
    try:
        path = store_upload(list(zip(shown, decoded, strict=True)), root, max_mb)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        portfolio, issues = check_tape(path)
    except TapeError as exc:
        portfolio, issues = None, exc.issues
    return TapeCheck(", ".join(shown), path, root, portfolio, issues)


def issues_frame(issues: Sequence[Issue], root: Path | None = None) -> pd.DataFrame:
    """The issues as a table: severity, file, sheet, row, column, value, expected.

    File names are shown relative to ``root`` (the private upload folder), so the user sees the
    name of what they uploaded, not where the server keeps it.
    """
    prefix = "" if root is None else str(root).rstrip("/") + "/"
    rows = [{
        "severity": i.severity,
        "file": i.file.removeprefix(prefix) if prefix else i.file,
        "sheet": i.sheet,
        "row": "" if i.row is None else f"{i.row_word} {i.row}",
        "column": i.column,
        "value": i.value_text(),
        "expected": i.expected,
    } for i in issues]
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)
