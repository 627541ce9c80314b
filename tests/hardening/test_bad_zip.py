"""A zip whose member fails its CRC check is a located refusal in the dashboard upload and on
the command line, never an escaped ``zipfile.BadZipFile`` (a silent 500)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from tests.app.conftest import data_url
from typer.testing import CliRunner

from cliffwatch.app.uploads import UploadRefused, read_upload
from cliffwatch.cli import app
from cliffwatch.sample import load_sample
from cliffwatch.tape.write import write_tape


def _bad_crc_zip(tmp_path: Path, fmt: str) -> bytes:
    """A zip of the sample's tables (stored, not deflated) with one byte of a member flipped,
    so the member still opens but its CRC-32 no longer matches."""
    folder = write_tape(load_sample(), tmp_path / "tables", fmt)  # type: ignore[arg-type]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for p in sorted(folder.iterdir()):
            archive.writestr(p.name, p.read_bytes())
    data = bytearray(buf.getvalue())
    marker = data.find(b"borrowers") + 200  # inside the first member's data
    data[marker] ^= 0xFF
    return bytes(data)


def test_dashboard_upload_with_bad_crc_is_refused(tmp_path: Path) -> None:
    data = _bad_crc_zip(tmp_path, "parquet")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(UploadRefused, match="tape.zip.*corrupt"):
        read_upload([data_url(data)], ["tape.zip"], work, 50)
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cli_validate_bad_crc_zip_is_a_located_error(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "tape.zip"
    path.write_bytes(_bad_crc_zip(tmp_path, fmt))
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 2, res.output
    assert "tape.zip" in res.output and res.exception is None or isinstance(
        res.exception, SystemExit)
