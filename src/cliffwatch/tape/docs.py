"""Generate ``docs/TAPE.md``, the column reference of the loan tape, from the schema.

The committed file is compared with :func:`column_reference` by a test, so the reference cannot
drift from the code. Regenerate with ``python -m cliffwatch.tape.docs docs/TAPE.md``.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from cliffwatch.tape import columns as column_doc
from cliffwatch.tape import defaults as d
from cliffwatch.tape import vulnerability as vuln
from cliffwatch.tape.columns import CHOICES_KEY, REQUIRED_FOR_KEY, UNIT_KEY
from cliffwatch.tape.schema import REQUIRED_TABLES, TABLE_MODELS
from cliffwatch.tape.tabular import cell_type

VULNERABILITY_FORMULA = (
    "`v = pricing + criticality + concentration_weight * top_customer_share + "
    "retention_weight * max(1 - NRR, 0)`,"
)


def _weights(table: dict[str, float]) -> str:
    return ", ".join(f"`{name}` {value:+g}" for name, value in table.items())


INTRO = f"""# Loan tape column reference

Generated from `cliffwatch.tape.schema` by `python -m cliffwatch.tape.docs docs/TAPE.md`; a test
keeps this file identical to the code. Do not edit by hand.

## Formats

A tape is a set of tables: {", ".join(f"`{t}`" for t in TABLE_MODELS)}.
Tables {", ".join(f"`{t}`" for t in REQUIRED_TABLES)} are required; the others may be absent.

| format | layout |
|---|---|
| YAML | one document: `as_of`, `currency`, `name` on top, then one list of rows per table |
| XLSX | one workbook, one sheet per table (sheet name = table name), header in row 1 |
| CSV | a folder, or a `.zip`, of `<table>.csv` files (UTF-8; `,`, `;` or tab separated) |
| Parquet | a folder of `<table>.parquet` files |

An XLSX sheet named `README` (the column reference that `cliffwatch template` writes) and the
hidden `_lists` sheet behind its dropdowns are skipped. The format is recognised from the
content (zip, workbook and Parquet signatures), not only the extension. Table, sheet and
column names are case-insensitive and trimmed.
Columns whose name starts with `_` are notes and are ignored; any other unknown column is an
error naming the closest known columns (typos in optional columns would otherwise be silently
dropped). Files over
{d.MAX_TAPE_BYTES // 2**20} MB are refused unread.

## Units

{inspect.cleandoc(column_doc.__doc__ or "").split(chr(10) + chr(10), 1)[1]}

## As typed in a spreadsheet

Cells are read the way an analyst types them, where the column's unit leaves no doubt, and
every conversion is listed as a warning (`converted 12 cells (percent sign), e.g. '7.5%' read
as 7.5`):

| typed | `_pct` column | `_bp` column | decimal share | money, counts, multiples |
|---|---|---|---|---|
| a cell formatted as % showing 7.5% (Excel stores 0.075) | 7.5 | 750 | 0.075 | 0.075 |
| `7.5%` | 7.5 | 750 | 0.075 | refused |
| `300bp`, `300 bps` | 3 | 300 | refused | refused |
| `S+450`, `SOFR + 450` | refused | 450 in `spread_bp` only | refused | refused |
| `250,000,000`, `$250,000,000` | 250000000 (thousands in groups of three) | same | same | same |

Dates: `2027-12-31`, date cells, `2027/12/31`, `31/12/2027` and `12/31/2027` (the reading in
which both numbers fit; `01/12/2027` is refused naming both readings), `31.12.2027` (day
first), `December 31, 2027`, `Dec 31, 2027`, `31 Dec 2027`, `31-Dec-2027`, and `Dec-2027` (the
first day of the month, as Excel stores it). A CSV written with decimal commas (`7,5`) is
refused in one message; title rows typed above the header are skipped with a warning; a
formula saved without its result (workbooks written by programs that do not calculate) is
named as such. The template's enumeration columns carry dropdowns.

Inside the engine every rate is a decimal per year (`coupon_pct: 9.25` becomes 0.0925,
`spread_bp: 450` becomes 0.045) and every date a month offset from the valuation month.

## Ragged fields

* `collateral` (facilities): the asset ids in one cell, separated by `;` (a list in YAML).
* Draw schedules: table `draws`, one row per facility and draw date.
* Custom principal schedules (`amortization: custom`): table `amortization_schedule`, one row per
  facility and payment date.

## Amortization grammar

`bullet` (all at maturity), `annuity` (level payment over `amort_term_months`; a term longer than
the life leaves a balloon), `straight_line` (equal principal over `amort_term_months`), `sweep`
(excess cash repays principal), `custom` (the `amortization_schedule` rows), `io:N/annuity`
(N interest-only months from the start, then a level payment).

## Software borrowers

The software side of the AI theme (borrowers of archetype `software`, or owning a
`software_business` asset) uses these columns:

* `assets` of kind `software_business`: `arr_usd`, `gross_margin_pct`, `ebitda_margin_pct`
  (may be negative, at most the gross margin) and `ev_to_arr` are required; `arr_growth_pct`,
  `net_revenue_retention_pct`, `top_customer_share` are optional; `pricing_model` and
  `workflow_criticality` are required unless `vulnerability` is given.
* Vulnerability (exposure of ARR to software budgets reallocated to AI), clipped to [0, 1]:
  {VULNERABILITY_FORMULA}
  with [estimate] weights: pricing model {_weights(vuln.PRICING_BASE)}; workflow criticality
  {_weights(vuln.CRITICALITY_SHIFT)}; {vuln.CONCENTRATION_WEIGHT:g} per unit of
  `top_customer_share`; {vuln.RETENTION_WEIGHT:g} per unit of net revenue retention below 100%.
  An explicit `vulnerability` overrides the formula.
* Software loans are `term_loan` facilities with a `structure` label: `unitranche`,
  `first_lien`, `second_lien` or `recurring_revenue` (a loan sized on ARR).
  `max_arr_leverage` (debt / ARR; only on borrowers owning a software business) is tested until
  `covenant_conversion_date` (which needs it), `max_leverage` (debt / annualised EBITDA) from
  then on, or always when there is no ARR covenant. Any covenant makes `covenant_action` default
  to `event_of_default`.
* PIK toggle: when cash falls short, `pik_share` of the interest is paid in kind (added to the
  balance), with `pik_margin_bp` charged extra on it; `pik_margin_bp` needs a `pik_share`.

## Problems

Every problem names the file, the sheet, the row as the spreadsheet shows it (header = row 1,
first data row = row 2; the line of the list item in YAML), the column, the value and what was
expected. All problems are reported together; warnings (e.g. a facility no lender holds) do not
block a run.
"""


def _default(info: FieldInfo) -> str:
    extra: dict[str, Any] = info.json_schema_extra or {}  # type: ignore[assignment]
    if info.default is PydanticUndefined:
        return "**required**"
    if extra.get(REQUIRED_FOR_KEY):
        return f"required for `{extra[REQUIRED_FOR_KEY]}`"
    if info.default is None or info.default == []:
        return "empty"
    return f"`{info.default}`"


def _bounds(info: FieldInfo) -> str:
    parts = []
    for item in info.metadata:
        for attr, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(item, attr, None)
            if value is not None:
                parts.append(f"{sign} {value:g}")
    return ", ".join(parts)


def column_rows(name: str) -> list[tuple[str, str, str, str, str, str]]:
    """(column, type, unit, required/default, allowed, description) of each column of a table,
    as plain text (markdown backticks and bold removed by the caller if needed)."""
    model = TABLE_MODELS[name]
    out: list[tuple[str, str, str, str, str, str]] = []
    for column, info in model.model_fields.items():
        extra: dict[str, Any] = info.json_schema_extra or {}  # type: ignore[assignment]
        allowed = ", ".join(f"`{c}`" for c in extra.get(CHOICES_KEY, [])) or _bounds(info)
        out.append((column, cell_type(info), str(extra.get(UNIT_KEY, "")), _default(info),
                    allowed, info.description or ""))
    return out


def _table_section(name: str) -> list[str]:
    model = TABLE_MODELS[name]
    summary = inspect.cleandoc(model.__doc__ or "").split("\n\n")[0].replace("\n", " ")
    status = "required table" if name in REQUIRED_TABLES else "optional table"
    lines = [f"## `{name}`", "", f"{summary} ({status})", "",
             "| column | type | unit | required / default | allowed | description |",
             "|---|---|---|---|---|---|"]
    for column, kind, unit, default, allowed, description in column_rows(name):
        lines.append(f"| `{column}` | {kind} | {unit} | {default} | {allowed} "
                     f"| {description.replace('|', '/')} |")
    return [*lines, ""]


def yaml_example() -> str:
    """The template tape (``cliffwatch template``) as a YAML example section."""
    from cliffwatch.tape.template import template_portfolio
    from cliffwatch.tape.yaml_format import dump_yaml

    return ("## Example (YAML)\n\nThe tape `cliffwatch template t.yaml` writes; it loads and "
            f"validates.\n\n```yaml\n{dump_yaml(template_portfolio())}```\n")


def column_reference() -> str:
    """The full markdown text of ``docs/TAPE.md``."""
    parts = [INTRO, yaml_example()]
    for name in TABLE_MODELS:
        parts.append("\n".join(_table_section(name)))
    return "\n".join(parts)


def main(argv: list[str]) -> None:
    """Write the reference to the path given (default ``docs/TAPE.md``)."""
    target = Path(argv[0] if argv else "docs/TAPE.md")
    target.write_text(column_reference(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
