"""Watch a folder: analyse news files as they arrive and append them to the store.

The watcher must stay up unattended. A file it cannot read or analyse, for whatever reason
(invalid or deeply nested JSON, a text over the size limit, a failure inside the analysis), is
moved to the :data:`QUARANTINE` sub-folder with a ``NAME.error.txt`` beside it holding the
error, so a restart does not meet it again; the other files go on. A store that is busy (another
cliffwatch writer, another DuckDB client) is retried at later polls with a growing pause, the
analysed items kept until they are written.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from cliffwatch.news.analyse import Analysis, ItemAnalysis, analyse_items
from cliffwatch.news.errors import NewsError
from cliffwatch.news.item import NewsItem
from cliffwatch.news.readers import SUFFIXES, read_items, unreadable
from cliffwatch.news.store import append_news, stored_item_ids
from cliffwatch.store.errors import StoreError
from cliffwatch.tape.arrays import PortfolioArrays

DEFAULT_POLL_S = 2.0
"""Seconds between two looks at the folder."""
SETTLE_S = 0.5
"""A file modified less than this many seconds ago may still be being written: wait."""
QUARANTINE = "quarantine"
"""Sub-folder of the watched folder where files that failed are moved, each with a
``NAME.error.txt`` holding its error."""
STORE_RETRY_FIRST_S = 0.5
STORE_RETRY_MAX_S = 60.0
"""Pause before retrying a busy store: doubles from the first value up to the second."""


def _fingerprint(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_mtime_ns, st.st_size


def _is_news_file(p: Path, folder: Path) -> bool:
    """A visible news file of ``folder``; a link that leads outside the folder is skipped, so
    a watched drop folder cannot make us read (and store) files from elsewhere on the disk."""
    return (p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            and p.resolve().is_relative_to(folder.resolve()))


def quarantine(path: Path, error: NewsError) -> Path:
    """Move ``path`` into the :data:`QUARANTINE` folder beside it, with its error; returns the
    new path (a number is added if the name is taken)."""
    folder = path.parent / QUARANTINE
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    target.with_name(target.name + ".error.txt").write_text(f"{error}\n", encoding="utf-8")
    return target


class _Backoff:
    """When a busy store may be tried again."""

    def __init__(self) -> None:
        self.pause = 0.0
        self.next_try = 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self.next_try

    def failed(self) -> None:
        self.pause = min(max(self.pause * 2, STORE_RETRY_FIRST_S), STORE_RETRY_MAX_S)
        self.next_try = time.monotonic() + self.pause

    def succeeded(self) -> None:
        self.pause = self.next_try = 0.0


def _fresh_files(folder: Path, seen: dict[Path, tuple[int, int]]) -> list[Path]:
    fresh = []
    for p in sorted(folder.iterdir()):
        try:
            if not _is_news_file(p, folder):
                continue
            fp = _fingerprint(p)
        except OSError:
            continue  # vanished between the listing and the look
        if time.time_ns() - fp[0] < SETTLE_S * 1e9:
            continue  # picked up at a later poll, once complete
        if seen.get(p) != fp:
            seen[p] = fp
            fresh.append(p)
    return fresh


def _analyse_files(files: list[Path], known: set[str], pa: PortfolioArrays, *, paths: int,
                   seed: int, classifier: bool) -> tuple[list[ItemAnalysis], list[NewsError]]:
    """Read and analyse ``files`` (one run for all); a file that fails is quarantined."""
    by_file: dict[Path, list[NewsItem]] = {}
    errors: list[NewsError] = []

    def fail(p: Path, err: NewsError) -> None:
        errors.append(err)
        try:
            quarantine(p, err)
        except OSError:
            pass  # cannot move it (permissions): it stays, reported once per change

    for p in files:
        try:
            by_file[p] = read_items(p)
        except NewsError as exc:
            fail(p, exc)
        except Exception as exc:  # noqa: BLE001 - anything a file does must not stop us
            fail(p, unreadable(p, exc))
    items = _new_items(by_file, known)
    if not items:
        return [], errors
    try:
        return analyse_items(items, pa, paths=paths, seed=seed, classifier=classifier), errors
    except Exception:  # noqa: BLE001 - find the file that fails, keep the others
        pass
    done: list[ItemAnalysis] = []
    for p, file_items in by_file.items():
        mine = _new_items({p: file_items}, known)
        if not mine:
            continue
        try:
            done += analyse_items(mine, pa, paths=paths, seed=seed, classifier=classifier)
        except Exception as exc:  # noqa: BLE001
            fail(p, NewsError(f"{p}: analysis failed: {type(exc).__name__}: {exc}"))
    return done, errors


def _new_items(by_file: dict[Path, list[NewsItem]], known: set[str]) -> list[NewsItem]:
    unique = {i.item_id: i for items in by_file.values() for i in items}
    return [i for i in unique.values() if i.item_id not in known]


def watch(folder: Path, pa: PortfolioArrays, store: Path, *, paths: int, seed: int,
          interval: float = DEFAULT_POLL_S, max_iterations: int | None = None,
          on_batch: Callable[[Analysis], None] | None = None, classifier: bool = True,
          on_store_busy: Callable[[StoreError, float], None] | None = None,
          stop_when_idle: bool = False) -> int:
    """Poll ``folder``; analyse new or changed news files; append them to ``store``.

    Items already in the store (same content hash) are not analysed again, so restarting the
    watcher does not duplicate rows. Stops after ``max_iterations`` polls (``None``: never), or
    with ``stop_when_idle`` at the first poll with nothing new and nothing waiting for the
    store. Returns the number of items written. ``classifier=False``: rules only.
    ``on_store_busy(error, pause_s)`` hears of each failed store attempt.
    """
    seen: dict[Path, tuple[int, int]] = {}
    known: set[str] | None = None
    pending: list[ItemAnalysis] = []
    backoff = _Backoff()
    written = iteration = 0
    while max_iterations is None or iteration < max_iterations:
        iteration += 1
        fresh = _fresh_files(folder, seen)
        if known is None and backoff.ready():
            try:
                known = stored_item_ids(store)
            except StoreError as exc:
                backoff.failed()
                if on_store_busy is not None:
                    on_store_busy(exc, backoff.pause)
        if known is not None:
            done, errors = _analyse_files(fresh, known, pa, paths=paths, seed=seed,
                                          classifier=classifier)
            known |= {a.item.item_id for a in done}
            pending += done
            if on_batch is not None and (done or errors):
                on_batch(Analysis(items=done, errors=errors, paths=paths, seed=seed))
        else:
            for p in fresh:  # the store is not readable yet: look at these files again
                seen.pop(p, None)
        if pending and backoff.ready():
            try:
                written += append_news(pending, store, paths=paths, seed=seed)
                pending = []
                backoff.succeeded()
            except StoreError as exc:
                backoff.failed()
                if on_store_busy is not None:
                    on_store_busy(exc, backoff.pause)
        if stop_when_idle and not fresh and not pending and known is not None:
            break
        if max_iterations is None or iteration < max_iterations:
            time.sleep(interval)
    return written
