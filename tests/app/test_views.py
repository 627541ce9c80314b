"""View builders of the tape and run tabs: form parsing, scenario resolution, tape views."""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import pytest
from tests.app.conftest import data_url

from cliffwatch.app.run_callbacks import resolve, shock_form
from cliffwatch.app.scenario_edit import ShockForm, form_spec, spec_yaml
from cliffwatch.app.services import Services
from cliffwatch.app.tape_callbacks import errors_view, summary_view
from cliffwatch.app.uploads import read_upload
from cliffwatch.market.errors import MarketInputError
from cliffwatch.sample import load_sample


def _json(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_shock_form_reads_blank_fields_as_defaults() -> None:
    form = shock_form(["n", None, "", None, "", None, None, "", None, "", None])
    assert form == ShockForm(name="n")
    filled = shock_form(["n", "base", "2", "3", "6", "-10", "12", "30", "18", "4", "8"])
    assert filled == ShockForm("n", "base", 2.0, 3, 6.0, -10.0, 12, 30.0, 18, 4, 8)


def test_resolve_keeps_order_and_refuses_duplicate_names(tmp_path: Path) -> None:
    svc = Services.__new__(Services)  # only ``workdir`` is used
    svc.workdir = tmp_path
    text = spec_yaml(form_spec(ShockForm(name="mine", spread_multiplier=2.0)))
    names = [s.name for s in resolve(["base", "gfc_severe"], ["mine"],
                                     [{"name": "mine", "yaml": text}], svc)]
    assert names == ["base", "gfc_severe", "mine"]
    clash = spec_yaml(form_spec(ShockForm(name="base")))
    with pytest.raises(MarketInputError, match="repeated"):
        resolve(["base"], ["base"], [{"name": "base", "yaml": clash}], svc)


def test_tape_views(tmp_path: Path, sample_bytes: bytes) -> None:
    from cliffwatch.app.tapes import TapeRegistry

    good = read_upload([data_url(sample_bytes)], ["book.yaml"], tmp_path, 50)
    assert good.portfolio is not None
    tape = TapeRegistry().add(good.portfolio, good.name, good.path)
    view = _json(summary_view(tape, good))
    n = len(load_sample().borrowers)
    assert "tape-valid" in view and f"{n} borrowers" in view and "Maturity profile" in view
    bad_text = sample_bytes.decode().replace("as_of:", "as_of: not-a-date #", 1)
    bad = read_upload([data_url(bad_text.encode())], ["bad.yaml"], tmp_path, 50)
    view = _json(errors_view(bad))
    assert "tape-invalid" in view and "issues-table" in view and "bad.yaml" in view
