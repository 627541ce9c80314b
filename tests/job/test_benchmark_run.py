"""A small job on the sample carries the benchmark tables and prints the calibration figures."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from cliffwatch.analytics.benchmark_tables import BOOK_ID, UNALLOCATED_ID
from cliffwatch.api import Results, run
from cliffwatch.runs.commands import summary_table
from cliffwatch.sample import load_sample
from cliffwatch.tape.compile import compile_portfolio


@pytest.fixture(scope="module")
def results() -> Results:
    pa = compile_portfolio(load_sample())
    return run(pa, ["base", "gfc_severe"], paths=24, seed=3, sensitivities=False,
               reverse_stress=False)


def test_benchmark_tables_cover_every_scenario_lender_and_borrower(results: Results) -> None:
    pa = results.arrays
    el, pds = results.table("el_benchmark"), results.table("pd_benchmark")
    for scenario in ("base", "gfc_severe"):
        rows = el[el["scenario"] == scenario]
        assert list(rows["lender_id"]) == [*pa.lender_ids, UNALLOCATED_ID, BOOK_ID]
        book = rows.set_index("lender_id").loc[BOOK_ID]
        summary = results.summary().set_index("scenario").loc[scenario]
        assert book["model_el"] == pytest.approx(summary["el"], rel=1e-9)
        assert book["benchmark_el"] == pytest.approx(summary["benchmark_el"])
        assert book["exposure"] == pytest.approx(summary["exposure"])
        b = pds[pds["scenario"] == scenario]
        assert list(b["borrower_id"]) == list(pa.borrower_ids)
        assert (b["benchmark_rating"] != "NR").all()
    # the benchmark is a long-run average: the same in every scenario
    per = el.pivot(index="lender_id", columns="scenario", values="benchmark_el")
    np.testing.assert_array_equal(per["base"], per["gfc_severe"])


def test_summary_prints_benchmark_ratio_and_weighted_lgd(results: Results) -> None:
    console = Console(width=240, record=True)
    console.print(summary_table(results.result))
    text = console.export_text()
    for header in ("benchmark EL", "EL/bench", "wtd LGD"):
        assert header in text
    base = results.summary().set_index("scenario").loc["base"]
    assert f"{base['benchmark_el'] / 1e6:,.1f}" in text
    assert f"{base['el_to_benchmark']:.1%}" in text
    assert f"{base['weighted_lgd']:.1%}" in text
    assert 0.0 < base["weighted_lgd"] <= 1.0


def test_assumptions_list_the_benchmark_targets_with_sources(results: Results) -> None:
    a = results.table("assumptions").set_index("name")
    for name in ("benchmark.cumulative_default.B", "benchmark.lgd.senior_secured",
                 "benchmark.unrated.by_archetype"):
        assert name in a.index
        assert any(t in a.loc[name, "source"] for t in ("[sourced", "[estimate"))
    assert a.loc["benchmark.lgd.subordinated", "value"] == "0.7"
