"""Extreme inputs through the real generator and engine: results stay finite and the
invariants hold (loss within exposure, no negative loss, defaults within the horizon)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from tests.reliability_counts import Tally
from tests.tape.fixtures import small_tape, yaml_text

from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.runs.job import run
from cliffwatch.runs.montecarlo import Simulation, simulate
from cliffwatch.runs.spec import RunSpec
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape

from .extremes import EXTREMES, extreme_scenario

PATHS: int = 16
SEED: int = 11
LOSS_RTOL: float = 1e-9
"""Relative slack of loss <= EAD (summation order of the recovery waterfall)."""


def assert_sane(sim: Simulation, pa: PortfolioArrays, horizon: int) -> None:
    """Every float output finite; 0 <= loss <= EAD; default months within the horizon."""
    s: EngineSummary = sim.summary
    for f in fields(s):
        values = getattr(s, f.name)
        if values.dtype.kind == "f":
            assert np.isfinite(values).all(), f.name
    assert (s.fac_loss >= 0).all()
    assert (s.fac_loss <= s.fac_ead * (1 + LOSS_RTOL) + 1e-6).all()
    months = s.default_month[s.default_month != NO_MONTH]
    assert ((months >= 0) & (months < horizon)).all()
    for name, q in sim.fan.items():
        assert np.isfinite(q).all(), name


@pytest.mark.parametrize("name", sorted(EXTREMES))
def test_extreme_scenario_stays_finite(tmp_path: Path, name: str, sample_arrays: PortfolioArrays,
                                       tally: Tally) -> None:
    scn = extreme_scenario(tmp_path, name)
    sim = simulate(sample_arrays, scn, PATHS, SEED, 60)
    assert_sane(sim, sample_arrays, 60)
    tally("extreme scenarios run through generator and engine")


def test_all_borrowers_default_in_month_1(tmp_path: Path, sample_arrays: PortfolioArrays) -> None:
    sim = simulate(sample_arrays, extreme_scenario(tmp_path, "all_default_month_1"), PATHS,
                   SEED, 24)
    assert (sim.summary.default_month <= 1).all()
    # every drawn facility is a loss, bounded by its exposure
    assert (sim.summary.fac_ead > 0).any() and (sim.summary.fac_loss > 0).any()


@pytest.mark.parametrize("horizon", [1, 360])
def test_shortest_and_longest_horizon(horizon: int, sample_arrays: PortfolioArrays,
                                      base_scenario: Scenario, tally: Tally) -> None:
    sim = simulate(sample_arrays, base_scenario, 4 if horizon > 1 else PATHS, SEED, horizon)
    assert_sane(sim, sample_arrays, horizon)
    assert next(iter(sim.fan.values())).shape[1] == horizon
    tally("extreme horizons run (1 and 360 months)")


def _book(n_facilities: int) -> dict:
    """The small tape cut down to its first ``n_facilities`` facilities (and their rows)."""
    tape = small_tape()
    keep = {f["id"] for f in tape["facilities"][:n_facilities]}
    tape["facilities"] = tape["facilities"][:n_facilities]
    for table in ("draws", "amortization_schedule", "holdings"):
        tape[table] = [r for r in tape[table] if r["facility_id"] in keep]
    return tape


def test_a_tape_without_facilities_is_refused_with_a_location(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(_book(0)))
    try:
        portfolio = load_tape(path)
    except TapeError as exc:
        assert all(i.file == str(path) for i in exc.issues)
        return
    result = run(RunSpec(tape=compile_portfolio(portfolio), scenarios=(load_scenario("base"),),
                         paths=4, seed=1, horizon=12, sensitivities=False,
                         reverse_stress=False))
    assert (result.table("scenario_summary")["el"] == 0).all()


def test_a_one_facility_book_runs_end_to_end(tmp_path: Path, tally: Tally) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(_book(1)))
    pa = compile_portfolio(load_tape(path))
    assert pa.n_facilities == 1
    scenarios = (load_scenario("base"), extreme_scenario(tmp_path, "spread_5000bp"))
    result = run(RunSpec(tape=pa, scenarios=scenarios, paths=8, seed=1, horizon=24,
                         sensitivities=True, reverse_stress=True))
    summary = result.table("scenario_summary")
    # two ratios are undefined without a denominator: NaN then, and only then
    ratios = ["el_to_benchmark", "weighted_lgd"]
    numbers = summary.select_dtypes("number").drop(columns=ratios)
    assert np.isfinite(numbers.to_numpy()).all()
    assert (summary["el"] >= 0).all()
    assert np.isfinite(summary["el_to_benchmark"]).all()  # its borrower has a rating PD > 0
    # weighted LGD is NaN exactly when no facility's borrower defaults on any path
    fac = result.table("facility_metrics")
    can_default = fac.groupby("scenario")["pd60"].max().gt(0)
    lgd = summary.set_index("scenario")["weighted_lgd"]
    assert lgd.notna().eq(can_default.reindex(lgd.index)).all()
    assert lgd.dropna().between(0.0, 1.0).all()
    tally("extreme books run end to end (0 and 1 facility)")
