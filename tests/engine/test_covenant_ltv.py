"""The LTV covenant of a secured facility counts only the debt on its own collateral."""

from __future__ import annotations

import math

import pytest
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import CovenantAction, DefaultCause
from cliffwatch.engine.run import run_block
from cliffwatch.tape.arrays import NO_MONTH

M = 1e6
UNITS = 500.0
GPU_VALUE = 20_000.0  # USD per unit: the fleet is worth 10M
HORIZON = 4
TEST_MONTH = 2  # first quarterly covenant test


def _outcome(facilities: list[dict]) -> tuple[int, int]:
    pa = portfolio(borrowers=[dict(cash=100 * M)], assets=[dict(units=UNITS)],
                   facilities=facilities)
    s = run_block(pa, flat_paths(pa, HORIZON, gpu_value=GPU_VALUE), horizon=HORIZON)
    return int(s.default_month[0, 0]), int(s.default_cause[0, 0])


def _senior(max_ltv: float = 0.65) -> dict:
    return dict(rank=1, drawn=5 * M, collateral=(0,), max_ltv=max_ltv,
                cov_action=CovenantAction.event_of_default)


UNSECURED_NOTES = dict(rank=2, drawn=20 * M, secured=False, max_ltv=0.1,
                       cov_action=CovenantAction.event_of_default)


def test_unsecured_debt_neither_counts_nor_is_tested() -> None:
    # senior LTV 5 / 10 = 0.5 < 0.65; borrower-level LTV would be 2.5
    assert _outcome([_senior(), UNSECURED_NOTES]) == (NO_MONTH, DefaultCause.none)


@pytest.mark.parametrize(("junior_limit", "breach"), [(0.7, True), (0.85, False)])
def test_junior_lien_counts_the_senior_on_the_same_asset(junior_limit: float,
                                                         breach: bool) -> None:
    # junior LTV (5 + 3) / 10 = 0.8; the senior's own LTV 0.5 passes
    junior = dict(rank=2, drawn=3 * M, collateral=(0,), max_ltv=junior_limit,
                  cov_action=CovenantAction.event_of_default)
    want = (TEST_MONTH, DefaultCause.covenant) if breach else (NO_MONTH, DefaultCause.none)
    assert _outcome([_senior(), junior]) == want


def test_pari_passu_lien_counts_toward_the_senior_test() -> None:
    # two rank-1 loans on the fleet: (5 + 3) / 10 = 0.8 > 0.65
    pari = dict(rank=1, drawn=3 * M, collateral=(0,), max_ltv=math.inf)
    assert _outcome([_senior(), pari]) == (TEST_MONTH, DefaultCause.covenant)
