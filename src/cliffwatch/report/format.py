"""Number formatting for the report: USD in $bn/$m/$k, percentages, basis points.

Missing values (NaN, None, pd.NA) print as an en dash so a reader never sees "nan".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cliffwatch.report.columns import ColumnKind

MISSING = "–"
"""Shown for a missing or undefined value."""
BILLION = 1e9
MILLION = 1e6
THOUSAND = 1e3
BP_PER_UNIT = 1e4
"""Basis points in one unit of a decimal rate (1.0 = 10,000 bp)."""


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_usd(x: Any) -> str:
    """USD amount scaled to $bn, $m or $k with three significant figures or so."""
    if _missing(x):
        return MISSING
    v = float(x)
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    sign = "−" if v < 0 else ""
    a = abs(v)
    if a >= BILLION:
        body = f"{a / BILLION:,.2f}bn"
    elif a >= MILLION:
        body = f"{a / MILLION:,.1f}m"
    elif a >= THOUSAND:
        body = f"{a / THOUSAND:,.1f}k"
    else:
        body = f"{a:,.0f}"
    if not any(ch in "123456789" for ch in body):
        sign = ""  # -0.3 shows as $0, never as −$0
    return f"{sign}${body}"


def _signed(text: str) -> str:
    """Typographic minus, and none on a figure that shows as zero (−0.00% is 0.00%)."""
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text.replace("-", "−")


def fmt_pct(x: Any, digits: int = 2) -> str:
    """A decimal share as a percentage: 0.1234 -> '12.34%'."""
    if _missing(x):
        return MISSING
    return _signed(f"{float(x) * 100:.{digits}f}%")


def fmt_bp(x: Any) -> str:
    """A decimal rate in basis points: 0.0123 -> '123 bp'."""
    if _missing(x):
        return MISSING
    return _signed(f"{float(x) * BP_PER_UNIT:,.0f} bp")


def fmt_num(x: Any, digits: int = 4) -> str:
    """A plain number with up to ``digits`` significant decimals."""
    if _missing(x):
        return MISSING
    return _signed(f"{float(x):,.{digits}g}")


def fmt_value(x: Any, kind: ColumnKind) -> str:
    """Format ``x`` as column kind ``kind``; text is returned as is (escape it separately);
    booleans read Yes / No."""
    if isinstance(x, bool | np.bool_):
        return "Yes" if x else "No"
    if kind == "usd":
        return fmt_usd(x)
    if kind == "pct":
        return fmt_pct(x)
    if kind == "bp":
        return fmt_bp(x)
    if kind == "int":
        return MISSING if _missing(x) else f"{int(x):d}"
    if kind == "num":
        return fmt_num(x)
    return MISSING if _missing(x) else str(x)
