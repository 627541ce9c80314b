"""Software borrowers on the tape: compiled values, the vulnerability formula, the new rules.

Expected values are computed by hand from the small tape (``fixtures.SMALL_TAPE``: borrower
``SW`` owns ``SW-1``, owes the recurring-revenue loan ``SW-UT`` and the second lien ``SW-2L``).
Validation tapes are CSV folders: header = row 1, first data row = row 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.codes import CovenantAction, LenderType
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import Issue
from cliffwatch.tape.load import check_tape, load_tape
from cliffwatch.tape.vulnerability import vulnerability_scores

from .fixtures import small_tape, write_raw_csv

SW_ASSET_ROW = 5  # fourth asset: header + 4
SW_UT_ROW, SW_2L_ROW = 9, 10  # eighth and ninth facility


@pytest.fixture
def arrays(small_yaml: Path) -> PortfolioArrays:
    return compile_portfolio(load_tape(small_yaml))


def issues_of(tape: dict[str, Any], tmp_path: Path) -> list[Issue]:
    return check_tape(write_raw_csv(tape, tmp_path / "tape"))[1]


def only_issue(tape: dict[str, Any], tmp_path: Path) -> Issue:
    issues = issues_of(tape, tmp_path)
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def where(issue: Issue) -> tuple[str, int | None, str, str]:
    return issue.sheet, issue.row, issue.column, issue.severity


def row(tape: dict[str, Any], table: str, rid: str) -> dict[str, Any]:
    return next(r for r in tape[table] if r["id"] == rid)


# ---- compile ----

def test_software_asset_compiles_to_decimals(arrays: PortfolioArrays) -> None:
    a = arrays.asset_ids.index("SW-1")
    assert arrays.a_kind[a] == 2 and arrays.a_arr[a] == 4.0e8
    assert arrays.a_arr_growth[a] == 0.12 and arrays.a_gross_margin[a] == 0.78
    assert arrays.a_ebitda_margin[a] == 0.22 and arrays.a_ev_to_arr[a] == 6.5
    # per_seat 0.6 + medium 0 + 0.5 * 10% top customer + 2 * (100% - 96% NRR)
    assert arrays.a_vulnerability[a] == pytest.approx(0.6 + 0.05 + 0.08, abs=1e-12)
    others = np.arange(arrays.n_assets) != a
    for name in ("a_arr", "a_arr_growth", "a_gross_margin", "a_ebitda_margin",
                 "a_vulnerability", "a_ev_to_arr"):
        assert (getattr(arrays, name)[others] == 0).all(), name


def test_software_loans_compile_into_contract_fields(arrays: PortfolioArrays) -> None:
    ut, l2 = arrays.facility_ids.index("SW-UT"), arrays.facility_ids.index("SW-2L")
    assert arrays.f_max_arr_leverage[ut] == 2.5 and arrays.f_max_leverage[ut] == 7.5
    assert arrays.f_cov_convert_month[ut] == 24  # 2028-06 is 24 months after 2026-06
    assert arrays.f_pik_share[ut] == 0.5 and arrays.f_pik_margin[ut] == 0.005
    assert arrays.f_cov_action[ut] == CovenantAction.event_of_default  # default, covenants set
    assert arrays.f_pik_share[l2] == 1.0 and arrays.f_pik_margin[l2] == 0.0
    assert arrays.f_cov_action[l2] == CovenantAction.none
    rest = np.arange(arrays.n_facilities) != ut
    assert np.isinf(arrays.f_max_arr_leverage[rest]).all()
    assert np.isinf(arrays.f_max_leverage[rest]).all()
    assert (arrays.f_cov_convert_month[rest] == NO_MONTH).all()
    assert arrays.facility_structures[ut] == "recurring_revenue"


def test_software_side_and_bdc_lender(arrays: PortfolioArrays) -> None:
    assert arrays.software_borrowers().tolist() == [False, False, False, True]
    assert arrays.l_type[arrays.lender_ids.index("BDC")] == LenderType.bdc == 8
    assert LenderType.other == 7  # appended: existing codes keep their values


def test_ebitda_covenant_alone_defaults_to_event_of_default(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "SW-2L")["max_leverage"] = 8.0
    path = write_raw_csv(tape, tmp_path / "t")
    arrays = compile_portfolio(load_tape(path))
    l2 = arrays.facility_ids.index("SW-2L")
    assert arrays.f_cov_action[l2] == CovenantAction.event_of_default
    assert arrays.f_max_leverage[l2] == 8.0 and np.isinf(arrays.f_max_arr_leverage[l2])


# ---- vulnerability ----

def test_vulnerability_orders_the_archetypes() -> None:
    horizontal, it_services, vertical = vulnerability_scores(
        ["per_seat", "usage", "platform"], ["low", "medium", "high"], [0.05, 0.15, 0.05],
        [0.97, 1.02, 1.10], [None, None, None])
    assert horizontal == pytest.approx(0.6 + 0.2 + 0.025 + 0.06, abs=1e-12)
    assert it_services == pytest.approx(0.4 + 0.075, abs=1e-12)
    assert vertical == pytest.approx(0.0)  # 0.2 - 0.3 + 0.025 clips at 0
    assert horizontal > it_services > vertical


def test_vulnerability_override_clip_and_neutral_defaults() -> None:
    scores = vulnerability_scores(
        ["per_seat", "per_seat", "usage", None], ["low", "low", "medium", None],
        [1.0, 1.0, None, None], [0.5, 0.5, None, None], [None, 0.3, None, None])
    assert scores.tolist() == [1.0, 0.3, 0.4, 0.0]


@given(top=st.floats(0, 1), nrr=st.floats(0, 3), pricing=st.sampled_from(
    ["per_seat", "usage", "platform"]), crit=st.sampled_from(["low", "medium", "high"]),
    bump=st.floats(0, 0.5))
def test_vulnerability_is_bounded_and_monotone(
    top: float, nrr: float, pricing: str, crit: str, bump: float
) -> None:
    base, more_concentrated, lower_nrr = vulnerability_scores(
        [pricing] * 3, [crit] * 3, [top, min(top + bump, 1.0), top], [nrr, nrr, nrr - bump],
        [None] * 3)
    assert 0.0 <= base <= 1.0
    assert more_concentrated >= base and lower_nrr >= base


# ---- validation: one test per rule ----

def test_software_asset_without_arr(tmp_path: Path) -> None:
    tape = small_tape()
    del row(tape, "assets", "SW-1")["arr_usd"]
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", SW_ASSET_ROW, "arr_usd", "error")
    assert issue.expected == "a value (required for software_business)"


def test_pricing_model_required_unless_vulnerability_given(tmp_path: Path) -> None:
    tape = small_tape()
    del row(tape, "assets", "SW-1")["pricing_model"]
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", SW_ASSET_ROW, "pricing_model", "error")
    assert "unless vulnerability is given" in issue.expected
    row(tape, "assets", "SW-1")["vulnerability"] = 0.4
    assert issues_of(tape, tmp_path / "again") == []


def test_unknown_pricing_model(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "assets", "SW-1")["pricing_model"] = "per_outcome"
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", SW_ASSET_ROW, "pricing_model", "error")
    assert issue.expected == "expected one of: per_seat, usage, platform"


def test_vulnerability_above_one(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "assets", "SW-1")["vulnerability"] = 1.5
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", SW_ASSET_ROW, "vulnerability", "error")
    assert issue.expected == "a share from 0 to 1, e.g. 0.8"


def test_ebitda_margin_above_gross_margin(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "assets", "SW-1")["ebitda_margin_pct"] = 80
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", SW_ASSET_ROW, "ebitda_margin_pct", "error")
    assert issue.expected == "at most gross_margin_pct (78)" and issue.value == 80


def test_negative_ebitda_margin_is_valid(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "assets", "SW-1")["ebitda_margin_pct"] = -15
    assert issues_of(tape, tmp_path) == []


def test_software_column_on_a_gpu_fleet_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "assets", "GPU-A")["arr_usd"] = 1e8
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("assets.csv", 2, "arr_usd", "warning")
    assert issue.expected == "empty for a gpu_fleet (ignored)"


def test_conversion_date_without_arr_covenant(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "SW-2L")["covenant_conversion_date"] = "2028-06-30"
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", SW_2L_ROW, "covenant_conversion_date", "error")
    assert issue.expected == "max_arr_leverage (an ARR covenant to convert)"


def test_conversion_on_or_after_maturity_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "SW-UT")["covenant_conversion_date"] = "2031-09-30"
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", SW_UT_ROW, "covenant_conversion_date", "warning")
    assert issue.expected.startswith("a date before maturity_date (2031-09-30)")


def test_arr_covenant_on_a_borrower_without_software(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "NEO-SUN")["max_arr_leverage"] = 2.0
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "max_arr_leverage", "error")
    assert "owning a software_business asset (NEO owns none" in issue.expected


def test_ebitda_covenant_on_an_infrastructure_borrower_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "NEO-SUN")["max_leverage"] = 6.0
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "max_leverage", "warning")


def test_pik_margin_without_pik_share(tmp_path: Path) -> None:
    tape = small_tape()
    del row(tape, "facilities", "SW-UT")["pik_share"]
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", SW_UT_ROW, "pik_margin_bp", "error")
    assert issue.value == 50


def test_leverage_covenant_out_of_sane_bounds(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "facilities", "SW-UT")["max_arr_leverage"] = 250  # typed as a percentage
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("facilities.csv", SW_UT_ROW, "max_arr_leverage", "error")
    assert issue.expected == "a multiple above 0 and up to 50, e.g. 1.25"


def test_covenant_action_with_only_a_software_covenant_is_not_a_warning(
    tmp_path: Path,
) -> None:
    tape = small_tape()
    row(tape, "facilities", "SW-UT")["covenant_action"] = "cash_trap"
    assert issues_of(tape, tmp_path) == []


def test_unknown_lender_type_lists_bdc(tmp_path: Path) -> None:
    tape = small_tape()
    row(tape, "lenders", "BDC")["type"] = "business_development"
    issue = only_issue(tape, tmp_path)
    assert where(issue) == ("lenders.csv", 5, "type", "error") and "bdc" in issue.expected


def test_template_workbook_has_the_software_columns(tmp_path: Path) -> None:
    import openpyxl

    from cliffwatch.tape.template import template_portfolio
    from cliffwatch.tape.write import write_tape

    book = openpyxl.load_workbook(write_tape(template_portfolio(), tmp_path / "t.xlsx", "xlsx"))
    headers = {name: [c.value for c in book[name][1]] for name in ("assets", "facilities")}
    for column in ("arr_usd", "pricing_model", "workflow_criticality", "ev_to_arr",
                   "vulnerability"):
        assert column in headers["assets"]
    for column in ("max_arr_leverage", "max_leverage", "covenant_conversion_date", "pik_share",
                   "pik_margin_bp"):
        assert column in headers["facilities"]
