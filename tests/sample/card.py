"""Read the tables of the sample's data card (Markdown pipe tables under ``##`` headings)."""

from __future__ import annotations

import re
from pathlib import Path

_CODE = re.compile(r"`([^`]+)`")


def card_table(path: Path, heading: str) -> list[dict[str, str]]:
    """Rows of the first pipe table under ``## <heading>``, keyed by the header cells.

    Backticks around a cell (``` `NEO-RCF` ```) are removed.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"## {heading}")
    rows: list[list[str]] = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([_CODE.sub(r"\1", c.strip()) for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    header, _rule, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def stated_total_usd_m(path: Path) -> float:
    """The 'Total commitment: USD <n>m' figure the card states."""
    match = re.search(r"Total commitment: USD ([\d,]+)m", path.read_text(encoding="utf-8"))
    assert match is not None, "the card states no total commitment"
    return float(match.group(1).replace(",", ""))
