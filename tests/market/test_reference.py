"""Market reference data: bundled file, provenance tags, located validation errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from cliffwatch.codes import Rating
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.reference import _bundled_path, load_reference


def test_bundled_reference_values() -> None:
    ref = load_reference()
    assert ref.sofr.r0.value == 0.0365
    assert ref.spread.s0.value == 0.027
    assert {"A100", "H100", "H200", "B200", "GB200", "MI300X"} <= set(ref.gpu.generations)
    assert ref.gpu.generations["H100"].power_kw.value == 0.70
    assert ref.annual_pd().shape == (len(Rating),)
    lower = ref.cholesky()
    np.testing.assert_allclose(lower @ lower.T, ref.correlation.matrix.value, atol=1e-12)


def test_every_source_is_tagged() -> None:
    text = _bundled_path().read_text()
    for line in text.splitlines():
        if "source:" in line:
            assert any(t in line for t in ("[sourced", "[estimate", "[weak", "grid", "order"))


def _variant(tmp_path: Path, edit) -> Path:
    doc = yaml.safe_load(_bundled_path().read_text())
    edit(doc)
    p = tmp_path / "ref.yaml"
    p.write_text(yaml.safe_dump(doc))
    return p


def test_untagged_source_rejected_with_location(tmp_path: Path) -> None:
    def edit(d):
        d["spread"]["kappa"]["source"] = "my guess"

    with pytest.raises(MarketInputError, match=r"(?s)ref\.yaml.*spread\.kappa\.source.*my guess"):
        load_reference(_variant(tmp_path, edit))


def test_non_positive_definite_correlation_rejected(tmp_path: Path) -> None:
    def edit(d):
        d["correlation"]["matrix"]["value"][0][1] = 0.99
        d["correlation"]["matrix"]["value"][1][0] = 0.99
        d["correlation"]["matrix"]["value"][0][6] = -0.99
        d["correlation"]["matrix"]["value"][6][0] = -0.99

    with pytest.raises(MarketInputError, match="positive-definite"):
        load_reference(_variant(tmp_path, edit))


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(MarketInputError, match="file not found"):
        load_reference(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\n")
    with pytest.raises(MarketInputError, match="not valid YAML"):
        load_reference(bad)
