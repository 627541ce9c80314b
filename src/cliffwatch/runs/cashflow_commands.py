"""``cliffwatch cashflows``: the monthly cash-flow vectors of every facility, per scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cliffwatch.runs.cashflows import DEFAULT_PATHS, write_vectors
from cliffwatch.runs.spec import DEFAULT_SEED
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS


def cashflows(
    tape: Annotated[Path | None, typer.Argument(
        help="Loan tape; default: the bundled sample.")] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", "-s", help="Bundled name or YAML file; repeat. Default: base.")] = None,
    paths: Annotated[int, typer.Option(min=1, max=20_000,
                                       help="Paths traced per scenario.")] = DEFAULT_PATHS,
    seed: Annotated[int, typer.Option(min=0, help="Root seed (as in `run`).")] = DEFAULT_SEED,
    horizon: Annotated[int, typer.Option(
        min=HORIZON_MIN_MONTHS, max=HORIZON_MAX_MONTHS, help="Months simulated.")] = (
        HORIZON_DEFAULT_MONTHS),
    out: Annotated[Path, typer.Option(help="Output: .parquet, or .xlsx for a sheet.")] = Path(
        "cashflows.parquet"),
) -> None:
    """Monthly interest, principal, draws, loss and recovery per facility and scenario:
    mean and 5th / 50th / 95th percentiles across the first PATHS paths of a run."""
    from cliffwatch.market.scenario import resolve_scenarios
    from cliffwatch.runs.cashflows import cashflow_vectors
    from cliffwatch.runs.commands import _user_errors
    from cliffwatch.sample import load_tape_or_sample
    from cliffwatch.tape.compile import compile_portfolio

    console = Console()
    with _user_errors(console):
        pa = compile_portfolio(load_tape_or_sample(tape))
        table = cashflow_vectors(pa, resolve_scenarios(scenario or ["base"]), paths=paths,
                                 seed=seed, horizon=horizon)
        written = write_vectors(table, out)
    console.print(f"{len(table):,} facility-months of {table['scenario'].nunique()} "
                  f"scenario(s) from {paths} paths written to {written}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``cashflows`` to the ``cliffwatch`` app."""
    app.command("cashflows")(cashflows)
