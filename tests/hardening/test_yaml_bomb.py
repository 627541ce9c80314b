"""The YAML alias bomb ("billion laughs") and deep nesting are refused cheaply, located, on
every YAML load: the tape, a scenario file, the Python API and the command line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.scenario import load_scenario
from cliffwatch.safe_yaml import MAX_ALIAS_NODES, MAX_DEPTH, YamlBudgetError, safe_load
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape

from .bombs import alias_bomb_scenario, alias_bomb_tape, alias_chain

REFUSE_S = 1.0
"""Done-means bound of the issue: the bomb is refused within a second..."""
REFUSE_RSS_KB = 200 * 1024
"""...and with under 200 MB of memory on top of what the CLI takes to refuse a one-line tape
(its imports alone, numba and pandas, are about 400 MB)."""


def test_small_alias_use_still_loads() -> None:
    doc = safe_load("a: &x [1, 2]\nb: *x\nc: *x\n")
    assert doc == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_alias_bomb_is_refused_with_its_line() -> None:
    text = alias_bomb_scenario()
    with pytest.raises(YamlBudgetError) as info:
        safe_load(text, "bomb.yaml")
    msg = str(info.value)
    assert "bomb.yaml" in msg and "line" in msg and f"{MAX_ALIAS_NODES:,}" in msg
    assert isinstance(info.value, yaml.YAMLError)


def test_budget_counts_expansion_not_aliases() -> None:
    # three levels (1,000 leaves) fit; six levels (1,000,000) do not
    safe_load("\n".join(alias_chain(3)))
    with pytest.raises(YamlBudgetError):
        safe_load("\n".join(alias_chain(6)))


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        safe_load("a: &a [1, *a]\n")


def test_deep_nesting_is_refused_not_recursion_error() -> None:
    with pytest.raises(YamlBudgetError, match="nested"):
        safe_load("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    with pytest.raises(yaml.YAMLError):
        safe_load("[" * 100_000)


def test_tape_alias_bomb_is_a_located_tape_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb_tape())
    t0 = time.perf_counter()
    with pytest.raises(TapeError) as info:
        load_tape(path)
    assert time.perf_counter() - t0 < 5 * REFUSE_S
    assert "alias" in str(info.value) and "bomb.yaml" in str(info.value)


def test_scenario_alias_bomb_is_a_located_market_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb_scenario())
    with pytest.raises(MarketInputError, match="alias"):
        load_scenario(path)


def _cli(args: list[str]) -> tuple[int, str, float, int]:
    """Exit code, output, wall seconds and max RSS (KB) of a CLI run capped at 1.5 GB."""
    code = ("import resource,sys;resource.setrlimit(resource.RLIMIT_AS,(1536<<20,1536<<20));"
            "from cliffwatch.cli import main;sys.argv=['cliffwatch',*sys.argv[1:]];main()")
    t0 = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "maxrss=%M", sys.executable, "-c", code,
                           *args], capture_output=True, text=True, timeout=120, check=False)
    wall = time.perf_counter() - t0
    rss = int(done.stderr.rsplit("maxrss=", 1)[1].split()[0])
    return done.returncode, done.stdout + done.stderr, wall, rss


@pytest.mark.parametrize("kind", ["validate", "run"])
def test_cli_refuses_the_bomb_fast_and_small(tmp_path: Path, kind: str) -> None:
    if kind == "validate":
        path = tmp_path / "bomb_tape.yaml"
        path.write_text(alias_bomb_tape())
        args = ["validate", str(path)]
    else:
        path = tmp_path / "bomb_scn.yaml"
        path.write_text(alias_bomb_scenario())
        args = ["run", "-s", str(path), "--paths", "8", "--out", str(tmp_path / "o"),
                "--store", str(tmp_path / "s.duckdb")]
    # the same command refusing a small bad file: what its own imports cost (the console script
    # imports only the module of the command it runs, so each command has its own footprint)
    small = tmp_path / "small.yaml"
    small.write_text("as_of: 2026-06-30\n" if kind == "validate" else "not_a_field: 1\n")
    *_, baseline = _cli([*args[:1], str(small)] if kind == "validate"
                        else [*args[:2], str(small), *args[3:]])
    rc, out, _wall, rss = _cli(args)
    assert rc == 2, out
    assert "Traceback" not in out and "alias" in out
    assert rss - baseline < REFUSE_RSS_KB, (rss, baseline)
    if kind == "validate":  # the console script imports only the tape layer for validate
        assert rss < REFUSE_RSS_KB, rss


def test_the_console_script_imports_only_the_command_it_runs() -> None:
    code = ("import sys;from cliffwatch.cli import build_app;build_app('validate');"
            "print(sorted(m for m in ('numba','dask','plotly','spacy','sklearn','duckdb') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_python_api_refuses_the_bomb(tmp_path: Path) -> None:
    import cliffwatch as cw

    path = tmp_path / "bomb_scn.yaml"
    path.write_text(alias_bomb_scenario())
    with pytest.raises(MarketInputError, match="alias"):
        cw.resolve_scenarios([path])
