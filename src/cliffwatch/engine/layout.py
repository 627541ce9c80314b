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
FF_MAX_ARR_LEV, FF_MAX_LEV, FF_PIK_SHARE, FF_PIK_MARGIN = range(18, 22)
N_FF = 22

# ---- facility ints (nf, N_FI) ----
FI_BORROWER, FI_KIND, FI_RANK, FI_SECURED, FI_RATE_KIND, FI_AMORT, FI_TERM, FI_IO = range(8)
FI_START, FI_MAT, FI_ARD, FI_LEGAL, FI_FREQ, FI_DC, FI_COV, FI_REFI_AMORT = range(8, 16)
FI_EXT_MONTHS, FI_COV_CONVERT = 16, 17
N_FI = 18

# ---- asset floats (na, N_AF) ----
AF_UNITS, AF_CSHARE, AF_CPRICE, AF_KW, AF_PUE, AF_OPEX_H, AF_CAPEX = range(7)
AF_LEASED_MW, AF_LEASE_RATE, AF_ESCALATOR, AF_OPEX_RATIO, AF_CAP_RATE, AF_RVG = range(7, 13)
AF_ARR, AF_ARR_GROWTH, AF_GROSS_MARGIN, AF_EBITDA_MARGIN, AF_VULN, AF_EV_ARR = range(13, 19)
N_AF = 19

# ---- asset ints (na, N_AI) ----
AI_KIND, AI_GEN, AI_IN_SERVICE, AI_CONTRACT_END, AI_COMPLETION, AI_LEASE_END = range(6)
AI_CPTY_KIND, AI_CPTY, AI_BACKSTOP_KIND, AI_BACKSTOP, AI_RVG_KIND, AI_RVG = range(6, 12)
# unified obligor index (counterparty c -> c, borrower b -> n_counterparties + b, none -> -1)
AI_CPTY_REF, AI_BACKSTOP_REF, AI_RVG_REF = range(12, 15)
N_AI = 15

# ---- scalar parameters (N_P,) ----
P_CONTAGION, P_HAIRCUT, P_DEPTH, P_MAX_IMPACT, P_DC_SALE, P_GPU_SALE = range(6)
P_RENEW_PROB, P_RENEW_RATIO, P_LEASE_RENEW, P_IDIO_VOL, P_RELET, P_REFI_WINDOW = range(6, 12)
P_CHURN, P_SW_SALE = range(12, 14)
N_P = 14

# ---- facility trace columns (T, nf, N_FT) ----
FT_BALANCE, FT_INTEREST, FT_PRINCIPAL, FT_DRAWS, FT_FEES, FT_SWEEP, FT_STEP_UP, FT_STATUS = range(8)
FT_PIK = 8
N_FT = 9
FT_NAMES = ("balance", "interest", "principal", "draws", "fees", "sweep",
            "accrued_step_up", "status", "pik")

# ---- borrower trace columns (T, nb, N_BT) ----
BT_CASH_OPEN, BT_REVENUE, BT_OPEX, BT_CAPEX, BT_RVG, BT_CFADS, BT_DRAWS = range(7)
BT_REVOLVER, BT_DEBT_SERVICE, BT_SWEEP, BT_PAYDOWN, BT_DEFAULT_CASH = range(7, 12)
BT_CASH_CLOSE, BT_DSCR, BT_LTV, BT_STATUS, BT_UTILIZATION = range(12, 17)
BT_DIST_IN, BT_DIST_OUT, BT_ARR, BT_EBITDA = range(17, 21)
N_BT = 21
BT_NAMES = ("cash_open", "revenue", "opex", "capex", "rvg", "cfads", "draws", "revolver_draw",
            "debt_service", "sweep", "refi_paydown", "default_cash", "cash_close", "dscr",
            "ltv", "status", "utilization", "distribution_in", "distribution_out", "arr",
            "ebitda")

# ---- facility status codes (trace) ----
ST_ACTIVE, ST_POST_ARD, ST_CLOSED, ST_DEFAULTED = range(4)

# ---- per-path facility state (kernel-internal): floats (nf, N_FS) and ints (nf, N_IS) ----
FS_BAL, FS_ACCR, FS_FEE, FS_STEP, FS_AVAIL, FS_SPREAD, FS_COUPON, FS_PIK = range(8)
N_FS = 8
IS_MODE, IS_START, IS_MAT, IS_ARD, IS_LEGAL, IS_AMORT, IS_TERM, IS_IO, IS_RK = range(9)
IS_EXT, IS_TRAP = 9, 10
N_IS = 11
