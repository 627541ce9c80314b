"""The budget-cannibalization channel end to end on the sample (issue #11).

Through the real factor model and engine, with common random numbers: raising AI capex moves the
budget-reallocation factor through its documented negative correlation, which lowers the
software borrowers' ARR and raises the software side's expected loss; a vulnerability-0
borrower's ARR and EBITDA do not move (its enterprise value still follows the sector multiple).
The software side's base default rates sit where the data card says they do.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import yaml

from cliffwatch.api import DEFAULT_SEED, resolve_scenarios
from cliffwatch.engine.run import trace
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.montecarlo import simulate
from cliffwatch.runs.params import engine_params
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

HORIZON_MONTHS = 60
PATHS = 200
"""Monte Carlo paths for expected losses and default rates."""
TRACE_PATHS = 24
"""Paths traced month by month for expected ARR (ARR needs the trace)."""
CAPEX_SHIFT_SD = 1.5
"""AI capex above consensus by 1.5 standard deviations from month 6 on."""


@cache
def _sample() -> PortfolioArrays:
    return compile_portfolio(load_sample())


def _capex_scenario(folder: Path) -> Scenario:
    path = folder / "capex_up.yaml"
    path.write_text(yaml.safe_dump({
        "name": "capex_up", "extends": "base", "description": "AI capex +1.5 sd",
        "factors": {"ai_capex": {"shift": {0: 0.0, 6: CAPEX_SHIFT_SD}}},
    }))
    return load_scenario(path)


def _expected_arr(pa: PortfolioArrays, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(NB_software,) mean over traced paths of month-59 ARR and of 5-year total EBITDA, USD
    (a borrower that has defaulted reports 0 from its default month on)."""
    sw = np.flatnonzero(pa.software_borrowers())
    fp = generate(Universe.from_arrays(pa), scenario, DEFAULT_SEED, 0, TRACE_PATHS,
                  HORIZON_MONTHS)
    arr, ebitda = np.zeros(len(sw)), np.zeros(len(sw))
    for p in range(TRACE_PATHS):
        bor = trace(pa, fp, engine_params(scenario), HORIZON_MONTHS, path=p,
                    borrowers=list(sw))["borrower"]
        last = bor[bor["month"] == HORIZON_MONTHS - 1].set_index("borrower")
        arr += last.loc[sw, "arr"].to_numpy() / TRACE_PATHS
        ebitda += bor.groupby("borrower")["ebitda"].sum().loc[sw].to_numpy() / TRACE_PATHS
    return arr, ebitda


def _software_el(pa: PortfolioArrays, scenario: Scenario) -> float:
    s = simulate(pa, scenario, PATHS, DEFAULT_SEED, HORIZON_MONTHS,
                 params=engine_params(scenario)).summary
    on_software = pa.software_borrowers()[pa.f_borrower]
    return float(s.fac_loss[:, on_software].sum(axis=1).mean())


def test_more_ai_capex_lowers_arr_and_raises_software_loss(tmp_path: Path) -> None:
    pa = _sample()
    base = resolve_scenarios(["base"])[0]
    capex = _capex_scenario(tmp_path)
    arr_base, ebitda_base = _expected_arr(pa, base)
    arr_capex, ebitda_capex = _expected_arr(pa, capex)
    sw = np.flatnonzero(pa.software_borrowers())
    vuln = np.array([pa.a_vulnerability[pa.b_asset_ptr[b]:pa.b_asset_ptr[b + 1]].max()
                     for b in sw])
    exposed, immune = vuln > 0.0, vuln == 0.0
    assert exposed.sum() >= 10 and immune.sum() >= 1
    assert np.all(arr_capex[exposed] < arr_base[exposed])
    assert np.all(ebitda_capex[exposed] < ebitda_base[exposed])
    assert np.array_equal(arr_capex[immune], arr_base[immune])
    assert np.array_equal(ebitda_capex[immune], ebitda_base[immune])
    # the more vulnerable half loses more of its ARR than the less vulnerable half
    lost = 1.0 - arr_capex / arr_base
    assert lost[vuln >= 0.5].mean() > 2.0 * lost[exposed & (vuln < 0.5)].mean()
    assert _software_el(pa, capex) > _software_el(pa, base)


def test_software_base_default_rates_match_the_data_card() -> None:
    pa = _sample()
    base = resolve_scenarios(["base"])[0]
    s = simulate(pa, base, PATHS, DEFAULT_SEED, HORIZON_MONTHS,
                 params=engine_params(base)).summary
    pd5 = (s.default_month != NO_MONTH).mean(axis=0)
    by_id = dict(zip(pa.borrower_ids, pd5, strict=True))
    horizontal = [by_id[b] for b in ("HSA", "HSB", "HSC", "HSD", "HSE")]
    vertical = [by_id[b] for b in ("VSA", "VSB", "VSC", "VSD", "VSE")]
    it_services = [by_id[b] for b in ("ITA", "ITB", "ITC", "ITD")]
    # DATA_CARD.md: 7-27% horizontal, 2-4% IT services, 0-1% vertical (200 paths: +-3-6 pp SE)
    assert 0.03 <= min(horizontal) and max(horizontal) <= 0.35
    assert max(it_services) <= 0.08
    assert max(vertical) <= 0.03
    assert min(horizontal) > max(vertical)
