"""What a workbook says about a cell beyond its value: %-formats and formulas without results.

python-calamine reads values fast but exposes no number formats; openpyxl does, at a cost, so
it runs (read-only) only when the workbook can hold such cells: a percent number format in its
styles, or a formula in one of the tape sheets. Returns, per sheet, {sheet row: [(0-based
column, mark)]} as :func:`cliffwatch.tape.raw.table_from_records` takes it.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Final

from cliffwatch.tape.convert import FORMULA_WITHOUT_VALUE, PERCENT_FORMAT

Marks = dict[int, list[tuple[int, str]]]

_PERCENT_STYLE: Final = re.compile(rb'formatCode="[^"]*%|numFmtId="(9|10)"')
_FORMULA: Final = re.compile(rb"<f[ >/]")


def _may_hold_marks(data: bytes) -> bool:
    """Cheap test on the raw parts: any percent number format or any formula at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        styles = archive.read("xl/styles.xml") if "xl/styles.xml" in names else b""
        if _PERCENT_STYLE.search(styles):
            return True
        return any(_FORMULA.search(archive.read(n)) for n in names
                   if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def cell_marks(data: bytes, sheets: list[str]) -> dict[str, Marks]:
    """Marks of the cells of ``sheets`` (sheet names as in the workbook)."""
    if not sheets or not _may_hold_marks(data):
        return {}
    import openpyxl  # imported here: most workbooks never need it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {name: _sheet_marks(book[name]) for name in sheets if name in book.sheetnames}
    finally:
        book.close()


def _sheet_marks(sheet: object) -> Marks:
    marks: Marks = {}
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            kind = getattr(cell, "data_type", None)
            if kind == "f":
                mark = FORMULA_WITHOUT_VALUE
            elif kind == "n" and "%" in (cell.number_format or ""):
                mark = PERCENT_FORMAT
            else:
                continue
            marks.setdefault(cell.row, []).append((cell.column - 1, mark))
    return marks
