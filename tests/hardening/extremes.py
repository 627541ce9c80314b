"""Extreme scenarios, written as ordinary scenario documents extending ``base``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cliffwatch.codes import Archetype
from cliffwatch.market.scenario import Scenario, load_scenario

ALL_MONTHS: int = 400
"""A window end beyond any horizon (the longest is 360 months)."""
ARCHETYPES: tuple[str, ...] = tuple(Archetype.__members__)


def _held(value: float) -> dict[str, Any]:
    """A factor set to ``value`` in every month."""
    return {"set": [{"from": 0, "to": ALL_MONTHS, "value": value}]}


EXTREMES: dict[str, dict[str, Any]] = {
    "negative_sofr": {"factors": {"sofr": _held(-0.02)}},
    "spread_5000bp": {"factors": {"spread": _held(0.50)}},
    "rents_to_zero": {"factors": {"gpu_rent": {"scale": {0: 1.0, 6: 0.0}},
                                  "gpu_value": {"scale": {0: 1.0, 6: 0.0}}}},
    "utilization_0": {"factors": {"utilization": _held(0.0)}},
    "utilization_1": {"factors": {"utilization": _held(1.0)}},
    "market_shut": {"market_closed": [{"from": 0, "to": ALL_MONTHS}],
                    "factors": {"dc_value": {"scale": {0: 1.0, 3: 0.0}}}},
    "all_default_month_1": {"forced_defaults": [
        {"target": "borrower", "archetype": a, "month": 1} for a in ARCHETYPES]},
}
"""Each extreme of the issue as a partial scenario document."""


def extreme_scenario(folder: Path, name: str) -> Scenario:
    """Write ``EXTREMES[name]`` as ``extends: base`` YAML in ``folder`` and load it."""
    doc = {"name": name, "extends": "base", "description": f"extreme: {name}", **EXTREMES[name]}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc))
    return load_scenario(path)
