"""Callbacks of the tape tab: size gate in the browser, then parse and validate on the server."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, html, no_update

from cliffwatch.app.components import alert, failure, frame_table
from cliffwatch.app.limits import MAX_ISSUES_SHOWN
from cliffwatch.app.services import Services
from cliffwatch.app.tapes import KnownTape
from cliffwatch.app.uploads import TapeCheck, UploadRefused, issues_frame, read_upload
from cliffwatch.report.format import fmt_usd
from cliffwatch.tape import summary

# Runs in the browser: a file over the cap is refused before a byte of it is sent.
SIZE_GATE_JS = """
function(contents, names, cap) {
    if (!contents) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
    const list = Array.isArray(contents) ? contents : [contents];
    const nm = Array.isArray(names) ? names : [names];
    let total = 0;
    for (const c of list) {
        const payload = c.length - c.indexOf(',') - 1;
        total += Math.floor(payload * 3 / 4);
    }
    if (total > cap) {
        const mb = (total / 1048576).toFixed(1);
        const lim = +(cap / 1048576).toFixed(3);
        return [{refused: nm.join(', ') + ': ' + mb + ' MB is over the upload limit of ' + lim
                 + ' MB; split the tape or start the server with a larger --max-upload-mb'},
                null];
    }
    return [{contents: list, names: nm}, null];
}
"""
USD_COLUMNS = ("commitment_usd", "drawn_usd")


def _usd(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in USD_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(fmt_usd)
    return out


def summary_view(tape: KnownTape, check: TapeCheck | None) -> html.Div:
    """Counts, commitments by kind and lender, maturity profile, and any warnings."""
    portfolio = tape.portfolio
    counts = ", ".join(f"{n} {t}" for t, n in summary.counts(portfolio).items())
    parts: list[Any] = [
        alert(f"Valid tape: {tape.name} — {counts}. Valuation date {tape.arrays.valuation_date}.",
              "success", "tape-valid"),
    ]
    if check is not None and check.issues:
        parts += [html.H6(f"{len(check.issues)} warning(s)"),
                  frame_table(issues_frame(check.issues, check.root), table_id="warnings-table")]
    for title, frame in [("Commitments by facility kind", summary.by_kind(portfolio)),
                         ("Commitments by lender", summary.by_lender(portfolio)),
                         ("Maturity profile (at ARD, else maturity)",
                          summary.maturity_profile(portfolio))]:
        parts += [html.H6(title, className="mt-3"), frame_table(_usd(frame))]
    return html.Div(parts, id="tape-summary")


def errors_view(check: TapeCheck) -> html.Div:
    """The located issues of an invalid tape."""
    frame = issues_frame(check.issues, check.root)
    n_err = int((frame["severity"] == "error").sum())
    return html.Div([
        alert(f"{check.name}: the tape is invalid — {n_err} error(s). Nothing can run on it "
              "until they are fixed; each row below points at the file, sheet, row and column.",
              "danger", "tape-invalid"),
        frame_table(frame, table_id="issues-table", max_rows=MAX_ISSUES_SHOWN),
    ])


def register(app: Dash, services: Services) -> None:
    """Attach the tape tab's callbacks."""
    app.clientside_callback(SIZE_GATE_JS, Output("upload-gate", "data"),
                            Output("upload", "contents"), Input("upload", "contents"),
                            State("upload", "filename"), State("cap-bytes", "data"))

    @app.callback(Output("upload-result", "children"), Output("tape-store", "data"),
                  Input("upload-gate", "data"), Input("use-sample", "n_clicks"),
                  prevent_initial_call=True)
    def _receive(gate: dict[str, Any] | None, _clicks: int | None) -> tuple[Any, Any]:
        if ctx.triggered_id == "use-sample":
            tape = services.tapes.sample()
            return summary_view(tape, None), {"digest": tape.digest, "name": tape.name}
        if not gate:
            return no_update, no_update
        if "refused" in gate:
            return alert(str(gate["refused"]), "warning", "upload-refused"), no_update
        try:
            check = read_upload(gate["contents"], gate["names"], services.workdir,
                                services.config.max_upload_mb)
        except UploadRefused as exc:
            return alert(str(exc), "warning", "upload-refused"), no_update
        except (OSError, ValueError, KeyError) as exc:  # disk full, odd archive, bad payload
            return failure("reading the upload", exc), no_update
        if not check.ok or check.portfolio is None:
            return errors_view(check), {"invalid": check.name}  # blocks runs until fixed
        tape = services.tapes.add(check.portfolio, check.name, check.path)
        return summary_view(tape, check), {"digest": tape.digest, "name": tape.name}
