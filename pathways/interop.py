"""Export runs of the models as self-contained SBML and COMBINE archives (SED-ML + manifest).

A `Run` is one time course exactly as `Model.simulate` ran it (model, species, body weight,
regimen, perturbations, parameter overrides, output times). `run_sbml` turns a run into an SBML
document that another simulator integrates without pathways:

- the species start at the run's computed pre-dose steady state (written as initial amounts;
  species initial assignments are removed), and the parameters carry the run's values
  (overrides, chronic perturbations, the fold-of-baseline references `*_ref`);
- dosing and acute perturbations become SBML events, because SED-ML L1V3 cannot add an amount
  to a species or switch a parameter at a time: a bolus adds its µmol to the dosed species
  (`S = S + dose/volume`), an infusion sets its rate at the start and back at the end, an acute
  perturbation sets its `*_scale` handle. Changes at the run's start are written into the
  initial values instead (the same state `Model.simulate` starts its integration from);
- the SBML clock starts at the run's first output time (a pretreatment at -0.5 h makes SBML
  time 0 = -0.5 h); the SED-ML data generator `time_h` adds the offset back. When the output
  starts after the first event, the species start from the state `Model.simulate` reaches at
  the first output time (SED-ML's outputStartTime is not honoured by every simulator);
- with events before time 0, `symptom_ref` is the run's own symptom score at time 0, as
  `Model.simulate` makes it (CONTRACT: `symptom_change_pct` is 0 at time 0 in every arm).

`export_omex` writes one COMBINE archive per experiment (one SBML and one SED-ML task per
time course) with libsedml and libcombine, and rewrites the zip with fixed entry dates so that
the same input gives byte-identical archives.
"""
from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .errors import PathwaysInputError
from .perturbations import Perturbation, resolve
from .regimen import Regimen

KISAO_CVODE = "KISAO:0000019"
ALGORITHM_PARAMETERS = {          # KiSAO id -> value: tighter than Model.simulate (1e-8, 1e-12)
    "KISAO:0000209": 1e-10,       # relative tolerance
    "KISAO:0000211": 1e-14,       # absolute tolerance
    "KISAO:0000415": 1_000_000,   # maximum number of steps
}
MAX_UNIFORM_POINTS = 20_001       # a SED-ML uniform time course longer than this is refused
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # every archive entry gets this date: no build timestamps
OMEX_FORMATS = {".xml": "http://identifiers.org/combine.specifications/sbml.level-3.version-2",
                ".sedml": "http://identifiers.org/combine.specifications/sed-ml.level-1.version-3",
                ".md": "http://purl.org/NET/mediatypes/text/markdown"}


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
        from .model import load
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
    grid = model._grid(points, start, float(end_h))
    extra = tuple(c for c in model._columns(variables) if c not in model.readouts)
    from .provenance import sbml_sha256
    return Run(model.name, model.species, model.body_weight_kg, regimen, float(end_h), perts,
               tuple(sorted(overrides.items())), tuple(float(t) for t in grid), extra,
               sbml_sha256(model))


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
    from .events import snap
    events = (model._dose_events(run.regimen)
              + model._perturbation_events(run.perturbations, dict(run.parameters)))
    return min([0.0] + [snap(e.time) for e in events])


# -- the SBML of one run ---------------------------------------------------------------------
def run_sbml(model, run: Run) -> tuple[str, list[str]]:
    """Return (SBML text, notes) of `run`: the model with the run's parameter values, its
    pre-dose steady state as initial amounts, and its dosing and acute perturbations as events
    on a clock that starts at the run's first output time (see the module docstring). The
    notes say, in one line each, what was encoded as events or initial values."""
    import libsbml

    from . import readouts as ro
    from .build import sbml_problems
    from .events import TIME_RESOLUTION_H, snap

    if (model.name, model.species) != (run.model, run.species):
        raise PathwaysInputError(f"run of {run.model} ({run.species}) given {model!r}")
    perts = run.perturbations
    overrides = dict(run.parameters)
    chronic = tuple(p for p in perts if p.chronic)
    amounts, inits = model._pre_dose_state(overrides, chronic)
    events = sorted(
        ((snap(e.time), e.order, e.kind, e.target, e.value)
         for e in model._dose_events(run.regimen)
         + model._perturbation_events(perts, overrides)),
        key=lambda e: (e[0], e[1]))
    origin, t0, end = run_origin(model, run), run.times[0], run.times[-1]
    grid = export_times(run)

    doc = libsbml.readSBMLFromString(model.sbml)
    m = doc.getModel()
    notes = []
    values = {p: model._default_init[p] for p in model._param_ids}
    values.update(inits)
    if origin < 0.0 and ro.SYMPTOM_REF in inits:    # the score at time 0, as Model.simulate
        _, score = model.simulate_arrays(run.regimen, run.end_h, perts, overrides or None,
                                         points=[origin, 0.0], columns=[ro.SYMPTOM_STATE])
        inits = {**inits, ro.SYMPTOM_REF: float(score[-1, 0])}
        values.update(inits)
    integrated = t0 > origin + 1e-12      # the output starts after the first event
    if integrated:                        # the state Model.simulate reaches at t0
        _, conc = model.simulate_arrays(run.regimen, run.end_h, perts, overrides or None,
                                        points=[origin, t0], columns=model._species_ids)
        rm = model._rr.model
        volumes = rm.getCompartmentVolumes()
        amounts = [c * volumes[rm.getCompartmentIndexForFloatingSpecies(i)]
                   for i, c in enumerate(conc[-1])]
    for pid, v in inits.items():
        m.getParameter(pid).setValue(float(v))
    # the pre-dose steady state as initial amounts
    species = list(model._species_ids)
    initial = dict(zip(species, (float(a) for a in amounts)))
    for sid in species:
        if m.getInitialAssignment(sid) is not None:
            m.removeInitialAssignment(sid)

    # replay the events as Model._fire does, to know each assigned value
    active: dict[str, list[float]] = {}
    base: dict[str, float] = {}
    by_time: dict[float, list[tuple[str, str, float]]] = {}
    for time, _, kind, target, value in events:
        if time > end + TIME_RESOLUTION_H:    # at the last output time an event still acts
            continue
        # an output time less than the snap resolution before the event shows it, as in
        # Model.simulate (a dose at 40 min = 2/3 h, snapped up by 3e-10 h, shows at 2/3 h):
        # the event acts at that output time
        close = grid[(grid >= time - TIME_RESOLUTION_H) & (grid <= time)]
        when = max(float(close[0]) if close.size else time, t0)
        if kind == "add":
            by_time.setdefault(when, []).append(("add", target, value))
            continue
        if kind == "rate+":
            values[target] = max(values[target] + value, 0.0)
        else:                                  # an acute perturbation starts or ends
            factors = active.setdefault(target, [])
            factors.append(value) if kind == "on" else factors.remove(value)
            b = base.setdefault(target, values[target])
            values[target] = b * math.prod(factors)
        by_time.setdefault(when, []).append(("set", target, values[target]))

    units = {p.getId(): p.getUnits() for p in m.getListOfParameters()}
    n_event = 0
    for when in sorted(by_time):
        changes = by_time[when]
        if when <= t0:                         # at the start: initial values
            for kind, target, value in changes:
                if kind == "add":
                    if not integrated:         # else the integrated state holds the dose
                        initial[target] += value
                else:
                    m.getParameter(target).setValue(float(value))
            notes.append(f"at {t0:g} h (SBML time 0): " + ", ".join(
                _change_text(k, t, v, units) for k, t, v in changes)
                + (" (at or before the output start: the integrated initial state already "
                   "holds the doses; parameter values written)" if integrated
                   else " written into the initial values"))
            continue
        n_event += 1
        ev = m.createEvent()
        ev.setId(f"pw_event_{n_event}")
        ev.setUseValuesFromTriggerTime(True)
        tid = f"pw_event_{n_event}_time"
        _parameter(m, tid, _at_or_before(when - t0), "hour")
        trig = ev.createTrigger()
        trig.setInitialValue(True)
        trig.setPersistent(True)
        trig.setMath(libsbml.parseL3Formula(f"time >= {tid}"))
        for kind, target, value in _merged(changes):
            vid = f"pw_event_{n_event}_{target}"
            ea = ev.createEventAssignment()
            ea.setVariable(target)
            if kind == "add":
                _parameter(m, vid, value, "umol")
                comp = m.getSpecies(target).getCompartment()
                ea.setMath(libsbml.parseL3Formula(f"{target} + {vid} / {comp}"))
            else:
                _parameter(m, vid, value, units.get(target) or "dimensionless")
                m.getParameter(target).setConstant(False)
                ea.setMath(libsbml.parseL3Formula(vid))
        notes.append(f"event {ev.getId()} at {when:g} h (SBML time {when - t0:g} h): "
                     + ", ".join(_change_text(k, t, v, units) for k, t, v in changes))
    for sid in species:
        s = m.getSpecies(sid)
        s.unsetInitialConcentration()
        s.setInitialAmount(float(initial[sid]))
    frozen = _freeze_zero_species(m, model, run, initial)
    if frozen:
        notes.append(f"{len(frozen)} species that stay 0 in this run ({frozen[0]}, …; e.g. "
                     "of drugs it does not dose) held at 0 as constants: an outside solver "
                     "would integrate round-off in them into subnormal values and fail "
                     "(Model.simulate flushes it)")
    m.setName(f"{model.name}: {run.describe()}")
    problems = sbml_problems(doc)
    if problems:
        raise RuntimeError(f"exported SBML of {run.describe()}: {problems[0]}")
    text = libsbml.writeSBMLToString(doc)
    text = "\n".join(l for l in text.splitlines() if not l.startswith("<!-- Created by"))
    return text + "\n", notes


def _freeze_zero_species(m, model, run: Run, initial: dict) -> list[str]:
    """Make constant at 0, in the libSBML model `m`, the species that stay 0 throughout `run`
    in `Model.simulate` (below the 1e-15 µmol noise floor at the start and at every output
    time: e.g. the species of drugs the run does not dose) and that no rule or event sets;
    return their ids. `Model.simulate` sets round-off below that floor to 0 between solver
    calls; a solver reading the SBML cannot, and on long multi-dose runs CVODE failed on the
    subnormal values such round-off decays into."""
    import warnings

    from .model import FLUSH_BELOW_UMOL

    species = list(model._species_ids)
    with warnings.catch_warnings():      # the run's own simulation has said it already
        warnings.filterwarnings("ignore", "every dose is after end_h", UserWarning)
        _, conc = model.simulate_arrays(run.regimen, run.end_h, run.perturbations,
                                        dict(run.parameters) or None, points=list(run.times),
                                        columns=species)
    rm = model._rr.model
    volumes = rm.getCompartmentVolumes()
    peak = {sid: float(np.max(np.abs(conc[:, i])))
            * volumes[rm.getCompartmentIndexForFloatingSpecies(i)]           # µmol
            for i, sid in enumerate(species)}
    assigned = {r.getVariable() for r in m.getListOfRules()}
    assigned |= {a.getVariable() for e in m.getListOfEvents()
                 for a in e.getListOfEventAssignments()}
    frozen = []
    for sid in species:
        if (abs(initial[sid]) < FLUSH_BELOW_UMOL and peak[sid] < FLUSH_BELOW_UMOL
                and sid not in assigned):
            sp = m.getSpecies(sid)
            sp.setInitialAmount(0.0)
            sp.setBoundaryCondition(True)
            sp.setConstant(True)
            frozen.append(sid)
    return frozen


def _at_or_before(t: float) -> float:
    """Return `t` (h) rounded down to the 15 significant digits libSBML writes: a trigger
    written rounded up (2/3 as 0.666666666666667) fires after an output at 2/3 h, which then
    misses the event that Model.simulate shows there."""
    if t == 0.0:
        return 0.0
    written = float(f"{t:.15g}")
    if written > t:
        written = float(f"{written - 10.0 ** (math.floor(math.log10(abs(t))) - 14):.15g}")
    return written


def _change_text(kind: str, target: str, value: float, units: dict) -> str:
    """`target += value µmol` (a dose) or `target = value <its SBML unit>`."""
    if kind == "add":
        return f"{target} += {value:.6g} µmol"
    unit = units.get(target) or ""
    return f"{target} = {value:.6g}" + (f" {unit}" if unit and unit != "dimensionless" else "")


def _merged(changes: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Return the changes at one time with one entry per target: doses to one species add up,
    and of several values set on one parameter the last holds (as when Model.simulate applies
    them in turn)."""
    merged: dict[str, tuple[str, str, float]] = {}
    for kind, target, value in changes:
        if kind == "add" and target in merged:
            value += merged[target][2]
        merged[target] = (kind, target, value)
    return list(merged.values())


def _parameter(m, pid: str, value: float, unit: str) -> None:
    p = m.createParameter()
    p.setId(pid)
    p.setValue(float(value))
    p.setUnits(unit)
    p.setConstant(True)


# -- SED-ML and the COMBINE archive ----------------------------------------------------------
@dataclass(frozen=True)
class Export:
    """What `export_omex` wrote: the archive path, the runs (one SED-ML task each, in order),
    their arm ids, the notes on what was encoded as SBML events or initial values, and the
    one-line description of what was exported."""

    path: Path
    runs: tuple[Run, ...]
    arm_ids: tuple[str, ...]
    notes: tuple[str, ...]
    description: str = ""


def runs_for(name: str, species: str | None = None) -> tuple[list[Run], str]:
    """Return (runs, description) for `name`: an experiment (its recorded time courses, see
    `pathways.experiments.experiment_runs`; `species` re-runs them with that species' parameter
    set) or a model name (its nominal run: ketamine 0.5 mg/kg IV over 40 min, 24 h, one point
    per 6 min; default species human; a component model without the PK has no dose input,
    so its nominal run is drug-free, with its upstream inputs at their drug-free values)."""
    from .experiments import EXPERIMENTS, experiment_runs
    from .model import list_models, load
    from .species import check_species

    if species is not None:
        check_species(species)
    if name in list_models():
        model = load(name, species or "human")
        regimen = Regimen.infusion(0.5, minutes=40) if "ket_infusion_rate" in \
            model._default_init else Regimen.none()
        what = ("" if regimen.doses else " (drug-free: this component takes its upstream "
                "inputs as parameters, at their drug-free values; export "
                "ketamine_synaptogenesis or an experiment for a dosed run)")
        return ([make_run(model, regimen, 24.0)],
                f"model {name} ({model.species}): nominal run, {regimen!r}, 24 h{what}")
    if name not in EXPERIMENTS:
        raise PathwaysInputError(
            f"unknown experiment or model {name!r}; valid: "
            + ", ".join(sorted(EXPERIMENTS) + list_models()))
    runs = experiment_runs(name)
    if species is not None:
        runs = merge_variables(_with_species(r, species) for r in runs)
    e = EXPERIMENTS[name]
    what = f"experiment {name}: {e.what} ({e.paper})"
    if species is not None:      # the description names the experiment's own subjects
        what += f"; re-run here with the {species} parameter set (--species)"
    return runs, what


def _with_species(run: Run, species: str) -> Run:
    from .model import load
    model = load(run.model, species)
    return make_run(model, run.regimen, run.end_h, run.perturbations,
                    dict(run.parameters) or None, np.asarray(run.times), run.variables)


def export_omex(name: str, out, species: str | None = None) -> Export:
    """Write the COMBINE archive of experiment or model `name` to `out` (.omex); return an
    `Export`. Each time course is one SBML file (`models/armNN.xml`, see `run_sbml`) and one
    SED-ML task (uniform time course in hours, CVODE with the tolerances of
    ALGORITHM_PARAMETERS) with a report of `time_h`, every readout (readout units) and every
    other model quantity the run reads (`Run.variables`: species in µM), and one plot of one
    readout; README.md in the archive lists the arms and what was encoded as events."""
    from .model import load
    from .outputs import output_path

    path = output_path(out, "archive")      # before the work: a bad path fails now
    runs, what = runs_for(name, species)
    files: dict[str, bytes] = {}
    notes: list[str] = []
    arm_ids = []
    models: dict = {}
    arms = []
    for i, run in enumerate(runs, start=1):
        arm = f"arm{i:02d}"
        key = (run.model, run.species, run.body_weight_kg)
        if key not in models:
            models[key] = load(run.model, run.species, run.body_weight_kg)
        model = models[key]
        sbml, arm_notes = run_sbml(model, run)
        files[f"models/{arm}.xml"] = sbml.encode()
        arms.append((arm, run, [*model.readouts, *run.variables],
                     {v: _target_kind(model, v) for v in run.variables}))
        arm_ids.append(arm)
        notes += [f"{arm}: {n}" for n in arm_notes]
    sedml = _sedml(arms, what)
    files["simulation.sedml"] = sedml.encode()
    files["README.md"] = _readme(name, what, arms, notes).encode()
    _write_archive(path, files)
    return Export(path, tuple(runs), tuple(arm_ids), tuple(notes), what)


def _target_kind(model, variable: str) -> str:
    """Return the SBML list an exported variable lives in: species, compartment or
    parameter (the readouts are parameters defined by assignment rules)."""
    if variable in model._species_ids:
        return "species"
    return "compartment" if variable in model._compartment_ids else "parameter"


def _sedml(arms, what: str) -> str:
    """Return the SED-ML L1V3 text of the arms, written with libsedml (in a subprocess when
    libsbml was imported before libsedml in this process: see pathways/__init__.py)."""
    spec = {"what": what, "algorithm": [KISAO_CVODE, ALGORITHM_PARAMETERS], "arms": []}
    for arm, run, readouts, kinds in arms:
        times = export_times(run)
        spec["arms"].append({"arm": arm, "name": run.describe(), "t0": float(times[0]),
                             "duration": float(times[-1] - times[0]),
                             "steps": len(times) - 1, "readouts": list(readouts),
                             "kinds": kinds})
    if "libsedml" in sys.modules or "libsbml" not in sys.modules:
        return sedml_from_spec(spec)
    proc = subprocess.run([sys.executable, "-c", "import sys, json; "
                           "from pathways.interop import sedml_from_spec; "
                           "sys.stdout.write(sedml_from_spec(json.load(sys.stdin)))"],
                          input=json.dumps(spec), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"writing SED-ML failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def sedml_from_spec(spec: dict) -> str:
    """Return SED-ML L1V3 (libsedml) for a plain-data description of the arms: per arm a
    model `models/<arm>.xml`, a uniform time course from 0 for `duration` hours in `steps`
    steps, CVODE with the given KiSAO parameters, a task, data generators `<arm>_time_h`
    (SBML time + `t0`) and `<arm>_<readout>`, a report; and one plot of the main readout."""
    import libsedml

    kisao, parameters = spec["algorithm"]
    doc = libsedml.SedDocument(1, 3)
    # the targets' `sbml:` prefix is declared, so that tools resolving XPath prefixes from
    # the document itself (lxml, for one) can evaluate them
    doc.getNamespaces().add("http://www.sbml.org/sbml/level3/version2/core", "sbml")
    doc.setNotes('<body xmlns="http://www.w3.org/1999/xhtml"><p>'
                 + _xml_escape(f"pathways export: {spec['what']}. Dosing and acute "
                               "perturbations are SBML events in the models; time_h = SBML "
                               "time + the arm's first output time (h).") + "</p></body>")
    plot = doc.createPlot2D()
    plot.setId("plot_main")
    # one readout in the plot: the symptom if an arm has it, else the first arm's first one;
    # an arm without that readout has no curve (a plot mixing units says nothing)
    everything = [r for a in spec["arms"] for r in a["readouts"]]
    main = ("symptom_change_pct" if "symptom_change_pct" in everything
            else spec["arms"][0]["readouts"][0])
    plot.setName(main)
    for a in spec["arms"]:
        arm, readouts, t0 = a["arm"], a["readouts"], a["t0"]
        kinds = a.get("kinds", {})
        m = doc.createModel()
        m.setId(f"model_{arm}")
        m.setName(a["name"])
        m.setLanguage("urn:sedml:language:sbml.level-3.version-2")
        m.setSource(f"models/{arm}.xml")
        sim = doc.createUniformTimeCourse()
        sim.setId(f"sim_{arm}")
        sim.setInitialTime(0.0)
        sim.setOutputStartTime(0.0)
        sim.setOutputEndTime(a["duration"])
        sim.setNumberOfPoints(a["steps"])           # L1V3: the number of steps
        alg = sim.createAlgorithm()
        alg.setKisaoID(kisao)
        for kid, value in parameters.items():
            p = alg.createAlgorithmParameter()
            p.setKisaoID(kid)
            p.setValue(repr(value))
        task = doc.createTask()
        task.setId(f"task_{arm}")
        task.setName(a["name"])
        task.setModelReference(m.getId())
        task.setSimulationReference(sim.getId())
        report = doc.createReport()
        report.setId(f"report_{arm}")
        report.setName(a["name"])
        for col in ["time_h", *readouts]:
            dg = doc.createDataGenerator()
            dg.setId(f"{arm}_{col}")
            dg.setName(col)
            var = dg.createVariable()
            var.setId(f"v_{arm}_{col}")
            var.setTaskReference(task.getId())
            if col == "time_h":
                var.setSymbol("urn:sedml:symbol:time")
                formula = var.getId() + (f" + {t0!r}" if t0 else "")
            else:
                kind = kinds.get(col, "parameter")
                plural = {"species": "Species", "compartment": "Compartments",
                          "parameter": "Parameters"}[kind]
                var.setTarget(f"/sbml:sbml/sbml:model/sbml:listOf{plural}/"
                              f"sbml:{kind}[@id='{col}']")
                formula = var.getId()
            dg.setMath(libsedml.parseL3Formula(formula))
            ds = report.createDataSet()
            ds.setId(f"ds_{arm}_{col}")
            ds.setLabel(col)
            ds.setDataReference(dg.getId())
        if main not in readouts:
            continue
        curve = plot.createCurve()
        curve.setId(f"curve_{arm}")
        curve.setName(arm)
        curve.setLogX(False)
        curve.setLogY(False)
        curve.setXDataReference(f"{arm}_time_h")
        curve.setYDataReference(f"{arm}_{main}")
    if doc.getNumErrors(libsedml.LIBSEDML_SEV_ERROR):
        raise RuntimeError(f"SED-ML: {doc.getErrorLog().toString()}")
    return libsedml.writeSedMLToString(doc)


def _xml_escape(text: str) -> str:
    import html
    return html.escape(text, quote=False)


def _readme(name: str, what: str, arms, notes) -> str:
    lines = [f"# COMBINE archive of `{name}` (pathways export omex)", "", what, "",
             "Execute `simulation.sedml` with any SED-ML L1V3 tool (tellurium, COPASI, "
             "BioSimulators). Time is in hours; `time_h` = SBML time + the arm's first "
             "output time. Each model starts from the pre-dose steady state that pathways "
             "computed (initial amounts), so no steady-state step is needed.", "",
             "| arm | time course | output times (h) |", "|---|---|---|"]
    for arm, run, *_ in arms:
        t = export_times(run)
        lines.append(f"| {arm} | {run.describe()} | {t[0]:g} to {t[-1]:g}, "
                     f"{len(t)} points |")
    lines += ["", "## Encoded in the SBML (SED-ML cannot express these)", ""]
    lines += [f"- {n}" for n in notes] or ["- nothing (vehicle runs)"]
    return "\n".join(lines) + "\n"


def _write_archive(path: Path, files: dict[str, bytes]) -> None:
    """Write the archive with libcombine (manifest), then rewrite the zip with sorted entries
    and fixed dates (libcombine stamps the current time), atomically."""
    import tempfile

    import libcombine

    archive = libcombine.CombineArchive()
    for target, data in files.items():
        fmt = OMEX_FORMATS[Path(target).suffix]
        ok = archive.addFileFromString(data.decode(), target, fmt, target == "simulation.sedml")
        if not ok:
            raise RuntimeError(f"libcombine could not add {target}")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.omex"
        if not archive.writeToFile(str(raw)):
            raise RuntimeError("libcombine could not write the archive")
        archive.cleanUp()
        with zipfile.ZipFile(raw) as z:
            entries = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in sorted(entries):
            info = zipfile.ZipInfo(n, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[n])
    from .outputs import write_atomically
    write_atomically(path, lambda tmp: Path(tmp).write_bytes(buf.getvalue()), "archive")
