"""The report layer: the credit-committee HTML report, the Excel workbook, run comparison."""

from cliffwatch.report.compare import RunComparison, compare_runs
from cliffwatch.report.html import build_html, write_html
from cliffwatch.report.workbook import write_workbook

__all__ = ["RunComparison", "build_html", "compare_runs", "write_html", "write_workbook"]
