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
    "exposure_infra": "exposure, infra", "exposure_software": "exposure, software",
    "software_share": "software share", "ead_infra": "EAD, infra",
    "ead_software": "EAD, software", "el_infra": "EL, infra", "el_software": "EL, software",
    "el_joint": "EL, both", "el_joint_se": "EL, both s.e.", "var99_infra": "VaR 99%, infra",
    "var99_software": "VaR 99%, software", "var99_joint": "VaR 99%, both",
    "es99_infra": "ES 99%, infra", "es99_software": "ES 99%, software",
    "es99_joint": "ES 99%, both", "es99_infra_se": "ES 99%, infra s.e.",
    "es99_software_se": "ES 99%, software s.e.", "es99_joint_se": "ES 99%, both s.e.",
    "diversification": "diversification", "diversification_se": "diversification s.e.",
    "diversification_share": "diversification share", "loss_correlation": "loss correlation",
    "two_sided": "two-sided",
    "name": "parameter", "value": "value", "source": "source",
}
"""Schema column -> table heading."""
