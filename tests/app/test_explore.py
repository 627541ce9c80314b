"""Filters over a stored run select exactly the rows of their dimension."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.app.explore import Filters, filter_result, options
from cliffwatch.results import RunResult


def test_no_filter_is_the_identity(small_run: RunResult) -> None:
    out = filter_result(small_run, Filters())
    assert out.tables.keys() == small_run.tables.keys()
    for name, df in small_run.tables.items():
        pd.testing.assert_frame_equal(out.tables[name], df)


def test_options_list_the_run_values(small_run: RunResult) -> None:
    o = options(small_run)
    assert o["scenario"] == ["base", "crowded_unwind"]
    assert set(o["lender"]) == set(small_run.table("lender_metrics")["lender_id"])
    assert set(o["archetype"]) == set(small_run.table("borrower_metrics")["archetype"])


def test_lender_filter_narrows_lender_tables_only(small_run: RunResult) -> None:
    lenders = tuple(options(small_run)["lender"][:2])
    out = filter_result(small_run, Filters(lenders=lenders))
    for name in ("lender_metrics", "lender_loss_paths", "risk_contributions", "contagion"):
        assert set(out.table(name)["lender_id"]) == set(lenders)
    pd.testing.assert_frame_equal(out.table("refi_gap"), small_run.table("refi_gap"))


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_archetype_and_structure_filters_are_consistent(small_run: RunResult,
                                                        data: st.DataObject) -> None:
    o = options(small_run)
    archetypes = tuple(data.draw(st.lists(st.sampled_from(o["archetype"]), unique=True)))
    structures = tuple(data.draw(st.lists(st.sampled_from(o["structure"]), unique=True)))
    scenarios = tuple(data.draw(st.lists(st.sampled_from(o["scenario"]), unique=True)))
    out = filter_result(small_run, Filters(scenarios, (), archetypes, structures))
    bm, fm = out.table("borrower_metrics"), out.table("facility_metrics")
    if archetypes:
        assert set(bm["archetype"]) <= set(archetypes)
        assert set(fm["borrower_id"]) <= set(bm["borrower_id"]) | set()
    if structures:
        assert set(fm["structure"]) <= set(structures)
        assert set(out.table("maturity_wall")["structure"]) <= set(structures)
    if scenarios:
        assert set(out.table("lender_metrics")["scenario"]) <= set(scenarios)
    assert set(out.table("risk_contributions")["facility_id"]) <= set(
        small_run.table("facility_metrics")["facility_id"] if not (archetypes or structures)
        else fm["facility_id"])
    # Every row kept is a row of the original (filters never invent or change data).
    for name, df in out.tables.items():
        assert len(df) <= len(small_run.tables[name])
