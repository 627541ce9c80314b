"""The definition of one stress run: a frozen :class:`RunSpec`.

Every entry point (the Python API, ``cliffwatch run``, the dashboard's run queue, the news
impact) builds one and hands it to :func:`cliffwatch.runs.job.run`; none of them repeats the
run's keyword list. The numbers of a run depend on the tape, the scenarios, ``paths``, ``seed``
and ``horizon`` only; the executor, the extras and the hooks change where and how it runs,
never a result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cliffwatch.market.scenario import Scenario
from cliffwatch.runs.bumps import DEFAULT_SIZES, Bump, BumpSizes, make_bumps
from cliffwatch.runs.params import check_engine_overrides
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS

if TYPE_CHECKING:
    from distributed import Client

    from cliffwatch.runs.montecarlo import BlockExecutor

DEFAULT_PATHS: int = 3000
"""Monte Carlo paths per scenario when the user names none."""
DEFAULT_SEED: int = 20260701
"""Root seed when the user names none."""
DEFAULT_CONNECT_TIMEOUT_S: float = 10.0
"""Seconds to reach the scheduler (and for the first worker to appear) before giving up."""

ProgressFn = Callable[[str, int], None]
"""Called with (stage label, paths just finished)."""
ExecutorHook = Callable[["BlockExecutor"], None]
"""Called once with the run's executor when it is open, before anything is simulated."""


@dataclass(frozen=True)
class ExecutorSpec:
    """Where the path blocks of a run execute; every choice gives bit-identical results.

    ``cluster``: a Dask scheduler address (``tcp://HOST:8786``) or a connected
    ``distributed.Client`` (left open); ``workers``: start a local Dask cluster of that many
    worker processes with ``threads_per_worker`` threads for the run and close it after;
    neither: the blocks run in this process. ``connect_timeout``: seconds to reach a scheduler.
    """

    cluster: str | Client | None = None
    workers: int | None = None
    threads_per_worker: int = 1
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S

    @property
    def local(self) -> bool:
        """True when the blocks run in this process (no Dask)."""
        return self.cluster is None and self.workers is None


@dataclass(frozen=True, eq=False)
class RunSpec:
    """One stress run: a compiled tape under several scenarios with common random numbers.

    Attributes
    ----------
    tape : the compiled portfolio.
    scenarios : resolved scenarios in report order; the first gets the sensitivities and the
        reverse stress.
    paths, seed, horizon : Monte Carlo paths per scenario (>= 1), root seed (>= 0), months
        simulated (``HORIZON_MIN_MONTHS`` .. ``HORIZON_MAX_MONTHS``).
    executor : where the path blocks run.
    sensitivities, reverse_stress : the paired bumps on the first scenario; the per-borrower
        reverse stress on its median path.
    bump_sizes : sizes of the sensitivity bumps (default: SOFR and spread +100 bp,
        utilization -10 pp, GPU values and rents -10%; see :mod:`cliffwatch.runs.bumps`).
    tape_name : recorded in the manifest (the tape's file, or "bundled sample").
    progress : called with (stage label, paths just finished) as blocks finish.
    on_executor : called once with the open executor before anything is simulated (the CLI
        prints where the run executes).

    Raises
    ------
    ValueError if a count or the horizon is out of range or no scenario is given.
    cliffwatch.market.errors.MarketInputError if a scenario's ``engine:`` overrides name an
        unknown parameter or have the wrong type (located at the scenario's file).
    """

    tape: PortfolioArrays
    scenarios: tuple[Scenario, ...]
    paths: int = DEFAULT_PATHS
    seed: int = DEFAULT_SEED
    horizon: int = HORIZON_DEFAULT_MONTHS
    executor: ExecutorSpec = ExecutorSpec()
    sensitivities: bool = True
    reverse_stress: bool = True
    bump_sizes: BumpSizes = DEFAULT_SIZES
    tape_name: str = ""
    progress: ProgressFn | None = field(default=None, repr=False)
    on_executor: ExecutorHook | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # a list passed by a caller becomes a tuple: the spec stays immutable
        object.__setattr__(self, "scenarios", tuple(self.scenarios))
        if not self.scenarios:
            raise ValueError("at least one scenario is needed")
        if self.paths < 1:
            raise ValueError(f"paths must be at least 1, got {self.paths}")
        if self.seed < 0:
            raise ValueError(f"seed must be 0 or more, got {self.seed}")
        if not HORIZON_MIN_MONTHS <= self.horizon <= HORIZON_MAX_MONTHS:
            raise ValueError(f"horizon must be {HORIZON_MIN_MONTHS}..{HORIZON_MAX_MONTHS} "
                             f"months, got {self.horizon}")
        for scenario in self.scenarios:
            check_engine_overrides(scenario)

    @property
    def bumps(self) -> tuple[Bump, ...]:
        """The sensitivity bumps of :attr:`bump_sizes`, in report order."""
        return make_bumps(self.bump_sizes)
