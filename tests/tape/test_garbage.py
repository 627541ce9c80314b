"""Unreadable files give one clear TapeError; random input never raises anything else."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reliability_counts import Tally

from cliffwatch.tape import defaults as d
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape
from cliffwatch.tape.write import write_tape

from .fixtures import small_tape, write_raw_csv


def error_of(path: Path) -> str:
    with pytest.raises(TapeError) as info:
        load_tape(path)
    return info.value.issues[0].expected


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in error_of(tmp_path / "nope.xlsx")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"")
    assert "empty" in error_of(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in error_of(path)


def test_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "t.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "legacy .xls" in error_of(path)


def test_single_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text("id,borrower_id\nF1,B1\n")
    assert "folder or .zip of CSV files" in error_of(path)


def test_single_parquet_file(tmp_path: Path, small_yaml: Path) -> None:
    folder = write_tape(load_tape(small_yaml), tmp_path / "pq", "parquet")
    assert "folder of Parquet files" in error_of(folder / "facilities.parquet")


def test_broken_encoding(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes("as_of: 2026-06-30\nname: Société\n".encode("latin-1"))
    assert "UTF-8" in error_of(path)


def test_csv_that_is_really_xlsx(tmp_path: Path, small_yaml: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "csv")
    write_tape(load_tape(small_yaml), tmp_path / "book.xlsx", "xlsx")
    (folder / "holdings.csv").write_bytes((tmp_path / "book.xlsx").read_bytes())
    with pytest.raises(TapeError) as info:
        load_tape(folder)
    (issue,) = info.value.issues
    assert issue.file.endswith("holdings.csv") and "XLSX workbook" in issue.expected


def test_latin1_csv_in_folder(tmp_path: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "csv")
    (folder / "lenders.csv").write_bytes("id,name,type\nB,Crédit,bank\n".encode("latin-1"))
    with pytest.raises(TapeError) as info:
        load_tape(folder)
    assert info.value.issues[0].file.endswith("lenders.csv")
    assert "UTF-8" in info.value.issues[0].expected


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # sparse: no 100 MB actually written
        handle.truncate(d.MAX_TAPE_BYTES + 1)
    assert "refused unread" in error_of(path)


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    assert "corrupt" in error_of(path)


def test_zip_without_csv(tmp_path: Path) -> None:
    path = tmp_path / "t.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "no .csv inside" in error_of(path)


def test_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("just some words\n")
    assert "YAML mapping" in error_of(path)


def test_folder_without_tables(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert "none found" in error_of(tmp_path)


SUFFIXES = [".yaml", ".xlsx", ".zip", ".csv", ".parquet", ""]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_raise_only_tape_error(tmp_path: Path, data: bytes, suffix: str,
                                            tally: Tally) -> None:
    tally("tape files fuzzed: random bytes")
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        load_tape(path)
    except TapeError:
        pass


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=500), name=st.sampled_from(["facilities", "tape"]))
def test_random_bytes_in_a_csv_folder_raise_only_tape_error(
    tmp_path: Path, data: bytes, name: str, tally: Tally
) -> None:
    tally("tape files fuzzed: random bytes in a CSV folder")
    folder = write_raw_csv(small_tape(), tmp_path / "fz")
    (folder / f"{name}.csv").write_bytes(data)
    try:
        load_tape(folder)
    except TapeError:
        pass


def _zip_with(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", data)
        archive.writestr("[Content_Types].xml", data)
    return buffer.getvalue()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_workbook_parts_raise_only_tape_error(tmp_path: Path, data: bytes,
                                                     tally: Tally) -> None:
    tally("tape files fuzzed: random workbook parts")
    path = tmp_path / "t.xlsx"
    path.write_bytes(_zip_with(data))
    try:
        load_tape(path)
    except TapeError:
        pass


CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.dates().map(str),
    st.sampled_from(["", " ", "NaN", "inf", "1e400", "true", "B+", "-1", "Straight Line",
                     "io:0/annuity", "act/365F", "Baa3", "2026-06-30T00:00:00", "0"]),
)
FUZZ_EXAMPLES = int(os.environ.get("TAPE_FUZZ_EXAMPLES", "40"))
"""Random tapes per run; raise it locally for a deeper search (each example loads 4 formats)."""
TABLES = ["tape", "borrowers", "counterparties", "assets", "facilities", "draws",
          "amortization_schedule", "lenders", "holdings"]


def _load_each_format(tape: dict[str, object], folder: Path) -> None:
    """Load ``tape`` written as YAML, CSV, XLSX and Parquet; only TapeError may escape, and
    whatever loads compiles."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    from .fixtures import write_raw_parquet, write_raw_xlsx, yaml_text

    (folder / "t.yaml").write_text(yaml_text(tape))
    paths = [folder / "t.yaml", write_raw_csv(tape, folder / "csv"),
             write_raw_parquet(tape, folder / "pq")]
    try:
        paths.append(write_raw_xlsx(tape, folder / "t.xlsx"))
    except (IllegalCharacterError, ValueError, TypeError):
        pass  # openpyxl cannot store this value in a cell at all
    for path in paths:
        try:
            portfolio = load_tape(path)
        except TapeError:
            continue
        compile_portfolio(portfolio)  # a tape that loads always compiles


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=FUZZ_EXAMPLES)
@given(table=st.sampled_from(TABLES), row=st.integers(0, 9), column=st.text(max_size=30),
       value=CELLS, data=st.data())
def test_random_cells_raise_only_tape_error(
    tmp_path: Path, table: str, row: int, column: str, value: object, data: st.DataObject,
    tally: Tally
) -> None:
    tally("tape files fuzzed: random cells (4 formats each)")
    tape = small_tape()
    rows = [tape] if table == "tape" else tape[table]
    target = rows[min(row, len(rows) - 1)]
    key = data.draw(st.sampled_from([*target, column]))
    target[key] = value
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    _load_each_format(tape, folder)


def test_text_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_text("id,name\n1,x\n")
    assert "renamed or is damaged" in error_of(path)


def test_zip_bomb_refused_by_unpacked_size(tmp_path: Path) -> None:
    path = tmp_path / "t.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("facilities.csv", "w") as member:
            chunk = b"0" * 2**20
            for _ in range(d.MAX_TAPE_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 2**20
    assert "unpacked" in error_of(path)
