"""Upload decoding, the size cap, private storage and located validation issues."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.app.conftest import data_url

from cliffwatch.app.limits import BYTES_PER_MB
from cliffwatch.app.uploads import (
    ISSUE_COLUMNS,
    UploadRefused,
    check_size,
    decode_contents,
    issues_frame,
    read_upload,
    safe_name,
)
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.write import write_tape

CAP_MB = 1.0


@given(st.binary(max_size=2048))
def test_decode_round_trips_any_bytes(data: bytes) -> None:
    assert decode_contents(data_url(data), "f") == data


def test_decode_refuses_non_base64() -> None:
    with pytest.raises(UploadRefused, match="not valid base64"):
        decode_contents("data:text/plain;base64,@@@", "f.yaml")
    with pytest.raises(UploadRefused, match="no file content"):
        decode_contents("garbage", "f.yaml")


@given(st.text(max_size=80))
def test_safe_name_has_no_folder_or_hidden_prefix(name: str) -> None:
    out = safe_name(name)
    assert out and "/" not in out and "\\" not in out and not out.startswith(".")


def test_safe_name_keeps_plain_names_and_strips_traversal() -> None:
    assert safe_name("book.xlsx") == "book.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\tapes\\book.xlsx") == "book.xlsx"


def test_cap_is_inclusive_and_message_names_sizes() -> None:
    cap_bytes = int(CAP_MB * BYTES_PER_MB)
    check_size([cap_bytes], ["a.yaml"], CAP_MB)  # exactly at the cap passes
    with pytest.raises(UploadRefused) as err:
        check_size([cap_bytes // 2, cap_bytes // 2 + 1], ["a.csv", "b.csv"], CAP_MB)
    msg = str(err.value)
    assert "a.csv, b.csv" in msg and "1.0 MB" in msg and "limit of 1 MB" in msg
    with pytest.raises(UploadRefused, match="empty"):
        check_size([0], ["a.yaml"], CAP_MB)


def test_over_cap_upload_writes_nothing(tmp_path: Path) -> None:
    big = b"x" * (int(CAP_MB * BYTES_PER_MB) + 1)
    with pytest.raises(UploadRefused, match="over the upload limit"):
        read_upload([data_url(big)], ["big.yaml"], tmp_path, CAP_MB)
    assert list(tmp_path.iterdir()) == []


def test_sample_yaml_upload_is_valid(tmp_path: Path, sample_bytes: bytes) -> None:
    check = read_upload([data_url(sample_bytes)], ["portfolio.yaml"], tmp_path, 50)
    assert check.ok and isinstance(check.portfolio, Portfolio)
    assert check.path.parent == check.root and check.root.parent == tmp_path
    assert oct(check.root.stat().st_mode & 0o777) == "0o700"  # private to the server user


def test_broken_tape_issues_are_located(tmp_path: Path, sample_bytes: bytes) -> None:
    text = sample_bytes.decode().replace("access_spread_bp: 1200", "access_spread_bp: abc", 1)
    check = read_upload([data_url(text.encode())], ["book.yaml"], tmp_path, 50)
    assert not check.ok
    frame = issues_frame(check.issues, check.root)
    assert list(frame.columns) == ISSUE_COLUMNS
    row = frame[frame["column"] == "access_spread_bp"].iloc[0]
    assert row["severity"] == "error" and row["file"] == "book.yaml"
    assert row["sheet"] == "facilities" and row["row"].startswith("line ")
    assert "abc" in row["value"]
    assert not frame["file"].str.contains(str(tmp_path)).any()  # server paths never shown


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_single_file_formats_read_back(tmp_path: Path, sample_portfolio: Portfolio,
                                       fmt: str) -> None:
    src = write_tape(sample_portfolio, tmp_path / f"book.{fmt}")
    work = tmp_path / "work"
    work.mkdir()
    check = read_upload([data_url(src.read_bytes())], [src.name], work, 50)
    assert check.ok and check.portfolio.model_dump() == sample_portfolio.model_dump()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_table_files_as_zip_and_as_several_files(tmp_path: Path, sample_portfolio: Portfolio,
                                                 fmt: str) -> None:
    folder = write_tape(sample_portfolio, tmp_path / "tables", fmt)  # type: ignore[arg-type]
    files = sorted(p for p in folder.iterdir() if p.is_file())
    work = tmp_path / "work"
    work.mkdir()
    zipped = _zip({f"tape/{p.name}": p.read_bytes() for p in files})
    as_zip = read_upload([data_url(zipped)], ["tape.zip"], work, 50)
    several = read_upload([data_url(p.read_bytes()) for p in files], [p.name for p in files],
                          work, 50)
    assert as_zip.ok and as_zip.portfolio.model_dump() == sample_portfolio.model_dump()
    assert several.ok and several.portfolio.model_dump() == sample_portfolio.model_dump()


def test_several_files_must_be_tables(tmp_path: Path) -> None:
    with pytest.raises(UploadRefused, match="upload a YAML, XLSX or zip file alone"):
        read_upload([data_url(b"a"), data_url(b"b")], ["x.yaml", "y.csv"], tmp_path, 50)
    assert list(tmp_path.iterdir()) == []  # the refused upload's folder is removed


def test_parquet_zip_bomb_is_refused(tmp_path: Path) -> None:
    big = b"\0" * (2 * BYTES_PER_MB)  # compresses to a few kB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("borrowers.parquet", big)
    with pytest.raises(UploadRefused, match="unpacked archive"):
        read_upload([data_url(buf.getvalue())], ["t.zip"], tmp_path, CAP_MB)
    assert list(tmp_path.iterdir()) == []
