"""The committee pack: its content, and printed in Chromium: at most ten A4 pages, nothing
wider than the page (measured in the browser with selenium).

Content checks use the synthetic fixture extended to every bundled scenario (with their real
resolved specs); the print and width checks use a real run of the sample book under every
bundled scenario (few paths), so the charts and tables have the size `cliffwatch run` gives.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from cliffwatch.market.library import bundled_names
from cliffwatch.market.scenario import load_scenario
from cliffwatch.report import pack
from cliffwatch.report.pdf import print_pdf, write_pack
from cliffwatch.results import RunResult

from . import fixtures
from .fixtures import make_result
from .test_browser import _ensure_chromium

MAX_PAGES = 10
A4_WIDTH_PT = 595.3


@pytest.fixture(scope="module")
def full_run() -> RunResult:
    """The fixture run with all bundled scenarios (stress rising with their order)."""
    names = bundled_names()
    saved = dict(fixtures.SCENARIO_STRESS)
    fixtures.SCENARIO_STRESS.update({n: 1.0 + 0.2 * i for i, n in enumerate(names)})
    try:
        result = make_result(scenarios=tuple(names), paths=300)
    finally:
        fixtures.SCENARIO_STRESS.clear()
        fixtures.SCENARIO_STRESS.update(saved)
    result.manifest["scenarios"] = {n: load_scenario(n).spec.model_dump(mode="json")
                                    for n in names}
    return result


@pytest.fixture(scope="module")
def sample_run() -> RunResult:
    """The sample book under every bundled scenario, 200 paths (what `make demo` lays out)."""
    from cliffwatch.runs.job import run
    from cliffwatch.runs.spec import RunSpec
    from cliffwatch.sample import load_sample
    from cliffwatch.tape.compile import compile_portfolio

    arrays = compile_portfolio(load_sample())
    return run(RunSpec(tape=arrays, scenarios=tuple(load_scenario(n) for n in bundled_names()),
                       paths=200, seed=20260701, tape_name="bundled sample",
                       sensitivities=False, reverse_stress=False))


def test_lenders_and_unallocated_add_up_to_the_book(full_run: RunResult) -> None:
    worst = "crowded_unwind"
    rows = pack.lender_rows(full_run, worst)
    book = full_run.table("scenario_summary").set_index("scenario").loc[worst]
    assert rows["lender_name"].iloc[-2].startswith("unallocated")
    assert rows["lender_name"].iloc[-1] == "book"
    parts = rows.iloc[:-1]
    assert parts["exposure"].sum() == pytest.approx(book["exposure"], rel=1e-12)
    assert parts["el"].sum() == pytest.approx(book["el"], rel=1e-12)


def test_pack_content(full_run: RunResult) -> None:
    html = pack.build_pack_html(full_run)
    assert html.count("<script>") == 2  # plotly once, then the figures
    for title in ("Executive summary", "Maturity wall", "Losses per lender",
                  "What drives the worst scenario", "Key assumptions and limitations",
                  "Appendix A"):
        assert title in html
    assert "VaR99 ± SE" in html and "ES99 ± SE" in html and "LGD" in html
    assert '"factors"' not in html and "delay_months" not in html  # specs as tables, not JSON
    assert "−$0" not in html and "-$0" not in html
    assert "SOFR" in html and "median 3.65% (m0)" in html


@pytest.mark.slow
def test_pack_prints_on_at_most_ten_a4_pages(sample_run: RunResult, tmp_path: Path) -> None:
    _ensure_chromium()
    page, pdf = write_pack(sample_run, tmp_path)
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    assert 5 <= len(reader.pages) <= MAX_PAGES
    for p in reader.pages:
        assert float(p.mediabox.width) == pytest.approx(A4_WIDTH_PT, abs=1)
    text = reader.pages[0].extract_text()
    assert "Executive summary" in text and "crowded_unwind" in text
    assert re.search(r"\$[\d.]+(bn|m) ± \$[\d.]+(bn|m|k)", text)


@pytest.mark.slow
def test_no_element_is_wider_than_the_page(sample_run: RunResult, tmp_path: Path) -> None:
    from .pack_browser import widest_overflow

    page = tmp_path / "pack.html"
    page.write_text(pack.build_pack_html(sample_run), encoding="utf-8")
    overflow, count = widest_overflow(page)
    assert count > 200  # the page was measured, not empty
    assert overflow <= 0.5, f"an element reaches {overflow:.1f} px beyond the page"


def test_print_without_chromium_is_a_clear_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from cliffwatch.report.pdf import CHROMIUM_ENV, PdfError

    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>")
    with pytest.raises(PdfError, match="no Chromium"):
        print_pdf(page, tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_public_text_drops_internal_note_references() -> None:
    from cliffwatch.report.scenario_table import public_text

    assert public_text("DOMAIN 3.1 / 5: SOFR ~3.6% [estimate]") == "SOFR ~3.6% [estimate]"
    assert public_text("HY 266 bp (DOMAIN 6.1) [sourced]") == "HY 266 bp [sourced]"
    assert public_text("METHODS 4 lam = 0.10/yr") == "lam = 0.10/yr"
    assert public_text("term premium, 10y UST 4.50% in DOMAIN 3.1)") == \
        "term premium, 10y UST 4.50%)"
