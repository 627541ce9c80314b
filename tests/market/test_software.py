"""Software-side factors (issue 11): the budget link, its correlation, base medians and the
promise that adding them left every existing factor path bit-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.generator import generate
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe

GOLDEN_U = Universe.simple(
    gpu_generations=("H100", "B200"),
    borrower_archetypes=(Archetype.neocloud, Archetype.dc_developer),
    borrower_ratings=(Rating.B, Rating.BB),
    counterparty_archetypes=(Archetype.ai_lab, Archetype.hyperscaler),
    counterparty_ratings=(Rating.B, Rating.A),
    n_facilities=3,
)
OLD_FIELDS: tuple[str, ...] = (
    "sofr",
    "spread",
    "gpu_rent",
    "gpu_value",
    "utilization",
    "util_idio",
    "power_price",
    "tech_earnings",
    "dc_value",
    "market_access",
    "cpty_default_month",
    "borrower_ext_default_month",
    "refi_u",
)
"""FactorPaths fields that existed before the software factors."""
GOLDEN: dict[str, str] = {
    "base": "45e3ab845d12ed2a8b9ed0d52b4a5c5b9b87fdb1183757f4285ca4f4ec06047d",
    "crowded_unwind": "4d7571e62012993a091c213928f5c23619c492930a6c9c853cf1ade407906fb8",
}
"""SHA-256 of the old fields (seed 7, paths 5..69, 25 months), recorded at commit 5be7c3e,
before the software factors existed."""
U1 = Universe.simple(gpu_generations=("H100",))
N_PATHS = 4000
REF = load_reference()


def _digest(fp: FactorPaths) -> str:
    h = hashlib.sha256()
    for k in OLD_FIELDS:
        h.update(np.ascontiguousarray(getattr(fp, k)).tobytes())
    return h.hexdigest()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_existing_factor_paths_are_bit_identical(name: str) -> None:
    fp = generate(GOLDEN_U, name, seed=7, path_start=5, path_stop=70, horizon=25)
    assert _digest(fp) == GOLDEN[name]


def _with(tmp_path: Path, body: str) -> FactorPaths:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nextends: base\nfactors:\n" + body)
    return generate(U1, load_scenario(f), seed=11, path_stop=512, horizon=25)


@settings(max_examples=8, deadline=None)
@given(k=st.floats(-2.0, 2.0))
def test_ai_capex_shift_moves_budget_by_minus_rho_lambda_k(tmp_path_factory, k: float) -> None:
    tmp = tmp_path_factory.mktemp("k")
    base = generate(U1, "base", seed=11, path_stop=512, horizon=25)
    shifted = _with(tmp, f"  ai_capex: {{shift: {{0: 0.0, 6: {k!r}}}}}\n")
    rho, lam = REF.software.budget.rho.value, REF.software.budget.lambda_share.value
    dx = shifted.ai_capex - base.ai_capex
    np.testing.assert_allclose(dx[:, 6:], k, atol=1e-12)
    db = shifted.software_budget - base.software_budget
    np.testing.assert_allclose(db[:, 6:], -rho * lam * k, atol=1e-12)
    # the old factors never see the software side
    assert np.array_equal(shifted.spread, base.spread)
    if k > 0.05:
        # more reallocation: the multiple falls on every path (CRN), its median too
        assert np.all(shifted.software_multiple[:, 6:] < base.software_multiple[:, 6:])
        assert np.all(shifted.software_spread[:, 6:] >= base.software_spread[:, 6:])


@settings(max_examples=6, deadline=None)
@given(k=st.floats(-2.0, 2.0))
def test_tech_earnings_shift_re_rates_the_multiple_by_beta_t_k(tmp_path_factory, k: float) -> None:
    """The risk-appetite link: a scenario moving tech earnings by k sd moves ln M by exactly
    beta_T k on every path (common random numbers), and nothing else on the software side."""
    tmp = tmp_path_factory.mktemp("t")
    base = generate(U1, "base", seed=11, path_stop=512, horizon=25)
    shifted = _with(tmp, f"  tech_earnings: {{shift: {{0: 0.0, 6: {k!r}}}}}\n")
    beta_t = REF.software.multiple.tech_loading.value
    np.testing.assert_allclose(shifted.tech_earnings[:, 6:] - base.tech_earnings[:, 6:], k,
                               atol=1e-12)
    d_log_m = np.log(shifted.software_multiple) - np.log(base.software_multiple)
    np.testing.assert_allclose(d_log_m[:, 6:], beta_t * k, atol=1e-12)
    for name in ("ai_capex", "software_budget", "software_spread"):
        assert np.array_equal(getattr(shifted, name), getattr(base, name)), name


def test_weak_tech_earnings_de_rates_software() -> None:
    base = generate(U1, "base", seed=4, path_stop=512, horizon=13)
    weak = generate(U1, "weak_tech_earnings", seed=4, path_stop=512, horizon=13)
    ratio = np.median(weak.software_multiple[:, 12] / base.software_multiple[:, 12])
    assert ratio == pytest.approx(np.exp(-1.2 * REF.software.multiple.tech_loading.value))


def test_budget_modification_applies_after_the_link(tmp_path: Path) -> None:
    fp = _with(
        tmp_path,
        "  ai_capex: {shift: {0: 0.0, 6: 1.0}}\n  software_budget: {path: {0: 0.0, 12: 0.05}}\n",
    )
    assert np.all(fp.software_budget[:, 12:] == 0.05)
    assert np.median(fp.ai_capex[:, 12]) == pytest.approx(1.0, abs=0.1)


def test_documented_correlation_is_recovered() -> None:
    fp = generate(U1, "base", seed=3, path_stop=N_PATHS, horizon=25)
    rho, lam = REF.software.budget.rho.value, REF.software.budget.lambda_share.value
    s = -fp.software_budget[:, 24] / lam  # the standardized budget shock
    r = np.corrcoef(fp.ai_capex[:, 24], s)[0, 1]
    se = (1.0 - rho * rho) / np.sqrt(N_PATHS)  # Fisher: SE of a sample correlation
    assert r == pytest.approx(rho, abs=4 * se)
    # both are standardized OUs: variance 1 - e^{-2 kappa t} after t = 2 years
    var = -np.expm1(-2 * REF.software.ai_capex.kappa.value * 2.0)
    for a in (fp.ai_capex[:, 24], s):
        assert a.var() == pytest.approx(var, rel=4 * np.sqrt(2 / N_PATHS))


def test_ai_capex_loads_on_tech_earnings_innovations() -> None:
    fp = generate(U1, "base", seed=5, path_stop=N_PATHS, horizon=13)
    dx = np.diff(fp.ai_capex, axis=1).ravel()
    dt = np.diff(fp.tech_earnings, axis=1).ravel()
    a = REF.software.ai_capex.tech_loading.value
    # both OUs decay slowly month to month, so increments carry mostly the innovations
    assert np.corrcoef(dx, dt)[0, 1] == pytest.approx(a, abs=0.03)


def test_base_medians_are_neutral() -> None:
    fp = generate(U1, "base", seed=9, path_stop=N_PATHS, horizon=37)
    for month in (0, 12, 36):
        assert np.median(fp.ai_capex[:, month]) == pytest.approx(0.0, abs=0.06)
        assert np.median(fp.software_budget[:, month]) == pytest.approx(0.0, abs=0.003)
        assert np.median(fp.software_multiple[:, month]) == pytest.approx(1.0, rel=0.02)
        assert np.median(fp.software_spread[:, month]) == pytest.approx(
            REF.software.spread.s0.value, abs=0.0006
        )
    assert np.all(fp.software_multiple[:, 0] == 1.0) and np.all(fp.ai_capex[:, 0] == 0.0)
    assert np.all(fp.spread + fp.software_spread > 0.0)


def test_block_split_and_antithetic_hold_for_software_factors() -> None:
    whole = generate(U1, "base", seed=2, path_stop=80, horizon=13, antithetic=True)
    part = generate(U1, "base", seed=2, path_start=37, path_stop=61, horizon=13, antithetic=True)
    for k in ("ai_capex", "software_budget", "software_multiple", "software_spread"):
        assert np.array_equal(getattr(whole, k)[37:61], getattr(part, k))
    # Gaussian factors are linear in the shocks: mirrored about their mean path in a chunk
    np.testing.assert_allclose(
        whole.software_budget[:16], -whole.software_budget[16:32], atol=1e-15
    )


@pytest.mark.parametrize(("old", "new", "where"), [
    ("rho: {value: -0.50", "rho: {value: 0.50", "software.budget"),
    ("tech_loading: {value: 0.15", "tech_loading: {value: -0.15", "software.multiple"),
])
def test_invalid_software_reference_is_located(tmp_path: Path, old: str, new: str,
                                               where: str) -> None:
    src = Path(__file__).parents[2] / "src/cliffwatch/data/market/reference.yaml"
    bad = tmp_path / "ref.yaml"
    assert old in src.read_text()
    bad.write_text(src.read_text().replace(old, new))
    with pytest.raises(MarketInputError, match=where):
        load_reference(bad)
