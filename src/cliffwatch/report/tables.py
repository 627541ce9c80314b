"""HTML tables for the report: every cell escaped, numbers formatted by column kind."""

from __future__ import annotations

from html import escape

import pandas as pd

from cliffwatch.report.columns import ColumnKind, column_kind
from cliffwatch.report.format import fmt_value
from cliffwatch.report.labels import COLUMN_LABELS

NUMERIC_KINDS = frozenset({"usd", "pct", "bp", "int", "num"})
"""Kinds right-aligned in tables."""


def html_table(df: pd.DataFrame, table: str = "", *, kinds: dict[str, ColumnKind] | None = None,
               labels: dict[str, str] | None = None, max_rows: int | None = None) -> str:
    """``df`` as an escaped HTML table.

    Parameters
    ----------
    df : DataFrame
        Rows to show.
    table : str
        Result table the columns belong to (sets each column's kind); see ``kinds``.
    kinds : dict, optional
        Column kinds overriding those of ``table``.
    labels : dict, optional
        Header labels by column name (default: :data:`COLUMN_LABELS`, else the name).
    max_rows : int, optional
        Show at most this many rows and say how many were left out.
    """
    if df.empty:
        return '<p class="empty">No rows in this run.</p>'
    kinds = {c: (kinds or {}).get(c, column_kind(table, c)) for c in df.columns}
    labels = {**COLUMN_LABELS, **(labels or {})}
    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(f'<th class="{_cls(kinds[c])}">{escape(labels.get(c, str(c)))}</th>'
                   for c in df.columns)
    body = "\n".join(
        "<tr>" + "".join(f'<td class="{_cls(kinds[c])}">{escape(fmt_value(v, kinds[c]))}</td>'
                         for c, v in zip(df.columns, row, strict=True)) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    note = ""
    if len(shown) < len(df):
        note = (f'<p class="note">Showing {len(shown):,} of {len(df):,} rows; the workbook '
                "and the store hold them all.</p>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>\n{body}\n'
            f"</tbody></table></div>{note}")


def _cls(kind: ColumnKind) -> str:
    return "num" if kind in NUMERIC_KINDS else "text"
