"""The server-side state one dashboard process holds: config, tapes, the run queue."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cliffwatch.app.jobs import RunQueue
from cliffwatch.app.limits import DEFAULT_MAX_UPLOAD_MB, MAX_PARALLEL_RUNS
from cliffwatch.app.tapes import TapeRegistry
from cliffwatch.results import RunResult
from cliffwatch.store.runs import list_runs, load_run


@dataclass(frozen=True)
class AppConfig:
    """Settings of one server.

    Attributes
    ----------
    store : Path
        DuckDB results store runs are saved to and read from.
    max_upload_mb : float
        Largest accepted upload, MB.
    max_parallel : int
        Runs executed at once (the others queue).
    warm_worker : bool
        Keep one imported worker idle so a run starts at once (costs one idle process).
    """

    store: Path = Path("cliffwatch.duckdb")
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    max_parallel: int = MAX_PARALLEL_RUNS
    warm_worker: bool = True


@dataclass
class Services:
    """Config plus the long-lived objects callbacks share (one per server process)."""

    config: AppConfig
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cliffwatch-app-")))
    tapes: TapeRegistry = field(default_factory=TapeRegistry)
    queue: RunQueue | None = None
    cache: RunCache | None = None

    def __post_init__(self) -> None:
        if self.queue is None:
            self.queue = RunQueue(self.config.max_parallel, warm=self.config.warm_worker)
        if self.cache is None:
            self.cache = RunCache(self.config.store)

    @property
    def runs(self) -> RunQueue:
        """The run queue (always set after construction)."""
        assert self.queue is not None
        return self.queue

    @property
    def stored(self) -> RunCache:
        """The cache of stored runs (always set after construction)."""
        assert self.cache is not None
        return self.cache

    def close(self) -> None:
        """End workers and remove the private upload folder."""
        self.runs.shutdown()
        shutil.rmtree(self.workdir, ignore_errors=True)


RUN_CACHE_SIZE = 8
"""Stored runs kept in memory while a user explores them."""


class RunCache:
    """Recently loaded runs of one store, by run id (loading from DuckDB once per run)."""

    def __init__(self, store: Path) -> None:
        self._store = store
        self._runs: OrderedDict[str, RunResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, run_id: str) -> RunResult:
        """The run (``RunNotFoundError`` / ``StoreError`` from the store if absent)."""
        with self._lock:
            if run_id in self._runs:
                self._runs.move_to_end(run_id)
                return self._runs[run_id]
        result = load_run(self._store, run_id)
        with self._lock:
            self._runs[run_id] = result
            while len(self._runs) > RUN_CACHE_SIZE:
                self._runs.popitem(last=False)
        return result

    def listing(self) -> pd.DataFrame:
        """Stored runs, newest first (empty when the store does not exist yet)."""
        if not self._store.exists():
            return pd.DataFrame(columns=["run_id", "created", "tape_name", "seed", "paths",
                                         "horizon", "scenarios"])
        return list_runs(self._store).iloc[::-1].reset_index(drop=True)
