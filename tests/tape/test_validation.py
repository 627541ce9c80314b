"""One test per validation rule: a malformed tape and the exact located issue it yields.

Tapes are written as CSV folders, so rows are spreadsheet rows: header = 1, first data row = 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.load import check_tape, load_tape

from .fixtures import small_tape, write_raw_csv


def issues_of(tape: dict[str, Any], tmp_path: Path) -> list[Issue]:
    folder = write_raw_csv(tape, tmp_path / "tape")
    return check_tape(folder)[1]


def only_error(tape: dict[str, Any], tmp_path: Path) -> Issue:
    errors = [i for i in issues_of(tape, tmp_path) if i.severity == "error"]
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def where(issue: Issue) -> tuple[str, int | None, str]:
    return issue.sheet, issue.row, issue.column


def facility(tape: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in tape["facilities"] if f["id"] == fid)


# ---- cell types and ranges ----

def test_missing_required_value(tmp_path: Path) -> None:
    tape = small_tape()
    del tape["facilities"][0]["commitment_usd"]
    tape["facilities"][1]["commitment_usd"] = 1.5e9
    tape["facilities"][0]["commitment_usd"] = None
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "commitment_usd")
    assert issue.expected == "a value (required column)"
    assert issue.file.endswith("tape")


def test_text_in_a_number_column(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-RCF")["spread_bp"] = "wide"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 3, "spread_bp") and issue.value == "wide"
    assert issue.expected == "a number such as 450, 450bp, 4.5% or S+450"


def test_negative_balance(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-RCF")["drawn_usd"] = -5
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 3, "drawn_usd")
    assert issue.expected == "a number from 0 to 10,000,000,000,000 (USD), e.g. 250000000"


def test_coupon_out_of_sane_bounds(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["coupon_pct"] = 925  # typed in bp by mistake
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "coupon_pct")
    assert issue.expected == "a number from 0 to 30 (% per year), e.g. 7.5"


def test_spread_out_of_sane_bounds(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-RCF")["spread_bp"] = 27500
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 3, "spread_bp")
    assert issue.expected == "a number from 0 to 3000 (bp per year), e.g. 450"


def test_share_above_one(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"][3]["share"] = 70  # percent typed instead of a decimal
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("holdings.csv", 5, "share")
    assert issue.expected == "a share above 0 and up to 1, e.g. 0.8"


def test_unknown_archetype(tmp_path: Path) -> None:
    tape = small_tape()
    tape["borrowers"][1]["archetype"] = "spv"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("borrowers.csv", 3, "archetype")
    assert issue.expected.startswith("expected one of: hyperscaler, neocloud")


def test_unknown_rating(tmp_path: Path) -> None:
    tape = small_tape()
    tape["counterparties"][1]["rating"] = "BX"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("counterparties.csv", 3, "rating")
    assert "S&P/Fitch grade" in issue.expected


def test_bad_amortization_grammar(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "SPV-DDTL")["amortization"] = "io24/annuity"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 5, "amortization")
    assert "io:N/annuity" in issue.expected


def test_bad_date(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["maturity_date"] = "2030-13-01"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "maturity_date")
    assert issue.expected.startswith("a date such as 2027-12-31, 31/12/2027, Dec-2027")


def test_non_usd_tape_rejected(tmp_path: Path) -> None:
    tape = small_tape()
    tape["currency"] = "EUR"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("tape.csv", 2, "currency")
    assert issue.expected.startswith("only USD tapes are supported")


def test_non_usd_facility_rejected(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "DEV-TL")["currency"] = "gbp"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 8, "currency")


def test_unknown_column(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["spred_bp"] = 100
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 1, "spred_bp")
    assert "known column" in issue.expected


def test_note_columns_are_ignored(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["_comment"] = "call schedule to be added"
    assert [i for i in issues_of(tape, tmp_path) if i.severity == "error"] == []


def test_missing_table(tmp_path: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "tape")
    (folder / "facilities.csv").unlink()
    errors = [i for i in check_tape(folder)[1] if i.severity == "error"]
    assert any(e.sheet == "facilities" and "missing" in e.expected for e in errors)


# ---- ids and references ----

def test_duplicate_id(tmp_path: Path) -> None:
    tape = small_tape()
    tape["lenders"].append({"id": "PC", "name": "Another fund", "type": "hy_fund"})
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("lenders.csv", 6, "id") and "duplicate" in issue.expected


def test_counterparty_id_clashing_with_borrower(tmp_path: Path) -> None:
    tape = small_tape()
    tape["counterparties"].append({"id": "DEV", "name": "x", "archetype": "other"})
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("counterparties.csv", 4, "id") and "ambiguous" in issue.expected


def test_unknown_parent(tmp_path: Path) -> None:
    tape = small_tape()
    tape["borrowers"][1]["parent_id"] = "NEOX"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("borrowers.csv", 3, "parent_id") and issue.value == "NEOX"


def test_facility_of_unknown_borrower(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["borrower_id"] = "NE0"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "borrower_id")
    assert issue.expected == "the id of a borrower"


def test_asset_of_unknown_borrower(tmp_path: Path) -> None:
    tape = small_tape()
    tape["assets"][2]["borrower_id"] = "DEVX"
    errors = [i for i in issues_of(tape, tmp_path) if i.severity == "error"]
    assert where(errors[0]) == ("assets.csv", 4, "borrower_id")


def test_asset_reference_unknown(tmp_path: Path) -> None:
    tape = small_tape()
    tape["assets"][2]["tenant_id"] = "OPENX"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 4, "tenant_id")
    assert issue.expected == "the id of a counterparty or borrower"


def test_unknown_collateral_asset(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-OEM")["collateral"] = ["GPU-B", "GPU-Z"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 4, "collateral") and issue.value == "GPU-Z"


def test_collateral_of_another_borrower(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-OEM")["collateral"] = ["GPU-A"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 4, "collateral")
    assert issue.expected == "an asset of borrower NEO (owned by SPV1)"


def test_holding_of_unknown_lender(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"][0]["lender_id"] = "BNAK"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("holdings.csv", 2, "lender_id")


def test_holding_of_unknown_facility(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"][0]["facility_id"] = "NEO-RCF2"
    errors = [i for i in issues_of(tape, tmp_path) if i.severity == "error"]
    assert [where(e) for e in errors] == [("holdings.csv", 2, "facility_id")]


def test_holdings_summing_above_one(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"].append({"facility_id": "DEV-ABS", "lender_id": "PC", "share": 0.5})
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 6, "id")
    assert issue.expected == "holdings summing to at most 1 (they sum to 1.2)"


# ---- assets ----

def test_gpu_fleet_without_units(tmp_path: Path) -> None:
    tape = small_tape()
    del tape["assets"][0]["units"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 2, "units")
    assert issue.expected == "a value (required for gpu_fleet)"


def test_contracted_share_without_price(tmp_path: Path) -> None:
    tape = small_tape()
    del tape["assets"][0]["contract_price_usd_per_gpu_hour"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 2, "contract_price_usd_per_gpu_hour")


def test_leased_above_capacity(tmp_path: Path) -> None:
    tape = small_tape()
    tape["assets"][2]["leased_mw"] = 250
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 4, "leased_mw")
    assert issue.expected == "at most capacity_mw (200)"


def test_lease_without_rate(tmp_path: Path) -> None:
    tape = small_tape()
    del tape["assets"][2]["lease_rate_usd_per_kw_month"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 4, "lease_rate_usd_per_kw_month")


# ---- facility terms ----

def test_drawn_above_commitment(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-RCF")["drawn_usd"] = 1.6e9
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 3, "drawn_usd")
    assert issue.expected == "at most commitment_usd (1,500,000,000)"


def test_neither_coupon_nor_spread(tmp_path: Path) -> None:
    tape = small_tape()
    del facility(tape, "NEO-SUN")["coupon_pct"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "coupon_pct")
    assert issue.expected == "coupon_pct (fixed) or spread_bp (floating)"


def test_both_coupon_and_spread(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["spread_bp"] = 500
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "spread_bp")


def test_cap_below_floor(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "SPV-DDTL")["sofr_floor_pct"] = 7.0
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 5, "sofr_cap_pct")
    assert issue.expected == "at least sofr_floor_pct (7)"


def test_maturity_before_as_of(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["maturity_date"] = "2026-06-30"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "maturity_date")
    assert issue.expected == "a date after the as-of date 2026-06-30"


def test_start_not_before_maturity(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["start_date"] = "2031-01-01"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 2, "start_date")


def test_ard_after_legal_final(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "DEV-ABS")["ard_date"] = "2057-01-01"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 6, "ard_date")
    assert "on or before the legal final (2056-06-30)" in issue.expected


def test_legal_final_before_maturity(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "DEV-ABS")["legal_final_date"] = "2040-06-30"
    errors = [i for i in issues_of(tape, tmp_path) if i.severity == "error"]
    assert where(errors[0]) == ("facilities.csv", 6, "legal_final_date")


def test_availability_end_after_maturity(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "DEV-CON")["availability_end_date"] = "2030-01-01"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 7, "availability_end_date")


def test_interest_only_longer_than_term(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "SPV-DDTL")["amortization"] = "io:60/annuity"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 5, "amortization")


def test_custom_amortization_without_schedule(tmp_path: Path) -> None:
    tape = small_tape()
    tape["amortization_schedule"] = []
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 8, "amortization")


# ---- draws and schedules ----

def test_draw_outside_window(tmp_path: Path) -> None:
    tape = small_tape()
    tape["draws"][1]["date"] = "2027-03-31"  # availability ends 2027-01-15
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("draws.csv", 3, "date")
    assert issue.expected == "a date in the draw window 2026-01-15..2027-01-15"


def test_draw_on_a_bond(tmp_path: Path) -> None:
    tape = small_tape()
    tape["draws"].append({"facility_id": "NEO-SUN", "date": "2026-09-30", "amount_usd": 1.0})
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("draws.csv", 6, "facility_id")


def test_draws_above_commitment(tmp_path: Path) -> None:
    tape = small_tape()
    tape["draws"][3]["amount_usd"] = 5.0e8  # 2e8 drawn + 4e8 + 5e8 > 1e9
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 7, "commitment_usd")


def test_schedule_for_a_non_custom_facility(tmp_path: Path) -> None:
    tape = small_tape()
    tape["amortization_schedule"][0]["facility_id"] = "NEO-SUN"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("amortization_schedule.csv", 2, "facility_id")


def test_schedule_after_maturity(tmp_path: Path) -> None:
    tape = small_tape()
    tape["amortization_schedule"][2]["date"] = "2028-07-31"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("amortization_schedule.csv", 4, "date")


def test_schedule_above_commitment(tmp_path: Path) -> None:
    tape = small_tape()
    tape["amortization_schedule"][2]["principal_usd"] = 9.0e7
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("facilities.csv", 8, "commitment_usd")


# ---- warnings and collection ----

def test_facility_without_holder_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"] = [h for h in tape["holdings"] if h["facility_id"] != "DEV-TL"]
    folder = write_raw_csv(tape, tmp_path / "tape")
    portfolio = load_tape(folder)
    (warning,) = portfolio.warnings
    assert where(warning) == ("facilities.csv", 8, "id") and warning.severity == "warning"


def test_step_up_without_ard_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["step_up_bp"] = 100
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("facilities.csv", 2, "step_up_bp")


def test_all_problems_are_raised_together(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["coupon_pct"] = "nine"
    tape["holdings"][0]["share"] = 2
    tape["assets"][2]["tenant_id"] = "NOBODY"
    folder = write_raw_csv(tape, tmp_path / "tape")
    with pytest.raises(TapeError) as info:
        load_tape(folder)
    assert sorted(where(i) for i in info.value.errors) == [
        ("assets.csv", 4, "tenant_id"), ("facilities.csv", 2, "coupon_pct"),
        ("holdings.csv", 2, "share"),
    ]
    assert "3 error(s)" in str(info.value)


def test_xlsx_rows_are_workbook_rows(small_yaml: Path, tmp_path: Path) -> None:
    import openpyxl

    from cliffwatch.tape.write import write_tape

    path = write_tape(load_tape(small_yaml), tmp_path / "t.xlsx", "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["holdings"]
    sheet.insert_rows(3)  # a blank line in the middle shifts what the user sees
    sheet.cell(row=5, column=3).value = -0.5
    book.save(path)
    with pytest.raises(TapeError) as info:
        load_tape(path)
    (issue,) = info.value.errors
    assert (issue.file, issue.sheet, issue.row, issue.column) == (
        str(path), "holdings", 5, "share"
    )


# ---- remaining rules ----

def test_parent_is_itself(tmp_path: Path) -> None:
    tape = small_tape()
    tape["borrowers"][0]["parent_id"] = "NEO"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("borrowers.csv", 2, "parent_id")
    assert issue.expected == "a parent other than itself"


def test_rvg_amount_without_guarantor(tmp_path: Path) -> None:
    tape = small_tape()
    del tape["assets"][0]["rvg_guarantor_id"]
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 2, "rvg_guarantor_id")


def test_other_kind_column_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    tape["assets"][2]["units"] = 100
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("assets.csv", 4, "units") and warning.severity == "warning"
    assert warning.expected == "empty for a data_center (ignored)"


def test_covenant_action_without_covenant_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["covenant_action"] = "cash_trap"
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("facilities.csv", 2, "covenant_action")


def test_trap_below_default_trigger_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "SPV-DDTL")["trap_dscr"] = 1.1
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("facilities.csv", 5, "trap_dscr")


def test_secured_without_collateral_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "NEO-SUN")["secured"] = "yes"
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("facilities.csv", 2, "secured")


def test_duplicate_holding_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"][3]["share"] = 0.3
    tape["holdings"].append({"facility_id": "DEV-ABS", "lender_id": "INS", "share": 0.3})
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("holdings.csv", 14, "lender_id")


def test_draw_of_unknown_facility(tmp_path: Path) -> None:
    tape = small_tape()
    tape["draws"][0]["facility_id"] = "SPV-DDTL-2"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("draws.csv", 2, "facility_id")


def test_schedule_of_unknown_facility(tmp_path: Path) -> None:
    tape = small_tape()
    tape["amortization_schedule"][1]["facility_id"] = "DEV-TL2"
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("amortization_schedule.csv", 3, "facility_id")


def test_two_tape_rows(tmp_path: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "tape")
    with open(folder / "tape.csv", "a") as handle:
        handle.write("2026-07-31,USD,second\n")
    errors = [i for i in check_tape(folder)[1] if i.severity == "error"]
    assert [(e.sheet, e.row) for e in errors] == [("tape.csv", 3)]
    assert errors[0].expected == "exactly one row in the 'tape' table"


def test_a_bad_row_is_not_reported_again_as_a_dangling_reference(tmp_path: Path) -> None:
    tape = small_tape()
    facility(tape, "DEV-CON")["spread_bp"] = "n/a"  # holdings and draws point at DEV-CON
    errors = [i for i in issues_of(tape, tmp_path) if i.severity == "error"]
    assert [where(e) for e in errors] == [("facilities.csv", 7, "spread_bp")]


# ---- layout of a sheet ----

def test_duplicate_header(tmp_path: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "tape")
    path = folder / "lenders.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",name"] + [ln + ",dup" for ln in lines[1:]]) + "\n")
    errors = [i for i in check_tape(folder)[1] if i.severity == "error"]
    assert [where(e) for e in errors] == [("lenders.csv", 1, "name")]
    assert errors[0].expected == "each column once (duplicate header)"


def test_cell_without_header(tmp_path: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "tape")
    path = folder / "lenders.csv"
    lines = path.read_text().splitlines()
    lines[2] += ",stray note"
    path.write_text("\n".join(lines) + "\n")
    errors = [i for i in check_tape(folder)[1] if i.severity == "error"]
    assert [where(e) for e in errors] == [("lenders.csv", 3, "#4")]
    assert errors[0].value == "stray note"


def test_semicolon_separated_csv(tmp_path: Path, small_yaml: Path) -> None:
    folder = write_raw_csv(small_tape(), tmp_path / "tape")
    path = folder / "lenders.csv"
    path.write_text(path.read_text().replace(",", ";"))
    assert load_tape(folder).model_dump() == load_tape(small_yaml).model_dump()


def test_unknown_yaml_key_points_at_its_item(tmp_path: Path) -> None:
    from .fixtures import yaml_text

    tape = small_tape()
    tape["lenders"][2]["typ"] = "insurer"
    text = yaml_text(tape)
    path = tmp_path / "t.yaml"
    path.write_text(text)
    issue = next(i for i in check_tape(path)[1] if i.severity == "error")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s == "- id: INS")
    assert (issue.sheet, issue.row, issue.column) == ("lenders", line, "typ")


@pytest.mark.parametrize("cell", ["86400", "20260630", "46203"])
def test_number_in_a_date_column_is_not_read_as_unix_time(tmp_path: Path, cell: str) -> None:
    tape = small_tape()
    tape["draws"][0]["date"] = cell
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("draws.csv", 2, "date")
    assert issue.expected.startswith("a date such as 2026-06-30 (got a number")


def test_lease_ending_before_completion(tmp_path: Path) -> None:
    tape = small_tape()
    tape["assets"][2]["lease_end_date"] = "2027-06-30"  # completion 2027-12-31
    issue = only_error(tape, tmp_path)
    assert where(issue) == ("assets.csv", 4, "lease_end_date")
    assert issue.expected == "a date after completion_date (2027-12-31)"


def test_past_draw_is_a_warning(tmp_path: Path) -> None:
    tape = small_tape()
    tape["draws"][0]["date"] = "2026-03-31"  # inside the window, before the as-of month
    (warning,) = issues_of(tape, tmp_path)
    assert where(warning) == ("draws.csv", 2, "date") and warning.severity == "warning"
