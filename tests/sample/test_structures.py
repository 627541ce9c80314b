"""The sample carries each structure the brief names, with terms in DOMAIN's ranges."""

from __future__ import annotations

from datetime import date

import pytest

from cliffwatch.sample import load_sample
from cliffwatch.tape.schema import Facility, Portfolio
from cliffwatch.tape.vocab import parse_amortization

from .economics import given

ARD_YEARS = 5
"""Data-centre ABS anticipated repayment date after issue (DOMAIN 1.8) [sourced]."""
RCF_DRAWN_SHARE = 0.30
"""Neocloud revolver drawn share at t0 (DOMAIN 5.1 #6) [estimate]."""
VENDOR_MAX_MONTHS = 24
"""Longest vendor-financing amortisation (DOMAIN 5.1 #7: 2 years) [estimate]."""
SHORT_CLIFF_MONTHS = 24
"""Construction loans and a mini-perm fall due inside this many months of t0."""
UNIT_COST_RANGE_USD = {"H100": (25e3, 40e3), "H200": (35e3, 45e3), "B200": (30e3, 70e3),
                       "GB200": (40e3, 50e3), "GB300": (40e3, 50e3)}
"""All-in cost per GPU by generation (DOMAIN 2.1 and 7 item 11) [sourced / weak]."""
LEASE_RATE_RANGE = (100.0, 250.0)
"""Data-centre rent, USD/kW-month (DOMAIN 2.5: implied $104-154, CBRE $184-195)."""
CAP_RATE_RANGE_PCT = (5.0, 7.5)
"""Data-centre cap rates (DOMAIN 2.5: 5.0-7.5%, QTS 7.32%, DATA 6.70%)."""
PUE_RANGE = (1.05, 1.40)
"""PUE of AI facilities (DOMAIN 2.4: 1.05-1.20 liquid-cooled, up to 1.36 in ABS pools)."""


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_sample()


def months_after(as_of: date, day: date) -> int:
    return (day.year - as_of.year) * 12 + day.month - as_of.month


def group(p: Portfolio, parent: str) -> list[Facility]:
    """Facilities of a sponsor and of the SPVs whose parent it is."""
    members = {parent} | {b.id for b in p.borrowers if b.parent_id == parent}
    return [f for f in p.facilities if f.borrower_id in members]


def archetype_of(p: Portfolio, party: str | None) -> str:
    rows = {b.id: b.archetype for b in p.borrowers} | {c.id: c.archetype
                                                       for c in p.counterparties}
    return rows[str(party)]


def test_a_neocloud_group_has_ddtls_notes_convert_and_a_30pct_drawn_revolver(
        sample: Portfolio) -> None:
    groups = [group(sample, b.id) for b in sample.borrowers if b.archetype == "neocloud"]
    full = [g for g in groups if sum(f.kind == "ddtl" for f in g) >= 2
            and any(f.structure == "hy_bond" for f in g)
            and any(f.structure == "convertible" for f in g)]
    assert full
    rcf = [f for f in full[0] if f.kind == "revolver"]
    assert rcf and rcf[0].drawn_usd == pytest.approx(RCF_DRAWN_SHARE * rcf[0].commitment_usd)


def test_a_gpu_spv_leases_to_a_non_ig_ai_lab_counterparty(sample: Portfolio) -> None:
    """The lessee's credit comes from its rating PD and the tech-earnings copula, as for every
    AI lab (DATA_CARD.md, "Frontier Lab Beta")."""
    spv_fleets = {a.id: a for a in sample.assets
                  if a.kind == "gpu_fleet" and archetype_of(sample, a.borrower_id) == "gpu_spv"}
    leases = [f for f in sample.facilities if f.kind == "lease"]
    lessees = {spv_fleets[c].counterparty_id for f in leases for c in f.collateral}
    ratings = {c.id: c.rating for c in sample.counterparties}
    assert any(lab in ratings and archetype_of(sample, lab) == "ai_lab"
               and ratings[lab].startswith("B") and not ratings[lab].startswith("BB")
               for lab in lessees if lab is not None)


def test_hyperscaler_jv_bond_is_backed_by_a_residual_value_guarantee(sample: Portfolio) -> None:
    assets = {a.id: a for a in sample.assets}
    jv_bonds = [f for f in sample.facilities if f.kind == "bond"
                and archetype_of(sample, f.borrower_id) == "hyperscaler"]
    rvg = [assets[c] for f in jv_bonds for c in f.collateral if assets[c].rvg_amount_usd > 0]
    assert rvg and all(archetype_of(sample, a.rvg_guarantor_id) == "hyperscaler" for a in rvg)


def test_construction_loans_and_a_mini_perm_fall_due_inside_24_months(sample: Portfolio) -> None:
    as_of = sample.info.as_of
    due = [f for f in sample.facilities
           if months_after(as_of, f.maturity_date) <= SHORT_CLIFF_MONTHS]
    assert any(f.kind == "construction_loan" for f in due)
    assert any(f.structure == "mini_perm" for f in due)
    assert sum(f.kind == "construction_loan" for f in sample.facilities) >= 3


def test_powered_shells_have_a_borrower_neocloud_tenant_and_a_backstopped_one(
        sample: Portfolio) -> None:
    assets = {a.id: a for a in sample.assets}
    shells = [assets[c] for f in sample.facilities if f.structure == "secured_hy_bond"
              for c in f.collateral]
    borrower_ids = {b.id for b in sample.borrowers}
    assert any(a.tenant_id in borrower_ids and archetype_of(sample, a.tenant_id) == "neocloud"
               and a.backstop_id is None for a in shells)
    assert any(a.backstop_id is not None
               and archetype_of(sample, a.backstop_id) == "hyperscaler" for a in shells)


def test_dc_abs_has_a_5_year_ard_step_up_sweep_and_legal_final(sample: Portfolio) -> None:
    abs_notes = [f for f in sample.facilities if f.structure == "dc_abs"]
    assert len(abs_notes) >= 3
    for f in abs_notes:
        start = f.start_date or sample.info.as_of
        assert f.ard_date is not None and f.legal_final_date is not None
        assert months_after(start, f.ard_date) == ARD_YEARS * 12, f.id
        assert f.legal_final_date > f.ard_date and f.step_up_bp > 0, f.id
        assert parse_amortization(f.amortization)[0].name == "sweep", f.id
        assert f.trap_dscr is not None and f.coupon_pct is not None, f.id


def test_floating_sasb_cmbs_has_a_sofr_cap_and_an_extension(sample: Portfolio) -> None:
    sasb = [f for f in sample.facilities if f.structure == "cmbs_sasb"]
    assert sasb
    for f in sasb:
        assert f.spread_bp is not None and f.sofr_cap_pct is not None
        assert f.extension_months > 0 and f.extension_max_ltv is not None


def test_vendor_financing_amortises_straight_line_over_at_most_two_years(
        sample: Portfolio) -> None:
    vendor = [f for f in sample.facilities if f.kind == "vendor_financing"]
    assert vendor
    for f in vendor:
        assert f.amortization == "straight_line"
        start = f.start_date or sample.info.as_of
        assert months_after(start, f.maturity_date) <= VENDOR_MAX_MONTHS
        assert f.collateral, f.id


def test_gpu_fleets_are_priced_and_powered_in_domain_ranges(sample: Portfolio) -> None:
    fleets = [a for a in sample.assets if a.kind == "gpu_fleet"]
    assert {a.gpu_generation for a in fleets} <= set(UNIT_COST_RANGE_USD)
    for a in fleets:
        low, high = UNIT_COST_RANGE_USD[str(a.gpu_generation)]
        assert low <= given(a.unit_cost_usd) <= high, a.id
        assert PUE_RANGE[0] <= a.pue <= PUE_RANGE[1], a.id
        assert a.contracted_share > 0 and a.contract_end_date is not None, a.id
        assert a.contract_end_date > sample.info.as_of, a.id


def test_data_centres_carry_rents_and_cap_rates_in_domain_ranges(sample: Portfolio) -> None:
    centres = [a for a in sample.assets if a.kind == "data_center"]
    for a in centres:
        rent = given(a.lease_rate_usd_per_kw_month)
        assert LEASE_RATE_RANGE[0] <= rent <= LEASE_RATE_RANGE[1], a.id
        assert CAP_RATE_RANGE_PCT[0] <= given(a.cap_rate_pct) <= CAP_RATE_RANGE_PCT[1], a.id
        assert 0 < a.leased_mw <= given(a.capacity_mw), a.id


def test_the_refinancing_cliff_is_visible_within_two_years(sample: Portfolio) -> None:
    # DOMAIN 1.11: mini-perms, construction loans, CMBS and neocloud debt cluster in 2027-28.
    as_of = sample.info.as_of
    total = sum(f.commitment_usd for f in sample.facilities)
    due = [f for f in sample.facilities
           if months_after(as_of, f.ard_date or f.maturity_date) <= SHORT_CLIFF_MONTHS]
    assert sum(f.commitment_usd for f in due) >= 0.10 * total
    assert {f.kind for f in due} >= {"construction_loan", "term_loan", "abs", "revolver"}
