"""Golden digests: every engine output is bit-identical to the stored one.

``tests/engine/golden_digests.json`` holds the SHA-256 digests printed by
``benchmarks/engine_digest.py``. This test recomputes all of them (every ``EngineSummary`` array
of four scenarios on the sample, the month-by-month traces on the median path and on three
paths, every result table of one job, the reverse-stress table, the summaries of the
10,000-facility synthetic tape: a few seconds once the kernel is compiled) and compares. A
change that moves any number fails here until its author regenerates the file on purpose and
says in the commit which digests changed and why::

    PYTHONPATH=src python benchmarks/engine_digest.py --write tests/engine/golden_digests.json

Digests are bit-exact for one CPU type and library set: the file records where it was written,
and on another CPU the comparison skips with the reason.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numba
import pytest

from cliffwatch.tape.arrays import PortfolioArrays

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden_digests.json")
REGENERATE = ("PYTHONPATH=src python benchmarks/engine_digest.py --write "
              "tests/engine/golden_digests.json")
ODD_BLOCK_PATHS = 37
"""A block size that cuts the random-number chunks and the path range unevenly."""


def _digest_module() -> ModuleType:
    bench = str(ROOT / "benchmarks")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    return importlib.import_module("engine_digest")


@pytest.fixture(scope="module")
def dig() -> ModuleType:
    return _digest_module()


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(GOLDEN.read_text())
    return doc


def _same_machine(dig: ModuleType, golden: dict[str, Any]) -> None:
    here, there = dig.fingerprint(), golden["written_on"]
    cpu = ("machine", "llvm_cpu", "numpy_simd")
    if any(here[k] != there[k] for k in cpu):
        pytest.skip(f"golden digests were written on {there}, this machine is {here}: the last "
                    f"bit of a float may differ across instruction sets; regenerate locally "
                    f"with {REGENERATE} to compare a change on this machine")


def _compare(dig: ModuleType, golden: dict[str, Any], lines: list[str]) -> None:
    got = dig.as_mapping(lines)
    stored = golden["digests"]
    missing = sorted(set(got) - set(stored))
    moved = sorted(k for k in got if k in stored and got[k] != stored[k])
    assert not missing and not moved, (
        f"engine outputs differ from tests/engine/golden_digests.json: {len(moved)} digests "
        f"moved {moved[:20]}, {len(missing)} not stored {missing[:20]}. If the change is meant, "
        f"regenerate with `{REGENERATE}` and say in the commit which changed and why "
        f"(written on {golden['written_on']}, running on {dig.fingerprint()}).")


@pytest.fixture(scope="module")
def computed(dig: ModuleType, sample_arrays: PortfolioArrays) -> dict[str, str]:
    """Every digest the benchmark prints, computed here (all threads, 256-path blocks)."""
    lines = dig.sample_lines(sample_arrays, 256) + dig.synthetic_lines(sample_arrays, 256)
    out: dict[str, str] = dig.as_mapping(lines)
    return out


def test_file_lists_every_output(golden: dict[str, Any], computed: dict[str, str]) -> None:
    """The stored labels are exactly those the benchmark prints (none stale, none forgotten),
    and they cover summaries, traces and job tables."""
    assert sorted(golden["digests"]) == sorted(computed)
    kinds = {label.split(" ")[1].split(".")[0] for label in computed}
    assert kinds == {"summary", "trace", "table"}


@pytest.mark.parametrize("part", ["sample/base", "sample/two_sided_bust", "sample/crowded_unwind",
                                  "sample/gfc_severe", "sample/job", "sample/reverse_stress",
                                  "synthetic/"])
def test_outputs_match_golden(dig: ModuleType, golden: dict[str, Any], computed: dict[str, str],
                              part: str) -> None:
    _same_machine(dig, golden)
    lines = [f"{k} {v}" for k, v in computed.items() if k.startswith(part)]
    assert lines
    _compare(dig, golden, lines)


def test_digests_ignore_threads_and_block_size(dig: ModuleType, golden: dict[str, Any],
                                               sample_arrays: PortfolioArrays) -> None:
    """One numba thread and an odd block size give the stored digests (written with all
    threads and 256-path blocks)."""
    _same_machine(dig, golden)
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        lines = dig.sample_summary_lines(sample_arrays, "crowded_unwind", ODD_BLOCK_PATHS)
    finally:
        numba.set_num_threads(before)
    _compare(dig, golden, lines)
