"""Market layer: calibrated risk-factor models, scenario specs and the path generator.

Typical use by the Monte Carlo driver::

    from cliffwatch.market import Universe, generate, load_scenario

    universe = Universe.from_arrays(portfolio_arrays)
    scenario = load_scenario("crowded_unwind")          # or a YAML path
    params = engine_params(scenario)   # cliffwatch.runs.params: EngineParams with overrides
    block = generate(universe, scenario, seed=42, path_start=0, path_stop=1000, horizon=60)

Any split of ``[0, n_paths)`` into blocks gives bit-identical paths; two scenarios with the
same seed share every random draw.
"""

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.generator import generate
from cliffwatch.market.library import bundled_names
from cliffwatch.market.reference import MarketReference, load_reference
from cliffwatch.market.scenario import Scenario, ScenarioSpec, load_scenario
from cliffwatch.market.streams import CHUNK_SIZE
from cliffwatch.market.universe import Universe

__all__ = [
    "CHUNK_SIZE",
    "MarketInputError",
    "MarketReference",
    "Scenario",
    "ScenarioSpec",
    "Universe",
    "bundled_names",
    "generate",
    "load_reference",
    "load_scenario",
]
