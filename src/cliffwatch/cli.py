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


from cliffwatch.app.commands import register as _register_app  # noqa: E402
from cliffwatch.market.commands import register as _register_market  # noqa: E402
from cliffwatch.news.commands import register as _register_news  # noqa: E402
from cliffwatch.report.commands import register as _register_report  # noqa: E402
from cliffwatch.runs.commands import register as _register_run  # noqa: E402
from cliffwatch.tape.commands import register as _register_tape  # noqa: E402

_register_tape(app)
_register_market(app)
_register_run(app)
_register_report(app)
_register_app(app)
_register_news(app)
