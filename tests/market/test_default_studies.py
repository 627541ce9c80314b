"""The external calibration targets file: validated, monotone, interpolated as documented."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from cliffwatch.codes import Rating
from cliffwatch.market.default_studies import LETTERS, load_default_studies
from cliffwatch.market.errors import MarketInputError

BUNDLED = Path(__file__).parents[2] / "src/cliffwatch/data/market/default_studies.yaml"


def test_bundled_table_is_monotone_in_rating_and_horizon() -> None:
    st = load_default_studies()
    table = st.cumulative_default.table()
    assert table.shape == (len(LETTERS), len(st.cumulative_default.years.value))
    assert np.all((table >= 0.0) & (table < 1.0))
    assert np.all(np.diff(table, axis=1) >= 0.0)
    assert np.all(np.diff(table, axis=0) >= 0.0)
    # speculative grade is far riskier than investment grade at every horizon
    assert np.all(table[LETTERS.index(Rating.B)] > 5 * table[LETTERS.index(Rating.BBB)])
    lgd = st.lgd.values()
    assert lgd.tolist() == [0.35, 0.60, 0.70]


def test_every_number_carries_a_tagged_source() -> None:
    rows = load_default_studies().assumptions()
    assert len(rows) >= 12
    assert all(any(t in src for t in ("[sourced", "[estimate", "[weak", "knot grid"))
               for _, _, src in rows)


def test_five_year_column_and_extrapolation() -> None:
    st = load_default_studies()
    letters = np.array([int(r) for r in LETTERS])
    table = st.cumulative_default.table()
    np.testing.assert_allclose(st.cumulative_pd(letters, 60), table[:, 4])
    np.testing.assert_allclose(st.cumulative_pd(letters, 72), table[:, 5])
    beyond = st.cumulative_pd(letters, 120)
    assert np.all(beyond >= table[:, 5]) and np.all(beyond < 1.0)
    # beyond the table the last year's conditional rate repeats: one more year by hand (B)
    b = LETTERS.index(Rating.B)
    cond = (1 - table[b, 5]) / (1 - table[b, 4])
    assert st.cumulative_pd(np.array([Rating.B]), 84)[0] == pytest.approx(
        1 - (1 - table[b, 5]) * cond)


def test_unmapped_ratings_are_refused() -> None:
    with pytest.raises(ValueError, match="map NR"):
        load_default_studies().cumulative_pd(np.array([Rating.NR]), 60)


def _write(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load(BUNDLED.read_text())
    edit(doc)
    path = tmp_path / "studies.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_rating_inversion_is_located(tmp_path: Path) -> None:
    def invert(doc: dict) -> None:  # type: ignore[type-arg]
        doc["cumulative_default"]["BB"]["value"][4:] = [0.5, 0.5]

    with pytest.raises(MarketInputError, match="B below BB at year 5"):
        load_default_studies(_write(tmp_path, invert))


def test_horizon_decrease_and_missing_archetype_are_located(tmp_path: Path) -> None:
    def damage(doc: dict) -> None:  # type: ignore[type-arg]
        doc["cumulative_default"]["A"]["value"][2] = 0.0
        del doc["unrated"]["by_archetype"]["value"]["miner"]

    with pytest.raises(MarketInputError) as err:
        load_default_studies(_write(tmp_path, damage))
    assert "A: rates non-decreasing in horizon" in str(err.value)
    assert "missing ['miner']" in str(err.value)


def test_lgd_order_is_checked(tmp_path: Path) -> None:
    def swap(doc: dict) -> None:  # type: ignore[type-arg]
        doc["lgd"]["subordinated"]["value"] = 0.2

    with pytest.raises(MarketInputError, match="non-decreasing from senior secured"):
        load_default_studies(_write(tmp_path, swap))
