"""CLI commands of the store and report layers: ``runs``, ``report``, ``compare``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cliffwatch import signals
from cliffwatch.report.compare import DELTA_NOTE, compare_runs, delta_display
from cliffwatch.report.format import fmt_usd
from cliffwatch.report.html import write_html
from cliffwatch.report.workbook import write_workbook
from cliffwatch.store import DEFAULT_STORE, StoreError, list_runs, load_run

DEFAULT_OUT = Path("cliffwatch-out")
"""Directory the report command writes to when --out is not given."""
EXIT_USAGE = 2
"""Exit code for errors the user can fix: unknown run id, missing store, locked store."""
EXIT_OUTPUT = 2
"""Exit code when the report files cannot be written (a read-only or missing --out is a user
error, like every other one)."""

HASH_SHOWN_CHARS = 16
"""Characters of the tape hash shown in the runs list (enough to tell tapes apart)."""

STORE_OPTION = typer.Option(DEFAULT_STORE, "--store", help="Results store (DuckDB file).")
OUT_OPTION = typer.Option(DEFAULT_OUT, "--out", help="Directory for the HTML and XLSX.")


def _out() -> Console:
    """Console for results, built per call so it sees the terminal width of that call."""
    return Console()


def _err() -> Console:
    return Console(stderr=True)



@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn store and file errors into a one-line message and an exit code, no traceback."""
    try:
        yield
    except StoreError as exc:
        _err().print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:
        _err().print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        raise typer.Exit(EXIT_OUTPUT) from None
    except KeyboardInterrupt as exc:  # SIGINT or SIGTERM: the report files are written atomically
        _err().print(signals.MESSAGE)
        raise typer.Exit(signals.exit_code(exc)) from None


def _safe_name(run_id: str) -> str:
    """A file-name stem for ``run_id`` (path separators and odd characters replaced)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", run_id).lstrip(".") or "run"


def runs(store: Path = STORE_OPTION) -> None:
    """List the runs in the store."""
    with _user_errors():
        table = list_runs(store)
    if table.empty:
        _out().print(f"No runs in {store}.")
        return
    console = _out()
    console.print(runs_table(table, store, console.width))


RUNS_WIDE_COLUMNS = 120
"""Terminal width from which ``runs`` adds the tape hash, horizon and scenario names."""


def runs_table(table: pd.DataFrame, store: Path, width: int) -> Table:
    """The runs listing for a terminal ``width`` characters wide: on 80 columns one line per
    run (id, creation minute, tape, scenario count, paths, seed, status); wider terminals add
    the tape hash, the horizon and the scenario names."""
    wide = width >= RUNS_WIDE_COLUMNS
    t = Table(title=Text(f"Runs in {store}"), box=None if not wide else box.SIMPLE_HEAD,
              pad_edge=False, padding=(0, 1))
    names = table["scenarios"].fillna("").astype(str)
    count = names.map(lambda x: len([n for n in x.split(",") if n.strip()]))
    shown = pd.DataFrame({
        "run id": table["run_id"],
        "created": table["created"].map(_minute),
        "tape": table["tape_name"],
        "scen.": count,
        "paths": table["paths"],
        "seed": table["seed"],
        "status": table["status"],
    })
    if wide:
        shown.insert(3, "tape hash", table["tape_hash"].map(
            lambda h: h if not isinstance(h, str)
            else h.removeprefix("sha256:")[:HASH_SHOWN_CHARS]))
        shown.insert(shown.columns.get_loc("seed") + 1, "months", table["horizon"])
        shown["scenarios"] = names
    for col in shown.columns:
        right = col in ("scen.", "paths", "seed", "months")
        t.add_column(col, justify="right" if right else "left",
                     no_wrap=col != "scenarios", overflow="fold" if col == "scenarios"
                     else "ellipsis", max_width=None if wide or col != "tape" else 12)
    for row in shown.itertuples(index=False):
        t.add_row(*(_cell(v) for v in row))
    return t


def _minute(created: Any) -> str:
    """``2026-12-04T16:42:32+00:00`` -> ``2026-12-04 16:42`` (UTC as stored)."""
    return str(created).replace("T", " ")[:16] if isinstance(created, str) else "–"


def _cell(value: Any) -> Text:
    """A table cell that shows tape text literally (Text, never rich markup)."""
    return Text("–" if value is None or pd.isna(value) else str(value))


def report(
    run_id: str = typer.Argument(..., help="Run id (see `cliffwatch runs`)."),
    store: Path = STORE_OPTION,
    out: Path = OUT_OPTION,
    pdf: bool = typer.Option(False, "--pdf", help="Also print the committee pack "
                             "(<run>-pack.pdf, at most ten A4 pages) with Chromium."),
) -> None:
    """Rebuild the HTML report and the Excel workbook of a stored run (and the PDF pack)."""
    with _user_errors():
        result = load_run(store, run_id)
        out.mkdir(parents=True, exist_ok=True)
        stem = _safe_name(run_id)
        html = write_html(result, out / f"{stem}.html")
        xlsx = write_workbook(result, out / f"{stem}.xlsx")
        written = [html, xlsx]
        if pdf:
            written += _write_pdf_pack(result, out, stem)
    _out().print("\n".join(f"wrote {p}" for p in written), highlight=False, soft_wrap=True)


def _write_pdf_pack(result: Any, out: Path, stem: str) -> list[Path]:
    """``<stem>-pack.html`` and its PDF; no Chromium is a user error (exit 2)."""
    from cliffwatch.report.pack import build_pack_html
    from cliffwatch.report.pdf import PdfError, print_pdf

    page = out / f"{stem}-pack.html"
    page.write_text(build_pack_html(result), encoding="utf-8")
    try:
        return [page, print_pdf(page, out / f"{stem}-pack.pdf")]
    except PdfError as exc:
        _err().print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None


def compare(
    run_a: str = typer.Argument(..., help="Reference run id."),
    run_b: str = typer.Argument(..., help="Run id compared with it (deltas are B − A)."),
    store: Path = STORE_OPTION,
) -> None:
    """Show what changed between two stored runs: inputs and per-lender EL / ES99."""
    with _user_errors():
        a, b = load_run(store, run_a), load_run(store, run_b)
    cmp = compare_runs(a, b)
    facts = Table(title=Text(f"Inputs: A = {run_a}, B = {run_b}"))
    for col in ["item", "A", "B", ""]:
        facts.add_column(col, overflow="fold")
    for row in cmp.facts.itertuples(index=False):
        facts.add_row(row.item, _cell(row.a), _cell(row.b),
                      Text("changed", style="bold yellow") if row.changed else "")
    _out().print(facts)
    scen = Table(title="Scenarios")
    scen.add_column("scenario")
    scen.add_column("status")
    for row in cmp.scenarios.itertuples(index=False):
        scen.add_row(_cell(row.scenario), row.status)
    _out().print(scen)
    _out().print(_delta_table(cmp.deltas))
    if not cmp.theme.empty:
        _out().print(_theme_table(cmp.theme))


def _delta_table(d: pd.DataFrame) -> Table:
    shown = delta_display(d)
    t = Table(title="Expected loss and ES99 by scenario and lender (Δ = B − A)",
              caption=DELTA_NOTE)
    for col in shown.columns:
        t.add_column(col, justify="left" if col in ("scenario", "lender") else "right")
    for row in shown.itertuples(index=False):
        t.add_row(*(Text(str(v)) for v in row))
    return t


def _theme_table(d: pd.DataFrame) -> Table:
    t = Table(title="The two sides of the AI theme (Δ = B − A)")
    for col in ["scenario", "lender", "Δ EL infra", "Δ EL software", "ES99 joint A",
                "ES99 joint B", "Δ ES99 joint", "Δ diversification"]:
        t.add_column(col, justify="left" if col in ("scenario", "lender") else "right")
    for row in d.itertuples(index=False):
        t.add_row(_cell(row.scenario), _cell(row.lender_id), *(fmt_usd(getattr(row, c)) for c in
                  ["d_el_infra", "d_el_software", "es99_joint_a", "es99_joint_b",
                   "d_es99_joint", "d_diversification"]))
    return t


COMMANDS: list[tuple[str, Callable[..., None]]] = [
    ("runs", runs), ("report", report), ("compare", compare),
]


def register(app: typer.Typer) -> None:
    """Add ``runs``, ``report`` and ``compare`` to the ``cliffwatch`` app."""
    for name, fn in COMMANDS:
        app.command(name)(fn)
