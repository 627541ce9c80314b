"""``cliffwatch serve``: start the local web dashboard."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from cliffwatch.app.limits import DEFAULT_HOST, DEFAULT_MAX_UPLOAD_MB, DEFAULT_PORT

EXIT_USER_ERROR = 2
DEFAULT_STORE = Path("cliffwatch.duckdb")


def serve(
    store: Annotated[Path, typer.Option(help="DuckDB results store.")] = DEFAULT_STORE,
    host: str = typer.Option(DEFAULT_HOST, help="Address to bind; loopback unless told."),
    port: int = typer.Option(DEFAULT_PORT, min=1, max=65535, help="TCP port."),
    max_upload_mb: float = typer.Option(DEFAULT_MAX_UPLOAD_MB, min=0.001,
                                        help="Largest accepted upload, MB."),
) -> None:
    """Serve the dashboard: upload a tape, run scenarios, explore and compare stored runs."""
    from cliffwatch.app.server import create_app
    from cliffwatch.app.services import AppConfig

    if store.exists() and store.is_dir():
        typer.echo(f"--store {store}: is a folder; expected a DuckDB file path", err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    if not store.parent.exists():
        typer.echo(f"--store {store}: folder {store.parent} does not exist", err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    app, services = create_app(AppConfig(store=store, max_upload_mb=max_upload_mb))
    if host not in (DEFAULT_HOST, "localhost", "::1"):
        typer.echo(f"warning: serving on {host}: anyone who can reach it can upload tapes "
                   "and start runs (there is no login)", err=True)
    typer.echo(f"cliffwatch dashboard on http://{host}:{port}/  (store: {store}; Ctrl-C stops)")
    # SIGTERM (service managers, test harnesses) stops like Ctrl-C: workers end, temp files go.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        app.run(host=host, port=port, debug=False, threaded=True)
    except OSError as exc:
        typer.echo(f"cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_USER_ERROR) from None
    finally:
        services.close()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(0)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""
    app.command("serve")(serve)
