"""The benchmark's synthetic tape is valid and compiles consistently (small size)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from cliffwatch.tape import compile as c
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.load import load_tape

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_tape import synthetic_tables, write  # noqa: E402


def test_synthetic_tape_loads_and_defaults_match_per_record(tmp_path: Path) -> None:
    write(synthetic_tables(400, seed=7), tmp_path / "t", "csv")
    portfolio = load_tape(tmp_path / "t")
    arrays = compile_portfolio(portfolio)
    by_id = {f.id: f for f in portfolio.facilities}
    as_of = portfolio.info.as_of
    expected_term = [c.amort_term_months(by_id[i], as_of) for i in arrays.facility_ids]
    expected_drawn = [c.drawn_at_start(by_id[i]) for i in arrays.facility_ids]
    assert arrays.f_amort_term_months.tolist() == expected_term
    assert arrays.f_drawn.tolist() == expected_drawn
    assert np.all(np.diff(arrays.f_borrower) >= 0)


def test_compile_is_deterministic(tmp_path: Path) -> None:
    write(synthetic_tables(300, seed=3), tmp_path / "t", "parquet")
    first = compile_portfolio(load_tape(tmp_path / "t"))
    second = compile_portfolio(load_tape(tmp_path / "t"))
    assert first.digest() == second.digest()
