"""Scenario values are finite and in range, engine overrides in range: a located refusal
(file, scenario, field), exit 2, never a traceback from the simulation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.market.bounds import ENGINE_RANGES, JUMP_SIZE_MAX, VOL_SCALE_MAX
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import load_scenario
from cliffwatch.runs.montecarlo import simulate
from cliffwatch.tape.arrays import PortfolioArrays

BAD: dict[str, tuple[dict[str, Any], str]] = {
    "nan_jump": ({"factors": {"spread": {"jump": [{"month": 3, "size": float("nan")}]}}},
                 "factors.spread.jump.0.size"),
    "inf_shift": ({"factors": {"sofr": {"shift": {0: 0.0, 6: float("inf")}}}},
                  "factors.sofr.shift"),
    "vol_scale_1e6": ({"factors": {"spread": {"vol_scale": 1e6}}}, "factors.spread.vol_scale"),
    "jump_1000": ({"factors": {"gpu_rent": {"jump": [{"month": 1, "size": 1000}]}}},
                  "factors.gpu_rent.jump.0.size"),
    "renewal_2": ({"engine": {"contract_renewal_prob": 2.0}}, "engine.contract_renewal_prob"),
    "haircut_2": ({"engine": {"gpu_fire_sale_haircut": 2.0}}, "engine.gpu_fire_sale_haircut"),
    "negative_vol": ({"engine": {"idio_util_vol": -0.5}}, "engine.idio_util_vol"),
    "nan_engine": ({"engine": {"dc_sale_cost": float("nan")}}, "engine.dc_sale_cost"),
    "inf_floor": ({"factors": {"spread": {"floor": float("-inf")}}}, "factors.spread.floor"),
}


def _write(folder: Path, name: str, body: dict[str, Any]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "extends": "base", **body}))
    return path


@pytest.mark.parametrize("case", sorted(BAD))
def test_out_of_range_value_is_a_located_error(tmp_path: Path, case: str) -> None:
    body, field = BAD[case]
    path = _write(tmp_path, case, body)
    with pytest.raises(MarketInputError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg and f"scenario '{case}'" in msg and field in msg, msg


def test_cli_run_refuses_before_simulating(tmp_path: Path) -> None:
    path = _write(tmp_path, "vol", BAD["vol_scale_1e6"][0])
    res = CliRunner().invoke(app, ["run", "-s", str(path), "--paths", "8", "--out",
                                   str(tmp_path / "o"), "--store", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2 and "vol_scale" in res.output and "Traceback" not in res.output


def test_every_engine_field_has_a_range() -> None:
    import dataclasses

    from cliffwatch.engine.params import EngineParams

    numeric = {f.name for f in dataclasses.fields(EngineParams) if f.name != "contagion"}
    assert numeric == set(ENGINE_RANGES)


def test_values_at_the_bounds_simulate_finite(tmp_path: Path,
                                              sample_arrays: PortfolioArrays) -> None:
    body = {"factors": {name: {"vol_scale": VOL_SCALE_MAX,
                               "jump": [{"month": 2, "size": JUMP_SIZE_MAX}]}
                        for name in ("spread", "sofr", "gpu_rent", "utilization", "dc_value")}}
    sim = simulate(sample_arrays, load_scenario(_write(tmp_path, "edge", body)), 16, 3, 36)
    for name in ("fac_loss", "fac_ead"):
        assert np.isfinite(getattr(sim.summary, name)).all()


def test_escapes_found_by_the_fuzzing_budget_are_located_errors(tmp_path: Path) -> None:
    """``extends`` longer than a file name may be (ENAMETOOLONG), and an integer no float can
    hold as an engine override: both escaped as OSError / OverflowError."""
    long_parent = _write(tmp_path, "long", {})
    long_parent.write_text(yaml.safe_dump({"name": "long", "extends": "é" * 500}))
    with pytest.raises(MarketInputError, match="extends"):
        load_scenario(long_parent)
    huge = _write(tmp_path, "huge", {"engine": {"contract_renewal_prob": 10**400}})
    with pytest.raises(MarketInputError, match="engine.contract_renewal_prob"):
        load_scenario(huge)
