"""Time load + validate + compile of a synthetic 100,000-facility tape (Parquet folder).

Run: ``PYTHONPATH=src python benchmarks/bench_tape.py [n_facilities] [--format FORMAT]``
with FORMAT one of parquet, csv, xlsx, xlsx-percent (coupons as %-formatted cells, which makes
the reader look up number formats with openpyxl).
Prints the tape size and the seconds of each stage. The tape is random but seeded, and valid.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.load import check_tape

SEED = 20260630
AS_OF = date(2026, 6, 30)
FACILITIES_PER_BORROWER = 10
KINDS = np.array(["term_loan", "ddtl", "bond", "abs", "construction_loan", "revolver",
                  "vendor_financing", "lease"])
RATINGS = np.array(["BBB+", "BB", "B-", "CCC+", "A", "NR"])


def synthetic_tables(n_facilities: int, seed: int = SEED) -> dict[str, pa.Table]:
    """Valid random tables: borrowers with one GPU fleet each, facilities secured on it."""
    rng = np.random.default_rng(seed)
    nb = max(1, n_facilities // FACILITIES_PER_BORROWER)
    b_ids = np.array([f"B{i:06d}" for i in range(nb)])
    owner = rng.integers(0, nb, n_facilities)
    commitment = rng.uniform(1e7, 1e9, n_facilities).round(-3)
    fixed = rng.random(n_facilities) < 0.5
    months = rng.integers(6, 120, n_facilities)
    maturity = [(AS_OF + timedelta(days=int(30.5 * m))).isoformat() for m in months]
    lenders = 50
    return {
        "tape": pa.table({"as_of": [AS_OF], "currency": ["USD"]}),
        "borrowers": pa.table({
            "id": b_ids, "name": np.char.add("Borrower ", b_ids), "archetype": ["neocloud"] * nb,
            "rating": rng.choice(RATINGS, nb), "opening_cash_usd": rng.uniform(0, 1e8, nb),
        }),
        "assets": pa.table({
            "id": np.char.add("A", b_ids), "borrower_id": b_ids, "kind": ["gpu_fleet"] * nb,
            "gpu_generation": rng.choice(["H100", "H200", "B200"], nb),
            "units": rng.integers(100, 20_000, nb).astype(float),
            "unit_cost_usd": [30_000.0] * nb, "in_service_date": [date(2025, 1, 1)] * nb,
            "opex_usd_per_gpu_hour": [0.2] * nb,
        }),
        "facilities": pa.table({
            "id": [f"F{i:07d}" for i in range(n_facilities)], "borrower_id": b_ids[owner],
            "kind": rng.choice(KINDS, n_facilities), "rank": rng.integers(1, 4, n_facilities),
            "collateral": np.char.add("A", b_ids[owner]), "commitment_usd": commitment,
            "drawn_usd": (commitment * rng.uniform(0, 1, n_facilities)).round(-3),
            "coupon_pct": pa.array(np.where(fixed, rng.uniform(4, 12, n_facilities).round(3),
                                            np.nan), from_pandas=True),
            "spread_bp": pa.array(np.where(fixed, np.nan, rng.integers(150, 900, n_facilities)),
                                  from_pandas=True),
            "amortization": rng.choice(["bullet", "annuity", "io:12/annuity"], n_facilities),
            "amort_term_months": rng.integers(24, 240, n_facilities),
            "maturity_date": maturity, "min_dscr": rng.choice([1.1, 1.2, 1.3], n_facilities),
        }),
        "lenders": pa.table({"id": [f"L{i}" for i in range(lenders)],
                             "name": [f"Lender {i}" for i in range(lenders)],
                             "type": ["bank"] * lenders}),
        "holdings": pa.table({"facility_id": [f"F{i:07d}" for i in range(n_facilities)],
                              "lender_id": [f"L{i}" for i in rng.integers(0, lenders,
                                                                          n_facilities)],
                              "share": rng.uniform(0.1, 1.0, n_facilities).round(4)}),
    }


def write_xlsx(tables: dict[str, pa.Table], path: Path, percent: bool) -> None:
    """One sheet per table; ``percent``: coupon_pct as %-formatted cells (Excel stores 0.075)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    pct = book.add_format({"num_format": "0.00%"})
    for name, table in tables.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, table.column_names)
        for c, column in enumerate(table.column_names):
            values = table.column(column).to_pylist()
            scaled = percent and column == "coupon_pct"
            for r, v in enumerate(values, start=1):
                if v is None or v != v:
                    continue
                if scaled:
                    sheet.write_number(r, c, v / 100, pct)
                elif isinstance(v, date):
                    sheet.write_string(r, c, v.isoformat())
                else:
                    sheet.write(r, c, v)
    book.close()


def write(tables: dict[str, pa.Table], folder: Path, fmt: str) -> Path:
    """Write the tape as ``fmt``; return the path to load."""
    if fmt in ("xlsx", "xlsx-percent"):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "tape.xlsx"
        write_xlsx(tables, path, percent=fmt == "xlsx-percent")
        return path
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if fmt == "parquet":
            pq.write_table(table, folder / f"{name}.parquet")
        else:
            pacsv.write_csv(table, folder / f"{name}.csv")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--format", choices=["parquet", "csv", "xlsx", "xlsx-percent"],
                        default="parquet")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "tape"
        tape = write(synthetic_tables(args.n), folder, args.format)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        t0, c0 = time.perf_counter(), time.process_time()
        portfolio, issues = check_tape(tape)
        t1 = time.perf_counter()
        errors = [i for i in issues if i.severity == "error"]
        assert portfolio is not None and not errors, errors[:5]
        arrays = compile_portfolio(portfolio, check=False)
        t2, c2 = time.perf_counter(), time.process_time()
    print(f"{args.n:,} facilities, {arrays.n_borrowers:,} borrowers, {len(arrays.h_share):,} "
          f"holdings; {args.format} {size:.1f} MB")
    print(f"load+validate {t1 - t0:.2f} s, compile {t2 - t1:.2f} s, total {t2 - t0:.2f} s "
          f"wall ({c2 - c0:.2f} s CPU)")


if __name__ == "__main__":
    main()
