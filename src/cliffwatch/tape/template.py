"""An example tape with one row per table: the starting point for a user's own tape.

``template_portfolio()`` is the content of ``cliffwatch template``; it must load and validate
(a test holds it to that), so every example row is consistent with every other.
"""

from __future__ import annotations

from datetime import date

from cliffwatch.tape.schema import (
    Asset,
    Borrower,
    Counterparty,
    Draw,
    Facility,
    Holding,
    Lender,
    Portfolio,
    ScheduledPrincipal,
    TapeInfo,
)


def template_portfolio() -> Portfolio:
    """A one-row-per-table example: a GPU SPV with a contracted fleet and a DDTL on it."""
    return Portfolio(
        # the bundled sample's valuation date, so the CLI template, the sample and the
        # dashboard agree on month 0
        info=TapeInfo(as_of=date(2026, 7, 1), currency="USD", name="example book"),
        borrowers=[Borrower(
            id="SPV-1", name="Example GPU SPV", archetype="gpu_spv", rating="BB+",
            opening_cash_usd=25_000_000, ticker=None, parent_id=None,
        )],
        counterparties=[Counterparty(
            id="HYPER-1", name="Example Hyperscaler", archetype="hyperscaler", rating="AA-",
        )],
        assets=[Asset(
            id="FLEET-1", borrower_id="SPV-1", kind="gpu_fleet", gpu_generation="H200",
            units=10_000, unit_cost_usd=32_000, in_service_date=date(2026, 3, 1),
            contracted_share=0.9, contract_price_usd_per_gpu_hour=2.2,
            contract_end_date=date(2031, 2, 28), counterparty_id="HYPER-1",
            opex_usd_per_gpu_hour=0.2,
        )],
        facilities=[Facility(
            id="DDTL-1", borrower_id="SPV-1", kind="ddtl", structure="gpu_ddtl",
            collateral=["FLEET-1"], commitment_usd=250_000_000, drawn_usd=150_000_000,
            spread_bp=300, sofr_floor_pct=0.5, undrawn_fee_bp=50, amortization="custom",
            start_date=date(2026, 3, 1), maturity_date=date(2031, 3, 1),
            availability_end_date=date(2027, 3, 1), min_dscr=1.2,
        )],
        draws=[Draw(facility_id="DDTL-1", date=date(2026, 12, 31), amount_usd=100_000_000)],
        amortization_schedule=[ScheduledPrincipal(
            facility_id="DDTL-1", date=date(2031, 3, 1), principal_usd=250_000_000,
        )],
        lenders=[Lender(id="BANK-1", name="Example Bank", type="bank")],
        holdings=[Holding(facility_id="DDTL-1", lender_id="BANK-1", share=1.0)],
    )
