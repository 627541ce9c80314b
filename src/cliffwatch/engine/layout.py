"""Column layout of the packed arrays the kernel reads.

``run.pack`` copies the facility, asset and parameter fields of ``PortfolioArrays`` and
``EngineParams`` into a few contiguous 2-D arrays (one row per facility / asset), so the hot
loop reads one cache line per row instead of thirty scattered arrays. Names below are column
indices; they are compile-time constants for numba.
"""

from __future__ import annotations

# ---- facility floats (nf, N_FF) ----
FF_COMMIT, FF_DRAWN, FF_COUPON, FF_SPREAD, FF_FLOOR, FF_CAP, FF_UNDRAWN_FEE = range(7)
FF_STEP_UP, FF_SWEEP, FF_MIN_DSCR, FF_MAX_LTV, FF_TRAP_DSCR = range(7, 12)
FF_REFI_DSCR, FF_REFI_LTV, FF_REFI_DY, FF_ACCESS, FF_EXT_FEE, FF_EXT_LTV = range(12, 18)
N_FF = 18

# ---- facility ints (nf, N_FI) ----
FI_BORROWER, FI_KIND, FI_RANK, FI_SECURED, FI_RATE_KIND, FI_AMORT, FI_TERM, FI_IO = range(8)
FI_START, FI_MAT, FI_ARD, FI_LEGAL, FI_FREQ, FI_DC, FI_COV, FI_REFI_AMORT = range(8, 16)
FI_EXT_MONTHS = 16
N_FI = 17

# ---- asset floats (na, N_AF) ----
AF_UNITS, AF_CSHARE, AF_CPRICE, AF_KW, AF_PUE, AF_OPEX_H, AF_CAPEX = range(7)
AF_LEASED_MW, AF_LEASE_RATE, AF_ESCALATOR, AF_OPEX_RATIO, AF_CAP_RATE, AF_RVG = range(7, 13)
N_AF = 13

# ---- asset ints (na, N_AI) ----
AI_KIND, AI_GEN, AI_IN_SERVICE, AI_CONTRACT_END, AI_COMPLETION, AI_LEASE_END = range(6)
AI_CPTY_KIND, AI_CPTY, AI_BACKSTOP_KIND, AI_BACKSTOP, AI_RVG_KIND, AI_RVG = range(6, 12)
# unified obligor index (counterparty c -> c, borrower b -> n_counterparties + b, none -> -1)
AI_CPTY_REF, AI_BACKSTOP_REF, AI_RVG_REF = range(12, 15)
N_AI = 15

# ---- scalar parameters (N_P,) ----
P_CONTAGION, P_HAIRCUT, P_DEPTH, P_MAX_IMPACT, P_DC_SALE, P_GPU_SALE = range(6)
P_RENEW_PROB, P_RENEW_RATIO, P_LEASE_RENEW, P_IDIO_VOL, P_RELET, P_REFI_WINDOW = range(6, 12)
N_P = 12

# ---- facility trace columns (T, nf, N_FT) ----
FT_BALANCE, FT_INTEREST, FT_PRINCIPAL, FT_DRAWS, FT_FEES, FT_SWEEP, FT_STEP_UP, FT_STATUS = range(8)
N_FT = 8
FT_NAMES = ("balance", "interest", "principal", "draws", "fees", "sweep",
            "accrued_step_up", "status")

# ---- borrower trace columns (T, nb, N_BT) ----
BT_CASH_OPEN, BT_REVENUE, BT_OPEX, BT_CAPEX, BT_RVG, BT_CFADS, BT_DRAWS = range(7)
BT_REVOLVER, BT_DEBT_SERVICE, BT_SWEEP, BT_PAYDOWN, BT_DEFAULT_CASH = range(7, 12)
BT_CASH_CLOSE, BT_DSCR, BT_LTV, BT_STATUS, BT_UTILIZATION = range(12, 17)
BT_DIST_IN, BT_DIST_OUT = range(17, 19)
N_BT = 19
BT_NAMES = ("cash_open", "revenue", "opex", "capex", "rvg", "cfads", "draws", "revolver_draw",
            "debt_service", "sweep", "refi_paydown", "default_cash", "cash_close", "dscr",
            "ltv", "status", "utilization", "distribution_in", "distribution_out")

# ---- facility status codes (trace) ----
ST_ACTIVE, ST_POST_ARD, ST_CLOSED, ST_DEFAULTED = range(4)

# ---- per-path facility state (kernel-internal): floats (nf, N_FS) and ints (nf, N_IS) ----
FS_BAL, FS_ACCR, FS_FEE, FS_STEP, FS_AVAIL, FS_SPREAD, FS_COUPON = range(7)
N_FS = 7
IS_MODE, IS_START, IS_MAT, IS_ARD, IS_LEGAL, IS_AMORT, IS_TERM, IS_IO, IS_RK = range(9)
IS_EXT, IS_TRAP = 9, 10
N_IS = 11
