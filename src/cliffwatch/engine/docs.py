"""Generate the step list of ``docs/ENGINE.md`` from the docstrings of ``engine/steps/``.

The part of docs/ENGINE.md between the two markers below is :func:`step_list`; a test
compares the committed file with it, so the description of the monthly step cannot drift from
the code. Regenerate with ``python -m cliffwatch.engine.docs docs/ENGINE.md``.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from cliffwatch.engine.steps import STEPS

BEGIN = ("<!-- BEGIN step list: generated from engine/steps/ by "
         "`python -m cliffwatch.engine.docs docs/ENGINE.md`; do not edit by hand -->")
END = "<!-- END step list -->"


def step_module(name: str) -> ModuleType:
    """The kernel module of step ``name``."""
    return importlib.import_module(f"cliffwatch.engine.steps.{name}")


def compiled_functions(module: ModuleType) -> list[tuple[str, Any]]:
    """(name, Python function) of every numba-compiled function defined in ``module``, in
    source order."""
    found = []
    for name, obj in vars(module).items():
        func = getattr(obj, "py_func", None)
        if func is not None and func.__module__ == module.__name__:
            found.append((name, func))
    return sorted(found, key=lambda item: item[1].__code__.co_firstlineno)


def _first_sentence(doc: str) -> str:
    """First sentence of a docstring, reST literals turned into markdown code spans."""
    text = " ".join(doc.split()).replace(":func:`", "`").replace("``", "`")
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def step_section(number: int, name: str) -> str:
    """Markdown of one step: title, formulas (module docstring), its compiled functions."""
    module = step_module(name)
    doc = inspect.getdoc(module) or ""
    title, _, body = doc.partition("\n")
    lines = [f"### {number}. {title.rstrip('.')}", "",
             f"Kernel `engine/steps/{name}.py`, twin `engine/reference/{name}.py`.", ""]
    if body.strip():
        lines += [body.strip(), ""]
    lines.append("Functions:")
    lines.append("")
    for fname, func in compiled_functions(module):
        lines.append(f"* `{fname}`: {_first_sentence(inspect.getdoc(func) or '')}")
    lines.append("")
    return "\n".join(lines)


def step_list() -> str:
    """The generated block of docs/ENGINE.md, markers included."""
    parts = [BEGIN, ""] + [step_section(n, name) for n, name in STEPS] + [END]
    return "\n".join(parts)


def with_step_list(text: str) -> str:
    """``text`` (docs/ENGINE.md) with its step list replaced by the generated one."""
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError("docs/ENGINE.md has lost its step-list markers")
    return head + step_list() + tail


def main(argv: list[str]) -> None:
    """Rewrite the step list of the file given (default ``docs/ENGINE.md``) in place."""
    target = Path(argv[0] if argv else "docs/ENGINE.md")
    target.write_text(with_step_list(target.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
