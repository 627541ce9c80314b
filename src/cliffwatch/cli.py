"""The ``cliffwatch`` command. Each layer registers its own sub-commands here."""

from __future__ import annotations

import typer

from cliffwatch import __version__

app = typer.Typer(
    name="cliffwatch",
    help="Stress-test AI-infrastructure debt: refinancing cliffs, losses per lender, contagion.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def main() -> None:
    """Console-script entry point."""
    app()


from cliffwatch.engine.commands import register as _register_engine  # noqa: E402

_register_engine(app)
