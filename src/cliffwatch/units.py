"""Calendar and unit constants, declared once for the whole package.

Every module that needs months per year, hours per month or the horizon bounds imports them
from here; no module keeps a literal copy. Numba reads module-level floats and ints as
compile-time constants, so the kernel can import them too.
"""

from __future__ import annotations

MONTHS_PER_YEAR: float = 12.0
"""Months in a year (the grid's step is one calendar month)."""
HOURS_PER_YEAR: float = 8_760.0
"""Hours in a 365-day year."""
HOURS_PER_MONTH: float = HOURS_PER_YEAR / MONTHS_PER_YEAR
"""Average hours in a month, 730 (8,760 / 12): GPU rents and power are quoted per hour."""
BP: float = 1e-4
"""One basis point as a decimal rate."""

HORIZON_DEFAULT_MONTHS: int = 60
"""Months simulated when the user names no horizon (five years: the tenor of most AI loans)."""
HORIZON_MIN_MONTHS: int = 1
"""Shortest horizon accepted, months."""
HORIZON_MAX_MONTHS: int = 360
"""Longest horizon accepted, months (30 years: the longest data-centre lease on a tape)."""
