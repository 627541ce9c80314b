"""Custom scenarios from the dashboard: a form of common shocks, and checked YAML text.

The form writes an ordinary scenario document that ``extends`` a bundled scenario, so the
result is exactly what a user could have written by hand; the YAML editor's text goes through
the market layer's own loader (safe YAML, pydantic schema, ``extends`` resolution) before any
run can use it. Nothing the user types is evaluated.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.library import bundled_names
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.runs.params import check_engine_overrides
from cliffwatch.safe_yaml import safe_load
from cliffwatch.shown import shown

PERCENT = 100.0
"""Form percentages (pp, %) per unit of a decimal."""
MAX_YAML_CHARS = 200_000
"""Longest scenario text accepted from the editor, characters."""
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class ShockForm:
    """The common shocks of the scenario form, in the units an analyst quotes.

    Attributes
    ----------
    name : str
        Scenario name (letters, digits, ``_ . -``).
    extends : str
        Bundled scenario the shocks are applied on top of.
    spread_multiplier : float
        Credit spread index multiplied by this at ``spread_month`` (1 = no jump); the jump
        is a log-size ``ln(multiplier)`` in the scenario language.
    spread_month : int
        Month of the spread jump.
    spread_half_life : float or None
        Half-life of the jump's decay, months; ``None`` = permanent.
    utilization_shift_pp : float
        Change of uncontracted utilization reached at ``utilization_month``, percentage points.
    utilization_month : int
        Month by which the utilization shift is fully in (linear from month 0).
    rent_decline_pct : float
        Decline of GPU rental prices (all generations) reached at ``rent_month``, percent.
    rent_month : int
        Month by which the rent decline is fully in (linear from month 0).
    closed_from, closed_to : int or None
        New-issue market closed for months ``[closed_from, closed_to)``; ``None`` = open.
    """

    name: str
    extends: str = "base"
    spread_multiplier: float = 1.0
    spread_month: int = 0
    spread_half_life: float | None = None
    utilization_shift_pp: float = 0.0
    utilization_month: int = 12
    rent_decline_pct: float = 0.0
    rent_month: int = 12
    closed_from: int | None = None
    closed_to: int | None = None


def _ramp(month: int, value: float, start: float) -> dict[int, float]:
    """Points that move linearly from ``start`` at month 0 to ``value`` at ``month``."""
    return {0: start, month: value} if month > 0 else {0: value}


def form_spec(form: ShockForm) -> dict[str, Any]:
    """The scenario document the form describes (only the shocks that are set).

    Raises
    ------
    ValueError
        A field is out of range (the message names it).
    """
    if not _NAME.match(form.name):
        raise ValueError("name: letters, digits, '_', '.', '-' (up to 64 characters)")
    if form.spread_multiplier <= 0:
        raise ValueError("spread multiplier: must be above 0 (1 = no jump)")
    if not 0 <= form.rent_decline_pct < PERCENT:
        raise ValueError("rent decline: between 0 and 100 %")
    factors: dict[str, Any] = {}
    if form.spread_multiplier != 1.0:
        jump: dict[str, Any] = {"month": form.spread_month,
                                "size": math.log(form.spread_multiplier)}
        if form.spread_half_life is not None:
            jump["half_life_months"] = form.spread_half_life
        factors["spread"] = {"jump": [jump]}
    if form.utilization_shift_pp:
        factors["utilization"] = {"shift": _ramp(form.utilization_month,
                                                 form.utilization_shift_pp / PERCENT, 0.0)}
    if form.rent_decline_pct:
        factors["gpu_rent"] = {"scale": _ramp(form.rent_month,
                                              1.0 - form.rent_decline_pct / PERCENT, 1.0)}
    spec: dict[str, Any] = {"name": form.name, "extends": form.extends,
                            "description": "custom scenario from the dashboard form"}
    if factors:
        spec["factors"] = factors
    if form.closed_from is not None or form.closed_to is not None:
        if form.closed_from is None or form.closed_to is None:
            raise ValueError("market closed: give both the first and the reopening month")
        spec["market_closed"] = [{"from": form.closed_from, "to": form.closed_to}]
    return spec


def spec_yaml(spec: dict[str, Any]) -> str:
    """A scenario document as YAML text, keys in the order written."""
    return yaml.safe_dump(spec, sort_keys=False, default_flow_style=False)


def _check_extends(text: str) -> None:
    """Only bundled parents: a path in ``extends`` would read files of the server's disk."""
    try:
        doc = safe_load(text)
    except yaml.YAMLError as exc:
        raise MarketInputError(f"scenario: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise MarketInputError("scenario: expected a mapping (name: ..., factors: ...)")
    parent = doc.get("extends")
    if parent is not None and parent not in bundled_names():
        raise MarketInputError(f"extends: got {shown(parent)}; expected one of the "
                               f"bundled scenarios {bundled_names()}")


def parse_scenario(text: str, workdir: Path) -> Scenario:
    """Validate scenario YAML text with the market layer's loader.

    The text is written to a private temporary file (so ``extends`` of bundled names resolves
    and messages are located), loaded safely, and the file is removed.

    Raises
    ------
    MarketInputError
        The text is not a valid scenario; the message lists every problem with its key.
    """
    if len(text) > MAX_YAML_CHARS:
        raise MarketInputError(f"scenario text: over {MAX_YAML_CHARS:,} characters")
    if not text.strip():
        raise MarketInputError("scenario text: empty; write a scenario or use the form")
    _check_extends(text)
    with tempfile.TemporaryDirectory(prefix="scenario-", dir=workdir) as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(path)
            check_engine_overrides(scenario)
        except MarketInputError as exc:
            raise MarketInputError(str(exc).replace(str(path), "scenario")) from None
    return Scenario(spec=scenario.spec, source="dashboard editor")
