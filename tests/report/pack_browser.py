"""Measure a page in headless Chromium (selenium): how far any element reaches past the page.

Helper of test_pack.py (not collected itself). The page is laid out with print media emulated,
after plotly has drawn every chart.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ENSURE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ensure-chromium.sh"
A4_WINDOW = "794,1123"
"""A4 at 96 px per inch."""
DRAW_TIMEOUT_S = 60

_MEASURE = """
const limit = document.body.getBoundingClientRect().right;
let worst = -1e9, n = 0, what = '';
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  n += 1;
  if (r.right - limit > worst) { worst = r.right - limit; what = el.tagName + '.' + el.className; }
}
return [worst, n, what];
"""


def widest_overflow(page: Path) -> tuple[float, int]:
    """(pixels by which the widest element passes the body's right edge, elements measured)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        subprocess.run(["sh", str(ENSURE_SCRIPT)], check=False, capture_output=True,
                       timeout=900)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium or chromedriver missing")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={A4_WINDOW}", "--no-first-run"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.get(page.resolve().as_uri())
        charts = driver.execute_script("return document.querySelectorAll('.chart').length")
        deadline = time.monotonic() + DRAW_TIMEOUT_S
        while time.monotonic() < deadline:
            drawn = driver.execute_script(
                "return document.querySelectorAll('.chart .main-svg').length")
            if drawn >= charts:
                break
            time.sleep(0.5)
        worst, n, what = driver.execute_script(_MEASURE)
        assert worst <= 0.5, f"{what} reaches {worst:.1f} px past the page"
        return float(worst), int(n)
    finally:
        driver.quit()
