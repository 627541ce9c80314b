"""YAML loading with a budget: no alias bomb, no nesting deep enough to overflow the stack.

PyYAML's ``safe_load`` refuses object-constructing tags but not the "billion laughs": a
~550-byte document of ten anchor levels, each aliasing the previous ten times, is ten billion
values once expanded. Loading it is cheap (aliases share one Python object), but anything that
walks the result (``repr`` in an error message, pydantic validating a list, a JSON dump) walks
every expanded value and takes the machine down.

:class:`BudgetLoader` counts, while composing, how many nodes every alias stands for once
expanded (each node's expanded size is memoised, so the count is linear in the text) and
refuses the document as soon as aliases add more than :data:`MAX_ALIAS_NODES` nodes, or when
nesting exceeds :data:`MAX_DEPTH`. Documents without aliases are never limited by the alias
budget: their size is bounded by the caller's file-size cap.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_ALIAS_NODES: int = 100_000
"""Nodes that all aliases of one document may add once expanded (a scenario that reuses a few
anchored paths adds hundreds; the ten-level bomb adds ten billion)."""
MAX_DEPTH: int = 100
"""Deepest nesting of collections accepted (tapes and scenarios need fewer than ten levels;
PyYAML composes recursively, so thousands of levels would overflow the interpreter stack)."""


class YamlBudgetError(yaml.YAMLError):
    """A YAML document over the alias-expansion or nesting budget; the message is located.

    ``problem`` is the unlocated text and ``line`` the 1-based line (``None`` if unknown), for
    readers that locate problems their own way.
    """

    def __init__(self, where: str, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        parts = [p for p in (where, f"line {line}" if line is not None else "") if p]
        super().__init__(f"{', '.join(parts) or 'YAML'}: {problem}")


class BudgetLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses alias bombs and excessive nesting while composing."""

    def __init__(self, stream: str | bytes | IO[str], name: str = "") -> None:
        super().__init__(stream)
        self._where = name
        self._depth = 0
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}
        # keep composed nodes alive: the memo is keyed on id(), which must not be reused
        self._keep: list[Node] = []

    def _refuse(self, what: str, mark: Any) -> YamlBudgetError:
        return YamlBudgetError(self._where, mark.line + 1 if mark is not None else None, what)

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:  # the anchor is still being composed: a self-referencing alias
                raise self._refuse("recursive alias (an anchor used inside itself)", mark)
            self._alias_nodes += size
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise self._refuse(
                    f"aliases expand to over {MAX_ALIAS_NODES:,} values (an alias bomb?); "
                    "write the values out or use fewer nested anchors", mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._refuse(f"nested over {MAX_DEPTH} levels deep",
                               self.peek_event().start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = 1 + self._children_size(node)
        self._keep.append(node)
        return node

    def _children_size(self, node: Node) -> int:
        if isinstance(node, SequenceNode):
            return sum(self._sizes[id(c)] for c in node.value)
        if isinstance(node, MappingNode):
            return sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        return 0


def _loader(stream: str | bytes | IO[str], name: str) -> BudgetLoader:
    return BudgetLoader(stream, name)


def safe_load(stream: str | bytes | IO[str], name: str | Path = "") -> Any:
    """``yaml.safe_load`` under the alias and nesting budget.

    Raises
    ------
    YamlBudgetError
        Over budget; the message names ``name`` and the line (a ``yaml.YAMLError``).
    yaml.YAMLError
        Any other YAML problem.
    """
    loader = _loader(stream, str(name))
    try:
        return loader.get_single_data()
    except RecursionError:  # a deep flow sequence fails in the parser, before composition
        raise YamlBudgetError(str(name), None, "nested too deeply to read") from None
    finally:
        loader.dispose()


def compose(stream: str | bytes | IO[str], name: str | Path = "") -> Node | None:
    """``yaml.compose`` under the same budget (for readers that need node line numbers)."""
    loader = _loader(stream, str(name))
    try:
        return loader.get_single_node()
    except RecursionError:
        raise YamlBudgetError(str(name), None, "nested too deeply to read") from None
    finally:
        loader.dispose()
