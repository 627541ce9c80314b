"""What the engine returns for a block of paths in summary mode: the contract with analytics.

Every array's first axis is the path (P). NB borrowers, NF facilities, NL lenders, T months.
Money in USD. Months are offsets from the valuation month; ``NO_MONTH`` means 'never within
the horizon'. Nothing here is a paths x facilities x months cube: per-month figures are kept
only per lender.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True, eq=False)
class EngineSummary:
    """Per-path outcomes of one block of paths."""

    default_month: np.ndarray
    """(P, NB) int32 month the borrower defaulted, NO_MONTH if it survived the horizon."""
    default_cause: np.ndarray
    """(P, NB) int8 codes.DefaultCause."""
    cliff_month: np.ndarray
    """(P, NB) int32 first month of a failed refinancing or a DSCR below 1.0 once the borrower
    has operating cash flow (NO_MONTH none)."""
    fac_loss: np.ndarray
    """(P, NF) float64 loss of the facility (EAD minus recovery), 0 if no default."""
    fac_ead: np.ndarray
    """(P, NF) float64 exposure at default (balance + accrued + drawn revolver), 0 if none."""
    fac_refi_month: np.ndarray
    """(P, NF) int32 month of the first maturity/ARD event within the horizon (NO_MONTH none)."""
    fac_refi_due: np.ndarray
    """(P, NF) float64 balance due at that event (the amount to refinance), USD."""
    fac_refi_outcome: np.ndarray
    """(P, NF) int8 codes.RefiOutcome of that event."""
    fac_peak_drawn: np.ndarray
    """(P, NF) float64 largest drawn balance over the horizon (revolver and DDTL stress draws)."""
    lender_drawn: np.ndarray
    """(P, T, NL) float64 held share of drawn balances at the end of each month."""
    lender_undrawn: np.ndarray
    """(P, T, NL) float64 held share of undrawn commitments at the end of each month."""
    gpu_units_sold: np.ndarray
    """(P, G) float64 GPU units liquidated by defaulting borrowers over the horizon."""
    gpu_price_impact: np.ndarray
    """(P, G) float64 cumulative fire-sale multiplier on GPU values at the horizon (1 = none)."""

    @property
    def n_paths(self) -> int:
        return int(self.default_month.shape[0])

    def lender_loss(self, h_facility: np.ndarray, h_lender: np.ndarray, h_share: np.ndarray,
                    n_lenders: int) -> np.ndarray:
        """(P, NL) loss per lender: facility losses split by holding share."""
        holdings = sparse.csr_matrix(
            (h_share, (h_facility, h_lender)), shape=(self.fac_loss.shape[1], n_lenders)
        )
        return np.asarray(self.fac_loss @ holdings)
