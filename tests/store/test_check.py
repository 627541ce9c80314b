"""The store is checked before a run simulates: resolved path, a DuckDB file, lock free; the
lock is keyed on the resolved file; a failed checkpoint never reports success."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.store.check import check_store, has_run, is_duckdb_file
from cliffwatch.store.errors import StoreError, StoreLockedError
from cliffwatch.store.lock import store_lock
from cliffwatch.store.runs import list_runs, save_run
from report.fixtures import make_result

QUICK = ["run", "-s", "base", "--paths", "8", "--seed", "1", "--no-sensitivities",
         "--no-reverse-stress", "--horizon", "12"]
UP_FRONT_S = 20.0
"""A refusal before the simulation comes within the CLI's start-up time (the run itself, with
sensitivities and the whole library, takes minutes)."""


def test_folder_and_foreign_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dir.duckdb").mkdir()
    with pytest.raises(StoreError, match="not a file"):
        check_store(tmp_path / "dir.duckdb")
    (tmp_path / "notes.duckdb").write_text("hello")
    with pytest.raises(StoreError, match="not a DuckDB database"):
        check_store(tmp_path / "notes.duckdb")
    with pytest.raises(StoreError, match="does not exist"):
        check_store(tmp_path / "nowhere" / "s.duckdb")


def test_symlinked_store_resolves_and_shares_the_lock(tmp_path: Path) -> None:
    real = tmp_path / "real.duckdb"
    save_run(make_result(run_id="a", paths=20), real)
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    assert check_store(link) == real.resolve() and is_duckdb_file(link)
    with store_lock(real, exclusive=True, timeout=1), \
            pytest.raises(StoreLockedError, match="another cliffwatch process"):
        save_run(make_result(run_id="b", paths=20), link, lock_timeout=0.2)
    assert has_run(real, "a") is True and has_run(real, "b") is False


def test_store_held_by_another_duckdb_client_fails_before_the_simulation(
        tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    save_run(make_result(run_id="a", paths=20), store)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb,sys,time;"
                               f"c=duckdb.connect({str(store)!r});print('held',flush=True);"
                               "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        res = CliRunner().invoke(app, [*QUICK, "--out", str(tmp_path / "out"), "--store",
                                       str(store)])
        took = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 2, res.output
    assert "another DuckDB client" in res.output and "Traceback" not in res.output
    assert took < UP_FRONT_S
    assert not (tmp_path / "out").exists()  # nothing simulated, nothing written


@pytest.mark.parametrize("kind", ["folder", "text"])
def test_cli_refuses_a_bad_store_before_the_simulation(tmp_path: Path, kind: str) -> None:
    store = tmp_path / "s.duckdb"
    store.mkdir() if kind == "folder" else store.write_text("not a database")
    res = CliRunner().invoke(app, [*QUICK, "--out", str(tmp_path / "out"), "--store",
                                   str(store)])
    assert res.exit_code == 2 and "--store" in res.output, res.output
    assert not (tmp_path / "out").exists()


def test_lock_timeout_message_reads_cleanly(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    save_run(make_result(run_id="a", paths=20), store)
    with store_lock(store, exclusive=True, timeout=1), \
            pytest.raises(StoreLockedError) as info:
        save_run(make_result(run_id="b", paths=20), store, lock_timeout=0.1)
    assert ".;" not in f"{info.value}; nothing was written"
    assert str(info.value).endswith("use another --store")


class _FailingCheckpoint:
    """A DuckDB connection whose CHECKPOINT fails, as on a disk with room for the WAL only."""

    def __init__(self, con: object) -> None:
        self._con = con

    def execute(self, sql: str, *args: object) -> object:
        import duckdb

        if sql.strip().upper() == "CHECKPOINT":
            raise duckdb.IOException("Could not write file: No space left on device")
        return self._con.execute(sql, *args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_failed_checkpoint_of_a_fresh_store_is_not_success(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import contextmanager

    from cliffwatch.store import runs

    original = runs._connect

    @contextmanager
    def connect(path: Path, *, read_only: bool):  # type: ignore[no-untyped-def]
        with original(path, read_only=read_only) as con:
            yield _FailingCheckpoint(con)

    monkeypatch.setattr(runs, "_connect", connect)
    store = tmp_path / "s.duckdb"
    with pytest.raises(StoreError, match="could not be written into the store file"):
        save_run(make_result(run_id="w", paths=20), store)
    assert not store.exists() and not store.with_name("s.duckdb.wal").exists()
    monkeypatch.setattr(runs, "_connect", original)
    save_run(make_result(run_id="a", paths=20), store)
    monkeypatch.setattr(runs, "_connect", connect)
    with pytest.raises(StoreError):
        save_run(make_result(run_id="w", paths=20), store)
    monkeypatch.setattr(runs, "_connect", original)
    assert list_runs(store)["run_id"].tolist() == ["a"]
