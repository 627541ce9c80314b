"""docs/ENGINE.md's step list is generated from engine/steps/ and committed identical to it;
the kernel, its reference twin and the docs number the steps the same way."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from cliffwatch.engine import kernel
from cliffwatch.engine.docs import BEGIN, END, compiled_functions, step_list, step_module
from cliffwatch.engine.reference import path as reference_path
from cliffwatch.engine.steps import STEPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "ENGINE.md"
ENGINE = Path(kernel.__file__).resolve().parent


def test_committed_step_list_equals_generated() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == step_list(), (
        "docs/ENGINE.md's step list is stale: run `python -m cliffwatch.engine.docs "
        "docs/ENGINE.md`"
    )


def test_every_step_has_a_twin_and_documented_functions() -> None:
    assert [n for n, _ in STEPS] == list(range(1, len(STEPS) + 1))
    for _, name in STEPS:
        module = step_module(name)
        assert inspect.getdoc(module), f"steps/{name}.py has no docstring"
        twin = importlib.import_module(f"cliffwatch.engine.reference.{name}")
        assert inspect.getdoc(twin), f"reference/{name}.py has no docstring"
        funcs = compiled_functions(module)
        assert funcs, f"steps/{name}.py defines no compiled function"
        for fname, func in funcs:
            assert inspect.getdoc(func), f"steps/{name}.{fname} has no docstring"


def _step_comments(source: str) -> list[int]:
    """Step numbers of the ``# n`` comments of a loop function, in order."""
    numbers = []
    for line in source.splitlines():
        _, sep, comment = line.partition("  # ")
        if sep and comment.strip().isdigit():
            numbers.append(int(comment.strip()))
    return numbers


def test_kernel_and_twin_call_the_steps_in_the_documented_order() -> None:
    order = [n for n, _ in STEPS]
    kernel_src = (inspect.getsource(kernel.borrower_month.py_func)
                  + inspect.getsource(kernel.run_months.py_func))
    twin_src = (inspect.getsource(reference_path.ReferencePath.borrower_month)
                + inspect.getsource(reference_path.ReferencePath.run))
    assert _step_comments(kernel_src) == order
    assert _step_comments(twin_src) == order
    for n, name in STEPS:  # the numbered call is a call into that step's module
        for src in (kernel_src, twin_src):
            line = next(x for x in src.splitlines() if x.rstrip().endswith(f"  # {n}"))
            assert f"{name}." in line, (n, name, line)


def function_lengths(path: Path) -> list[tuple[str, int]]:
    """(name, lines from ``def`` to its last line) of every function in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.name, (node.end_lineno or node.lineno) - node.lineno + 1)
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def test_no_engine_function_is_longer_than_80_lines() -> None:
    long = [f"{path.relative_to(ENGINE)}:{name} ({n} lines)"
            for path in ENGINE.rglob("*.py") for name, n in function_lengths(path) if n > 80]
    assert not long, long


def test_the_length_check_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(90))
    module = tmp_path / "m.py"
    module.write_text(f"def f(\n    a: int,\n) -> None:\n{body}\n", encoding="utf-8")
    assert function_lengths(module) == [("f", 93)]
