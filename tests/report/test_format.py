"""Number formatting and column kinds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.report.columns import column_kind
from cliffwatch.report.format import MISSING, fmt_bp, fmt_pct, fmt_usd, fmt_value


@pytest.mark.parametrize(("x", "want"), [
    (1.234e9, "$1.23bn"), (56.78e6, "$56.8m"), (4_321.0, "$4.3k"), (950.0, "$950"),
    (-2.5e6, "−$2.5m"), (0.0, "$0"), (1.2e12, "$1,200.00bn"),
])
def test_usd(x: float, want: str) -> None:
    assert fmt_usd(x) == want


def test_missing_values_print_a_dash() -> None:
    for x in (float("nan"), None, pd.NA, np.nan):
        assert fmt_usd(x) == fmt_pct(x) == fmt_bp(x) == MISSING
    assert fmt_value(None, "text") == MISSING


def test_pct_and_bp() -> None:
    assert fmt_pct(0.1234) == "12.34%"
    assert fmt_pct(-0.005) == "−0.50%"
    assert fmt_bp(0.0123) == "123 bp"


@given(st.floats(min_value=1e-2, max_value=1e14))
def test_usd_scale_recovers_the_value(x: float) -> None:
    text = fmt_usd(x).lstrip("$").replace(",", "")
    scale = {"bn": 1e9, "m": 1e6, "k": 1e3}
    unit = next((u for u in scale if text.endswith(u)), "")
    value = float(text.removesuffix(unit)) * scale.get(unit, 1.0)
    # Two decimals of bn, one of m/k, none of units: at most half a unit of the last digit.
    step = {"bn": 1e7, "m": 1e5, "k": 1e2}.get(unit, 1.0)
    assert math.isclose(value, x, abs_tol=step / 2 + 1e-9 * x)


def test_column_kinds_follow_the_schema() -> None:
    assert column_kind("lender_metrics", "es99") == "usd"
    assert column_kind("facility_metrics", "pd12") == "pct"
    assert column_kind("time_to_cliff", "month") == "int"
    assert column_kind("fan_charts", "p50") == "num"
    assert column_kind("lender_metrics", "lender_id") == "text"
    assert column_kind("nope", "x") == "text"
