"""The bundled sample tape: valid, compiled, complete, and matched line by line by its card."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.codes import FacilityKind
from cliffwatch.sample import load_sample, sample_card_path, sample_tape_path
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.load import check_tape, load_tape
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.write import write_tape

from .card import card_table, stated_total_usd_m

USD_M = 1e6
"""USD per million (the card states sizes in USD m)."""
CLAIMED_ARCHETYPES = {"hyperscaler", "neocloud", "dc_developer", "gpu_spv", "colo_reit",
                      "miner", "software"}
"""Borrower archetypes the brief asks the sample to cover. AI labs are counterparties only:
the tape cannot express a lab's revenue, so a lab borrower would default with certainty
(DATA_CARD.md, "Frontier Lab Beta"); the test below requires them as counterparties."""
MAX_LENDERS_PER_FACILITY = 3
"""A facility is syndicated across at most this many listed lenders."""


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_sample()


def test_sample_validates_without_errors_or_warnings() -> None:
    portfolio, issues = check_tape(sample_tape_path())
    assert portfolio is not None
    assert issues == []
    assert portfolio.info.as_of == date(2026, 7, 1)
    assert portfolio.info.currency == "USD"


def test_cli_validate_passes_cleanly() -> None:
    result = CliRunner().invoke(app, ["validate", str(sample_tape_path())],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "valid tape" in result.output
    assert "warning" not in result.output and "error" not in result.output


def test_sample_compiles_to_arrays(sample: Portfolio) -> None:
    arrays = compile_portfolio(sample)
    assert arrays.n_borrowers == len(sample.borrowers)
    assert arrays.n_facilities == len(sample.facilities)
    assert arrays.n_assets == len(sample.assets)
    assert arrays.n_lenders == len(sample.lenders)
    assert set(arrays.f_kind.tolist()) == {k.value for k in FacilityKind}


def test_sizes_are_in_the_asked_ranges(sample: Portfolio) -> None:
    # 15-30 infrastructure borrowers plus the 12-16 software borrowers of issue 11
    software = sum(b.archetype == "software" for b in sample.borrowers)
    assert 12 <= software <= 16
    assert 15 <= len(sample.borrowers) - software <= 30
    assert 40 <= len(sample.facilities) <= 80
    assert 8 <= len(sample.lenders) <= 12


def test_every_facility_kind_and_claimed_archetype_is_present(sample: Portfolio) -> None:
    assert {f.kind for f in sample.facilities} == {k.name for k in FacilityKind}
    archetypes = {b.archetype for b in sample.borrowers}
    assert CLAIMED_ARCHETYPES <= archetypes
    assert "ai_lab" in {c.archetype for c in sample.counterparties}
    card = card_table(sample_card_path(), "Borrowers")
    assert {row["archetype"] for row in card} == archetypes


def test_names_are_anonymised(sample: Portfolio) -> None:
    real = ("coreweave", "lambda", "fluidstack", "xai", "openai", "anthropic", "meta", "google",
            "microsoft", "oracle", "nvidia", "amazon", "terawulf", "cipher", "galaxy", "applied",
            "vantage", "qts", "blackstone", "jpm", "morgan")
    names = [r.name.lower() for t in (sample.borrowers, sample.counterparties, sample.lenders)
             for r in t]
    assert not [n for n in names if any(word in n.split() for word in real)]


def test_holdings_syndicate_most_facilities_across_few_lenders(sample: Portfolio) -> None:
    lenders: dict[str, list[float]] = defaultdict(list)
    for h in sample.holdings:
        lenders[h.facility_id].append(h.share)
    assert set(lenders) == {f.id for f in sample.facilities}
    assert all(1 <= len(s) <= MAX_LENDERS_PER_FACILITY for s in lenders.values())
    assert all(sum(s) <= 1 + 1e-12 for s in lenders.values())
    assert sum(len(s) >= 2 for s in lenders.values()) > len(lenders) / 2
    assert any(sum(s) < 1 for s in lenders.values())  # some "other holders" remainder
    assert {lend.type for lend in sample.lenders} >= {
        "bank", "private_credit", "insurer", "abs_investor", "hy_fund", "vendor", "hedge_fund",
        "bdc"}


def test_card_lists_exactly_the_tape_facilities_with_their_terms(sample: Portfolio) -> None:
    rows = {r["facility"]: r for r in card_table(sample_card_path(), "Facilities")}
    tape = {f.id: f for f in sample.facilities}
    assert set(rows) == set(tape)
    for fid, row in rows.items():
        f = tape[fid]
        assert row["borrower"] == f.borrower_id, fid
        assert row["kind / structure"].split(" / ")[0] == f.kind, fid
        assert float(row["USD m"].replace(",", "")) * USD_M == pytest.approx(f.commitment_usd)
        assert row["modelled on"] and row["source"] and row["assumed [estimate]"], fid


def test_card_borrowers_lenders_and_total_match_the_tape(sample: Portfolio) -> None:
    card = sample_card_path()
    borrowers = {r["borrower"]: r["archetype"] for r in card_table(card, "Borrowers")}
    assert borrowers == {b.id: b.archetype for b in sample.borrowers}
    lenders = {r["lender"]: r["type"] for r in card_table(card, "Lenders")}
    assert lenders == {lend.id: lend.type for lend in sample.lenders}
    parties = {r["counterparty"]: r["archetype"] for r in card_table(card, "Counterparties")}
    assert parties == {c.id: c.archetype for c in sample.counterparties}
    total = sum(f.commitment_usd for f in sample.facilities)
    assert stated_total_usd_m(card) == pytest.approx(total / USD_M)


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "sample.xlsx"), ("csv", "csv"),
                                           ("parquet", "pq")])
def test_sample_round_trips_through_the_spreadsheet_formats(
        sample: Portfolio, tmp_path: Path, fmt: str, name: str) -> None:
    # Users copy the sample into Excel or CSV; every format must read back identically.
    path = write_tape(sample, tmp_path / name, fmt)  # type: ignore[arg-type]
    back = load_tape(path)
    assert back.model_dump() == sample.model_dump()
    assert compile_portfolio(back).equals(compile_portfolio(sample))
