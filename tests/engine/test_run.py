"""Entry points: input checks with readable messages, trace table layout, summary dtypes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.engine.factory import flat_paths, one_loan

from cliffwatch.engine.layout import BT_NAMES, FT_NAMES
from cliffwatch.engine.run import run_block, trace
from cliffwatch.tape.arrays import NO_MONTH


def test_horizon_and_path_shapes_are_checked() -> None:
    pa = one_loan(maturity_month=24)
    fp = flat_paths(pa, 12)
    with pytest.raises(ValueError, match="cover 12 months"):
        run_block(pa, fp, horizon=24)
    with pytest.raises(ValueError, match="horizon must be 1..360"):
        run_block(pa, fp, horizon=0)
    bad = dataclasses.replace(fp, refi_u=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="refi_u"):
        run_block(pa, bad, horizon=12)
    with pytest.raises(ValueError, match="path 3"):
        trace(pa, fp, horizon=12, path=3)
    sofr = fp.sofr.copy()
    sofr[0, 4] = np.nan
    with pytest.raises(ValueError, match=r"sofr is not finite at index \(0, 4\)"):
        run_block(pa, dataclasses.replace(fp, sofr=sofr), horizon=12)
    bad_pa = dataclasses.replace(pa, f_pay_freq=np.zeros(1, np.int8))
    with pytest.raises(ValueError, match="facility F0: pay_freq"):
        run_block(bad_pa, fp, horizon=12)


def test_summary_dtypes_and_shapes() -> None:
    pa = one_loan(cash=1e9, maturity_month=6)
    s = run_block(pa, flat_paths(pa, 12, n_paths=3), horizon=12)
    assert s.default_month.dtype == np.int32 and s.default_month.shape == (3, 1)
    assert s.default_cause.dtype == np.int8 and s.fac_refi_outcome.dtype == np.int8
    assert s.lender_drawn.shape == (3, 12, 1)
    assert (s.default_month == NO_MONTH).all()
    np.testing.assert_allclose(s.lender_drawn[:, 5, 0], 1e6)
    np.testing.assert_allclose(s.lender_drawn[:, 6, 0], 0.0)


def test_trace_tables_and_borrower_filter() -> None:
    from tests.engine.factory import portfolio
    pa = portfolio(borrowers=[dict(cash=1e8), dict(cash=1e8)],
                   facilities=[dict(borrower=0, maturity_month=24),
                               dict(borrower=1, maturity_month=24)])
    out = trace(pa, flat_paths(pa, 12), horizon=12, borrowers=[1])
    assert list(out["facility"].columns[3:]) == list(FT_NAMES)
    assert list(out["borrower"].columns[3:]) == list(BT_NAMES)
    assert set(out["facility"]["facility_id"]) == {"F1"}
    assert set(out["borrower"]["borrower_id"]) == {"B1"}
    assert len(out["borrower"]) == 12
