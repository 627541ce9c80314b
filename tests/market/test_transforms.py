"""Deterministic scenario transforms of factor levels."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.market.scenario import FactorMod, Jump
from cliffwatch.market.transforms import apply_mod, delayed, jump_profile, monthly


def test_monthly_interpolates_and_holds_flat() -> None:
    np.testing.assert_allclose(monthly({2: 1.0, 6: 3.0}, 9), [1, 1, 1, 1.5, 2, 2.5, 3, 3, 3])


def test_jump_halves_every_half_life() -> None:
    prof = jump_profile(3, 1.0, 4.0, 20)
    assert np.all(prof[:3] == 0.0)
    np.testing.assert_allclose(prof[[3, 7, 11, 15]], [1.0, 0.5, 0.25, 0.125])
    np.testing.assert_allclose(jump_profile(1, 0.5, None, 5), [0, 0.5, 0.5, 0.5, 0.5])


def test_delay_shifts_the_ramp() -> None:
    np.testing.assert_allclose(delayed(np.arange(6.0), 2), [0, 0, 0, 1, 2, 3])


def test_order_scale_then_jump_then_shift_then_set() -> None:
    center, noise = np.ones(6), np.zeros((6, 2))
    mod = FactorMod(
        scale={0: 2.0},
        jump=[Jump(month=1, size=np.log(3.0))],
        shift={0: 0.5},
        set=[{"from": 4, "to": 5, "value": 9.0}],
    )
    level = apply_mod(center, noise, "log", mod)
    np.testing.assert_allclose(level[:, 0], [2.5, 6.5, 6.5, 6.5, 9.0, 6.5])


def test_vol_scale_zero_gives_the_center() -> None:
    rng = np.random.default_rng(0)
    level = apply_mod(np.full(5, 0.7), rng.normal(size=(5, 3)), "logit", FactorMod(vol_scale=0))
    np.testing.assert_allclose(level, 0.7)


@given(
    floor=st.floats(0.0, 0.5),
    width=st.floats(0.01, 0.5),
    shift=st.floats(-1.0, 1.0),
    scale=st.floats(0.0, 3.0),
    seed=st.integers(0, 2**16),
)
def test_floor_and_cap_always_hold(
    floor: float, width: float, shift: float, scale: float, seed: int
) -> None:
    noise = np.random.default_rng(seed).normal(size=(12, 4))
    mod = FactorMod(scale={0: scale}, shift={0: shift}, floor=floor, cap=floor + width)
    level = apply_mod(np.full(12, 0.5), noise, "log", mod)
    assert np.all(level >= floor) and np.all(level <= floor + width)


@given(shift=st.floats(-0.05, 0.05), seed=st.integers(0, 2**16))
def test_shift_is_exact_on_every_path(shift: float, seed: int) -> None:
    noise = np.random.default_rng(seed).normal(size=(6, 5))
    center = np.linspace(0.03, 0.04, 6)
    base = apply_mod(center, noise, "linear", None)
    moved = apply_mod(center, noise, "linear", FactorMod(shift={0: shift}))
    np.testing.assert_allclose(moved - base, shift, atol=1e-15)
