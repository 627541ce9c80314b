"""Engine parameters of a scenario: its ``engine:`` overrides checked and applied.

A scenario (market layer) holds its engine overrides as plain data; the market layer does not
import the engine. The run builds the :class:`~cliffwatch.engine.params.EngineParams` of each
scenario here, where both layers are known, and a bad override is reported with the scenario's
file and key before anything is simulated (:class:`~cliffwatch.runs.spec.RunSpec` checks every
scenario when it is built).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from cliffwatch.engine.params import EngineParams
from cliffwatch.market.bounds import engine_problems
from cliffwatch.market.errors import located
from cliffwatch.market.scenario import Scenario
from cliffwatch.shown import shown

ENGINE_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(EngineParams))
"""Names a scenario's ``engine:`` section may set."""


def _problems(engine: dict[str, Any]) -> list[str]:
    unknown = sorted(set(engine) - set(ENGINE_FIELDS))
    if unknown:
        return [f"engine: expected EngineParams fields {sorted(ENGINE_FIELDS)}; "
                f"unknown {unknown}"]
    base = EngineParams()
    problems = []
    for k, v in engine.items():
        default = getattr(base, k)
        ok = (
            isinstance(v, bool)
            if isinstance(default, bool)
            else isinstance(v, int | float) and not isinstance(v, bool)
            if isinstance(default, float)
            else isinstance(v, list) and len(v) == len(default)
            if isinstance(default, np.ndarray)
            else True
        )
        if not ok:
            problems.append(
                f"engine.{k}: got {shown(v)}; expected {type(default).__name__} "
                f"like the default {default!r}"
            )
    # ranges only for the overrides whose type is right (a wrong type is reported once)
    wrong = {p.split(":", 1)[0].removeprefix("engine.") for p in problems}
    return problems + engine_problems({k: v for k, v in engine.items() if k not in wrong})


def check_engine_overrides(scenario: Scenario) -> None:
    """Raise ``MarketInputError`` located at the scenario's file for every ``engine:`` key
    that is not an EngineParams field or has the wrong type."""
    problems = _problems(scenario.spec.engine)
    if problems:
        raise located(scenario.source, problems)


def engine_params(scenario: Scenario, base: EngineParams | None = None) -> EngineParams:
    """EngineParams with the scenario's ``contagion`` and ``engine`` overrides applied.

    Raises
    ------
    MarketInputError
        With the scenario's file and each bad override (see :func:`check_engine_overrides`).
    """
    check_engine_overrides(scenario)
    changes: dict[str, Any] = dict(scenario.spec.engine)
    if scenario.spec.contagion is not None:
        changes["contagion"] = scenario.spec.contagion
    if "rating_spread_multiplier" in changes:
        changes["rating_spread_multiplier"] = np.asarray(
            changes["rating_spread_multiplier"], dtype=float
        )
    return dataclasses.replace(base or EngineParams(), **changes)
