"""A whole run splits every lender's losses into the two sides of the AI theme consistently."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cliffwatch.analytics.theme import BOOK_ID, TWO_SIDED_MIN_SHARE
from cliffwatch.api import run
from cliffwatch.codes import Archetype
from cliffwatch.sample import load_sample
from cliffwatch.tape.compile import compile_portfolio

SOFTWARE_EVERY = 4
"""Every fourth sample borrower is relabelled a software business (the sample has none yet)."""


def test_split_of_a_run_with_software_borrowers_adds_up() -> None:
    pa = compile_portfolio(load_sample())
    arch = pa.b_archetype.copy()
    arch[1::SOFTWARE_EVERY] = int(Archetype.software)
    pa = replace(pa, b_archetype=arch)
    res = run(pa, ["base", "crowded_unwind"], paths=32, seed=3, sensitivities=False,
              reverse_stress=False)
    t = res.table("theme_split")
    lm = res.table("lender_metrics")
    lenders = t[t["lender_id"] != BOOK_ID].reset_index(drop=True)
    assert lenders[["scenario", "lender_id"]].equals(lm[["scenario", "lender_id"]])
    np.testing.assert_allclose(lenders["el_joint"], lm["el"], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(lenders["es99_joint"], lm["es99"], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(t["el_infra"] + t["el_software"], t["el_joint"], rtol=1e-9,
                               atol=1e-6)
    np.testing.assert_allclose(lenders["exposure_infra"] + lenders["exposure_software"],
                               lm["exposure"], rtol=1e-12)
    book = t[t["lender_id"] == BOOK_ID].set_index("scenario")
    summary = res.summary().set_index("scenario")
    np.testing.assert_allclose(book["el_joint"], summary.loc[book.index, "el"], rtol=1e-12)
    assert (book["exposure_software"] > 0).all()
    share = t["software_share"]
    want = (share >= TWO_SIDED_MIN_SHARE) & (1 - share >= TWO_SIDED_MIN_SHARE)
    assert t["two_sided"].tolist() == want.tolist()
    assert (t["diversification"] >= -1e-6 * t["es99_joint"].abs().max()).all()
