"""Progress of a run as a user sees it: a compiling step on the first run, the simulated
paths, and a writing step; a ready-made bar for the Python API (terminals and notebooks).

The engine kernel is compiled by numba on its first call and cached on disk; until the first
paths come back the bar says whether it is compiling (no cache yet: about a minute and a
half) or loading the compiled kernel (a few seconds).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from cliffwatch.runs.spec import ProgressFn

COMPILING: Final = "compiling the engine (first run only)"
LOADING: Final = "loading the compiled engine"
WRITING: Final = "writing report, pack, workbook and store"


def _kernel_cached() -> bool:
    """Whether numba has a compiled copy of the engine kernel on disk (or in this process)."""
    try:
        from cliffwatch.engine.kernel import run_paths

        kernel: Any = run_paths
        if kernel.signatures:
            return True
        folder = Path(kernel._cache._cache_path)  # numba's own cache locator
        return any(folder.glob(f"*{kernel.py_func.__name__}*.nbi"))
    except Exception:  # a private numba attribute moved: say the slower thing
        return False


def engine_label() -> str:
    """What the run is doing before its first paths are simulated."""
    return LOADING if _kernel_cached() else COMPILING


@contextmanager
def progress_bar(total: int, *, transient: bool = False,
                 console: Console | None = None) -> Iterator[ProgressFn]:
    """A rich progress bar over ``total`` simulated paths, as a :data:`ProgressFn`.

    Works in terminals and in Jupyter (rich renders live output there); starts with the
    compiling / loading step and shows each stage's label as its paths complete.
    """
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("paths"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=transient, console=console) as bar:
        task = bar.add_task(engine_label(), total=total)

        def update(label: str, n: int) -> None:
            bar.update(task, advance=n, description=label)

        yield update
        bar.update(task, description="done")
