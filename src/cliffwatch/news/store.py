"""The ``news_items`` table of the results store: one row per analysed item and run.

Written with its own DuckDB connection in one transaction under the store's write lock
(:func:`cliffwatch.store.lock.store_lock`), beside the run tables of ``cliffwatch.store``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from cliffwatch import signals
from cliffwatch.news.analyse import ItemAnalysis
from cliffwatch.store.errors import StoreError
from cliffwatch.store.lock import DEFAULT_LOCK_TIMEOUT_S, store_lock

NEWS_TABLE = "news_items"
NEWS_DDL = (
    f"CREATE TABLE IF NOT EXISTS {NEWS_TABLE} ("
    "item_id VARCHAR, title VARCHAR, published VARCHAR, source VARCHAR, tags VARCHAR, "
    "companies VARCHAR, catalysts VARCHAR, scenario_yaml VARCHAR, impact DOUBLE, "
    "d_el DOUBLE, d_es99 DOUBLE, exposure DOUBLE, paths BIGINT, seed BIGINT, "
    "run_time TIMESTAMP)"
)
"""Columns: item id (content hash), text fields, tags/companies (JSON lists), catalysts (JSON
list of {name, direction, confidence, evidence}), the scenario YAML, impact score [0, 1],
d_el / d_es99 of the composed scenario against base (USD), exposure (USD), paths, seed and
the UTC time of the run."""


def _catalysts_json(a: ItemAnalysis) -> str:
    return json.dumps([{"name": c.name, "direction": c.direction,
                        "confidence": round(c.confidence, 6),
                        "evidence": sorted({e.sentence for e in c.evidence})}
                       for c in a.catalysts])


def _rows(analysed: Sequence[ItemAnalysis], paths: int, seed: int) -> pd.DataFrame:
    now = datetime.now(UTC).replace(tzinfo=None)
    return pd.DataFrame([{
        "item_id": a.item.item_id, "title": a.item.title, "published": a.item.published,
        "source": a.item.source, "tags": json.dumps(a.tags), "companies": json.dumps(a.companies),
        "catalysts": _catalysts_json(a), "scenario_yaml": a.scenario_yaml, "impact": a.score,
        "d_el": a.impact.d_el if a.impact else 0.0,
        "d_es99": a.impact.d_es99 if a.impact else 0.0,
        "exposure": a.impact.exposure if a.impact else 0.0,
        "paths": paths, "seed": seed, "run_time": now} for a in analysed])


def append_news(analysed: Sequence[ItemAnalysis], store: str | Path, *, paths: int, seed: int,
                lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> int:
    """Append one row per item to ``news_items`` in one transaction; returns rows written.

    Raises
    ------
    StoreError
        The store cannot be opened or written (nothing is written then).
    StoreLockedError
        Another process held the write lock longer than ``lock_timeout`` seconds.
    """
    if not analysed:
        return 0
    store = Path(store)
    frame = _rows(analysed, paths, seed)  # noqa: F841 - read by DuckDB's replacement scan
    with store_lock(store, exclusive=True, timeout=lock_timeout):
        try:
            con = duckdb.connect(str(store))
        except duckdb.Error as exc:
            raise StoreError(f"{store}: cannot open the results store: {exc}") from exc
        try:
            with signals.deferred():  # a signal inside DuckDB aborts the transaction instead
                con.begin()
                con.execute(NEWS_DDL)
                con.execute(f"INSERT INTO {NEWS_TABLE} SELECT * FROM frame")
                signals.raise_if_pending()
                con.commit()
            con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            _rollback_quietly(con)
            raise StoreError(f"{store}: writing news items failed, nothing saved: {exc}") \
                from exc
        except BaseException:
            _rollback_quietly(con)
            raise
        finally:
            con.close()
    return len(analysed)


def _rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed commit has already ended it)."""
    try:
        con.rollback()
    except duckdb.Error:
        pass


def stored_item_ids(store: str | Path) -> set[str]:
    """Ids of the items already in the store's ``news_items`` (empty without a store)."""
    store = Path(store)
    if not store.exists():
        return set()
    with store_lock(store, exclusive=False, timeout=DEFAULT_LOCK_TIMEOUT_S):
        try:
            con = duckdb.connect(str(store), read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"{store}: cannot open the results store: {exc}") from exc
        try:
            found = con.execute("SELECT count(*) FROM information_schema.tables "
                                f"WHERE table_name = '{NEWS_TABLE}'").fetchone()
            if not found or not found[0]:
                return set()
            return {r[0] for r in con.execute(f"SELECT item_id FROM {NEWS_TABLE}").fetchall()}
        finally:
            con.close()


def read_news(store: str | Path) -> pd.DataFrame:
    """The whole ``news_items`` table, highest impact first."""
    store = Path(store)
    if not store.exists():
        raise StoreError(f"{store}: no results store here")
    with store_lock(store, exclusive=False, timeout=DEFAULT_LOCK_TIMEOUT_S):
        con = duckdb.connect(str(store), read_only=True)
        try:
            return con.execute(f"SELECT * FROM {NEWS_TABLE} ORDER BY impact DESC, "
                               "run_time").df()
        except duckdb.Error as exc:
            raise StoreError(f"{store}: no news items stored ({exc})") from exc
        finally:
            con.close()
