"""The ``validate`` and ``template`` commands."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.tape.load import load_tape

from .fixtures import small_tape, write_raw_csv

runner = CliRunner()


def test_validate_prints_summary_and_exits_zero(small_yaml: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_yaml)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "valid tape" in result.output
    assert "9 facilities" in result.output
    for title in ("by facility kind", "by borrower rating", "by lender", "Maturity profile"):
        assert title in result.output
    assert "2,000.0" in result.output  # the $2bn bond, in USD millions
    assert "2027Q2" in result.output


def test_validate_shows_warnings_but_exits_zero(tmp_path: Path) -> None:
    tape = small_tape()
    tape["holdings"] = tape["holdings"][1:]
    folder = write_raw_csv(tape, tmp_path / "t")
    result = runner.invoke(app, ["validate", str(folder)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "no lender holds" in result.output


def test_validate_invalid_tape_exits_two_with_located_errors(tmp_path: Path) -> None:
    tape = small_tape()
    tape["facilities"][0]["coupon_pct"] = "high"
    folder = write_raw_csv(tape, tmp_path / "t")
    result = runner.invoke(app, ["validate", str(folder)], env={"COLUMNS": "250"})
    assert result.exit_code == 2
    assert "facilities.csv" in result.output and "row 2" in result.output
    assert "coupon_pct" in result.output and "Traceback" not in result.output


def test_validate_unreadable_file_exits_two(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"not a workbook")
    result = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "500"})
    assert result.exit_code == 2
    assert "renamed or is damaged" in result.output and "Traceback" not in result.output


def test_template_writes_a_workbook_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", str(path)])
    assert result.exit_code == 0, result.output
    portfolio = load_tape(path)
    assert portfolio.warnings == []
    for table in ("borrowers", "counterparties", "assets", "facilities", "draws",
                  "amortization_schedule", "lenders", "holdings"):
        assert len(portfolio.rows(table)) == 1
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


def test_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    path.write_text("mine")
    result = runner.invoke(app, ["template", str(path)])
    assert result.exit_code == 1 and path.read_text() == "mine"


def test_template_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    assert load_tape(path).facilities[0].id == "DDTL-1"


def test_template_workbook_carries_the_column_reference(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    sheet = openpyxl.load_workbook(path)["README"]
    rows = [tuple(c.value for c in row[:2]) for row in sheet.iter_rows(min_row=2)]
    assert ("facilities", "spread_bp") in rows and ("assets", "gpu_generation") in rows
