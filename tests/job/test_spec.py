"""RunSpec: one frozen definition of a run; run(spec) opens its executor once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.runs.bumps import BumpSizes
from cliffwatch.runs.job import run, total_work
from cliffwatch.runs.montecarlo import BlockExecutor, LocalExecutor
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.spec import ExecutorSpec, RunSpec
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.units import HORIZON_MAX_MONTHS


@pytest.mark.parametrize(("change", "message"), [
    ({"scenarios": ()}, "at least one scenario"),
    ({"paths": 0}, "paths must be at least 1, got 0"),
    ({"seed": -1}, "seed must be 0 or more"),
    ({"horizon": HORIZON_MAX_MONTHS + 1}, r"horizon must be 1\.\.360 months, got 361"),
    ({"horizon": 0}, "horizon must be"),
])
def test_bad_specs_are_refused_before_anything_runs(
        sample_arrays: PortfolioArrays, base_scenario: Scenario, change: dict[str, object],
        message: str) -> None:
    kw: dict[str, object] = {"tape": sample_arrays, "scenarios": (base_scenario,), **change}
    with pytest.raises(ValueError, match=message):
        RunSpec(**kw)  # type: ignore[arg-type]


def test_spec_is_frozen_and_keeps_scenarios_as_a_tuple(sample_arrays: PortfolioArrays,
                                                       base_scenario: Scenario) -> None:
    spec = RunSpec(tape=sample_arrays, scenarios=[base_scenario])  # type: ignore[arg-type]
    assert spec.scenarios == (base_scenario,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.paths = 5  # type: ignore[misc]
    assert spec.executor == ExecutorSpec() and spec.executor.local


def test_run_opens_the_executor_once_and_reports_all_work(
        sample_arrays: PortfolioArrays, base_scenario: Scenario) -> None:
    opened: list[BlockExecutor] = []
    done: list[int] = []
    spec = RunSpec(tape=sample_arrays, scenarios=(base_scenario,), paths=8, seed=3, horizon=12,
                   reverse_stress=False, on_executor=opened.append,
                   progress=lambda label, n: done.append(n))
    result = run(spec)
    assert len(opened) == 1 and isinstance(opened[0], LocalExecutor)
    assert sum(done) == total_work(spec) == 8 * 6  # the run and five paired bumps
    manifest = result.manifest
    assert (manifest["paths"], manifest["seed"], manifest["horizon"]) == (8, 3, 12)
    assert manifest["tape_hash"] == sample_arrays.digest()
    assert manifest["execution"] == {"executor": "local", "block_paths": 256}


def test_bump_sizes_are_part_of_the_spec(sample_arrays: PortfolioArrays,
                                         base_scenario: Scenario) -> None:
    """The sensitivity bumps are the spec's: their sizes name the rows of the table."""
    spec = RunSpec(tape=sample_arrays, scenarios=(base_scenario,), paths=8, seed=3, horizon=12,
                   reverse_stress=False, bump_sizes=BumpSizes(spread_bp=50, rent_pct=20))
    assert [b.name for b in spec.bumps] == ["sofr_+100bp", "spread_+50bp", "utilization_-10pp",
                                            "gpu_value_-10pct", "rent_-20pct"]
    sens = run(spec).table("sensitivities")
    assert list(dict.fromkeys(sens["bump"])) == [b.name for b in spec.bumps]
    assert [b.name for b in RunSpec(tape=sample_arrays, scenarios=(base_scenario,)).bumps] == [
        "sofr_+100bp", "spread_+100bp", "utilization_-10pp", "gpu_value_-10pct", "rent_-10pct"]


@pytest.mark.parametrize(("body", "where"), [
    ("name: x\nengine: {contagoin: true}", r"engine: .*unknown \['contagoin'\]"),
    ("name: x\nengine: {gpu_fire_sale_haircut: high}",
     r"engine\.gpu_fire_sale_haircut: got 'high'"),
])
def test_bad_engine_overrides_are_located_when_the_run_is_built(
        tmp_path: Path, sample_arrays: PortfolioArrays, body: str, where: str) -> None:
    """The market layer holds ``engine:`` as data; the run checks it against EngineParams
    before anything is simulated, naming the file and the key."""
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    scenario = load_scenario(path)
    with pytest.raises(MarketInputError, match=rf"(?s)bad\.yaml.*{where}"):
        RunSpec(tape=sample_arrays, scenarios=(scenario,))
    with pytest.raises(MarketInputError, match=where):
        engine_params(scenario)
