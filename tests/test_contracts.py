"""The layer contracts are importable and self-consistent."""

from __future__ import annotations

import pandas as pd

from cliffwatch.results import TABLES, conform, empty_table


def test_every_table_schema_builds_an_empty_frame() -> None:
    for name, cols in TABLES.items():
        df = empty_table(name)
        assert list(df.columns) == [c for c, _, _ in cols]


def test_conform_rejects_missing_columns() -> None:
    import pytest

    with pytest.raises(ValueError, match="lacks columns"):
        conform("maturity_wall", pd.DataFrame({"quarter": ["2027Q1"]}))
