"""Property: any valid cell values survive a write/read round trip in every format."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.write import write_tape

from .fixtures import small_tape

# printable text without the list separator; leading/trailing spaces are trimmed on read
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
    max_size=20,
).map(str.strip).filter(lambda s: s != "" and ";" not in s)
RATE = st.floats(0, 30, allow_nan=False, allow_infinity=False)
MONEY = st.floats(1.0, 1e12, allow_nan=False, allow_infinity=False)
MATURITY = st.dates(date(2026, 7, 1), date(2099, 12, 31))
SHARE = st.floats(0, 1, allow_nan=False)
ASSET_KEYS = {"arr_usd", "arr_growth_pct", "ebitda_margin_pct", "vulnerability",
              "pricing_model", "top_customer_share", "net_revenue_retention_pct", "ev_to_arr"}
SOFTWARE = st.fixed_dictionaries({
    "arr_usd": MONEY, "arr_growth_pct": st.floats(-99, 300), "ebitda_margin_pct":
    st.floats(-200, 78), "vulnerability": st.none() | SHARE, "pricing_model": st.sampled_from(
        ["per_seat", "usage", "platform", "Per Seat"]), "top_customer_share": st.none() | SHARE,
    "net_revenue_retention_pct": st.none() | st.floats(0, 300), "ev_to_arr": st.floats(0.1, 100),
    "max_arr_leverage": st.floats(0.01, 50), "max_leverage": st.none() | st.floats(0.01, 50),
    "covenant_conversion_date": st.none() | MATURITY.map(date.isoformat),
    "pik_share": SHARE.filter(lambda x: x > 0), "pik_margin_bp": st.none() | st.floats(0, 1000),
})
"""Values of the software asset and recurring-revenue loan of the small tape."""


@settings(max_examples=25, deadline=None)
@given(name=TEXT, facility_id=TEXT, coupon=RATE, commitment=MONEY, maturity=MATURITY,
       share=st.floats(0.001, 1.0), ticker=st.none() | TEXT, fmt=st.sampled_from(
           ["yaml", "xlsx", "csv", "zip", "parquet"]), software=SOFTWARE)
def test_values_round_trip(name: str, facility_id: str, coupon: float, commitment: float,
                           maturity: date, share: float, ticker: str | None, fmt: str,
                           software: dict[str, Any]) -> None:
    from cliffwatch.tape.load import load_tape

    tape: dict[str, Any] = small_tape()
    sw_asset = next(a for a in tape["assets"] if a["kind"] == "software_business")
    sw_loan = next(f for f in tape["facilities"] if f["id"] == "SW-UT")
    sw_asset.update({k: v for k, v in software.items() if k in ASSET_KEYS})
    sw_loan.update({k: v for k, v in software.items() if k not in ASSET_KEYS})
    tape["borrowers"][0]["name"] = name
    tape["borrowers"][0]["ticker"] = ticker
    bond = tape["facilities"][0]
    bond.update(id=facility_id, coupon_pct=coupon, commitment_usd=commitment,
                maturity_date=maturity.isoformat())
    holding = tape["holdings"][6]
    holding.update(facility_id=facility_id, share=share)
    if facility_id in {f["id"] for f in tape["facilities"][1:]}:
        return  # a duplicate id is a different (invalid) tape
    info = {k: tape.pop(k) for k in ("as_of", "currency", "name")}
    original = Portfolio.model_validate({"info": info, **tape})
    with tempfile.TemporaryDirectory() as tmp:
        path = write_tape(original, Path(tmp) / f"t.{fmt}", fmt)  # type: ignore[arg-type]
        back = load_tape(path)
    assert back.model_dump() == original.model_dump()
    assert compile_portfolio(back).equals(compile_portfolio(original))
