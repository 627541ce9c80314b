"""The ``cliffwatch`` command. Each layer registers its own sub-commands here."""

from __future__ import annotations

import sys

import typer

from cliffwatch import __version__, signals

app = typer.Typer(
    name="cliffwatch",
    help="Stress-test AI-infrastructure debt: refinancing cliffs, losses per lender, contagion.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: rich's help panels cut option names and defaults at 80 columns
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    """Eager: runs while the options are parsed, before click asks for a sub-command."""
    if value:
        typer.echo(f"cliffwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.",
                                 callback=_print_version, is_eager=True),
) -> None:
    """Stress-test AI-infrastructure debt: refinancing cliffs, losses per lender, contagion."""


def main() -> None:
    """Console-script entry point: SIGINT and SIGTERM end every command with 128 + signal."""
    signals.install()
    try:
        app()
    except SystemExit as exc:
        if signals.received() is None:
            raise
        # A command that does not handle the interrupt itself ends in click's "Aborted!"
        # (exit 1); a signal that arrived after a run was stored lets it finish (exit 0).
        if exc.code in (0, 1, None):
            sys.stderr.write("interrupted\n")
        signals.exit_now()
    except KeyboardInterrupt:  # before any command ran (typer builds the command first)
        sys.stderr.write(f"{signals.MESSAGE}\n")
        signals.exit_now()


from cliffwatch.app.commands import register as _register_app  # noqa: E402
from cliffwatch.market.commands import register as _register_market  # noqa: E402
from cliffwatch.news.commands import register as _register_news  # noqa: E402
from cliffwatch.report.commands import register as _register_report  # noqa: E402
from cliffwatch.runs.cashflow_commands import register as _register_cashflows  # noqa: E402
from cliffwatch.runs.commands import register as _register_run  # noqa: E402
from cliffwatch.tape.commands import register as _register_tape  # noqa: E402

_register_tape(app)
_register_market(app)
_register_run(app)
_register_cashflows(app)
_register_report(app)
_register_app(app)
_register_news(app)
