"""Fuzz target of the scenario loader: mutated library scenarios and random YAML text.

Only :class:`MarketInputError` may escape ``load_scenario``, and its message starts with the
file it is about. Mutations replace, delete or add one key anywhere in a bundled scenario's
tree, or point ``extends`` somewhere odd.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.reliability_counts import Tally

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.library import bundled_names, bundled_path
from cliffwatch.market.scenario import load_scenario

from .tapes import JUNK

LIBRARY: dict[str, Any] = {n: yaml.safe_load(bundled_path(n).read_text())  # type: ignore[union-attr]
                           for n in bundled_names()}
EXTENDS = st.sampled_from(["base", "../base.yaml", "/etc/hostname", "nope", "x.yaml", "",
                           "fuzz.yaml", "crowded_unwind"]) | st.text(max_size=12)
VALUES = JUNK | st.dictionaries(st.integers(-5, 400) | st.text(max_size=4), JUNK, max_size=3) \
    | st.lists(JUNK, max_size=3)


def _nodes(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a YAML tree."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _nodes(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _nodes(v, prefix + (i,))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    if not path:
        return value if how == "replace" else doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if how == "delete":
        del parent[path[-1]]
    elif how == "add" and isinstance(parent[path[-1]], dict):
        parent[path[-1]]["unknown_key"] = value
    else:
        parent[path[-1]] = value
    return doc


def assert_only_located_error(path: Path) -> None:
    try:
        load_scenario(path)
    except MarketInputError as exc:
        assert str(exc).startswith(str(path)) or str(path) in str(exc), exc


@given(name=st.sampled_from(sorted(LIBRARY)), data=st.data(),
       how=st.sampled_from(["replace", "delete", "add", "extends"]), value=VALUES)
def test_fuzz_mutated_scenarios_raise_only_located_errors(
        tally: Tally, name: str, data: st.DataObject, how: str, value: Any) -> None:
    doc = yaml.safe_load(yaml.safe_dump(LIBRARY[name]))
    if how == "extends":
        doc["extends"] = data.draw(EXTENDS)
    else:
        doc = _mutate(doc, data.draw(st.sampled_from(_nodes(doc))), how, value)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True))
        assert_only_located_error(path)
    tally("scenario files fuzzed: mutated library scenarios")


@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_fuzz_random_scenario_text_raises_only_located_errors(tally: Tally,
                                                              text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        assert_only_located_error(path)
    tally("scenario files fuzzed: random text and bytes")
