"""Determinism, block independence, common random numbers and antithetics of ``generate``."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.market.generator import generate
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.streams import CHUNK_SIZE
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import NO_MONTH


def _equal(a: FactorPaths, b: FactorPaths) -> bool:
    return all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
    )


def _concat(parts: list[FactorPaths]) -> FactorPaths:
    return FactorPaths(
        **{
            f.name: np.concatenate([getattr(p, f.name) for p in parts])
            for f in dataclasses.fields(FactorPaths)
        }
    )


def test_shapes_dtypes_and_month0(universe: Universe) -> None:
    fp = generate(universe, "base", seed=1, path_start=0, path_stop=5, horizon=24)
    assert fp.n_paths == 5 and fp.months == 24
    assert fp.gpu_rent.shape == fp.gpu_value.shape == (5, 2, 24)
    assert fp.util_idio.shape == (5, 3) and fp.refi_u.shape == (5, 4)
    assert fp.cpty_default_month.shape == (5, 3) and fp.cpty_default_month.dtype == np.int32
    assert fp.borrower_ext_default_month.dtype == np.int32
    np.testing.assert_allclose(fp.sofr[:, 0], 0.0365)
    np.testing.assert_allclose(fp.spread[:, 0], 0.027)
    np.testing.assert_allclose(fp.gpu_rent[:, :, 0], [[2.35, 3.50]] * 5)
    assert np.all((fp.utilization >= 0) & (fp.utilization <= 1))
    assert np.all((fp.market_access >= 0) & (fp.market_access <= 1))
    assert np.all((fp.refi_u >= 0) & (fp.refi_u < 1))
    assert np.all(
        (fp.cpty_default_month >= 0)
        & ((fp.cpty_default_month < 24) | (fp.cpty_default_month == NO_MONTH))
    )


def test_block_split_is_bit_identical(universe: Universe) -> None:
    whole = generate(universe, "base", seed=7, path_start=0, path_stop=100, horizon=30)
    split = _concat(
        [
            generate(universe, "base", seed=7, path_start=0, path_stop=7, horizon=30),
            generate(universe, "base", seed=7, path_start=7, path_stop=100, horizon=30),
        ]
    )
    assert _equal(whole, split)
    again = generate(universe, "base", seed=7, path_start=0, path_stop=100, horizon=30)
    assert _equal(whole, again)
    mid = generate(universe, "base", seed=7, path_start=33, path_stop=65, horizon=30)
    assert _equal(whole.take(33, 65), mid)


def test_different_seed_differs(universe: Universe) -> None:
    a = generate(universe, None, seed=1, path_stop=8, horizon=12)
    b = generate(universe, None, seed=2, path_stop=8, horizon=12)
    assert not np.array_equal(a.sofr, b.sofr)


def test_longer_horizon_extends_shorter(universe: Universe) -> None:
    short = generate(universe, "base", seed=3, path_stop=40, horizon=18)
    long = generate(universe, "base", seed=3, path_stop=40, horizon=48)
    for name in ("sofr", "spread", "utilization", "power_price", "tech_earnings", "dc_value"):
        np.testing.assert_array_equal(getattr(short, name), getattr(long, name)[:, :18])
    np.testing.assert_array_equal(short.gpu_value, long.gpu_value[:, :, :18])
    np.testing.assert_array_equal(short.refi_u, long.refi_u)


def test_crn_two_scenarios_share_shocks(universe: Universe) -> None:
    base = generate(universe, "base", seed=9, path_stop=64, horizon=36)
    cliff = generate(universe, "refinancing_cliff", seed=9, path_stop=64, horizon=36)
    # a deterministic SOFR shift: the difference is the same on every path
    diff = cliff.sofr - base.sofr
    np.testing.assert_allclose(diff, np.broadcast_to(diff[0], diff.shape), atol=1e-15)
    assert diff[0, 12] == pytest.approx(0.005)
    ratio = np.log(cliff.spread[:, 30] / base.spread[:, 30])  # no spread shift at month 30
    np.testing.assert_allclose(ratio, 0.0, atol=1e-15)
    for name in ("gpu_rent", "utilization", "util_idio", "refi_u", "cpty_default_month"):
        np.testing.assert_array_equal(getattr(base, name), getattr(cliff, name))


def test_crn_spread_jump_is_a_deterministic_transform(universe: Universe) -> None:
    base = generate(universe, "base", seed=4, path_stop=64, horizon=24)
    shock = generate(universe, "spread_shock_2020", seed=4, path_stop=64, horizon=24)
    log_ratio = np.log(shock.spread / base.spread)
    np.testing.assert_allclose(
        log_ratio, np.broadcast_to(log_ratio[0], log_ratio.shape), atol=1e-12
    )
    assert log_ratio[0, 2] == pytest.approx(1.288)


def test_antithetic_mirrors_half_chunks(universe: Universe) -> None:
    fp = generate(universe, "base", seed=5, path_stop=CHUNK_SIZE, horizon=24, antithetic=True)
    h = CHUNK_SIZE // 2
    np.testing.assert_allclose(fp.util_idio[h:], -fp.util_idio[:h])
    np.testing.assert_allclose(fp.refi_u[h:], 1.0 - fp.refi_u[:h])
    # SOFR is Gaussian and linear in the shocks: mirrored about its mean path
    mean = 0.5 * (fp.sofr[:h] + fp.sofr[h:])
    np.testing.assert_allclose(mean, np.broadcast_to(mean[0], mean.shape), atol=1e-15)


def test_deterministic_path_has_zero_volatility(tmp_path, universe: Universe) -> None:
    f = tmp_path / "det.yaml"
    f.write_text(
        "name: det\nfactors:\n"
        "  sofr: {path: {0: 0.0365, 12: 0.05}}\n"
        "  spread: {path: {0: 0.027, 6: 0.06, 24: 0.04}}\n"
        "  utilization: {path: {0: 0.75, 12: 0.5}}\n"
        "  power_price: {path: {0: 0.06}}\n"
        "  tech_earnings: {path: {0: 0.0, 12: -1.0}}\n"
        "  dc_value: {path: {0: 1.0, 12: 0.8}}\n"
    )
    assert not load_scenario(f).is_deterministic  # the software factors are still random
    with f.open("a") as fh:
        fh.write(
            "  ai_capex: {path: {0: 0.0, 12: 1.0}}\n"
            "  software_budget: {path: {0: 0.0, 12: 0.05}}\n"
            "  software_multiple: {path: {0: 1.0, 12: 0.7}}\n"
            "  software_spread: {path: {0: 0.005, 12: 0.02}}\n"
        )
    scn = load_scenario(f)
    assert scn.is_deterministic
    fp = generate(universe, scn, seed=1, path_stop=10, horizon=25)
    names = ("sofr", "spread", "utilization", "power_price", "tech_earnings", "dc_value")
    names += ("ai_capex", "software_budget", "software_multiple", "software_spread")
    for name in names:
        arr = getattr(fp, name)
        assert np.ptp(arr, axis=0).max() == 0.0
    assert fp.sofr[0, 6] == pytest.approx(0.0365 + 0.5 * (0.05 - 0.0365))
    assert fp.spread[0, 24] == pytest.approx(0.04)


def test_unknown_generation_is_a_located_error() -> None:
    from cliffwatch.market.errors import MarketInputError

    u = Universe.simple(gpu_generations=("H100", "TPUv9"))
    with pytest.raises(MarketInputError, match="TPUv9"):
        generate(u, "base", path_stop=2, horizon=12)


@settings(max_examples=15, deadline=None)
@given(
    start=st.integers(0, 80),
    lengths=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    horizon=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_block_split_is_identical(
    start: int, lengths: tuple[int, int], horizon: int, seed: int
) -> None:
    u = Universe.simple(
        gpu_generations=("H100",),
        borrower_archetypes=(1,),
        borrower_ratings=(5,),
        counterparty_archetypes=(3,),
        counterparty_ratings=(5,),
        n_facilities=2,
    )
    mid, stop = start + lengths[0], start + lengths[0] + lengths[1]
    whole = generate(
        u, "crowded_unwind", seed=seed, path_start=start, path_stop=stop, horizon=horizon
    )
    parts = [
        generate(u, "crowded_unwind", seed=seed, path_start=a, path_stop=b, horizon=horizon)
        for a, b in ((start, mid), (mid, stop))
    ]
    assert whole.months == horizon
    assert _equal(whole, _concat(parts))


def test_empty_universe() -> None:
    fp = generate(Universe.simple(gpu_generations=()), "base", seed=1, path_stop=3, horizon=6)
    assert fp.gpu_rent.shape == (3, 0, 6) and fp.cpty_default_month.shape == (3, 0)
    assert fp.util_idio.shape == (3, 0) and fp.refi_u.shape == (3, 0)


def test_utilization_ramp_delay(tmp_path, universe: Universe) -> None:
    f = tmp_path / "lag.yaml"
    f.write_text(
        "name: lag\nfactors:\n  utilization: {center: {0: 0.75, 12: 0.40}, "
        "delay_months: 6, vol_scale: 0}\n"
    )
    fp = generate(universe, load_scenario(f), seed=1, path_stop=4, horizon=25)
    np.testing.assert_allclose(
        fp.utilization[0, [0, 6, 12, 18, 24]], [0.75, 0.75, 0.575, 0.40, 0.40]
    )
