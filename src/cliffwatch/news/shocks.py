"""Catalysts -> one scenario extending ``base`` (shock sizes in data/news/shocks.yaml).

Additive shocks add their confidence-scaled sizes, multiplicative ones multiply
``(1 + change * confidence)``, windows and delays add their (rounded up) months. Stress sizes
are all adverse and relief sizes all favourable (validated on load), so a superset of stress
catalysts gives a scenario at least as severe in every component: impact is monotone by
construction.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cliffwatch.engine.params import EngineParams
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.news.catalysts import Catalyst
from cliffwatch.news.errors import NewsError
from cliffwatch.news.rules import CATALYSTS, _default, _load

ADVERSE_SIGN: dict[str, int] = {
    "spread_jump_log": 1, "spread_shift": 1, "sofr_shift": 1, "utilization_shift": -1,
    "utilization_delay_months": 1, "gpu_rent_change": -1, "tech_earnings_shift": -1,
    "cpty_pd_multiplier": 1, "market_closed_months": 1, "market_access_shift": -1,
    "gpu_market_depth_change": -1,
}
"""Sign of each numeric shock in the adverse (stress) direction."""
UTILIZATION_BOUNDS = (0.01, 0.99)
"""Floor and cap of shifted utilization (a share of capacity)."""


class Shock(BaseModel):
    """Shock sizes at confidence 1 (see the comments of shocks.yaml for units)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    spread_jump_log: float = 0.0
    spread_shift: float = 0.0
    sofr_shift: float = 0.0
    utilization_shift: float = 0.0
    utilization_delay_months: float = Field(default=0.0, ge=0.0)
    gpu_rent_change: float = Field(default=0.0, gt=-1.0)
    tech_earnings_shift: float = 0.0
    cpty_pd_multiplier: float = Field(default=0.0, gt=-1.0)
    market_closed_months: float = Field(default=0.0, ge=0.0)
    market_access_shift: float = 0.0
    contagion: bool = False
    gpu_market_depth_change: float = Field(default=0.0, gt=-1.0)


class DirectedShocks(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    stress: Shock
    relief: Shock

    @model_validator(mode="after")
    def _signs(self) -> DirectedShocks:
        for key, sign in ADVERSE_SIGN.items():
            if getattr(self.stress, key) * sign < 0 or getattr(self.relief, key) * sign > 0:
                raise ValueError(f"{key}: stress sizes must be adverse and relief sizes "
                                 "favourable (monotone impact)")
        if self.relief.contagion:
            raise ValueError("contagion: a relief shock cannot switch contagion on")
        return self


class ShockTable(BaseModel):
    """The whole shocks file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    spread_jump_month: int = Field(ge=0)
    spread_jump_half_life_months: float = Field(gt=0.0)
    shift_ramp_month: int = Field(ge=1)
    tech_earnings_ramp_month: int = Field(ge=1)
    market_closed_start: int = Field(ge=0)
    cpty_archetypes: list[str]
    shocks: dict[str, DirectedShocks]

    @model_validator(mode="after")
    def _all(self) -> ShockTable:
        if set(self.shocks) != set(CATALYSTS):
            raise ValueError(f"a shock for each of {list(CATALYSTS)}; got {sorted(self.shocks)}")
        return self


@lru_cache(maxsize=8)
def load_shocks(path: str | Path | None = None) -> ShockTable:
    """The catalyst -> shock table (bundled ``data/news/shocks.yaml`` unless a path is given)."""
    return _load(Path(path) if path else _default("shocks.yaml"), ShockTable)


@dataclasses.dataclass(frozen=True)
class Composite:
    """The summed shock of an item's catalysts, in the units of :class:`Shock`."""

    additive: dict[str, float]
    rent_factor: float
    """Product of ``1 + gpu_rent_change * confidence``."""
    pd_multiplier: float
    """Product of ``1 + cpty_pd_multiplier * confidence``."""
    depth_factor: float
    """Product of ``1 + gpu_market_depth_change * confidence``."""
    contagion: bool


def compose(catalysts: Sequence[Catalyst], table: ShockTable) -> Composite:
    """Sum the confidence-scaled shocks of ``catalysts`` (order does not matter)."""
    add = {k: 0.0 for k in ("spread_jump_log", "spread_shift", "sofr_shift", "utilization_shift",
                            "utilization_delay_months", "tech_earnings_shift",
                            "market_closed_months", "market_access_shift")}
    rent = pd_mult = depth = 1.0
    contagion = False
    for c in catalysts:
        s: Shock = getattr(table.shocks[c.name], c.direction)
        for k in add:
            add[k] += getattr(s, k) * c.confidence
        rent *= 1.0 + s.gpu_rent_change * c.confidence
        pd_mult *= 1.0 + s.cpty_pd_multiplier * c.confidence
        depth *= 1.0 + s.gpu_market_depth_change * c.confidence
        contagion = contagion or (s.contagion and c.confidence > 0.0)
    return Composite(add, rent, pd_mult, depth, contagion)


def _months(x: float) -> int:
    """Whole months, rounded up (monotone; the tolerance absorbs float noise of sums)."""
    return max(0, math.ceil(x - 1e-9))


DOC_DECIMALS = 6
"""Decimals kept in the scenario YAML (rounding is monotone, so severity order is kept)."""


def _r(x: float) -> float:
    return round(float(x), DOC_DECIMALS)


def _ramp(month: int, value: float) -> dict[int, float]:
    return {0: 0.0, month: _r(value)}


def _factors(comp: Composite, table: ShockTable) -> dict[str, Any]:
    a, ramp = comp.additive, table.shift_ramp_month
    factors: dict[str, Any] = {}
    spread: dict[str, Any] = {}
    if a["spread_jump_log"]:
        spread["jump"] = [{"month": table.spread_jump_month, "size": _r(a["spread_jump_log"]),
                           "half_life_months": table.spread_jump_half_life_months}]
    if a["spread_shift"]:
        spread["shift"] = _ramp(ramp, a["spread_shift"])
    if spread:
        factors["spread"] = spread
    if a["sofr_shift"]:
        factors["sofr"] = {"shift": _ramp(ramp, a["sofr_shift"])}
    util: dict[str, Any] = {}
    if a["utilization_shift"]:
        util.update(shift=_ramp(ramp, a["utilization_shift"]), floor=UTILIZATION_BOUNDS[0],
                    cap=UTILIZATION_BOUNDS[1])
    if _months(a["utilization_delay_months"]):
        util["delay_months"] = _months(a["utilization_delay_months"])
    if util:
        factors["utilization"] = util
    if comp.rent_factor != 1.0:
        factors["gpu_rent"] = {"scale": {0: 1.0, ramp: _r(comp.rent_factor)}}
    if a["tech_earnings_shift"]:
        factors["tech_earnings"] = {
            "shift": _ramp(table.tech_earnings_ramp_month, a["tech_earnings_shift"])}
    if a["market_access_shift"]:
        factors["market_access"] = {"shift": _ramp(ramp, a["market_access_shift"]), "cap": 1.0}
    return factors


def scenario_document(comp: Composite, table: ShockTable, name: str,
                      description: str = "") -> dict[str, Any]:
    """The scenario YAML document (a mapping) of a composite shock, extending ``base``."""
    doc: dict[str, Any] = {"name": name, "extends": "base",
                           "description": description or "composed from news catalysts"}
    factors = _factors(comp, table)
    if factors:
        doc["factors"] = factors
    closed = _months(comp.additive["market_closed_months"])
    if closed:
        start = table.market_closed_start
        doc["market_closed"] = [{"from": start, "to": start + closed}]
    if comp.pd_multiplier != 1.0:
        doc["counterparty_pd"] = [{"archetype": a, "multiplier": _r(comp.pd_multiplier)}
                                  for a in table.cpty_archetypes]
    if comp.contagion:
        doc["contagion"] = True
    if comp.depth_factor != 1.0:
        depth = EngineParams().gpu_market_depth_units * comp.depth_factor
        doc["engine"] = {"gpu_market_depth_units": _r(depth)}
    return doc


def to_yaml(doc: dict[str, Any]) -> str:
    """Block-style YAML of a scenario document."""
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=False)


def build_scenario(doc: dict[str, Any]) -> Scenario:
    """Validate and resolve a scenario document through the scenario loader.

    Raises
    ------
    NewsError
        If the shock table produced an invalid scenario (e.g. a hand-edited size).
    """
    from cliffwatch.market.errors import MarketInputError

    with tempfile.TemporaryDirectory(prefix="cliffwatch-news-") as tmp:
        path = Path(tmp) / f"{doc['name']}.yaml"
        path.write_text(to_yaml(doc), encoding="utf-8")
        try:
            scenario = load_scenario(path)
        except MarketInputError as exc:
            raise NewsError(f"news scenario {doc['name']}: {exc}") from None
    return dataclasses.replace(scenario, source=f"news:{doc['name']}")
