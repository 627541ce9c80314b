"""The results store: runs persisted in DuckDB, one transaction per run."""

from cliffwatch.store.errors import RunNotFoundError, StoreError, StoreLockedError
from cliffwatch.store.runs import DEFAULT_STORE, delete_run, list_runs, load_run, save_run
from cliffwatch.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_STORE", "SCHEMA_VERSION", "RunNotFoundError", "StoreError", "StoreLockedError",
    "delete_run", "list_runs", "load_run", "save_run",
]
