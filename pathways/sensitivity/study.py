"""`Study`: what a sensitivity analysis varies and what it measures.

A study names a model (and species), a dosing regimen and perturbations, one readout, a scalar
metric of that readout (`pathways.metrics`), and the parameters to vary with their ranges.
It is small and picklable: engines send it to worker processes, which load the model once per
process (`worker_model`) and call `Study.evaluate` on batches of parameter sets.

Ranges default to ×/÷ `fold` (2) around the nominal value, log-uniform, capped at 1 for
parameters that are fractions (`Model.fractions`: shares, probabilities, bioavailabilities);
explicit ranges are `(low, high)` (log-uniform when low > 0, else uniform) or
`(low, high, "linear"|"log")`.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .. import metrics as _metrics
from ..checks import finite_number, in_range
from ..errors import PathwaysInputError, choices_message
from ..perturbations import resolve
from ..regimen import Regimen

DEFAULT_FOLD = 2.0
SCALES = ("log", "linear")
# free parameters that are inputs or bookkeeping, not biology: left out of the default set
# (the shipped models' naming: a user's SBML has its own, and all its parameters are varied;
# `Model.parameters` already leaves out the shipped models' body_weight)
_NOT_VARIED_SUFFIXES = ("_infusion_rate", "_ref", "_scale", "_genotype")   # _scale, _genotype:
_NOT_VARIED_PREFIXES = ("MW_", "BW_ref")   # perturbation handles; BW_ref: reference weights

_MODELS: dict[tuple, object] = {}       # (name, species, body weight, sbml hash) -> Model
EXTREMUM_METRICS = ("peak", "trough", "time_of_peak", "time_of_trough")   # read at the
# dose times and infusion ends too (with the default grid)
LOADS: dict[tuple, int] = {}            # how many times this process built each model


@dataclass(frozen=True)
class ModelSpec:
    """How a (worker) process gets the model: a shipped name, or a name with its own SBML."""

    name: str
    species: str = "human"
    body_weight_kg: float | None = None
    sbml: str | None = field(default=None, repr=False)   # None for shipped models
    start: str = "steady_state"        # a user's model may start from its file's values

    @property
    def key(self) -> tuple:
        """Return the key by which worker processes cache their built model: (name, species,
        body weight in kg, SBML digest, start)."""
        digest = hashlib.sha256(self.sbml.encode()).hexdigest()[:16] if self.sbml else ""
        return (self.name, self.species, self.body_weight_kg, digest, self.start)


def model_spec(model) -> ModelSpec:
    """Return the ModelSpec of a `pathways.Model`, by which worker processes build their own
    copy; in this process the very instance given is used."""
    shipped = model._shipped      # a user's SBML under a shipped name is not shipped
    spec = ModelSpec(model.name, model.species, model.body_weight_kg,
                     None if shipped else model.sbml, model.start)
    _MODELS[spec.key] = model
    return spec


def worker_model(spec: ModelSpec):
    """Return this process's Model for `spec`, building it only the first time."""
    model = _MODELS.get(spec.key)
    if model is None:
        from ..model import Model, load
        if spec.sbml is None:
            model = load(spec.name, spec.species, spec.body_weight_kg)
        else:
            model = Model(spec.name, spec.species, spec.body_weight_kg, sbml=spec.sbml,
                          start=spec.start)
        _MODELS[spec.key] = model
        LOADS[spec.key] = LOADS.get(spec.key, 0) + 1
    return model


@dataclass(frozen=True)
class ParameterRange:
    """One varied parameter: `low`..`high` in model units, sampled uniformly in `scale`."""

    name: str
    nominal: float
    low: float
    high: float
    scale: str = "log"

    def to_unit(self, value):
        """Map model values to the sampling coordinate (log10 for log scale)."""
        return np.log10(value) if self.scale == "log" else np.asarray(value, float)

    def from_unit(self, x):
        """Map sampling coordinates back to model values."""
        return 10.0 ** np.asarray(x, float) if self.scale == "log" else np.asarray(x, float)

    @property
    def bounds(self) -> tuple[float, float]:
        """The bounds in the sampling coordinate (what SALib sees)."""
        return (float(self.to_unit(self.low)), float(self.to_unit(self.high)))


@dataclass(frozen=True)
class Study:
    """A sensitivity study; build with `Study.define(...)` (which checks every input).

    Outputs are the metric of the readout and, when `times` is given, the readout's value at
    each of those times (for time-resolved indices).
    """

    model: ModelSpec
    readout: str
    metric: str
    metric_kwargs: tuple[tuple[str, float], ...]
    regimen: Regimen
    perturbations: tuple
    ranges: tuple[ParameterRange, ...]
    end_h: float
    grid: tuple[float, ...] = field(repr=False)
    times: tuple[float, ...] = ()
    nominal_outputs: tuple[float, ...] = field(default=(), repr=False)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def define(cls, model, readout: str, metric: str = "auc", metric_kwargs=None,
               regimen: Regimen | None = None, species: str = "human", perturbations=(),
               parameters=None, fold: float = DEFAULT_FOLD, end_h=None, times=(),
               points=None, body_weight_kg=None) -> "Study":
        """Check the inputs against the model and return a Study.

        model: a shipped model name or a `pathways.Model`. metric: one of
        `pathways.metrics.METRICS` (value_at needs t; auc/peak/... take an optional window
        t0, t1; duration_below/above need threshold). parameters: None (every free
        parameter except dosing inputs, molar masses, references, zero-valued ones, a
        component's upstream inputs and the parameters of drugs and routes the regimen does
        not use: `default_parameters`),
        a list of ids (×/÷ fold, log-uniform, capped at 1 for fractions) or a dict
        id -> None | (low, high) | (low, high, "log"|"linear"). end_h defaults to the latest
        time the metric or `times` needs. points: the output grid as in `Model.simulate`
        (default one per 6 min, plus, for a peak or trough metric, the dose times and
        infusion ends, where a plasma level peaks); the metric times and `times` are added
        to it. The nominal parameter set is
        simulated once here (its failure is the user's to see, not a NaN).
        """
        from ..model import Model

        if isinstance(model, Model):
            spec = model_spec(model)
        elif isinstance(model, str):
            spec = ModelSpec(model, species, body_weight_kg)
        else:
            raise PathwaysInputError(f"model must be a model name or a pathways.Model, got "
                                     f"{type(model).__name__}")
        m = worker_model(spec)
        regimen = Regimen.none() if regimen is None else regimen
        if not isinstance(regimen, Regimen):
            raise PathwaysInputError(f"regimen must be a pathways.Regimen, got "
                                     f"{type(regimen).__name__}")
        perts = resolve(perturbations)
        kwargs = _check_metric(metric, metric_kwargs)
        times = _check_times(times)
        end_h = _end_h(end_h, kwargs, times)
        ranges = tuple(_ranges(m, parameters, fold, regimen))
        if not isinstance(readout, str) or not readout:
            raise PathwaysInputError("readout must be a readout id, e.g. ketamine_plasma")
        variables = () if readout in m.readouts else (readout,)
        try:
            df = m.simulate(regimen, end_h, perts, points=points, variables=variables)
        except PathwaysInputError as exc:
            if str(exc).startswith("unknown variable"):
                raise PathwaysInputError(choices_message("readout", readout, m.readouts)
                                         + " (or a species/parameter id)") from None
            raise
        special = [t for t in (kwargs.get("t"), kwargs.get("t0"), kwargs.get("t1"), *times)
                   if t is not None]
        start = float(df.index[0])
        bad = [t for t in special if not start <= t <= end_h]
        if bad:
            raise PathwaysInputError(f"time {bad[0]:g} h lies outside the simulated span "
                                     f"[{start:g}, {end_h:g}] h")
        if metric in EXTREMUM_METRICS and points is None:   # a plasma peak is at a dose or
            special += [t for d in regimen.doses                # at an infusion's end: the
                        for t in (d.at_h, d.at_h + d.duration_h)    # default grid misses it
                        if start <= t <= end_h]
        grid = np.unique(np.concatenate([df.index.values, np.asarray(special, float)]))
        study = cls(spec, readout, metric, tuple(sorted(kwargs.items())), regimen, perts,
                    ranges, end_h, tuple(float(t) for t in grid), times)
        nominal = study.evaluate(m, np.array([r.nominal for r in ranges]))
        bad = [o for o, v in zip(study.outputs, nominal) if not np.isfinite(v)]
        if bad:
            import warnings
            warnings.warn(f"{', '.join(bad)} is not finite at the nominal parameters (e.g. a "
                          "half-life the run does not reach): samples like it are left out of "
                          "the indices; check the metric and end_h", UserWarning, stacklevel=2)
        return _replace(study, nominal_outputs=tuple(float(v) for v in nominal))

    # -- description ------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """The varied parameter ids, in sampling order."""
        return [r.name for r in self.ranges]

    @property
    def outputs(self) -> list[str]:
        """Output names: the metric label, then `<readout>@<t>h` for each of `times`."""
        return [self.metric_label] + [f"{self.readout}@{t:.10g}h" for t in self.times]

    @property
    def output_units(self) -> list[str]:
        """The unit of each output ("1" = dimensionless): the metric's, then the readout's
        for each of `times`. A species of a shipped model is in µM (as `simulate` returns
        it); any other id that is not a readout is in "model units"."""
        from ..metrics import metric_unit
        from ..readouts import READOUTS
        if self.readout in READOUTS:
            unit = READOUTS[self.readout][0]
        elif self.model.sbml is None and self.readout in worker_model(self.model)._species_ids:
            unit = "µM"
        else:
            unit = "model units"
        return [metric_unit(self.metric, unit)] + [unit] * len(self.times)

    @property
    def metric_label(self) -> str:
        """Return the output's label: the metric with its arguments, applied to the readout."""
        kw = ",".join(f"{k}={v:g}" for k, v in self.metric_kwargs)
        return f"{self.metric}({self.readout}{',' + kw if kw else ''})"

    def problem(self) -> dict:
        """The SALib problem (bounds in the sampling coordinate: log10 for log ranges)."""
        return {"num_vars": len(self.ranges), "names": self.names,
                "bounds": [list(r.bounds) for r in self.ranges]}

    def to_values(self, x: np.ndarray) -> np.ndarray:
        """Map a (n, k) array in sampling coordinates to model parameter values."""
        x = np.atleast_2d(x)
        return np.column_stack([r.from_unit(x[:, j]) for j, r in enumerate(self.ranges)])

    def describe(self) -> dict:
        """A JSON-able record of the study (written beside the results; checked on resume)."""
        return {"model": self.model.name, "species": self.model.species,
                "body_weight_kg": self.model.body_weight_kg,
                "sbml_sha256": self.model.key[3] or _shipped_sbml_digest(self.model),
                **({"start": self.model.start} if self.model.start != "steady_state" else {}),
                "nominal_outputs": list(self.nominal_outputs),
                "readout": self.readout, "metric": self.metric,
                "metric_kwargs": dict(self.metric_kwargs), "regimen": repr(self.regimen),
                "perturbations": [p.describe() for p in self.perturbations],
                "end_h": self.end_h, "times": list(self.times),
                "grid_sha256": hashlib.sha256(np.asarray(self.grid, float).tobytes())
                .hexdigest()[:16],
                "parameters": [{"name": r.name, "nominal": r.nominal, "low": r.low,
                                "high": r.high, "scale": r.scale} for r in self.ranges]}

    def fingerprint(self) -> str:
        """Return the SHA-256 of the study's description, which a resumed run must match."""
        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True).encode()).hexdigest()

    # -- evaluation ---------------------------------------------------------------------------
    def series(self, model, values):
        """Simulate one parameter set (model units, in `names` order); return the readout
        as a Series indexed by time_h (on the study's output grid)."""
        import pandas as pd

        times, y = self._simulate(model, values)
        return pd.Series(y, index=pd.Index(times, name="time_h"), name=self.readout)

    def _simulate(self, model, values):
        params = {r.name: float(v) for r, v in zip(self.ranges, values)}
        times, data = model.simulate_arrays(self.regimen, self.end_h, self.perturbations,
                                            parameters=params, points=np.asarray(self.grid),
                                            columns=[self.readout])
        return times, data[:, 0]

    def evaluate(self, model, values) -> np.ndarray:
        """Simulate one parameter set (model units, in `names` order); return the outputs."""
        series = _metrics.ArraySeries(*self._simulate(model, values))
        out = [_metrics.METRICS[self.metric](series, **dict(self.metric_kwargs))]
        out += [_metrics.value_at(series, t) for t in self.times]
        return np.asarray(out, float)


def check_study(study) -> Study:
    """Return `study` if it is a Study, else raise PathwaysInputError."""
    if not isinstance(study, Study):
        raise PathwaysInputError(f"study must be a pathways.sensitivity.Study (build it with "
                                 f"Study.define(...)), got {type(study).__name__}")
    return study


def _shipped_sbml_digest(spec: ModelSpec) -> str:
    """The digest of a shipped model's SBML as this process builds it (so resuming a study
    after the model changed is refused, not mixed)."""
    from ..provenance import sbml_sha256
    return sbml_sha256(worker_model(spec))[:16]


def _replace(study: Study, **changes) -> Study:
    from dataclasses import replace
    return replace(study, **changes)


def _check_metric(metric, metric_kwargs) -> dict[str, float]:
    if not isinstance(metric, str) or metric not in _metrics.METRICS:
        raise PathwaysInputError(choices_message("metric", metric, _metrics.METRICS))
    if metric_kwargs is not None and not isinstance(metric_kwargs, Mapping):
        raise PathwaysInputError(f"metric_kwargs must be a dict such as {{'t': 24}}, got "
                                 f"{type(metric_kwargs).__name__}")
    kwargs = dict(metric_kwargs or {})
    sig = inspect.signature(_metrics.METRICS[metric])
    allowed = [p for p in sig.parameters if p != "series"]
    required = [p for p in allowed if sig.parameters[p].default is inspect.Parameter.empty]
    for k in kwargs:
        if k not in allowed:
            raise PathwaysInputError(f"metric {metric} takes {', '.join(allowed) or 'nothing'}"
                                     f", not {k!r}")
    missing = [k for k in required if kwargs.get(k) is None]
    if missing:
        raise PathwaysInputError(f"metric {metric} needs {', '.join(missing)}")
    out = {k: finite_number(v, f"metric argument {k}", "h" if k != "threshold" else "")
           for k, v in kwargs.items() if v is not None}
    if "t0" in out and "t1" in out and out["t1"] <= out["t0"]:
        raise PathwaysInputError(f"empty window [{out['t0']:g}, {out['t1']:g}] h")
    return out


def _check_times(times) -> tuple[float, ...]:
    if times is None:
        return ()
    if isinstance(times, str):
        raise PathwaysInputError(f"times must be numbers of hours, got {times!r}")
    times = np.atleast_1d(np.asarray(times, dtype=object)).ravel()
    out = sorted({finite_number(t, "time", "h") for t in times})
    labels = [f"{t:.10g}" for t in out]          # as the output names print them
    clash = sorted({lab for lab in labels if labels.count(lab) > 1})
    if clash:
        raise PathwaysInputError(f"times {', '.join(clash)} h are given twice in slightly "
                                 "different forms (e.g. 0.3 and 0.1 + 0.2); give each once")
    return tuple(out)


def _end_h(end_h, kwargs, times) -> float:
    if end_h is not None:
        return in_range(end_h, "end_h", 0.0, 24.0 * 365, "h", low_inclusive=False)
    needed = [v for k, v in kwargs.items() if k in ("t", "t1")] + list(times)
    if not needed:
        raise PathwaysInputError("give end_h (h), or a metric time t or window end t1")
    if max(needed) <= 0:
        raise PathwaysInputError(f"the latest metric time is {max(needed):g} h; the run "
                                 "starts at the dose (0 h), so give a time > 0 h (or end_h)")
    return float(max(needed))


def default_parameters(model, regimen: Regimen | None = None) -> list[str]:
    """The free parameters varied when none are named. Left out of a shipped model: dosing
    inputs, molar masses, references, perturbation handles, body weight and the inputs a
    component model takes from the module upstream (`@inputs`: they are the experiment's
    conditions, not biology); of any model, a user's SBML too: zero-valued and non-finite ones.
    With a `regimen` that doses something, two kinds that cannot change the run are left out
    too (each would cost n simulations for an index of 0): the parameters of drugs it does not
    dose (esketamine, memantine, midazolam, hydroxynorketamine: `_esk`, `_mem`, `_mdz`,
    `_hnk`; hydroxynorketamine's stay when ketamine or esketamine, which form it, is dosed),
    and those used only by
    the absorption reactions of depots it never fills (`<drug>_depot_<route>`: e.g. oral
    ketamine's F and ka when ketamine is given IV, whatever else is given orally)."""
    from .. import sources
    inputs = sources.input_ids(model.name) if model._shipped else frozenset()
    unused = _unused_by_regimen(model, regimen)
    out = []
    for pid, v in model.parameters.items():
        named = model._shipped and (pid.endswith(_NOT_VARIED_SUFFIXES)
                                    or pid.startswith(_NOT_VARIED_PREFIXES))
        if named or pid in inputs or v == 0 or not math.isfinite(v) or pid in unused:
            continue
        out.append(pid)
    return out


def _unused_by_regimen(model, regimen) -> set[str]:
    """Return the parameters `regimen` cannot reach (see `default_parameters`); empty for a
    regimen without doses (then nothing is known to be unused)."""
    import libsbml

    from ..drugs import get_drug, undosed_drug_ids
    from ..graph import ast_names
    if regimen is None or not regimen.doses:
        return set()
    drug_specific = undosed_drug_ids(regimen)
    filled = {f"{get_drug(d.drug).prefix}_depot_{d.route}" for d in regimen.doses}
    m = libsbml.readSBMLFromString(model.sbml).getModel()
    elsewhere: set[str] = set()                 # used by something other than an idle depot
    by_idle_depot: set[str] = set()
    for r in m.getListOfReactions():
        names = ast_names(r.getKineticLaw().getMath()) if r.isSetKineticLaw() else set()
        sources_ = {sr.getSpecies() for sr in r.getListOfReactants()}
        idle = bool(sources_) and all("_depot_" in sp and sp not in filled for sp in sources_)
        (by_idle_depot if idle else elsewhere).update(names)
    for x in list(m.getListOfRules()) + list(m.getListOfInitialAssignments()):
        elsewhere |= ast_names(x.getMath())
    for e in m.getListOfEvents():
        elsewhere |= ast_names(e.getTrigger().getMath() if e.isSetTrigger() else None)
        for a in e.getListOfEventAssignments():
            elsewhere |= ast_names(a.getMath())
    unused = by_idle_depot - elsewhere
    if drug_specific is not None and model._shipped:    # the shipped models' naming only
        unused |= {p for p in model.parameters if drug_specific.search(p)}
    return unused


#: Widest default range, ×/÷ 1000: six orders of magnitude per parameter (a fold of 1e308
#: made every sample infinite and wrote Infinity into study.json).
MAX_FOLD = 1000.0


def _ranges(model, parameters, fold, regimen=None):
    fold = finite_number(fold, "fold")
    if not 1 < fold <= MAX_FOLD:
        raise PathwaysInputError(f"fold must be in (1, {MAX_FOLD:g}] (a range of ×/÷ fold), "
                                 f"got {fold:g}")
    if parameters is None:
        parameters = default_parameters(model, regimen)
    if isinstance(parameters, str):
        parameters = [p for p in parameters.split(",") if p]
    if not isinstance(parameters, Mapping):
        try:
            names = list(parameters)
        except TypeError:
            raise PathwaysInputError(f"parameters must be a list of parameter ids or a dict "
                                     f"id -> range, got {type(parameters).__name__}") from None
        twice = sorted({str(p) for p in names if names.count(p) > 1})
        if twice:
            raise PathwaysInputError(f"parameter named twice: {', '.join(twice)}")
        parameters = {p: None for p in names}
    if not parameters:
        raise PathwaysInputError("no parameters to vary")
    free = model.parameters
    for name, spec in parameters.items():
        if name not in free:
            raise PathwaysInputError(choices_message(f"parameter of {model.name}", name, free))
        yield _one_range(name, free[name], spec, fold, name in model.fractions)


def _one_range(name, nominal, spec, fold, fraction=False) -> ParameterRange:
    if fraction and not 0 <= nominal <= 1:
        raise PathwaysInputError(f"{name} is a fraction but its nominal value is {nominal:g}; "
                                 "fractions lie in [0, 1]")
    if isinstance(spec, ParameterRange):
        spec = (spec.low, spec.high, spec.scale)
    if spec is None:
        if nominal == 0:
            raise PathwaysInputError(f"{name} is 0 at nominal; give an explicit range")
        lo, hi = sorted((nominal / fold, nominal * fold))
        if fraction:
            hi = min(hi, 1.0)           # a share cannot exceed 1
        return ParameterRange(name, nominal, lo, hi, "log" if nominal > 0 else "linear")
    if isinstance(spec, (int, float)) or len(spec) not in (2, 3):
        raise PathwaysInputError(f"range of {name} must be (low, high) or (low, high, scale)")
    lo = finite_number(spec[0], f"low end of {name}")
    hi = finite_number(spec[1], f"high end of {name}")
    if not lo < hi:
        raise PathwaysInputError(f"empty range for {name}: [{lo:g}, {hi:g}]")
    scale = spec[2] if len(spec) == 3 else ("log" if lo > 0 else "linear")
    if scale not in SCALES:
        raise PathwaysInputError(choices_message(f"scale of {name}", scale, SCALES))
    if nominal == 0 and lo < 0:           # as Model.simulate refuses negative overrides
        raise PathwaysInputError(f"range of {name} reaches {lo:g}; it is 0 at nominal and "
                                 "cannot be negative, so the range must start at >= 0")
    if nominal > 0 and lo <= 0 and not (fraction and lo == 0):   # a share may be 0
        raise PathwaysInputError(f"range of {name} reaches {lo:g}; it is positive (nominal "
                                 f"{nominal:g}) so the range must stay > 0")
    if fraction and (hi > 1 or lo < 0):
        raise PathwaysInputError(f"range of {name} reaches {hi if hi > 1 else lo:g}; it is a "
                                 "fraction, so the range must stay within [0, 1]")
    if scale == "log" and lo <= 0:
        raise PathwaysInputError(f"log range of {name} needs low > 0, got {lo:g}")
    return ParameterRange(name, nominal, lo, hi, scale)
