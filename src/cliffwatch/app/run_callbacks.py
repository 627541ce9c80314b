"""Callbacks of the run tab: custom scenarios, starting runs, progress and cancellation."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from cliffwatch.app.components import alert
from cliffwatch.app.jobs import JobRequest, JobStatus
from cliffwatch.app.limits import MAX_PATHS
from cliffwatch.app.scenario_edit import ShockForm, form_spec, parse_scenario, spec_yaml
from cliffwatch.app.services import Services
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.runs.spec import RunSpec
from cliffwatch.units import HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS

STATE_COLORS = {"queued": "secondary", "running": "primary", "saving": "info",
                "done": "success", "failed": "danger", "cancelled": "warning"}
PERCENT = 100.0


def _int(value: Any, default: int | None = None) -> int | None:
    return default if value in (None, "") else int(value)


def _float(value: Any, default: float | None = None) -> float | None:
    return default if value in (None, "") else float(value)


def shock_form(values: list[Any]) -> ShockForm:
    """The form's raw values (in layout order) as a :class:`ShockForm`."""
    name, extends, mult, s_month, s_hl, u_pp, u_month, r_pct, r_month, c_from, c_to = values
    return ShockForm(
        name=str(name or "").strip(), extends=str(extends or "base"),
        spread_multiplier=_float(mult, 1.0) or 0.0, spread_month=_int(s_month, 0) or 0,
        spread_half_life=_float(s_hl), utilization_shift_pp=_float(u_pp, 0.0) or 0.0,
        utilization_month=_int(u_month, 12) or 0, rent_decline_pct=_float(r_pct, 0.0) or 0.0,
        rent_month=_int(r_month, 12) or 0, closed_from=_int(c_from), closed_to=_int(c_to))


def resolve(bundled: list[str], custom: list[str], library: list[dict[str, str]],
            services: Services) -> list[Scenario]:
    """Selected scenarios, bundled first; custom ones re-validated from their YAML."""
    texts = {c["name"]: c["yaml"] for c in library}
    out = [load_scenario(n) for n in bundled]
    out += [parse_scenario(texts[n], services.workdir) for n in custom if n in texts]
    names = [s.name for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise MarketInputError(f"scenario names must differ within a run; repeated: {dupes}")
    return out


def job_card(s: JobStatus) -> dbc.Card:
    """One job: scenarios, state, progress bar, and cancel / open buttons."""
    pct = round(s.fraction * PERCENT)
    head = [dbc.Badge(s.state, color=STATE_COLORS[s.state], className="me-2 job-state"),
            html.Span(", ".join(s.scenarios))]
    body: list[Any] = [html.Div(head)]
    if s.state == "queued":
        body.append(html.Div(f"waiting: position {s.position} in the queue",
                             className="small text-muted job-queued"))
    if s.state in ("running", "saving", "done"):
        body.append(dbc.Progress(value=pct, label=f"{pct}%", className="mt-1 job-progress"))
        body.append(html.Div(f"{s.label} — {s.done:,} of {s.total:,} path simulations "
                             "(each scenario's paths, plus no-contagion twins and sensitivity "
                             "bumps)", className="small"))
    if s.state == "failed":
        body.append(alert(f"run failed, nothing was saved:\n{s.error}", "danger"))
    if s.state in ("queued", "running"):
        body.append(dbc.Button("Cancel", id={"type": "cancel-job", "index": s.job_id},
                               color="outline-danger", size="sm", className="mt-1"))
    if s.state == "done":
        body.append(dbc.Button(f"Open run {s.run_id}", id={"type": "open-run",
                                                           "index": s.run_id},
                               color="link", size="sm", className="mt-1"))
    return dbc.Card(dbc.CardBody(body), className="mb-2 job-card", id=f"card-{s.job_id}")


def register(app: Dash, services: Services) -> None:
    """Attach the run tab's callbacks."""
    form_ids = ["f-name", "f-extends", "f-spread-mult", "f-spread-month", "f-spread-hl",
                "f-util-pp", "f-util-month", "f-rent-pct", "f-rent-month", "f-closed-from",
                "f-closed-to"]

    @app.callback(Output("scenario-yaml", "value"), Output("scenario-message", "children"),
                  Input("form-to-yaml", "n_clicks"), *[State(i, "value") for i in form_ids],
                  prevent_initial_call=True)
    def _form_yaml(_n: int, *values: Any) -> tuple[Any, Any]:
        try:
            return spec_yaml(form_spec(shock_form(list(values)))), None
        except (ValueError, TypeError) as exc:
            return no_update, alert(f"form: {exc}", "warning")

    @app.callback(Output("custom-scenarios", "data"), Output("custom-pick", "options"),
                  Output("custom-pick", "value"), Output("scenario-message", "children",
                                                         allow_duplicate=True),
                  Input("add-scenario", "n_clicks"), State("scenario-yaml", "value"),
                  State("custom-scenarios", "data"), State("custom-pick", "value"),
                  prevent_initial_call=True)
    def _add(_n: int, text: str | None, library: list[dict[str, str]],
             picked: list[str]) -> tuple[Any, ...]:
        try:
            scn = parse_scenario(text or "", services.workdir)
        except MarketInputError as exc:
            return no_update, no_update, no_update, alert(str(exc), "danger", "scenario-error")
        kept = [c for c in library if c["name"] != scn.name] + [{"name": scn.name,
                                                                  "yaml": text or ""}]
        opts = [{"label": c["name"], "value": c["name"]} for c in kept]
        value = sorted(set(picked) | {scn.name})
        return kept, opts, value, alert(f"scenario {scn.name!r} is valid and selected",
                                        "success", "scenario-ok")

    @app.callback(Output("run-tape-label", "children"), Input("tape-store", "data"))
    def _tape_label(tape: dict[str, str] | None) -> Any:
        if tape and "invalid" in tape:
            return alert(f"Tape: {tape['invalid']} is invalid (see the Tape tab); runs are "
                         "blocked until a valid tape is uploaded or the sample is chosen.",
                         "warning", "run-tape-invalid")
        name = tape["name"] if tape else "bundled sample (no tape uploaded yet)"
        return html.P(["Tape: ", html.B(name, id="run-tape-name")])

    @app.callback(Output("my-jobs", "data"), Output("run-message", "children"),
                  Input("start-run", "n_clicks"), State("tape-store", "data"),
                  State("scenario-pick", "value"), State("custom-pick", "value"),
                  State("custom-scenarios", "data"), State("run-paths", "value"),
                  State("run-seed", "value"), State("run-horizon", "value"),
                  State("run-options", "value"), State("my-jobs", "data"),
                  prevent_initial_call=True)
    def _start(_n: int, tape_ref: dict[str, str] | None, bundled: list[str],
               custom: list[str], library: list[dict[str, str]], paths: Any, seed: Any,
               horizon: Any, opts: list[str], jobs: list[str]) -> tuple[Any, Any]:
        if tape_ref and "invalid" in tape_ref:
            return no_update, alert(f"cannot start: the uploaded tape {tape_ref['invalid']} is "
                                    "invalid; nothing runs on an invalid tape", "warning",
                                    "run-refused")
        tape = services.tapes.get(tape_ref["digest"]) if tape_ref else services.tapes.sample()
        if tape is None:
            return no_update, alert("the uploaded tape is no longer known; upload it again")
        problems = []
        if not bundled and not custom:
            problems.append("choose at least one scenario")
        if not isinstance(paths, int | float) or not 1 <= paths <= MAX_PATHS:
            problems.append(f"paths: a whole number from 1 to {MAX_PATHS:,}")
        if not isinstance(seed, int | float) or seed < 0:
            problems.append("seed: a whole number, 0 or more")
        if not isinstance(horizon, int | float) or not (
                HORIZON_MIN_MONTHS <= horizon <= HORIZON_MAX_MONTHS):
            problems.append(f"horizon: {HORIZON_MIN_MONTHS} to {HORIZON_MAX_MONTHS} months")
        if problems:
            return no_update, alert("cannot start: " + "; ".join(problems), "warning")
        try:
            scenarios = resolve(bundled or [], custom or [], library or [], services)
        except MarketInputError as exc:
            return no_update, alert(str(exc), "danger")
        spec = RunSpec(tape=tape.arrays, scenarios=tuple(scenarios), paths=int(paths),
                       seed=int(seed), horizon=int(horizon), tape_name=tape.name,
                       sensitivities="sensitivities" in (opts or []),
                       reverse_stress="reverse_stress" in (opts or []))
        req = JobRequest(spec=spec, store=str(services.config.store))
        job_id = services.runs.submit(req)
        return [*jobs, job_id], alert(f"started {job_id}", "info", "run-started")

    @app.callback(Output("jobs-panel", "children"), Output("jobs-signature", "data"),
                  Input("poll", "n_intervals"), Input("my-jobs", "data"),
                  State("jobs-signature", "data"))
    def _poll(_n: int | None, jobs: list[str], last: str | None) -> tuple[Any, Any]:
        statuses = []
        for job_id in jobs or []:
            try:
                statuses.append(services.runs.status(job_id))
            except KeyError:
                continue
        sig = "|".join(f"{s.job_id}:{s.state}:{s.done}:{s.position}" for s in statuses)
        if sig == last:
            return no_update, no_update
        cards = [job_card(s) for s in reversed(statuses)]
        return (cards or html.P("no runs started in this tab yet", className="text-muted")), sig

    @app.callback(Output("run-message", "children", allow_duplicate=True),
                  Input({"type": "cancel-job", "index": ALL}, "n_clicks"),
                  prevent_initial_call=True)
    def _cancel(clicks: list[int | None]) -> Any:
        if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update  # a button was (re)drawn, not clicked
        job_id = ctx.triggered_id["index"]
        ok = services.runs.cancel(job_id)
        return alert(f"{job_id}: " + ("cancelled; nothing was saved" if ok else
                                       "too late to cancel (saving or finished)"), "warning",
                     "cancel-message")
