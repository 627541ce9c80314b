"""Write a portfolio in any tape format; every format reads back to an identical portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from cliffwatch.tape.csv_format import write_csv_folder, write_csv_zip
from cliffwatch.tape.parquet_format import write_parquet_folder
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.xlsx_format import write_xlsx
from cliffwatch.tape.yaml_format import dump_yaml

TapeFormat = Literal["yaml", "xlsx", "csv", "zip", "parquet"]
FORMATS: tuple[str, ...] = ("yaml", "xlsx", "csv", "zip", "parquet")
_BY_SUFFIX: dict[str, TapeFormat] = {
    ".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".zip": "zip",
}


def infer_format(path: Path) -> TapeFormat:
    """Format implied by a path: by suffix; a suffix-less path is a CSV folder."""
    return _BY_SUFFIX.get(path.suffix.lower(), "csv")


def write_tape(portfolio: Portfolio, path: str | Path, format: TapeFormat | None = None) -> Path:
    """Write ``portfolio`` to ``path``.

    Parameters
    ----------
    portfolio : Portfolio
    path : str or Path
        A file (``yaml``, ``xlsx``, ``zip`` of CSVs) or a folder (``csv``, ``parquet``).
    format : {"yaml", "xlsx", "csv", "zip", "parquet"}, optional
        Default: inferred from the suffix (a suffix-less path is a CSV folder).

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    fmt = format or infer_format(target)
    if fmt == "yaml":
        target.write_text(dump_yaml(portfolio), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(portfolio, target)
    elif fmt == "zip":
        write_csv_zip(portfolio, target)
    elif fmt == "csv":
        write_csv_folder(portfolio, target)
    elif fmt == "parquet":
        write_parquet_folder(portfolio, target)
    else:
        raise ValueError(f"unknown tape format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return target
