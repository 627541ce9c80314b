"""``cliffwatch scenarios``: list the scenario library, show one scenario's spec and fan charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
import yaml
from rich.console import Console
from rich.table import Table

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.fan import PERCENTILES, bands, factor_series, plot_fans
from cliffwatch.market.generator import generate
from cliffwatch.market.library import bundled_names
from cliffwatch.market.reference import load_reference
from cliffwatch.market.scenario import ScenarioSpec, load_scenario
from cliffwatch.market.universe import Universe

SHOW_MONTHS: tuple[int, ...] = (0, 3, 6, 12, 24, 36, 48, 60)
"""Months shown in the terminal percentile table (those within the horizon)."""
SHOW_GENERATIONS: tuple[str, ...] = ("H100", "B200")
"""GPU generations shown by ``scenarios show``."""

scenarios_app = typer.Typer(
    help="List the scenario library, or show a scenario's resolved spec and fan charts.",
    invoke_without_command=True,
)


def key_shocks(spec: ScenarioSpec) -> str:
    """One-line summary of what a scenario changes."""
    parts = []
    for name, mod in spec.factors:
        if isinstance(mod, dict):
            parts += [f"{name.removesuffix('_by_generation')}[{g}]" for g in mod]
        elif mod is not None:
            ops = [
                k for k in ("path", "center", "scale", "jump", "shift", "set") if getattr(mod, k)
            ]
            parts.append(f"{name}: {'/'.join(ops) or 'vol'}")
    parts += [f"closed m{w.from_month}-{w.to_month - 1}" for w in spec.market_closed]
    parts += [f"PD {r.archetype or r.rating}" for r in spec.counterparty_pd]
    parts += [f"forced default {d.archetype or d.ids} m{d.month}" for d in spec.forced_defaults]
    if spec.contagion:
        parts.append("contagion")
    if spec.engine:
        parts.append("engine: " + ", ".join(spec.engine))
    return "; ".join(parts) or "none (the calibrated models)"


@scenarios_app.callback()
def list_scenarios(ctx: typer.Context) -> None:
    """List the bundled scenarios: name, description, key shocks."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(title="cliffwatch scenario library")
    for col in ("name", "description", "key shocks"):
        table.add_column(col, overflow="fold")
    for name in bundled_names():
        spec = load_scenario(name).spec
        table.add_row(name, spec.description, key_shocks(spec))
    Console(width=160).print(table)


@scenarios_app.command("show")
def show(
    scenario: Annotated[str, typer.Argument(help="Bundled scenario name or a YAML file.")],
    png: Annotated[Path | None, typer.Option("--png", help="Write fan charts to this PNG.")] = None,
    paths: Annotated[int, typer.Option(min=1, help="Monte Carlo paths for the chart.")] = 2000,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    horizon: Annotated[int, typer.Option(min=1, help="Months.")] = 36,
    reference: Annotated[Path | None, typer.Option(help="Market reference YAML.")] = None,
) -> None:
    """Print the resolved spec and percentile bands of every factor; optionally a PNG."""
    console = Console(width=140)
    try:
        ref = load_reference(reference)
        scn = load_scenario(scenario)
        gens = tuple(g for g in SHOW_GENERATIONS if g in ref.gpu.generations)
        u = Universe.simple(valuation_date=str(ref.as_of), gpu_generations=gens)
        fp = generate(u, scn, seed=seed, path_stop=paths, horizon=horizon, reference=ref)
    except MarketInputError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    spec = scn.spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    console.print(f"[bold]{scn.name}[/bold]  ({scn.source})")
    console.print(yaml.safe_dump(spec, sort_keys=False, width=120))
    series = factor_series(fp, gens)
    console.print(_percentile_table(series, horizon, paths))
    if png is not None:
        try:
            plot_fans(series, f"{scn.name}: {paths} paths, seed {seed}", png)
        except OSError as e:
            typer.echo(f"error: cannot write {png}: {e.strerror or e}", err=True)
            raise typer.Exit(2) from None
        console.print(f"fan charts written to {png}")


def _percentile_table(series: dict[str, tuple[np.ndarray, str]], horizon: int, n: int) -> Table:
    months = [m for m in SHOW_MONTHS if m < horizon]
    pct = "/".join(f"p{p:g}" for p in PERCENTILES)
    table = Table(title=f"{pct} over {n} paths, by month")
    table.add_column("factor")
    table.add_column("unit")
    for m in months:
        table.add_column(f"m{m}", justify="right")
    for name, (arr, unit) in series.items():
        b = bands(arr)
        table.add_row(name, unit, *(" / ".join(f"{v:.3g}" for v in b[:, m]) for m in months))
    return table


def register(app: typer.Typer) -> None:
    """Attach the ``scenarios`` command group to the ``cliffwatch`` app."""
    app.add_typer(scenarios_app, name="scenarios")
