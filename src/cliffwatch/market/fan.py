"""Fan charts of factor paths: percentile bands per month, as a table or a PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cliffwatch.market.paths import FactorPaths

PERCENTILES: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0)
"""Bands shown in fan charts, percent."""


def factor_series(
    fp: FactorPaths, generations: tuple[str, ...]
) -> dict[str, tuple[np.ndarray, str]]:
    """(P, T) arrays per displayed factor with their display unit."""
    out: dict[str, tuple[np.ndarray, str]] = {
        "sofr": (fp.sofr * 100, "%"),
        "hy_spread": (fp.spread * 1e4, "bp"),
    }
    for g, name in enumerate(generations):
        out[f"rent_{name}"] = (fp.gpu_rent[:, g], "USD/GPU-h")
        out[f"value_{name}"] = (fp.gpu_value[:, g] / 1e3, "kUSD/GPU")
    out |= {
        "utilization": (fp.utilization * 100, "%"),
        "power_price": (fp.power_price * 1e3, "USD/MWh"),
        "tech_earnings": (fp.tech_earnings, "sd"),
        "dc_value": (fp.dc_value, "x t0"),
        "market_access": (fp.market_access * 100, "%"),
        "ai_capex": (fp.ai_capex, "sd"),
        "software_budget": (fp.software_budget * 100, "% of spend"),
        "software_multiple": (fp.software_multiple, "x t0"),
        "software_spread": (fp.software_spread * 1e4, "bp over HY"),
    }
    return out


def bands(paths: np.ndarray) -> np.ndarray:
    """(len(PERCENTILES), T) percentiles over paths of a (P, T) array."""
    return np.percentile(paths, PERCENTILES, axis=0)


def plot_fans(series: dict[str, tuple[np.ndarray, str]], title: str, out: Path) -> None:
    """Write a PNG with one fan chart (5-95 and 25-75 bands, median) per factor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(series)
    cols = 3
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
    for ax, (name, (arr, unit)) in zip(axes.flat, series.items(), strict=False):
        b = bands(arr)
        m = np.arange(b.shape[1])
        ax.fill_between(m, b[0], b[4], alpha=0.2, color="C0", lw=0)
        ax.fill_between(m, b[1], b[3], alpha=0.4, color="C0", lw=0)
        ax.plot(m, b[2], color="C0", lw=1.5)
        ax.set_title(f"{name} ({unit})", fontsize=9)
        ax.set_xlabel("month", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
