"""Engine conventions that are not scenario assumptions (those live in ``EngineParams``)."""

from __future__ import annotations

BALANCE_EPS: float = 1e-6
"""Balance below which a facility counts as repaid, USD (rounding dust of level payments)."""
COVENANT_TEST_MONTHS: int = 3
"""Covenants are tested every 3 months (quarter ends of the grid: months 2, 5, 8, ...) on the
trailing 3-month sums of CFADS and debt service."""
DEFAULT_REFI_TENOR_MONTHS: int = 60
"""Tenor of a refinancing loan when the original facility's tenor is unknown (start at or
after maturity on the tape), months [estimate: the 5-year term of most of DOMAIN 1's loans]."""
UTIL_CLIP: float = 1e-9
"""Common utilization is clipped to [UTIL_CLIP, 1 − UTIL_CLIP] before the logit."""
DIST_RESERVE_MONTHS: int = 3
"""An SPV keeps, before it distributes cash to its parent, the debt service of its next 3
months (and any balloon inside them) plus the capex it still has to spend [estimate: a 3-month
debt-service reserve is the usual distribution test of project and GPU-SPV financings,
DOMAIN 1.1 / 1.8]."""
GOLDEN_FRACTION: float = 0.6180339887498949
"""Fractional part of the golden ratio φ; month k before a maturity draws its market-access
uniform as ``frac(refi_u + k·φ)``, a low-discrepancy rotation that keeps every draw uniform
and deterministic without a hash (Weyl sequence)."""
