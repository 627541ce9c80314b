"""The store's DuckDB schema: run registry, scenarios, and one table per result table.

Result tables keep the columns of :data:`cliffwatch.results.TABLES` and add ``run_id`` (which
run the row belongs to) and ``row_idx`` (its position in the run's DataFrame, so a loaded table
comes back in the order it was saved).
"""

from __future__ import annotations

import duckdb

from cliffwatch.results import TABLES

SCHEMA_VERSION = 1
"""Version of the layout below; bump it, with a migration, whenever a table changes."""
DUCKDB_TYPES: dict[str, str] = {
    "string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN",
}
"""pandas dtype of a TABLES column -> DuckDB column type."""
RUN_COLUMNS = [
    "run_id", "created", "tape_hash", "tape_name", "seed", "paths", "horizon", "code_version",
    "status", "manifest",
]
"""Columns of the ``runs`` table, in order."""

_META_DDL = "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    created VARCHAR,        -- ISO 8601 timestamp from the manifest
    tape_hash VARCHAR,
    tape_name VARCHAR,
    seed UHUGEINT,          -- SeedSequence entropy may exceed 64 bits
    paths BIGINT,
    horizon BIGINT,         -- months
    code_version VARCHAR,
    status VARCHAR,
    manifest VARCHAR        -- the full manifest as JSON text
)"""
_SCENARIOS_DDL = """
CREATE TABLE IF NOT EXISTS run_scenarios (
    run_id VARCHAR,
    position BIGINT,        -- order of the scenario in the run
    scenario VARCHAR,
    spec VARCHAR,           -- resolved scenario spec as JSON text
    PRIMARY KEY (run_id, scenario)
)"""


def table_ddl(name: str) -> str:
    """``CREATE TABLE`` statement of result table ``name``."""
    cols = ", ".join(f'"{c}" {DUCKDB_TYPES[d]}' for c, d, _ in TABLES[name])
    return f'CREATE TABLE IF NOT EXISTS "{name}" (run_id VARCHAR, row_idx BIGINT, {cols})'


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and record the schema version (inside the caller's transaction)."""
    con.execute(_META_DDL)
    con.execute(_RUNS_DDL)
    con.execute(_SCENARIOS_DDL)
    for name in TABLES:
        con.execute(table_ddl(name))
        _add_new_columns(con, name)
    con.execute(
        "INSERT INTO store_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
        [str(SCHEMA_VERSION)],
    )


def _add_new_columns(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Add columns that TABLES gained since the store was created (contracts only grow).

    Rows of older runs hold NULL there; inserts name their columns, so order is irrelevant.
    """
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]
    ).fetchall()}
    for col, dtype, _ in TABLES[name]:
        if col not in have:
            con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {DUCKDB_TYPES[dtype]}')


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the store, or None for an empty database."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'store_meta'"
    ).fetchone()
    if not found or found[0] == 0:
        return None
    row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None
