"""The validation suite's building blocks: a LIT row, its metrics, its outcome.

Every row of shared/LITERATURE.md is registered once, either with a check function (which
sets the experiment up through the public API and returns `Metric`s with their accepted
range) or as NOT EXPRESSIBLE with the reason. `pathways validate` and the pytest suite run
the same registry.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

FITS_FILE = Path(__file__).resolve().parent.parent / "data" / "fits.toml"


@dataclass(frozen=True)
class Metric:
    """One simulated number with its accepted range [lo, hi] (inclusive, or exclusive of lo
    when `lo_open`) and unit. A metric with no finite bound is reported, not checked."""

    name: str
    value: float
    lo: float
    hi: float
    unit: str = ""
    lo_open: bool = False
    ratio: bool = False           # a fraction of a control (figures show 0 and 1 with it)

    @property
    def checked(self) -> bool:
        """False for a reported-only metric (no finite bound)."""
        return self.lo != float("-inf") or self.hi != float("inf")

    @property
    def passed(self) -> bool:
        """True when the value is inside the expected range (always true for a reported-only
        metric)."""
        if not self.checked:            # reported only: nothing to fail, even a NaN
            return True
        above = self.value > self.lo if self.lo_open else self.value >= self.lo
        return above and self.value <= self.hi

    def expected_text(self) -> str:
        """Return the expected range as text (without the unit)."""
        if not self.checked:
            return "reported, not checked"
        if self.lo == float("-inf"):
            return f"<= {self.hi:.4g}"
        if self.hi == float("inf"):
            return f"{'>' if self.lo_open else '>='} {self.lo:.4g}"
        if self.lo == self.hi:
            return f"= {self.lo:.4g}"
        joiner = " to " if min(self.lo, self.hi) < 0 else "-"      # never "-31.2--16.8"
        return f"{self.lo:.4g}{joiner}{self.hi:.4g}"

    def expected_with_unit(self) -> str:
        """Return `expected_text()` followed by the unit (none after a reported-only one)."""
        unit = f" {self.unit}" if self.unit and self.checked else ""
        return self.expected_text() + unit


@dataclass
class Outcome:
    """What a check measured: metrics, and curves to draw (label -> Series over time_h)."""

    metrics: list[Metric]
    curves: dict = field(default_factory=dict)
    ylabel: str = ""
    # published marks (x, lo, hi, label): x a time (h), a range lo..hi at it; x None, a band
    # lo..hi over the axis; x a pair (x_lo, x_hi), a range along x at the height lo (= hi)
    marks: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every metric passed."""
        return all(m.passed for m in self.metrics)


@dataclass(frozen=True)
class Row:
    """A LITERATURE.md row: how it is checked, or why it cannot be (yet)."""

    id: str
    setup: str
    expected: str
    source: str
    check: Callable[[], Outcome] | None = None
    xfail: str | None = None
    not_expressible: str | None = None
    tolerance_note: str | None = None
    kind: str | None = None       # overrides 'fitted'/'prediction' (e.g. a consistency check)
    fails: tuple[str, ...] = ()   # XFAIL rows: the metrics (name prefixes) known to fail

    def known_failure(self, metric_name: str) -> bool:
        """True if `metric_name` is one of this XFAIL row's known failing metrics."""
        return any(metric_name.startswith(prefix) for prefix in self.fails)


ROWS: dict[str, Row] = {}


def row(id: str, *, setup: str, expected: str, source: str, xfail: str | None = None,
        tolerance_note: str | None = None, kind: str | None = None, fails=()):
    """Register the decorated function as the check of LIT row `id`. `kind` replaces the
    fitted/prediction label for a row that can only check consistency (say why in it).

    An XFAIL row (`xfail`: the reason) names in `fails` the metrics (name prefixes) that are
    known to fail; every other metric of the row must still pass, so a known limit never
    hides a regression in the parts of the row that work."""
    if bool(xfail) != bool(fails):
        raise ValueError(f"{id}: an XFAIL row gives both its reason and its failing metrics")

    def deco(fn: Callable[[], Outcome]):
        if not fn.__doc__:
            fn.__doc__ = (f"Run the check of {id} ({setup}; expected: {expected}; source: "
                          f"{source}). Return its Outcome: one Metric per checked number, "
                          "each in its own unit, and the curves of the row's figure.")
        _register(Row(id, setup, expected, source, fn, xfail, None, tolerance_note, kind,
                      tuple(fails)))
        return fn
    return deco


def not_expressible(id: str, *, setup: str, expected: str, source: str, reason: str) -> None:
    """Register LIT row `id` as NOT EXPRESSIBLE with `reason`."""
    _register(Row(id, setup, expected, source, not_expressible=reason))


def _register(r: Row) -> None:
    if r.id in ROWS:
        raise ValueError(f"LIT row {r.id} registered twice")
    ROWS[r.id] = r


@functools.cache
def fitted_rows() -> dict[str, list[str]]:
    """Return {LIT row: [fitted parameter ids]} from the file the fit scripts write."""
    if not FITS_FILE.exists():
        return {}
    data = tomllib.loads(FITS_FILE.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for pid, entry in data.items():
        for r in entry.get("rows", []):
            out.setdefault(r, []).append(pid)
    return out


def provenance(row_id: str) -> str:
    """Return the row's own kind if it has one, 'fitted (params)' if a fit used this row,
    else 'prediction'."""
    if row_id in ROWS and ROWS[row_id].kind:
        return ROWS[row_id].kind
    params = fitted_rows().get(row_id)
    return f"fitted ({', '.join(sorted(params))})" if params else "prediction"


_MODELS: dict = {}
SCALED: dict[str, float] = {}     # {parameter: fold} while `robustness.scaled` is active
SCALED_IN: dict[str, tuple] = {}  # {parameter: species whose parameter sets it scales}


def model(name: str, species: str = "human"):
    """Return a loaded model, shared by all checks of one process (inside
    `pathways.validation.robustness.scaled`, a view of it with the scaled parameters)."""
    from ..model import load
    if (name, species) not in _MODELS:
        _MODELS[name, species] = load(name, species)
    folds = {k: f for k, f in SCALED.items() if species in SCALED_IN.get(k, (species,))}
    if folds:
        return ScaledModel(_MODELS[name, species], folds)
    return _MODELS[name, species]


class ScaledModel:
    """A loaded model whose runs (`simulate`, `simulate_arrays`, `effect`) take each
    parameter of `folds` at fold times the model's own value (its species' parameter set);
    values a run gives itself win. Everything else is the model's."""

    def __init__(self, base, folds: dict[str, float]):
        self._base = base
        own = base.parameters
        self._values = {k: own[k] * f for k, f in folds.items() if k in own}

    def __getattr__(self, name):
        return getattr(self._base, name)

    @property
    def parameters(self) -> dict[str, float]:
        """Return the model's independent parameters (model units), the scaled ones scaled."""
        return {**self._base.parameters, **self._values}

    def simulate(self, regimen=None, end_h=24.0, perturbations=(), parameters=None,
                 **kwargs):
        """`Model.simulate` with the scaled values under the run's own `parameters`."""
        return self._base.simulate(regimen, end_h, perturbations,
                                   self._merged(parameters), **kwargs)

    def simulate_arrays(self, regimen=None, end_h=24.0, perturbations=(), parameters=None,
                        **kwargs):
        """`Model.simulate_arrays` with the scaled values under the run's own `parameters`."""
        return self._base.simulate_arrays(regimen, end_h, perturbations,
                                          self._merged(parameters), **kwargs)

    def effect(self, regimen, end_h=24.0, perturbations=(), parameters=None, **kwargs):
        """`Model.effect` with the scaled values under the run's own `parameters`."""
        return self._base.effect(regimen, end_h, perturbations, self._merged(parameters),
                                 **kwargs)

    def _merged(self, parameters):
        """Return the scaled values updated with the run's own (a dict, or None if empty)."""
        return {**self._values, **(parameters or {})} or None


def loaded_models() -> list:
    """Return the models the checks of this process have loaded (`model`), in load order."""
    return list(_MODELS.values())


def within(name: str, value: float, target: float, rel: float = 0.30, unit: str = "") -> Metric:
    """Return a Metric accepting target ± rel (LITERATURE.md: ±30% for a single number)."""
    lo, hi = sorted((target * (1 - rel), target * (1 + rel)))
    return Metric(name, value, lo, hi, unit)


def between(name: str, value: float, lo: float, hi: float, unit: str = "") -> Metric:
    """Return a Metric accepting lo <= value <= hi."""
    return Metric(name, value, lo, hi, unit)


def at_least(name: str, value: float, lo: float, unit: str = "") -> Metric:
    """Return a Metric accepting value >= lo."""
    return Metric(name, value, lo, float("inf"), unit)


def at_most(name: str, value: float, hi: float, unit: str = "") -> Metric:
    """Return a Metric accepting value <= hi."""
    return Metric(name, value, float("-inf"), hi, unit)


def fraction_at_most(name: str, part: float, whole: float, limit: float) -> Metric:
    """Return a Metric accepting |part| / |whole| <= limit: an effect 'abolished' or
    'inactive' relative to a control is small in size whatever its sign (a large effect in
    the opposite direction is not abolished). A zero control gives infinity (fails)."""
    return Metric(name, abs(part) / abs(whole) if whole else float("inf"), float("-inf"),
                  limit, ratio=True)


def above(name: str, value: float, lo: float, unit: str = "") -> Metric:
    """Return a Metric accepting value > lo (strictly)."""
    return Metric(name, value, lo, float("inf"), unit, lo_open=True)


def reported(name: str, value: float, unit: str = "") -> Metric:
    """Return a Metric that reports a value the row asks for without a range to check
    (e.g. 'state the peak you predict and when'); it never fails."""
    return Metric(name, value, float("-inf"), float("inf"), unit)
