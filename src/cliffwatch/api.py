"""The Python API for notebooks.

>>> import cliffwatch as cw
>>> pf = cw.load_tape()                       # the bundled sample; or a path to your tape
>>> res = cw.run(pf, scenarios=["base", "crowded_unwind"], paths=500, seed=7)
>>> res.summary()                             # one row per scenario
>>> res.lender_losses()                       # EL, VaR and ES per lender and scenario
>>> res.to_html("report.html")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cliffwatch.market.scenario import Scenario, load_scenario, resolve_scenarios
from cliffwatch.results import RunResult
from cliffwatch.runs.bumps import DEFAULT_SIZES, BumpSizes
from cliffwatch.runs.cashflows import DEFAULT_PATHS as CASHFLOW_PATHS
from cliffwatch.runs.cashflows import cashflow_vectors as vectors
from cliffwatch.runs.job import run as run_spec
from cliffwatch.runs.spec import (
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_PATHS,
    DEFAULT_SEED,
    ExecutorSpec,
    ProgressFn,
    RunSpec,
)
from cliffwatch.sample import load_tape_or_sample, sample_tape_path
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.schema import Portfolio
from cliffwatch.units import HORIZON_DEFAULT_MONTHS

if TYPE_CHECKING:
    from distributed import Client


def load_tape(path: str | Path | None = None) -> Portfolio:
    """Read and validate a tape (YAML, XLSX, CSV folder or zip, Parquet folder).

    ``None`` loads the bundled sample. Raises ``cliffwatch.tape.errors.TapeError`` listing
    every problem with its file, sheet, row and column.
    """
    return load_tape_or_sample(path)


@dataclass(frozen=True)
class Results:
    """A finished run, with its tables as pandas DataFrames."""

    result: RunResult
    arrays: PortfolioArrays

    def table(self, name: str) -> pd.DataFrame:
        """Any result table by name (see ``cliffwatch.results.TABLES``)."""
        return self.result.table(name)

    def summary(self) -> pd.DataFrame:
        """Per scenario: EL, VaR/ES 99 of the whole book, mean defaults, 12-24 month refi gap,
        and the calibration figures: ``benchmark_el`` (rating-implied benchmark EL, USD),
        ``el_to_benchmark`` and ``weighted_lgd`` (the model's PD-and-EAD-weighted LGD)."""
        return self.table("scenario_summary")

    def lender_losses(self) -> pd.DataFrame:
        """Per scenario and lender: exposure, EL, VaR and ES at 95/99/99.9% with standard errors."""
        return self.table("lender_metrics")

    def to_html(self, path: str | Path) -> Path:
        """Write the self-contained credit-committee report."""
        from cliffwatch.report.html import write_html

        return write_html(self.result, path)

    def to_excel(self, path: str | Path, *, loss_paths: bool = False) -> Path:
        """Write the workbook of every table; the per-path losses go to
        ``<stem>.loss_paths.parquet`` beside it unless ``loss_paths=True`` (a sheet)."""
        from cliffwatch.report.workbook import write_workbook

        return write_workbook(self.result, path, loss_paths=loss_paths)

    def save(self, store: str | Path = "cliffwatch.duckdb") -> str:
        """Persist in the DuckDB results store; returns the run id."""
        from cliffwatch.store.runs import save_run

        return save_run(self.result, store)


def run(
    portfolio: Portfolio | PortfolioArrays | None = None,
    scenarios: Sequence[str | Path | Scenario] | None = None,
    *,
    paths: int = DEFAULT_PATHS,
    seed: int = DEFAULT_SEED,
    horizon: int = HORIZON_DEFAULT_MONTHS,
    sensitivities: bool = True,
    reverse_stress: bool = True,
    tape_name: str = "",
    progress: ProgressFn | bool | None = None,
    cluster: str | Client | None = None,
    workers: int | None = None,
    threads_per_worker: int = 1,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    bump_sizes: BumpSizes | None = None,
) -> Results:
    """Stress the portfolio under each scenario with common random numbers.

    A thin wrapper that builds a :class:`~cliffwatch.runs.spec.RunSpec` (see it for every
    parameter) and runs it; ``cliffwatch.runs.job.run(spec)`` takes a spec directly.

    Parameters
    ----------
    portfolio : a loaded tape, its compiled arrays, or ``None`` for the bundled sample.
    scenarios : bundled names, YAML paths or loaded scenarios; ``None`` = the whole library.
    paths : Monte Carlo paths per scenario (default 3,000).
    seed : root seed; the same seed gives the same random numbers path by path.
    horizon : months simulated (1..360, default 60).
    sensitivities : run the paired sensitivity bumps on the first scenario (five extra runs of
        the same paths; see ``bump_sizes``).
    reverse_stress : find, per borrower, the utilization and GPU-rent levels at which it
        defaults within the horizon.
    tape_name : name recorded in the manifest and shown in reports (default: the bundled
        sample's name when ``portfolio`` is ``None``, else empty).
    progress : ``True`` shows a progress bar (terminal or notebook) with a compiling step on
        the first run; a function is called as ``progress(stage_label, paths_just_finished)``
        while paths run; ``None`` (default) reports nothing.
    cluster : Dask scheduler address (``tcp://HOST:8786``) or a connected ``distributed.Client``;
        ``None`` (with ``workers=None``) runs in this process.
    workers, threads_per_worker : start a local Dask cluster of that many worker processes for
        the run (closed after). Results are bit-identical to a local run with the same seed.
    connect_timeout : seconds to reach the scheduler (default 10 s).
    bump_sizes : sizes of the sensitivity bumps (``None``: SOFR and spread +100 bp,
        utilization −10 pp, GPU values and rents −10%), see
        :class:`cliffwatch.runs.bumps.BumpSizes`.

    Returns
    -------
    Results
        The tables of the run (``summary()``, ``lender_losses()``, ``table(name)``) with
        ``to_html``, ``to_excel`` and ``save``.

    Raises
    ------
    cliffwatch.runs.cluster.ClusterError if the cluster cannot be reached or fails during the run.
    """
    if portfolio is None:
        portfolio = load_tape()
        tape_name = tape_name or "bundled sample"
    pa = portfolio if isinstance(portfolio, PortfolioArrays) else compile_portfolio(portfolio)
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios or []]
    spec = RunSpec(
        tape=pa, scenarios=tuple(loaded or resolve_scenarios(None)), paths=paths, seed=seed,
        horizon=horizon, sensitivities=sensitivities, reverse_stress=reverse_stress,
        bump_sizes=bump_sizes or DEFAULT_SIZES, tape_name=tape_name,
        progress=None if isinstance(progress, bool) else progress,
        executor=ExecutorSpec(cluster=cluster, workers=workers,
                              threads_per_worker=threads_per_worker,
                              connect_timeout=connect_timeout),
    )
    if progress is True:
        from cliffwatch.runs.job import total_work
        from cliffwatch.runs.progress import progress_bar

        with progress_bar(total_work(spec)) as bar:
            return Results(result=run_spec(replace(spec, progress=bar)), arrays=pa)
    return Results(result=run_spec(spec), arrays=pa)


def cashflow_vectors(
    portfolio: Portfolio | PortfolioArrays | None = None,
    scenarios: Sequence[str | Path | Scenario] | None = None,
    *,
    paths: int = CASHFLOW_PATHS,
    seed: int = DEFAULT_SEED,
    horizon: int = HORIZON_DEFAULT_MONTHS,
) -> pd.DataFrame:
    """Monthly cash-flow vectors per scenario and facility: interest, principal, draws, loss
    and recovery (USD), each as the mean and the 5th, 50th and 95th percentiles across the
    first ``paths`` paths of a run with this ``seed``.

    Parameters
    ----------
    portfolio : a loaded tape, its compiled arrays, or ``None`` for the bundled sample.
    scenarios : bundled names, YAML paths or loaded scenarios; ``None`` = ``base``.
    paths : paths traced per scenario (each is one engine call with the monthly trace).
    seed, horizon : root seed and months, as in :func:`run`.

    Returns
    -------
    pandas.DataFrame
        One row per scenario, facility and month; see :mod:`cliffwatch.runs.cashflows`.
    """
    pa = portfolio if isinstance(portfolio, PortfolioArrays) else compile_portfolio(
        portfolio if portfolio is not None else load_tape())
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios or ["base"]]
    return vectors(pa, loaded, paths=paths, seed=seed, horizon=horizon)


__all__: list[str] = ["Results", "RunSpec", "cashflow_vectors", "load_tape", "run",
                      "sample_tape_path", "resolve_scenarios"]
