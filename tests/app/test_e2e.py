"""The dashboard end to end in a real headless Chromium (Debian's, driven by selenium).

The server runs in a subprocess on a free localhost port, exactly as ``cliffwatch serve``.
Chromium and chromedriver come from ``scripts/ensure-chromium.sh`` (run by ``make test``); the
tests skip only when they cannot be installed. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from cliffwatch.sample import load_sample, sample_tape_path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ENSURE_SCRIPT = ROOT / "scripts" / "ensure-chromium.sh"
ARTIFACTS = ROOT / "test-artifacts"
CAP_MB = 1
"""Upload cap the test server runs with (the sample tape is ~40 kB)."""
E2E_PATHS = 24
"""Paths per scenario of the end-to-end runs (small: the test checks the flow, not numbers)."""
CANCEL_PATHS = 20_000
"""Paths of the run that is cancelled mid-way (long enough to watch its progress)."""
SERVER_START_S = 90.0
UI_WAIT_S = 60.0
RUN_WAIT_S = 300.0
"""Runs include a kernel compile on a fresh checkout; the machine is shared."""
WINDOW = "1400,1000"
WORKER_EXIT_S = 15.0
"""How long workers may take to end after the server got SIGTERM, seconds."""

pytestmark = pytest.mark.slow

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _ensure_browser() -> None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        subprocess.run(["sh", str(ENSURE_SCRIPT)], check=False, capture_output=True,
                       timeout=900)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"{CHROMIUM} or {CHROMEDRIVER} missing; {ENSURE_SCRIPT.name} could not "
                    "install them")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[bytes]) -> None:
    end = time.monotonic() + SERVER_START_S
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"server did not answer at {url}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                       os.environ.get("PYTHONPATH", "")])}
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "cliffwatch", "serve", "--store",
                             str(tmp_path / "runs.duckdb"), "--port", str(port),
                             "--max-upload-mb", str(CAP_MB)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc)
        yield url
        children = psutil.Process(proc.pid).children(recursive=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    # SIGTERM stops the server cleanly: no worker process outlives it.
    _, alive = psutil.wait_procs(children, timeout=WORKER_EXIT_S)
    for p in alive:
        p.kill()
    assert not alive, f"worker processes outlived the server: {alive}"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    _ensure_browser()
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WINDOW}", "--no-first-run"):
        opts.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _until(d: WebDriver, ok: Callable[[WebDriver], Any], timeout: float = UI_WAIT_S) -> Any:
    return WebDriverWait(d, timeout, poll_frequency=0.2,
                         ignored_exceptions=[StaleElementReferenceException]).until(ok)


def _click(d: WebDriver, by: str, value: str) -> None:
    """Click an element that the page may re-render meanwhile (the run cards poll progress)."""
    _until(d, lambda dr: dr.find_element(by, value).click() or True)


def _by_id(d: WebDriver, id_: str, timeout: float = UI_WAIT_S) -> Any:
    return _until(d, lambda dr: dr.find_element(By.ID, id_), timeout)


def _text_has(d: WebDriver, id_: str, needle: str) -> bool:
    """Wait until element ``id_`` shows ``needle``, re-finding it each poll: Dash may re-render
    it between the find and the read (a stale element under load)."""
    return bool(_until(d, lambda dr: needle in dr.find_element(By.ID, id_).text))


def _type(element: Any, text: str) -> None:
    """Replace an input's content the way a user does (React ignores a bare ``clear()``)."""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text, Keys.TAB)


def _shot(d: WebDriver, name: str, anchor: str | None = None) -> None:
    """Screenshot into test-artifacts/, scrolled to element ``anchor`` when given."""
    ARTIFACTS.mkdir(exist_ok=True)
    if anchor is not None:
        d.execute_script("arguments[0].scrollIntoView()", d.find_element(By.ID, anchor))
    d.save_screenshot(str(ARTIFACTS / f"dashboard-{name}.png"))


def _upload(d: WebDriver, url: str, path: Path) -> None:
    d.get(url)  # a fresh page: the file input keeps earlier selections otherwise
    _until(d, lambda dr: dr.find_element(By.CSS_SELECTOR, "#upload input[type=file]"))
    d.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys(str(path))


def test_tape_upload_errors_and_cap(server: str, browser: WebDriver, tmp_path: Path) -> None:
    d = browser
    _upload(d, server, Path(sample_tape_path()))
    assert f"{len(load_sample().borrowers)} borrowers" in _by_id(d, "tape-valid").text
    assert _text_has(d, "tape-summary", "Commitments by lender")
    _shot(d, "tape-valid")

    text = Path(sample_tape_path()).read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("access_spread_bp: 1200", "access_spread_bp: abc", 1)
                      .replace("archetype: neocloud", "archetype: <b>spaceship</b>", 1),
                      encoding="utf-8")
    _upload(d, server, broken)
    assert _text_has(d, "tape-invalid", "the tape is invalid")
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#issues-table tbody tr")]
    assert any("broken.yaml" in r and "facilities" in r and "line" in r
               and "access_spread_bp" in r for r in rows)
    assert any("<b>spaceship</b>" in r for r in rows)  # shown as text, not markup
    assert not d.find_elements(By.CSS_SELECTOR, "#issues-table b")
    _shot(d, "tape-errors")
    d.find_element(By.XPATH, "//a[contains(@class,'nav-link') and contains(., 'Run')]").click()
    assert _text_has(d, "run-tape-invalid", "broken.yaml is invalid")
    _until(d, lambda dr: dr.find_element(By.ID, "start-run").is_displayed())
    d.find_element(By.ID, "start-run").click()
    assert _text_has(d, "run-refused", "nothing runs on an invalid tape")

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * int(1.5 * CAP_MB * 2**20))
    _upload(d, server, big)
    refused = _by_id(d, "upload-refused").text
    assert "big.yaml" in refused and f"upload limit of {CAP_MB} MB" in refused
    assert not d.find_elements(By.ID, "tape-valid")
    _shot(d, "upload-refused")


def _progress(d: WebDriver) -> int:
    bars = d.find_elements(By.CLASS_NAME, "job-progress")
    return int(bars[0].text.rstrip("%") or 0) if bars else -1


def test_live_progress_and_cancel(server: str, browser: WebDriver, tmp_path: Path) -> None:
    d = browser
    _open_run_tab(d, server)
    editor = _by_id(d, "scenario-yaml")
    editor.send_keys("name: broken\nextends: base\nfactors:\n  spread:\n    jumpp: 1\n")
    _until(d, lambda _: "jumpp" in editor.get_attribute("value"))
    d.find_element(By.ID, "add-scenario").click()
    assert _text_has(d, "scenario-error", "factors.spread.jumpp")
    _type(_by_id(d, "f-spread-mult"), "3")
    d.find_element(By.ID, "form-to-yaml").click()
    _until(d, lambda dr: "size: 1.0986" in dr.find_element(By.ID, "scenario-yaml")
           .get_attribute("value"))  # ln 3, the jump's log-size
    d.find_element(By.ID, "add-scenario").click()
    assert _text_has(d, "scenario-ok", "custom_shock")
    _shot(d, "scenario-editor", "scenario-yaml")
    _start_run(d, server, None, paths=CANCEL_PATHS, navigate=False)
    assert "custom_shock" in _until(d, lambda dr: dr.find_element(By.CLASS_NAME,
                                                                  "job-card")).text
    pct = _until(d, lambda dr: 0 < _progress(dr) < 100 and _progress(dr), RUN_WAIT_S)
    _shot(d, "run-progress", "start-run")
    later = _until(d, lambda dr: _progress(dr) > pct and _progress(dr), RUN_WAIT_S)
    assert later < 100  # the bar moves while the run works
    _click(d, By.XPATH, "//button[text()='Cancel']")
    assert _text_has(d, "cancel-message", "nothing was saved")
    _until(d, lambda dr: _states(dr) == ["cancelled"])
    assert not (tmp_path / "runs.duckdb").exists()  # the store was never touched


def _open_run_tab(d: WebDriver, url: str) -> None:
    d.get(url)
    _by_id(d, "use-sample").click()
    _by_id(d, "tape-valid")
    d.find_element(By.XPATH, "//a[contains(@class,'nav-link') and contains(., 'Run')]").click()
    _until(d, lambda dr: dr.find_element(By.ID, "start-run").is_displayed())


def _start_run(d: WebDriver, url: str, extra: str | None, paths: int = E2E_PATHS,
               navigate: bool = True) -> None:
    if navigate:
        _open_run_tab(d, url)
    _type(_by_id(d, "run-paths"), str(paths))
    if extra is not None:
        d.find_element(By.XPATH, f"//label[text()='{extra}']").click()
    d.find_element(By.ID, "start-run").click()
    _by_id(d, "run-started")


def _states(d: WebDriver) -> list[str]:
    return [e.text for e in d.find_elements(By.CLASS_NAME, "job-state")]


def test_two_tabs_run_trace_and_download(server: str, browser: WebDriver) -> None:
    d = browser
    _start_run(d, server, "spread_shock_2020")
    first = d.current_window_handle
    d.switch_to.new_window("tab")
    _start_run(d, server, "crowded_unwind")
    # One worker at a time: the second tab's run waits visibly, or has already started.
    assert _until(d, lambda dr: set(_states(dr)) & {"queued", "running", "done"})
    _shot(d, "run-queued", "start-run")
    _until(d, lambda dr: _states(dr) == ["done"], RUN_WAIT_S)
    assert _until(d, lambda dr: "100%" in dr.find_element(By.CLASS_NAME, "job-progress").text)
    d.switch_to.window(first)
    _until(d, lambda dr: _states(dr) == ["done"], RUN_WAIT_S)
    _shot(d, "run-done", "start-run")

    _click(d, By.XPATH, "//button[starts-with(., 'Open run')]")
    for chart in ("chart-maturity-wall", "chart-refi-gap", "chart-time-to-cliff",
                  "chart-loss-exceedance", "chart-lender-es"):
        _until(d, lambda dr, c=chart: dr.find_element(By.CSS_SELECTOR,
                                                      f"#{c} .js-plotly-plot"))
    _shot(d, "runs", "run-pick")
    links = _until(d, lambda dr: dr.find_elements(By.CSS_SELECTOR, "#borrowers button"))
    borrower = links[0].text
    links[0].click()
    title = _by_id(d, "trace-title").text
    assert borrower in title and "spread_shock_2020" in title
    _until(d, lambda dr: dr.find_element(By.CSS_SELECTOR, "#chart-trace-cash .js-plotly-plot"))
    _shot(d, "trace", "trace-panel")

    _by_id(d, "dl-report").click()
    downloads: Path = d.downloads  # type: ignore[attr-defined]
    report = _until(d, lambda _: [p for p in downloads.glob("*.html")])
    assert report[0].read_text(encoding="utf-8")[:2000].lower().count("<html") == 1

    d.find_element(By.XPATH, "//a[contains(@class,'nav-link') and contains(., 'Compare')]"
                   ).click()
    for picker, index in (("cmp-a", 0), ("cmp-b", 1)):
        _by_id(d, picker).click()
        options = _until(d, lambda dr: dr.find_elements(By.CSS_SELECTOR, "[role=option]"))
        assert len(options) == 2  # the two runs of the two tabs
        options[index].click()
    deltas = _by_id(d, "cmp-deltas").text
    assert "crowded_unwind" in deltas and "spread_shock_2020" in deltas
    _shot(d, "compare")


def _server_rss_mb(store: Path) -> float:
    """Resident memory of the dashboard server (found by its --store argument) and its
    children, MB."""
    for p in psutil.process_iter(["cmdline"]):
        if str(store) in (p.info["cmdline"] or []):
            procs = [p, *p.children(recursive=True)]
            return sum(q.memory_info().rss for q in procs) / 2**20
    raise AssertionError(f"no server process with {store}")


BOMB_EXTRA_MB = 200.0
"""Done-means bound of the alias bomb: under 200 MB on top of the running server."""


def test_alias_bomb_in_editor_and_upload_is_refused(server: str, browser: WebDriver,
                                                     tmp_path: Path) -> None:
    from tests.hardening.bombs import alias_bomb_scenario, alias_bomb_tape

    d = browser
    store = tmp_path / "runs.duckdb"
    _open_run_tab(d, server)
    before = _server_rss_mb(store)
    editor = _by_id(d, "scenario-yaml")
    d.execute_script("arguments[0].focus()", editor)
    editor.send_keys(alias_bomb_scenario())
    _until(d, lambda _: "factors: *a9" in editor.get_attribute("value"))
    d.find_element(By.ID, "add-scenario").click()
    assert _text_has(d, "scenario-error", "alias")
    assert _server_rss_mb(store) - before < BOMB_EXTRA_MB

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb_tape(), encoding="utf-8")
    _upload(d, server, bomb)
    assert _text_has(d, "tape-invalid", "the tape is invalid")
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#issues-table tbody tr")]
    assert any("bomb.yaml" in r and "alias" in r for r in rows)
    assert _server_rss_mb(store) - before < BOMB_EXTRA_MB
    with urllib.request.urlopen(server, timeout=5) as resp:  # the server still answers
        assert resp.status == 200
