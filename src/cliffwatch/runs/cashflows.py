"""Cash-flow vectors: per facility and scenario, the monthly interest, principal, draws, losses
and recoveries across Monte Carlo paths (mean and percentiles), as structured-finance tools
give them.

Built from the engine's own month-by-month trace (:func:`cliffwatch.engine.run.trace`, one
path at a time) and its per-path summary (:func:`cliffwatch.engine.run.run_block`): no change
to the kernel. The paths are the first ``paths`` paths of a run with the same seed (paths are
generated per path index), so the vectors and the run's tables describe the same outcomes:
the mean of the summed monthly losses of a facility equals its EL in a run of that many paths.

Per facility-month and path: ``interest`` (cash interest), ``principal`` (scheduled, balloon
and swept principal repaid), ``draws`` (new drawings), ``loss`` (the facility's loss, in its
borrower's default month) and ``recovery`` (exposure at default less the loss, same month);
USD, nominal, undiscounted. Tracing a path costs one engine call, so vectors use a few hundred
paths (the default 200), not the run's thousands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from cliffwatch.engine.run import run_block, trace
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import Scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.units import HORIZON_DEFAULT_MONTHS

MEASURES: Final[tuple[str, ...]] = ("interest", "principal", "draws", "loss", "recovery")
"""Monthly flows per facility, USD."""
STATISTICS: Final[tuple[tuple[str, float | None], ...]] = (
    ("mean", None), ("p5", 0.05), ("p50", 0.50), ("p95", 0.95),
)
"""Statistics across paths: the mean and three percentiles."""
DEFAULT_PATHS: Final = 200
"""Paths traced per scenario by default."""
_TRACED: Final = ("interest", "principal", "draws")


def path_flows(pa: PortfolioArrays, scenario: Scenario, paths: int, seed: int,
               horizon: int) -> np.ndarray:
    """(paths, horizon, facilities, measures) monthly flows, USD, measures in MEASURES order."""
    fp = generate(Universe.from_arrays(pa), scenario, seed, 0, paths, horizon)
    params = engine_params(scenario)
    summary = run_block(pa, fp, params, horizon)
    out = np.zeros((paths, horizon, pa.n_facilities, len(MEASURES)))
    for p in range(paths):
        fac = trace(pa, fp, params, horizon, path=p)["facility"]
        values = fac[list(_TRACED)].to_numpy()  # month-major rows: month, then facility
        out[p, :, :, :len(_TRACED)] = values.reshape(horizon, pa.n_facilities, len(_TRACED))
    month = summary.default_month[:, pa.f_borrower]  # (P, NF) borrower's default month
    p_idx, f_idx = np.nonzero((month != NO_MONTH) & (month < horizon))
    m_idx = month[p_idx, f_idx]
    loss = summary.fac_loss[p_idx, f_idx]
    out[p_idx, m_idx, f_idx, MEASURES.index("loss")] = loss
    out[p_idx, m_idx, f_idx, MEASURES.index("recovery")] = summary.fac_ead[p_idx, f_idx] - loss
    return out


def cashflow_vectors(pa: PortfolioArrays, scenarios: list[Scenario], *,
                     paths: int = DEFAULT_PATHS, seed: int,
                     horizon: int = HORIZON_DEFAULT_MONTHS) -> pd.DataFrame:
    """One row per scenario, facility and month: ``<measure>_<statistic>`` for every measure
    of :data:`MEASURES` and statistic of :data:`STATISTICS` (USD), plus ``paths``."""
    if paths < 1:
        raise ValueError("paths must be at least 1")
    frames = []
    months = np.arange(horizon)
    for scn in scenarios:
        flows = path_flows(pa, scn, paths, seed, horizon)
        cols: dict[str, np.ndarray] = {}
        for k, measure in enumerate(MEASURES):
            x = flows[:, :, :, k]
            for stat, q in STATISTICS:
                value = x.mean(axis=0) if q is None else np.quantile(x, q, axis=0)
                cols[f"{measure}_{stat}"] = value.T.reshape(-1)  # facility-major rows
        frame = pd.DataFrame({
            "scenario": scn.name,
            "facility_id": np.repeat(np.asarray(pa.facility_ids, dtype=object), horizon),
            "month": np.tile(months, pa.n_facilities),
            **cols,
        })
        frame["paths"] = paths
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def write_vectors(vectors: pd.DataFrame, path: str | Path) -> Path:
    """Write the vectors as Parquet (``.parquet``) or as a workbook sheet (``.xlsx``)."""
    from cliffwatch.report.atomic import replaced_on_success

    path = Path(path)
    with replaced_on_success(path) as partial:
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(vectors, partial)
        else:
            vectors.to_parquet(partial, index=False)
    return path


def _write_xlsx(vectors: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "strings_to_formulas": False})
    try:
        header = book.add_format({"bold": True, "text_wrap": True})
        money = book.add_format({"num_format": "#,##0"})
        ws = book.add_worksheet("cashflow_vectors")
        cols = list(vectors.columns)
        for c, col in enumerate(cols):
            unit = " (USD)" if col.split("_")[0] in MEASURES else ""
            ws.write_string(0, c, col.replace("_", " ") + unit, header)
            ws.set_column(c, c, 14, money if unit else None)
        ws.freeze_panes(1, 3)
        text = {"scenario", "facility_id"}
        for r, row in enumerate(vectors.itertuples(index=False), start=1):
            for c, (col, value) in enumerate(zip(cols, row, strict=True)):
                if col in text:
                    ws.write_string(r, c, str(value))  # ids stay text, never formulas
                else:
                    ws.write_number(r, c, float(value))
    finally:
        book.close()
