"""``cliffwatch run`` (the main job) and ``cliffwatch project`` (one borrower's trace)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from cliffwatch import signals
from cliffwatch.engine.run import trace
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import resolve_scenarios
from cliffwatch.memory import CapacityError
from cliffwatch.outputs_guard import OutputError, require_writable
from cliffwatch.results import RunResult
from cliffwatch.runs.bumps import parse_bump_sizes
from cliffwatch.runs.job import run as run_spec
from cliffwatch.runs.job import total_work
from cliffwatch.runs.montecarlo import BlockExecutor, median_path
from cliffwatch.runs.params import engine_params
from cliffwatch.runs.progress import WRITING, engine_label
from cliffwatch.runs.publish import save_and_publish
from cliffwatch.runs.spec import (
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_PATHS,
    DEFAULT_SEED,
    ExecutorHook,
    ExecutorSpec,
    RunSpec,
)
from cliffwatch.sample import load_tape_or_sample as load_tape
from cliffwatch.staging import clean_stale
from cliffwatch.store.check import check_store, has_run
from cliffwatch.store.errors import StoreError
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.units import HORIZON_DEFAULT_MONTHS, HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS

EXIT_USER_ERROR = 2


@contextmanager
def _user_errors(console: Console) -> Iterator[None]:
    """Turn the documented input errors into a located message and exit code 2."""
    try:
        yield
    except TapeError as exc:
        # tape strings are printed literally: no wrapping inside a path, no rich markup
        console.print(str(exc), soft_wrap=True, markup=False, highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except MarketInputError as exc:
        console.print("scenario error: " + str(exc), soft_wrap=True, markup=False,
                      highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except CapacityError as exc:
        console.print("memory error: " + str(exc), soft_wrap=True, markup=False,
                      highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except (OutputError, StoreError) as exc:
        console.print(f"{exc}; nothing was written", soft_wrap=True, markup=False,
                      highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except OSError as exc:  # a full disk or a vanished folder while writing the outputs
        console.print(f"cannot write {exc.filename or 'the outputs'}: {exc.strerror}; nothing "
                      "was written (the store is unchanged)", soft_wrap=True, markup=False,
                      highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except KeyboardInterrupt as exc:  # SIGINT or SIGTERM (cliffwatch.signals)
        console.print("[yellow]interrupted: nothing was written[/]")
        raise typer.Exit(signals.exit_code(exc)) from None


def _musd(x: float) -> str:
    return f"{x / 1e6:,.1f}"


def _share(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.1%}"


def summary_table(result: RunResult) -> Table:
    """Per scenario: EL, the rating-implied benchmark EL, EL / benchmark, the model's
    PD-and-EAD-weighted LGD, ES99, mean defaults, 12-24 month refinancing gap, worst lender
    ES99."""
    s = result.table("scenario_summary")
    lm = result.table("lender_metrics")
    t = Table(title="Stress results (USD m)", header_style="bold")
    for col in ("scenario", "EL", "benchmark EL", "EL/bench", "wtd LGD", "ES99", "defaults",
                "refi due 12-24m", "refi gap 12-24m", "worst lender by ES99"):
        t.add_column(col, justify="left" if col.startswith(("scenario", "worst")) else "right")
    for row in s.itertuples():
        lenders = lm[lm["scenario"] == row.scenario]
        worst = lenders.loc[lenders["es99"].idxmax()] if len(lenders) else None
        t.add_row(
            Text(str(row.scenario)), _musd(row.el),
            "n/a" if pd.isna(row.benchmark_el) else _musd(row.benchmark_el),
            _share(row.el_to_benchmark), _share(row.weighted_lgd), _musd(row.es99),
            f"{row.mean_defaults:.2f}",
            _musd(row.due_12_24), _musd(row.refi_gap_12_24),
            Text("" if worst is None else f"{worst['lender_name']} ({_musd(worst['es99'])})"),
        )
    return t


def _executor_errors(console: Console) -> AbstractContextManager[None]:
    """A lost or unreachable cluster: a readable message and exit code 2."""
    from cliffwatch.runs.cluster import ClusterError

    @contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except ClusterError as exc:
            console.print(f"[red]cluster error:[/] {exc}")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return guard()


def _announce(console: Console) -> ExecutorHook:
    """Print where a Dask run executes and its dashboard, once the executor is open."""
    def hook(executor: BlockExecutor) -> None:
        desc = executor.describe()
        if desc["executor"] != "dask":
            return
        link = getattr(executor, "dashboard_link", lambda: None)()
        console.print(f"dask     {desc['workers']} workers, {desc['threads']} threads at "
                      f"{desc['scheduler']}")
        console.print(f"dashboard {link}" if link else
                      "dashboard unavailable (the scheduler serves none; pip install bokeh)")
    return hook


PROGRESS_COLUMNS = (TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                    TimeRemainingColumn())


def run(
    tape: Annotated[Path | None, typer.Argument(
        help="Loan tape; default: the bundled sample.")] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", "-s",
        help="Bundled name or YAML file; repeat. Default: all bundled.")] = None,
    paths: Annotated[int, typer.Option(min=1, help="Monte Carlo paths per scenario.")] = (
        DEFAULT_PATHS),
    seed: Annotated[int, typer.Option(min=0, help="Root seed (same seed = same shocks).")] = (
        DEFAULT_SEED),
    horizon: Annotated[int, typer.Option(
        min=HORIZON_MIN_MONTHS, max=HORIZON_MAX_MONTHS, help="Months simulated.")] = (
        HORIZON_DEFAULT_MONTHS),
    out: Annotated[Path, typer.Option(help="Folder for report and workbook.")] = Path(
        "cliffwatch-out"),
    store: Annotated[Path, typer.Option(help="DuckDB results store.")] = Path("cliffwatch.duckdb"),
    sensitivities: Annotated[bool, typer.Option(help="Paired bumps on the first scenario.")] = True,
    reverse_stress: Annotated[bool, typer.Option(help="Per-borrower reverse stress.")] = True,
    cluster: Annotated[str | None, typer.Option(
        help="Run path blocks on this Dask scheduler, e.g. tcp://HOST:8786.")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Start a local Dask cluster of N worker processes for this run.")] = None,
    threads_per_worker: Annotated[int, typer.Option(
        min=1, help="Threads per local Dask worker (with --workers).")] = 1,
    connect_timeout: Annotated[float, typer.Option(
        min=0.1, help="Seconds to reach the Dask scheduler before giving up.")] = (
        DEFAULT_CONNECT_TIMEOUT_S),
    bump: Annotated[list[str] | None, typer.Option(
        help="Sensitivity bump size, e.g. spread=50bp, sofr=25bp, utilization=5pp, "
        "gpu_value=20%, rent=20%; repeat. Default: 100bp, 100bp, 10pp, 10%, 10%.")] = None,
) -> None:
    """Stress a loan tape under the scenario library; write the report, workbook and store.

    Results are bit-identical whether the paths run here, on --workers or on a --cluster.
    """
    console = Console()
    if cluster is not None and workers is not None:
        console.print("[red]cluster error:[/] give either --cluster or --workers, not both")
        raise typer.Exit(EXIT_USER_ERROR)
    try:
        bump_sizes = parse_bump_sizes(bump or [])
    except ValueError as exc:
        console.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    with _user_errors(console):
        require_writable(out, "output folder (--out)")
        require_writable(store.parent, "store folder (--store)")
        store = check_store(store)  # resolved, a DuckDB file, lock free: before simulating
        clean_stale(out, lambda run_id: has_run(store, run_id))
        pa = compile_portfolio(load_tape(tape))
        spec = RunSpec(
            tape=pa, scenarios=tuple(resolve_scenarios(scenario)), paths=paths, seed=seed,
            horizon=horizon, sensitivities=sensitivities, reverse_stress=reverse_stress,
            bump_sizes=bump_sizes, tape_name=str(tape or "bundled sample"),
            executor=ExecutorSpec(cluster=cluster, workers=workers,
                                  threads_per_worker=threads_per_worker,
                                  connect_timeout=connect_timeout),
        )
        with _executor_errors(console), Progress(
                *PROGRESS_COLUMNS, console=console, transient=True) as bar:
            task = bar.add_task(engine_label(), total=total_work(spec))

            def progress(label: str, n: int) -> None:
                bar.update(task, advance=n, description=label)

            result = run_spec(replace(spec, progress=progress, on_executor=_announce(console)))
            bar.update(task, description=WRITING)
            # Only a finished run reaches the store: a failed cluster exits above, nothing saved.
            run_id, html, xlsx = save_and_publish(result, store, out)
    Console(width=max(console.width, 160)).print(summary_table(result))
    console.print(f"run id   {run_id}\nstore    {store}\nreport   {html}\nworkbook {xlsx}")
    if (html.parent / "pack.pdf").exists():
        console.print(f"pack     {html.parent / 'pack.pdf'}", soft_wrap=True, highlight=False)


def project(
    borrower: Annotated[str, typer.Option("--borrower", "-b", help="Borrower id.")],
    tape: Annotated[Path | None, typer.Argument(
        help="Loan tape; default: the bundled sample.")] = None,
    scenario: Annotated[str, typer.Option(
        "--scenario", "-s", help="Bundled name or YAML file.")] = "base",
    seed: Annotated[int, typer.Option(min=0)] = DEFAULT_SEED,
    horizon: Annotated[int, typer.Option(min=HORIZON_MIN_MONTHS, max=HORIZON_MAX_MONTHS)] = (
        HORIZON_DEFAULT_MONTHS),
    csv: Annotated[Path | None, typer.Option(
        help="Also write the facility-month trace as CSV.")] = None,
) -> None:
    """Month-by-month trace of one borrower on the scenario's median path."""
    console = Console()
    with _user_errors(console):
        pa = compile_portfolio(load_tape(tape))
        if borrower not in pa.borrower_ids:
            console.print(f"unknown borrower {borrower!r}; known: " + ", ".join(pa.borrower_ids),
                          soft_wrap=True, markup=False, highlight=False)
            raise typer.Exit(EXIT_USER_ERROR)
        scn = resolve_scenarios([scenario])[0]
        b = pa.borrower_ids.index(borrower)
        frames = trace(pa, median_path(pa, scn, seed, horizon), engine_params(scn), horizon,
                       path=0, borrowers=[b])
    wide = Console(width=max(console.width, 180))
    wide.print(_frame_table(f"{borrower}: borrower cash bridge (USD m)",
                            frames["borrower"][list(BORROWER_COLUMNS)]))
    wide.print(_frame_table(f"{borrower}: facilities (USD m)",
                            frames["facility"][list(FACILITY_COLUMNS)]))
    if csv is not None:
        frames["facility"].to_csv(csv, index=False)
        console.print(f"facility trace written to {csv}")


BORROWER_COLUMNS = ("month", "revenue", "opex", "capex", "cfads", "draws", "revolver_draw",
                    "debt_service", "sweep", "refi_paydown", "cash_close", "dscr", "ltv",
                    "utilization", "arr", "ebitda", "status")
FACILITY_COLUMNS = ("month", "facility_id", "balance", "interest", "principal", "draws", "fees",
                    "sweep", "accrued_step_up", "pik", "status")
MONEY_COLUMNS = frozenset({"revenue", "opex", "capex", "cfads", "draws", "revolver_draw",
                           "debt_service", "sweep", "refi_paydown", "cash_close", "balance",
                           "interest", "principal", "fees", "accrued_step_up", "arr", "ebitda",
                           "pik"})


def _frame_table(title: str, df: pd.DataFrame) -> Table:
    t = Table(title=title, header_style="bold")
    for col in df.columns:
        t.add_column(str(col), justify="left" if col == "facility_id" else "right")
    for row in df.itertuples(index=False):
        cells: list[str | Text] = []
        for col, v in zip(df.columns, row, strict=True):
            if col in MONEY_COLUMNS:
                cells.append(f"{v / 1e6:,.1f}")
            elif isinstance(v, float):
                cells.append(f"{v:,.2f}")
            else:
                cells.append(Text(str(v)))  # ids from the tape: never rich markup
        t.add_row(*cells)
    return t


def register(app: typer.Typer) -> None:
    """Add ``run`` and ``project`` to the ``cliffwatch`` command."""
    app.command("run")(run)
    app.command("project")(project)
