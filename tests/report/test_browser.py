"""The HTML report in a real headless Chromium: every chart draws, no script errors, no
injection. Chromium comes from Debian (``scripts/ensure-chromium.sh``, run by ``make test``);
the tests skip only when it cannot be installed.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from cliffwatch.report.html import chart_count, write_html
from cliffwatch.results import RunResult

from .fixtures import HOSTILE_BORROWER, make_result

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ENSURE_SCRIPT = ROOT / "scripts" / "ensure-chromium.sh"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_TIMEOUT_S = 120
"""Wall-clock limit of one headless Chromium run (the machine is shared, so be generous)."""
VIRTUAL_TIME_BUDGET_MS = 10_000
"""Virtual time Chromium lets scripts run before dumping the DOM or taking the screenshot."""
SCREENSHOT_SIZE = "1280,4000"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
]
CHART_DIV = re.compile(r'<div[^>]*\bid="chart-\d+"')


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    subprocess.run(["sh", str(ENSURE_SCRIPT)], check=False, capture_output=True,
                   timeout=900)
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing and {ENSURE_SCRIPT.name} could not install it")


def chromium(page: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with a fresh profile; ``mode`` e.g. --dump-dom."""
    _ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *mode,
             page.resolve().as_uri()],
            capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False,
        )


def charts_drawn(dom: str) -> int:
    """Chart divs whose content includes a plotly SVG (each chart div up to the next one)."""
    starts = [m.start() for m in CHART_DIV.finditer(dom)] + [len(dom)]
    return sum('class="main-svg"' in dom[a:b] for a, b in zip(starts, starts[1:], strict=False))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path]:
    result = make_result(paths=120)
    return result, write_html(result, tmp_path_factory.mktemp("browser") / "report.html")


def test_every_chart_renders_without_script_errors(report: tuple[RunResult, Path]) -> None:
    result, page = report
    run = chromium(page, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    expected = chart_count(result)
    assert expected > 0
    assert len(CHART_DIV.findall(dom)) == expected
    assert charts_drawn(dom) == expected
    assert "Uncaught" not in run.stderr, run.stderr[-2000:]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert HOSTILE_BORROWER not in dom


def test_script_errors_would_be_caught(tmp_path: Path) -> None:
    """Control: the console check does see an uncaught error when there is one."""
    page = tmp_path / "broken.html"
    page.write_text('<p>x</p><script>throw new Error("boom")</script>', encoding="utf-8")
    run = chromium(page, "--dump-dom")
    assert "Uncaught Error: boom" in run.stderr


def test_screenshot_is_saved(report: tuple[RunResult, Path]) -> None:
    _, page = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    run = chromium(page, f"--screenshot={shot}", f"--window-size={SCREENSHOT_SIZE}",
                   "--hide-scrollbars")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
