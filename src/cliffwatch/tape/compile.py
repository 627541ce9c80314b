"""Compile a validated Portfolio into the engine's struct-of-arrays (``PortfolioArrays``).

Follows the contract of :mod:`cliffwatch.tape.arrays`: integer codes from
:mod:`cliffwatch.codes`; rates as decimals per year (``_pct`` / 100, ``_bp`` / 10,000, each
rounded once from the typed decimal); dates as month offsets from the valuation month
(``NO_MONTH`` when absent); facilities sorted by (borrower, rank, input order) and assets by
(borrower, input order) with CSR pointers. Defaults that depend on other terms are the
per-record functions below (``drawn_at_start``, ``pay_frequency`` ...), applied per column.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from cliffwatch.codes import (
    Archetype,
    AssetKind,
    CovenantAction,
    DayCount,
    FacilityKind,
    LenderType,
    RateKind,
    RefKind,
)
from cliffwatch.tape import defaults as d
from cliffwatch.tape.arrays import F8, I1, I4, PortfolioArrays
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.gc_pause import paused_gc
from cliffwatch.tape.months import month_start
from cliffwatch.tape.rules import (
    COVENANTS,
    UNDRAWN_AT_START_KINDS,
    check_portfolio,
    has_covenant,
)
from cliffwatch.tape.schema import Asset, Facility, Portfolio
from cliffwatch.tape.vector import (
    codes,
    column,
    columns,
    csr,
    floats,
    grouped_csr,
    months,
    scaled,
    scaled_floats,
)
from cliffwatch.tape.vocab import DAY_COUNTS, PAY_FREQUENCY_MONTHS, fold_rating, parse_amortization
from cliffwatch.tape.vocab import codes as code_table
from cliffwatch.tape.vulnerability import NEUTRAL_RETENTION, vulnerability_scores

__all__ = ["compile_portfolio", "scaled"]

ARCHETYPE = code_table(Archetype)
ASSET_KIND = code_table(AssetKind)
FACILITY_KIND = code_table(FacilityKind)
LENDER_TYPE = code_table(LenderType)
COVENANT_ACTION = code_table(CovenantAction)

PCT = 2
"""Decimal exponent of a percent (9.25% = 9.25e-2)."""
BP = 4
"""Decimal exponent of a basis point (450 bp = 450e-4)."""
BOND_PAY_FREQUENCY = "semiannual"
"""Default coupon frequency of bonds (US corporate market convention)."""
OTHER_PAY_FREQUENCY = "monthly"
"""Default payment frequency of loans, ABS and leases (the engine's monthly grid)."""
FLOATING_DAY_COUNT = "act/360"
"""Default day count of SOFR loans (SOFR accrues ACT/360)."""
FIXED_DAY_COUNT = "30/360"
"""Default day count of fixed-rate debt (US corporate bond convention)."""


# ---- per-record defaults (also used by the summary) ----

def drawn_at_start(f: Facility) -> float:
    """Drawn balance at t0: as given, else 0 for draw-down kinds, else the commitment."""
    if f.drawn_usd is not None:
        return f.drawn_usd
    return 0.0 if f.kind in UNDRAWN_AT_START_KINDS else f.commitment_usd


def pay_frequency(f: Facility) -> str:
    """Payment frequency word, defaulted by kind."""
    default = BOND_PAY_FREQUENCY if f.kind == "bond" else OTHER_PAY_FREQUENCY
    return f.pay_frequency or default


def day_count(f: Facility) -> DayCount:
    """Day-count code, defaulted by rate kind."""
    default = FIXED_DAY_COUNT if f.coupon_pct is not None else FLOATING_DAY_COUNT
    return DAY_COUNTS[(f.day_count or default).lower()]


def covenant_action(f: Facility) -> CovenantAction:
    """Breach action: as given, else event of default when a covenant is set."""
    if f.covenant_action is not None:
        return CovenantAction[f.covenant_action]
    return CovenantAction.event_of_default if has_covenant(f) else CovenantAction.none


def sweep_share(f: Facility) -> float:
    """Excess-cash sweep share: as given, else full for ABS, none otherwise."""
    if f.sweep_share is not None:
        return f.sweep_share
    return d.DEFAULT_ABS_SWEEP_SHARE if f.kind == "abs" else 0.0


def amort_term_months(f: Facility, as_of: date) -> int:
    """Amortization term: as given, else the calendar months from start to maturity (>= 1)."""
    if f.amort_term_months is not None:
        return f.amort_term_months
    start = f.start_date or as_of
    diff = (f.maturity_date.year - start.year) * 12 + f.maturity_date.month - start.month
    return max(1, diff)


# ---- compile ----

def compile_portfolio(portfolio: Portfolio, *, check: bool = True) -> PortfolioArrays:
    """Compile ``portfolio`` to :class:`PortfolioArrays`.

    Parameters
    ----------
    portfolio : Portfolio
        A tape as returned by ``load_tape`` (or built in code).
    check : bool
        Re-run the cross-table rules first and raise :class:`TapeError` on any error (skip
        only for a portfolio just returned by ``load_tape``).
    """
    with paused_gc():
        if check:
            errors = [i for i in check_portfolio(portfolio) if i.severity == "error"]
            if errors:
                raise TapeError(errors)
        return _compile(portfolio)


def _compile(portfolio: Portfolio) -> PortfolioArrays:
    as_of = portfolio.info.as_of
    b_index = {b.id: i for i, b in enumerate(portfolio.borrowers)}
    c_index = {c.id: i for i, c in enumerate(portfolio.counterparties)}
    # stable sorts keep input order among equal keys
    assets = sorted(portfolio.assets, key=lambda a: b_index[a.borrower_id])
    facilities = sorted(portfolio.facilities, key=lambda f: (b_index[f.borrower_id], f.rank))
    a_index = {a.id: i for i, a in enumerate(assets)}
    f_index = {f.id: i for i, f in enumerate(facilities)}
    generations = list(dict.fromkeys(a.gpu_generation for a in assets if a.gpu_generation))
    nb = len(portfolio.borrowers)
    a_borrower = codes(column(assets, "borrower_id"), b_index, I4)
    f_borrower = codes(column(facilities, "borrower_id"), b_index, I4)

    out: dict[str, Any] = {
        "valuation_date": month_start(as_of),
        "borrower_ids": tuple(b.id for b in portfolio.borrowers),
        "borrower_names": tuple(b.name for b in portfolio.borrowers),
        "counterparty_ids": tuple(c.id for c in portfolio.counterparties),
        "asset_ids": tuple(a.id for a in assets),
        "facility_ids": tuple(f.id for f in facilities),
        "facility_structures": tuple(f.structure or f.kind for f in facilities),
        "lender_ids": tuple(lend.id for lend in portfolio.lenders),
        "lender_names": tuple(lend.name for lend in portfolio.lenders),
        "gpu_generations": tuple(generations),
        "b_fac_ptr": np.searchsorted(f_borrower, np.arange(nb + 1)).astype(I4),
        "b_asset_ptr": np.searchsorted(a_borrower, np.arange(nb + 1)).astype(I4),
        "a_borrower": a_borrower,
        "f_borrower": f_borrower,
    }
    out |= _parties(portfolio, b_index)
    refs = _Refs(c_index, b_index)
    out |= _assets(assets, as_of, {g: i for i, g in enumerate(generations)}, refs)
    out |= _facilities(facilities, as_of, a_index)
    out |= _schedules(portfolio, f_index, as_of)
    out |= _holders(portfolio, f_index)
    return PortfolioArrays(**out)


def _parties(p: Portfolio, b_index: dict[str, int]) -> dict[str, np.ndarray]:
    def ratings(rows: list[Any]) -> np.ndarray:
        return np.array([int(fold_rating(r.rating)) for r in rows], dtype=I1)

    return {
        "b_archetype": codes(column(p.borrowers, "archetype"), ARCHETYPE, I1),
        "b_rating": ratings(p.borrowers),
        "b_cash": floats(column(p.borrowers, "opening_cash_usd")),
        "b_parent": np.array([-1 if b.parent_id is None else b_index[b.parent_id]
                              for b in p.borrowers], dtype=I4),
        "c_archetype": codes(column(p.counterparties, "archetype"), ARCHETYPE, I1),
        "c_rating": ratings(p.counterparties),
    }


class _Refs:
    """Resolve party references to (RefKind, index): counterparties first, then borrowers."""

    def __init__(self, c_index: dict[str, int], b_index: dict[str, int]) -> None:
        self.c_index, self.b_index = c_index, b_index

    def kinds(self, refs: list[str | None]) -> np.ndarray:
        return np.array([RefKind.none if r is None else RefKind.counterparty
                         if r in self.c_index else RefKind.borrower for r in refs], dtype=I1)

    def indices(self, refs: list[str | None]) -> np.ndarray:
        return np.array([-1 if r is None else self.c_index[r] if r in self.c_index
                         else self.b_index[r] for r in refs], dtype=I4)


def _assets(
    rows: list[Asset], as_of: date, gen: dict[str, int], refs: _Refs
) -> dict[str, np.ndarray]:
    c = columns(rows)

    def col(name: str) -> list[Any]:
        return c[name]

    customer = [a.counterparty_id if a.kind == "gpu_fleet" else a.tenant_id for a in rows]
    # an operating data center (no completion date) earns rent from month 0
    completion = months(col("completion_date"), as_of)
    is_dc = np.array([a.kind == "data_center" for a in rows], dtype=bool)
    completion[is_dc & np.array([a.completion_date is None for a in rows], dtype=bool)] = 0
    return {
        "a_kind": codes(col("kind"), ASSET_KIND, I1),
        "a_gpu_gen": np.array([-1 if g is None else gen[g] for g in col("gpu_generation")],
                              dtype=I4),
        "a_units": floats(col("units")),
        "a_unit_cost": floats(col("unit_cost_usd")),
        "a_in_service_month": months(col("in_service_date"), as_of),
        "a_contracted_share": floats(col("contracted_share")),
        "a_contract_price": floats(col("contract_price_usd_per_gpu_hour")),
        "a_contract_end_month": months(col("contract_end_date"), as_of),
        "a_power_kw": floats(col("power_kw_per_gpu")),
        "a_pue": floats(col("pue")),
        "a_opex_per_gpu_hour": floats(col("opex_usd_per_gpu_hour")),
        "a_capacity_mw": floats(col("capacity_mw")),
        "a_capex_remaining": floats(col("capex_remaining_usd")),
        "a_completion_month": completion,
        "a_leased_mw": floats(col("leased_mw")),
        "a_lease_rate": floats(col("lease_rate_usd_per_kw_month")),
        "a_escalator": scaled_floats(col("escalator_pct"), PCT, 0.0),
        "a_lease_end_month": months(col("lease_end_date"), as_of),
        "a_opex_ratio": floats(col("opex_ratio")),
        "a_cap_rate": scaled_floats(col("cap_rate_pct"), PCT, 0.0),
        "a_cpty_kind": refs.kinds(customer),
        "a_cpty": refs.indices(customer),
        "a_backstop_kind": refs.kinds(col("backstop_id")),
        "a_backstop": refs.indices(col("backstop_id")),
        "a_rvg_kind": refs.kinds(col("rvg_guarantor_id")),
        "a_rvg": refs.indices(col("rvg_guarantor_id")),
        "a_rvg_amount": floats(col("rvg_amount_usd")),
    } | _software_assets(c)


def _software_assets(c: dict[str, list[Any]]) -> dict[str, np.ndarray]:
    """The software_business columns (0 for other kinds), rates as decimals."""
    return {
        "a_arr": floats(c["arr_usd"]),
        "a_arr_growth": scaled_floats(c["arr_growth_pct"], PCT, 0.0),
        "a_gross_margin": scaled_floats(c["gross_margin_pct"], PCT, 0.0),
        "a_ebitda_margin": scaled_floats(c["ebitda_margin_pct"], PCT, 0.0),
        "a_vulnerability": vulnerability_scores(
            c["pricing_model"], c["workflow_criticality"], c["top_customer_share"],
            scaled_floats(c["net_revenue_retention_pct"], PCT, NEUTRAL_RETENTION).tolist(),
            c["vulnerability"],
        ),
        "a_ev_to_arr": floats(c["ev_to_arr"]),
    }


def _given(values: list[Any]) -> np.ndarray:
    """Which cells of a column hold a value."""
    return np.array([v is not None for v in values], dtype=bool)


def _facility_defaults(c: dict[str, list[Any]], as_of: date) -> dict[str, np.ndarray]:
    """Terms whose default depends on other terms: the per-record rules above, vectorised
    (a test holds the two equal)."""
    kind = codes(c["kind"], FACILITY_KIND, I1)
    undrawn_kind = np.isin(kind, [FACILITY_KIND[k] for k in UNDRAWN_AT_START_KINDS])
    drawn = np.where(_given(c["drawn_usd"]), floats(c["drawn_usd"]),
                     np.where(undrawn_kind, 0.0, floats(c["commitment_usd"])))
    freq = np.where(_given(c["pay_frequency"]),
                    [PAY_FREQUENCY_MONTHS.get(v, 0) for v in c["pay_frequency"]],
                    np.where(kind == FACILITY_KIND["bond"],
                             PAY_FREQUENCY_MONTHS[BOND_PAY_FREQUENCY],
                             PAY_FREQUENCY_MONTHS[OTHER_PAY_FREQUENCY]))
    day = np.where(_given(c["day_count"]),
                   [DAY_COUNTS[v.lower()] if v else 0 for v in c["day_count"]],
                   np.where(_given(c["coupon_pct"]), DAY_COUNTS[FIXED_DAY_COUNT],
                            DAY_COUNTS[FLOATING_DAY_COUNT]))
    covenanted = np.zeros(len(kind), dtype=bool)
    for name in COVENANTS:
        covenanted |= _given(c[name])
    action = np.where(_given(c["covenant_action"]),
                      [COVENANT_ACTION.get(v, 0) for v in c["covenant_action"]],
                      np.where(covenanted, int(CovenantAction.event_of_default),
                               int(CovenantAction.none)))
    sweep = np.where(_given(c["sweep_share"]), floats(c["sweep_share"]),
                     np.where(kind == FACILITY_KIND["abs"], d.DEFAULT_ABS_SWEEP_SHARE, 0.0))
    start = months([v or as_of for v in c["start_date"]], as_of)
    maturity = months(c["maturity_date"], as_of)
    term = np.where(_given(c["amort_term_months"]), [v or 0 for v in c["amort_term_months"]],
                    np.maximum(1, maturity - start))
    secured = np.where(_given(c["secured"]), [bool(v) for v in c["secured"]],
                       [bool(v) for v in c["collateral"]])
    ext_ltv = np.where(_given(c["extension_max_ltv"]), floats(c["extension_max_ltv"]),
                       floats(c["refi_max_ltv"]))
    return {
        "f_kind": kind, "f_drawn": drawn.astype(F8), "f_pay_freq": freq.astype(I1),
        "f_day_count": day.astype(I1), "f_cov_action": action.astype(I1),
        "f_sweep_share": sweep.astype(F8), "f_start_month": start,
        "f_maturity_month": maturity, "f_amort_term_months": term.astype(I4),
        "f_secured": secured.astype(bool), "f_ext_max_ltv": ext_ltv.astype(F8),
    }


def _facility_rates(c: dict[str, list[Any]]) -> dict[str, np.ndarray]:
    """Coupons, spreads and fees as decimals per year (``_pct`` / 100, ``_bp`` / 10,000)."""
    fixed = _given(c["coupon_pct"])
    return {
        "f_rate_kind": np.where(fixed, int(RateKind.fixed), int(RateKind.floating)).astype(I1),
        "f_coupon": scaled_floats(c["coupon_pct"], PCT, 0.0),
        "f_spread": scaled_floats(c["spread_bp"], BP, 0.0),
        "f_floor": scaled_floats(c["sofr_floor_pct"], PCT, 0.0),
        "f_cap": scaled_floats(c["sofr_cap_pct"], PCT, np.inf),
        "f_undrawn_fee": scaled_floats(c["undrawn_fee_bp"], BP, 0.0),
        "f_step_up": scaled_floats(c["step_up_bp"], BP, 0.0),
        "f_refi_min_dy": scaled_floats(c["refi_min_debt_yield_pct"], PCT, 0.0),
        "f_access_spread": scaled_floats(c["access_spread_bp"], BP, np.inf),
        "f_ext_fee": scaled_floats(c["extension_fee_bp"], BP, 0.0),
    }


def _facilities(rows: list[Facility], as_of: date, a_index: dict[str, int]) -> dict[str, Any]:
    """Every facility column of PortfolioArrays, rows already in (borrower, rank) order."""
    c = columns(rows)
    amort = [parse_amortization(a) for a in c["amortization"]]
    coll_ptr, coll = csr([[a_index[a] for a in v] for v in c["collateral"]])
    legal = [lf or m for lf, m in zip(c["legal_final_date"], c["maturity_date"], strict=True)]
    return _facility_defaults(c, as_of) | _facility_rates(c) | {
        "f_rank": np.array(c["rank"], dtype=I4),
        "f_commitment": floats(c["commitment_usd"]),
        "f_amort": np.array([rule for rule, _ in amort], dtype=I1),
        "f_io_months": np.array([io for _, io in amort], dtype=I4),
        "f_ard_month": months(c["ard_date"], as_of),
        "f_legal_final_month": months(legal, as_of),
        "f_eom": np.array(c["eom"], dtype=bool),
        "f_min_dscr": floats(c["min_dscr"], 0.0),
        "f_max_ltv": floats(c["max_ltv"], np.inf),
        "f_trap_dscr": floats(c["trap_dscr"], 0.0),
        "f_refi_amort_months": np.array(c["refi_amort_months"], dtype=I4),
        "f_refi_min_dscr": floats(c["refi_min_dscr"]),
        "f_refi_max_ltv": floats(c["refi_max_ltv"]),
        "f_ext_months": np.array(c["extension_months"], dtype=I4),
        "f_max_arr_leverage": floats(c["max_arr_leverage"], np.inf),
        "f_max_leverage": floats(c["max_leverage"], np.inf),
        "f_cov_convert_month": months(c["covenant_conversion_date"], as_of),
        "f_pik_share": floats(c["pik_share"]),
        "f_pik_margin": scaled_floats(c["pik_margin_bp"], BP, 0.0),
        "f_coll_ptr": coll_ptr,
        "coll_asset": np.array(coll, dtype=I4),
    }


def _schedules(p: Portfolio, f_index: dict[str, int], as_of: date) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for prefix, ptr_name, rows, amount in (
        ("draw", "f_draw_ptr", p.draws, "amount_usd"),
        ("sched", "f_sched_ptr", p.amortization_schedule, "principal_usd"),
    ):
        owner = codes(column(rows, "facility_id"), f_index, np.int64)
        month = months(column(rows, "date"), as_of)
        # month order within a facility; equal months keep input order
        ptr, month, value = grouped_csr(owner, month, len(f_index), month,
                                        floats(column(rows, amount)))
        out |= {ptr_name: ptr, f"{prefix}_month": month, f"{prefix}_amount": value}
    return out


def _holders(p: Portfolio, f_index: dict[str, int]) -> dict[str, np.ndarray]:
    l_index = {lend.id: i for i, lend in enumerate(p.lenders)}
    return {
        "l_type": codes(column(p.lenders, "type"), LENDER_TYPE, I1),
        "h_facility": codes(column(p.holdings, "facility_id"), f_index, I4),
        "h_lender": codes(column(p.holdings, "lender_id"), l_index, I4),
        "h_share": floats(column(p.holdings, "share")),
    }
