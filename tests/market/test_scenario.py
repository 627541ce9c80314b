"""Scenario spec language: validation with located errors, inheritance, engine overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cliffwatch.engine.params import EngineParams
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import deep_merge, load_scenario
from cliffwatch.runs.params import engine_params


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            "name: x\nfactors: {spread: {jump: [{month: 2, size: 1, half_life_months: -1}]}}",
            r"factors\.spread\.jump\.0\.half_life_months: got -1",
        ),
        ("name: x\nfactors: {sofr: {shfit: {0: 0.01}}}", r"factors\.sofr\.shfit"),
        (
            "name: x\ncounterparty_pd: [{archetype: bank, multiplier: 2}]",
            r"counterparty_pd\.0\.archetype: got 'bank'.*archetype in",
        ),
        ("name: x\ncounterparty_pd: [{archetype: ai_lab}]", "exactly one of"),
        ("name: x\nmarket_closed: [{from: 5, to: 3}]", r"market_closed\.0.*'to' after 'from'"),
        ("name: x\nfactors: {gpu_rent: {center: {0: 2.0}}}", "gpu_rent_by_generation"),
        ("factors: {}", r"name: got .*expected Field required"),
        ("name: x\nfactors: {utilization: {scale: {}}}", "at least one point"),
        ("- a\n- b\n", "expected a mapping"),
        ("name: !!python/object/apply:os.system ['echo hi']", "not valid YAML"),
    ],
)
def test_invalid_specs_give_located_errors(tmp_path: Path, body: str, where: str) -> None:
    p = _write(tmp_path, "bad.yaml", body)
    with pytest.raises(MarketInputError, match=rf"(?s)bad\.yaml.*{where}"):
        load_scenario(p)


def test_unknown_bundled_name() -> None:
    with pytest.raises(MarketInputError, match="unknown scenario 'nope'.*base"):
        load_scenario("nope")


def test_extends_merges_and_detects_cycles(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent.yaml",
        "name: parent\nfactors: {sofr: {shift: {0: 0.01}}, spread: {scale: {0: 2.0}}}\n"
        "engine: {lease_renewal_prob: 0.5}\n",
    )
    child = _write(
        tmp_path,
        "child.yaml",
        "name: child\nextends: parent.yaml\nfactors: {spread: {scale: {0: 3.0}}}\n"
        "contagion: true\n",
    )
    s = load_scenario(child)
    assert s.spec.factors.sofr.shift == {0: 0.01}
    assert s.spec.factors.spread.scale == {0: 3.0}
    ep = engine_params(s)
    assert ep.contagion is True and ep.lease_renewal_prob == 0.5
    assert ep.gpu_fire_sale_haircut == EngineParams().gpu_fire_sale_haircut
    _write(tmp_path, "a.yaml", "name: a\nextends: b.yaml\n")
    _write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    with pytest.raises(MarketInputError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_extends_a_bundled_scenario(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "mine.yaml",
        "name: mine\nextends: crowded_unwind\ncontagion: false\n"
        "engine: {rating_spread_multiplier: [1, 1, 1, 1, 1, 1, 1, 1]}\n",
    )
    s = load_scenario(p)
    assert s.spec.gpu_value_launch_step == 0.30  # from gpu_price_collapse, two levels up
    ep = engine_params(s)
    assert ep.contagion is False
    np.testing.assert_array_equal(ep.rating_spread_multiplier, np.ones(8))
    assert ep.gpu_fire_sale_haircut == 0.40


def test_deep_merge_replaces_lists_and_merges_maps() -> None:
    merged = deep_merge({"a": {"x": 1, "y": [1]}, "b": 2}, {"a": {"y": [2, 3]}, "c": 4})
    assert merged == {"a": {"x": 1, "y": [2, 3]}, "b": 2, "c": 4}


@pytest.mark.parametrize(
    "parent", ["../outside.yaml", "/etc/hostname.yaml", "sub/../../outside.yaml"])
def test_extends_cannot_leave_the_scenario_folder(tmp_path: Path, parent: str) -> None:
    (tmp_path / "outside.yaml").write_text("name: outside\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    child = _write(inner, "child.yaml", f"name: child\nextends: {parent}\n")
    with pytest.raises(MarketInputError, match=r"(?s)child\.yaml.*extends: got .*folder of this"):
        load_scenario(child)


def test_extends_into_a_subfolder_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "parent.yaml", "name: parent\nextends: base\ncontagion: true\n")
    child = _write(tmp_path, "child.yaml", "name: child\nextends: sub/parent.yaml\n")
    assert load_scenario(child).spec.contagion is True


def test_unknown_or_missing_parent_is_located_at_the_child(tmp_path: Path) -> None:
    child = _write(tmp_path, "child.yaml", "name: child\nextends: nope\n")
    with pytest.raises(MarketInputError, match=r"(?s)child\.yaml.*extends: got 'nope'"):
        load_scenario(child)
    _write(tmp_path, "child.yaml", "name: child\nextends: gone.yaml\n")
    with pytest.raises(MarketInputError, match=r"(?s)child\.yaml.*not found"):
        load_scenario(child)


def test_unreadable_scenario_files_give_located_errors(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Société\n".encode("latin-1"))
    with pytest.raises(MarketInputError, match=r"(?s)latin\.yaml.*UTF-8"):
        load_scenario(latin)
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(MarketInputError, match=r"(?s)dir\.yaml.*not readable"):
        load_scenario(tmp_path / "dir.yaml")
