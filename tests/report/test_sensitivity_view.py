"""Sensitivities as shown: change ± standard error, a mark only beyond 1.96 SE."""

from __future__ import annotations

import pandas as pd

from cliffwatch.report.sensitivity_view import sensitivity_display


def test_only_significant_changes_are_marked() -> None:
    t = pd.DataFrame({
        "scenario": ["base"] * 3, "lender_id": ["portfolio"] * 3,
        "bump": ["sofr_+100bp", "spread_+100bp", "rent_-10pct"],
        "d_el": [10.7e6, -4.5e5, -0.2], "d_el_se": [3.5e6, 3.4e5, 1.0],
        "d_es99": [2.4e8, 0.0, float("nan")], "d_es99_se": [1.2e8, 5.2e6, 1.0],
    })
    shown = sensitivity_display(t)
    assert shown["Δ EL"].tolist() == ["+$10.7m ± $3.5m *", "−$450.0k ± $340.0k", "$0 ± $1"]
    assert shown["Δ ES99"].tolist() == ["+$240.0m ± $120.0m *", "$0 ± $5.2m", "–"]
