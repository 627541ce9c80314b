"""The sensitivities table as a reader sees it: each change with its standard error and a mark
when it stands out from the Monte Carlo noise."""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

from cliffwatch.report.compare import SIGNIFICANCE_Z, SIGNIFICANT_MARK
from cliffwatch.report.format import MISSING, fmt_usd

SENSITIVITY_NOTE: Final = (
    "Change in EL and ES99 for each bump (SOFR and spread +100 bp, utilization −10 pp, GPU "
    "values and rents −10% unless the run chose other sizes), on the same paths as the "
    "unbumped run; ± one standard error; " + SIGNIFICANT_MARK + " marks a change larger than "
    f"{SIGNIFICANCE_Z} standard errors (the others are within noise)."
)


def _change(d: Any, se: Any) -> str:
    if pd.isna(d):
        return MISSING
    text = fmt_usd(d)
    signed = text if text.startswith("−") or text == "$0" else "+" + text
    mark = f" {SIGNIFICANT_MARK}" if pd.notna(se) and abs(d) > SIGNIFICANCE_Z * se else ""
    return f"{signed} ± {fmt_usd(se)}{mark}"


def sensitivity_display(t: pd.DataFrame) -> pd.DataFrame:
    """``scenario, lender, bump, Δ EL, Δ ES99`` as text (``+$12.1m ± $3.0m *``)."""
    rows = [[str(r.scenario), str(r.lender_id), str(r.bump), _change(r.d_el, r.d_el_se),
             _change(r.d_es99, r.d_es99_se)] for r in t.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["scenario", "lender", "bump", "Δ EL", "Δ ES99"])
