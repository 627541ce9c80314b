"""The Dash application: layout, callbacks and the report/workbook download routes."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from dash import Dash
from flask import Response, abort, send_file

from cliffwatch.app import explore_callbacks, run_callbacks, tape_callbacks
from cliffwatch.app.layout import page
from cliffwatch.app.limits import request_cap_bytes
from cliffwatch.app.services import AppConfig, Services
from cliffwatch.app.style import INDEX_STRING
from cliffwatch.store.errors import RunNotFoundError, StoreError

DOWNLOADS = {"report.html": ("html", "text/html"),
             "results.xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument."
                                      "spreadsheetml.sheet")}
"""Downloadable files of a run: name -> (kind, MIME type)."""
RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TITLE = "cliffwatch"


def _download(services: Services, run_id: str, name: str) -> Response:
    from cliffwatch.report.html import write_html
    from cliffwatch.report.workbook import write_workbook

    if name not in DOWNLOADS or not RUN_ID.match(run_id):
        abort(404)
    try:
        result = services.stored.get(run_id)
    except RunNotFoundError:
        abort(404, description=f"no run {run_id}")
    except StoreError as exc:
        abort(500, description=str(exc))
    kind, mime = DOWNLOADS[name]
    # written to a private folder, sent from memory, the folder removed at once: each
    # download used to leave a ~5 MB copy in the work folder until the server stopped
    with tempfile.TemporaryDirectory(prefix="download-", dir=services.workdir) as folder:
        path = Path(folder) / f"cliffwatch-{run_id}.{kind}"
        (write_html if kind == "html" else write_workbook)(result, path)
        data = io.BytesIO(path.read_bytes())
    return send_file(data, mimetype=mime, as_attachment=True, download_name=path.name)


def create_app(config: AppConfig, services: Services | None = None) -> tuple[Dash, Services]:
    """Build the dashboard for ``config``; returns the app and its server-side services."""
    services = services or Services(config)
    app = Dash(__name__, title=TITLE, suppress_callback_exceptions=True, serve_locally=True)
    app.index_string = INDEX_STRING
    app.server.config["MAX_CONTENT_LENGTH"] = request_cap_bytes(config.max_upload_mb)
    app.layout = page(config.max_upload_mb, str(config.store))
    tape_callbacks.register(app, services)
    run_callbacks.register(app, services)
    explore_callbacks.register(app, services)
    app.server.add_url_rule("/download/<run_id>/<name>", "download",
                            lambda run_id, name: _download(services, run_id, name))
    return app, services
