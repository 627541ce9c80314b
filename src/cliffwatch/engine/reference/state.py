"""State of one reference path: facilities, borrowers and the current borrower-month."""

from __future__ import annotations

from dataclasses import dataclass, field

from cliffwatch.engine.layout import ST_ACTIVE, ST_POST_ARD
from cliffwatch.tape.arrays import NO_MONTH

WINDOW = 3  # trailing months of the covenant and refinancing figures


@dataclass
class Facility:
    """Mutable state of one facility on the path."""

    balance: float
    available: float
    start: int
    maturity: int
    ard: int
    legal: int
    amort: int
    term: int
    io: int
    rate_kind: int
    spread: float
    coupon: float
    accrued: float = 0.0
    fee_accrued: float = 0.0
    step_accrued: float = 0.0
    status: int = ST_ACTIVE
    extended: bool = False
    trapped: bool = False
    pik: float = 0.0  # interest capitalised by the PIK toggle since the last refinancing
    debt_service: list[float] = field(default_factory=lambda: [0.0] * WINDOW)

    @property
    def open(self) -> bool:
        return self.status in (ST_ACTIVE, ST_POST_ARD)


@dataclass
class Borrower:
    cash: float
    default_month: int = NO_MONTH
    dist_in: float = 0.0
    breached: bool = False
    cfads: list[float] = field(default_factory=lambda: [0.0] * WINDOW)
    debt_service: list[float] = field(default_factory=lambda: [0.0] * WINDOW)


@dataclass
class BorrowerMonth:
    """The figures of one borrower-month (USD), logged as its cash bridge."""

    cash_open: float
    distribution_in: float
    revenue: float = 0.0
    opex: float = 0.0
    capex: float = 0.0
    rvg: float = 0.0
    cfads: float = 0.0
    draws: float = 0.0
    revolver_draw: float = 0.0
    debt_service: float = 0.0
    sweep: float = 0.0
    refi_paydown: float = 0.0
    default_cash: float = 0.0
    dscr: float = 0.0
    ltv: float = 0.0
    distribution_out: float = 0.0
    arr: float = 0.0
    ebitda: float = 0.0
