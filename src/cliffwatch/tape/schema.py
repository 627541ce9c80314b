"""The loan tape's domain schema: one pydantic model per table, and the Portfolio holding them.

A tape is a set of tables (``tape``, ``borrowers``, ``counterparties``, ``assets``, ``facilities``,
``draws``, ``amortization_schedule``, ``lenders``, ``holdings``). Each model validates one row:
types, allowed values and ranges of single cells. Rules that involve several cells or tables
(drawn <= commitment, unknown borrower, holdings summing above 1 ...) live in
:mod:`cliffwatch.tape.rules`. Units follow :mod:`cliffwatch.tape.columns` (``_pct``, ``_bp``,
``_usd``, plain decimals).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PrivateAttr

from cliffwatch.codes import (
    Amortization,
    Archetype,
    AssetKind,
    CovenantAction,
    FacilityKind,
    LenderType,
)
from cliffwatch.tape import defaults as d
from cliffwatch.tape.columns import Date, Id, IdList, OptDate, OptId, choice, col
from cliffwatch.tape.vocab import (
    AMORTIZATION_HELP,
    DAY_COUNTS,
    PAY_FREQUENCY_MONTHS,
    RATING_HELP,
    fold_rating,
    parse_amortization,
)
from cliffwatch.tape.vulnerability import CRITICALITY_LEVELS, PRICING_MODELS

_ARCHETYPES = tuple(Archetype.__members__)
_LENDER_TYPES = tuple(LenderType.__members__)
_FACILITY_KINDS = tuple(FacilityKind.__members__)
_ASSET_KINDS = tuple(AssetKind.__members__)
_COVENANT_ACTIONS = tuple(a for a in CovenantAction.__members__ if a != "none")
_FREQUENCIES = tuple(PAY_FREQUENCY_MONTHS)
_DAY_COUNTS_SHOWN = ("30/360", "ACT/360", "ACT/365F")


def _rating(value: Any) -> Any:
    if value is None:
        return "NR"
    if isinstance(value, str):
        fold_rating(value)
        return value.strip()
    return value


def _amortization(value: str) -> str:
    """Canonical spelling of the amortization grammar (``Straight Line`` -> ``straight_line``)."""
    rule, io_months = parse_amortization(value)
    return f"io:{io_months}/annuity" if rule == Amortization.io_then_annuity else rule.name


def _currency(value: Any) -> Any:
    if value is None:
        return d.DEFAULT_CURRENCY
    if isinstance(value, str):
        if value.strip().upper() != d.DEFAULT_CURRENCY:
            raise ValueError("only USD tapes are supported: convert amounts to USD first")
        return d.DEFAULT_CURRENCY
    return value


def _day_count(value: Any) -> Any:
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "")
        if key not in DAY_COUNTS:
            raise ValueError(f"expected one of: {', '.join(_DAY_COUNTS_SHOWN)}")
        return _DAY_COUNTS_SHOWN[list(DAY_COUNTS).index(key)]
    return value


Archetype_ = Annotated[str, BeforeValidator(choice(_ARCHETYPES))]
RatingText = Annotated[str, BeforeValidator(_rating)]
Currency = Annotated[str, BeforeValidator(_currency)]


class Row(BaseModel):
    """Base of every table row: unknown columns are errors, text is trimmed, no NaN/inf."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, allow_inf_nan=False, validate_default=False
    )


class TapeInfo(Row):
    """The ``tape`` table: one row naming the valuation date and currency."""

    as_of: Date = col(doc="Valuation date; its month is month 0 of every run.", unit="date")
    currency: Currency = col(
        d.DEFAULT_CURRENCY, doc="Currency of every amount on the tape.", choices=("USD",)
    )
    name: str | None = col(None, doc="Free name of the book (shown in reports).")


class Borrower(Row):
    """An obligor or SPV that owes facilities and owns assets."""

    id: Id = col(doc="Unique borrower id.")
    name: str = col(doc="Borrower name.", min_length=1)
    archetype: Archetype_ = col(doc="Kind of obligor.", choices=_ARCHETYPES)
    rating: RatingText = col(
        "NR", doc=f"Credit rating: {RATING_HELP}; notches fold to the letter grade."
    )
    opening_cash_usd: float = col(doc="Unrestricted cash at the valuation date.", unit="USD", ge=0,
                                   le=d.MAX_USD)
    ticker: str | None = col(None, doc="Listed ticker, if any.")
    parent_id: OptId = col(None, doc="Borrower id of the parent or guarantor, if any.")


class Counterparty(Row):
    """A customer, tenant, guarantor or backstop provider that is not a borrower of the book."""

    id: Id = col(doc="Unique counterparty id (must differ from every borrower id).")
    name: str = col(doc="Counterparty name.", min_length=1)
    archetype: Archetype_ = col(doc="Kind of obligor.", choices=_ARCHETYPES)
    rating: RatingText = col("NR", doc=f"Credit rating: {RATING_HELP}.")
    ticker: str | None = col(None, doc="Listed ticker, if any.")


_GPU = "gpu_fleet"
_DC = "data_center"
_SW = "software_business"
_UNLESS_OVERRIDE = "required for software_business unless vulnerability is given"


class Asset(Row):
    """An income-producing asset owned by a borrower: a GPU fleet, a data center or a software
    business.

    One flat table for every kind; columns of another kind stay empty. ``counterparty_id``,
    ``tenant_id``, ``backstop_id`` and ``rvg_guarantor_id`` name a counterparty or a borrower.
    """

    id: Id = col(doc="Unique asset id.")
    borrower_id: Id = col(doc="Borrower that owns the asset.")
    kind: Annotated[str, BeforeValidator(choice(_ASSET_KINDS))] = col(
        doc="Asset kind.", choices=_ASSET_KINDS
    )
    # gpu_fleet
    gpu_generation: str | None = col(
        None, doc="GPU model/generation (H100, H200, B200, GB200 ...).", required_for=_GPU
    )
    units: float | None = col(None, doc="Number of GPUs.", unit="GPUs", gt=0,
                              le=d.MAX_GPU_UNITS, required_for=_GPU)
    unit_cost_usd: float | None = col(
        None, doc="Purchase cost per GPU (all-in server share).", unit="USD/GPU", gt=0,
        le=d.MAX_USD_PER_GPU,
        required_for=_GPU,
    )
    in_service_date: OptDate = col(
        None, doc="Date the fleet entered service (drives its age).", unit="date",
        required_for=_GPU,
    )
    contracted_share: float = col(
        0.0, doc="Share of units under a take-or-pay contract.", unit="decimal", ge=0, le=1
    )
    contract_price_usd_per_gpu_hour: float | None = col(
        None, doc="Contract price; required when contracted_share > 0.", unit="USD/GPU-hour",
        ge=0, le=d.MAX_USD_PER_GPU_HOUR,
    )
    contract_end_date: OptDate = col(None, doc="End of the GPU contract.", unit="date")
    counterparty_id: OptId = col(None, doc="Contract customer (counterparty or borrower id).")
    power_kw_per_gpu: float = col(
        d.DEFAULT_POWER_KW_PER_GPU, doc="IT load per GPU incl. server overhead.", unit="kW",
        gt=0, le=d.MAX_POWER_KW_PER_GPU,
    )
    pue: float = col(d.DEFAULT_PUE, doc="Power usage effectiveness.", unit="x", ge=1, le=d.MAX_PUE)
    opex_usd_per_gpu_hour: float | None = col(
        None, doc="Operating cost other than power.", unit="USD/GPU-hour", ge=0,
        le=d.MAX_USD_PER_GPU_HOUR,
        required_for=_GPU,
    )
    # data_center
    capacity_mw: float | None = col(
        None, doc="Critical IT capacity.", unit="MW", gt=0, le=d.MAX_MW, required_for=_DC
    )
    capex_remaining_usd: float = col(
        0.0, doc="Construction capex still to be spent at the valuation date.", unit="USD", ge=0,
        le=d.MAX_USD
    )
    completion_date: OptDate = col(
        None, doc="Completion (rent start); empty = already operating.", unit="date"
    )
    leased_mw: float = col(0.0, doc="Capacity under lease.", unit="MW", ge=0, le=d.MAX_MW)
    lease_rate_usd_per_kw_month: float | None = col(
        None, doc="Rent; required when leased_mw > 0.", unit="USD/kW-month", ge=0,
        le=d.MAX_USD_PER_KW_MONTH
    )
    escalator_pct: float = col(
        0.0, doc="Annual rent escalator.", unit="% per year", ge=0, le=d.MAX_ASSET_RATE_PCT
    )
    lease_end_date: OptDate = col(
        None, doc="End of the lease; required when leased_mw > 0.", unit="date"
    )
    tenant_id: OptId = col(None, doc="Tenant (counterparty or borrower id).")
    opex_ratio: float | None = col(
        None, doc="Operating cost as a share of rent.", unit="decimal", ge=0, le=1,
        required_for=_DC,
    )
    cap_rate_pct: float | None = col(
        None, doc="Capitalization rate for NOI / cap-rate valuation.", unit="% per year", gt=0,
        le=d.MAX_ASSET_RATE_PCT, required_for=_DC,
    )
    # software_business
    arr_usd: float | None = col(
        None, doc="Annual recurring revenue at the valuation date.", unit="USD per year", gt=0,
        le=d.MAX_USD,
        required_for=_SW,
    )
    arr_growth_pct: float = col(
        0.0, doc="Expected ARR growth in the base case (the plan).", unit="% per year",
        gt=d.MIN_ARR_GROWTH_PCT, le=d.MAX_ARR_GROWTH_PCT,
    )
    gross_margin_pct: float | None = col(
        None, doc="Gross margin: revenue less cost of revenue (variable with revenue).",
        unit="% of revenue", ge=0, le=100, required_for=_SW,
    )
    ebitda_margin_pct: float | None = col(
        None, doc="EBITDA margin at the valuation date; may be negative, at most "
        "gross_margin_pct.", unit="% of revenue", ge=d.MIN_EBITDA_MARGIN_PCT, le=100,
        required_for=_SW,
    )
    net_revenue_retention_pct: float | None = col(
        None, doc="Net revenue retention of the customer base; below 100 raises the "
        "vulnerability; empty = 100.", unit="%", ge=0, le=d.MAX_NRR_PCT,
    )
    pricing_model: Annotated[str, BeforeValidator(choice(PRICING_MODELS))] | None = col(
        None, doc=f"How the software is priced; {_UNLESS_OVERRIDE}.", choices=PRICING_MODELS,
    )
    workflow_criticality: Annotated[str, BeforeValidator(choice(CRITICALITY_LEVELS))] | None = (
        col(None, doc="How embedded the software is (high = ERP, billing, finance workflows "
            f"with high switching cost); {_UNLESS_OVERRIDE}.", choices=CRITICALITY_LEVELS)
    )
    top_customer_share: float | None = col(
        None, doc="Revenue share of the largest customer; empty = 0.", unit="decimal", ge=0,
        le=1,
    )
    ev_to_arr: float | None = col(
        None, doc="Enterprise value / ARR multiple at the valuation date.", unit="x", gt=0,
        le=d.MAX_EV_TO_ARR, required_for=_SW,
    )
    vulnerability: float | None = col(
        None, doc="Exposure to software-budget reallocation; empty = the documented formula "
        "of pricing_model, workflow_criticality, top_customer_share and NRR.", unit="decimal",
        ge=0, le=1,
    )
    # credit support (any kind)
    backstop_id: OptId = col(None, doc="Rent backstop provider (counterparty or borrower id).")
    rvg_guarantor_id: OptId = col(
        None, doc="Residual-value guarantor (counterparty or borrower id)."
    )
    rvg_amount_usd: float = col(
        0.0, doc="Residual value guaranteed at contract/lease end.", unit="USD", ge=0, le=d.MAX_USD
    )


class Facility(Row):
    """A debt facility owed by a borrower.

    Exactly one of ``coupon_pct`` (fixed) and ``spread_bp`` (floating over SOFR) is given.
    Omitted terms take the defaults listed per column.
    """

    id: Id = col(doc="Unique facility id.")
    borrower_id: Id = col(doc="Borrower that owes the facility.")
    kind: Annotated[str, BeforeValidator(choice(_FACILITY_KINDS))] = col(
        doc="Facility kind.", choices=_FACILITY_KINDS
    )
    structure: str | None = col(
        None, doc="Free reporting label (hy_bond, convertible, cmbs, mini_perm ...; software "
        "term loans: unitranche, first_lien, second_lien, recurring_revenue); default: the kind."
    )
    rank: int = col(1, doc="Seniority rank within the borrower, 1 = most senior.", ge=1,
                    le=d.MAX_RANK)
    secured: bool | None = col(None, doc="Secured on collateral; default: collateral given.")
    collateral: IdList = col(
        [], doc="Asset ids securing the facility, ';'-separated in a cell.", unit="asset ids"
    )
    commitment_usd: float = col(doc="Committed amount.", unit="USD", ge=0, le=d.MAX_USD)
    drawn_usd: float | None = col(
        None, doc="Drawn balance at the valuation date; default: the commitment, or 0 for "
        "ddtl, construction_loan and revolver.", unit="USD", ge=0, le=d.MAX_USD,
    )
    coupon_pct: float | None = col(
        None, doc="Fixed coupon (fixed-rate facilities).", unit="% per year", ge=0,
        le=d.MAX_COUPON_PCT,
    )
    spread_bp: float | None = col(
        None, doc="Margin over SOFR (floating-rate facilities).", unit="bp per year", ge=0,
        le=d.MAX_SPREAD_BP,
    )
    sofr_floor_pct: float = col(
        0.0, doc="SOFR floor.", unit="% per year", ge=0, le=d.MAX_BASE_RATE_PCT
    )
    sofr_cap_pct: float | None = col(
        None, doc="SOFR cap; empty = none.", unit="% per year", ge=0, le=d.MAX_BASE_RATE_PCT
    )
    undrawn_fee_bp: float = col(
        0.0, doc="Commitment fee on the undrawn amount.", unit="bp per year", ge=0,
        le=d.MAX_FEE_BP,
    )
    amortization: Annotated[str, AfterValidator(_amortization)] = col(
        "bullet", doc=f"Principal rule: {AMORTIZATION_HELP}; custom reads amortization_schedule."
    )
    amort_term_months: int | None = col(
        None, doc="Term the annuity/straight-line schedule runs over; default: start to "
        "maturity (a longer term leaves a balloon).", unit="months", gt=0, le=d.MAX_TERM_MONTHS,
    )
    start_date: OptDate = col(
        None, doc="Start (first accrual); default: the valuation date.", unit="date"
    )
    maturity_date: Date = col(doc="Contractual maturity (final repayment).", unit="date")
    availability_end_date: OptDate = col(
        None, doc="End of the draw window (ddtl, construction_loan, revolver); default: "
        "maturity.", unit="date",
    )
    ard_date: OptDate = col(None, doc="Anticipated repayment date (ABS).", unit="date")
    legal_final_date: OptDate = col(
        None, doc="Legal final maturity (ABS); default: the maturity.", unit="date"
    )
    step_up_bp: float = col(
        0.0, doc="Coupon step-up after the ARD.", unit="bp per year", ge=0, le=d.MAX_FEE_BP
    )
    sweep_share: float | None = col(
        None, doc="Share of excess cash swept after the ARD or in a cash trap; default 1 for "
        "abs, else 0.", unit="decimal", ge=0, le=1,
    )
    pay_frequency: Annotated[str, BeforeValidator(choice(_FREQUENCIES))] | None = col(
        None, doc="Payment frequency; default semiannual for bonds, monthly otherwise.",
        choices=_FREQUENCIES,
    )
    day_count: Annotated[str, BeforeValidator(_day_count)] | None = col(
        None, doc="Day count; default ACT/360 floating, 30/360 fixed.", choices=_DAY_COUNTS_SHOWN
    )
    eom: bool = col(False, doc="End-of-month roll convention.")
    min_dscr: float | None = col(
        None, doc="Covenant: minimum DSCR; empty = none.", unit="x", gt=0, le=d.MAX_DSCR
    )
    max_ltv: float | None = col(
        None, doc="Covenant: maximum LTV; empty = none.", unit="decimal", gt=0, le=d.MAX_LTV
    )
    max_arr_leverage: float | None = col(
        None, doc="Covenant of a recurring-revenue loan: maximum debt / ARR until "
        "covenant_conversion_date (borrowers owning a software_business); empty = none.",
        unit="x", gt=0, le=d.MAX_LEVERAGE_MULTIPLE,
    )
    max_leverage: float | None = col(
        None, doc="Covenant: maximum debt / annualised trailing EBITDA (software borrowers; "
        "tested from covenant_conversion_date when an ARR covenant is set); empty = none.",
        unit="x", gt=0, le=d.MAX_LEVERAGE_MULTIPLE,
    )
    covenant_conversion_date: OptDate = col(
        None, doc="Date the ARR covenant converts to the EBITDA covenant; needs "
        "max_arr_leverage; empty = the ARR covenant runs to maturity.", unit="date",
    )
    pik_share: float | None = col(
        None, doc="PIK toggle: share of interest the borrower may pay in kind when cash falls "
        "short; empty = no toggle.", unit="decimal", ge=0, le=1,
    )
    pik_margin_bp: float | None = col(
        None, doc="Extra margin on interest paid in kind; needs pik_share.", unit="bp per year",
        ge=0, le=d.MAX_FEE_BP,
    )
    covenant_action: Annotated[str, BeforeValidator(choice(_COVENANT_ACTIONS))] | None = col(
        None, doc="What a covenant breach does; default event_of_default when a covenant is "
        "set.", choices=_COVENANT_ACTIONS,
    )
    trap_dscr: float | None = col(
        None, doc="DSCR below which cash is trapped; empty = none.", unit="x", gt=0,
        le=d.MAX_DSCR,
    )
    refi_amort_months: int = col(
        d.DEFAULT_REFI_AMORT_MONTHS, doc="Amortization of the refinancing loan.",
        unit="months", gt=0, le=d.MAX_TERM_MONTHS,
    )
    refi_min_dscr: float = col(
        d.DEFAULT_REFI_MIN_DSCR, doc="Refinancing sizing test: minimum DSCR.", unit="x", gt=0,
        le=d.MAX_DSCR,
    )
    refi_max_ltv: float = col(
        d.DEFAULT_REFI_MAX_LTV, doc="Refinancing sizing test: maximum LTV.", unit="decimal",
        gt=0, le=d.MAX_LTV,
    )
    refi_min_debt_yield_pct: float = col(
        100 * d.DEFAULT_REFI_MIN_DEBT_YIELD, doc="Refinancing sizing test: minimum NOI / loan.",
        unit="% per year", ge=0, le=d.MAX_ASSET_RATE_PCT,
    )
    access_spread_bp: float | None = col(
        None, doc="Market closed to this borrower when the spread index exceeds this; empty = "
        "always open.", unit="bp", gt=0, le=d.MAX_SPREAD_BP,
    )
    extension_months: int = col(
        0, doc="Extension available at maturity; 0 = none.", unit="months", ge=0,
        le=d.MAX_TERM_MONTHS,
    )
    extension_fee_bp: float = col(
        0.0, doc="Extension fee on the balance.", unit="bp", ge=0, le=d.MAX_FEE_BP
    )
    extension_max_ltv: float | None = col(
        None, doc="LTV needed to extend; default: refi_max_ltv.", unit="decimal", gt=0,
        le=d.MAX_LTV,
    )
    currency: Currency = col(d.DEFAULT_CURRENCY, doc="Currency of the facility.", choices=("USD",))


class Draw(Row):
    """One scheduled draw of a ddtl or construction loan."""

    facility_id: Id = col(doc="Facility drawn.")
    date: Date = col(doc="Draw date (inside start..availability_end_date).", unit="date")
    amount_usd: float = col(doc="Amount drawn.", unit="USD", gt=0, le=d.MAX_USD)


class ScheduledPrincipal(Row):
    """One principal payment of a ``custom`` amortization schedule."""

    facility_id: Id = col(doc="Facility repaid.")
    date: Date = col(doc="Payment date.", unit="date")
    principal_usd: float = col(doc="Principal due.", unit="USD", gt=0, le=d.MAX_USD)


class Lender(Row):
    """A holder of facilities."""

    id: Id = col(doc="Unique lender id.")
    name: str = col(doc="Lender name.", min_length=1)
    type: Annotated[str, BeforeValidator(choice(_LENDER_TYPES))] = col(
        doc="Lender type.", choices=_LENDER_TYPES
    )


class Holding(Row):
    """A lender's share of a facility (shares of one facility sum to at most 1)."""

    facility_id: Id = col(doc="Facility held.")
    lender_id: Id = col(doc="Lender holding it.")
    share: float = col(doc="Share of the facility held.", unit="decimal", gt=0, le=1)


TABLE_MODELS: dict[str, type[Row]] = {
    "tape": TapeInfo,
    "borrowers": Borrower,
    "counterparties": Counterparty,
    "assets": Asset,
    "facilities": Facility,
    "draws": Draw,
    "amortization_schedule": ScheduledPrincipal,
    "lenders": Lender,
    "holdings": Holding,
}
"""Every table of a tape, in reading/writing order, with the model of one row."""

REQUIRED_TABLES: tuple[str, ...] = ("tape", "borrowers", "facilities")
"""Tables a tape must contain; the others may be absent (empty)."""


class Portfolio(BaseModel):
    """A validated loan tape: the ``tape`` row plus one list of rows per table."""

    model_config = ConfigDict(extra="forbid")

    info: TapeInfo
    borrowers: list[Borrower] = []
    counterparties: list[Counterparty] = []
    assets: list[Asset] = []
    facilities: list[Facility] = []
    draws: list[Draw] = []
    amortization_schedule: list[ScheduledPrincipal] = []
    lenders: list[Lender] = []
    holdings: list[Holding] = []

    _sources: dict[str, Any] = PrivateAttr(default_factory=dict)
    _warnings: list[Any] = PrivateAttr(default_factory=list)
    _rejected_ids: dict[str, set[str]] = PrivateAttr(default_factory=dict)
    """Ids of rows that failed cell validation (already reported; not unknown references)."""

    def rows(self, table: str) -> list[Row]:
        """The rows of ``table`` (the ``tape`` table is the single info row)."""
        return [self.info] if table == "tape" else list(getattr(self, table))

    @property
    def warnings(self) -> list[Any]:
        """Non-blocking issues found when the tape was loaded (list of ``Issue``)."""
        return list(self._warnings)
