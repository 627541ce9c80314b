"""Problems found in a loan tape, located the way the user sees them.

Every problem is an :class:`Issue` naming the file, the sheet (or table), the row number as shown
in a spreadsheet (header = row 1, first data row = 2; for YAML the line of the list item), the
column, the offending value and what was expected. Readers and the validator collect all issues
and raise them together as one :class:`TapeError`; warnings never block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from cliffwatch.shown import shown

Severity = Literal["error", "warning"]

_VALUE_WIDTH = 40  # characters of an offending value shown in a message


@dataclass(frozen=True)
class Issue:
    """One located problem of a tape.

    Attributes
    ----------
    file : str
        File the value came from ("" when built in memory).
    sheet : str
        Sheet, CSV/Parquet file stem or YAML table name.
    row : int | None
        Row as the user sees it (spreadsheet row, or YAML line); ``None`` for the whole table.
    column : str
        Column name ("" when the problem concerns the whole row or file).
    value : Any
        The offending value as read.
    expected : str
        What was expected, in words an analyst can act on.
    severity : {"error", "warning"}
    row_word : str
        "row" for spreadsheets and CSV, "line" for YAML.
    """

    file: str
    sheet: str
    row: int | None
    column: str
    value: Any
    expected: str
    severity: Severity = "error"
    row_word: str = "row"

    def location(self) -> str:
        """``file, sheet 'facilities', row 7, column 'spread_bp'`` style location."""
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{self.row_word} {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) or "tape"

    def value_text(self) -> str:
        """The value shortened for display."""
        if self.value is None:
            text = ""
        elif isinstance(self.value, (date, datetime)):
            text = self.value.isoformat()
        else:
            text = shown(self.value, _VALUE_WIDTH)
        return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 3] + "..."

    def __str__(self) -> str:
        shown = f" (got {self.value_text()})" if self.value is not None else ""
        return f"{self.severity}: {self.location()}: {self.expected}{shown}"


class TapeError(Exception):
    """An invalid or unreadable tape; carries every blocking :class:`Issue` found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__(self.render())

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def render(self, limit: int | None = 50) -> str:
        """Plain-text table of the issues (the first ``limit`` of them)."""
        shown = self.issues if limit is None else self.issues[:limit]
        lines = [f"invalid loan tape: {len(self.errors)} error(s)"]
        lines += [f"  {issue}" for issue in shown]
        if len(shown) < len(self.issues):
            lines.append(f"  ... and {len(self.issues) - len(shown)} more")
        return "\n".join(lines)


def file_issue(file: str, expected: str, value: Any = None) -> TapeError:
    """A TapeError about a whole file (unreadable, wrong format, too large)."""
    return TapeError([Issue(file, "", None, "", value, expected)])
