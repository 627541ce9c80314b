"""Default terms and sanity bounds of the loan tape.

Every value a tape may omit, and every bound a validated value must respect, lives here with
its unit and its source. Sources refer to sections of ``DOMAIN.md`` / ``METHODS.md``.
"""

from __future__ import annotations

from typing import Final

# ---- defaults for omitted terms ----

DEFAULT_POWER_KW_PER_GPU: Final[float] = 1.25
"""kW of IT load per GPU incl. server overhead: ~10 kW per 8-GPU node (DOMAIN §2.4)."""

DEFAULT_PUE: Final[float] = 1.15
"""Power usage effectiveness of a new liquid-cooled AI hall (SemiAnalysis model, DOMAIN §2.4)."""

DEFAULT_REFI_AMORT_MONTHS: Final[int] = 360
"""Amortization of a refinancing loan, months: 30-year CMBS/project practice (METHODS §6)."""

DEFAULT_REFI_MIN_DSCR: Final[float] = 1.25
"""Minimum DSCR of a refinancing loan, x: Trepp's refinance flag (METHODS §6)."""

DEFAULT_REFI_MAX_LTV: Final[float] = 0.65
"""Maximum LTV of a refinancing loan, decimal: METHODS §6 oracle base case (range 60-75%)."""

DEFAULT_REFI_MIN_DEBT_YIELD: Final[float] = 0.10
"""Minimum debt yield (NOI / loan) of a refinancing loan, decimal (METHODS §6: 8-10%)."""

DEFAULT_ABS_SWEEP_SHARE: Final[float] = 1.0
"""Share of excess cash an ABS sweeps after its ARD: full turbo (DOMAIN §6.4)."""

DEFAULT_CURRENCY: Final[str] = "USD"
"""The only currency the engine models (DESIGN: money in USD)."""

# ---- sanity bounds (a value outside is a typo, not a deal) ----

MAX_COUPON_PCT: Final[float] = 30.0
"""Highest fixed coupon accepted, percent per year (distressed HY rarely exceeds 20%)."""

MAX_SPREAD_BP: Final[float] = 3000.0
"""Highest spread over SOFR accepted, bp (CCC spreads peaked near 2,000 bp in 2008)."""

MAX_BASE_RATE_PCT: Final[float] = 20.0
"""Highest SOFR floor or cap accepted, percent per year."""

MAX_FEE_BP: Final[float] = 1000.0
"""Highest undrawn, step-up or extension fee accepted, bp."""

MAX_DSCR: Final[float] = 10.0
"""Highest DSCR covenant or refinancing test accepted, x."""

MAX_LTV: Final[float] = 2.0
"""Highest LTV covenant or refinancing test accepted, decimal."""

MAX_PUE: Final[float] = 3.0
"""Highest PUE accepted (legacy enterprise rooms sit near 2.0-2.5)."""

MAX_POWER_KW_PER_GPU: Final[float] = 20.0
"""Highest IT load per GPU accepted, kW (a full GB200 NVL72 rack is ~1.7 kW per GPU)."""

MAX_ASSET_RATE_PCT: Final[float] = 50.0
"""Highest escalator or cap rate accepted, percent per year."""

MAX_TERM_MONTHS: Final[int] = 1200
"""Longest amortization, extension or refinancing term accepted, months (100 years)."""

MAX_USD: Final[float] = 1e13
"""Largest amount in USD accepted in any ``_usd`` column (ten trillion: above the whole AI
buildout's debt; keeps every sum of the engine far from float overflow)."""

MAX_GPU_UNITS: Final[float] = 1e8
"""Most GPUs in one asset row (a hundred million: above the world's installed base)."""

MAX_USD_PER_GPU: Final[float] = 1e7
"""Highest purchase cost per GPU accepted, USD (an all-in GB200 share is ~60,000)."""

MAX_USD_PER_GPU_HOUR: Final[float] = 1e4
"""Highest price or cost per GPU-hour accepted, USD (H100 rents ~2)."""

MAX_MW: Final[float] = 1e5
"""Largest data-center capacity accepted, MW (100 GW: above any single campus)."""

MAX_USD_PER_KW_MONTH: Final[float] = 1e5
"""Highest data-center rent accepted, USD per kW-month (wholesale rents ~150)."""

MAX_RANK: Final[int] = 1000
"""Highest seniority rank accepted (1 = most senior)."""

SHARE_SUM_TOLERANCE: Final[float] = 1e-9
"""Slack allowed when holdings of one facility sum to 1 (float rounding of shares)."""

MAX_TAPE_BYTES: Final[int] = 100 * 1024 * 1024
"""Largest tape read, bytes; larger files are refused before reading."""

# ---- software borrowers (issue 11; DOMAIN section 9) ----

MIN_ARR_GROWTH_PCT: Final[float] = -100.0
"""Lowest ARR growth accepted, percent per year (exclusive: -100% leaves no ARR)."""

MAX_ARR_GROWTH_PCT: Final[float] = 300.0
"""Highest ARR growth accepted, percent per year (hypergrowth SaaS rarely exceeds 200%)."""

MIN_EBITDA_MARGIN_PCT: Final[float] = -200.0
"""Lowest EBITDA margin accepted, percent of revenue (cash-burning early-stage software)."""

MAX_NRR_PCT: Final[float] = 300.0
"""Highest net revenue retention accepted, percent (best-in-class usage software ~150%)."""

MAX_EV_TO_ARR: Final[float] = 100.0
"""Highest EV/ARR multiple accepted, x (2021 peak SaaS multiples stayed well below 100x)."""

MAX_LEVERAGE_MULTIPLE: Final[float] = 50.0
"""Highest ARR or EBITDA leverage covenant accepted, x (recurring-revenue loans: 1.5-3x ARR;
EBITDA covenants 6-8x; DOMAIN section 9)."""
