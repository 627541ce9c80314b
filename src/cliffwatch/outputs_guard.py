"""Check, before a run starts, that its output folders can be written.

A run that finds out only at the end that ``--out`` is read-only wastes the whole run; the
check creates and removes one probe file in the folder (or, when the folder does not exist yet,
in its nearest existing parent, where it would be created), which also catches read-only
mounts and permissions that ``os.access`` misreports for root.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output location the user gave cannot be written."""


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()


def require_writable(folder: Path, what: str) -> None:
    """Raise :class:`OutputError` unless files can be created in ``folder`` (or where it would
    be created); ``what`` names the folder in the message ("output folder (--out)")."""
    target = _nearest_existing(Path(folder).absolute())
    if not target.is_dir():
        raise OutputError(f"{what} {folder}: {target} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=target, prefix=".cliffwatch-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"{what} {folder}: cannot write in {target} ({exc.strerror})") \
            from None
