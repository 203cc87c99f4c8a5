"""Shared figure code: validation-row figures and time-course panels (matplotlib, Agg).

Text stays text in vector output (svg.fonttype 'none', pdf.fonttype 42) for journals.
"""
from __future__ import annotations

from pathlib import Path

STYLE = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.size": 8,
         "axes.spines.top": False, "axes.spines.right": False}


def pyplot():
    """Return matplotlib.pyplot with the non-interactive backend and the house style."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update(STYLE)
    return plt


def save(fig, path: Path, formats=("png", "svg")) -> list[Path]:
    """Save `fig` as each format beside `path` (suffix replaced); return the paths."""
    out = []
    for fmt in formats:
        p = Path(path).with_suffix(f".{fmt}")
        tmp = p.with_name(p.stem + ".tmp" + p.suffix)
        fig.savefig(tmp, dpi=200, bbox_inches="tight", format=fmt)
        tmp.replace(p)
        out.append(p)
    return out


def row_figure(result, out_dir: Path) -> Path:
    """Draw a row's simulated curves with its accepted bands; return the PNG path."""
    plt = pyplot()
    o = result.outcome
    fig, ax = plt.subplots(figsize=(3.5, 2.4))
    for label, series in o.curves.items():
        ax.plot(series.index, series.values, lw=1.2, label=label)
    for t, lo, hi, label in o.marks:
        if t is None:
            ax.axhspan(lo, hi, color="0.85", zorder=0, label=label)
        else:
            ax.errorbar([t], [(lo + hi) / 2], yerr=[[(hi - lo) / 2]], fmt="o", color="k",
                        ms=3, capsize=2, label=label)
    index_names = {s.index.name for s in o.curves.values()} - {None, "time_h"}
    ax.set_xlabel(index_names.pop() if len(index_names) == 1 else "time (h)")
    ax.set_ylabel(o.ylabel)
    ax.set_title(f"{result.row.id}: {result.status}", fontsize=8)
    ax.legend(fontsize=6, frameon=False)
    paths = save(fig, out_dir / result.row.id)
    plt.close(fig)
    return paths[0]


def timecourse_figure(df, path: Path, title: str = "", columns=None, ncols: int = 3,
                      formats=None) -> list[Path]:
    """Draw one small panel per readout column of a simulation result; return the paths.

    The format comes from `path`'s suffix unless `formats` is given.
    """
    from .readouts import READOUTS, label

    plt = pyplot()
    cols = list(columns or df.columns)
    nrows = -(-len(cols) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.4 * ncols, 1.8 * nrows), squeeze=False)
    for ax, col in zip(axes.flat, cols):
        ax.plot(df.index, df[col], lw=1.2)
        ax.set_title(label(col) if col in READOUTS else col, fontsize=7)
        ax.set_xlabel("time (h)", fontsize=7)
    for ax in list(axes.flat)[len(cols):]:
        ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=8)
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.3 / fig.get_figheight()))   # room for it
    else:
        fig.tight_layout()
    path = Path(path)
    fmts = formats or ((path.suffix.lstrip(".") or "png"),)
    out = save(fig, path, fmts)
    plt.close(fig)
    return out
