"""The ``cliffwatch`` command. Each layer registers its own sub-commands here.

The console script imports only the module of the command it runs (``cliffwatch validate``
needs the tape layer, not numba, Dask, plotly or the language model of the news reader), so a
quick command answers quickly and in little memory; ``--help`` or an unknown name registers
every command. ``cliffwatch.cli.app`` (what tests and embedding code import) has them all.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from typing import Any

import typer

from cliffwatch import __version__, signals

COMMAND_MODULES: dict[str, str] = {
    "validate": "cliffwatch.tape.commands",
    "template": "cliffwatch.tape.commands",
    "scenarios": "cliffwatch.market.commands",
    "run": "cliffwatch.runs.commands",
    "project": "cliffwatch.runs.commands",
    "cashflows": "cliffwatch.runs.cashflow_commands",
    "runs": "cliffwatch.report.commands",
    "report": "cliffwatch.report.commands",
    "compare": "cliffwatch.report.commands",
    "serve": "cliffwatch.app.commands",
    "news": "cliffwatch.news.commands",
}
"""Each sub-command and the module whose ``register(app)`` adds it, in help order."""


def _print_version(value: bool) -> None:
    """Eager: runs while the options are parsed, before click asks for a sub-command."""
    if value:
        typer.echo(f"cliffwatch {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.",
                                 callback=_print_version, is_eager=True),
) -> None:
    """Stress-test AI-infrastructure debt: refinancing cliffs, losses per lender, contagion."""


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="cliffwatch",
        help="Stress-test AI-infrastructure debt: refinancing cliffs, losses per lender, "
             "contagion.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # plain click help: rich's help panels cut option names and defaults at 80 columns
        rich_markup_mode=None,
        callback=_root,
    )


def main() -> None:
    """Console-script entry point: SIGINT and SIGTERM end every command with 128 + signal."""
    signals.install()
    try:
        build_app(_command_name(sys.argv[1:]))()
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


def _command_name(args: list[str]) -> str | None:
    """The sub-command named on the command line (the first word that is not an option)."""
    return next((a for a in args if not a.startswith("-")), None)


def build_app(command: str | None = None) -> typer.Typer:
    """The ``cliffwatch`` app with ``command``'s module registered, or every module when
    ``command`` is ``None`` or not a known sub-command."""
    modules = ([COMMAND_MODULES[command]] if command in COMMAND_MODULES
               else list(dict.fromkeys(COMMAND_MODULES.values())))
    app = _new_app()
    for module in modules:
        importlib.import_module(module).register(app)
    return app


@cache
def _full_app() -> typer.Typer:
    return build_app(None)


def __getattr__(name: str) -> Any:
    # ``from cliffwatch.cli import app``: every command, built on first use
    if name == "app":
        return _full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
