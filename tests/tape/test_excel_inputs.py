"""Inputs as Excel users type them: one test per quirk, on real workbooks written by openpyxl.

Each quirk is either read correctly (and the conversion reported as a warning) or refused with
a message naming the expected form and an example. The base workbook is the template tape
(one row per table: facility DDTL-1 floating at SOFR + 300 bp with a 0.5% floor).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.sample import sample_tape_path
from cliffwatch.tape.csv_format import write_csv_folder
from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.load import check_tape, load_tape
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.tabular import columns, portfolio_tables
from cliffwatch.tape.template import template_portfolio
from cliffwatch.tape.typed_text import read_number
from cliffwatch.tape.xlsx_format import enumerations

runner = CliRunner()
PYDANTIC_WORDS = ("Input should", "input should", "invalid character", "input is too short",
                  "unable to parse", "Value error")


def workbook(portfolio: Portfolio | None = None) -> openpyxl.Workbook:
    """The tape as an openpyxl workbook: a sheet per table, header in row 1."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, rows in portfolio_tables(portfolio or template_portfolio()).items():
        sheet = book.create_sheet(table)
        sheet.append(columns(table))
        for row in rows:
            sheet.append(row)
    return book


def cell(book: openpyxl.Workbook, table: str, column: str, row: int = 2) -> Any:
    """The openpyxl cell of ``column`` in spreadsheet ``row`` of ``table``."""
    return book[table].cell(row=row, column=columns(table).index(column) + 1)


def put(book: openpyxl.Workbook, table: str, column: str, value: Any,
        number_format: str | None = None) -> None:
    target = cell(book, table, column)
    target.value = value
    if number_format is not None:
        target.number_format = number_format


def check(book: openpyxl.Workbook, tmp_path: Path) -> tuple[Portfolio | None, list[Issue]]:
    path = tmp_path / "tape.xlsx"
    book.save(path)
    return check_tape(path)


def loaded(book: openpyxl.Workbook, tmp_path: Path) -> tuple[Portfolio, list[Issue]]:
    portfolio, issues = check(book, tmp_path)
    errors = [str(i) for i in issues if i.severity == "error"]
    assert portfolio is not None and not errors, errors
    return portfolio, [i for i in issues if i.severity == "warning"]


def only_error(book: openpyxl.Workbook, tmp_path: Path) -> Issue:
    _, issues = check(book, tmp_path)
    errors = [i for i in issues if i.severity == "error"]
    assert len(errors) == 1, [str(e) for e in errors]
    assert not any(w in errors[0].expected for w in PYDANTIC_WORDS), errors[0].expected
    return errors[0]


# ---- number formats ----

def test_percent_formatted_coupon_is_read_as_the_percent_it_shows(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "spread_bp", None)
    put(book, "facilities", "coupon_pct", 0.075, "0.00%")  # Excel stores 7.5% as 0.075
    put(book, "facilities", "sofr_floor_pct", 0.005, "0%")
    portfolio, warnings = loaded(book, tmp_path)
    f = portfolio.facilities[0]
    assert f.coupon_pct == 7.5 and f.sofr_floor_pct == 0.5
    notes = {w.column: w.expected for w in warnings}
    assert notes["coupon_pct"] == ("converted 1 cell (%-formatted cell read as the percent it "
                                   "shows), e.g. '7.5%' read as 7.5")
    assert "sofr_floor_pct" in notes


def test_percent_formatted_spread_is_read_in_basis_points(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "spread_bp", 0.0325, "0.00%")
    portfolio, _ = loaded(book, tmp_path)
    assert portfolio.facilities[0].spread_bp == 325


def test_percent_formatted_share_is_already_a_share(tmp_path: Path) -> None:
    book = workbook()
    put(book, "assets", "contracted_share", 0.9, "0%")
    portfolio, warnings = loaded(book, tmp_path)
    assert portfolio.assets[0].contracted_share == 0.9
    assert not [w for w in warnings if w.column == "contracted_share"]


# ---- text typed with units ----

def test_text_with_units_is_read_in_the_columns_unit(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "commitment_usd", "250,000,000")
    put(book, "facilities", "drawn_usd", "$150,000,000")
    put(book, "facilities", "spread_bp", "S+450")
    put(book, "facilities", "undrawn_fee_bp", "50bp")
    put(book, "facilities", "sofr_floor_pct", "0.75%")
    put(book, "assets", "contracted_share", "90%")
    put(book, "assets", "units", "10,000")
    portfolio, warnings = loaded(book, tmp_path)
    f, a = portfolio.facilities[0], portfolio.assets[0]
    assert (f.commitment_usd, f.drawn_usd) == (250_000_000, 150_000_000)
    assert (f.spread_bp, f.undrawn_fee_bp, f.sofr_floor_pct) == (450, 50, 0.75)
    assert (a.contracted_share, a.units) == (0.9, 10_000)
    assert {w.column for w in warnings} >= {"commitment_usd", "drawn_usd", "spread_bp",
                                            "undrawn_fee_bp", "sofr_floor_pct",
                                            "contracted_share", "units"}
    assert all(w.expected.startswith("converted 1 cell") for w in warnings)


def test_percent_text_in_a_money_column_is_refused_with_the_form(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "commitment_usd", "7.5%")
    issue = only_error(book, tmp_path)
    assert (issue.sheet, issue.row, issue.column) == ("facilities", 2, "commitment_usd")
    assert issue.expected == "a number such as 250000000 or 250,000,000"


def test_sofr_margin_only_in_the_spread_column(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "undrawn_fee_bp", "S+50")
    issue = only_error(book, tmp_path)
    assert issue.column == "undrawn_fee_bp"
    assert issue.expected == "a number such as 450, 450bp or 4.5%"


@given(st.decimals(min_value=0, max_value=30, places=3))
def test_percent_text_in_a_bp_column_is_exactly_100_times(value: Any) -> None:
    bp, note = read_number(f"{value}%", "bp", "spread_bp")
    assert bp == pytest.approx(float(value * 100), abs=0) and note == "percent sign"


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_read_back_the_integer(n: int) -> None:
    assert read_number(f"{n:,}", "number", "commitment_usd")[0] == n


# ---- dates ----

@pytest.mark.parametrize(("typed", "expected"), [
    ("31/12/2026", date(2026, 12, 31)),
    ("12/31/2026", date(2026, 12, 31)),
    ("31.12.2026", date(2026, 12, 31)),
    ("2026-12-31", date(2026, 12, 31)),
    ("2026/12/31", date(2026, 12, 31)),
    ("December 31, 2026", date(2026, 12, 31)),
    ("31 Dec 2026", date(2026, 12, 31)),
    ("31-Dec-2026", date(2026, 12, 31)),
    ("Dec-2026", date(2026, 12, 1)),
])
def test_dates_in_common_written_forms(tmp_path: Path, typed: str, expected: date) -> None:
    book = workbook()
    put(book, "draws", "date", typed)
    portfolio, warnings = loaded(book, tmp_path)
    assert portfolio.draws[0].date == expected
    assert bool([w for w in warnings if w.column == "date"]) == (typed != "2026-12-31")


def test_day_month_ambiguity_is_refused_with_both_readings(tmp_path: Path) -> None:
    book = workbook()
    put(book, "draws", "date", "01/12/2026")
    issue = only_error(book, tmp_path)
    assert (issue.sheet, issue.column) == ("draws", "date")
    assert "2026-12-01 (day first)" in issue.expected
    assert "2026-01-12 (month first)" in issue.expected


def test_unknown_date_form_names_the_accepted_forms(tmp_path: Path) -> None:
    book = workbook()
    put(book, "draws", "date", "end of 2026")
    issue = only_error(book, tmp_path)
    assert issue.expected == "a date such as 2027-12-31, 31/12/2027, Dec-2027 or December 31, 2027"


# ---- layout quirks ----

def test_decimal_comma_csv_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    write_csv_folder(template_portfolio(), folder)
    for path in folder.glob("*.csv"):  # as a European Excel exports it
        lines = path.read_text().splitlines()
        out = [lines[0].replace(",", ";")]
        out += [";".join(c.replace(".", ",") if c.replace(".", "").isdigit() else c
                         for c in line.split(",")) for line in lines[1:]]
        path.write_text("\n".join(out) + "\n")
    with pytest.raises(TapeError) as err:
        load_tape(folder)
    assert len(err.value.issues) == 1
    issue = err.value.issues[0]
    assert "decimal commas" in issue.expected and "7.5" in issue.expected
    assert issue.row == 2 and issue.value is not None and "," in issue.value


def test_title_rows_above_the_header_are_skipped_with_a_hint(tmp_path: Path) -> None:
    book = workbook()
    sheet = book["facilities"]
    sheet.insert_rows(1, amount=2)
    sheet.cell(row=1, column=1).value = "Facilities of the example book, June 2026"
    cell(book, "facilities", "spread_bp", row=4).value = "wide"
    _, issues = check(book, tmp_path)
    errors = [i for i in issues if i.severity == "error"]
    assert [(i.sheet, i.row, i.column) for i in errors] == [("facilities", 4, "spread_bp")]
    hint = next(i for i in issues if i.severity == "warning" and i.sheet == "facilities")
    assert hint.row == 3 and "title" in hint.expected


def test_formula_without_a_saved_result_is_named(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "commitment_usd", "=200000000+50000000")  # openpyxl saves no result
    issue = only_error(book, tmp_path)
    assert (issue.row, issue.column) == (2, "commitment_usd")
    assert "formula saved without its result" in issue.expected


def test_unknown_column_hints_the_note_prefix(tmp_path: Path) -> None:
    book = workbook()
    sheet = book["facilities"]
    sheet.cell(row=1, column=sheet.max_column + 1).value = "comment"
    sheet.cell(row=1, column=sheet.max_column + 1).value = "spread_bps"
    _, issues = check(book, tmp_path)
    errors = {i.column: i.expected for i in issues if i.severity == "error"}
    assert set(errors) == {"comment", "spread_bps"}
    assert "'_comment'" in errors["comment"] and "note" in errors["comment"]
    assert "did you mean 'spread_bp'" in errors["spread_bps"]
    sheet.cell(row=1, column=sheet.max_column - 1).value = "_comment"
    sheet.cell(row=1, column=sheet.max_column).value = "_spread_bps"
    loaded(book, tmp_path)


@pytest.mark.parametrize(("table", "column", "value"), [
    ("facilities", "commitment_usd", "lots"),
    ("facilities", "maturity_date", "2030-13-01"),
    ("facilities", "amort_term_months", "sixty"),
    ("facilities", "eom", "maybe"),
    ("facilities", "coupon_pct", 45),
    ("holdings", "share", 1.5),
    ("lenders", "type", "fund"),
])
def test_no_validation_library_wording(tmp_path: Path, table: str, column: str,
                                       value: Any) -> None:
    book = workbook()
    put(book, table, column, value)
    issue = only_error(book, tmp_path)
    forms = ("e.g.", "such as", "true or false", "one of: ")
    assert issue.column == column and any(f in issue.expected for f in forms), issue.expected


# ---- the template and the sample as workbooks ----

def test_template_has_a_dropdown_on_every_enumeration(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book["_lists"].sheet_state == "hidden"
    for table in portfolio_tables(template_portfolio()):
        validated = {}
        for dv in book[table].data_validations.dataValidation:
            assert dv.type == "list"
            letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
            validated[letter] = dv.formula1
        for column, allowed in enumerations(table).items():
            letter = openpyxl.utils.get_column_letter(columns(table).index(column) + 1)
            assert letter in validated, (table, column)
            source = validated[letter].split("!")[1].replace("$", "").split(":")
            values = [c.value for row in book["_lists"][source[0]:source[1]] for c in row]
            assert values == allowed
    assert load_tape(path).warnings == []


def test_template_sample_writes_the_bundled_book(tmp_path: Path) -> None:
    path = tmp_path / "sample.xlsx"
    result = runner.invoke(app, ["template", "--sample", str(path)])
    assert result.exit_code == 0, result.output
    assert load_tape(path).model_dump() == load_tape(sample_tape_path()).model_dump()


def test_a_misspelt_choice_suggests_the_allowed_value(tmp_path: Path) -> None:
    book = workbook()
    put(book, "facilities", "kind", "termloan")
    issue = only_error(book, tmp_path)
    assert issue.expected.startswith("expected one of: term_loan, ddtl")
    assert issue.expected.endswith("(did you mean term_loan?)")
