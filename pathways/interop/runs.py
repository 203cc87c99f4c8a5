"""A `Run`: one time course exactly as `Model.simulate` ran it, and its output times."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..events import output_grid
from ..perturbations import Perturbation, resolve
from ..regimen import Regimen

MAX_UNIFORM_POINTS = 20_001       # a SED-ML uniform time course longer than this is refused


@dataclass(frozen=True)
class Run:
    """One simulated time course: what `Model.simulate` was given, and its output times (h)."""

    model: str
    species: str
    body_weight_kg: float
    regimen: Regimen
    end_h: float
    perturbations: tuple[Perturbation, ...]
    parameters: tuple[tuple[str, float], ...]
    times: tuple[float, ...]
    variables: tuple[str, ...] = ()     # model ids read beside the readouts (`simulate`)
    sbml_sha256: str = ""               # SHA-256 of the SBML simulated (`provenance.sbml_sha256`)
    start: str = "steady_state"         # or "initial": a user's model from its file's values

    def describe(self) -> str:
        """Return a one-line description of the run (species, doses, perturbations, end)."""
        doses = "; ".join(d.describe() for d in self.regimen.doses) or "vehicle"
        perts = ", ".join(p.describe() for p in self.perturbations)
        params = ", ".join(f"{k}={v:g}" for k, v in self.parameters)
        return (f"{self.model} ({self.species}): {doses}"
                + (f"; perturbations: {perts}" if perts else "")
                + (f"; parameters: {params}" if params else "")
                + f"; to {self.end_h:g} h"
                + (f"; also reads {', '.join(self.variables)}" if self.variables else ""))

    def simulate(self, model=None):
        """Return `Model.simulate` of this run (a DataFrame indexed by time_h, readout units)."""
        from ..model import load
        model = model or load(self.model, self.species, self.body_weight_kg)
        return model.simulate(self.regimen, self.end_h, perturbations=self.perturbations,
                              parameters=dict(self.parameters) or None,
                              points=np.asarray(self.times), variables=self.variables)


def make_run(model, regimen=None, end_h=24.0, perturbations=(), parameters=None,
             points=None, variables=()) -> Run:
    """Return the `Run` of `model.simulate(regimen, end_h, perturbations, parameters, points,
    variables)` (output times in hours, as `Model.simulate` would choose them)."""
    regimen = Regimen.none() if regimen is None else regimen
    perts = resolve(perturbations)
    overrides = model._check_overrides(parameters)
    events = model._dose_events(regimen) + model._perturbation_events(perts, overrides)
    start = min([0.0] + [e.time for e in events])
    grid = output_grid(points, start, float(end_h))
    extra = tuple(c for c in model._columns(variables) if c not in model.readouts)
    from ..provenance import sbml_sha256
    return Run(model.name, model.species, model.body_weight_kg, regimen, float(end_h), perts,
               tuple(sorted(overrides.items())), tuple(float(t) for t in grid), extra,
               sbml_sha256(model), model.start)


def merge_variables(runs) -> list[Run]:
    """Return the distinct runs in first-seen order, runs that differ only in `variables`
    merged into one that reads all of them (one SED-ML task, not two)."""
    merged: dict[Run, list[str]] = {}
    for run in runs:
        key = replace(run, variables=())
        merged.setdefault(key, [])
        merged[key] += [v for v in run.variables if v not in merged[key]]
    return [replace(key, variables=tuple(v)) for key, v in merged.items()]


def uniform_grid(times) -> tuple[float, float, int] | None:
    """Return (start h, end h, number of steps) of a uniform grid holding every time of `times`
    (within 1e-9 h), or None if there is none with at most MAX_UNIFORM_POINTS points."""
    t = np.asarray(times, dtype=float)
    if t.size < 2:
        return None
    span, smallest = t[-1] - t[0], float(np.min(np.diff(t)))
    for divisor in range(1, 101):        # the step: the smallest difference or a divisor of it
        n = int(round(span / (smallest / divisor)))
        if n + 1 > MAX_UNIFORM_POINTS:
            return None
        k = (t - t[0]) / (span / n)
        if np.max(np.abs(k - np.round(k))) * span / n <= 1e-9:
            return float(t[0]), float(t[-1]), n
    return None


def export_times(run: Run) -> np.ndarray:
    """Return the output times (h) of the exported time course: the run's own grid when it is
    uniform or is a subset of a uniform grid, else one point every 6 min."""
    grid = uniform_grid(run.times)
    if grid is None:
        start, end = run.times[0], run.times[-1]
        n = max(int(round((end - start) * 10)), 1)
        grid = (start, end, n)
    start, end, n = grid
    return np.linspace(start, end, n + 1)


def run_origin(model, run: Run) -> float:
    """Return the time (h) where `Model.simulate` starts integrating `run`: its first event
    or 0, whichever is earlier; the exported SBML clock starts there."""
    from ..events import snap
    events = (model._dose_events(run.regimen)
              + model._perturbation_events(run.perturbations, dict(run.parameters)))
    return min([0.0] + [snap(e.time) for e in events])
