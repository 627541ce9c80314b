"""Scenarios that are uniformly harsher than ``base``, written as ``extends: base`` YAML."""

from __future__ import annotations

from pathlib import Path

import yaml

from cliffwatch.market.scenario import Scenario, load_scenario

STRESS_RAMP_MONTH: int = 6
"""Month by which a harsher scenario's shocks reach full size (linear from month 0)."""


def harsher_spec(spread_bp: float, util_pp: float, rent_cut: float) -> dict:
    """A base extension with the HY index ``+spread_bp`` bp, uncontracted utilization
    ``-util_pp`` percentage points and GPU rents and values ``x (1 - rent_cut)``, all ramped in
    linearly by ``STRESS_RAMP_MONTH`` and held."""
    ramp = STRESS_RAMP_MONTH
    return {
        "name": "harsher",
        "extends": "base",
        "description": "uniformly harsher than base",
        "factors": {
            "spread": {"shift": {0: 0.0, ramp: spread_bp / 1e4}},
            "utilization": {"shift": {0: 0.0, ramp: -util_pp / 100.0}},
            "gpu_rent": {"scale": {0: 1.0, ramp: 1.0 - rent_cut}},
            "gpu_value": {"scale": {0: 1.0, ramp: 1.0 - rent_cut}},
        },
    }


def write_harsher(folder: Path, spread_bp: float, util_pp: float, rent_cut: float) -> Scenario:
    """Write the spec to ``folder/harsher.yaml`` and load it through the scenario loader."""
    path = folder / "harsher.yaml"
    path.write_text(yaml.safe_dump(harsher_spec(spread_bp, util_pp, rent_cut)))
    return load_scenario(path)
