"""A small valid tape exercising every table and most columns, built in code."""

from __future__ import annotations

import copy
from typing import Any

import yaml

SMALL_TAPE: dict[str, Any] = {
    "as_of": "2026-06-30",
    "currency": "USD",
    "name": "test book",
    "borrowers": [
        {"id": "NEO", "name": "Neocloud Parent", "archetype": "neocloud", "rating": "B+",
         "opening_cash_usd": 1.5e9, "ticker": "NEOC"},
        {"id": "SPV1", "name": "GPU SPV", "archetype": "gpu_spv", "rating": "BBB-",
         "opening_cash_usd": 5.0e7, "parent_id": "NEO"},
        {"id": "DEV", "name": "Campus Developer", "archetype": "dc_developer", "rating": "NR",
         "opening_cash_usd": 2.0e8},
        {"id": "SW", "name": "Seat SaaS Co", "archetype": "software", "rating": "B",
         "opening_cash_usd": 6.0e7},
    ],
    "counterparties": [
        {"id": "HYP", "name": "Hyperscaler", "archetype": "hyperscaler", "rating": "Aa2",
         "ticker": "HYPR"},
        {"id": "LAB", "name": "AI Lab", "archetype": "ai_lab", "rating": "BB"},
    ],
    "assets": [
        {"id": "GPU-A", "borrower_id": "SPV1", "kind": "gpu_fleet", "gpu_generation": "H100",
         "units": 16000, "unit_cost_usd": 30000.0, "in_service_date": "2025-03-01",
         "contracted_share": 0.85, "contract_price_usd_per_gpu_hour": 2.1,
         "contract_end_date": "2030-02-28", "counterparty_id": "HYP",
         "opex_usd_per_gpu_hour": 0.25, "rvg_guarantor_id": "NEO", "rvg_amount_usd": 5.0e7},
        {"id": "GPU-B", "borrower_id": "NEO", "kind": "gpu_fleet", "gpu_generation": "B200",
         "units": 8000, "unit_cost_usd": 45000.0, "in_service_date": "2026-09-15",
         "opex_usd_per_gpu_hour": 0.3, "pue": 1.3, "power_kw_per_gpu": 1.8},
        {"id": "DC-1", "borrower_id": "DEV", "kind": "data_center", "capacity_mw": 200.0,
         "capex_remaining_usd": 1.2e9, "completion_date": "2027-12-31", "leased_mw": 180.0,
         "lease_rate_usd_per_kw_month": 175.0, "escalator_pct": 2.5,
         "lease_end_date": "2042-12-31", "tenant_id": "LAB", "backstop_id": "HYP",
         "opex_ratio": 0.12, "cap_rate_pct": 6.25},
        {"id": "SW-1", "borrower_id": "SW", "kind": "software_business", "arr_usd": 4.0e8,
         "arr_growth_pct": 12.0, "gross_margin_pct": 78.0, "ebitda_margin_pct": 22.0,
         "net_revenue_retention_pct": 96.0, "pricing_model": "per_seat",
         "workflow_criticality": "medium", "top_customer_share": 0.1, "ev_to_arr": 6.5},
    ],
    "facilities": [
        {"id": "NEO-SUN", "borrower_id": "NEO", "kind": "bond", "structure": "hy_bond",
         "rank": 2, "commitment_usd": 2.0e9, "coupon_pct": 9.25, "maturity_date": "2030-06-01",
         "start_date": "2025-05-27"},
        {"id": "NEO-RCF", "borrower_id": "NEO", "kind": "revolver", "commitment_usd": 1.5e9,
         "drawn_usd": 4.5e8, "spread_bp": 275, "undrawn_fee_bp": 50, "sofr_floor_pct": 0.5,
         "maturity_date": "2027-06-30", "min_dscr": 1.1, "covenant_action": "event_of_default",
         "pay_frequency": "quarterly"},
        {"id": "NEO-OEM", "borrower_id": "NEO", "kind": "vendor_financing", "rank": 1,
         "commitment_usd": 1.0e9, "coupon_pct": 9.5, "amortization": "straight_line",
         "maturity_date": "2028-06-30", "collateral": ["GPU-B"], "secured": True,
         "day_count": "ACT/365F"},
        {"id": "SPV-DDTL", "borrower_id": "SPV1", "kind": "ddtl", "commitment_usd": 4.0e8,
         "drawn_usd": 2.5e8, "spread_bp": 225, "sofr_cap_pct": 6.0,
         "amortization": "io:12/annuity", "amort_term_months": 60,
         "start_date": "2026-01-15", "maturity_date": "2031-01-15",
         "availability_end_date": "2027-01-15", "collateral": "GPU-A", "min_dscr": 1.2,
         "max_ltv": 0.8, "covenant_action": "cash_trap", "trap_dscr": 1.3, "eom": True,
         "access_spread_bp": 900, "extension_months": 12, "extension_fee_bp": 25,
         "extension_max_ltv": 0.7},
        {"id": "DEV-ABS", "borrower_id": "DEV", "kind": "abs", "structure": "dc_abs",
         "commitment_usd": 8.0e8, "coupon_pct": 5.6, "maturity_date": "2056-06-30",
         "ard_date": "2031-06-30", "legal_final_date": "2056-06-30", "step_up_bp": 250,
         "collateral": "DC-1", "trap_dscr": 1.35, "amortization": "sweep"},
        {"id": "DEV-CON", "borrower_id": "DEV", "kind": "construction_loan", "rank": 2,
         "commitment_usd": 1.0e9, "drawn_usd": 2.0e8, "spread_bp": 250,
         "maturity_date": "2029-06-30", "availability_end_date": "2027-12-31",
         "refi_amort_months": 300, "refi_min_dscr": 1.3, "refi_max_ltv": 0.6,
         "refi_min_debt_yield_pct": 9.0},
        {"id": "DEV-TL", "borrower_id": "DEV", "kind": "term_loan", "rank": 3,
         "commitment_usd": 1.0e8, "coupon_pct": 8.0, "amortization": "custom",
         "maturity_date": "2028-06-30", "pay_frequency": "semiannual"},
        {"id": "SW-UT", "borrower_id": "SW", "kind": "term_loan", "structure": "recurring_revenue",
         "commitment_usd": 9.0e8, "spread_bp": 575, "sofr_floor_pct": 0.75,
         "maturity_date": "2031-09-30", "collateral": "SW-1", "max_arr_leverage": 2.5,
         "covenant_conversion_date": "2028-06-30", "max_leverage": 7.5, "pik_share": 0.5,
         "pik_margin_bp": 50},
        {"id": "SW-2L", "borrower_id": "SW", "kind": "term_loan", "structure": "second_lien",
         "rank": 2, "commitment_usd": 3.0e8, "spread_bp": 850, "maturity_date": "2032-03-31",
         "pik_share": 1.0},
    ],
    "draws": [
        {"facility_id": "SPV-DDTL", "date": "2026-09-30", "amount_usd": 1.0e8},
        {"facility_id": "SPV-DDTL", "date": "2026-12-31", "amount_usd": 5.0e7},
        {"facility_id": "DEV-CON", "date": "2026-12-31", "amount_usd": 4.0e8},
        {"facility_id": "DEV-CON", "date": "2027-06-30", "amount_usd": 4.0e8},
    ],
    "amortization_schedule": [
        {"facility_id": "DEV-TL", "date": "2027-06-30", "principal_usd": 2.5e7},
        {"facility_id": "DEV-TL", "date": "2027-12-31", "principal_usd": 2.5e7},
        {"facility_id": "DEV-TL", "date": "2028-06-30", "principal_usd": 5.0e7},
    ],
    "lenders": [
        {"id": "BANK", "name": "Big Bank", "type": "bank"},
        {"id": "PC", "name": "Private Credit Fund", "type": "private_credit"},
        {"id": "INS", "name": "Insurer", "type": "insurer"},
        {"id": "BDC", "name": "Middle-Market BDC", "type": "bdc"},
    ],
    "holdings": [
        {"facility_id": "NEO-RCF", "lender_id": "BANK", "share": 1.0},
        {"facility_id": "SPV-DDTL", "lender_id": "BANK", "share": 0.6},
        {"facility_id": "SPV-DDTL", "lender_id": "INS", "share": 0.4},
        {"facility_id": "DEV-ABS", "lender_id": "INS", "share": 0.7},
        {"facility_id": "DEV-CON", "lender_id": "BANK", "share": 0.5},
        {"facility_id": "DEV-CON", "lender_id": "PC", "share": 0.5},
        {"facility_id": "NEO-SUN", "lender_id": "PC", "share": 0.2},
        {"facility_id": "NEO-OEM", "lender_id": "PC", "share": 1.0},
        {"facility_id": "DEV-TL", "lender_id": "PC", "share": 1.0},
        {"facility_id": "SW-UT", "lender_id": "PC", "share": 0.6},
        {"facility_id": "SW-UT", "lender_id": "BDC", "share": 0.4},
        {"facility_id": "SW-2L", "lender_id": "BDC", "share": 1.0},
    ],
}


def small_tape() -> dict[str, Any]:
    """A fresh deep copy of the small tape (tests mutate it to build malformed tapes)."""
    return copy.deepcopy(SMALL_TAPE)


def yaml_text(tape: dict[str, Any]) -> str:
    """The tape as YAML text."""
    return yaml.safe_dump(tape, sort_keys=False)


def write_raw_csv(tape: dict[str, Any], folder: Any) -> Any:
    """Write a (possibly malformed) tape dict as a CSV folder, cells as given."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    info = {k: v for k, v in tape.items() if not isinstance(v, list)}
    tables = {"tape": [info]} | {k: v for k, v in tape.items() if isinstance(v, list)}
    for name, rows in tables.items():
        header = list(dict.fromkeys(k for row in rows for k in row))
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row.get(k)) for k in header])
    return folder


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def raw_tables(tape: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Header and rows of every table of a (possibly malformed) tape dict, cells as given."""
    info = {k: v for k, v in tape.items() if not isinstance(v, list)}
    tables = {"tape": [info]} | {k: v for k, v in tape.items() if isinstance(v, list)}
    out = {}
    for name, rows in tables.items():
        header = list(dict.fromkeys(k for row in rows for k in row))
        out[name] = (header, [[row.get(k) for k in header] for row in rows])
    return out


def write_raw_xlsx(tape: dict[str, Any], path: Any) -> Any:
    """Write a (possibly malformed) tape dict as a workbook, cells as given."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (header, rows) in raw_tables(tape).items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([";".join(v) if isinstance(v, list) else v for v in row])
    book.save(path)
    return path


def write_raw_parquet(tape: dict[str, Any], folder: Any) -> Any:
    """Write a (possibly malformed) tape dict as Parquet files; mixed columns become text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in raw_tables(tape).items():
        arrays = []
        for i in range(len(header)):
            values = [";".join(r[i]) if isinstance(r[i], list) else r[i] for r in rows]
            try:
                arrays.append(pa.array(values))
            except (pa.ArrowException, OverflowError):
                arrays.append(pa.array([None if v is None else str(v) for v in values]))
        pq.write_table(pa.Table.from_arrays(arrays, names=header), folder / f"{name}.parquet")
    return folder
