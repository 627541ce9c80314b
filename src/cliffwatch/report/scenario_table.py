"""A resolved scenario spec as a short table a committee can read, instead of its JSON.

One row per factor the scenario changes (``SOFR``: "median 3.65% (month 0) -> 4.75% (12) ->
0.50% (24)"), then the scenario-wide overrides (market closures, forced defaults, contagion,
engine parameters). Factors the scenario leaves at the calibrated model are not listed.
"""

from __future__ import annotations

import re
from typing import Any, Final

import pandas as pd

FACTOR_LABELS: Final[dict[str, str]] = {
    "sofr": "SOFR", "spread": "HY credit spread", "utilization": "GPU utilization",
    "power_price": "power price", "tech_earnings": "tech earnings", "dc_value": "data-center value",
    "market_access": "market access", "gpu_rent": "GPU rent (all)", "gpu_value": "GPU value (all)",
    "ai_capex": "AI capex", "software_budget": "software budgets",
    "software_multiple": "software EV/ARR", "software_spread": "software loan spread",
}
_PERCENT_FACTORS: Final = frozenset({"sofr", "spread", "utilization", "market_access",
                                     "software_spread"})
_MONEY_FACTORS: Final = frozenset({"gpu_rent", "power_price"})
_TOP_LEVEL: Final[dict[str, str]] = {
    "gpu_value_launch_step": "GPU value step at each launch",
    "market_closed": "refinancing market closed",
    "counterparty_pd": "counterparty default waves",
    "forced_defaults": "forced defaults",
    "contagion": "fire-sale contagion",
    "engine": "engine parameters",
}


def _value(factor: str, x: Any) -> str:
    if not isinstance(x, int | float) or isinstance(x, bool):
        return str(x)
    base = factor.split(":")[0]
    if base in _PERCENT_FACTORS:
        return f"{100 * x:.2f}%"
    if base in _MONEY_FACTORS:
        return f"${x:,.2f}"
    return f"{x:,.3g}"


def _knots(factor: str, knots: dict[str, Any], prefix: str = "", signed: bool = False) -> str:
    parts = []
    for k, v in sorted(knots.items(), key=lambda kv: float(kv[0])):
        text = _value(factor, v)
        if signed and isinstance(v, int | float) and v >= 0:
            text = "+" + text
        parts.append(f"{prefix}{text} (m{k})")
    return " → ".join(parts)


def _compact(x: Any) -> str:
    """A list or mapping as short text: ``a=1, b=2``; nested items in parentheses."""
    if isinstance(x, dict):
        return ", ".join(f"{k} {_compact(v)}" for k, v in x.items() if v not in (None, [], {}))
    if isinstance(x, list | tuple):
        return "; ".join(_compact(v) for v in x)
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def factor_changes(factor: str, spec: dict[str, Any]) -> str:
    """What the scenario does to one factor, in words."""
    parts: list[str] = []
    if spec.get("path") is not None:
        parts.append("fixed path " + _compact(spec["path"]))
    if spec.get("center"):
        parts.append("median " + _knots(factor, spec["center"]))
    if spec.get("scale"):
        parts.append("scaled " + _knots("", spec["scale"], "×"))
    shift = spec.get("shift")
    if isinstance(shift, dict) and shift:
        parts.append("shifted " + _knots(factor, shift, signed=True))
    elif shift is not None:
        parts.append(f"shifted by {_compact(shift)}")
    if spec.get("jump"):
        parts.append(f"jumps: {_compact(spec['jump'])}")
    if spec.get("set"):
        parts.append(f"set: {_compact(spec['set'])}")
    if spec.get("delay_months"):
        parts.append(f"delayed {spec['delay_months']} months")
    if spec.get("vol_scale") not in (None, 1, 1.0):
        parts.append(f"volatility ×{spec['vol_scale']:g}")
    for bound in ("floor", "cap"):
        if spec.get(bound) is not None:
            parts.append(f"{bound} {_value(factor, spec[bound])}")
    return "; ".join(parts) or "as calibrated"


def scenario_rows(spec: dict[str, Any]) -> pd.DataFrame:
    """(what, change) rows of every factor and setting ``spec`` changes."""
    rows: list[tuple[str, str]] = []
    for name, f in (spec.get("factors") or {}).items():
        if isinstance(f, dict) and name.endswith("_by_generation"):
            base = name.removesuffix("_by_generation")
            for gen, g in f.items():
                if isinstance(g, dict):
                    label = f"{FACTOR_LABELS.get(base, base).replace(' (all)', '')} {gen}"
                    rows.append((label, factor_changes(base, g)))
        elif isinstance(f, dict):
            rows.append((FACTOR_LABELS.get(name, name), factor_changes(name, f)))
    for key, label in _TOP_LEVEL.items():
        value = spec.get(key)
        if value not in (None, [], {}):
            text = ("on" if value else "off") if isinstance(value, bool) else _compact(value)
            rows.append((label, text))
    return pd.DataFrame(rows, columns=["factor", "change"])


_NOTE_REF = re.compile(
    r"\s*\((?:DOMAIN|METHODS)\s[\d.]+(?:(?:,\s?|\s/\s)[\d.]+)*(?:\sS\d)?\)"
    r"|(?:DOMAIN|METHODS)\s[\d.]+(?:(?:,\s?|\s/\s)[\d.]+)*(?:\sS\d)?(?::\s*|;\s*|,\s*|\s(?=\w))?"
)


def public_text(text: str) -> str:
    """``text`` without references to the project's internal research notes (``DOMAIN 6.1``,
    ``METHODS 4``), which readers of a report cannot look up; the facts they cite stay."""
    cleaned = _NOTE_REF.sub("", text)
    cleaned = re.sub(r"\(\s*\)|\(\s*;\s*|\s+;", lambda m: "(" if "(" in m.group(0) and ")"
                     not in m.group(0) else "", cleaned)
    cleaned = re.sub(r"\s+in\s*\)", ")", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip(" ;,")
