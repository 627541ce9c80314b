"""Save, load, list and delete runs in a DuckDB results store.

Each run is written in one transaction that commits last, so a crash or an error mid-write
leaves only complete runs behind; a lock file serialises writing processes (see
:mod:`cliffwatch.store.lock`).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from cliffwatch import signals
from cliffwatch.results import TABLES, RunResult, conform
from cliffwatch.shown import shown
from cliffwatch.store.errors import RunNotFoundError, StoreError
from cliffwatch.store.lock import DEFAULT_LOCK_TIMEOUT_S, store_lock
from cliffwatch.store.schema import SCHEMA_VERSION, ensure_schema, schema_version

DEFAULT_STORE = Path("cliffwatch.duckdb")
"""Store file used when none is given: in the working directory."""
RUN_TABLES_DDL = (
    "CREATE TABLE IF NOT EXISTS run_tables (run_id VARCHAR, position BIGINT, "
    "table_name VARCHAR, "
    "PRIMARY KEY (run_id, table_name))"
)
"""Which result tables a run produced (a run may omit some), in the run's order."""
PathLike = str | os.PathLike[str]


def _require_store(path: Path) -> None:
    """Fail before taking a lock (which would create a lock file) if there is no store."""
    if not path.exists():
        raise StoreError(f"{path}: no results store here (run `cliffwatch run` first?)")


@contextmanager
def _connect(path: Path, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only:
        _require_store(path)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the results store: {exc}") from exc
    try:
        found = schema_version(con)
        if found is not None and found > SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema version {found} is newer than this "
                             f"cliffwatch supports ({SCHEMA_VERSION}); upgrade cliffwatch")
        yield con
    finally:
        con.close()


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"manifest value of type {type(obj).__name__} is not JSON-serialisable")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, default=_json_default)


def new_run_id() -> str:
    """A fresh, unique run id (12 hex digits)."""
    return uuid.uuid4().hex[:12]


RUN_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""Run ids that can name an output folder (``cliffwatch-out/<run id>``): no separators, no
leading dot. The store itself keeps any id (``cliffwatch report`` makes a safe file name)."""


def check_run_id(run_id: str) -> str:
    """``run_id`` if it is safe as a folder name; else :class:`StoreError`. Used before a
    run id becomes a folder name."""
    if not RUN_ID_PATTERN.fullmatch(run_id) or ".." in run_id:
        raise StoreError(f"run id {run_id[:80]!r}: expected 1-64 letters, digits, '_', '.' or "
                         "'-', starting with a letter or digit (it names the output folder)")
    return run_id


def _prepare(result: RunResult) -> tuple[str, dict[str, Any], dict[str, pd.DataFrame]]:
    """Run id, manifest (with the run id) and conformed tables; raise StoreError if invalid."""
    unknown = sorted(set(result.tables) - set(TABLES))
    if unknown:
        raise StoreError(f"run has tables outside the schema: {unknown}")
    try:
        tables = {name: conform(name, df) for name, df in result.tables.items()}
    except (ValueError, TypeError) as exc:
        raise StoreError(f"run tables do not match the schema: {exc}") from exc
    manifest = dict(result.manifest)
    run_id = str(manifest.get("run_id") or new_run_id())
    manifest["run_id"] = run_id
    return run_id, manifest, tables


def _insert_run(con: duckdb.DuckDBPyConnection, run_id: str, manifest: dict[str, Any],
                tables: dict[str, pd.DataFrame]) -> None:
    if con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchone():
        raise StoreError(f"run {run_id!r} is already stored; delete it first or use a new id")
    seed = manifest.get("seed")
    con.execute(
        "INSERT INTO runs VALUES (?, ?, ?, ?, CAST(? AS UHUGEINT), ?, ?, ?, ?, ?)",
        [run_id, manifest.get("created"), manifest.get("tape_hash"), manifest.get("tape_name"),
         None if seed is None else str(seed), manifest.get("paths"), manifest.get("horizon"),
         manifest.get("code_version"), manifest.get("status", "complete"), _dumps(manifest)],
    )
    for pos, (name, spec) in enumerate(_scenarios(manifest, tables).items()):
        con.execute("INSERT INTO run_scenarios VALUES (?, ?, ?, ?)",
                    [run_id, pos, name, _dumps(spec)])
    for pos, (name, df) in enumerate(tables.items()):
        con.execute("INSERT INTO run_tables VALUES (?, ?, ?)", [run_id, pos, name])
        rows = df.copy()
        rows.insert(0, "run_id", run_id)
        rows.insert(1, "row_idx", np.arange(len(rows), dtype=np.int64))
        con.register("_incoming", rows)
        try:
            con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _incoming')
        finally:
            con.unregister("_incoming")


def _scenarios(manifest: dict[str, Any], tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Scenario name -> spec, from the manifest or, failing that, the summary table."""
    specs = manifest.get("scenarios")
    if isinstance(specs, dict) and specs:
        return specs
    summary = tables.get("scenario_summary")
    names = [] if summary is None else list(dict.fromkeys(summary["scenario"].tolist()))
    return {str(n): None for n in names}


def save_run(result: RunResult, path: PathLike = DEFAULT_STORE, *,
             lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> str:
    """Persist ``result`` in the store at ``path`` in one transaction and return its run id.

    The run id is ``manifest["run_id"]`` or a new one. Nothing is visible until the final
    commit; on any error the store is left as it was (a store file this call created is
    removed again).

    Raises
    ------
    StoreError
        The result does not fit the schema, the run id exists, or the file cannot be written.
    StoreLockedError
        Another process held the write lock for longer than ``lock_timeout`` seconds.
    """
    store = Path(path)
    run_id, manifest, tables = _prepare(result)
    with store_lock(store, exclusive=True, timeout=lock_timeout):
        created_file = not store.exists()
        try:
            _write(store, run_id, manifest, tables)
        except BaseException:
            if created_file:
                _remove_store_files(store)
            raise
    return run_id


def _write(store: Path, run_id: str, manifest: dict[str, Any],
           tables: dict[str, pd.DataFrame]) -> None:
    # SIGINT/SIGTERM are held back over the transaction: a signal inside DuckDB surfaces as
    # "Current transaction is aborted"; checked once more just before the commit
    with _connect(store, read_only=False) as con, signals.deferred():
        con.begin()
        try:
            ensure_schema(con)
            con.execute(RUN_TABLES_DDL)
            _insert_run(con, run_id, manifest, tables)
            signals.raise_if_pending()
            con.commit()
        except duckdb.Error as exc:
            _rollback(con)
            raise StoreError(f"{store}: writing run {run_id!r} failed, nothing saved: {exc}") \
                from exc
        except BaseException:
            _rollback(con)
            raise
        _checkpoint(con, store, run_id)


def _checkpoint(con: duckdb.DuckDBPyConnection, store: Path, run_id: str) -> None:
    """Fold the WAL into the store file and verify the run is there; on failure (a nearly full
    disk) undo the run, so success is never reported for a run that lives only in the WAL."""
    try:
        con.execute("CHECKPOINT")
        found = con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if not found or not found[0]:
            raise duckdb.Error("the run is missing after the checkpoint")
    except duckdb.Error as exc:
        try:
            con.begin()
            for name in [*TABLES, "run_tables", "run_scenarios", "runs"]:
                con.execute(f'DELETE FROM "{name}" WHERE run_id = ?', [run_id])
            con.commit()
        except duckdb.Error:
            _rollback(con)
        raise StoreError(f"{store}: run {shown(run_id)} could not be written into the store "
                         f"file (disk full?), nothing saved: {exc}") from exc


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open: a failed commit (a full disk) has already
    ended it, and a second error must not hide the first."""
    try:
        con.rollback()
    except duckdb.TransactionException:
        pass


def _remove_store_files(store: Path) -> None:
    for p in (store, store.with_name(store.name + ".wal")):
        p.unlink(missing_ok=True)


def load_run(path: PathLike, run_id: str, *,
             lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> RunResult:
    """The run ``run_id`` from the store at ``path``: the same tables and manifest as saved.

    Raises
    ------
    RunNotFoundError
        No run with that id.
    StoreError
        The store is missing or unreadable.
    """
    store = Path(path)
    _require_store(store)
    with store_lock(store, exclusive=False, timeout=lock_timeout), \
            _connect(store, read_only=True) as con:
        row = _fetch_manifest(con, store, run_id)
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM run_tables WHERE run_id = ? ORDER BY position", [run_id]
        ).fetchall()]
        tables = {n: _load_table(con, n, run_id) for n in names}
    return RunResult(tables=tables, manifest=json.loads(row))


def _fetch_manifest(con: duckdb.DuckDBPyConnection, store: Path, run_id: str) -> str:
    row = None
    if schema_version(con) is not None:
        row = con.execute("SELECT manifest FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise RunNotFoundError(f"{store}: no run {run_id!r} (see `cliffwatch runs`)")
    return str(row[0])


def _load_table(con: duckdb.DuckDBPyConnection, name: str, run_id: str) -> pd.DataFrame:
    cols = ", ".join(f'"{c}"' for c, _, _ in TABLES[name])
    df = con.execute(
        f'SELECT {cols} FROM "{name}" WHERE run_id = ? ORDER BY row_idx', [run_id]
    ).df()
    return conform(name, df)


def list_runs(path: PathLike = DEFAULT_STORE, *,
              lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> pd.DataFrame:
    """One row per stored run, oldest first: the ``runs`` columns (without the manifest)
    plus ``scenarios`` (comma-separated names)."""
    store = Path(path)
    _require_store(store)
    with store_lock(store, exclusive=False, timeout=lock_timeout), \
            _connect(store, read_only=True) as con:
        if schema_version(con) is None:
            return pd.DataFrame(columns=["run_id", "created", "tape_hash", "tape_name", "seed",
                                         "paths", "horizon", "code_version", "status",
                                         "scenarios"])
        return con.execute("""
            SELECT r.run_id, r.created, r.tape_hash, r.tape_name, CAST(r.seed AS VARCHAR) AS seed,
                   r.paths, r.horizon, r.code_version, r.status,
                   coalesce(string_agg(s.scenario, ', ' ORDER BY s.position), '') AS scenarios
            FROM runs r LEFT JOIN run_scenarios s USING (run_id)
            GROUP BY ALL ORDER BY r.created, r.run_id""").df()


def delete_run(path: PathLike, run_id: str, *,
               lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> None:
    """Remove run ``run_id`` and all its rows, in one transaction.

    Raises
    ------
    RunNotFoundError
        No run with that id.
    """
    store = Path(path)
    _require_store(store)
    with store_lock(store, exclusive=True, timeout=lock_timeout), \
            _connect(store, read_only=False) as con:
        _fetch_manifest(con, store, run_id)
        con.begin()
        try:
            for name in [*TABLES, "run_tables", "run_scenarios", "runs"]:
                con.execute(f'DELETE FROM "{name}" WHERE run_id = ?', [run_id])
            con.commit()
        except BaseException:
            con.rollback()
            raise
        con.execute("CHECKPOINT")
