"""Compiling the small tape: values checked by hand against the contract of tape/arrays.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.codes import (
    Amortization,
    CovenantAction,
    DayCount,
    FacilityKind,
    RateKind,
    Rating,
    RefKind,
)
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio, scaled
from cliffwatch.tape.load import load_tape
from cliffwatch.tape.months import month_offset


@pytest.fixture
def arrays(small_yaml: Path) -> PortfolioArrays:
    return compile_portfolio(load_tape(small_yaml))


def fac(arrays: PortfolioArrays, fid: str) -> int:
    return arrays.facility_ids.index(fid)


def test_valuation_date_is_first_of_month(arrays: PortfolioArrays) -> None:
    assert arrays.valuation_date == np.datetime64("2026-06-01")


def test_facilities_sorted_by_borrower_then_rank_then_input(arrays: PortfolioArrays) -> None:
    assert arrays.facility_ids == (
        "NEO-RCF", "NEO-OEM", "NEO-SUN", "SPV-DDTL", "DEV-ABS", "DEV-CON", "DEV-TL", "SW-UT",
        "SW-2L",
    )
    assert arrays.b_fac_ptr.tolist() == [0, 3, 4, 7, 9]
    for b in range(arrays.n_borrowers):
        rows = slice(arrays.b_fac_ptr[b], arrays.b_fac_ptr[b + 1])
        assert (arrays.f_borrower[rows] == b).all()
        assert (np.diff(arrays.f_rank[rows]) >= 0).all()


def test_assets_grouped_by_borrower(arrays: PortfolioArrays) -> None:
    assert arrays.asset_ids == ("GPU-B", "GPU-A", "DC-1", "SW-1")
    assert arrays.b_asset_ptr.tolist() == [0, 1, 2, 3, 4]
    assert arrays.gpu_generations == ("B200", "H100")
    assert arrays.a_gpu_gen.tolist() == [0, 1, -1, -1]


def test_rates_become_decimals(arrays: PortfolioArrays) -> None:
    rcf, abs_, ddtl = fac(arrays, "NEO-RCF"), fac(arrays, "DEV-ABS"), fac(arrays, "SPV-DDTL")
    assert arrays.f_rate_kind[rcf] == RateKind.floating
    assert arrays.f_spread[rcf] == 0.0275 and arrays.f_coupon[rcf] == 0.0
    assert arrays.f_floor[rcf] == 0.005 and arrays.f_undrawn_fee[rcf] == 0.005
    assert arrays.f_rate_kind[abs_] == RateKind.fixed and arrays.f_coupon[abs_] == 0.056
    assert arrays.f_step_up[abs_] == 0.025
    assert arrays.f_cap[ddtl] == 0.06 and np.isinf(arrays.f_cap[rcf])
    assert arrays.f_access_spread[ddtl] == 0.09 and np.isinf(arrays.f_access_spread[rcf])
    assert arrays.f_ext_fee[ddtl] == 0.0025


def test_month_offsets(arrays: PortfolioArrays) -> None:
    ddtl, abs_, sun = fac(arrays, "SPV-DDTL"), fac(arrays, "DEV-ABS"), fac(arrays, "NEO-SUN")
    # as-of 2026-06-30: 2026-01-15 is -5, 2031-01-15 is 55, 2030-06-01 is 48
    assert arrays.f_start_month[ddtl] == -5 and arrays.f_maturity_month[ddtl] == 55
    assert arrays.f_maturity_month[sun] == 48 and arrays.f_start_month[sun] == -13
    assert arrays.f_ard_month[abs_] == 60 and arrays.f_legal_final_month[abs_] == 360
    assert arrays.f_ard_month[ddtl] == NO_MONTH
    assert arrays.f_legal_final_month[ddtl] == arrays.f_maturity_month[ddtl]


def test_defaults_by_kind(arrays: PortfolioArrays) -> None:
    sun, con, abs_ = fac(arrays, "NEO-SUN"), fac(arrays, "DEV-CON"), fac(arrays, "DEV-ABS")
    assert arrays.f_drawn[sun] == 2.0e9  # a bond is fully drawn
    assert arrays.f_pay_freq[sun] == 6 and arrays.f_day_count[sun] == DayCount.thirty_360
    assert arrays.f_day_count[con] == DayCount.act_360
    assert arrays.f_sweep_share[abs_] == 1.0 and arrays.f_sweep_share[sun] == 0.0
    assert arrays.f_amort_term_months[sun] == 61  # start 2025-05 to maturity 2030-06
    assert arrays.f_secured[sun] == np.False_ and arrays.f_secured[abs_] == np.True_
    assert arrays.f_cov_action[fac(arrays, "NEO-RCF")] == CovenantAction.event_of_default
    assert arrays.f_cov_action[sun] == CovenantAction.none
    assert np.isinf(arrays.f_max_ltv[sun]) and arrays.f_min_dscr[sun] == 0.0
    assert arrays.f_kind[con] == FacilityKind.construction_loan


def test_amortization_grammar(arrays: PortfolioArrays) -> None:
    ddtl = fac(arrays, "SPV-DDTL")
    assert arrays.f_amort[ddtl] == Amortization.io_then_annuity
    assert arrays.f_io_months[ddtl] == 12 and arrays.f_amort_term_months[ddtl] == 60
    assert arrays.f_amort[fac(arrays, "DEV-TL")] == Amortization.custom


def test_csr_schedules(arrays: PortfolioArrays) -> None:
    ddtl, con, tl = fac(arrays, "SPV-DDTL"), fac(arrays, "DEV-CON"), fac(arrays, "DEV-TL")
    draws = slice(arrays.f_draw_ptr[ddtl], arrays.f_draw_ptr[ddtl + 1])
    assert arrays.draw_month[draws].tolist() == [3, 6]
    assert arrays.draw_amount[draws].tolist() == [1.0e8, 5.0e7]
    draws = slice(arrays.f_draw_ptr[con], arrays.f_draw_ptr[con + 1])
    assert arrays.draw_month[draws].tolist() == [6, 12]
    sched = slice(arrays.f_sched_ptr[tl], arrays.f_sched_ptr[tl + 1])
    assert arrays.sched_month[sched].tolist() == [12, 18, 24]
    assert arrays.sched_amount.sum() == 1.0e8
    coll = slice(arrays.f_coll_ptr[ddtl], arrays.f_coll_ptr[ddtl + 1])
    assert [arrays.asset_ids[i] for i in arrays.coll_asset[coll]] == ["GPU-A"]


def test_references_resolve_to_counterparty_or_borrower(arrays: PortfolioArrays) -> None:
    gpu_a, dc = arrays.asset_ids.index("GPU-A"), arrays.asset_ids.index("DC-1")
    assert arrays.a_cpty_kind[gpu_a] == RefKind.counterparty and arrays.a_cpty[gpu_a] == 0
    assert arrays.a_rvg_kind[gpu_a] == RefKind.borrower and arrays.a_rvg[gpu_a] == 0
    assert arrays.a_cpty[dc] == 1 and arrays.a_backstop[dc] == 0
    assert arrays.a_completion_month[dc] == 18 and arrays.a_escalator[dc] == 0.025
    assert arrays.a_cap_rate[dc] == 0.0625
    assert arrays.b_parent.tolist() == [-1, 0, -1, -1]
    assert arrays.b_rating.tolist() == [Rating.B, Rating.BBB, Rating.NR, Rating.B]
    assert arrays.c_rating.tolist() == [Rating.AA, Rating.BB]


def test_holdings_point_at_sorted_facilities(arrays: PortfolioArrays) -> None:
    first = arrays.h_facility[0]
    assert arrays.facility_ids[first] == "NEO-RCF"
    totals = np.bincount(arrays.h_facility, weights=arrays.h_share, minlength=arrays.n_facilities)
    assert (totals <= 1 + 1e-12).all()


def test_dtypes_follow_contract(arrays: PortfolioArrays) -> None:
    assert arrays.f_kind.dtype == np.int8 and arrays.f_borrower.dtype == np.int32
    assert arrays.f_secured.dtype == np.bool_ and arrays.f_drawn.dtype == np.float64
    assert arrays.draw_month.dtype == np.int32 and arrays.coll_asset.dtype == np.int32


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.dates(date(1990, 1, 1),
       date(2100, 12, 31)))
def test_month_offset_matches_numpy_month_arithmetic(day: date, as_of: date) -> None:
    expected = (np.datetime64(day, "M") - np.datetime64(as_of, "M")).astype(int)
    assert month_offset(day, as_of) == expected


@given(st.decimals(min_value=0, max_value=3000, places=4, allow_nan=False))
def test_scaled_is_the_nearest_double_to_the_decimal_rate(value) -> None:  # type: ignore[no-untyped-def]
    typed = float(value)
    assert scaled(typed, 2) == float(f"{typed!r}e-2")


def test_vectorised_defaults_equal_the_per_record_rules(small_yaml: Path) -> None:
    from cliffwatch.tape import compile as c

    portfolio = load_tape(small_yaml)
    arrays = compile_portfolio(portfolio)
    as_of = portfolio.info.as_of
    by_id = {f.id: f for f in portfolio.facilities}
    for i, fid in enumerate(arrays.facility_ids):
        f = by_id[fid]
        assert arrays.f_drawn[i] == c.drawn_at_start(f)
        assert arrays.f_pay_freq[i] == {"monthly": 1, "quarterly": 3, "semiannual": 6,
                                        "annual": 12}[c.pay_frequency(f)]
        assert arrays.f_day_count[i] == c.day_count(f)
        assert arrays.f_cov_action[i] == c.covenant_action(f)
        assert arrays.f_sweep_share[i] == c.sweep_share(f)
        assert arrays.f_amort_term_months[i] == c.amort_term_months(f, as_of)


@pytest.mark.parametrize(("typed", "stored"), [
    ("Straight Line", "straight_line"), ("straight-line", "straight_line"),
    (" IO: 24 / Annuity ", "io:24/annuity"), ("BULLET", "bullet"),
])
def test_amortization_spellings_are_canonical(typed: str, stored: str) -> None:
    from cliffwatch.tape.schema import Facility

    f = Facility(id="F", borrower_id="B", kind="term_loan", commitment_usd=1.0,
                 coupon_pct=5.0, maturity_date=date(2030, 1, 1), amortization=typed)
    assert f.amortization == stored


def test_a_book_without_facilities_compiles_to_empty_arrays() -> None:
    from cliffwatch.tape.schema import Borrower, Portfolio, TapeInfo

    portfolio = Portfolio(
        info=TapeInfo(as_of=date(2026, 6, 30)),
        borrowers=[Borrower(id="B", name="b", archetype="other", opening_cash_usd=0.0)],
    )
    arrays = compile_portfolio(portfolio)
    assert arrays.n_facilities == 0 and arrays.b_fac_ptr.tolist() == [0, 0]
    assert arrays.f_draw_ptr.tolist() == [0] and arrays.f_kind.dtype == np.int8
    assert arrays.draw_month.dtype == np.int32 and arrays.f_drawn.dtype == np.float64
