"""Column layout of the packed arrays the kernel reads, declared once.

``run.pack`` copies the facility, asset, borrower and parameter fields of ``PortfolioArrays``
and ``EngineParams`` into a few contiguous 2-D arrays (one row per facility / asset /
borrower), so the hot loop reads one cache line per row instead of thirty scattered arrays.

Each table is an ``IntEnum`` whose members are its columns in packing order: the member's
value is the column index (numba reads ``FF.COMMIT`` as a compile-time integer constant), its
``source`` the ``PortfolioArrays`` (or ``EngineParams``) field it is packed from and its
``unit`` the unit of the values. The packing (``run.pack_table``), the column count
(``len(FF)``) and the kernel's indices all derive from these classes, so adding a facility term
means one line here, its field in the tape schema and the step that reads it.

Trace and per-path state columns use the same mechanism (``label`` instead of a source).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Column(IntEnum):
    """A packed input column: index = declaration order, ``source`` field, ``unit``.

    ``source`` names a ``PortfolioArrays`` field or method (called if it is one), an
    ``EngineParams`` field for ``P``, or a pair ``(kind field, index field)`` packed as the
    unified obligor index (``run.obligor_refs``).
    """

    source: str | tuple[str, str]
    unit: str

    def __new__(cls, source: str | tuple[str, str], unit: str) -> Column:
        value = len(cls.__members__)
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.source = source
        obj.unit = unit
        return obj


class Field(IntEnum):
    """An output or state column: index = declaration order, ``label`` (table column name),
    ``unit``."""

    label: str
    unit: str

    def __new__(cls, label: str, unit: str) -> Field:
        value = len(cls.__members__)
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.unit = unit
        return obj


class FF(Column):
    """Facility floats, (nf, len(FF)) float64."""

    COMMIT = "f_commitment", "USD"
    DRAWN = "f_drawn", "USD"
    COUPON = "f_coupon", "per year"
    SPREAD = "f_spread", "per year"
    FLOOR = "f_floor", "per year"
    CAP = "f_cap", "per year"
    UNDRAWN_FEE = "f_undrawn_fee", "per year"
    STEP_UP = "f_step_up", "per year"
    SWEEP = "f_sweep_share", "share"
    MIN_DSCR = "f_min_dscr", "ratio"
    MAX_LTV = "f_max_ltv", "ratio"
    TRAP_DSCR = "f_trap_dscr", "ratio"
    REFI_DSCR = "f_refi_min_dscr", "ratio"
    REFI_LTV = "f_refi_max_ltv", "ratio"
    REFI_DY = "f_refi_min_dy", "per year"
    ACCESS = "f_access_spread", "per year"
    EXT_FEE = "f_ext_fee", "share"
    EXT_LTV = "f_ext_max_ltv", "ratio"
    MAX_ARR_LEV = "f_max_arr_leverage", "ratio"
    MAX_LEV = "f_max_leverage", "ratio"
    PIK_SHARE = "f_pik_share", "share"
    PIK_MARGIN = "f_pik_margin", "per year"


class FI(Column):
    """Facility ints, (nf, len(FI)) int64."""

    BORROWER = "f_borrower", "index"
    KIND = "f_kind", "FacilityKind"
    RANK = "f_rank", "rank"
    SECURED = "f_secured", "bool"
    RATE_KIND = "f_rate_kind", "RateKind"
    AMORT = "f_amort", "Amortization"
    TERM = "f_amort_term_months", "months"
    IO = "f_io_months", "months"
    START = "f_start_month", "month"
    MAT = "f_maturity_month", "month"
    ARD = "f_ard_month", "month"
    LEGAL = "f_legal_final_month", "month"
    FREQ = "f_pay_freq", "months"
    DC = "f_day_count", "DayCount"
    COV = "f_cov_action", "CovenantAction"
    REFI_AMORT = "f_refi_amort_months", "months"
    EXT_MONTHS = "f_ext_months", "months"
    COV_CONVERT = "f_cov_convert_month", "month"


class AF(Column):
    """Asset floats, (na, len(AF)) float64."""

    UNITS = "a_units", "GPUs"
    CSHARE = "a_contracted_share", "share"
    CPRICE = "a_contract_price", "USD per GPU-hour"
    KW = "a_power_kw", "kW per GPU"
    PUE = "a_pue", "ratio"
    OPEX_H = "a_opex_per_gpu_hour", "USD per GPU-hour"
    CAPEX = "a_capex_remaining", "USD"
    LEASED_MW = "a_leased_mw", "MW"
    LEASE_RATE = "a_lease_rate", "USD per kW-month"
    ESCALATOR = "a_escalator", "per year"
    OPEX_RATIO = "a_opex_ratio", "share"
    CAP_RATE = "a_cap_rate", "per year"
    RVG = "a_rvg_amount", "USD"
    ARR = "a_arr", "USD per year"
    ARR_GROWTH = "a_arr_growth", "per year"
    GROSS_MARGIN = "a_gross_margin", "share"
    EBITDA_MARGIN = "a_ebitda_margin", "share"
    VULN = "a_vulnerability", "share"
    EV_ARR = "a_ev_to_arr", "ratio"


class AI(Column):
    """Asset ints, (na, len(AI)) int64. The ``*_REF`` columns are unified obligor indices
    (counterparty ``c`` -> ``c``, borrower ``b`` -> ``n_counterparties + b``, none -> -1)."""

    KIND = "a_kind", "AssetKind"
    GEN = "a_gpu_gen", "index"
    IN_SERVICE = "a_in_service_month", "month"
    CONTRACT_END = "a_contract_end_month", "month"
    COMPLETION = "a_completion_month", "month"
    LEASE_END = "a_lease_end_month", "month"
    CPTY_REF = ("a_cpty_kind", "a_cpty"), "obligor index"
    BACKSTOP_REF = ("a_backstop_kind", "a_backstop"), "obligor index"
    RVG_REF = ("a_rvg_kind", "a_rvg"), "obligor index"


class BF(Column):
    """Borrower floats, (nb, len(BF)) float64."""

    CASH = "b_cash", "USD"


class BI(Column):
    """Borrower ints, (nb, len(BI)) int64."""

    RATING = "b_rating", "Rating"
    PARENT = "b_parent", "index"
    SOFTWARE = "software_borrowers", "bool"


class P(Column):
    """Scalar ``EngineParams`` fields, (len(P),) float64 (a bool is 1.0 / 0.0)."""

    CONTAGION = "contagion", "bool"
    HAIRCUT = "gpu_fire_sale_haircut", "share"
    DEPTH = "gpu_market_depth_units", "GPUs"
    MAX_IMPACT = "max_impact_per_month", "share"
    DC_SALE = "dc_sale_cost", "share"
    GPU_SALE = "gpu_sale_cost", "share"
    RENEW_PROB = "contract_renewal_prob", "probability"
    RENEW_RATIO = "renewal_rent_ratio", "ratio"
    LEASE_RENEW = "lease_renewal_prob", "probability"
    IDIO_VOL = "idio_util_vol", "logit"
    RELET = "dc_relet_rent_ratio", "ratio"
    REFI_WINDOW = "refi_window_months", "months"
    CHURN = "software_churn_sensitivity", "log-ARR per budget-year"
    SW_SALE = "software_sale_ratio", "share"


PACKED: dict[type[Column], type[np.generic]] = {
    FF: np.float64, FI: np.int64, AF: np.float64, AI: np.int64, BF: np.float64, BI: np.int64,
}
"""dtype of each packed row table (``P`` is a float64 vector)."""


class FT(Field):
    """Facility trace columns, (T, nf, len(FT))."""

    BALANCE = "balance", "USD"
    INTEREST = "interest", "USD"
    PRINCIPAL = "principal", "USD"
    DRAWS = "draws", "USD"
    FEES = "fees", "USD"
    SWEEP = "sweep", "USD"
    STEP_UP = "accrued_step_up", "USD"
    STATUS = "status", "status code"
    PIK = "pik", "USD"


class BT(Field):
    """Borrower trace columns, (T, nb, len(BT)); the kernel also keeps the current
    borrower-month's figures in one such row."""

    CASH_OPEN = "cash_open", "USD"
    REVENUE = "revenue", "USD"
    OPEX = "opex", "USD"
    CAPEX = "capex", "USD"
    RVG = "rvg", "USD"
    CFADS = "cfads", "USD"
    DRAWS = "draws", "USD"
    REVOLVER = "revolver_draw", "USD"
    DEBT_SERVICE = "debt_service", "USD"
    SWEEP = "sweep", "USD"
    PAYDOWN = "refi_paydown", "USD"
    DEFAULT_CASH = "default_cash", "USD"
    CASH_CLOSE = "cash_close", "USD"
    DSCR = "dscr", "ratio"
    LTV = "ltv", "ratio"
    STATUS = "status", "1 defaulted"
    UTILIZATION = "utilization", "share"
    DIST_IN = "distribution_in", "USD"
    DIST_OUT = "distribution_out", "USD"
    ARR = "arr", "USD per year"
    EBITDA = "ebitda", "USD"


FT_NAMES: tuple[str, ...] = tuple(c.label for c in FT)
BT_NAMES: tuple[str, ...] = tuple(c.label for c in BT)

# ---- facility status codes (trace) ----
ST_ACTIVE, ST_POST_ARD, ST_CLOSED, ST_DEFAULTED = range(4)


class FS(Field):
    """Per-path facility state, floats (nf, len(FS)) (kernel-internal)."""

    BAL = "balance", "USD"
    ACCR = "accrued interest", "USD"
    FEE = "accrued undrawn fee", "USD"
    STEP = "accrued step-up", "USD"
    AVAIL = "undrawn commitment", "USD"
    SPREAD = "spread", "per year"
    COUPON = "coupon", "per year"
    PIK = "capitalised PIK interest", "USD"


class IS(Field):
    """Per-path facility state, ints (nf, len(IS)) (kernel-internal)."""

    MODE = "status", "status code"
    START = "start", "month"
    MAT = "maturity", "month"
    ARD = "ARD", "month"
    LEGAL = "legal final", "month"
    AMORT = "amortisation", "Amortization"
    TERM = "amortisation term", "months"
    IO = "interest-only months", "months"
    RK = "rate kind", "RateKind"
    EXT = "extended", "bool"
    TRAP = "cash trap", "bool"


# column counts as plain ints (numba reads these as constants; it has no len() of an enum)
N_FS: int = len(FS)
N_IS: int = len(IS)
N_BT: int = len(BT)
