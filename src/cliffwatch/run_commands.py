"""``cliffwatch run`` (the main job) and ``cliffwatch project`` (one borrower's trace)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from cliffwatch.api import DEFAULT_PATHS, DEFAULT_SEED, load_tape, resolve_scenarios
from cliffwatch.engine.run import trace
from cliffwatch.job import run_job, total_work
from cliffwatch.market.errors import MarketInputError
from cliffwatch.montecarlo import median_path
from cliffwatch.results import RunResult
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


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
    except KeyboardInterrupt:
        console.print("[yellow]interrupted: nothing was written[/]")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _musd(x: float) -> str:
    return f"{x / 1e6:,.1f}"


def summary_table(result: RunResult) -> Table:
    """Per scenario: EL, ES99, mean defaults, 12-24 month refinancing gap, worst lender ES99."""
    s = result.table("scenario_summary")
    lm = result.table("lender_metrics")
    t = Table(title="Stress results (USD m)", header_style="bold")
    for col in ("scenario", "EL", "ES99", "defaults", "refi due 12-24m", "refi gap 12-24m",
                "worst lender by ES99"):
        t.add_column(col, justify="left" if col.startswith(("scenario", "worst")) else "right")
    for row in s.itertuples():
        lenders = lm[lm["scenario"] == row.scenario]
        worst = lenders.loc[lenders["es99"].idxmax()] if len(lenders) else None
        t.add_row(
            Text(str(row.scenario)), _musd(row.el), _musd(row.es99), f"{row.mean_defaults:.2f}",
            _musd(row.due_12_24), _musd(row.refi_gap_12_24),
            Text("" if worst is None else f"{worst['lender_name']} ({_musd(worst['es99'])})"),
        )
    return t


def _write_outputs(result: RunResult, out: Path) -> tuple[Path, Path]:
    """Write report.html and results.xlsx into ``out`` atomically (a temp dir renamed in)."""
    from cliffwatch.report.html import write_html
    from cliffwatch.report.workbook import write_workbook

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_html(result, tmp / "report.html")
        write_workbook(result, tmp / "results.xlsx")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "report.html", out / "results.xlsx"


def run(
    tape: Path | None = typer.Argument(None, help="Loan tape; default: the bundled sample."),
    scenario: list[str] | None = typer.Option(
        None, "--scenario", "-s", help="Bundled name or YAML file; repeat. Default: all bundled."
    ),
    paths: int = typer.Option(DEFAULT_PATHS, min=1, help="Monte Carlo paths per scenario."),
    seed: int = typer.Option(DEFAULT_SEED, min=0, help="Root seed (same seed = same shocks)."),
    horizon: int = typer.Option(60, min=1, max=360, help="Months simulated."),
    out: Path = typer.Option(Path("cliffwatch-out"), help="Folder for report and workbook."),
    store: Path = typer.Option(Path("cliffwatch.duckdb"), help="DuckDB results store."),
    sensitivities: bool = typer.Option(True, help="Paired bumps on the first scenario."),
    reverse_stress: bool = typer.Option(True, help="Per-borrower reverse stress."),
) -> None:
    """Stress a loan tape under the scenario library; write the report, workbook and store."""
    from cliffwatch.store.runs import save_run

    console = Console()
    with _user_errors(console):
        portfolio = load_tape(tape)
        pa = compile_portfolio(portfolio)
        scenarios = resolve_scenarios(scenario)
        columns = (TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("simulating", total=total_work(scenarios, paths, sensitivities))

            def progress(label: str, n: int) -> None:
                bar.update(task, advance=n, description=label)

            result = run_job(
                pa, scenarios, paths=paths, seed=seed, horizon=horizon,
                tape_hash=pa.digest(), tape_name=str(tape or "bundled sample"),
                sensitivities=sensitivities, reverse_stress=reverse_stress, progress=progress,
            )
        run_id = save_run(result, store)
        html, xlsx = _write_outputs(result, out / run_id)
    Console(width=max(console.width, 160)).print(summary_table(result))
    console.print(f"run id   {run_id}\nstore    {store}\nreport   {html}\nworkbook {xlsx}")


def project(
    tape: Path | None = typer.Argument(None, help="Loan tape; default: the bundled sample."),
    borrower: str = typer.Option(..., "--borrower", "-b", help="Borrower id."),
    scenario: str = typer.Option("base", "--scenario", "-s", help="Bundled name or YAML file."),
    seed: int = typer.Option(DEFAULT_SEED, min=0),
    horizon: int = typer.Option(60, min=1, max=360),
    csv: Path | None = typer.Option(None, help="Also write the facility-month trace as CSV."),
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
        frames = trace(pa, median_path(pa, scn, seed, horizon), scn.engine_params(), horizon,
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
                    "utilization", "status")
FACILITY_COLUMNS = ("month", "facility_id", "balance", "interest", "principal", "draws", "fees",
                    "sweep", "accrued_step_up", "status")
MONEY_COLUMNS = frozenset({"revenue", "opex", "capex", "cfads", "draws", "revolver_draw",
                           "debt_service", "sweep", "refi_paydown", "cash_close", "balance",
                           "interest", "principal", "fees", "accrued_step_up"})


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
