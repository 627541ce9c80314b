"""Analytics layer: pure functions from engine outcomes to risk figures and result tables.

Modules, one concept each:

* :mod:`~cliffwatch.analytics.risk_measures` — VaR, ES, tail weights and their MC errors;
* :mod:`~cliffwatch.analytics.credit_metrics` — PD, EAD, LGD, EL, lender losses, Euler ES;
* :mod:`~cliffwatch.analytics.cliff` — maturity wall, refinancing gap, time to cliff;
* :mod:`~cliffwatch.analytics.contagion` — contagion measured by paired engine runs;
* :mod:`~cliffwatch.analytics.sensitivity` — paired finite differences of EL and ES;
* :mod:`~cliffwatch.analytics.reverse_stress` — threshold shocks by brentq or bisection;
* :mod:`~cliffwatch.analytics.tables` — the :data:`cliffwatch.results.TABLES` frames.

The closed forms the results are checked against (Vasicek / ASRF and Basel IRB K, GLT
vulnerability, the Cont–Schaanning fire-sale fixed point) are test oracles in
``tests/oracles/``: the product ships what it runs.
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
