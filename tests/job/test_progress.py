"""Progress as the user sees it: the compiling/loading step, the API's opt-in bar, complete
API docstrings."""

from __future__ import annotations

import inspect

import pytest
from rich.console import Console

import cliffwatch as cw
from cliffwatch.runs import progress


def test_first_step_names_compiling_or_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "_kernel_cached", lambda: False)
    assert progress.engine_label() == "compiling the engine (first run only)"
    monkeypatch.setattr(progress, "_kernel_cached", lambda: True)
    assert progress.engine_label() == "loading the compiled engine"


def test_progress_bar_counts_paths_with_stage_labels() -> None:
    console = Console(record=True, force_terminal=True, width=100)
    with progress.progress_bar(30, console=console) as update:
        update("base", 15)
        update("base spread_+100bp", 15)
    text = console.export_text()
    assert "30/30 paths" in text and "done" in text


def test_api_progress_true_runs_with_a_bar() -> None:
    res = cw.run(scenarios=["base"], paths=50, seed=3, sensitivities=False,
                 reverse_stress=False, progress=True)
    quiet = cw.run(scenarios=["base"], paths=50, seed=3, sensitivities=False,
                   reverse_stress=False)
    assert res.summary().equals(quiet.summary())


def test_help_of_run_lists_every_parameter() -> None:
    doc = inspect.getdoc(cw.run) or ""
    for name in inspect.signature(cw.run).parameters:
        assert name in doc, name
