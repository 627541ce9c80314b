"""How each result column is displayed: as USD, a percentage, an integer, a number or text.

Both the HTML report and the Excel workbook read the kind from here, so a column looks the same
in both. The kind follows the :data:`cliffwatch.results.TABLES` schema: money columns say
"USD" in their description; probabilities and decimal shares are listed by name.
"""

from __future__ import annotations

from typing import Literal

from cliffwatch.results import TABLES

ColumnKind = Literal["usd", "pct", "bp", "int", "num", "text"]

PERCENT_COLUMNS = frozenset({
    "pd", "pd12", "pd24", "pd36", "pd60", "pd_se", "pd_payment", "pd_covenant", "pd_maturity",
    "lgd", "p_cliff_12_24", "probability", "utilization_threshold", "rent_decline_threshold",
    "software_share", "diversification_share",
    "implied_pd12", "implied_pd24", "implied_pd60", "weighted_lgd", "el_to_benchmark",
})
"""Columns holding probabilities or decimal shares (0.05 = 5%)."""


def column_kind(table: str, column: str) -> ColumnKind:
    """Display kind of ``column`` in result table ``table`` (text for unknown columns)."""
    spec = {c: (d, desc) for c, d, desc in TABLES.get(table, [])}
    if column not in spec:
        return "text"
    dtype, desc = spec[column]
    if dtype in ("string", "bool"):
        return "text"
    if dtype == "int64":
        return "int"
    if "USD" in desc:
        return "usd"
    if column in PERCENT_COLUMNS:
        return "pct"
    return "num"
