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
