"""Watch a folder: analyse news files as they arrive and append them to the store."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from cliffwatch.news.analyse import Analysis, analyse_items
from cliffwatch.news.readers import SUFFIXES, read_many
from cliffwatch.news.store import append_news, stored_item_ids
from cliffwatch.tape.arrays import PortfolioArrays

DEFAULT_POLL_S = 2.0
"""Seconds between two looks at the folder."""
SETTLE_S = 0.5
"""A file modified less than this many seconds ago may still be being written: wait."""


def _fingerprint(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_mtime_ns, st.st_size


def _is_news_file(p: Path, folder: Path) -> bool:
    """A visible news file of ``folder``; a link that leads outside the folder is skipped, so
    a watched drop folder cannot make us read (and store) files from elsewhere on the disk."""
    return (p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            and p.resolve().is_relative_to(folder.resolve()))


def watch(folder: Path, pa: PortfolioArrays, store: Path, *, paths: int, seed: int,
          interval: float = DEFAULT_POLL_S, max_iterations: int | None = None,
          on_batch: Callable[[Analysis], None] | None = None, classifier: bool = True) -> int:
    """Poll ``folder``; analyse new or changed news files; append them to ``store``.

    Items already in the store (same content hash) are not analysed again, so restarting the
    watcher does not duplicate rows. Stops after ``max_iterations`` polls (``None``: never).
    Returns the number of items written. ``classifier=False``: rules only.
    """
    seen: dict[Path, tuple[int, int]] = {}
    known = stored_item_ids(store)
    written = iteration = 0
    while max_iterations is None or iteration < max_iterations:
        iteration += 1
        fresh = []
        for p in sorted(folder.iterdir()):
            if _is_news_file(p, folder):
                fp = _fingerprint(p)
                if time.time_ns() - fp[0] < SETTLE_S * 1e9:
                    continue  # picked up at a later poll, once complete
                if seen.get(p) != fp:
                    seen[p] = fp
                    fresh.append(p)
        items, errors = read_many(fresh)
        new = [i for i in {i.item_id: i for i in items}.values() if i.item_id not in known]
        done = analyse_items(new, pa, paths=paths, seed=seed, classifier=classifier) if new else []
        written += append_news(done, store, paths=paths, seed=seed)
        known |= {i.item_id for i in new}
        if on_batch is not None and (done or errors):
            on_batch(Analysis(items=done, errors=errors, paths=paths, seed=seed))
        if max_iterations is None or iteration < max_iterations:
            time.sleep(interval)
    return written
