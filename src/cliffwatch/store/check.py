"""Check a results store before a run simulates anything.

A run that learns only after minutes of simulation that ``--store`` is a folder, a text file,
or held by another DuckDB client has wasted those minutes. :func:`check_store` resolves the path
(a symlinked store and its target share one lock), and fails at once, with a located message,
when the store cannot take the run: its folder is not writable, the path is not a regular file,
the file is not a DuckDB database, or another process holds it longer than the lock timeout.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from cliffwatch.store.errors import StoreError, StoreLockedError
from cliffwatch.store.lock import DEFAULT_LOCK_TIMEOUT_S, store_lock

DUCKDB_MAGIC = b"DUCK"
"""Bytes 8-11 of every DuckDB database file (its storage header)."""
_MAGIC_OFFSET = 8
_HEADER_BYTES = 12


def is_duckdb_file(path: Path) -> bool:
    """True if ``path`` starts with DuckDB's file header (an empty file is not one)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEADER_BYTES)
    except OSError:
        return False
    return head[_MAGIC_OFFSET:_HEADER_BYTES] == DUCKDB_MAGIC


def check_store(path: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> Path:
    """The resolved store path, after checking it can take a run now.

    Waits up to ``lock_timeout`` seconds for another cliffwatch writer, then opens an existing
    store read-write for an instant to learn whether another DuckDB client (a notebook, the
    DuckDB shell) holds it.

    Raises
    ------
    StoreError
        The folder is missing or not writable, the path is a folder or not a DuckDB file, or
        another DuckDB client holds the file.
    StoreLockedError
        Another cliffwatch process kept the store's lock past ``lock_timeout``.
    """
    store = Path(path).expanduser().resolve()
    where = f"--store {path}" + (f" (-> {store})" if str(store) != str(path) else "")
    if not store.parent.is_dir():
        raise StoreError(f"{where}: folder {store.parent} does not exist")
    if store.exists():
        if not store.is_file():
            raise StoreError(f"{where}: not a file (a folder?); give a DuckDB file path")
        if not is_duckdb_file(store):
            raise StoreError(f"{where}: not a DuckDB database file; give a new file name or "
                             "a store written by cliffwatch")
    with store_lock(store, exclusive=True, timeout=lock_timeout):
        if store.exists():
            _probe_open(store, where)
    return store


def _probe_open(store: Path, where: str) -> None:
    try:
        duckdb.connect(str(store), read_only=False).close()
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreLockedError(f"{where}: held by another DuckDB client ({text.strip()}); "
                                   "close it or use another --store") from None
        raise StoreError(f"{where}: cannot open the results store: {text}") from None


def has_run(store: Path, run_id: str, *, lock_timeout: float = 1.0) -> bool | None:
    """True/False if ``store`` holds / lacks run ``run_id``; None if it cannot tell now (the
    store is locked or unreadable). A missing store holds no run."""
    if not store.exists():
        return False
    try:
        with store_lock(store, exclusive=False, timeout=lock_timeout):
            con = duckdb.connect(str(store), read_only=True)
            try:
                row = con.execute("SELECT count(*) FROM runs WHERE run_id = ?",
                                  [run_id]).fetchone()
            finally:
                con.close()
    except duckdb.CatalogException:  # a store without a runs table holds no run
        return False
    except (StoreError, duckdb.Error, OSError):
        return None
    return bool(row and row[0])
