"""Compile a validated Portfolio into the engine's struct-of-arrays (``PortfolioArrays``).

Follows the contract of :mod:`cliffwatch.tape.arrays`: integer codes from
:mod:`cliffwatch.codes`; rates as decimals per year (``_pct`` / 100, ``_bp`` / 10,000); dates as
month offsets from the valuation month (``NO_MONTH`` when absent); facilities sorted by
(borrower, rank, input order) and assets by (borrower, input order) with CSR pointers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
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
from cliffwatch.tape.arrays import F8, I1, I4, NO_MONTH, PortfolioArrays
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.months import month_offset, month_start, whole_months
from cliffwatch.tape.rules import UNDRAWN_AT_START_KINDS, check_portfolio
from cliffwatch.tape.schema import Asset, Facility, Portfolio
from cliffwatch.tape.vocab import DAY_COUNTS, PAY_FREQUENCY_MONTHS, fold_rating, parse_amortization

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


def _arr(rows: Sequence[Any], get: Callable[[Any], Any], dtype: Any) -> np.ndarray:
    return np.fromiter((get(r) for r in rows), dtype=dtype, count=len(rows))


def _csr(groups: list[list[Any]]) -> tuple[np.ndarray, list[Any]]:
    """CSR pointer (length n + 1) and the flattened values of per-row lists."""
    ptr = np.zeros(len(groups) + 1, dtype=I4)
    ptr[1:] = np.cumsum([len(g) for g in groups], dtype=np.int64)
    return ptr, [v for g in groups for v in g]


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
    if check:
        errors = [i for i in check_portfolio(portfolio) if i.severity == "error"]
        if errors:
            raise TapeError(errors)
    as_of = portfolio.info.as_of
    b_index = {b.id: i for i, b in enumerate(portfolio.borrowers)}
    c_index = {c.id: i for i, c in enumerate(portfolio.counterparties)}
    assets = sorted(portfolio.assets, key=lambda a: b_index[a.borrower_id])  # stable sort
    facilities = sorted(
        portfolio.facilities, key=lambda f: (b_index[f.borrower_id], f.rank)
    )
    a_index = {a.id: i for i, a in enumerate(assets)}
    f_index = {f.id: i for i, f in enumerate(facilities)}
    generations = list(dict.fromkeys(a.gpu_generation for a in assets if a.gpu_generation))
    nb = len(portfolio.borrowers)

    def owner_ptr(owners: np.ndarray) -> np.ndarray:
        return np.searchsorted(owners, np.arange(nb + 1), side="left").astype(I4)

    a_borrower = _arr(assets, lambda a: b_index[a.borrower_id], I4)
    f_borrower = _arr(facilities, lambda f: b_index[f.borrower_id], I4)
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
        "b_fac_ptr": owner_ptr(f_borrower),
        "b_asset_ptr": owner_ptr(a_borrower),
        "a_borrower": a_borrower,
        "f_borrower": f_borrower,
    }
    out |= _borrowers(portfolio, b_index)
    out |= _counterparties(portfolio)
    ref = _Refs(c_index, b_index)
    out |= _assets(assets, as_of, {g: i for i, g in enumerate(generations)}, ref)
    out |= _facilities(facilities, as_of, a_index)
    out |= _schedules(portfolio, facilities, as_of)
    out |= _holders(portfolio, f_index)
    return PortfolioArrays(**out)


def _borrowers(p: Portfolio, b_index: dict[str, int]) -> dict[str, np.ndarray]:
    rows = p.borrowers
    return {
        "b_archetype": _arr(rows, lambda b: Archetype[b.archetype], I1),
        "b_rating": _arr(rows, lambda b: fold_rating(b.rating), I1),
        "b_cash": _arr(rows, lambda b: b.opening_cash_usd, F8),
        "b_parent": _arr(rows, lambda b: b_index.get(b.parent_id, -1), I4),
    }


def _counterparties(p: Portfolio) -> dict[str, np.ndarray]:
    rows = p.counterparties
    return {
        "c_archetype": _arr(rows, lambda c: Archetype[c.archetype], I1),
        "c_rating": _arr(rows, lambda c: fold_rating(c.rating), I1),
    }


class _Refs:
    """Resolve a party reference to (RefKind, index): counterparties first, then borrowers."""

    def __init__(self, c_index: dict[str, int], b_index: dict[str, int]) -> None:
        self.c_index, self.b_index = c_index, b_index

    def kind(self, ref: str | None) -> int:
        if ref is None:
            return RefKind.none
        return RefKind.counterparty if ref in self.c_index else RefKind.borrower

    def index(self, ref: str | None) -> int:
        if ref is None:
            return -1
        return self.c_index[ref] if ref in self.c_index else self.b_index[ref]


def _customer(a: Asset) -> str | None:
    return a.counterparty_id if a.kind == "gpu_fleet" else a.tenant_id


def _assets(
    rows: list[Asset], as_of: date, gen: dict[str, int], ref: _Refs
) -> dict[str, np.ndarray]:
    def month(get: Callable[[Asset], date | None]) -> np.ndarray:
        return _arr(rows, lambda a: month_offset(get(a), as_of), I4)

    def num(get: Callable[[Asset], float | None]) -> np.ndarray:
        return _arr(rows, lambda a: v if (v := get(a)) is not None else 0.0, F8)

    return {
        "a_kind": _arr(rows, lambda a: AssetKind[a.kind], I1),
        "a_gpu_gen": _arr(rows, lambda a: gen.get(a.gpu_generation, -1), I4),
        "a_units": num(lambda a: a.units),
        "a_unit_cost": num(lambda a: a.unit_cost_usd),
        "a_in_service_month": month(lambda a: a.in_service_date),
        "a_contracted_share": num(lambda a: a.contracted_share),
        "a_contract_price": num(lambda a: a.contract_price_usd_per_gpu_hour),
        "a_contract_end_month": month(lambda a: a.contract_end_date),
        "a_power_kw": num(lambda a: a.power_kw_per_gpu),
        "a_pue": num(lambda a: a.pue),
        "a_opex_per_gpu_hour": num(lambda a: a.opex_usd_per_gpu_hour),
        "a_capacity_mw": num(lambda a: a.capacity_mw),
        "a_capex_remaining": num(lambda a: a.capex_remaining_usd),
        # an operating data center (no completion date) earns rent from month 0
        "a_completion_month": _arr(rows, lambda a: _completion(a, as_of), I4),
        "a_leased_mw": num(lambda a: a.leased_mw),
        "a_lease_rate": num(lambda a: a.lease_rate_usd_per_kw_month),
        "a_escalator": num(lambda a: scaled(a.escalator_pct, PCT)),
        "a_lease_end_month": month(lambda a: a.lease_end_date),
        "a_opex_ratio": num(lambda a: a.opex_ratio),
        "a_cap_rate": num(lambda a: _opt(a.cap_rate_pct, PCT, 0.0)),
        "a_cpty_kind": _arr(rows, lambda a: ref.kind(_customer(a)), I1),
        "a_cpty": _arr(rows, lambda a: ref.index(_customer(a)), I4),
        "a_backstop_kind": _arr(rows, lambda a: ref.kind(a.backstop_id), I1),
        "a_backstop": _arr(rows, lambda a: ref.index(a.backstop_id), I4),
        "a_rvg_kind": _arr(rows, lambda a: ref.kind(a.rvg_guarantor_id), I1),
        "a_rvg": _arr(rows, lambda a: ref.index(a.rvg_guarantor_id), I4),
        "a_rvg_amount": num(lambda a: a.rvg_amount_usd),
    }


def _completion(a: Asset, as_of: date) -> int:
    if a.kind != "data_center":
        return NO_MONTH
    return 0 if a.completion_date is None else month_offset(a.completion_date, as_of)


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
    has_covenant = f.min_dscr is not None or f.max_ltv is not None
    return CovenantAction.event_of_default if has_covenant else CovenantAction.none


def scaled(value: float, exponent: int) -> float:
    """``value * 10**-exponent`` rounded once from the decimal the user typed.

    ``5.6 / 100`` in binary floating point is 0.055999999999999994; shifting the decimal
    representation gives the double nearest 0.056, the rate the tape states.
    """
    return float(Decimal(repr(value)).scaleb(-exponent))


def _opt(value: float | None, exponent: int, absent: float) -> float:
    return absent if value is None else scaled(value, exponent)


def _facilities(rows: list[Facility], as_of: date, a_index: dict[str, int]) -> dict[str, Any]:
    start = [f.start_date or as_of for f in rows]
    amort = [parse_amortization(f.amortization) for f in rows]
    coll_ptr, coll = _csr([[a_index[a] for a in f.collateral] for f in rows])
    idx = range(len(rows))

    def arr(get: Callable[[int], Any], dtype: Any) -> np.ndarray:
        return np.fromiter((get(i) for i in idx), dtype=dtype, count=len(rows))

    def col(get: Callable[[Facility], Any], dtype: Any) -> np.ndarray:
        return _arr(rows, get, dtype)

    return {
        "f_kind": col(lambda f: FacilityKind[f.kind], I1),
        "f_rank": col(lambda f: f.rank, I4),
        "f_secured": col(lambda f: bool(f.collateral) if f.secured is None else f.secured, bool),
        "f_commitment": col(lambda f: f.commitment_usd, F8),
        "f_drawn": col(drawn_at_start, F8),
        "f_rate_kind": col(
            lambda f: RateKind.fixed if f.coupon_pct is not None else RateKind.floating, I1
        ),
        "f_coupon": col(lambda f: _opt(f.coupon_pct, PCT, 0.0), F8),
        "f_spread": col(lambda f: _opt(f.spread_bp, BP, 0.0), F8),
        "f_floor": col(lambda f: scaled(f.sofr_floor_pct, PCT), F8),
        "f_cap": col(lambda f: _opt(f.sofr_cap_pct, PCT, np.inf), F8),
        "f_undrawn_fee": col(lambda f: scaled(f.undrawn_fee_bp, BP), F8),
        "f_amort": arr(lambda i: amort[i][0], I1),
        "f_amort_term_months": arr(
            lambda i: rows[i].amort_term_months or whole_months(start[i], rows[i].maturity_date),
            I4,
        ),
        "f_io_months": arr(lambda i: amort[i][1], I4),
        "f_start_month": arr(lambda i: month_offset(start[i], as_of), I4),
        "f_maturity_month": col(lambda f: month_offset(f.maturity_date, as_of), I4),
        "f_ard_month": col(lambda f: month_offset(f.ard_date, as_of), I4),
        "f_legal_final_month": col(
            lambda f: month_offset(f.legal_final_date or f.maturity_date, as_of), I4
        ),
        "f_step_up": col(lambda f: scaled(f.step_up_bp, BP), F8),
        "f_sweep_share": col(lambda f: _sweep_share(f), F8),
        "f_pay_freq": col(lambda f: PAY_FREQUENCY_MONTHS[pay_frequency(f)], I1),
        "f_day_count": col(day_count, I1),
        "f_eom": col(lambda f: f.eom, bool),
        "f_min_dscr": col(lambda f: f.min_dscr or 0.0, F8),
        "f_max_ltv": col(lambda f: np.inf if f.max_ltv is None else f.max_ltv, F8),
        "f_cov_action": col(covenant_action, I1),
        "f_trap_dscr": col(lambda f: f.trap_dscr or 0.0, F8),
        "f_refi_amort_months": col(lambda f: f.refi_amort_months, I4),
        "f_refi_min_dscr": col(lambda f: f.refi_min_dscr, F8),
        "f_refi_max_ltv": col(lambda f: f.refi_max_ltv, F8),
        "f_refi_min_dy": col(lambda f: scaled(f.refi_min_debt_yield_pct, PCT), F8),
        "f_access_spread": col(lambda f: _opt(f.access_spread_bp, BP, np.inf), F8),
        "f_ext_months": col(lambda f: f.extension_months, I4),
        "f_ext_fee": col(lambda f: scaled(f.extension_fee_bp, BP), F8),
        "f_ext_max_ltv": col(lambda f: f.extension_max_ltv or f.refi_max_ltv, F8),
        "f_coll_ptr": coll_ptr,
        "coll_asset": np.asarray(coll, dtype=I4),
    }


def _sweep_share(f: Facility) -> float:
    if f.sweep_share is not None:
        return f.sweep_share
    return d.DEFAULT_ABS_SWEEP_SHARE if f.kind == "abs" else 0.0


def _schedules(p: Portfolio, facilities: list[Facility], as_of: date) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for prefix, rows, amount in (
        ("draw", p.draws, "amount_usd"), ("sched", p.amortization_schedule, "principal_usd")
    ):
        by_facility: dict[str, list[tuple[int, float]]] = {}
        for r in rows:
            by_facility.setdefault(r.facility_id, []).append(
                (month_offset(r.date, as_of), getattr(r, amount))
            )
        # month order within a facility; equal months keep input order (stable sort)
        groups = [sorted(by_facility.get(f.id, []), key=lambda e: e[0]) for f in facilities]
        ptr, flat = _csr(groups)
        ptr_name = "f_draw_ptr" if prefix == "draw" else "f_sched_ptr"
        out[ptr_name] = ptr
        out[f"{prefix}_month"] = np.asarray([m for m, _ in flat], dtype=I4)
        out[f"{prefix}_amount"] = np.asarray([a for _, a in flat], dtype=F8)
    return out


def _holders(p: Portfolio, f_index: dict[str, int]) -> dict[str, np.ndarray]:
    l_index = {lend.id: i for i, lend in enumerate(p.lenders)}
    return {
        "l_type": _arr(p.lenders, lambda lend: LenderType[lend.type], I1),
        "h_facility": _arr(p.holdings, lambda h: f_index[h.facility_id], I4),
        "h_lender": _arr(p.holdings, lambda h: l_index[h.lender_id], I4),
        "h_share": _arr(p.holdings, lambda h: h.share, F8),
    }
