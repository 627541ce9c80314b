"""Scalar engine assumptions a scenario may override: named, with units and sources.

Defaults are the [estimate] figures of the project's DOMAIN notes (sections 2, 3.5, 5, 6); the
data card of the scenario library cites each. Arrays indexed by rating use ``codes.Rating``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cliffwatch.units import HOURS_PER_MONTH

__all__ = ["HOURS_PER_MONTH", "EngineParams"]  # HOURS_PER_MONTH re-exported from cliffwatch.units


def _default_rating_multiplier() -> np.ndarray:
    # New-issue spread = HY index x multiplier. HY index ~ single-B/BB blend (270 bp at t0);
    # IG OAS ~80 bp, BBB ~110 bp (DOMAIN 3.2, 6.1): AAA..CCC, NR treated as B.
    return np.array([0.20, 0.25, 0.30, 0.41, 0.80, 1.30, 3.00, 1.30])


@dataclass(frozen=True)
class EngineParams:
    """Assumptions of the monthly step that are not on the tape."""

    contagion: bool = False
    """Fire-sale price impact of defaulted GPU collateral on next month's GPU values."""
    gpu_fire_sale_haircut: float = 0.20
    """Discount to GPU market value on a forced sale (DOMAIN 6.2 S5: +20% on forced sales)."""
    gpu_market_depth_units: float = 2_000_000.0
    """GPUs of one generation the secondary market absorbs before the price falls by 1 - e^-1
    (Cont–Schaanning exponential impact ``exp(-sold/depth)``) [estimate]."""
    max_impact_per_month: float = 0.5
    """Cap on the monthly fire-sale price decline, so a divergent cascade is bounded."""
    dc_sale_cost: float = 0.05
    """Transaction and workout cost on a data-center sale, share of value [estimate]."""
    gpu_sale_cost: float = 0.03
    """Transaction cost on a GPU sale, share of proceeds [estimate]."""
    contract_renewal_prob: float = 0.70
    """Probability a GPU contract renews at expiry (DOMAIN 6.1)."""
    renewal_rent_ratio: float = 0.80
    """Renewal price as share of the expiring contract price (DOMAIN 6.1)."""
    lease_renewal_prob: float = 0.90
    """Probability a data-center lease renews at expiry (DOMAIN 6.1)."""
    idio_util_vol: float = 0.5
    """Scale of the borrower-specific utilization shock in logit space [estimate]."""
    dc_relet_rent_ratio: float = 0.55
    """Value of a data center whose tenant (and backstop) stopped paying, as the share of the
    contract rent it re-lets at: vacant NOI = ratio × contract rent × (1 − opex ratio)
    [estimate]. Anchors: DOMAIN 6.3 stressed DC-loan recovery 45% (base 70%) and the Fed CRE
    −39% value decline (DOMAIN 6.2 S3) bracket a vacant AI campus at ~50-60% of its let value
    once lease-up downtime, concessions and refit are capitalised; DOMAIN 2.5 market rents
    ($185-195/kW-month, 1.4% vacancy) support re-letting at all. Revenue stays zero while
    vacant (no re-letting within the horizon, a conservative simplification)."""
    refi_window_months: int = 6
    """Months before a maturity (or an ABS's ARD) in which the issuer tries to refinance,
    each month with that month's market access [estimate: issuers refinance 6-12 months ahead
    of maturity to avoid a current-debt going-concern flag; DOMAIN 1.4, 6.1]. 0 = only at
    the balloon date."""
    software_churn_sensitivity: float = 1.0
    """``kappa``: churn a fully vulnerable software borrower (vulnerability 1) loses per
    budget-year of reallocation, in log-ARR per (share of software spend reallocated × year):
    ``ARR × exp(−v × kappa × C_t)`` with ``C_t = Σ max(B_s, 0) / 12`` [estimate: a customer that
    moves 10% of its software budget to AI for a year cancels about as much again in contracts
    at renewal, so a fully exposed seat-based vendor loses ~10% of ARR to churn per year on top
    of the seat and price compression; annual SaaS gross revenue churn runs ~10-15% in
    normal times, DOMAIN 9 (fundamentals of credit-estimated software names)]."""
    software_sale_ratio: float = 0.65
    """Share of a defaulted software borrower's enterprise value ``EV/ARR × ARR × M`` realised
    in the distressed sale, net of costs [estimate: first-lien loans recover 61% in the next
    downturn and 68% under top-heavy structures (Moody's, DOMAIN 3.5); a unitranche at default
    sits close to 100% of the going-concern EV, so the realised share of EV is about the
    first-lien recovery; an asset-light software business also loses customers and staff
    during the process, which puts it at the lower end of that band]."""
    rating_spread_multiplier: np.ndarray = field(default_factory=_default_rating_multiplier)
    """(8,) new-issue spread as multiple of the HY index, per Rating code [estimate]."""
