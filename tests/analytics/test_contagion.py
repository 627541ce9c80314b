"""The contagion table: per-lender losses of paired runs with the fire-sale channel on and off."""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.analytics import contagion as c


def test_contagion_table_compares_paired_runs() -> None:
    import dataclasses

    from cliffwatch.analytics.risk_measures import expected_shortfall
    from cliffwatch.results import TABLES

    from .builders import make_portfolio, one_factor_summary

    pa = make_portfolio([0, 1, 2], [100.0, 50.0, 80.0], [30, 30, 30],
                        [(0, 0, 1.0), (1, 1, 1.0), (2, 0, 0.5), (2, 1, 0.5)], 2)
    off = one_factor_summary(pa, 2_000, pd=0.05, rho=0.2, lgd=0.5, horizon=24, seed=12)
    # contagion pushes borrower 1 into default on every path where borrower 0 defaults
    dm = off.default_month.copy()
    push = (dm[:, 0] < 24) & (dm[:, 1] >= 24)
    dm[push, 1] = 23
    loss = off.fac_loss.copy()
    loss[push, 1] = 25.0
    on = dataclasses.replace(off, default_month=dm, fac_loss=loss)
    table = c.contagion_table(on, off, pa, "crowded_unwind")
    assert list(table.columns) == [col for col, _, _ in TABLES["contagion"]]
    np.testing.assert_allclose(table["extra_defaults"], [0.0, push.mean()])
    np.testing.assert_allclose(table["el_on"] - table["el_off"], [0.0, 25.0 * push.mean()])
    assert table["es99_on"][1] >= table["es99_off"][1]
    assert table["es99_off"][0] == pytest.approx(
        expected_shortfall(off.fac_loss[:, 0] + 0.5 * off.fac_loss[:, 2], 0.99))
