"""Report folders of ``cliffwatch run``: staged, published, and cleaned up after a crash.

A run writes its report and workbook into a hidden staging folder ``.RUNID.pidPID.XXXX``
beside the output folder, renames it onto ``RUNID`` (one atomic rename), then commits the run
to the store. Until the commit the published folder holds a marker file :data:`UNSAVED`
naming the writing process; the commit removes it. A process killed in between (SIGKILL, a
power cut) leaves either a staging folder or a marked report folder whose run was never
stored; :func:`clean_stale` removes both at the next run, but only when the process that wrote
them is gone, so a concurrent run's folders are never touched. Report folders without the
marker (written by earlier versions, or by the user) are never removed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

UNSAVED = ".unsaved"
"""Marker file in a published report folder whose run is not yet in the store (holds the pid
of the writing process)."""
_STAGING = re.compile(r"^\.(?P<run>.+)\.pid(?P<pid>\d+)\.[a-z0-9_]{8}$")
LEGACY_STALE_S = 24 * 3600.0
"""Age after which a staging folder without a pid (earlier versions) counts as abandoned."""
_LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}$")
_LEGACY_FILES = frozenset({"report.html", "results.xlsx"})
"""What an earlier version's staging folder can hold; anything else is not ours."""


def stage(target: Path) -> Path:
    """A new hidden staging folder for ``target`` (beside it), marked as unsaved."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.pid{os.getpid()}.",
                                   dir=target.parent))
    (folder / UNSAVED).write_text(f"{os.getpid()}\n", encoding="ascii")
    return folder


def mark_saved(folder: Path) -> None:
    """The run of report folder ``folder`` is in the store: drop the marker."""
    (folder / UNSAVED).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _writer(folder: Path) -> int | None:
    try:
        return int((folder / UNSAVED).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def clean_stale(out: Path, is_stored: Callable[[str], bool | None]) -> list[Path]:
    """Remove abandoned staging folders and report folders whose run never reached the store.

    Parameters
    ----------
    out
        The output folder (``--out``) holding one folder per run.
    is_stored
        ``is_stored(run_id)``: True if the store holds the run, False if not, None if the
        store cannot tell now (locked, missing); a folder is removed only on False.

    Returns
    -------
    list[Path]
        The folders removed.
    """
    if not out.is_dir():
        return []
    removed: list[Path] = []
    now = time.time()
    for entry in sorted(out.iterdir()):
        try:
            if entry.is_symlink() or not entry.is_dir():
                continue
            staged = _STAGING.match(entry.name)
            if staged is not None:
                if not _alive(int(staged["pid"])):
                    removed.append(entry)
            elif _LEGACY.match(entry.name):
                ours = {p.name for p in entry.iterdir()} <= _LEGACY_FILES
                if ours and now - entry.stat().st_mtime > LEGACY_STALE_S:
                    removed.append(entry)
            elif (entry / UNSAVED).exists():
                pid = _writer(entry)
                if pid is not None and _alive(pid):
                    continue
                stored = is_stored(entry.name)
                if stored is False:
                    removed.append(entry)
                elif stored:
                    mark_saved(entry)
        except OSError:
            continue  # vanished or unreadable: another process is handling it
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
