"""The compiled portfolio: struct-of-arrays the engine consumes.

This is the contract between the tape layer (which builds it from a validated ``Portfolio``)
and the engine (which reads nothing else). One row per borrower, counterparty, asset, facility,
lender and holding; integer codes from :mod:`cliffwatch.codes`; months are offsets from the
valuation month (month 0). Ragged per-row lists (draw schedules, custom amortization, collateral)
are CSR pairs: ``*_ptr`` of length ``n + 1`` and a flat value array.

Ordering guarantees (the engine relies on them):

* facilities are sorted by (borrower index, seniority rank, input order); borrower ``b`` owns
  facilities ``b_fac_ptr[b]:b_fac_ptr[b + 1]`` — most senior first;
* assets are sorted by (borrower index, input order); borrower ``b`` owns assets
  ``b_asset_ptr[b]:b_asset_ptr[b + 1]``.

Units: money in USD, rates and spreads as decimals per year (0.05 = 5%), shares in [0, 1],
months as integer offsets. ``NO_MONTH`` marks an absent date (no ARD, no contract end).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

import numpy as np

from cliffwatch.codes import Archetype, AssetKind

NO_MONTH: int = 10**6
"""Sentinel month for 'never' (beyond any horizon); an int32 that compares larger than any month."""

I4 = np.int32
I1 = np.int8
F8 = np.float64


@dataclass(frozen=True, eq=False)
class PortfolioArrays:
    """Struct-of-arrays view of a validated portfolio. See the module docstring for units."""

    valuation_date: np.datetime64
    """First day of the valuation month (month 0), ``datetime64[D]``."""

    # ---- labels (for reports; never read by the kernel) ----
    borrower_ids: tuple[str, ...]
    borrower_names: tuple[str, ...]
    counterparty_ids: tuple[str, ...]
    asset_ids: tuple[str, ...]
    facility_ids: tuple[str, ...]
    facility_structures: tuple[str, ...]
    """Free reporting label of each facility (``hy_bond``, ``convertible``, ``cmbs`` ...)."""
    lender_ids: tuple[str, ...]
    lender_names: tuple[str, ...]
    gpu_generations: tuple[str, ...]
    """Distinct GPU generation names used on the tape; ``a_gpu_gen`` indexes this tuple and the
    market layer generates rent/value paths for exactly these generations in this order."""

    # ---- borrowers (nb) ----
    b_archetype: np.ndarray  # int8, Archetype
    b_rating: np.ndarray  # int8, Rating
    b_cash: np.ndarray  # float64 USD opening cash
    b_parent: np.ndarray  # int32 borrower index of parent/guarantor, -1 none
    b_fac_ptr: np.ndarray  # int32 (nb+1) CSR into facility rows
    b_asset_ptr: np.ndarray  # int32 (nb+1) CSR into asset rows

    # ---- counterparties (nc) ----
    c_archetype: np.ndarray  # int8
    c_rating: np.ndarray  # int8

    # ---- assets (na) ----
    a_borrower: np.ndarray  # int32
    a_kind: np.ndarray  # int8, AssetKind
    # gpu_fleet
    a_gpu_gen: np.ndarray  # int32 index into gpu_generations, -1 for non-GPU
    a_units: np.ndarray  # float64 GPUs
    a_unit_cost: np.ndarray  # float64 USD per GPU
    a_in_service_month: np.ndarray  # int32
    a_contracted_share: np.ndarray  # float64 share of units under contract
    a_contract_price: np.ndarray  # float64 USD per GPU-hour
    a_contract_end_month: np.ndarray  # int32 (NO_MONTH none)
    a_power_kw: np.ndarray  # float64 kW per GPU (IT load)
    a_pue: np.ndarray  # float64 power usage effectiveness (>= 1)
    a_opex_per_gpu_hour: np.ndarray  # float64 USD, other opex
    # data_center
    a_capacity_mw: np.ndarray  # float64 MW
    a_capex_remaining: np.ndarray  # float64 USD still to be spent at t0
    a_completion_month: np.ndarray  # int32, rent starts here
    a_leased_mw: np.ndarray  # float64 MW
    a_lease_rate: np.ndarray  # float64 USD per kW-month
    a_escalator: np.ndarray  # float64 per year
    a_lease_end_month: np.ndarray  # int32
    a_opex_ratio: np.ndarray  # float64 opex as share of rent
    a_cap_rate: np.ndarray  # float64 per year, for NOI / cap-rate valuation
    # software_business (0 for other kinds)
    a_arr: np.ndarray  # float64 USD per year, annual recurring revenue at month 0
    a_arr_growth: np.ndarray  # float64 per year, expected ARR growth in the base case
    a_gross_margin: np.ndarray  # float64 share of revenue (variable cost = 1 - gross margin)
    a_ebitda_margin: np.ndarray  # float64 share of revenue at month 0 (may be negative)
    a_vulnerability: np.ndarray  # float64 in [0, 1], exposure to budget reallocation
    a_ev_to_arr: np.ndarray  # float64 x, enterprise value / ARR multiple at month 0
    # credit support: who pays (contract customer / tenant), who backstops, who guarantees residual
    a_cpty_kind: np.ndarray  # int8 RefKind of the customer / tenant
    a_cpty: np.ndarray  # int32 counterparty or borrower index, -1 none
    a_backstop_kind: np.ndarray  # int8 RefKind of the rent backstop provider
    a_backstop: np.ndarray  # int32
    a_rvg_kind: np.ndarray  # int8 RefKind of the residual-value guarantor
    a_rvg: np.ndarray  # int32
    a_rvg_amount: np.ndarray  # float64 USD guaranteed at lease/contract end

    # ---- facilities (nf), sorted by (borrower, rank) ----
    f_borrower: np.ndarray  # int32
    f_kind: np.ndarray  # int8 FacilityKind
    f_rank: np.ndarray  # int32 seniority, 1 = most senior
    f_secured: np.ndarray  # bool
    f_commitment: np.ndarray  # float64 USD
    f_drawn: np.ndarray  # float64 USD balance at t0
    f_rate_kind: np.ndarray  # int8 RateKind
    f_coupon: np.ndarray  # float64 fixed coupon per year
    f_spread: np.ndarray  # float64 margin over SOFR per year
    f_floor: np.ndarray  # float64 SOFR floor
    f_cap: np.ndarray  # float64 SOFR cap (inf = none)
    f_undrawn_fee: np.ndarray  # float64 per year on undrawn commitment
    f_amort: np.ndarray  # int8 Amortization
    f_amort_term_months: np.ndarray  # int32 term the schedule amortizes over
    f_io_months: np.ndarray  # int32 interest-only months from start
    f_start_month: np.ndarray  # int32 (<= 0 if already running)
    f_maturity_month: np.ndarray  # int32 contractual (or extended-to) maturity
    f_ard_month: np.ndarray  # int32 anticipated repayment date (NO_MONTH none)
    f_legal_final_month: np.ndarray  # int32 (== maturity when no ARD)
    f_step_up: np.ndarray  # float64 coupon step-up after ARD per year
    f_sweep_share: np.ndarray  # float64 share of excess cash swept after ARD / on trap
    f_pay_freq: np.ndarray  # int8 months between payments (1, 3, 6, 12)
    f_day_count: np.ndarray  # int8 DayCount
    f_eom: np.ndarray  # bool end-of-month rule
    f_min_dscr: np.ndarray  # float64 covenant, 0 = none
    f_max_ltv: np.ndarray  # float64 covenant, inf = none
    f_cov_action: np.ndarray  # int8 CovenantAction
    f_trap_dscr: np.ndarray  # float64 cash-trap trigger, 0 = none
    f_refi_amort_months: np.ndarray  # int32 amortization of a refinancing loan
    f_refi_min_dscr: np.ndarray  # float64 sizing test
    f_refi_max_ltv: np.ndarray  # float64 sizing test
    f_refi_min_dy: np.ndarray  # float64 debt-yield sizing test
    f_access_spread: np.ndarray  # float64 market closed when spread index above (inf = never)
    f_ext_months: np.ndarray  # int32 extension available at maturity (0 none)
    f_ext_fee: np.ndarray  # float64 share of balance
    f_ext_max_ltv: np.ndarray  # float64 LTV needed to extend
    f_max_arr_leverage: np.ndarray  # float64 covenant debt / ARR before conversion, inf = none
    f_max_leverage: np.ndarray  # float64 covenant debt / trailing EBITDA (annualised), inf = none
    f_cov_convert_month: np.ndarray  # int32 ARR covenant gives way to the EBITDA one (NO_MONTH)
    f_pik_share: np.ndarray  # float64 share of interest that may be paid in kind (PIK toggle)
    f_pik_margin: np.ndarray  # float64 per year, extra margin on interest paid in kind
    f_draw_ptr: np.ndarray  # int32 (nf+1) CSR of scheduled draws
    draw_month: np.ndarray  # int32
    draw_amount: np.ndarray  # float64 USD
    f_sched_ptr: np.ndarray  # int32 (nf+1) CSR of custom principal schedule
    sched_month: np.ndarray  # int32
    sched_amount: np.ndarray  # float64 USD principal due
    f_coll_ptr: np.ndarray  # int32 (nf+1) CSR of collateral assets
    coll_asset: np.ndarray  # int32 asset index

    # ---- lenders (nl) and holdings (nh) ----
    l_type: np.ndarray  # int8 LenderType
    h_facility: np.ndarray  # int32
    h_lender: np.ndarray  # int32
    h_share: np.ndarray  # float64 in [0, 1]; per facility sums to <= 1

    @property
    def n_borrowers(self) -> int:
        return len(self.b_archetype)

    @property
    def n_facilities(self) -> int:
        return len(self.f_borrower)

    @property
    def n_assets(self) -> int:
        return len(self.a_borrower)

    @property
    def n_lenders(self) -> int:
        return len(self.l_type)

    @property
    def n_counterparties(self) -> int:
        return len(self.c_archetype)

    def software_borrowers(self) -> np.ndarray:
        """(nb,) bool: the borrower is on the software side of the AI theme (archetype
        ``software`` or owner of a ``software_business`` asset); every other borrower is on the
        infrastructure side."""
        out = self.b_archetype == int(Archetype.software)
        owns = self.a_borrower[self.a_kind == int(AssetKind.software_business)]
        out[owns] = True
        return out

    def array_fields(self) -> dict[str, np.ndarray]:
        """All numpy array fields by name (for hashing, equality and serialisation)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }

    def digest(self) -> str:
        """SHA-256 over every field: two portfolios with equal digests compile identically."""
        h = hashlib.sha256()
        for f in fields(self):
            value = getattr(self, f.name)
            h.update(f.name.encode())
            if isinstance(value, np.ndarray):
                h.update(str(value.dtype).encode())
                h.update(np.ascontiguousarray(value).tobytes())
            else:
                h.update(repr(value).encode())
        return h.hexdigest()

    def equals(self, other: PortfolioArrays) -> bool:
        """Exact equality of every field (NaN equal to NaN)."""
        return self.digest() == other.digest()
