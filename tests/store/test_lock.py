"""The store lock: exclusive writers, shared readers, bounded wait, read-only fallback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cliffwatch.store import StoreError, StoreLockedError, list_runs, save_run
from cliffwatch.store import lock as lock_mod
from cliffwatch.store.lock import lock_path, store_lock
from report.fixtures import make_result

SHORT_WAIT_S = 0.2


def test_writer_excludes_writer_and_reader(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    # flock locks belong to open file descriptions, so one process can contend with itself.
    with store_lock(store, exclusive=True, timeout=1):
        for exclusive in (True, False):
            start = time.monotonic()
            with pytest.raises(StoreLockedError, match="waited 0.2 s"), \
                    store_lock(store, exclusive=exclusive, timeout=SHORT_WAIT_S):
                pass
            assert time.monotonic() - start >= SHORT_WAIT_S


def test_readers_share_and_lock_is_released(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    with store_lock(store, exclusive=False, timeout=1), \
            store_lock(store, exclusive=False, timeout=SHORT_WAIT_S):
        pass
    with store_lock(store, exclusive=True, timeout=SHORT_WAIT_S):
        pass
    assert lock_path(store) == tmp_path / "s.duckdb.lock"


def test_reader_of_read_only_location_needs_no_lock_file(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "s.duckdb"
    save_run(make_result(run_id="r", paths=20), store)
    lock_path(store).unlink()
    real_open = os.open

    def refuse_lock_files(path: str | os.PathLike[str], *args: int) -> int:
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(lock_mod.os, "open", refuse_lock_files)
    assert list_runs(store)["run_id"].tolist() == ["r"]
    with pytest.raises(StoreError, match="cannot create lock file .*Permission denied"):
        save_run(make_result(run_id="w", paths=20), store)
