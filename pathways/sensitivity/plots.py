"""Figures: Sobol' S1/ST bars with CIs (and ST over time), the Morris μ*–σ plane, a tornado.

House style from `pathways.plotting.pyplot()` (text stays text in SVG); PNG + SVG written
atomically by `pathways.plotting.save`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..plotting import pyplot, save

MAX_BARS = 20       # parameters shown in a bar chart (the largest by ST / μ* / span)


def _title(result) -> str:
    s = result.study
    return (f"{s.model.name} ({s.model.species}), {result.n_samples} simulations"
            + (f", {result.n_failed} failed" if result.n_failed else ""))


def sobol_figure(result, path: Path) -> list[Path]:
    """S1 and ST (with their CIs at the study's conf_level) per parameter for the metric;
    with time-resolved outputs, a second panel of ST against time for the leading
    parameters."""
    plt = pyplot()
    s = result.study
    df = result.indices
    first = df[df.output == s.outputs[0]].sort_values("ST", ascending=True,
                                                       na_position="first").tail(MAX_BARS)
    timed = len(s.outputs) > 1
    fig, axes = plt.subplots(1, 2 if timed else 1, squeeze=False,
                             figsize=(7.0 if timed else 3.5, 0.9 + 0.22 * len(first)))
    sobol_bars(axes[0, 0], first, s.metric_label, conf_level=result.conf_level or 0.95)
    if timed:
        ax2 = axes[0, 1]
        tdf = df[df.output != s.outputs[0]].copy()
        tdf["t"] = tdf.output.map(dict(zip(s.outputs[1:], s.times)))
        lead = (tdf.groupby("parameter").ST.max().sort_values(ascending=False).index[:6])
        for i, p in enumerate(lead):
            d = tdf[tdf.parameter == p].sort_values("t")
            ax2.plot(d.t, d.ST, marker="o", ms=2.5, lw=1, color=f"C{i}", label=p)
            ax2.fill_between(d.t, d.ST - d.ST_conf, d.ST + d.ST_conf, color=f"C{i}",
                             alpha=0.15, lw=0)
        ax2.set(xlabel="time (h)", ylabel="total index ST", title=f"{s.readout} over time")
        ax2.title.set_fontsize(7)
        ax2.legend(frameon=False, fontsize=6)
    fig.suptitle(_title(result), fontsize=7)
    fig.tight_layout()
    out = save(fig, path)
    plt.close(fig)
    return out


def sobol_bars(ax, rows, title: str, top: int = MAX_BARS, conf_level: float = 0.95) -> None:
    """Draw S1 and ST with their CIs (at `conf_level`) as horizontal bars, largest ST at
    the top."""
    rows = rows.sort_values("ST", ascending=True, na_position="first").tail(top)
    y = np.arange(len(rows))
    ax.barh(y + 0.2, rows.S1, height=0.38, xerr=rows.S1_conf, color="C0", capsize=1.5,
            error_kw={"lw": 0.6}, label="first order S1")
    ax.barh(y - 0.2, rows.ST, height=0.38, xerr=rows.ST_conf, color="C1", capsize=1.5,
            error_kw={"lw": 0.6}, label="total ST")
    ax.set_yticks(y, rows.parameter, fontsize=6)
    ax.axvline(0, color="0.5", lw=0.5)
    ax.set_xlabel(f"Sobol' index ({conf_level * 100:g} % CI)")
    ax.set_title(title, fontsize=7)
    ax.legend(frameon=False, fontsize=6, loc="lower right")


def morris_figure(result, path: Path) -> list[Path]:
    """μ* (with its CI) against σ, one labelled point per parameter."""
    plt = pyplot()
    s = result.study
    df = result.indices[result.indices.output == s.outputs[0]]
    fig, ax = plt.subplots(figsize=(3.5, 3.0))
    ax.errorbar(df.mu_star, df.sigma, xerr=df.mu_star_conf, fmt="o", ms=3, color="C0",
                ecolor="0.6", elinewidth=0.6, capsize=1.5)
    top = df.sort_values("mu_star", ascending=False).head(MAX_BARS)
    for _, r in top.iterrows():
        ax.annotate(r.parameter, (r.mu_star, r.sigma), fontsize=5.5, xytext=(2, 2),
                    textcoords="offset points")
    lim = np.nanmax(np.r_[df.mu_star.values, df.sigma.values, 0]) * 1.05 or 1.0
    ax.plot([0, lim], [0, lim], color="0.7", lw=0.5, ls="--")   # σ = μ*: strong interaction
    unit = _shown(s.output_units[0])
    ax.set(xlabel=f"μ* (mean |Δy/Δ|, {unit} per range)",
           ylabel=f"σ (std of Δy/Δ, {unit})",
           xlim=(0, None), ylim=(0, None))
    ax.set_title(f"{s.metric_label}\n{_title(result)}", fontsize=7)
    fig.tight_layout()
    out = save(fig, path)
    plt.close(fig)
    return out


def _shown(unit: str) -> str:
    """A unit as a label shows it ("1", dimensionless, in words)."""
    return "dimensionless" if unit in ("1", "") else unit


def tornado_figure(result, path: Path) -> list[Path]:
    """Change of the metric (% of nominal) with each parameter at its range ends; labels
    carry the local scaled sensitivity d ln y / d ln p."""
    plt = pyplot()
    s = result.study
    df = result.indices[result.indices.output == s.outputs[0]].copy()
    y0 = df.output_nominal.iloc[0]
    unit = _shown(s.output_units[0])
    if "output_low" in df:
        scale = 100.0 / abs(y0) if y0 else 1.0
        df["lo"] = (df.output_low - y0) * scale
        df["hi"] = (df.output_high - y0) * scale
        xlabel = ("change of the metric (% of nominal)" if y0 else
                  f"change of the metric ({unit})")
    else:
        df["lo"] = -df.sensitivity
        df["hi"] = df.sensitivity
        xlabel = "scaled sensitivity d ln y / d ln p"
    # rank by the larger change at either end: a failed end (NaN) must not hide the other
    df["span"] = np.fmax(df.lo.abs(), df.hi.abs())
    df = df.sort_values("span", na_position="first").tail(MAX_BARS)
    fig, ax = plt.subplots(figsize=(3.5, 0.9 + 0.22 * len(df)))
    y = np.arange(len(df))
    ax.barh(y, df.lo.fillna(0), color="C0", height=0.7, label="parameter at low end")
    ax.barh(y, df.hi.fillna(0), color="C3", height=0.7, label="parameter at high end")
    ax.axvline(0, color="k", lw=0.6)
    failed = [" and ".join(end for end, v in (("low", lo), ("high", hi)) if not np.isfinite(v))
              for lo, hi in zip(df.lo, df.hi)]
    labels = [f"{p} ({v:+.2f})" + (f" [{f} end{'s' if ' and ' in f else ''} failed]"
                                     if f else "")
              for p, v, f in zip(df.parameter, df.sensitivity, failed)]
    ax.set_yticks(y, labels, fontsize=6)
    ax.set_xlabel(xlabel)
    value = f"{y0:.4g}" + ("" if unit == "dimensionless" else f" {unit}")
    ax.set_title(f"{s.metric_label} = {value} at nominal\n(local d ln y/d ln p in "
                 "brackets)", fontsize=7)
    ax.legend(frameon=False, fontsize=6)
    fig.tight_layout()
    out = save(fig, path)
    plt.close(fig)
    return out
