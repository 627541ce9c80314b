"""The tape as one XLSX workbook with a sheet per table.

Read with python-calamine (fast, no formulas evaluated: cached values are read), written with
xlsxwriter. Sheet names match table names case-insensitively; dates may be date cells or ISO
text; row numbers in issues are the workbook's own (header = row 1).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine as calamine
import xlsxwriter
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_col_to_name

from cliffwatch.tape.columns import CHOICES_KEY
from cliffwatch.tape.convert import FORMULA_WITHOUT_VALUE
from cliffwatch.tape.errors import file_issue
from cliffwatch.tape.raw import RawTape, normalize_name, table_from_records
from cliffwatch.tape.schema import TABLE_MODELS, Portfolio
from cliffwatch.tape.tabular import column_types, columns, portfolio_tables
from cliffwatch.tape.xlsx_cells import Marks, cell_marks

DATE_FORMAT = "yyyy-mm-dd"
README_SHEET = "README"
"""Sheet holding the column reference in templates; skipped when reading."""
LISTS_SHEET = "_lists"
"""Hidden sheet holding the allowed values behind the template's dropdowns; skipped when
reading."""
_SKIPPED_SHEETS = frozenset({README_SHEET.lower(), LISTS_SHEET})
_COLUMN_WIDTH = 16  # characters; wide enough for ids, dates and amounts


def read_xlsx(path: Path, data: bytes) -> RawTape:
    """Read every tape sheet of an XLSX workbook (other sheets are listed as ignored)."""
    file = str(path)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        raw = RawTape(file)
        tape_sheets = [s for s in book.sheet_names if normalize_name(s) in TABLE_MODELS]
        marks = cell_marks(data, tape_sheets)
        for sheet in book.sheet_names:
            table = normalize_name(sheet)
            if table in _SKIPPED_SHEETS:
                continue
            if table not in TABLE_MODELS:
                raw.ignored.append(sheet)
                continue
            cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            if cells:
                found = _unresolved_formulas(marks.get(sheet, {}), cells)
                raw.tables[table] = table_from_records(table, cells[0], cells[1:], file, sheet,
                                                       found)
    except calamine.PasswordError:
        raise file_issue(file, "an unencrypted workbook (remove the password)") from None
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise file_issue(file, f"a readable .xlsx workbook ({type(exc).__name__})") from None
    except Exception as exc:  # calamine raises its own, unexported, errors on corrupt parts
        raise file_issue(file, f"a readable .xlsx workbook ({type(exc).__name__})") from None
    return raw


def _unresolved_formulas(marks: Marks, cells: list[list[Any]]) -> Marks:
    """Keep formula marks only where calamine found no saved result (an empty cell)."""
    out: Marks = {}
    for row, found in marks.items():
        values = cells[row - 1] if row - 1 < len(cells) else []
        kept = [(c, m) for c, m in found if m != FORMULA_WITHOUT_VALUE
                or c >= len(values) or values[c] in ("", None)]
        if kept:
            out[row] = kept
    return out


class ExactNumberWorksheet(xlsxwriter.worksheet.Worksheet):  # type: ignore[misc]
    """A worksheet writing numbers with their shortest round-trip repr.

    xlsxwriter (and openpyxl) format numbers with 16 significant digits, which changes the last
    bit of some doubles (1443303308.4231327 is written 1443303308.423133); a tape must read
    back bit-identical, so the one number-element writer is overridden (xlsxwriter is pinned;
    the round-trip property test guards this override).
    """

    def _xml_number_element(self, number: float, attributes: Any = ()) -> None:
        attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
        text = repr(float(number)).upper().replace("E+", "E")
        self.fh.write(f"<c{attr}><v>{text}</v></c>")


def write_xlsx(portfolio: Portfolio, path: Path, *, reference: bool = False) -> None:
    """Write ``portfolio`` as a workbook with a sheet per table (header in row 1).

    ``reference=True`` adds a ``README`` sheet with every table's column reference.
    """
    book = xlsxwriter.Workbook(str(path))
    try:
        date_format = book.add_format({"num_format": DATE_FORMAT})
        header_format = book.add_format({"bold": True})
        for table, rows in portfolio_tables(portfolio).items():
            sheet = book.add_worksheet(table, worksheet_class=ExactNumberWorksheet)
            names = columns(table)
            types = column_types(table)
            sheet.write_row(0, 0, names, header_format)
            sheet.set_column(0, len(names) - 1, _COLUMN_WIDTH)
            sheet.freeze_panes(1, 0)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    _write_cell(sheet, r, c, value, types[names[c]], date_format)
        if reference:
            _write_reference(book.add_worksheet(README_SHEET), header_format)
            _add_dropdowns(book, portfolio)
    finally:
        book.close()


DROPDOWN_ROWS = 1000
"""Rows below the header that carry the enumeration dropdowns (at least the rows written)."""


def enumerations(table: str) -> dict[str, list[str]]:
    """Allowed values of every enumeration column of ``table`` (booleans as true/false)."""
    out: dict[str, list[str]] = {}
    types = column_types(table)
    for name, info in TABLE_MODELS[table].model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        allowed = list(extra.get(CHOICES_KEY) or [])  # type: ignore[arg-type]
        if allowed:
            out[name] = [str(v) for v in allowed]
        elif types[name] == "boolean":
            out[name] = ["true", "false"]
    return out


def _add_dropdowns(book: xlsxwriter.Workbook, portfolio: Portfolio) -> None:
    """A list validation on every enumeration column, fed from a hidden sheet (in-cell lists
    are limited to 255 characters; the archetype list is longer)."""
    lists = book.add_worksheet(LISTS_SHEET)
    lists.hide()
    column = 0
    for table, rows in portfolio_tables(portfolio).items():
        sheet = book.get_worksheet_by_name(table)
        names = columns(table)
        last = max(DROPDOWN_ROWS, len(rows) + DROPDOWN_ROWS // 10)
        for name, allowed in enumerations(table).items():
            lists.write_string(0, column, f"{table}.{name}")
            for r, value in enumerate(allowed, start=1):
                lists.write_string(r, column, value)
            letter = xl_col_to_name(column)
            c = names.index(name)
            sheet.data_validation(1, c, last, c, {
                "validate": "list",
                "source": f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(allowed) + 1}",
                "error_title": name,
                "error_message": f"{name}: one of {', '.join(allowed)}"[:255],
            })
            column += 1


def _write_cell(sheet: Any, r: int, c: int, value: Any, kind: str, date_format: Any) -> None:
    if value is None:
        return
    if kind == "date" and isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    else:  # text stays text: an id like "101" or "1e5" must not become a number
        sheet.write_string(r, c, str(value))


def _write_reference(sheet: Any, header_format: Any) -> None:
    from cliffwatch.tape.docs import column_rows

    headings = ["table", "column", "type", "unit", "required / default", "allowed",
                "description"]
    sheet.write_row(0, 0, headings, header_format)
    sheet.set_column(0, 5, _COLUMN_WIDTH)
    sheet.set_column(6, 6, 3 * _COLUMN_WIDTH)
    r = 1
    for table in TABLE_MODELS:
        for values in column_rows(table):
            cells = [table, *(v.replace("`", "").replace("**", "") for v in values)]
            for c, text in enumerate(cells):
                sheet.write_string(r, c, text)
            r += 1
