"""Maturity wall, contractual balloons (numpy-financial oracle), refinancing gap, cliff timing."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy_financial as npf
import pytest

from cliffwatch.analytics import cliff
from cliffwatch.codes import Amortization, RateKind, RefiOutcome
from cliffwatch.tape.arrays import NO_MONTH

from .builders import make_portfolio, one_factor_summary

VAL = np.datetime64("2026-07-01")


def test_quarter_labels() -> None:
    keys = cliff.quarter_keys(np.array([0, 2, 3, 6, 18]), VAL)
    assert [cliff.quarter_label(int(k)) for k in keys] == [
        "2026Q3", "2026Q3", "2026Q4", "2027Q1", "2028Q1"]


def test_maturity_wall_groups_by_quarter_and_structure() -> None:
    wall = cliff.maturity_wall(
        np.array([1, 2, 4, NO_MONTH, 5]), np.array([10.0, 5.0, 7.0, 99.0, 1.0]),
        ("abs", "abs", "hy_bond", "abs", "abs"), VAL)
    assert wall.to_dict("records") == [
        {"quarter": "2026Q3", "structure": "abs", "due": 15.0},
        {"quarter": "2026Q4", "structure": "abs", "due": 1.0},
        {"quarter": "2026Q4", "structure": "hy_bond", "due": 7.0},
    ]


def _single(amort: Amortization, term: int, maturity: int, **kw: object):
    pa = make_portfolio([0], [1e6], [maturity], [(0, 0, 1.0)], 1)
    arrays = {
        "f_amort": np.array([amort], np.int8), "f_amort_term_months": np.array([term], np.int32),
        "f_coupon": np.array([0.06]),
    }
    arrays.update({k: np.asarray(v) for k, v in kw.items()})
    return dataclasses.replace(pa, **arrays)


def test_annuity_balloon_matches_numpy_financial() -> None:
    pa = _single(Amortization.annuity, 360, 120)
    month, amount = cliff.contractual_due(pa)
    expected = npf.fv(0.005, 120, npf.pmt(0.005, 360, -1e6), -1e6)
    assert month[0] == 120
    assert expected == pytest.approx(836857.249637, rel=1e-9)
    assert amount[0] == pytest.approx(expected, rel=1e-9)


def test_seasoned_annuity_reproduces_the_original_schedule() -> None:
    # 120-month loan started 12 months ago: 924 727.78 outstanding (METHODS 7); maturing at +48
    bal12 = npf.fv(0.005, 12, npf.pmt(0.005, 120, -1e6), -1e6)
    assert bal12 == pytest.approx(924727.779227, rel=1e-9)
    pa = _single(Amortization.annuity, 120, 48, f_start_month=np.array([-12], np.int32),
                 f_drawn=np.array([bal12]))
    _, amount = cliff.contractual_due(pa)
    assert amount[0] == pytest.approx(npf.fv(0.005, 60, npf.pmt(0.005, 120, -1e6), -1e6),
                                      rel=1e-9)


def test_floating_annuity_uses_floored_base_rate_plus_margin() -> None:
    pa = _single(Amortization.annuity, 120, 12, f_rate_kind=np.array([RateKind.floating], np.int8),
                 f_spread=np.array([0.02]), f_floor=np.array([0.04]))
    _, amount = cliff.contractual_due(pa, base_rate=0.03)
    assert amount[0] == pytest.approx(924727.779227, rel=1e-9)  # 4% floor + 2% = 6%


def test_io_straight_line_custom_bullet_and_ard() -> None:
    io = _single(Amortization.io_then_annuity, 360, 12, f_io_months=np.array([24], np.int32))
    assert cliff.contractual_due(io)[1][0] == 1e6
    sl = _single(Amortization.straight_line, 100, 25)
    assert cliff.contractual_due(sl)[1][0] == pytest.approx(750_000.0)
    custom = _single(Amortization.custom, 0, 30, f_sched_ptr=np.array([0, 3], np.int32),
                     sched_month=np.array([5, 10, 30], np.int32),
                     sched_amount=np.array([1e5, 2e5, 7e5]))
    assert cliff.contractual_due(custom)[1][0] == pytest.approx(7e5)
    ddtl = _single(Amortization.bullet, 0, 30, f_draw_ptr=np.array([0, 2], np.int32),
                   draw_month=np.array([3, 40], np.int32), draw_amount=np.array([5e5, 1e6]))
    assert cliff.contractual_due(ddtl)[1][0] == pytest.approx(1.5e6)
    ard = _single(Amortization.bullet, 0, 60, f_ard_month=np.array([36], np.int32))
    assert cliff.contractual_due(ard)[0][0] == 36


def test_refinancing_gap_hand_case() -> None:
    pa = make_portfolio([0, 1], [100.0, 50.0], [3, 4], [(0, 0, 1.0), (1, 0, 1.0)], 1)
    s = one_factor_summary(pa, 4, pd=0.5, rho=0.0, lgd=0.5, horizon=12, seed=0)
    outcome = np.array([[RefiOutcome.refinanced, RefiOutcome.failed_default],
                        [RefiOutcome.extended, RefiOutcome.refinanced],
                        [RefiOutcome.abs_step_up, RefiOutcome.repaid],
                        [RefiOutcome.refinanced, RefiOutcome.refinanced]], np.int8)
    s = dataclasses.replace(s, fac_refi_outcome=outcome)
    gap = cliff.refinancing_gap(s, VAL)
    assert gap.quarters == ("2026Q4",)
    np.testing.assert_allclose(gap.due, [150.0])
    per_path = np.array([50.0, 100.0, 100.0, 0.0])
    np.testing.assert_allclose(gap.failed, [per_path.mean()])
    np.testing.assert_allclose(gap.failed_p5, [np.percentile(per_path, 5)])
    np.testing.assert_allclose(gap.failed_p95, [np.percentile(per_path, 95)])
    due, failed = cliff.window_due_and_failed(s, (3, 4))
    assert due == 100.0 and failed == pytest.approx(50.0)


def test_time_to_cliff_distribution() -> None:
    cm = np.array([[0, NO_MONTH], [5, 5], [NO_MONTH, 30]])
    months, prob = cliff.time_to_cliff(cm, 24)
    np.testing.assert_array_equal(months, [0, 5])
    np.testing.assert_allclose(prob, [1 / 6, 2 / 6])


def test_expected_drawdowns_average_paths() -> None:
    pa = make_portfolio([0], [10.0], [30], [(0, 0, 0.5)], 1)
    s = one_factor_summary(pa, 3, pd=0.1, rho=0.1, lgd=0.5, horizon=6, seed=1)
    drawn, undrawn = cliff.expected_drawdowns(s)
    assert drawn.shape == (6, 1) and undrawn.shape == (6, 1)
    np.testing.assert_allclose(drawn[:, 0], 5.0 * (1 + 0.01 * np.arange(6)))


def test_refinancing_gap_matches_a_pandas_groupby_oracle() -> None:
    rng = np.random.default_rng(13)
    pa = make_portfolio([0, 1, 2], [1.0, 2.0, 3.0], [5, 20, 40], [(0, 0, 1.0)], 1)
    s = one_factor_summary(pa, 300, pd=0.2, rho=0.2, lgd=0.5, horizon=48, seed=2)
    month = rng.integers(0, 48, size=(300, 3)).astype(np.int32)
    month[rng.random((300, 3)) < 0.2] = NO_MONTH
    outcome = rng.integers(0, 6, size=(300, 3)).astype(np.int8)
    due = rng.uniform(0, 10, size=(300, 3))
    s = dataclasses.replace(s, fac_refi_month=month, fac_refi_outcome=outcome, fac_refi_due=due)
    gap = cliff.refinancing_gap(s, VAL)
    import pandas as pd

    path = np.repeat(np.arange(300), 3)
    df = pd.DataFrame({"path": path, "m": month.ravel(), "o": outcome.ravel(), "due": due.ravel()})
    df = df[(df.m < NO_MONTH) & (df.o != RefiOutcome.not_due)]
    df["q"] = [str(pd.Period(VAL, "M") + int(m)).replace("-", "")[:4] + "Q"
               + str((pd.Period(VAL, "M") + int(m)).quarter) for m in df.m]
    df["failed"] = np.where(df.o.isin([int(o) for o in cliff.FAILED_OUTCOMES]), df.due, 0.0)
    grid = df.pivot_table(index="path", columns="q", values=["due", "failed"], aggfunc="sum",
                          fill_value=0.0).reindex(range(300), fill_value=0.0)
    assert list(gap.quarters) == sorted(df.q.unique())
    np.testing.assert_allclose(gap.due, grid["due"].mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(gap.failed, grid["failed"].mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(gap.failed_p95, grid["failed"].quantile(0.95).to_numpy(),
                               rtol=1e-12)
