"""Hostile text from a tape or a file name end to end: tape -> run -> HTML report and workbook;
YAML tags that construct objects; names that try to leave their folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl
import pytest
from tests.reliability_counts import Tally
from tests.tape.fixtures import small_tape, yaml_text

from cliffwatch.market.scenario import load_scenario
from cliffwatch.news.watch import watch
from cliffwatch.report.html import build_html
from cliffwatch.report.workbook import write_workbook
from cliffwatch.results import RunResult
from cliffwatch.runs.job import run
from cliffwatch.runs.spec import RunSpec
from cliffwatch.store.errors import StoreError
from cliffwatch.store.runs import check_run_id
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
HOSTILE_NAMES = {"borrowers": SCRIPT, "lenders": FORMULA}
YAML_TAGS = ("!!python/object/apply:os.system ['touch /tmp/cliffwatch-pwned']",
             "!!python/name:os.system", "!!python/object/new:builtins.dict {}", "!!set {a, b}")
"""Tags that construct Python objects (safe_load refuses them) and a set (not a text cell)."""


@pytest.fixture(scope="module")
def hostile_result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    tape = small_tape()
    for table, name in HOSTILE_NAMES.items():
        tape[table][0]["name"] = name
    path = tmp_path_factory.mktemp("hostile") / "t.yaml"
    path.write_text(yaml_text(tape))
    pa = compile_portfolio(load_tape(path))
    return run(RunSpec(tape=pa, scenarios=(load_scenario("base"),), paths=8, seed=1,
                       horizon=12, sensitivities=False, reverse_stress=False))


def test_tape_text_cannot_inject_script_into_the_report(hostile_result: RunResult,
                                                        tally: Tally) -> None:
    page = build_html(hostile_result)
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page or "\\u003cscript" in page
    tally("injection payloads checked end to end (report, workbook)")


def test_tape_text_cannot_inject_formulas_into_the_workbook(
        hostile_result: RunResult, tmp_path: Path, tally: Tally) -> None:
    path = write_workbook(hostile_result, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    seen = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value == FORMULA]
    assert seen, "the hostile lender name should appear as text"
    assert all(c.data_type == "s" for c in seen)  # a string cell, never a formula
    tally("injection payloads checked end to end (report, workbook)")


@pytest.mark.parametrize("tag", YAML_TAGS)
def test_yaml_tags_in_a_tape_are_refused_not_constructed(tmp_path: Path, tag: str,
                                                         tally: Tally) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(small_tape()).replace("name: test book", f"name: {tag}"))
    with pytest.raises(TapeError) as info:
        load_tape(path)
    assert info.value.issues[0].file == str(path)
    assert not Path("/tmp/cliffwatch-pwned").exists()
    tally("YAML object-constructing tags refused")


@pytest.mark.parametrize("run_id", ["../../etc/x", "/abs", ".hidden", "a/b", "a\\b", "..",
                                    "", "x" * 65])
def test_run_ids_that_could_leave_the_output_folder_are_refused(
        tmp_path: Path, run_id: str, hostile_result: RunResult, tally: Tally) -> None:
    from cliffwatch.runs.publish import save_and_publish

    with pytest.raises(StoreError, match="run id"):
        check_run_id(run_id)
    if run_id:
        bad = RunResult(tables=hostile_result.tables,
                        manifest={**hostile_result.manifest, "run_id": run_id})
        with pytest.raises(StoreError, match="run id"):
            save_and_publish(bad, tmp_path / "s.duckdb", tmp_path / "out")
        assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "out").exists()
    tally("path traversal names refused")


def test_watched_news_folder_ignores_links_that_leave_it(tmp_path: Path,
                                                         tally: Tally) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Neocloud defaults on its GPU-backed loan; lenders take losses.")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "leak.txt").symlink_to(outside)
    old = time.time() - 60  # settled files only are read
    os.utime(outside, (old, old))
    pa = compile_portfolio(load_tape(_small_yaml(tmp_path)))
    assert watch(folder, pa, tmp_path / "n.duckdb", paths=8, seed=1, interval=0,
                 max_iterations=1) == 0
    tally("path traversal names refused")


def _small_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "tape.yaml"
    path.write_text(yaml_text(small_tape()))
    return path
