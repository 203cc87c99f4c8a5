"""Small validators for user input; each raises PathwaysInputError with the unit in the message."""
from __future__ import annotations

import math
from numbers import Real

from .errors import PathwaysInputError


def finite_number(value, name: str, unit: str = "") -> float:
    """Return `value` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise PathwaysInputError(f"{name} must be a number{_u(unit)}, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise PathwaysInputError(f"{name} must be finite{_u(unit)}, got {value!r}")
    return value


def in_range(value, name: str, low: float, high: float, unit: str = "",
             low_inclusive: bool = True, high_inclusive: bool = True) -> float:
    """Return `value` as a float if low <= value <= high (strictness per flag), else raise."""
    value = finite_number(value, name, unit)
    too_low = value < low if low_inclusive else value <= low
    too_high = value > high if high_inclusive else value >= high
    if too_low or too_high:
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        raise PathwaysInputError(
            f"{name} must be in {lo}{low:g}, {high:g}{hi}{_u(unit)}, got {shown(value)}")
    return value


def nonempty_text(value, name: str) -> str:
    """Return `value` if it is a string with something besides whitespace, else raise."""
    if not isinstance(value, str) or not value.strip():
        raise PathwaysInputError(f"{name} must be a non-empty string, got {value!r}")
    return value


def positive(value, name: str, unit: str = "", maximum: float = math.inf) -> float:
    """Return `value` if 0 < value <= maximum, else raise."""
    return in_range(value, name, 0.0, maximum, unit, low_inclusive=False)


def shown(value: float) -> str:
    """Return `value` in short form (`:g`) unless that rounds it (8760.0001 is not "8760"):
    then in full (repr)."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def listed_times(times, most: int = 6) -> str:
    """Return the first `most` times (h) as "4, 6, 8" (`:g`), with ", ..." when there are
    more: for messages that name doses or events."""
    times = list(times)
    return ", ".join(f"{t:g}" for t in times[:most]) + (", ..." if len(times) > most else "")


def _u(unit: str) -> str:
    return f" (in {unit})" if unit else ""
