"""Shared code of the published-experiment scripts (`experiments/*.py`): simulate arms, write
the tidy CSV, and draw the model against the paper.

The scripts stay a thin layer of setup over the public API; what they share lives here:

- `simulate_arms` / `drug_effects`: arms as {name: (regimen, perturbations)}; an effect is
  (perturbation + drug) − (perturbation + vehicle) on the same output times (LITERATURE.md).
- `tidy` / `write_csv`: one row per arm and time (`arm`, `time_h`, readout columns), with
  `write_column_units` writing the unit and meaning of every column beside it.
- `timecourse`: one readout of several arms over time with the published values or
  directions overlaid (`Published`: a marker with its range, a shaded window, or a band).
- `bars`: one number per arm (dose windows, knockouts, pretreatments) with the published
  expectation drawn as a shaded range on each bar.
- `figure` / `finish`: a grid of panels with the paper named under it; PNG + SVG.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .outputs import write_atomically
from .plotting import pyplot, save
from .readouts import READOUTS, unit_of

PUBLISHED_COLOR = "k"
SERIES_DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)))
EXPECT_COLOR = "#d9d9d9"
#: LITERATURE.md's default D-row thresholds (rise, fall, structural rise, improvement).
RISE, FALL, RISE_STRUCTURAL, IMPROVED = 1.10, 0.90, 1.05, -10.0


@dataclass(frozen=True)
class Published:
    """A published value or direction to overlay on a time course.

    `t_h` and `t_end_h` None: a horizontal band `lo`..`hi` over the whole axis.
    `t_h` only: a marker at `value` (the middle of lo..hi if None) with lo..hi as error bar.
    `t_h` and `t_end_h`: a shaded window [t_h, t_end_h] × [lo, hi] (a direction, e.g. a rise
    ≥ 1.10 expected between 30 and 60 min). Infinite bounds reach the axis edge.
    `tolerance` True (with `t_h` and `value`): lo..hi is an accepted range around a single
    published number (e.g. LITERATURE.md's ±30%), not a measured spread: it is drawn as a
    narrow shaded bar behind the marker, not as an error bar.
    """

    label: str
    lo: float
    hi: float
    t_h: float | None = None
    t_end_h: float | None = None
    value: float | None = None
    tolerance: bool = False


def grid(end_h: float, start_h: float = 0.0, fine_until_h: float = 6.0,
         fine_step_h: float = 1 / 30, coarse_step_h: float = 0.5) -> np.ndarray:
    """Return output times (h): every 2 min up to `fine_until_h`, then every 30 min."""
    fine = np.arange(start_h, min(end_h, fine_until_h) + 1e-9, fine_step_h)
    coarse = np.arange(fine_until_h, end_h + 1e-9, coarse_step_h)
    t = np.unique(np.round(np.concatenate([fine, coarse, [end_h]]), 9))
    return t[(t >= start_h) & (t <= end_h)]


def _start(perturbations) -> float:
    times = [getattr(p, "at_h", None) for p in perturbations]
    return min([0.0] + [t for t in times if t is not None])


def simulate_arms(model, arms: dict, end_h: float, variables=(), dose_detail_h: float = 0.0,
                  **grid_kw) -> dict:
    """Simulate each arm {name: (regimen, perturbations)}; return {name: DataFrame}.

    `variables` adds model ids as columns (see `Model.simulate`); `grid_kw` go to `grid`.
    `dose_detail_h` > 0 adds a point every minute for that many hours after each dose starts
    (and at each infusion's end), so that a coarse grid over a long course still reads the
    end-of-infusion peaks."""
    out = {}
    for name, (regimen, perts) in arms.items():
        points = grid(end_h, _start(perts), **grid_kw)
        if dose_detail_h > 0:
            detail = [d.at_h + np.arange(0.0, dose_detail_h + 1e-9, 1 / 60)
                      for d in regimen.doses]
            ends = [d.at_h + d.duration_h for d in regimen.doses]
            start = points[0]
            points = np.unique(np.round(np.concatenate([points, *detail, ends]), 9))
            points = points[(points >= start) & (points <= end_h)]
        out[name] = model.simulate(regimen, end_h, perturbations=perts, points=points,
                                   variables=variables)
    return out


def drug_effects(model, arms: dict, end_h: float, variables=(),
                 **grid_kw) -> tuple[dict, dict]:
    """Simulate each arm and its vehicle twin (same perturbations, no drug).

    Name arms "<condition>: <drug>" (e.g. "rapamycin: ketamine 10 mg/kg"); the twin is then
    "<condition>: vehicle", or "vehicle" for an arm without a condition. Returns
    ({arm or twin: DataFrame}, {arm: effect DataFrame = drug − vehicle}).
    """
    from .errors import PathwaysInputError
    from .perturbations import resolve
    from .regimen import Regimen

    raw, eff, twin_perts = {}, {}, {}
    for name, (regimen, perts) in arms.items():
        points = grid(end_h, _start(perts), **grid_kw)
        twin = f"{name.split(':')[0]}: vehicle" if ":" in name else "vehicle"
        resolved = resolve(perts)
        if twin_perts.setdefault(twin, resolved) != resolved:
            raise PathwaysInputError(
                f"arm {name!r} would share the vehicle twin {twin!r} with an arm under other "
                "perturbations; name arms '<condition>: <drug>', one condition per set of "
                "perturbations")
        drug = model.simulate(regimen, end_h, perturbations=perts, points=points,
                              variables=variables)
        if twin not in raw:
            raw[twin] = model.simulate(Regimen.none(), end_h, perturbations=perts,
                                       points=points, variables=variables)
        raw[name] = drug
        eff[name] = drug - raw[twin]
    return raw, eff


def tidy(results: dict, columns=None):
    """Return one long table: `arm`, `time_h`, then the readout columns."""
    import pandas as pd

    frames = []
    for arm, df in results.items():
        d = (df[list(columns)] if columns else df).reset_index()
        d.insert(0, "arm", arm)
        frames.append(d)
    return pd.concat(frames, ignore_index=True)


def write_csv(results: dict, path: Path, columns=None, units=None) -> Path:
    """Write `tidy(results, columns)` to `path` (6 significant digits) and the unit and
    meaning of each column to `<stem>_columns.csv` (`write_column_units`; `units` gives
    {column: (unit, meaning)} for columns that are not readouts); return the data's path."""
    path = Path(path).with_suffix(".csv")
    table = tidy(results, columns)
    column_units(table.columns, units)       # a column without a unit: refused before writing
    write_atomically(path, lambda tmp: table.to_csv(tmp, index=False, float_format="%.6g"),
                     "CSV file")
    write_column_units(table.columns, path, units)
    return path


def write_table(results: dict, path: Path, columns=None, units=None) -> list[Path]:
    """Write the table as `write_csv` does; return [the data's path, its column-units file's
    path] (what an experiment's `run` lists first)."""
    csv = write_csv(results, path, columns, units)
    return [csv, columns_file(csv)]


#: Units of the index and label columns the experiment tables share.
TABLE_COLUMNS = {"arm": ("", "arm: '<condition>: <regimen>' or the regimen"),
                 "time_h": ("h", "simulation time (0 = the first ketamine dose; "
                                 "pretreatments at negative times)"),
                 "time_d": ("d", "simulation time in days (0 = the first ketamine dose)")}


def column_units(columns, units=None) -> dict[str, tuple[str, str]]:
    """Return {column: (unit, meaning)} for a table's columns: `units` first, then the
    shared table columns, the readouts of CONTRACT.md ("1" = dimensionless), a `_uM` suffix
    (µM) or a `_rel` suffix (fold of the drug-free baseline). A column none of these
    explains is an error, so that no table leaves a column without its unit."""
    from .errors import PathwaysInputError

    known = {**TABLE_COLUMNS, **READOUTS, **(units or {})}
    out = {}
    for col in columns:
        if col in known:
            out[col] = known[col]
        elif col.endswith("_uM"):
            out[col] = ("µM", col.removesuffix("_uM"))
        elif col.endswith("_rel"):
            out[col] = ("1", f"{col.removesuffix('_rel')}, fold of baseline")
        else:
            raise PathwaysInputError(f"column {col!r} has no unit: give it in units=")
    return out


def columns_file(path: Path) -> Path:
    """Return the path of the column-units file beside the table `path`."""
    path = Path(path)
    return path.with_name(f"{path.stem}_columns.csv")


def write_column_units(columns, path: Path, units=None) -> Path:
    """Write `<stem>_columns.csv` beside the table `path`: column, unit, meaning (see
    `column_units`); return its path."""
    import csv

    rows = column_units(columns, units)

    def write(tmp):
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["column", "unit", "meaning"])
            for col, (unit, meaning) in rows.items():
                w.writerow([col, unit, meaning])

    return write_atomically(columns_file(path), write, "column-units file")


def ylabel_of(readout: str) -> str:
    """Return an axis label with the readout's unit ('fold of baseline' for fold readouts)."""
    if readout not in READOUTS:
        return readout
    if readout.endswith("_rel"):
        return "fold of baseline"
    unit = unit_of(readout)
    return {"1": "fraction", "%": "change of score (%)"}.get(unit, unit)


def set_title(ax, title: str, width: int = 34) -> None:
    """Set a panel title, wrapped to `width` characters so that neighbours do not overlap."""
    ax.set_title("\n".join(textwrap.wrap(title, width)), fontsize=8)


def log_time_axis(ax, end_h: float) -> None:
    """Use a symlog time axis (linear to 1 h, log after): 30-min and 24-h readouts both show."""
    ax.set_xscale("symlog", linthresh=1.0, linscale=1.0)
    marks = (0, 0.5, 1, 2, 4, 8, 24) if end_h <= 30 else (0, 0.5, 1, 4, 24, 72, 168, 336)
    ticks = [t for t in marks if t <= end_h + 1e-9]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks])


def _overlay(ax, published) -> None:
    """Draw `Published` items on `ax` after the curves (infinite bounds → axis edges)."""
    if not published:
        return
    ax.autoscale_view()
    y0, y1 = ax.get_ylim()
    x0, x1 = ax.get_xlim()
    span = (y1 - y0) or 1.0
    for p in published:
        lo = min(y0, p.hi - 0.25 * max(span, y1 - p.hi)) if math.isinf(p.lo) else p.lo
        hi = max(y1, p.lo + 0.25 * max(span, p.lo - y0)) if math.isinf(p.hi) else p.hi
        if p.t_h is None:
            ax.axhspan(lo, hi, color=EXPECT_COLOR, alpha=0.6, zorder=0, lw=0, label=p.label)
        elif p.t_end_h is None and p.tolerance and p.value is not None:
            half = 0.012 * ((x1 - x0) or 1.0)
            ax.fill_between([p.t_h - half, p.t_h + half], lo, hi, color=PUBLISHED_COLOR,
                            alpha=0.18, lw=0, zorder=4)
            ax.plot([p.t_h], [p.value], "s", ms=3.5, color=PUBLISHED_COLOR, zorder=5,
                    label=p.label)
        elif p.t_end_h is None:
            v = (lo + hi) / 2 if p.value is None else p.value
            ax.errorbar([p.t_h], [v], yerr=[[v - lo], [hi - v]], fmt="s", ms=3.5, capsize=2.5,
                        color=PUBLISHED_COLOR, zorder=5, label=p.label)
        else:
            ax.fill_between([p.t_h, p.t_end_h], lo, hi, color=EXPECT_COLOR, alpha=0.8,
                            zorder=0, lw=0, label=p.label)
        y0, y1 = min(y0, lo), max(y1, hi)
    ax.set_ylim(y0, y1)
    ax.set_xlim(x0, x1)


def timecourse(ax, results: dict, readout: str | None, published=(), t_max: float | None = None,
               t_min: float | None = None, days: bool = False, title: str | None = None,
               ylabel: str | None = None, styles: dict | None = None, baseline=None,
               legend: str | None = "below", ncol: int = 1, log_time: bool = False) -> None:
    """Draw `readout` of each arm {name: DataFrame} over time, published items overlaid
    (`readout` None: the values are Series, e.g. {readout name: series} of one arm).

    `days` plots time in days (published `t_h` are given in hours and converted);
    `baseline` draws a dotted reference line (e.g. 1 for fold readouts, 0 for effects);
    `legend` is "below" (under the axis), a matplotlib location, or None; `log_time` uses
    `log_time_axis` (hours only).
    """
    scale = 24.0 if days else 1.0
    for i, (arm, df) in enumerate(results.items()):
        s = df if readout is None else df[readout]
        sel = np.ones(len(s), bool)
        if t_max is not None:
            sel &= s.index.values <= t_max + 1e-9
        if t_min is not None:
            sel &= s.index.values >= t_min - 1e-9
        style = {"lw": 1.3, "color": f"C{i}"}
        if readout is None:          # several readouts of one arm: dashes keep coinciding ones
            style["ls"] = SERIES_DASHES[i % len(SERIES_DASHES)]        # visible
        style.update((styles or {}).get(arm, {}))
        ax.plot(s.index.values[sel] / scale, s.values[sel], label=arm, **style)
    if log_time:
        log_time_axis(ax, max(df.index.max() for df in results.values()))
    if baseline is not None:
        ax.axhline(baseline, color="0.5", lw=0.6, ls=":", zorder=1)
    _overlay(ax, [replace(p, t_h=None if p.t_h is None else p.t_h / scale,
                          t_end_h=None if p.t_end_h is None else p.t_end_h / scale)
                  for p in published])
    ax.set_xlabel("time (days)" if days else
                  "time (h; linear to 1 h, log after)" if log_time else "time (h)")
    ax.set_ylabel(ylabel or (ylabel_of(readout) if readout else ""))
    set_title(ax, title or readout or "")
    add_legend(ax, legend, ncol)


def bars(ax, values: dict, expected: dict | None = None, expected_label: str = "published",
         ylabel: str = "", title: str = "", colors=None, fmt: str = "{:.3g}",
         wrap: int = 8, legend: str | None = "below", xlabel: str = "") -> None:
    """Draw one bar per label {label: value}, each annotated with its value.

    `expected` {label: (lo, hi)} draws the published expectation for that bar as a shaded
    range behind it (infinite bounds reach the axis edge), labelled `expected_label`.
    Tick labels are wrapped at `wrap` characters unless they hold a line break.
    """
    labels = list(values)
    x = np.arange(len(labels))
    v = np.array([values[k] for k in labels], float)
    ax.bar(x, v, width=0.6, color=colors or [f"C{i}" for i in range(len(labels))], zorder=2)
    ax.axhline(0, color="0.3", lw=0.6)
    ax.autoscale_view()
    y0, y1 = ax.get_ylim()
    span = (y1 - y0) or 1.0
    y0, y1 = y0 - 0.08 * span * (v < 0).any(), y1 + 0.12 * span * (v >= 0).any()
    first = True
    for i, k in enumerate(labels):
        if expected and k in expected:
            lo, hi = expected[k]
            lo, hi = (y0 if math.isinf(lo) else lo), (y1 if math.isinf(hi) else hi)
            ax.fill_between([i - 0.42, i + 0.42], lo, hi, color=EXPECT_COLOR, alpha=0.9,
                            zorder=1, lw=0, hatch="///", edgecolor="0.6",
                            label=expected_label if first else None)
            first = False
            y0, y1 = min(y0, lo), max(y1, hi)
    tiny = 1e-6 * max(np.abs(v).max(), 1e-300)
    for i, val in enumerate(v):
        off = 0.02 * (y1 - y0)
        shown = 0.0 if abs(val) < tiny else val
        ax.text(i, val + (off if val >= 0 else -off), fmt.format(shown), ha="center",
                va="bottom" if val >= 0 else "top", fontsize=6, zorder=3)
    ax.set_ylim(y0, y1)
    ax.set_xticks(x)
    ax.set_xticklabels([k if "\n" in k else "\n".join(textwrap.wrap(k, wrap)) for k in labels],
                       fontsize=6)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    set_title(ax, title)
    if expected:
        add_legend(ax, legend)


def add_legend(ax, where: str | None = "below", ncol: int = 1) -> None:
    """Add the axis legend: "below" puts it under the x label, else a matplotlib location."""
    if not where or not ax.get_legend_handles_labels()[0]:
        return
    if where == "below":
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        lines = max([t.count("\n") + 1 for t in ticks if t] or [1]) + 1.3 * bool(ax.get_xlabel())
        from matplotlib.transforms import offset_copy
        below = offset_copy(ax.transAxes, ax.figure, y=-(6 + 9 * lines), units="points")
        ax.legend(fontsize=6, frameon=False, loc="upper center", ncol=ncol,
                  bbox_to_anchor=(0.5, 0.0), bbox_transform=below)
    else:
        ax.legend(fontsize=6, frameon=False, loc=where, ncol=ncol)


def share_of(reference: float, at_least: float = 0.0, at_most: float = math.inf):
    """Return the (lo, hi) range of effects whose ratio to `reference` lies in
    [at_least, at_most] (e.g. abolished: at_most=0.25; active: at_least=0.5), sorted, for
    either sign of the reference."""
    a, b = at_least * reference, (math.copysign(math.inf, reference) if math.isinf(at_most)
                                  else at_most * reference)
    return (min(a, b), max(a, b))


def flag_small_control(ax, control: float, threshold: float) -> bool:
    """If the control effect is smaller than `threshold` (the change a rise needs), write on
    `ax` that a ratio to it ("abolished", "blocked") is not evidence; return whether it did."""
    if abs(control) >= threshold:
        return False
    ax.text(0.99, 0.97, f"control effect\n{control:+.3g} < {threshold:g}:\nthe ratio to it\n"
            f"is not evidence", transform=ax.transAxes, fontsize=5.5, ha="right", va="top",
            color="#b2182b")     # (top right: the control bar stands on the left)
    return True


def vline(ax, x: float, text: str = "", color: str = "0.45") -> None:
    """Draw a dotted vertical marker at `x` (axis units) with a small label at the top."""
    ax.axvline(x, color=color, lw=0.7, ls=":", zorder=1)
    if text:
        ax.text(x, 0.98, f" {text}", transform=ax.get_xaxis_transform(), fontsize=5.5,
                va="top", ha="left", color=color, zorder=6,      # curves pass behind it
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.6, "pad": 0.5})


def figure(nrows: int, ncols: int, width: float = 7.2, row_height: float = 2.4):
    """Return (plt, fig, axes array) for a grid of panels in the house style."""
    plt = pyplot()
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows), squeeze=False)
    return plt, fig, axes


def finish(plt, fig, path: Path, title: str, source: str) -> list[Path]:
    """Title the figure, name the published source under it, save PNG + SVG, close it."""
    fig.suptitle(title, fontsize=9)
    # wrap to the figure's width (6-pt text: at most ~0.05 in per character), keeping breaks
    width = max(40, int(fig.get_figwidth() / 0.05))
    text = "\n".join(textwrap.fill(part, width) for part in f"Published: {source}".split("\n"))
    fig.text(0.01, 0.004, text, fontsize=6, ha="left", va="bottom", color="0.25")
    lines = text.count("\n") + 1
    fig.tight_layout(rect=(0, (0.11 * lines + 0.08) / fig.get_figheight(), 1, 1))
    paths = save(fig, path)
    plt.close(fig)
    return paths
