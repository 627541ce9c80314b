"""FactorPaths is declared once: the declaration covers every field and says the truth about
the generated arrays; the engine's checks and the memory estimate follow it field by field."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.engine.factory import flat_paths, one_loan

from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.paths import (
    ENGINE_FACTORS,
    FACTOR_FIELDS,
    FactorPaths,
    bytes_per_path,
    portfolio_sizes,
)
from cliffwatch.market.scenario import Scenario
from cliffwatch.market.universe import Universe
from cliffwatch.tape.arrays import PortfolioArrays

PATHS, MONTHS = 5, 14


@pytest.fixture(scope="module")
def generated(sample_arrays: PortfolioArrays, base_scenario: Scenario) -> FactorPaths:
    return generate(Universe.from_arrays(sample_arrays), base_scenario, 3, 0, PATHS, MONTHS)


def test_declaration_lists_every_field_in_order() -> None:
    assert [f.name for f in FACTOR_FIELDS] == [f.name for f in dataclasses.fields(FactorPaths)]
    assert all(f.axes[0] == "path" for f in FACTOR_FIELDS)
    # a field is either a monthly series (median path: per-month median) or a per-obligor
    # draw with a neutral value, never both
    assert all((f.axes[-1] == "month") != f.is_draw for f in FACTOR_FIELDS)


@pytest.mark.parametrize("f", FACTOR_FIELDS, ids=lambda f: f.name)
def test_generated_arrays_have_the_declared_shape_and_dtype(
        f: object, generated: FactorPaths, sample_arrays: PortfolioArrays) -> None:
    assert isinstance(f, type(FACTOR_FIELDS[0]))
    arr = getattr(generated, f.name)
    sizes = {**portfolio_sizes(sample_arrays, MONTHS), "path": PATHS}
    assert arr.shape == f.shape(sizes)
    assert arr.dtype == f.dtype


def test_bytes_per_path_is_the_arrays_nbytes(generated: FactorPaths,
                                             sample_arrays: PortfolioArrays) -> None:
    total = sum(getattr(generated, f.name).nbytes for f in FACTOR_FIELDS)
    assert bytes_per_path(portfolio_sizes(sample_arrays, MONTHS)) * PATHS == total


@pytest.mark.parametrize("f", FACTOR_FIELDS, ids=lambda f: f.name)
def test_engine_rejects_a_wrong_shape_of_any_field(f: object) -> None:
    assert isinstance(f, type(FACTOR_FIELDS[0]))
    pa = one_loan(maturity_month=24)
    fp = flat_paths(pa, 12)
    arr = getattr(fp, f.name)
    bad = np.zeros((*arr.shape[:-1], arr.shape[-1] + 1), dtype=arr.dtype)
    if f.axes[-1] == "month":  # a longer series is fine; a shorter one is not
        bad = np.zeros((*arr.shape[:-1], 11), dtype=arr.dtype)
    # sofr sets the months of the paths, so a short sofr is reported as short paths
    match = "cover 11 months" if f.name == "sofr" else f"FactorPaths.{f.name} has shape"
    with pytest.raises(ValueError, match=match):
        run_block(pa, dataclasses.replace(fp, **{f.name: bad}), horizon=12)


@pytest.mark.parametrize("f", [f for f in ENGINE_FACTORS if f.dtype.kind == "f"],
                         ids=lambda f: f.name)
def test_engine_rejects_a_non_finite_value_of_any_field_it_reads(f: object) -> None:
    assert isinstance(f, type(FACTOR_FIELDS[0]))
    pa = one_loan(maturity_month=24)
    fp = flat_paths(pa, 12)
    arr = getattr(fp, f.name).copy()
    arr.reshape(-1)[0] = np.inf
    with pytest.raises(ValueError, match=f"FactorPaths.{f.name} is not finite"):
        run_block(pa, dataclasses.replace(fp, **{f.name: arr}), horizon=12)
