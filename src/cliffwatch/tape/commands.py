"""CLI commands of the tape layer: ``cliffwatch validate`` and ``cliffwatch template``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from cliffwatch.tape import summary
from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.load import check_tape
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.template import template_portfolio
from cliffwatch.tape.write import FORMATS, infer_format, write_tape
from cliffwatch.tape.xlsx_format import write_xlsx

EXIT_INVALID_TAPE = 2
"""Exit code of ``validate`` on an invalid or unreadable tape."""
EXIT_USAGE = 1
"""Exit code when the user's request cannot be carried out (file exists, bad format)."""
USD_MILLIONS = 1e6


def issue_table(issues: list[Issue], limit: int) -> Table:
    """Rich table of located issues (the first ``limit``)."""
    table = Table(title=f"{len(issues)} issue(s)", show_lines=False)
    for name in ("severity", "file", "sheet", "row", "column", "value", "expected"):
        table.add_column(name, overflow="fold")
    for i in issues[:limit]:
        style = "red" if i.severity == "error" else "yellow"
        row = "" if i.row is None else f"{i.row_word} {i.row}"
        table.add_row(i.severity, i.file, i.sheet, row, i.column, i.value_text(), i.expected,
                      style=style)
    if len(issues) > limit:
        table.caption = f"... {len(issues) - limit} more not shown (--max-issues)"
    return table


def frame_table(title: str, frame: pd.DataFrame) -> Table:
    """Rich table of a summary frame, money in USD millions."""
    table = Table(title=title)
    for col in frame.columns:
        label = col.replace("_usd", " (USD m)")
        numeric = pd.api.types.is_numeric_dtype(frame[col])
        table.add_column(label, justify="right" if numeric else "left")
    for values in frame.itertuples(index=False):
        cells = []
        for col, v in zip(frame.columns, values, strict=True):
            cells.append(f"{v / USD_MILLIONS:,.1f}" if col.endswith("_usd") else str(v))
        table.add_row(*cells)
    return table


def print_summary(console: Console, portfolio: Portfolio, path: Path) -> None:
    """Counts, commitments by kind, rating and lender, and the maturity profile."""
    info = portfolio.info
    console.print(f"[bold green]valid tape[/] {path}: as of {info.as_of.isoformat()}, "
                  f"{info.currency}" + (f", {info.name}" if info.name else ""))
    console.print(", ".join(f"{n} {t}" for t, n in summary.counts(portfolio).items()))
    console.print(frame_table("Commitments by facility kind", summary.by_kind(portfolio)))
    console.print(frame_table("Commitments by borrower rating", summary.by_rating(portfolio)))
    console.print(frame_table("Commitments by lender", summary.by_lender(portfolio)))
    console.print(frame_table("Maturity profile (ARD if any, else maturity)",
                              summary.maturity_profile(portfolio)))


def validate(
    path: Annotated[Path, typer.Argument(help="Tape: .yaml, .xlsx, .zip of CSVs, or a folder "
                                         "of CSV or Parquet files.")],
    max_issues: Annotated[int, typer.Option(help="Most issues listed.")] = 200,
) -> None:
    """Validate a loan tape: print a summary, or every problem found (exit code 2)."""
    console = Console()
    try:
        portfolio, issues = check_tape(path)
    except TapeError as exc:
        console.print(issue_table(exc.issues, max_issues))
        raise typer.Exit(EXIT_INVALID_TAPE) from None
    errors = [i for i in issues if i.severity == "error"]
    if errors or portfolio is None:
        console.print(issue_table(issues, max_issues))
        console.print(f"[bold red]invalid tape[/] {path}: {len(errors)} error(s)")
        raise typer.Exit(EXIT_INVALID_TAPE)
    print_summary(console, portfolio, path)
    if issues:
        console.print(issue_table(issues, max_issues))


def template(
    path: Annotated[Path, typer.Argument(help="Where to write the template (.xlsx; .yaml, "
                                         ".zip or a folder also work).")],
    format: Annotated[str | None, typer.Option(help=f"One of {', '.join(FORMATS)}; default: "
                                               "from the suffix.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    sample: Annotated[bool, typer.Option(help="Write the bundled sample book instead of the "
                                         "one-row example.")] = False,
) -> None:
    """Write an example tape: every table with its headers and one consistent example row.

    A workbook carries the column reference (README sheet) and dropdowns on every enumeration
    column; ``--sample`` writes the bundled sample book (the one ``make demo`` runs) instead.
    """
    console = Console(stderr=True)
    if format is not None and format not in FORMATS:
        console.print(f"[red]error:[/] --format {format!r}: expected one of {', '.join(FORMATS)}")
        raise typer.Exit(EXIT_USAGE)
    if path.exists() and not force:
        console.print(f"[red]error:[/] {path} exists; pass --force to overwrite it")
        raise typer.Exit(EXIT_USAGE)
    fmt = format or infer_format(path)
    book = _sample_portfolio() if sample else template_portfolio()
    try:
        if fmt == "xlsx":  # a workbook carries its own column reference
            write_xlsx(book, path, reference=True)
            written = path
        else:
            written = write_tape(book, path, fmt)  # type: ignore[arg-type]
    except OSError as exc:
        console.print(f"[red]error:[/] cannot write {path}: {exc.strerror}")
        raise typer.Exit(EXIT_USAGE) from None
    what = "the sample book" if sample else "template tape"
    Console().print(f"wrote {what} {written}")


def _sample_portfolio() -> Portfolio:
    from cliffwatch.tape.load import load_tape
    from cliffwatch.tape.sample_files import sample_tape_path

    return load_tape(sample_tape_path())


def register(app: typer.Typer) -> None:
    """Add the tape commands to the ``cliffwatch`` app."""
    app.command("validate")(validate)
    app.command("template")(template)
