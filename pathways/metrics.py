"""Scalar metrics of a simulated readout: peak, time of peak, value at t, AUC, half-life,
duration below a threshold. Each takes a pandas Series indexed by time in hours and returns
a float in the readout's unit (times in h, AUC in unit·h)."""
from __future__ import annotations

import numpy as np

from .checks import finite_number
from .errors import PathwaysInputError


class ArraySeries:
    """Times (h) and values as NumPy arrays, readable by every metric here like a pandas
    Series (`.index.values`, `.values`, negation) without building one: for tight loops."""

    __slots__ = ("index", "values")

    def __init__(self, times, values):
        self.index = _Index(np.asarray(times, float))
        self.values = np.asarray(values, float)

    def __neg__(self) -> "ArraySeries":
        return ArraySeries(self.index.values, -self.values)


class _Index:
    __slots__ = ("values",)

    def __init__(self, values):
        self.values = values


SPAN_TOLERANCE_H = 1e-6     # a metric time this far outside the run still counts as inside


def _times(series) -> np.ndarray:
    """Return the output times (h) of `series`, or raise if it is not a time-indexed series
    or its times do not strictly increase (a reversed, unsorted or concatenated series)."""
    try:
        t = series.index.values
    except AttributeError:
        raise PathwaysInputError(f"a metric needs a pandas Series indexed by time (h) or a "
                                 f"metrics.ArraySeries, got {type(series).__name__}") from None
    if t.dtype.kind not in "iuf":              # a string, tuple (MultiIndex) or date index
        raise PathwaysInputError(f"a metric needs a series indexed by time in h (numbers), "
                                 f"got an index of {t.dtype} values; select one run's column "
                                 "first")
    steps = np.diff(t)
    if steps.size and not steps.min() > 0:      # also catches NaN times
        i = int(np.argmin(steps > 0))
        raise PathwaysInputError(
            f"a metric needs times that strictly increase; the series goes from {t[i]:g} h "
            f"to {t[i + 1]:g} h at position {i + 1} (sort it with .sort_index() and drop "
            "repeated times)")
    return t


def _check_span(t, what: str, *times) -> None:
    """Raise if the series is empty, a requested time is not a finite number, or it lies
    outside the simulated span [t[0], t[-1]] h."""
    if len(t) == 0:
        raise PathwaysInputError("the series has no output times")
    for x in times:
        if x is not None:
            x = finite_number(x, what, "h")
        if x is not None and not (t[0] - SPAN_TOLERANCE_H <= x <= t[-1] + SPAN_TOLERANCE_H):
            raise PathwaysInputError(f"{what} {x:g} h is outside the simulated time span "
                                     f"[{t[0]:g}, {t[-1]:g}] h")


def _window(series, t0=None, t1=None, edges=False):
    """Return (times, values) within [t0, t1] h; with `edges`, values linearly interpolated
    at t0 and t1 are added when they fall between output times."""
    t = _times(series)
    _check_span(t, "window edge", t0, t1)
    if t0 is not None and t1 is not None and t1 < t0:
        raise PathwaysInputError(f"the window [{t0:g}, {t1:g}] h ends before it starts")
    if edges:
        y_all = series.values
        lo = t[0] if t0 is None else max(t0, t[0])
        hi = t[-1] if t1 is None else min(t1, t[-1])
        inside = (t > lo) & (t < hi)
        tt = np.concatenate(([lo], t[inside], [hi]))
        return tt, np.interp(tt, t, y_all)
    sel = np.ones(t.size, bool)
    if t0 is not None:
        sel &= t >= t0 - 1e-9
    if t1 is not None:
        sel &= t <= t1 + 1e-9
    if sel.sum() < 1:
        raise PathwaysInputError(f"no output times in the window [{t0}, {t1}] h")
    return t[sel], series.values[sel]


def peak(series, t0=None, t1=None) -> float:
    """Return the largest value of `series` within [t0, t1] h."""
    return float(np.max(_window(series, t0, t1)[1]))


def trough(series, t0=None, t1=None) -> float:
    """Return the smallest value of `series` within [t0, t1] h."""
    return float(np.min(_window(series, t0, t1)[1]))


def time_of_peak(series, t0=None, t1=None) -> float:
    """Return the time (h) of the largest value within [t0, t1] h."""
    t, y = _window(series, t0, t1)
    return float(t[int(np.argmax(y))])


def time_of_trough(series, t0=None, t1=None) -> float:
    """Return the time (h) of the smallest value within [t0, t1] h."""
    t, y = _window(series, t0, t1)
    return float(t[int(np.argmin(y))])


def value_at(series, t: float) -> float:
    """Return the value at time t (h), linearly interpolated between output times."""
    _check_span(_times(series), "time", t)
    return float(np.interp(t, series.index.values, series.values))


def auc(series, t0=None, t1=None) -> float:
    """Return the area under the curve over [t0, t1] h (trapezoidal between output times,
    linear interpolation at window edges between them; unit·h)."""
    t, y = _window(series, t0, t1, edges=True)
    return float(np.trapezoid(y, t))


def half_life(series, t0: float, t1: float) -> float:
    """Return the half-life (h) of a log-linear least-squares fit over [t0, t1] h."""
    t, y = _window(series, t0, t1)
    if t.size < 2 or np.any(y <= 0):
        raise PathwaysInputError(f"half-life needs >= 2 positive values in [{t0}, {t1}] h")
    slope = np.polyfit(t, np.log(y), 1)[0]
    return float(np.log(2) / -slope) if slope < 0 else float("inf")


def duration_below(series, threshold: float, t0=None, t1=None) -> float:
    """Return the total time (h) the readout spends at or below `threshold` within [t0, t1]
    (linear between output times, so crossings count in part)."""
    threshold = finite_number(threshold, "threshold")
    t, y = _window(series, t0, t1, edges=True)
    a, b, dt = y[:-1] - threshold, y[1:] - threshold, np.diff(t)
    both = (a <= 0) & (b <= 0)
    cross = (a <= 0) != (b <= 0)
    frac = np.zeros_like(dt)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(a <= 0, a / (a - b), b / (b - a))   # the part at or below
    frac[cross] = share[cross]
    return float(np.sum(dt[both]) + np.sum((dt * frac)[cross]))


def duration_above(series, threshold: float, t0=None, t1=None) -> float:
    """Return the total time (h) the readout spends at or above `threshold`."""
    _times(series)
    return duration_below(-series, -finite_number(threshold, "threshold"), t0, t1)


METRICS = {"peak": peak, "trough": trough, "time_of_peak": time_of_peak,
           "time_of_trough": time_of_trough, "value_at": value_at, "auc": auc,
           "half_life": half_life, "duration_below": duration_below,
           "duration_above": duration_above}

_TIME_METRICS = ("time_of_peak", "time_of_trough", "half_life", "duration_below",
                 "duration_above")


def metric_unit(metric: str, readout_unit: str) -> str:
    """Return the unit of `metric` of a readout in `readout_unit` ("1" = dimensionless):
    h for times and durations, unit·h for an AUC, the readout's unit otherwise."""
    if metric in _TIME_METRICS:
        return "h"
    if metric == "auc":
        return "h" if readout_unit in ("1", "") else f"{readout_unit}·h"
    return readout_unit
