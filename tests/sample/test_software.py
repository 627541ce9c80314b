"""The sample's software borrowers (issue 11): the three kinds, their loans' terms in DOMAIN 9's
ranges, the size of the software side, and lenders shared with the infrastructure side."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from cliffwatch.sample import load_sample, sample_card_path
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.schema import Asset, Facility, Portfolio

from .economics import given, months_between

SOFTWARE = "software"
STRUCTURES = {"unitranche", "first_lien", "second_lien", "recurring_revenue"}
"""Structure labels of software term loans (docs/TAPE.md)."""
LOAN_USD = (0.3e9, 3.0e9)
"""Size of one software loan (brief: middle-market to upper-middle-market buyouts)."""
SPREAD_BP = (475, 650)
"""SOFR margin of software loans (brief; DOMAIN 9 / 3)."""
TENOR_YEARS = (5, 7)
"""Contractual tenor from origination (DOMAIN 9: ≈5-year maturity)."""
ARR_LEVERAGE = (1.5, 3.0)
"""ARR covenant of recurring-revenue loans (DOMAIN 9: commonly 1.5-3x ARR)."""
EBITDA_LEVERAGE = (6.0, 8.0)
"""EBITDA leverage covenants (brief)."""
EV_TO_ARR = (4.0, 9.0)
"""EV / ARR at t0 (brief; DOMAIN 9 price/sales 9x -> 6x)."""
NRR_PCT = (95.0, 120.0)
"""Net revenue retention (brief)."""
BOOK_SHARE = (0.15, 0.20)
"""Software debt / book commitments (brief; DOMAIN 9: 20-25% of private-credit deals)."""
WALL_SHARE = (0.15, 0.25)
"""Share of software debt maturing within 24 months (DOMAIN 9: about 20% face a wall)."""
WALL_MONTHS = 24
"""The refinancing-cliff window, months."""
VULNERABILITY = {"HS": (0.6, 1.0), "IT": (0.4, 0.6), "VS": (0.0, 0.25)}
"""Vulnerability per kind (id prefix, DATA_CARD 'Software borrowers'): horizontal seat-based
SaaS high, IT services medium, vertical workflow software low."""


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_sample()


def software_ids(p: Portfolio) -> set[str]:
    return {b.id for b in p.borrowers if b.archetype == SOFTWARE}


def software_loans(p: Portfolio) -> list[Facility]:
    ids = software_ids(p)
    return [f for f in p.facilities if f.borrower_id in ids]


def software_assets(p: Portfolio) -> list[Asset]:
    return [a for a in p.assets if a.kind == "software_business"]


def test_twelve_to_sixteen_borrowers_each_with_one_business_and_one_or_two_loans(
    sample: Portfolio,
) -> None:
    ids = software_ids(sample)
    assert 12 <= len(ids) <= 16
    owners = [a.borrower_id for a in software_assets(sample)]
    assert sorted(owners) == sorted(ids)
    for b in ids:
        loans = [f for f in software_loans(sample) if f.borrower_id == b]
        assert 1 <= len(loans) <= 2, b
        assert all(f.collateral == [f"SW-{b}"] for f in loans), b


def test_the_three_kinds_have_their_vulnerability(sample: Portfolio) -> None:
    arrays = compile_portfolio(sample)
    for prefix, (low, high) in VULNERABILITY.items():
        rows = [i for i, a in enumerate(arrays.asset_ids) if a.startswith(f"SW-{prefix}")]
        assert len(rows) >= 4, prefix
        v = arrays.a_vulnerability[rows]
        assert ((v >= low) & (v <= high)).all(), (prefix, v)
    marked = arrays.software_borrowers()
    assert {arrays.borrower_ids[i] for i in np.flatnonzero(marked)} == software_ids(sample)


def test_business_terms_are_in_range(sample: Portfolio) -> None:
    for a in software_assets(sample):
        assert EV_TO_ARR[0] <= given(a.ev_to_arr) <= EV_TO_ARR[1], a.id
        assert NRR_PCT[0] <= given(a.net_revenue_retention_pct) <= NRR_PCT[1], a.id
        assert given(a.ebitda_margin_pct) < given(a.gross_margin_pct), a.id


def test_loan_terms_are_in_domain_ranges(sample: Portfolio) -> None:
    for f in software_loans(sample):
        assert f.kind == "term_loan" and f.structure in STRUCTURES, f.id
        assert LOAN_USD[0] <= f.commitment_usd <= LOAN_USD[1], f.id
        assert SPREAD_BP[0] <= given(f.spread_bp) <= SPREAD_BP[1], f.id
        tenor = months_between(f.start_date or sample.info.as_of, f.maturity_date) / 12
        assert TENOR_YEARS[0] <= tenor <= TENOR_YEARS[1], f.id
        if f.max_leverage is not None:
            assert EBITDA_LEVERAGE[0] <= f.max_leverage <= EBITDA_LEVERAGE[1], f.id


def test_recurring_revenue_loans_convert_and_pik_toggles_exist(sample: Portfolio) -> None:
    rr = [f for f in software_loans(sample) if f.structure == "recurring_revenue"]
    assert len(rr) >= 3
    for f in rr:
        assert ARR_LEVERAGE[0] <= given(f.max_arr_leverage) <= ARR_LEVERAGE[1], f.id
        conversion = f.covenant_conversion_date
        assert conversion is not None and sample.info.as_of < conversion < f.maturity_date, f.id
        assert f.max_leverage is not None, f.id
    assert sum(bool(f.pik_share) for f in software_loans(sample)) >= 2


def test_software_is_15_to_20pct_of_the_book_with_a_20pct_maturity_wall(
    sample: Portfolio,
) -> None:
    debt = sum(f.commitment_usd for f in software_loans(sample))
    book = sum(f.commitment_usd for f in sample.facilities)
    assert BOOK_SHARE[0] <= debt / book <= BOOK_SHARE[1]
    wall = sum(f.commitment_usd for f in software_loans(sample)
               if months_between(sample.info.as_of, f.maturity_date) < WALL_MONTHS)
    assert WALL_SHARE[0] <= wall / debt <= WALL_SHARE[1]
    card = sample_card_path().read_text(encoding="utf-8")
    stated = re.search(r"USD ([\d,]+)m\s+in all: ([\d.]+)% of the book", card)
    assert stated is not None
    assert float(stated.group(1).replace(",", "")) * 1e6 == pytest.approx(debt)
    assert float(stated.group(2)) == pytest.approx(100 * debt / book, abs=0.05)


def test_same_private_credit_lenders_hold_both_sides_plus_two_bdcs(sample: Portfolio) -> None:
    types = {lend.id: lend.type for lend in sample.lenders}
    loans = {f.id for f in software_loans(sample)}
    sides: dict[str, set[bool]] = {}
    for h in sample.holdings:
        sides.setdefault(h.lender_id, set()).add(h.facility_id in loans)
        if h.facility_id in loans:
            assert types[h.lender_id] in {"private_credit", "bdc"}, h
    private_credit = [lid for lid, t in types.items() if t == "private_credit"]
    assert private_credit and all(sides[lid] == {True, False} for lid in private_credit)
    bdcs = [lid for lid, t in types.items() if t == "bdc"]
    assert len(bdcs) == 2 and all(True in sides[lid] for lid in bdcs)


def test_card_names_exactly_the_maturity_wall_loans(sample: Portfolio) -> None:
    # The card's maturity-wall loans are exactly those due inside 24 months.
    card = sample_card_path().read_text(encoding="utf-8")
    named = re.search(r"Four loans \(([^:]+):", card)
    assert named is not None
    listed = set(re.findall(r"`([A-Z0-9-]+)`", named.group(1)))
    due = {f.id for f in software_loans(sample)
           if months_between(sample.info.as_of, f.maturity_date) < WALL_MONTHS}
    assert listed == due
    assert all(f.maturity_date > date(2026, 7, 1) for f in software_loans(sample))
