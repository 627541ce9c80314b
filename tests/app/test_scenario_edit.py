"""The scenario form and the YAML editor: the document written, and its effect on factor paths.

Oracle: the same seed with and without the custom shocks (common random numbers), so the
factor ratio or difference at a month is exactly the shock the analyst typed.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from cliffwatch.app.scenario_edit import ShockForm, form_spec, parse_scenario, spec_yaml
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import PortfolioArrays

PATHS, HORIZON, SEED = 8, 24, 5


def test_form_writes_only_the_shocks_set() -> None:
    spec = form_spec(ShockForm(name="plain"))
    assert spec == {"name": "plain", "extends": "base",
                    "description": "custom scenario from the dashboard form"}


def test_form_document_round_trips_through_the_loader(tmp_path: Path) -> None:
    form = ShockForm(name="combo", extends="higher_for_longer", spread_multiplier=2.5,
                     spread_month=3, spread_half_life=6.0, utilization_shift_pp=-10,
                     utilization_month=12, rent_decline_pct=40, rent_month=18,
                     closed_from=4, closed_to=10)
    scn = parse_scenario(spec_yaml(form_spec(form)), tmp_path)
    f = scn.spec.factors
    assert scn.name == "combo"
    assert f.spread is not None and f.spread.jump[0].month == 3
    assert f.spread.jump[0].size == pytest.approx(math.log(2.5), rel=1e-15)
    assert f.spread.jump[0].half_life_months == 6.0
    assert f.utilization is not None and f.utilization.shift == {0: 0.0, 12: -0.10}
    assert f.gpu_rent is not None and f.gpu_rent.scale == {0: 1.0, 18: pytest.approx(0.60)}
    assert [(w.from_month, w.to_month) for w in scn.spec.market_closed] == [(4, 10)]
    parent = load_scenario("higher_for_longer")
    assert f.sofr == parent.spec.factors.sofr  # inherited from the parent untouched


@pytest.mark.parametrize("bad, field", [
    (ShockForm(name="a b"), "name"),
    (ShockForm(name="x", spread_multiplier=0.0), "spread multiplier"),
    (ShockForm(name="x", rent_decline_pct=100.0), "rent decline"),
    (ShockForm(name="x", closed_from=3), "market closed"),
])
def test_form_rejects_out_of_range_fields(bad: ShockForm, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        form_spec(bad)


def _paths(pa: PortfolioArrays, scn: object) -> object:
    return generate(Universe.from_arrays(pa), scn, SEED, 0, PATHS, HORIZON)  # type: ignore[arg-type]


def test_shocks_move_factor_paths_by_exactly_the_typed_amount(
        tmp_path: Path, sample_arrays: PortfolioArrays) -> None:
    form = ShockForm(name="oracle", spread_multiplier=2.0, spread_month=6,
                     rent_decline_pct=25.0, rent_month=12)
    custom = _paths(sample_arrays, parse_scenario(spec_yaml(form_spec(form)), tmp_path))
    base = _paths(sample_arrays, load_scenario("base"))
    ratio = custom.spread / base.spread  # type: ignore[attr-defined]
    np.testing.assert_allclose(ratio[:, :6], 1.0, rtol=1e-12)  # before the jump: unchanged
    np.testing.assert_allclose(ratio[:, 6], 2.0, rtol=1e-9)  # a permanent x2 at month 6
    rent = custom.gpu_rent / base.gpu_rent  # type: ignore[attr-defined]
    np.testing.assert_allclose(rent[:, :, 12:], 0.75, rtol=1e-9)  # -25% from month 12 on
    np.testing.assert_allclose(rent[:, :, 6], 1.0 - 0.25 * 6 / 12, rtol=1e-9)  # linear ramp


def test_editor_reports_located_problems(tmp_path: Path) -> None:
    with pytest.raises(MarketInputError, match=r"factors\.spread\.jumpp"):
        parse_scenario("name: x\nextends: base\nfactors:\n  spread:\n    jumpp: 1\n", tmp_path)
    with pytest.raises(MarketInputError, match="not valid YAML"):
        parse_scenario("name: [unclosed\n", tmp_path)
    with pytest.raises(MarketInputError, match="empty"):
        parse_scenario("   \n", tmp_path)
    assert list(tmp_path.iterdir()) == []  # temporary files are removed


def test_editor_refuses_code_tags_and_file_parents(tmp_path: Path) -> None:
    with pytest.raises(MarketInputError, match="not valid YAML"):
        parse_scenario("name: !!python/object/apply:os.system ['true']\n", tmp_path)
    with pytest.raises(MarketInputError, match="bundled scenarios"):
        parse_scenario("name: x\nextends: /etc/passwd.yaml\n", tmp_path)


def test_spec_yaml_is_plain_yaml() -> None:
    spec = form_spec(ShockForm(name="y", utilization_shift_pp=5, utilization_month=0))
    assert yaml.safe_load(spec_yaml(spec)) == spec
