"""The sample is economically coherent at base: debt service covered, leverage plausible, the
riskier names visibly thinner (DATA_CARD.md, 'Economic coherence')."""

from __future__ import annotations

from datetime import date

import pytest

from cliffwatch.sample import load_sample, sample_card_path
from cliffwatch.tape.schema import Facility, Portfolio

from .card import card_table
from .economics import cash_flow, centre_noi, debt_service, dscr, given, ltv, software_arr

GPU_DSCR_RANGE = (1.2, 1.6)
"""Base contracted DSCR of a GPU SPV's loans (brief; DOMAIN 5.2 covenants 1.2-1.3x)."""
LEGACY_SPV = "NEOA-SPV1"
"""The 2023-vintage 15% DDTL SPV, deliberately thinner than the range."""
MAX_GPU_LTC = 0.9
"""Secured GPU debt over fleet cost (DOMAIN 1.4: JPM >85% LTC on AI projects)."""
MIN_DC_DSCR = 1.25
"""Amortising DSCR of data-centre borrowers (DOMAIN 1.8 ABS trap 1.25-1.35x)."""
MAX_DC_LTV = 0.70
"""Secured debt over NOI / cap-rate value of data-centre borrowers (DOMAIN 1.8 LTV caps ~70%)."""
SHELL_DEBT_PER_MW_USD = (8.0e6, 11.0e6)
"""Powered-shell debt per MW of critical IT (DOMAIN 1.5: $8.4-9.4M, shell cost $8-10M)."""


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_sample()


def kinds(p: Portfolio, archetype: str) -> list[str]:
    return [b.id for b in p.borrowers if b.archetype == archetype]


def secured_on(p: Portfolio, asset_kind: str, borrower: str) -> list[Facility]:
    kind = {a.id: a.kind for a in p.assets}
    return [f for f in p.facilities if f.borrower_id == borrower
            and any(kind[c] == asset_kind for c in f.collateral)]


def test_level_payment_matches_a_hand_computed_mortgage() -> None:
    # 1,000,000 at 6% over 120 months pays 11,102.05 a month (standard amortisation table).
    loan = Facility(id="X", borrower_id="B", kind="term_loan", commitment_usd=1e6,
                    coupon_pct=6.0, amortization="annuity", maturity_date=date(2036, 7, 1))
    assert debt_service(loan, date(2026, 7, 1)) == pytest.approx(11_102.05 * 12, abs=0.1)
    io = loan.model_copy(update={"amortization": "io:12/annuity", "amort_term_months": 132})
    assert debt_service(io, date(2026, 7, 1)) == pytest.approx(11_102.05 * 12, abs=0.1)
    flat = loan.model_copy(update={"amortization": "straight_line"})
    assert debt_service(flat, date(2026, 7, 1)) == pytest.approx(60_000 + 100_000)


def test_gpu_spv_contracts_cover_debt_service_1_2_to_1_6x(sample: Portfolio) -> None:
    for spv in kinds(sample, "gpu_spv"):
        cover = dscr(sample, spv, contracted_only=True)
        if spv == LEGACY_SPV:
            assert 1.0 <= cover < GPU_DSCR_RANGE[0], spv
        else:
            assert GPU_DSCR_RANGE[0] <= cover <= GPU_DSCR_RANGE[1], (spv, cover)


def test_secured_gpu_debt_stays_below_90pct_of_fleet_cost(sample: Portfolio) -> None:
    owners = {a.borrower_id for a in sample.assets if a.kind == "gpu_fleet"}
    for owner in owners:
        debt = sum(f.commitment_usd for f in secured_on(sample, "gpu_fleet", owner))
        cost = sum(given(a.units) * given(a.unit_cost_usd) for a in sample.assets
                   if a.borrower_id == owner and a.kind == "gpu_fleet")
        assert debt / cost <= MAX_GPU_LTC, owner


def test_data_centre_borrowers_cover_and_value_their_debt(sample: Portfolio) -> None:
    owners = {a.borrower_id for a in sample.assets if a.kind == "data_center"}
    for owner in owners:
        debt = sum(f.commitment_usd for f in secured_on(sample, "data_center", owner))
        value = sum(centre_noi(a) / (given(a.cap_rate_pct) / 100)
                    for a in sample.assets if a.borrower_id == owner)
        assert debt / value <= MAX_DC_LTV, owner
        assert dscr(sample, owner) >= MIN_DC_DSCR, owner


def test_powered_shell_debt_per_mw_matches_public_deals(sample: Portfolio) -> None:
    assets = {a.id: a for a in sample.assets}
    for f in sample.facilities:
        if f.structure != "secured_hy_bond" or not f.collateral:
            continue
        shell = assets[f.collateral[0]]
        if shell.tenant_id == "CHIP-A":  # build-to-suit incl. power, not a shell
            continue
        per_mw = f.commitment_usd / given(shell.capacity_mw)
        assert SHELL_DEBT_PER_MW_USD[0] <= per_mw <= SHELL_DEBT_PER_MW_USD[1], f.id


def test_riskier_names_are_plausibly_stressed(sample: Portfolio) -> None:
    # The neocloud parent covers interest but not interest plus OEM amortisation.
    assert dscr(sample, "NEOA", amortising=False) > 1 > dscr(sample, "NEOA")
    # Neocloud Gamma needs merchant revenue on top of its contracts.
    assert dscr(sample, "NEOC", contracted_only=True) < 1 < dscr(sample, "NEOC")
    # The 2027 CMBS cohort and the non-IG lab lessee's SPV sit close to their triggers.
    assert dscr(sample, "LCMB") < 1.4
    assert dscr(sample, "GPUL", contracted_only=True) < 1.3
    lab = {c.id: c.rating for c in sample.counterparties}["LABX"]
    assert lab.startswith("B") and not lab.startswith("BB")


def test_card_coverage_table_equals_the_computed_coverage(sample: Portfolio) -> None:
    rows = card_table(sample_card_path(), "Base coverage")
    owners = {a.borrower_id for a in sample.assets}
    assert {r["borrower"] for r in rows} == owners
    for r in rows:
        b = r["borrower"]
        assert float(r["DSCR amortising"]) == pytest.approx(dscr(sample, b), abs=0.005), b
        assert float(r["DSCR contracted only"]) == pytest.approx(
            dscr(sample, b, contracted_only=True), abs=0.005), b
        assert float(r["DSCR interest only"]) == pytest.approx(
            dscr(sample, b, amortising=False), abs=0.005), b


def test_no_covenant_is_breached_at_t0_in_the_base_case(sample: Portfolio) -> None:
    # A sample that defaults on day one would teach nothing: stress must come from scenarios.
    for f in sample.facilities:
        if f.min_dscr is not None:
            assert dscr(sample, f.borrower_id) >= f.min_dscr, f.id
        if f.max_ltv is not None:
            assert ltv(sample, f) <= f.max_ltv, (f.id, ltv(sample, f))
        debt = sum(g.commitment_usd for g in sample.facilities if g.borrower_id == f.borrower_id)
        arr_tested = f.max_arr_leverage is not None and (
            f.covenant_conversion_date is None or f.covenant_conversion_date > sample.info.as_of)
        if arr_tested:
            assert debt / software_arr(sample, f.borrower_id) <= given(f.max_arr_leverage), f.id
        elif f.max_leverage is not None:
            assert debt / cash_flow(sample, f.borrower_id) <= f.max_leverage, f.id
