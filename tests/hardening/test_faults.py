"""Faults around `cliffwatch run`: interrupts, a read-only output folder, a full disk.

Where the machine lets the test mount a tmpfs (root with CAP_SYS_ADMIN, as in this project's
container), the full disk and the read-only folder are real file systems: a 64 KiB tmpfs that
the report cannot fit in, and a tmpfs mounted read-only. Elsewhere the full disk is simulated
by making the report writer raise ENOSPC, and the read-only folder by ``chmod 555`` (which
binds only for non-root users); each test says which it used through ``tally``.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.reliability_counts import Tally
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.store.runs import list_runs

QUICK = ["run", "-s", "base", "--paths", "8", "--seed", "1", "--no-sensitivities",
         "--no-reverse-stress", "--horizon", "12"]
TINY_DISK = "64k"
"""tmpfs size for the full-disk test: the report alone is several hundred KiB."""
SIGINT_DELAYS_S = (2.0, 4.0, 7.0)
"""Seconds after start at which a run gets SIGINT: imports, tape load, simulation."""
INTERRUPTED = 130


@contextmanager
def tmpfs(where: Path, size: str, read_only: bool = False) -> Iterator[bool]:
    """Mount a tmpfs at ``where`` for the block; yields False (and mounts nothing) if the
    machine does not allow it."""
    where.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)],
                          capture_output=True, check=False)
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", str(where)], check=False)


def run_cli(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.output


def test_read_only_output_folder_is_refused_before_the_run(tmp_path: Path,
                                                           tally: Tally) -> None:
    out, store = tmp_path / "ro", tmp_path / "s.duckdb"
    with tmpfs(out, "1m", read_only=True) as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("root without mount: no way to make a folder read-only")
            out.chmod(0o555)
        start = time.monotonic()
        code, output = run_cli([*QUICK, "--out", str(out / "sub"), "--store", str(store)])
        out.chmod(0o755) if not mounted else None
    assert code == 2 and "output folder (--out)" in output and "cannot write" in output
    assert time.monotonic() - start < 5.0  # refused up front, not after simulating
    assert not store.exists()
    tally("read-only output folders: " + ("tmpfs mounted ro" if mounted else "chmod 555"))


def test_read_only_store_folder_is_refused_before_the_run(tmp_path: Path, tally: Tally) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the store folder should be")
    code, output = run_cli([*QUICK, "--out", str(tmp_path / "out"),
                            "--store", str(blocker / "s.duckdb")])
    assert code == 2 and "store folder (--store)" in output and "is a file" in output
    assert not (tmp_path / "out").exists()
    tally("unwritable store folders")


def _simulate_enospc(monkeypatch: pytest.MonkeyPatch) -> None:
    import cliffwatch.report.workbook as workbook

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "results.xlsx")

    monkeypatch.setattr(workbook, "write_workbook", full)


def test_full_disk_while_writing_the_report_leaves_the_store_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tally: Tally) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "full"
    code, _ = run_cli([*QUICK, "--out", str(tmp_path / "ok"), "--store", str(store)])
    assert code == 0
    before = list_runs(store)["run_id"].tolist()
    with tmpfs(out, TINY_DISK) as mounted:
        if not mounted:
            _simulate_enospc(monkeypatch)
        code, output = run_cli([*QUICK, "--out", str(out), "--store", str(store)])
        left = list(out.iterdir())
    assert code == 2, output
    assert "No space left on device" in output and "store is unchanged" in output
    assert list_runs(store)["run_id"].tolist() == before
    assert left == []  # the partial report folder was removed
    tally("full disks while writing the report: " + ("64 KiB tmpfs" if mounted
                                                     else "simulated ENOSPC"))


def test_full_disk_under_the_store_removes_the_report(tmp_path: Path, tally: Tally) -> None:
    disk, out = tmp_path / "disk", tmp_path / "out"
    with tmpfs(disk, TINY_DISK) as mounted:
        if not mounted:
            pytest.skip("cannot mount a small tmpfs here")
        code, output = run_cli([*QUICK, "--out", str(out), "--store", str(disk / "s.duckdb")])
        stored = sorted(p.name for p in disk.iterdir())
    assert code == 2, output
    assert "nothing was written" in output
    assert [p for p in stored if p.endswith(".duckdb")] == []  # no half-made store
    assert list(out.iterdir()) == []  # the report of the unsaved run was removed
    tally("full disks while writing the store: 64 KiB tmpfs")


@pytest.mark.slow
@pytest.mark.parametrize("delay", SIGINT_DELAYS_S)
def test_sigint_exits_130_and_writes_nothing(tmp_path: Path, delay: float,
                                             tally: Tally) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    jitter = random.Random(int(delay * 1000)).uniform(0.0, 0.5)  # a seeded "random point"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cliffwatch", "run", "--paths", "3000", "--store", str(store),
         "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"})
    time.sleep(delay + jitter)
    proc.send_signal(signal.SIGINT)
    output = proc.communicate(timeout=120)[0].decode()
    assert proc.returncode == INTERRUPTED, output
    assert "interrupted: nothing was written" in output and "Traceback" not in output
    assert not store.exists()
    assert not out.exists() or list(out.iterdir()) == []
    tally("runs killed: SIGINT")
