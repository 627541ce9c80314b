"""Reading the YAML tape."""

from __future__ import annotations

from pathlib import Path

import pytest

from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape

from .fixtures import small_tape, yaml_text


def test_small_tape_loads_without_issues(small_yaml: Path) -> None:
    portfolio = load_tape(small_yaml)
    assert len(portfolio.borrowers) == 4
    assert len(portfolio.facilities) == 9
    assert portfolio.facilities[3].collateral == ["GPU-A"]
    assert portfolio.warnings == []


def test_yaml_issue_points_at_the_line_of_the_item(tmp_path: Path) -> None:
    tape = small_tape()
    tape["facilities"][1]["spread_bp"] = "wide"
    text = yaml_text(tape)
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(TapeError) as info:
        load_tape(path)
    (issue,) = info.value.issues
    item_line = next(
        n for n, line in enumerate(text.splitlines(), 1) if line.startswith("- id: NEO-RCF")
    )
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "facilities", item_line, "spread_bp", "wide"
    )
    assert issue.row_word == "line"
    assert issue.expected.startswith("a number such as 450")


def test_yaml_syntax_error_is_one_tape_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("as_of: 2026-06-30\nborrowers: [\n  {id: x\n")
    with pytest.raises(TapeError) as info:
        load_tape(path)
    assert "invalid YAML" in info.value.issues[0].expected
