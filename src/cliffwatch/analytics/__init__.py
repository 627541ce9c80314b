"""Analytics layer: pure functions from engine outcomes to risk figures and result tables.

Modules, one concept each:

* :mod:`~cliffwatch.analytics.risk_measures` — VaR, ES, tail weights and their MC errors;
* :mod:`~cliffwatch.analytics.vasicek` — Vasicek / ASRF closed forms and Basel IRB K;
* :mod:`~cliffwatch.analytics.credit_metrics` — PD, EAD, LGD, EL, lender losses, Euler ES;
* :mod:`~cliffwatch.analytics.cliff` — maturity wall, refinancing gap, time to cliff;
* :mod:`~cliffwatch.analytics.contagion` — GLT vulnerability, Cont–Schaanning fire sales;
* :mod:`~cliffwatch.analytics.sensitivity` — paired finite differences of EL and ES;
* :mod:`~cliffwatch.analytics.reverse_stress` — threshold shocks by brentq or bisection;
* :mod:`~cliffwatch.analytics.tables` — the :data:`cliffwatch.results.TABLES` frames.
"""

from cliffwatch.analytics.risk_measures import (
    es_standard_error,
    expected_shortfall,
    value_at_risk,
    var_es,
    var_standard_error,
)
from cliffwatch.analytics.tables import build_tables, concat_summaries

__all__ = [
    "build_tables",
    "concat_summaries",
    "es_standard_error",
    "expected_shortfall",
    "value_at_risk",
    "var_es",
    "var_standard_error",
]
