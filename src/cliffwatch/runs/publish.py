"""Publishing a finished run: report, workbook and pack first, then the store, atomically.

A failed or interrupted publication leaves nothing half-written: the report folder appears by
one rename, and the store commit is the last step (a stored run always has its report).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rich.console import Console

from cliffwatch.results import RunResult
from cliffwatch.staging import mark_saved, stage


def stage_outputs(result: RunResult, out: Path) -> Path:
    """Write report.html, results.xlsx and the committee pack (pack.pdf, or pack.html with a
    note on stderr when no browser can print it) into a hidden temporary folder beside ``out``.

    On any failure (a full disk, an interrupt) the folder is removed and the error re-raised.
    """
    from cliffwatch.report.html import write_html
    from cliffwatch.report.pdf import write_pack_or_note
    from cliffwatch.report.workbook import write_workbook

    tmp = stage(out)
    try:
        write_html(result, tmp / "report.html")
        write_workbook(result, tmp / "results.xlsx")
        note = write_pack_or_note(result, tmp)  # the committee pack: pack.pdf (+ pack.html)
        if note is not None:
            Console(stderr=True).print(note, markup=False, highlight=False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def publish(staged: Path, out: Path) -> tuple[Path, Path]:
    """Rename the staged folder onto ``out`` (one atomic rename)."""
    if out.exists():
        shutil.rmtree(out)
    os.replace(staged, out)
    return out / "report.html", out / "results.xlsx"


def save_and_publish(result: RunResult, store: Path, out: Path) -> tuple[str, Path, Path]:
    """Report and workbook first, then the store: if the disk fills while writing the report,
    the store is unchanged; if the store refuses the run (locked, duplicate) or the run is
    interrupted while it commits, the report is removed again. The store commit is the last
    step, so a stored run always has its report (a SIGKILL can at worst leave a report folder
    whose run was never stored, never the reverse)."""
    from cliffwatch.store.runs import check_run_id, save_run

    run_id = check_run_id(str(result.manifest["run_id"]))
    html, xlsx = publish(stage_outputs(result, out / run_id), out / run_id)
    try:
        save_run(result, store)
    except BaseException:
        shutil.rmtree(out / run_id, ignore_errors=True)
        raise
    mark_saved(out / run_id)
    return run_id, html, xlsx
