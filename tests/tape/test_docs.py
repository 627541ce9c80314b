"""docs/TAPE.md is generated from the schema and committed identical to it."""

from __future__ import annotations

from pathlib import Path

from cliffwatch.tape.docs import column_reference
from cliffwatch.tape.schema import TABLE_MODELS

DOC = Path(__file__).resolve().parents[2] / "docs" / "TAPE.md"


def test_committed_reference_equals_generated() -> None:
    assert DOC.read_text(encoding="utf-8") == column_reference(), (
        "docs/TAPE.md is stale: run `python -m cliffwatch.tape.docs docs/TAPE.md`"
    )


def test_every_column_is_documented_with_a_description() -> None:
    text = column_reference()
    for name, model in TABLE_MODELS.items():
        assert f"## `{name}`" in text
        for column, info in model.model_fields.items():
            assert info.description, f"{name}.{column} has no description"
            assert f"| `{column}` |" in text
