"""``cliffwatch cashflows``: the monthly cash-flow vectors of every facility, per scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cliffwatch.api import DEFAULT_SEED
from cliffwatch.cashflows import DEFAULT_PATHS, write_vectors


def cashflows(
    tape: Annotated[Path | None, typer.Argument(
        help="Loan tape; default: the bundled sample.")] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", "-s", help="Bundled name or YAML file; repeat. Default: base.")] = None,
    paths: Annotated[int, typer.Option(min=1, max=20_000,
                                       help="Paths traced per scenario.")] = DEFAULT_PATHS,
    seed: Annotated[int, typer.Option(min=0, help="Root seed (as in `run`).")] = DEFAULT_SEED,
    horizon: Annotated[int, typer.Option(min=1, max=360, help="Months simulated.")] = 60,
    out: Annotated[Path, typer.Option(help="Output: .parquet, or .xlsx for a sheet.")] = Path(
        "cashflows.parquet"),
) -> None:
    """Monthly interest, principal, draws, loss and recovery per facility and scenario:
    mean and 5th / 50th / 95th percentiles across the first PATHS paths of a run."""
    from cliffwatch.api import cashflow_vectors as vectors
    from cliffwatch.api import load_tape
    from cliffwatch.run_commands import _user_errors

    console = Console()
    with _user_errors(console):
        portfolio = None if tape is None else load_tape(tape)
        table = vectors(portfolio, scenario or None, paths=paths, seed=seed, horizon=horizon)
        written = write_vectors(table, out)
    console.print(f"{len(table):,} facility-months of {table['scenario'].nunique()} "
                  f"scenario(s) from {paths} paths written to {written}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``cashflows`` to the ``cliffwatch`` app."""
    app.command("cashflows")(cashflows)
