"""Scalar metrics of a simulated readout: peak, time of peak, value at t, AUC, half-life,
duration below a threshold. Each takes a pandas Series indexed by time in hours and returns
a float in the readout's unit (times in h, AUC in unit·h)."""
from __future__ import annotations

import numpy as np

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


def _window(series, t0=None, t1=None):
    t = series.index.values
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
    return float(np.interp(t, series.index.values, series.values))


def auc(series, t0=None, t1=None) -> float:
    """Return the area under the curve over [t0, t1] h (trapezoidal; unit·h)."""
    t, y = _window(series, t0, t1)
    return float(np.trapezoid(y, t))


def half_life(series, t0: float, t1: float) -> float:
    """Return the half-life (h) of a log-linear least-squares fit over [t0, t1] h."""
    t, y = _window(series, t0, t1)
    if t.size < 2 or np.any(y <= 0):
        raise PathwaysInputError(f"half-life needs >= 2 positive values in [{t0}, {t1}] h")
    slope = np.polyfit(t, np.log(y), 1)[0]
    return float(np.log(2) / -slope) if slope < 0 else float("inf")


def duration_below(series, threshold: float, t0=None, t1=None) -> float:
    """Return the total time (h) the readout spends at or below `threshold`."""
    t, y = _window(series, t0, t1)
    below = (y[:-1] <= threshold) & (y[1:] <= threshold)
    return float(np.sum(np.diff(t)[below]))


def duration_above(series, threshold: float, t0=None, t1=None) -> float:
    """Return the total time (h) the readout spends at or above `threshold`."""
    return duration_below(-series, -threshold, t0, t1)


METRICS = {"peak": peak, "trough": trough, "time_of_peak": time_of_peak,
           "time_of_trough": time_of_trough, "value_at": value_at, "auc": auc,
           "half_life": half_life, "duration_below": duration_below,
           "duration_above": duration_above}
