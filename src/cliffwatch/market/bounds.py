"""Ranges of scenario values: every number finite, every engine override in a sane range.

A scenario number outside these ranges is a typo or a test of the machinery, not a stress: a
``vol_scale`` of a million or a log-jump of 1,000 overflows the factor paths to infinity, and a
renewal probability of 2 or a haircut of 200% has no meaning. The bounds are generous: the
bundled library uses ``vol_scale`` <= 1, jumps <= 1.3, shifts <= 1.5 and PD multipliers <= 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cliffwatch.shown import shown

VOL_SCALE_MAX: float = 10.0
"""Largest noise scale of a factor (x the calibrated volatility)."""
JUMP_SIZE_MAX: float = 10.0
"""Largest jump size in absolute value: log-size for multiplicative factors (x e^10, about
22,000), level units for the additive ones (``sofr``, ``tech_earnings``, ``ai_capex``...)."""
LEVEL_MAX: float = 1000.0
"""Largest absolute point, shift, window value, floor or cap, in the factor's units."""
HALF_LIFE_MAX_MONTHS: float = 1200.0
"""Longest jump half-life, months (100 years: permanent for any horizon; omit it instead)."""
PD_MULTIPLIER_MAX: float = 1000.0
"""Largest counterparty PD multiplier (the annual PD is capped below 1 anyway)."""
RATING_SPREAD_MULTIPLIER_MAX: float = 100.0
"""Largest new-issue spread multiple of the HY index for one rating."""

ENGINE_RANGES: dict[str, tuple[float, float]] = {
    "gpu_fire_sale_haircut": (0.0, 1.0),
    "gpu_market_depth_units": (1.0, 1e12),
    "max_impact_per_month": (0.0, 1.0),
    "dc_sale_cost": (0.0, 1.0),
    "gpu_sale_cost": (0.0, 1.0),
    "contract_renewal_prob": (0.0, 1.0),
    "renewal_rent_ratio": (0.0, 10.0),
    "lease_renewal_prob": (0.0, 1.0),
    "idio_util_vol": (0.0, 10.0),
    "dc_relet_rent_ratio": (0.0, 10.0),
    "refi_window_months": (0.0, 360.0),
    "software_churn_sensitivity": (0.0, 100.0),
    "software_sale_ratio": (0.0, 10.0),
    "rating_spread_multiplier": (0.0, RATING_SPREAD_MULTIPLIER_MAX),
}
"""Closed range of each numeric :class:`~cliffwatch.engine.params.EngineParams` override
(probabilities, haircuts and costs in [0, 1]; volatilities and ratios non-negative)."""


def engine_problems(engine: Mapping[str, Any]) -> list[str]:
    """One ``engine.FIELD: got V; expected ...`` line per override that is not finite or out
    of its range (a list override is checked element by element)."""
    problems = []
    for key, value in engine.items():
        if key not in ENGINE_RANGES or isinstance(value, bool):
            continue
        lo, hi = ENGINE_RANGES[key]
        values = value if isinstance(value, list) else [value]
        try:
            arr = np.asarray(values, dtype=float)
        except OverflowError:  # an integer no float can hold
            arr = np.array([np.inf])
        except (TypeError, ValueError):
            continue  # a wrong type is reported by the type check
        if not (np.isfinite(arr).all() and (arr >= lo).all() and (arr <= hi).all()):
            problems.append(f"engine.{key}: got {shown(value)}; expected a finite number "
                            f"from {lo:g} to {hi:g}")
    return problems
