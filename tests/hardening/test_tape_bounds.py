"""Money and physical quantities on the tape have documented upper bounds: 1e308 is refused
where it is written; a tape at the bounds runs to finite numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.tape.fixtures import small_tape, yaml_text

from cliffwatch.market.scenario import load_scenario
from cliffwatch.runs.montecarlo import simulate
from cliffwatch.tape import defaults as d
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape


@pytest.mark.parametrize(("table", "column"), [("facilities", "commitment_usd"),
                                               ("facilities", "drawn_usd"),
                                               ("borrowers", "opening_cash_usd")])
def test_huge_money_is_a_located_error(tmp_path: Path, table: str, column: str) -> None:
    tape = small_tape()
    tape[table][0][column] = 1e308
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(tape))
    with pytest.raises(TapeError) as info:
        load_tape(path)
    hits = [i for i in info.value.errors if i.column == column]
    assert hits and hits[0].sheet == table and hits[0].row is not None
    assert f"{d.MAX_USD:,.0f}" in hits[0].expected or "less than or equal" in hits[0].expected


def test_money_at_the_bound_runs_finite(tmp_path: Path) -> None:
    tape = small_tape()
    for row in tape["facilities"]:
        row["commitment_usd"] = d.MAX_USD
        row.pop("drawn_usd", None)
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(tape))
    pa = compile_portfolio(load_tape(path))
    sim = simulate(pa, load_scenario("base"), 8, 1, 24)
    assert np.isfinite(sim.summary.fac_loss).all() and np.isfinite(sim.summary.fac_ead).all()


def test_info_key_holding_an_empty_list_is_a_located_error(tmp_path: Path) -> None:
    """Found by the fuzzing budget: ``as_of: []`` escaped as an IndexError."""
    tape = small_tape()
    tape["as_of"] = []
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(tape))
    with pytest.raises(TapeError) as info:
        load_tape(path)
    assert any(i.column == "as_of" for i in info.value.errors)
