"""An inter-process lock beside the store file, with a bounded wait.

DuckDB admits one writing process per database file and fails at once when a second one opens
it. The lock file turns that into an orderly queue: writers take an exclusive lock, readers a
shared one, and a process that cannot get it within the timeout gets a clear error. The OS
releases an ``flock`` when its holder dies, even by SIGKILL, so a crashed writer never leaves
the store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cliffwatch.store.errors import StoreError, StoreLockedError

DEFAULT_LOCK_TIMEOUT_S = 30.0
"""Seconds a writer waits for another writer before giving up."""
LOCK_POLL_INTERVAL_S = 0.05
"""Seconds between attempts to take a busy lock."""


def lock_path(store: Path) -> Path:
    """The lock file of ``store``: ``<store>.lock`` in the same directory."""
    return store.with_name(store.name + ".lock")


@contextmanager
def store_lock(store: Path, *, exclusive: bool, timeout: float) -> Iterator[None]:
    """Hold the store's lock (exclusive for writers, shared for readers) for the block.

    Parameters
    ----------
    store : Path
        The DuckDB file.
    exclusive : bool
        True for a writer, False for a reader.
    timeout : float
        Seconds to wait for a busy lock before raising :class:`StoreLockedError`.
    """
    # keyed on the resolved file: a symlinked --store and its target share one lock
    path = lock_path(store.resolve())
    fd = _open_lock_file(path, store, exclusive)
    if fd is None:
        yield
        return
    try:
        _acquire(fd, store, exclusive, timeout)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _open_lock_file(path: Path, store: Path, exclusive: bool) -> int | None:
    """Descriptor of the lock file, or None for a reader that cannot create it."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if not exclusive and store.exists():
            # A reader of a store in a read-only directory: DuckDB's own lock still guards it.
            return None
        raise StoreError(f"{store}: cannot create lock file {path}: {exc.strerror}") from exc


def _acquire(fd: int, store: Path, exclusive: bool, timeout: float) -> None:
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, mode)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{store}: another cliffwatch process is writing to this store; waited "
                    f"{timeout:g} s for its lock ({lock_path(store.resolve())}); retry when it "
                    "finishes or use another --store"
                ) from None
            time.sleep(LOCK_POLL_INTERVAL_S)
