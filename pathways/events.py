"""Events of a run (doses, infusion steps, acute perturbations) on the event-time grid, the
one-day dose limit a regimen's doses must respect, and a run's output times."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .checks import shown
from .errors import PathwaysInputError

TIME_RESOLUTION_H = 1e-9     # event times are snapped to this grid (3.6 µs): CVODE cannot
                             # take a step across an interval shorter than its minimum step
MAX_POINTS = 1_000_000      # output times of one run
DOSE_WINDOW_H = 24.0   # all doses of one drug within this window add up to one dose's limit


_STEPS_PER_H = round(1 / TIME_RESOLUTION_H)


def snap(t: float) -> float:
    """Return time `t` (h) rounded to the event-time grid (`TIME_RESOLUTION_H`); dividing by
    the whole number of steps per hour keeps a time already on the grid exact (-0.7, not
    -0.7000000000000001)."""
    return round(t * _STEPS_PER_H) / _STEPS_PER_H


@dataclass(frozen=True)
class Event:
    """One event of a run: at `time` (h), add `value` to `target` (a bolus), step an infusion
    rate, or switch an acute perturbation on or off."""

    time: float
    order: int              # parameter changes (0) before amounts (1) at the same time
    kind: str               # "add" (bolus), "rate+" (infusion step), "on"/"off" (acute)
    target: str
    value: float


def check_daily_total(drug: str, given: list[tuple[float, float, float]],
                       limit: float) -> None:
    """Raise if the doses of `drug` ((start h, end h, mg/kg); a bolus has end == start)
    deliver more than the one-dose `limit` (mg/kg) within any 24 h [t, t + 24 h).

    The delivered amount is a step function (boluses) plus a piecewise-linear one
    (infusions), so the largest 24-h total is found in a window that starts at a dose's
    start or end, ends there, or ends just after a bolus (the supremum when a window slides
    onto one); each candidate is summed from the overlaps of the doses with it, local
    differences of times (no long cumulative sums to cancel). Boluses are placed on the
    windows with the event-time resolution, so doses exactly 24 h apart are two days."""
    if sum(g[2] for g in given) <= limit:        # the usual case: all of it is one dose's
        return
    starts, ends, amounts = (np.array(col, float) for col in zip(*given))
    bolus = ends <= starts
    duration = np.where(bolus, 1.0, ends - starts)
    marks = np.concatenate([starts, ends])
    tol = TIME_RESOLUTION_H
    candidates = [(np.unique(np.concatenate([marks, marks - DOSE_WINDOW_H])), False),
                  (np.unique(starts[bolus]) - DOSE_WINDOW_H, True)]   # (t, t + 24 h]
    worst_total, worst_t, worst_closed = -np.inf, 0.0, False
    block = max(1, 2_000_000 // starts.size)
    for lefts, closed_right in candidates:
        for i in range(0, lefts.size, block):
            t = lefts[i:i + block, None]
            overlap = np.clip(np.minimum(ends, t + DOSE_WINDOW_H) - np.maximum(starts, t),
                              0.0, None)
            if closed_right:
                inside = (starts > t + tol) & (starts <= t + DOSE_WINDOW_H + tol)
            else:
                inside = (starts >= t - tol) & (starts < t + DOSE_WINDOW_H - tol)
            totals = np.where(bolus, inside * amounts, amounts * overlap / duration).sum(1)
            j = int(np.argmax(totals))
            if totals[j] > worst_total:
                worst_total, worst_t, worst_closed = float(totals[j]), float(t[j, 0]), closed_right
    if worst_total > limit * (1 + 1e-6):
        total = f"{worst_total:.6g}"
        if float(total) <= limit:               # shown rounded down to the limit itself
            total = shown(worst_total)
        # name the stretch the doses in the worst window were given over (a window may start
        # before the first dose, e.g. 24 h before an infusion ends)
        w0, w1 = worst_t, worst_t + DOSE_WINDOW_H
        if worst_closed:
            inside = (starts > w0 + tol) & (starts <= w1 + tol)
        else:
            inside = (starts >= w0 - tol) & (starts < w1 - tol)
        acting = np.where(bolus, inside, (np.minimum(ends, w1) - np.maximum(starts, w0)) > 0)
        first = max(w0, float(starts[acting].min()))
        last = min(w1, float(np.where(bolus, starts, ends)[acting].max()))
        span = (f"at {shown(round(first, 9))} h" if last - first < tol else
                f"from {shown(round(first, 9))} h to {shown(round(last, 9))} h")
        raise PathwaysInputError(
            f"{drug} doses given {span} add up to {total} mg/kg; the limit is {limit:g} "
            f"mg/kg within any 24 h (one dose's limit)")


def output_grid(points, start: float, end_h: float) -> np.ndarray:
    """Return the output times (h) of a run from `start` to `end_h` hours: `points` None
    (every 0.1 h counted from time 0, plus the start and the end), a number of evenly
    spaced times, or the times themselves (strictly increasing, within the run)."""
    if points is None:      # every 0.1 h counted from time 0, plus the start and the end
        k0, k1 = math.ceil(start * 10 - 1e-6), math.floor(end_h * 10 + 1e-6)
        if k1 - k0 + 3 > MAX_POINTS:
            raise PathwaysInputError(
                f"the run from {start:g} h to {end_h:g} h needs more than {MAX_POINTS} "
                "output times at the default 0.1-h spacing; pass points=N")
        steps = np.arange(k0, k1 + 1) / 10.0
        steps = steps[(steps > start + TIME_RESOLUTION_H)
                      & (steps < end_h - TIME_RESOLUTION_H)]
        return np.concatenate(([start], steps, [end_h]))
    if isinstance(points, (int, np.integer)) and not isinstance(points, bool):
        if not 2 <= points <= MAX_POINTS:
            raise PathwaysInputError(f"points must be in [2, {MAX_POINTS}], got {points}")
        return np.linspace(start, end_h, int(points))
    if isinstance(points, (bool, float, np.bool_, np.floating)):
        raise PathwaysInputError(f"points must be an integer (how many) or an array of "
                                 f"times in h, got {points!r}")
    flags = [x for x in (points if isinstance(points, (list, tuple)) else ())
             if isinstance(x, (bool, np.bool_))]
    if flags or getattr(points, "dtype", None) == bool:
        raise PathwaysInputError(f"points must be times in h, not True/False, got "
                                 f"{points!r}")
    try:
        grid = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        raise PathwaysInputError("points must be an integer or an array of times in h") \
            from None
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)):
        raise PathwaysInputError("points must hold at least 2 finite times (h)")
    if np.any(np.diff(grid) <= 0):
        raise PathwaysInputError("output times must be strictly increasing")
    if grid[0] < start - TIME_RESOLUTION_H or grid[-1] > end_h + TIME_RESOLUTION_H:
        raise PathwaysInputError(
            f"output times must lie within [{start:g}, {end_h:g}] h")
    return grid
