"""What the market layer needs to know about a portfolio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.tape.arrays import PortfolioArrays


@dataclass(frozen=True, eq=False)
class Universe:
    """Obligors, facilities and GPU generations for which paths are generated.

    Attributes
    ----------
    valuation_date
        First day of month 0, ``datetime64[D]``.
    gpu_generations
        Generation names; ``FactorPaths.gpu_rent[:, g]`` follows this order.
    borrower_archetypes, borrower_ratings
        (NB,) int8 ``codes.Archetype`` / ``codes.Rating``.
    counterparty_archetypes, counterparty_ratings
        (NC,) int8 codes.
    n_facilities
        Facilities (one refinancing-access uniform each).
    borrower_ids, counterparty_ids
        Labels (for forced defaults by id); may be empty.
    """

    valuation_date: np.datetime64
    gpu_generations: tuple[str, ...]
    borrower_archetypes: np.ndarray
    borrower_ratings: np.ndarray
    counterparty_archetypes: np.ndarray
    counterparty_ratings: np.ndarray
    n_facilities: int
    borrower_ids: tuple[str, ...] = ()
    counterparty_ids: tuple[str, ...] = ()

    @property
    def n_borrowers(self) -> int:
        return len(self.borrower_archetypes)

    @property
    def n_counterparties(self) -> int:
        return len(self.counterparty_archetypes)

    @classmethod
    def from_arrays(cls, pa: PortfolioArrays) -> Universe:
        """The universe of a compiled portfolio."""
        return cls(
            valuation_date=pa.valuation_date.astype("datetime64[D]"),
            gpu_generations=tuple(pa.gpu_generations),
            borrower_archetypes=np.asarray(pa.b_archetype, np.int8),
            borrower_ratings=np.asarray(pa.b_rating, np.int8),
            counterparty_archetypes=np.asarray(pa.c_archetype, np.int8),
            counterparty_ratings=np.asarray(pa.c_rating, np.int8),
            n_facilities=pa.n_facilities,
            borrower_ids=tuple(pa.borrower_ids),
            counterparty_ids=tuple(pa.counterparty_ids),
        )

    @classmethod
    def simple(
        cls,
        valuation_date: str = "2026-07-01",
        gpu_generations: tuple[str, ...] = ("H100",),
        borrower_archetypes: tuple[int, ...] = (),
        borrower_ratings: tuple[int, ...] = (),
        counterparty_archetypes: tuple[int, ...] = (),
        counterparty_ratings: tuple[int, ...] = (),
        n_facilities: int = 0,
    ) -> Universe:
        """A hand-built universe (tests, the ``scenarios show`` command)."""
        return cls(
            valuation_date=np.datetime64(valuation_date, "D"),
            gpu_generations=gpu_generations,
            borrower_archetypes=np.asarray(borrower_archetypes, np.int8),
            borrower_ratings=np.asarray(borrower_ratings, np.int8),
            counterparty_archetypes=np.asarray(counterparty_archetypes, np.int8),
            counterparty_ratings=np.asarray(counterparty_ratings, np.int8),
            n_facilities=n_facilities,
        )
