"""Column headings of the report's tables, in a credit committee's words.

Columns not listed here are shown by their schema name.
"""

from __future__ import annotations

COLUMN_LABELS: dict[str, str] = {
    "scenario": "scenario", "lender_id": "lender", "lender_name": "lender name",
    "borrower_id": "borrower", "borrower_name": "borrower name", "facility_id": "facility",
    "exposure": "exposure", "el": "EL", "el_se": "EL s.e.", "var95": "VaR 95%",
    "var99": "VaR 99%", "var999": "VaR 99.9%", "es95": "ES 95%", "es99": "ES 99%",
    "es999": "ES 99.9%", "var99_se": "VaR 99% s.e.", "es99_se": "ES 99% s.e.",
    "pd": "PD (horizon)", "pd_payment": "PD payment", "pd_covenant": "PD covenant",
    "pd_maturity": "PD maturity", "median_default_month": "median default month",
    "p_cliff_12_24": "P(cliff in 12–24m)", "es99_contribution": "ES99 contribution",
    "el_off": "EL, contagion off", "el_on": "EL, contagion on",
    "es99_off": "ES99, contagion off", "es99_on": "ES99, contagion on",
    "extra_defaults": "extra defaults", "bump": "bump", "d_el": "ΔEL", "d_el_se": "ΔEL s.e.",
    "d_es99": "ΔES99", "d_es99_se": "ΔES99 s.e.",
    "utilization_threshold": "utilization threshold",
    "rent_decline_threshold": "rent decline threshold",
    "name": "parameter", "value": "value", "source": "source",
}
"""Schema column -> table heading."""
