"""Shared figure code: validation-row figures and time-course panels (matplotlib, Agg).

Text stays text in vector output (svg.fonttype 'none', pdf.fonttype 42) for journals.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from .outputs import write_atomically

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
        out.append(write_atomically(
            p, lambda tmp, fmt=fmt: fig.savefig(tmp, dpi=200, bbox_inches="tight", format=fmt),
            "figure"))
    return out


def row_figure(result, out_dir: Path) -> Path:
    """Draw a LIT row: its simulated curves with the literature bands (left, if the check
    keeps curves) and, for every checked number, the accepted range from LITERATURE.md with
    the simulated value on it (right; green inside, red outside). Return the PNG path."""
    plt = pyplot()
    o = result.outcome
    metrics = list(o.metrics)
    height = max(2.4, 0.5 * len(metrics) + 0.5)
    fig = plt.figure(figsize=(7.2 if o.curves else 3.6, height), layout="constrained")
    if o.curves:
        left, right = fig.subfigures(1, 2, width_ratios=(1, 1))
        _draw_curves(left.subplots(), o)
    else:
        right = fig
    axes = right.subplots(len(metrics), 1, squeeze=False)[:, 0] if metrics else []
    for ax, m in zip(axes, metrics):
        _draw_metric(ax, m, result.row.known_failure(m.name))
    title = f"{result.row.id}: {result.status} ({result.provenance})"
    width = 110 if o.curves else 55              # characters that fit the figure at 8 pt
    fig.suptitle("\n".join(textwrap.wrap(title, width)), fontsize=8)
    paths = save(fig, out_dir / result.row.id)
    plt.close(fig)
    return paths[0]


def _unit_groups(curves: dict) -> tuple[list[str], list[str]]:
    """Split curve labels into (left, right) when a curve names a readout in % (the symptom)
    and others name fold or fraction readouts, which would lie flat on a % axis: those go
    right, the rest (unnamed curves too) left; else (all, [])."""
    from .readouts import READOUTS

    def names(label: str, percent: bool) -> bool:
        return any(r in label and (unit == "%") == percent for r, (unit, _) in READOUTS.items())

    right = [k for k in curves if names(k, False) and not names(k, True)]
    left = [k for k in curves if k not in right]       # % readouts and unnamed curves
    return (left, right) if any(names(k, True) for k in left) and right else (list(curves), [])


def _line_width(curves: dict, labels) -> float:
    """Return 1% of the span of the curves `labels` (about one line width on their axis)."""
    v = np.concatenate([np.asarray(curves[k].values, float) for k in labels] or [[0.0]])
    v = v[np.isfinite(v)]
    return 0.01 * float(v.max() - v.min()) if v.size else 0.0


def _lies_on(series, drawn: dict, tol: float):
    """Return the label of a drawn curve (on the same times) within `tol` of `series`
    everywhere, or None."""
    for label, other in drawn.items():
        if len(series) and other.index.equals(series.index) and \
                np.nanmax(np.abs(other.values - series.values)) <= tol:
            return label
    return None


def _draw_curves(ax, o) -> None:
    _, small = _unit_groups(o.curves)
    twin = ax.twinx() if small else None
    tol = {False: _line_width(o.curves, [k for k in o.curves if k not in small]),
           True: _line_width(o.curves, small)}
    drawn: dict[bool, dict] = {False: {}, True: {}}     # per axis: label -> series
    for i, label in enumerate(o.curves):
        series = o.curves[label]
        right = label in small
        over = _lies_on(series, drawn[right], tol[right])
        text = f"{label} (right axis)" if right else label
        (twin if right else ax).plot(
            series.index, series.values, lw=1.2, color=f"C{i}",
            ls=(0, (1, 1.5)) if over else "--" if right else "-",
            label=f"{text} (dotted: lies on {over})" if over else text)
        drawn[right][label] = series
    if twin is not None:
        twin.set_ylabel("fold readouts (dashed)", fontsize=7)
        twin.spines["right"].set_visible(True)
    for t, lo, hi, label in o.marks:
        if t is None:
            ax.axhspan(lo, hi, color="0.85", zorder=0, label=label)
        elif isinstance(t, tuple):  # a range along x (an IC50 range) at the height lo (= hi)
            ax.errorbar([(t[0] + t[1]) / 2], [lo], xerr=[[(t[1] - t[0]) / 2]], fmt="none",
                        ecolor="k", elinewidth=1.4, capsize=3, label=f"accepted range: {label}")
        else:                       # a range, not a measured value with an error bar
            ax.errorbar([t], [(lo + hi) / 2], yerr=[[(hi - lo) / 2]], fmt="none", ecolor="k",
                        elinewidth=1.4, capsize=3, label=f"accepted range: {label}")
    index_names = {s.index.name for s in o.curves.values()} - {None, "time_h"}
    ax.set_xlabel(index_names.pop() if len(index_names) == 1 else "time (h)")
    ax.set_ylabel(o.ylabel)
    handles, labels = ax.get_legend_handles_labels()
    if twin is not None:                           # one legend for both axes
        more = twin.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    ax.legend(handles, labels, fontsize=5.5, frameon=False, loc="upper left",
              bbox_to_anchor=(0.0, -0.25), ncol=1)     # below the axes, clear of the curves


def metric_limits(m) -> tuple[float, float]:
    """Return the x-range that shows a metric's finite bounds and its value with a margin.
    A ratio (a fraction of a control: `m.ratio` or ' / ' in its name) is drawn from 0 to at
    least 1, the control, so that 0.26 against <= 0.25 looks as close as it is; a reported
    value from 0. Any other one-sided bound is drawn around the bound and the value, so that
    a fold of 1.01 against >= 1.05 does not look like a pass."""
    finite = [x for x in (m.lo, m.hi, m.value) if abs(x) != float("inf") and x == x]
    one_sided = float("inf") in (abs(m.lo), abs(m.hi))
    ratio = m.ratio or " / " in m.name
    if ratio:
        finite += [0.0, 1.0]
    elif one_sided and not m.checked:
        finite.append(0.0)
    lo, hi = min(finite), max(finite)
    if one_sided and m.checked and not ratio:
        pad = max(hi - lo, 0.1 * max(abs(lo), abs(hi)), 1e-12)
        return lo - pad, hi + pad
    span = hi - lo or abs(hi) or 1.0
    return lo - 0.08 * span, hi + 0.08 * span


def _draw_metric(ax, m, known_failure: bool) -> None:
    """One strip: the accepted range (shaded, with its bound(s) as lines) and the value."""
    x0, x1 = metric_limits(m)
    ax.set_xlim(x0, x1)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="x", labelsize=6, length=2, pad=1)
    unit = f" ({m.unit})" if m.unit else ""
    if m.checked:
        lo = x0 if m.lo == float("-inf") else m.lo
        hi = x1 if m.hi == float("inf") else m.hi
        ax.axvspan(lo, hi, color="#d9ead3", zorder=0)
        for bound in (m.lo, m.hi):
            if abs(bound) != float("inf"):
                ax.axvline(bound, color="0.35", lw=0.8, zorder=1)
        colour = "tab:green" if m.passed else ("tab:orange" if known_failure else "tab:red")
        verdict = "" if m.passed else (" - known limit (XFAIL)" if known_failure
                                       else " - out of range")
        text = f"{m.name}{unit}: expected {m.expected_text()}{verdict}"
    else:
        colour, text = "0.3", f"{m.name}{unit}: reported, not checked"
    if np.isnan(m.value):             # no value: said in words, not drawn in the band
        ax.text((x0 + x1) / 2, 0, "no value (NaN)", ha="center", va="center", fontsize=6,
                color=colour)
    else:
        x, marker = ((m.value, "o") if np.isfinite(m.value) else
                     (x0, "<") if m.value < 0 else (x1, ">"))    # ±inf: off the strip's end
        ax.plot([x], [0], marker, color=colour, ms=4, zorder=3, clip_on=False)
        bounds = [b for b in (m.lo, m.hi) if np.isfinite(b)] if m.checked else []
        nearest = min(bounds, key=lambda b: abs(b - x)) if bounds else (x0 + x1) / 2
        right = x >= nearest if bounds else x <= nearest   # beside the dot, away from the bound
        ax.annotate(f"{m.value:.4g}", (x, 0), xytext=(5 if right else -5, 0),
                    textcoords="offset points", ha="left" if right else "right",
                    va="center", fontsize=6, color=colour)
    ax.set_title(text, fontsize=6, loc="left", pad=2)


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
