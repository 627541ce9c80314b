"""The whole run on the bundled sample: tables, determinism, contagion pairing, reverse stress."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cliffwatch.api import Results, run
from cliffwatch.engine.run import run_block
from cliffwatch.market.scenario import load_scenario
from cliffwatch.results import TABLES
from cliffwatch.runs.montecarlo import median_path, simulate
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.reverse import SEARCH_TOL, solve_borrowers
from cliffwatch.sample import load_sample
from cliffwatch.tape.compile import compile_portfolio

PATHS = 48
SEED = 11


@pytest.fixture(scope="module")
def pa():  # type: ignore[no-untyped-def]
    return compile_portfolio(load_sample())


@pytest.fixture(scope="module")
def results(pa) -> Results:  # type: ignore[no-untyped-def]
    return run(pa, ["base", "crowded_unwind"], paths=PATHS, seed=SEED)


def test_every_table_is_produced_with_its_schema(results: Results) -> None:
    for name, cols in TABLES.items():
        df = results.table(name)
        assert list(df.columns) == [c for c, _, _ in cols], name
        assert len(df) > 0, f"table {name} is empty"
    assert set(results.summary()["scenario"]) == {"base", "crowded_unwind"}
    assert set(results.table("contagion")["scenario"]) == {"crowded_unwind"}


def test_risk_measures_are_ordered(results: Results) -> None:
    lm = results.lender_losses()
    assert (lm["es99"] >= lm["var99"] - 1e-6).all()
    assert (lm["es999"] >= lm["es99"] - 1e-6).all()
    assert (lm["el"] <= lm["exposure"] + 1e-6).all()


def test_same_seed_same_tables(pa) -> None:  # type: ignore[no-untyped-def]
    a = run(pa, ["base"], paths=16, seed=5, sensitivities=False, reverse_stress=False)
    b = run(pa, ["base"], paths=16, seed=5, sensitivities=False, reverse_stress=False)
    for name in a.result.tables:
        pd.testing.assert_frame_equal(a.table(name), b.table(name), check_exact=True)


def test_contagion_never_lowers_a_lenders_loss(pa) -> None:  # type: ignore[no-untyped-def]
    scn = load_scenario("crowded_unwind")
    params = engine_params(scn)
    assert params.contagion
    on = simulate(pa, scn, 32, SEED, params=params).summary
    off = simulate(pa, scn, 32, SEED, params=replace(params, contagion=False)).summary
    loss_on = on.lender_loss(pa.h_facility, pa.h_lender, pa.h_share, pa.n_lenders)
    loss_off = off.lender_loss(pa.h_facility, pa.h_lender, pa.h_share, pa.n_lenders)
    assert (loss_on >= loss_off - 1e-6).all()


def test_reverse_stress_levels_bracket_default(pa) -> None:  # type: ignore[no-untyped-def]
    scn = load_scenario("base")
    params = replace(engine_params(scn), contagion=False)
    path = median_path(pa, scn, SEED, 60)
    util, _ = solve_borrowers(pa, path, params, 60)
    found = [b for b, r in util.items() if r.found]
    assert found, "no borrower has a utilization threshold in [0, 1]"
    for b in found:
        r = util[b]
        below = replace(path, utilization=np.full_like(path.utilization, r.lo))
        above = replace(path, utilization=np.full_like(path.utilization, r.hi))
        assert r.hi - r.lo <= SEARCH_TOL
        assert run_block(pa, below, params, 60).default_month[0, b] < 60
        assert run_block(pa, above, params, 60).default_month[0, b] >= 60


def test_package_exposes_the_notebook_api() -> None:
    import cliffwatch as cw

    assert cw.load_tape().info.as_of.isoformat() == "2026-07-01"
    assert callable(cw.run)


def test_no_dscr_cliff_before_a_borrower_operates(pa) -> None:  # type: ignore[no-untyped-def]
    """A campus under construction has no CFADS and so no DSCR: its cliff cannot come first."""
    from cliffwatch.engine.run import trace

    scn = load_scenario("base")
    frames = trace(pa, median_path(pa, scn, SEED, 60), engine_params(scn), 60)
    bor, summary = frames["borrower"], frames["summary"]
    building = [b for b in range(pa.n_borrowers)
                if (bor[bor["borrower"] == b]["cfads"].iloc[:3] == 0.0).all()]
    assert building, "the sample has no borrower under construction at t0"
    for b in building:
        cfads = bor[bor["borrower"] == b]["cfads"].to_numpy()
        first_operating = int(np.argmax(cfads != 0.0)) if (cfads != 0.0).any() else 60
        assert summary["cliff_month"].iloc[b] >= min(first_operating, 60), pa.borrower_ids[b]
