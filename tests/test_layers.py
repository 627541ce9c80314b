"""The layer order holds: every import in the package points down (or sideways), never up.

tape -> market -> engine -> analytics -> store / report -> runs -> app / news / API -> CLI. A
module may import its own package, a package of a lower layer, or one of its own layer; the
packages' import graph has no cycle (the market layer does not import the engine, even inside
a function). The scan reads every ``import`` statement of ``src/cliffwatch`` with ``ast``,
including those inside functions and ``TYPE_CHECKING`` blocks.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cliffwatch"

LAYERS: dict[str, int] = {
    # foundations: import nothing of cliffwatch
    "codes": 0, "units": 0, "memory": 0, "outputs_guard": 0,
    "safe_yaml": 0, "shown": 0, "signals": 0, "staging": 0,
    "tape": 1, "sample": 1,
    "market": 2,
    "engine": 3,
    "analytics": 4, "results": 4,
    "store": 5, "report": 5,
    "runs": 6,
    "api": 7, "app": 7, "news": 7,
    "cli": 8, "__main__": 8, "__init__": 8,
}
"""Unit (a subpackage, or a top-level module) -> layer; higher layers may import lower ones."""


def _unit(module: str) -> str:
    """``cliffwatch.runs.job`` -> ``runs``; ``cliffwatch`` (the package root) -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _unit_of_file(path: Path) -> str:
    """``src/cliffwatch/runs/job.py`` -> ``runs``; ``src/cliffwatch/api.py`` -> ``api``."""
    return path.stem if path.parent == SRC else path.relative_to(SRC).parts[0]


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, imported module, names) of every cliffwatch import in the file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, ()) for a in node.names
                    if a.name.split(".")[0] == "cliffwatch"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "cliffwatch":
            out.append((node.lineno, node.module, tuple(a.name for a in node.names)))
    return out


def _edges() -> list[tuple[str, str, str]]:
    """(importing unit, imported unit, where) for every cross-unit import."""
    edges = []
    for path in sorted(SRC.rglob("*.py")):
        src = _unit_of_file(path)
        for line, module, names in _imports(path):
            if module == "cliffwatch" and names == ("__version__",):
                continue  # the version string, defined before anything is imported
            dst = _unit(module)
            if module == "cliffwatch" and names:
                dst = names[0] if names[0] in LAYERS else "__init__"
            if dst != src:
                edges.append((src, dst, f"{path.relative_to(SRC.parent)}:{line}"))
    return edges


def test_every_unit_has_a_layer() -> None:
    units = {_unit_of_file(p) for p in SRC.rglob("*.py")}
    assert units <= set(LAYERS), f"give these a layer in LAYERS: {sorted(units - set(LAYERS))}"


def test_no_import_points_up() -> None:
    up = [f"{where}: {src} (layer {LAYERS[src]}) imports {dst} (layer {LAYERS[dst]})"
          for src, dst, where in _edges() if LAYERS[dst] > LAYERS[src]]
    assert not up, "imports against the layer order:\n" + "\n".join(up)


def test_package_graph_has_no_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for src, dst, _ in _edges():
        graph[src].add(dst)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle between packages: {exc.args[1]}")


def test_market_does_not_import_the_engine() -> None:
    """The cycle issue 16 removed: scenarios hold engine overrides as data."""
    assert not [w for s, d, w in _edges() if s == "market" and d == "engine"]


def test_the_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from cliffwatch.engine.params import EngineParams\n"
                     "import cliffwatch.runs.job\n")
    assert sorted(m for _, m, _ in _imports(probe)) == ["cliffwatch.engine.params",
                                                        "cliffwatch.runs.job"]
