"""The card's construction-funding table matches the tape and the sources-and-uses arithmetic."""

from __future__ import annotations

import pytest
from tests.sample.card import card_table

from cliffwatch.sample import load_sample, sample_card_path
from cliffwatch.tape.schema import Portfolio

USD_M = 1e6
"""USD per million (the card states sizes in USD m)."""
HEADING = "Construction funding, covenants and calibration under the engine"


def _money(cell: str) -> float:
    """Card cell in USD m ('–' is zero, '5,500 (existing)' is 5,500) -> USD."""
    head = cell.split(" ")[0].replace(",", "")
    return 0.0 if head in ("–", "-", "") else float(head) * USD_M


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return card_table(sample_card_path(), HEADING)


@pytest.fixture(scope="module")
def tape() -> Portfolio:
    return load_sample()


def test_every_construction_borrower_is_in_the_table(rows: list[dict[str, str]],
                                                     tape: Portfolio) -> None:
    building = {a.borrower_id for a in tape.assets if (a.capex_remaining_usd or 0) > 0}
    assert {r["borrower"] for r in rows} == building


def test_opening_cash_is_the_sum_of_its_parts(rows: list[dict[str, str]], tape: Portfolio) -> None:
    cash = {b.id: b.opening_cash_usd for b in tape.borrowers}
    for r in rows:
        parts = (_money(r["liquidity before"]) + _money(r["escrow / equity to complete"])
                 + _money(r["interest reserve"]))
        assert parts == pytest.approx(_money(r["opening cash"]), rel=1e-12), r["borrower"]
        assert cash[r["borrower"]] == pytest.approx(_money(r["opening cash"]), rel=1e-12)


def test_escrow_is_the_capex_not_funded_by_scheduled_draws(rows: list[dict[str, str]],
                                                           tape: Portfolio) -> None:
    owner = {f.id: f.borrower_id for f in tape.facilities}
    for r in rows:
        b = r["borrower"]
        capex = sum(a.capex_remaining_usd or 0 for a in tape.assets if a.borrower_id == b)
        draws = sum(d.amount_usd for d in tape.draws if owner[d.facility_id] == b)
        assert _money(r["escrow / equity to complete"]) == pytest.approx(capex - draws), b
