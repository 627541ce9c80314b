"""Every tape format reads back to the same portfolio and compiles to identical arrays."""

from __future__ import annotations

from pathlib import Path

import pytest

from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.load import load_tape
from cliffwatch.tape.write import write_tape

TARGETS = [("yaml", "t.yaml"), ("xlsx", "t.xlsx"), ("csv", "csv"), ("zip", "t.zip"),
           ("parquet", "pq")]


@pytest.mark.parametrize(("fmt", "name"), TARGETS)
def test_round_trip(small_yaml: Path, tmp_path: Path, fmt: str, name: str) -> None:
    original = load_tape(small_yaml)
    path = write_tape(original, tmp_path / name, fmt)  # type: ignore[arg-type]
    back = load_tape(path)
    assert back.model_dump() == original.model_dump()
    assert compile_portfolio(back).equals(compile_portfolio(original))
    assert back.warnings == []


@pytest.mark.parametrize(("fmt", "name"), [t for t in TARGETS if t[0] in {"yaml", "xlsx", "zip"}])
def test_format_is_sniffed_not_taken_from_the_extension(
    small_yaml: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    path = write_tape(load_tape(small_yaml), tmp_path / name, fmt)  # type: ignore[arg-type]
    disguised = path.rename(tmp_path / "tape.dat")
    assert load_tape(disguised).model_dump() == load_tape(small_yaml).model_dump()


def test_headers_are_case_insensitive_and_trimmed(small_yaml: Path, tmp_path: Path) -> None:
    folder = write_tape(load_tape(small_yaml), tmp_path / "csv", "csv")
    holdings = folder / "holdings.csv"
    header = " Facility_ID , LENDER_id,Share "
    text = holdings.read_text().replace("facility_id,lender_id,share", header)
    holdings.write_text(text)
    (folder / "holdings.csv").rename(folder / "Holdings.csv")
    assert load_tape(folder).model_dump() == load_tape(small_yaml).model_dump()


def test_excel_date_cells_and_iso_text_both_accepted(small_yaml: Path, tmp_path: Path) -> None:
    import openpyxl

    path = write_tape(load_tape(small_yaml), tmp_path / "t.xlsx", "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["facilities"]
    header = [c.value for c in sheet[1]]
    col = header.index("maturity_date") + 1
    sheet.cell(row=2, column=col).value = sheet.cell(row=2, column=col).value.date().isoformat()
    book.save(path)
    assert load_tape(path).model_dump() == load_tape(small_yaml).model_dump()
