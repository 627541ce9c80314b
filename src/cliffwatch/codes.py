"""Integer codes shared by every layer.

The tape speaks in strings (``"ddtl"``, ``"BB+"``); the engine speaks in these small integers so
that its arrays hold no Python objects. Each enum's member names are the tape spellings.
"""

from __future__ import annotations

from enum import IntEnum


class Archetype(IntEnum):
    """Kind of obligor (borrower or counterparty)."""

    hyperscaler = 0
    neocloud = 1
    dc_developer = 2
    ai_lab = 3
    gpu_spv = 4
    colo_reit = 5
    miner = 6
    chip_maker = 7
    software = 8
    other = 9


class Rating(IntEnum):
    """Letter grade; notched ratings (``BB+``) fold to their letter, ``NR`` is unrated."""

    AAA = 0
    AA = 1
    A = 2
    BBB = 3
    BB = 4
    B = 5
    CCC = 6
    NR = 7


class AssetKind(IntEnum):
    gpu_fleet = 0
    data_center = 1
    software_business = 2


class FacilityKind(IntEnum):
    term_loan = 0
    ddtl = 1
    bond = 2
    abs = 3
    construction_loan = 4
    revolver = 5
    vendor_financing = 6
    lease = 7


class RateKind(IntEnum):
    fixed = 0
    floating = 1


class Amortization(IntEnum):
    """Scheduled principal rule.

    ``annuity``: level payment over ``amort_term_months`` (a term longer than the maturity leaves
    a balloon); ``straight_line``: equal principal over ``amort_term_months``; ``custom``: the
    tape's schedule of principal amounts; ``bullet``: all at maturity; ``io_then_annuity``:
    interest only for ``io_months`` then level payment; ``sweep``: excess cash repays principal.
    """

    annuity = 0
    straight_line = 1
    custom = 2
    bullet = 3
    io_then_annuity = 4
    sweep = 5


class DayCount(IntEnum):
    thirty_360 = 0
    act_360 = 1
    act_365f = 2


class CovenantAction(IntEnum):
    """What a covenant breach does."""

    none = 0
    event_of_default = 1
    cash_trap = 2


class RefKind(IntEnum):
    """What a contract counterparty, tenant, backstop or guarantor reference points at."""

    none = 0
    counterparty = 1
    borrower = 2


class LenderType(IntEnum):
    bank = 0
    private_credit = 1
    insurer = 2
    abs_investor = 3
    hy_fund = 4
    vendor = 5
    hedge_fund = 6
    other = 7
    bdc = 8
    """Business development company: a listed or private vehicle lending to middle-market
    companies (software is ~20% of BDC assets, DOMAIN section 9); appended so older codes keep
    their values."""


class DefaultCause(IntEnum):
    """Why a borrower defaulted (``none`` = survived the horizon)."""

    none = 0
    payment = 1
    covenant = 2
    maturity = 3
    cross_default = 4


class RefiOutcome(IntEnum):
    """What happened to a facility at its maturity or ARD."""

    not_due = 0
    repaid = 1
    refinanced = 2
    extended = 3
    abs_step_up = 4
    failed_default = 5
