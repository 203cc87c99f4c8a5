"""One run as a self-contained SBML document: its parameter values, its pre-dose state as
initial amounts, its doses and acute perturbations as events (see `pathways.interop`)."""
from __future__ import annotations

import math

import numpy as np

from ..errors import PathwaysInputError
from .runs import Run, export_times, run_origin


def run_sbml(model, run: Run) -> tuple[str, list[str]]:
    """Return (SBML text, notes) of `run`: the model with the run's parameter values, its
    pre-dose steady state as initial amounts, and its dosing and acute perturbations as events
    on a clock that starts at the run's first output time (see the module docstring). The
    notes say, in one line each, what was encoded as events or initial values."""
    import libsbml

    from .. import readouts as ro
    from ..build import sbml_problems
    from ..compiled import tolerances
    from .omex import ALGORITHM_PARAMETERS
    from ..events import TIME_RESOLUTION_H, snap

    if (model.name, model.species) != (run.model, run.species):
        raise PathwaysInputError(f"run of {run.model} ({run.species}) given {model!r}")
    perts = run.perturbations
    overrides = dict(run.parameters)
    chronic = tuple(p for p in perts if p.chronic)
    amounts, inits = model._steady.pre_dose(overrides, chronic)
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
    # pathways' own integrations below run at the archive's tolerances: the symptom score
    # magnifies a state difference ~33-fold (W^-gamma), and a time-0 score taken at the
    # looser default differed by 2.5e-6 percentage points from the archive's own
    # integration of the same pretreatment
    def archive_cvode():
        return tolerances(model._rr, ALGORITHM_PARAMETERS["KISAO:0000209"],
                          ALGORITHM_PARAMETERS["KISAO:0000211"])

    if origin < 0.0 and ro.SYMPTOM_REF in inits:    # the score at time 0, as Model.simulate
        with archive_cvode():
            _, score = model.simulate_arrays(run.regimen, run.end_h, perts, overrides or None,
                                             points=[origin, 0.0], columns=[ro.SYMPTOM_STATE])
        inits = {**inits, ro.SYMPTOM_REF: float(score[-1, 0])}
        values.update(inits)
    integrated = t0 > origin + 1e-12      # the output starts after the first event
    if integrated:                        # the state Model.simulate reaches at t0
        with archive_cvode():
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

    # replay the events as Solver._fire (pathways/solver.py) does, to know each assigned value
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

    from ..model import LATE_DOSE_WARNING
    from ..solver import FLUSH_BELOW_UMOL

    species = list(model._species_ids)
    with warnings.catch_warnings():      # the run's own simulation has said it already
        warnings.filterwarnings("ignore", LATE_DOSE_WARNING, UserWarning)
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
