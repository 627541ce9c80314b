"""Print the committee pack to PDF with headless Chromium (``--print-to-pdf``).

Chromium is Debian's ``/usr/bin/chromium`` (``scripts/ensure-chromium.sh`` installs it) or the
``CLIFFWATCH_CHROMIUM`` executable. The HTML is written first (``pack.html``), then printed
with a virtual-time budget that lets plotly draw every chart; the PDF is written atomically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

from cliffwatch.report.atomic import replaced_on_success
from cliffwatch.report.pack import build_pack_html
from cliffwatch.results import RunResult

CHROMIUM_ENV: Final = "CLIFFWATCH_CHROMIUM"
"""Environment variable naming the Chromium executable (default: chromium on the PATH)."""
PRINT_TIMEOUT_S: Final = 180
"""Wall-clock limit of one print (the first Chromium start on a loaded machine is slow)."""
VIRTUAL_TIME_BUDGET_MS: Final = 20_000
"""Virtual time the page's scripts get before printing (plotly draws the charts)."""
_FLAGS: Final = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer", "--print-to-pdf-no-header", "--run-all-compositor-stages-before-draw",
    f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
)


class PdfError(RuntimeError):
    """The pack could not be printed (no Chromium, or Chromium failed)."""


def chromium_path() -> str | None:
    """The Chromium executable to print with, or ``None`` if there is none."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if Path(named).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome")


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print the HTML file ``page`` to ``pdf`` (A4 as the page's @page rule says).

    Raises
    ------
    PdfError
        No Chromium, a timeout, or no PDF produced.
    """
    exe = chromium_path()
    if exe is None:
        raise PdfError("no Chromium to print the PDF with (install Debian's chromium or set "
                       f"{CHROMIUM_ENV})")
    with tempfile.TemporaryDirectory(prefix="cliffwatch-chromium-") as profile, \
            replaced_on_success(pdf) as partial:
        try:
            run = subprocess.run(
                [exe, *_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={partial}",
                 page.resolve().as_uri()],
                capture_output=True, text=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not print {page} within {PRINT_TIMEOUT_S} s") from None
        if not partial.exists() or partial.stat().st_size == 0:
            raise PdfError(f"Chromium printed no PDF (exit {run.returncode}): "
                           f"{run.stderr.strip()[-300:]}")
    return pdf


def write_pack(result: RunResult, folder: Path) -> tuple[Path, Path]:
    """Write ``pack.html`` and print it to ``pack.pdf`` in ``folder``; return both paths."""
    page = folder / "pack.html"
    with replaced_on_success(page) as partial:
        partial.write_text(build_pack_html(result), encoding="utf-8")
    return page, print_pdf(page, folder / "pack.pdf")


def write_pack_or_note(result: RunResult, folder: Path) -> str | None:
    """Write ``pack.html`` and ``pack.pdf``; when the PDF cannot be printed, keep the HTML (it
    prints from any browser) and return a one-line note saying why, else ``None``."""
    try:
        write_pack(result, folder)
    except PdfError as exc:
        return f"pack.pdf not written: {exc}; pack.html prints from any browser"
    return None
