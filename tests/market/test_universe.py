"""Universe.from_arrays reads what the market layer needs from a compiled portfolio."""

from __future__ import annotations

import dataclasses

import numpy as np

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.generator import generate
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import PortfolioArrays


def _arrays() -> PortfolioArrays:
    values: dict[str, object] = {}
    for f in dataclasses.fields(PortfolioArrays):
        values[f.name] = () if "tuple" in str(f.type) else np.zeros(0)
    values |= {
        "valuation_date": np.datetime64("2026-07-01"),
        "gpu_generations": ("B200", "H100"),
        "borrower_ids": ("b1", "b2"),
        "counterparty_ids": ("c1",),
        "b_archetype": np.array([Archetype.neocloud, Archetype.gpu_spv], np.int8),
        "b_rating": np.array([Rating.B, Rating.BB], np.int8),
        "c_archetype": np.array([Archetype.hyperscaler], np.int8),
        "c_rating": np.array([Rating.AA], np.int8),
        "f_borrower": np.array([0, 0, 1], np.int32),
    }
    return PortfolioArrays(**values)  # type: ignore[arg-type]


def test_from_arrays_and_generate() -> None:
    u = Universe.from_arrays(_arrays())
    assert (u.n_borrowers, u.n_counterparties, u.n_facilities) == (2, 1, 3)
    assert u.gpu_generations == ("B200", "H100") and u.borrower_ids == ("b1", "b2")
    fp = generate(u, "base", seed=0, path_stop=3, horizon=12)
    # generations follow the tape's order
    np.testing.assert_allclose(fp.gpu_rent[:, :, 0], [[3.50, 2.35]] * 3)
    assert fp.refi_u.shape == (3, 3) and fp.borrower_ext_default_month.shape == (3, 2)
