"""A data centre whose tenant stopped paying is worth its re-let rent (docs/ENGINE.md, step 7)."""

from __future__ import annotations

import pytest
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import AssetKind, RefKind
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block

M = 1e6
LEASED_MW = 10.0
RENT = 150.0  # USD per kW-month: 1.5M a month
OPEX_RATIO = 0.2
CAP_RATE = 0.065
LOAN = 500 * M
COUPON = 0.06
TENANT_DEFAULT = 1
HORIZON = 3


def _campus_whose_tenant_defaults(ratio: float) -> tuple[float, float]:
    campus = dict(kind=AssetKind.data_center, leased_mw=LEASED_MW, lease_rate=RENT,
                  opex_ratio=OPEX_RATIO, cap_rate=CAP_RATE, completion_month=0,
                  cpty_kind=RefKind.counterparty, cpty=0)
    pa = portfolio(assets=[campus], counterparties=1,
                   facilities=[dict(drawn=LOAN, coupon=COUPON, collateral=(0,))])
    fp = flat_paths(pa, HORIZON, cpty_default_month=TENANT_DEFAULT)
    s = run_block(pa, fp, EngineParams(dc_relet_rent_ratio=ratio), HORIZON)
    assert s.default_month[0, 0] == TENANT_DEFAULT
    return float(s.fac_ead[0, 0] - s.fac_loss[0, 0]), float(s.fac_ead[0, 0])


@pytest.mark.parametrize("ratio", [0.0, 0.55, 1.0])
def test_recovery_is_the_re_let_value_net_of_sale_cost_plus_cash(ratio: float) -> None:
    """Hand computed: month 0 earns rent less opex; month 1 pays opex only and misses the
    month's interest; proceeds = 12 × rent × ratio × (1 − opex) / cap × (1 − sale cost)."""
    rent = LEASED_MW * 1000.0 * RENT
    cash = rent * (1.0 - OPEX_RATIO) - OPEX_RATIO * rent
    value = 12.0 * rent * ratio * (1.0 - OPEX_RATIO) / CAP_RATE
    recovered, ead = _campus_whose_tenant_defaults(ratio)
    assert ead == pytest.approx(LOAN * (1.0 + COUPON / 12.0))
    assert recovered == pytest.approx(value * (1.0 - EngineParams().dc_sale_cost) + cash)
