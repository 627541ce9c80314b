"""``cliffwatch run`` (the main job) and ``cliffwatch project`` (one borrower's trace)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from cliffwatch.api import DEFAULT_PATHS, DEFAULT_SEED, load_tape, resolve_scenarios
from cliffwatch.bumps import parse_bump_sizes
from cliffwatch.engine.run import trace
from cliffwatch.job import run_job, total_work
from cliffwatch.market.errors import MarketInputError
from cliffwatch.memory import CapacityError
from cliffwatch.montecarlo import median_path
from cliffwatch.outputs_guard import OutputError, require_writable
from cliffwatch.progress import WRITING, engine_label
from cliffwatch.results import RunResult
from cliffwatch.store.errors import StoreError
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError

if TYPE_CHECKING:
    from distributed import Client

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


def _stage_outputs(result: RunResult, out: Path) -> Path:
    """Write report.html and results.xlsx into a hidden temporary folder beside ``out``.

    On any failure (a full disk, an interrupt) the folder is removed and the error re-raised.
    """
    from cliffwatch.report.html import write_html
    from cliffwatch.report.pdf import write_pack_or_note
    from cliffwatch.report.workbook import write_workbook

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_html(result, tmp / "report.html")
        write_workbook(result, tmp / "results.xlsx")
        note = write_pack_or_note(result, tmp)  # the committee pack: pack.pdf (+ pack.html)
        if note is not None:
            Console(stderr=True).print(note, markup=False, highlight=False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _publish(staged: Path, out: Path) -> tuple[Path, Path]:
    """Rename the staged folder onto ``out`` (one atomic rename)."""
    if out.exists():
        shutil.rmtree(out)
    os.replace(staged, out)
    return out / "report.html", out / "results.xlsx"


def _save_and_publish(result: RunResult, store: Path, out: Path) -> tuple[str, Path, Path]:
    """Report and workbook first, then the store: if the disk fills while writing the report,
    the store is unchanged; if the store refuses the run (locked, duplicate) or the run is
    interrupted while it commits, the report is removed again. The store commit is the last
    step, so a stored run always has its report (a SIGKILL can at worst leave a report folder
    whose run was never stored, never the reverse)."""
    from cliffwatch.store.runs import check_run_id, save_run

    run_id = check_run_id(str(result.manifest["run_id"]))
    html, xlsx = _publish(_stage_outputs(result, out / run_id), out / run_id)
    try:
        save_run(result, store)
    except BaseException:
        shutil.rmtree(out / run_id, ignore_errors=True)
        raise
    return run_id, html, xlsx


def _executor_errors(console: Console) -> AbstractContextManager[None]:
    """A lost or unreachable cluster: a readable message and exit code 2."""
    from cliffwatch.cluster import ClusterError

    @contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except ClusterError as exc:
            console.print(f"[red]cluster error:[/] {exc}")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return guard()


@contextmanager
def _open_cluster(console: Console, cluster: str | None, workers: int | None,
                  threads_per_worker: int, connect_timeout: float) -> Iterator[Client | None]:
    """The Dask client of the run (``None``: local); prints where its dashboard is."""
    if cluster is None and workers is None:
        yield None
        return
    from cliffwatch.cluster import open_executor

    with _executor_errors(console), open_executor(
            cluster, workers, threads_per_worker, connect_timeout=connect_timeout) as executor:
        assert executor is not None
        link = executor.dashboard_link()
        desc = executor.describe()
        console.print(f"dask     {desc['workers']} workers, {desc['threads']} threads at "
                      f"{desc['scheduler']}")
        console.print(f"dashboard {link}" if link else
                      "dashboard unavailable (the scheduler serves none; pip install bokeh)")
        yield executor.client


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
    horizon: Annotated[int, typer.Option(min=1, max=360, help="Months simulated.")] = 60,
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
        min=0.1, help="Seconds to reach the Dask scheduler before giving up.")] = 10.0,
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
        portfolio = load_tape(tape)
        pa = compile_portfolio(portfolio)
        scenarios = resolve_scenarios(scenario)
        with _open_cluster(console, cluster, workers, threads_per_worker,
                           connect_timeout) as client, _executor_errors(console), Progress(
                *PROGRESS_COLUMNS, console=console, transient=True) as bar:
            task = bar.add_task(engine_label(),
                                total=total_work(scenarios, paths, sensitivities))

            def progress(label: str, n: int) -> None:
                bar.update(task, advance=n, description=label)

            result = run_job(
                pa, scenarios, paths=paths, seed=seed, horizon=horizon,
                tape_hash=pa.digest(), tape_name=str(tape or "bundled sample"),
                sensitivities=sensitivities, reverse_stress=reverse_stress, progress=progress,
                cluster=client, bump_sizes=bump_sizes,
            )
            bar.update(task, description=WRITING)
            # Only a finished run reaches the store: a failed cluster exits above, nothing saved.
            run_id, html, xlsx = _save_and_publish(result, store, out)
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
    horizon: Annotated[int, typer.Option(min=1, max=360)] = 60,
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
