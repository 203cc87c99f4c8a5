"""`load`, `list_models` and `Model`: one compiled RoadRunner per model, species and process.

A simulation run:
1. sets the run's parameter overrides and chronic perturbations as *initial* values and calls
   `resetAll()` (so initial assignments are re-evaluated, e.g. volumes from body weight);
2. puts the state at the cached pre-dose steady state of that parameter set (found by
   integration or, for a shipped model, the steady state of its own values under the same
   chronic perturbations when the new values change no rate of change there, as clearances
   and volumes do not without a dose);
3. integrates piecewise between events (doses, infusion on/off, acute perturbations), adding a
   bolus to its depot (or to the central compartment for IV) and switching infusion rates.
Nothing is re-parsed or recompiled per run.
"""
from __future__ import annotations

import math
import threading
import time
import warnings
from dataclasses import replace

import numpy as np

from . import readouts as ro
from . import sources
from .checks import in_range, listed_times, shown
from .compiled import INTEGRATOR, compile_model, without_cpp_location
from .drugs import DRUGS
from .errors import PathwaysInputError, SimulationError, choices_message
from .events import TIME_RESOLUTION_H, Event, check_daily_total, snap
from .perturbations import Perturbation, resolve
from .regimen import Regimen
from .species import check_species, species_set
from .user_sbml import model_time_units_per_hour, refuse_flux_balance, refuse_unsaved_state

DEFAULT_MODEL = sources.COMPOSED
MAX_END_H = 24.0 * 365
MAX_POINTS = 1_000_000
# how the warnings of doses after end_h start (a regex for warnings.filterwarnings)
LATE_DOSE_WARNING = r"(every dose is|\d+ of \d+ doses start) after end_h"
MIN_BODY_WEIGHT_KG = 0.01   # kg; see Model.__init__
STEADY_STATE_TOL = 1e-9      # max |d amount/dt| / max(|amount|, 1e-6) per hour, by integration;
                             # then a Newton polish (steadyState) so that a 14-day vehicle
                             # run then drifts < 1e-9, far inside the 1e-6 contract
STEADY_STATE_HORIZONS_H = (1e3, 1e4, 1e5, 1e6)   # where convergence is checked
EVENT_MODEL_STEADY_STATE_S = 10.0   # wall-clock budget of the steady-state search of a model
                                    # with SBML events (a foreign model: events can fire forever)
POLISH_HORIZONS_H = (1e3, 1e4, 1e5)   # tight-tolerance refinement of a steady state
USER_POLISH_HORIZONS_H = (1e3,)       # a user's model: BIOMD0000000470 took 50 s for the
                                      # 1e4-h step and minutes for the 1e5-h one at 1e-12

MAX_CACHED_STEADY_STATES = 4096      # per Model; the oldest is dropped beyond this


def list_models() -> list[str]:
    """Return the names of the shipped models (components, then the composed default)."""
    from .build import available_models
    return available_models()


def load(name: str = DEFAULT_MODEL, species: str = "human", body_weight_kg=None) -> "Model":
    """Return the model `name` with the parameter set of `species` (human, rat or mouse).

    `body_weight_kg` overrides the species' body weight (human 70, rat 0.3, mouse 0.025 kg).
    """
    models = list_models()
    if name not in models:
        raise PathwaysInputError(choices_message("model", name, models))
    check_species(species)
    return Model(name, species, body_weight_kg)


def base_sbml(name: str) -> str:
    """Return the SBML text of a model: sbml/<name>.xml in a checkout, else built from source."""
    from .build import REPO_SBML_DIR, build_sbml
    path = REPO_SBML_DIR / f"{name}.xml"
    if path.exists():
        return path.read_text(encoding="utf-8")
    return build_sbml(name)


_UNIT_WORDS = {"litre": "L", "dimensionless": "1"}
_MICRO = ("g", "L", "l", "mol", "M", "m", "s")      # u- before these is micro (uM -> µM)


def readable_unit(unit_id: str) -> str:
    """Return an SBML unit id as a unit written for people: `L_per_h` -> L/h, `per_h` -> 1/h,
    `per_uM_per_h` -> 1/(µM·h), `uM` -> µM, `ug_per_mL` -> µg/mL; an id whose parts are not
    all there (`per_`, `a__per_b`) is returned as it is."""
    def word(w: str) -> str:
        if w in _UNIT_WORDS:
            return _UNIT_WORDS[w]
        return "µ" + w[1:] if w[:1] == "u" and w[1:] in _MICRO else w
    if unit_id.startswith("per_"):
        numerator, denominators = "1", unit_id[4:].split("_per_")
    elif "_per_" in unit_id:
        numerator, *denominators = unit_id.split("_per_")
    else:
        return word(unit_id)
    if not numerator or not all(denominators):
        return unit_id
    below = "·".join(word(d) for d in denominators)
    return f"{word(numerator)}/{f'({below})' if len(denominators) > 1 else below}"


def _zero_hint(overrides) -> str:
    """Return a hint naming the overrides set to 0 (a likely cause of a solver failure)."""
    zero = [k for k, v in (overrides or {}).items() if v == 0]
    if not zero:
        return ""
    return (f"; {', '.join(zero)} = 0 may divide a rate law or a baseline: to remove a "
            f"component use pathways.knockout(target), which keeps 1e-9 of it")


def _fixed_reason(pid: str) -> str | None:
    """Why a parameter id is not a run's to override (None: it may be overridden)."""
    if pid.endswith("_infusion_rate"):
        return "is set by the dosing regimen (Regimen.infusion)"
    if pid.startswith("MW_"):
        return ("is a drug's molar mass, which the mg-to-µmol dose conversion "
                "(pathways.drugs) uses too")
    return None


KNOCKOUT_RESIDUAL = 1e-9     # a knockout (factor 0) keeps 1e-9 of the activity: species then
                             # settle near 1e-9 of wild type instead of decaying towards
                             # subnormal floats, where CVODE stalls; no readout can tell the two
FLUSH_BELOW_UMOL = 1e-15    # before each CVODE call, |amount| below this (solver noise, 1000x
                             # below the absolute tolerance) is set to 0: libRoadRunner scales
                             # tolerances by species values, so a 1e-79 or -1e-30 leftover makes
                             # the error weights absurd or illegal, and decays never reach
                             # subnormal floats
CHUNK_H = 48.0               # longest CVODE call of the fallback path; the flush happens
                             # between calls (the fastest primary decay, i.p. absorption at
                             # 12/h, needs > 56 h to fall from the flush threshold to
                             # subnormal floats). The fast path integrates each segment between
                             # events in one call (a CVODE restart costs ~1 ms) and falls back
                             # to 48-h chunks only if that call fails.


class Model:
    """A shipped model with one species' parameter set; see `load`."""

    def __init__(self, name: str, species: str = "human", body_weight_kg=None,
                 sbml=None, start: str = "steady_state"):
        """`sbml` (optional): SBML text, bytes or a libsbml document read by
        `pathways.sbml_io.read_sbml`, for a model that is not shipped; it is checked like any
        untrusted SBML and keeps its own parameter values (`species` and `body_weight_kg`
        then only set the subject that mg/kg doses are converted for).

        `start`: "steady_state" (the default, and the only choice for a shipped model, whose
        fold readouts are relative to it): every run starts from the drug-free steady state
        of its parameters; "initial" (a user's SBML only): from the file's own initial values,
        for a model without a steady state (an oscillator, growth)."""
        if start not in ("steady_state", "initial"):
            raise PathwaysInputError(choices_message("start", start,
                                                     ["steady_state", "initial"]))
        if start == "initial" and sbml is None:
            raise PathwaysInputError(
                "start='initial' is for a user's SBML: a shipped model starts from its "
                "drug-free steady state, to which its fold readouts are relative")
        self.start = start
        self.name = name
        self.species = check_species(species)
        self._set = species_set(species)
        bw = self._set.body_weight_kg if body_weight_kg is None else body_weight_kg
        # 10 g to 500 kg: below a newborn mouse nothing in the parameter sets applies (and a
        # weight of 1e-300 kg reached CVODE as an opaque failure)
        self.body_weight_kg = in_range(bw, "body_weight_kg", MIN_BODY_WEIGHT_KG, 500.0, "kg")
        if sbml is not None:           # a user's SBML: the untrusted-SBML checks first
            import libsbml

            from .sbml_io import read_sbml
            if isinstance(sbml, libsbml.SBMLDocument):     # checked like text: re-read it
                sbml = libsbml.writeSBMLToString(sbml)
            doc = read_sbml(sbml, source_name=name)
            if doc.getModel() is None:      # valid SBML, but nothing to simulate
                raise PathwaysInputError(f"{name}: the SBML document has no <model>")
            refuse_flux_balance(doc, name)
            sbml = libsbml.writeSBMLToString(doc)
        self._shipped = sbml is None
        # a user's SBML keeps its own values: the species parameter sets (and body_weight)
        # belong to pathways' models, and an id that merely matches one of theirs (k_brain,
        # body_weight) must not be rewritten; species and weight still convert mg/kg doses
        self.sbml = self._species_sbml(base_sbml(name)) if self._shipped else sbml
        self._rr = compile_model(self.sbml)
        m = self._rr.model
        self._species_ids = list(m.getFloatingSpeciesIds())
        self._n_events = m.getNumEvents()
        if not self._shipped:
            refuse_unsaved_state(self._rr, self.sbml, set(self._species_ids))
        self._input_ids = (sources.input_ids(name) if self._shipped else frozenset())
        ruled = set(self._rr.getAssignmentRuleIds())
        # species that an assignment rule defines cannot be set; every other one can
        self._settable = np.array([i for i, sid in enumerate(self._species_ids)
                                   if sid not in ruled], dtype=np.int32)
        # getRatesOfChange follows the state vector: the species no assignment rule defines
        # (a rate rule on a non-species was refused above), in libRoadRunner's order
        state_ids = [m.getStateVectorId(i) for i in range(len(self._rr.getRatesOfChange()))]
        where = {sid: i for i, sid in enumerate(self._species_ids)}
        self._rate_index = np.array([where[x] for x in state_ids], dtype=np.int32)
        self._per_hour = model_time_units_per_hour(self.sbml)
        self._compartment_ids = list(m.getCompartmentIds())
        self._param_ids = list(m.getGlobalParameterIds())
        self._default_init = dict(zip(self._param_ids, m.getGlobalParameterValues()))
        derived = set(self._rr.getAssignmentRuleIds()) | set(self._rr.getInitialAssignmentIds())
        self._free_params = [p for p in self._param_ids if p not in derived]
        # a NaN or inf in a user's file: harmless if nothing reads it, else named when the
        # solver fails on it (rather than 'nan h into the search' alone)
        self._non_finite = ([] if self._shipped else
                            [f"{k} = {v}" for k, v in self._default_init.items()
                             if not np.isfinite(v)])
        # the contract readouts a model has; a user's model also reports its species and the
        # parameters its assignment rules define (often the outputs a model means)
        contract = [r for r in ro.READOUTS if r in self._default_init]
        self.readouts = (contract or list(self._species_ids) if self._shipped else
                         list(dict.fromkeys([*contract, *self._species_ids,
                                             *(p for p in self._param_ids if p in ruled)])))
        # fold baselines pathways computes: a shipped model's only (a user's X_ref is its own)
        self._refs = ({r: r[:-4] + "_ref" for r in self.readouts
                       if r.endswith("_rel") and r[:-4] + "_ref" in self._default_init}
                      if self._shipped else {})
        self._symptom_ref = self._shipped and ro.SYMPTOM_REF in self._default_init
        self._ss_cache: dict = {}
        self._seed_rates: dict = {}     # chronic key -> rates of change at its own seed state
        self._fractions: frozenset[str] | None = None
        self._declared_units: dict[str, str] | None = None     # column_unit's SBML units
        self._param_index = {p: i for i, p in enumerate(self._param_ids)}
        self._ia_params, self._ia_only_params, self._volume_params = self._rule_inputs()
        self._ia_applied: dict[str, float] = {}
        self._applied: dict | None = None
        self._selections: list[str] = []
        self._current = (np.zeros(0, dtype=np.int32), np.zeros(0))
        self._lock = threading.RLock()     # one libRoadRunner instance: one run at a time

    def _rule_inputs(self) -> tuple[set[str], set[str], dict[str, list[str]]]:
        """Return (the free parameters that initial assignments read, through assignment
        rules; those of them that nothing else reads: no kinetic law, rate or algebraic rule
        or event, directly or through assignment rules; {free parameter: the compartments
        whose volume rule reads it}), read from the SBML, not from the simulator."""
        import libsbml

        from .graph import ast_names

        model = libsbml.readSBMLFromString(self.sbml).getModel()
        rules = {r.getVariable(): r.getMath() for r in model.getListOfRules()
                 if r.isAssignment()}

        def reached(maths) -> set[str]:
            todo, seen = [m for m in maths if m is not None], set()
            while todo:
                for name in ast_names(todo.pop()) - seen:
                    seen.add(name)
                    if name in rules:
                        todo.append(rules[name])
            return seen

        dynamic = [r.getMath() for r in model.getListOfRules() if not r.isAssignment()]
        dynamic += [rx.getKineticLaw().getMath() for rx in model.getListOfReactions()
                    if rx.isSetKineticLaw()]
        for ev in model.getListOfEvents():
            dynamic += [ev.getTrigger().getMath() if ev.isSetTrigger() else None,
                        ev.getDelay().getMath() if ev.isSetDelay() else None,
                        ev.getPriority().getMath() if ev.isSetPriority() else None]
            dynamic += [a.getMath() for a in ev.getListOfEventAssignments()]
        free = set(self._free_params)
        ia = reached(ia.getMath() for ia in model.getListOfInitialAssignments()) & free
        sizing: dict[str, list[str]] = {}
        for c in model.getListOfCompartments():
            if c.getId() in rules:
                for pid in sorted(reached([rules[c.getId()]]) & free):
                    sizing.setdefault(pid, []).append(c.getId())
        return ia, ia - reached(dynamic), sizing

    # -- description --------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"<pathways.Model {self.name} ({self.species}, {self.body_weight_kg:g} kg)>"

    @property
    def parameters(self) -> dict[str, float]:
        """Return {id: value} of the independent parameters a run may override (`simulate`'s
        `parameters=`), in the model's units. Left out: what pathways sets itself (the `_ref`
        baselines, the infusion pumps, `body_weight`) and the drugs' molar masses."""
        return {p: self._default_init[p] for p in self._free_params
                if not (self._shipped and (_fixed_reason(p) or p == "body_weight"))
                and p not in self._refs.values()
                and not (self._symptom_ref and p == ro.SYMPTOM_REF)}

    @property
    def fractions(self) -> frozenset[str]:
        """Return the ids of the parameters that are fractions (shares, probabilities,
        bioavailabilities; marked `[kind, fraction]` in the source): their values lie in
        [0, 1]."""
        if self._fractions is None:        # a user's SBML has no source comments
            recs = (sources.parameter_sources(self.name)
                    if self._shipped and self.name in sources.model_names() else {})
            self._fractions = frozenset(p for p, r in recs.items()
                                        if r.fraction and p in self._default_init)
        return self._fractions

    def column_unit(self, column: str) -> tuple[str, str]:
        """Return (unit, meaning) of a `simulate` column: a readout's unit from
        `pathways.readouts.READOUTS` ("1" = dimensionless), µM for a species of a shipped
        model, and otherwise the unit the SBML declares for the id (parameters, including
        those a rule defines, and compartments), or "not declared"."""
        if column in ro.READOUTS:
            return ro.READOUTS[column]
        if self._declared_units is None:
            import libsbml
            model = libsbml.readSBMLFromString(self.sbml).getModel()
            volume = model.getVolumeUnits() if model.isSetVolumeUnits() else ""
            declared = {x.getId(): x.getUnits() for x in model.getListOfParameters()
                        if x.isSetUnits()}
            declared.update({c.getId(): c.getUnits() if c.isSetUnits() else volume
                             for c in model.getListOfCompartments()})
            self._declared_units = {k: readable_unit(u) for k, u in declared.items() if u}
            self._element_names = {x.getId(): x.getName() for x in
                                   [*model.getListOfParameters(),
                                    *model.getListOfCompartments()] if x.isSetName()}
        if column in self._species_ids:
            return (("µM" if self._shipped else "the model's concentration units"),
                    f"{column}, species concentration")
        kind = "compartment volume" if column in self._compartment_ids else "model parameter"
        name = self._element_names.get(column)
        return (self._declared_units.get(column, "not declared"),
                f"{column}, {kind}" + (f": {name}" if name else ""))

    def parameter_table(self):
        """Return a DataFrame (id, value, unit, kind, source, model) of every sourced parameter."""
        import pandas as pd

        recs = (sources.parameter_sources(self.name)
                if self._shipped and self.name in sources.model_names() else {})
        rows = []
        for pid in self._free_params:
            rec = recs.get(pid)
            over = self._set.overrides.get(pid) if self._shipped else None
            if over is not None:
                rows.append((pid, over.value, over.unit, over.kind, over.source,
                             rec.model if rec else ""))
            elif rec is not None:
                rows.append((pid, self._default_init[pid], rec.unit, rec.kind, rec.source,
                             rec.model))
        return pd.DataFrame(rows, columns=["id", "value", "unit", "kind", "source", "model"])

    # -- building the species SBML -------------------------------------------------------
    def _species_sbml(self, base: str) -> str:
        import libsbml

        values = {pid: o.value for pid, o in self._set.overrides.items()}
        values["body_weight"] = self.body_weight_kg
        doc = libsbml.readSBMLFromString(base)
        model = doc.getModel()
        for pid, value in values.items():
            p = model.getParameter(pid)
            if p is not None:
                p.setValue(value)
            elif model.getSpecies(pid) is not None:
                model.getSpecies(pid).setInitialConcentration(value)
            # else: a component model lacks other components' parameters (a test checks
            # that every species override names a parameter of the composed model)
        return libsbml.writeSBMLToString(doc)

    # -- simulation -----------------------------------------------------------------------
    def simulate(self, regimen: Regimen | None = None, end_h=24.0, perturbations=(),
                 parameters=None, points=None, variables=()):
        """Simulate `regimen` (default: vehicle) from its first event to `end_h` hours.

        Returns a pandas DataFrame indexed by time in hours (index name `time_h`), one column
        per readout (units: `pathways.readouts.READOUTS`). `points` is a number of evenly
        spaced output times or an array of times in hours (default: one per 6 min).
        `parameters` overrides independent parameters by id (model units); `variables` adds
        columns for other model ids (species concentrations in µM, compartment volumes in L,
        parameters in model units).
        """
        import pandas as pd

        columns = self._columns(variables)
        times, data = self._run(regimen, end_h, perturbations, parameters, points, columns)
        return pd.DataFrame(data, index=pd.Index(times, name="time_h"), columns=columns)

    def effect(self, regimen: Regimen, end_h=24.0, perturbations=(), parameters=None,
               points=None, variables=()):
        """Return the drug effect as LITERATURE.md defines it: the run of `regimen` minus the
        vehicle run under the same perturbations and parameters, on the same output times.

        A DataFrame like `simulate`'s (index `time_h`, hours); each column is a difference in
        its readout's unit: fold-of-baseline points for `*_rel`, percentage points for
        `symptom_change_pct`, ng/mL for plasma levels. Under a perturbation that acts alone
        (ANA-12 lowers tonic TrkB signalling) this differs from the perturbed run read against
        the untreated baseline. Both runs go through `simulate` (so `record_runs` sees them),
        except the vehicle twin of a dose before time 0, which starts with that dose.
        """
        import pandas as pd

        if regimen is not None and not isinstance(regimen, Regimen):
            raise PathwaysInputError(f"regimen must be a pathways.Regimen, got "
                                     f"{type(regimen).__name__}")
        if regimen is None or not regimen.doses:
            raise PathwaysInputError("effect needs a regimen with at least one dose (the "
                                     "vehicle run is what it is compared with)")
        drug = self.simulate(regimen, end_h, perturbations, parameters, points, variables)
        times = drug.index.to_numpy()
        if regimen.start_h >= 0.0:      # both runs start at 0 or at the first perturbation
            vehicle = self.simulate(None, end_h, perturbations, parameters, times, variables)
        else:                           # a dose before time 0: the vehicle starts with it
            _, values = self._run(None, end_h, perturbations, parameters, times,
                                  list(drug.columns), from_h=times[0])
            vehicle = pd.DataFrame(values, index=drug.index, columns=drug.columns)
        return drug - vehicle

    def simulate_arrays(self, regimen: Regimen | None = None, end_h=24.0, perturbations=(),
                        parameters=None, points=None, columns=None):
        """Like `simulate`, for loops that need speed: return (times in h, values) as NumPy
        arrays, values of shape (len(times), len(columns)), with only the `columns` asked for
        (readout, species or parameter ids, in their `simulate` units; default: the readouts).
        """
        if columns is None:
            columns = list(self.readouts)
        else:
            if isinstance(columns, str):
                columns = [columns]
            columns = list(columns)
            if not columns:
                raise PathwaysInputError("columns must name at least one readout or id")
            self._columns([c for c in columns if c not in self.readouts])   # checks ids
        times, values = self._run(regimen, end_h, perturbations, parameters, points, columns)
        return times.copy(), values

    def has_variable(self, name: str) -> bool:
        """Return True if `name` is a readout or a species, compartment or parameter id that
        `simulate(variables=...)` accepts."""
        return name in self.readouts or name in self._param_ids or \
            name in self._species_ids or name in self._compartment_ids

    def _columns(self, variables) -> list[str]:
        if isinstance(variables, str):
            variables = [variables]
        try:
            variables = [] if variables is None else list(variables)
        except TypeError:
            raise PathwaysInputError(f"variables must be an id or a list of ids, got "
                                     f"{type(variables).__name__}") from None
        extra = []
        for v in variables:
            if not self.has_variable(v):
                known = {*self._param_ids, *self._species_ids, *self._compartment_ids}
                close = sorted(k for k in known if k.lower().startswith(str(v)[:3].lower()))
                hint = f"; similar: {', '.join(close[:8])}" if close else ""
                raise PathwaysInputError(f"unknown variable {v!r} of {self.name}; use a "
                                         f"species, compartment or parameter id{hint}")
            if v not in self.readouts and v not in extra:
                extra.append(v)
        return self.readouts + extra

    def _run(self, regimen, end_h, perturbations, parameters, points, columns, from_h=None):
        """Integrate one run; return (times in h, values). `from_h` starts it no later than
        that time (a vehicle run on a drug run's grid)."""
        regimen = Regimen.none() if regimen is None else regimen
        if not isinstance(regimen, Regimen):
            raise PathwaysInputError(f"regimen must be a pathways.Regimen, got "
                                     f"{type(regimen).__name__}")
        regimen.check_overlaps()
        perts = resolve(perturbations)
        if (any(getattr(p, "name", None) == "midazolam" for p in perts)
                and any(d.drug == "midazolam" for d in regimen.doses)):
            raise PathwaysInputError(
                "the midazolam preset stands for the midazolam drug (the same 0.045 mg/kg "
                "over 40 min, without PK): give the drug in the regimen or the preset, "
                "not both")
        overrides = self._check_overrides(parameters)
        end_h = in_range(end_h, "end_h", 0.0, MAX_END_H, "h", low_inclusive=False)
        events = [Event(snap(e.time), e.order, e.kind, e.target, e.value)
                  for e in self._dose_events(regimen)
                  + self._perturbation_events(perts, overrides)]
        start = min([0.0] + [e.time for e in events] + ([from_h] if from_h is not None else []))
        late = [d for d in regimen.doses if d.at_h > end_h]
        if late and len(late) == len(regimen.doses):
            warnings.warn(f"every dose is after end_h ({end_h:g} h): this run is a vehicle run",
                          UserWarning, stacklevel=3)
        elif late:
            warnings.warn(f"{len(late)} of {len(regimen.doses)} doses start after end_h "
                          f"({end_h:g} h) and are not given in this run (at "
                          f"{listed_times(d.at_h for d in late)} h)", UserWarning, stacklevel=3)
        idle = [p.name for p in perts if not p.chronic and p.at_h > end_h]
        if idle:
            warnings.warn(f"{', '.join(idle)} start(s) after end_h ({end_h:g} h) and "
                          "do(es) nothing in this run", UserWarning, stacklevel=3)
        if start >= end_h:
            raise PathwaysInputError(f"end_h ({end_h:g} h) must be after the first event "
                                     f"({start:g} h)")
        if start < 0.0 and self.start == "initial":
            raise PathwaysInputError(
                f"{self.name} starts from its file's initial values at time 0 (start="
                f"'initial'), so nothing can happen before it; the first event is at "
                f"{start:g} h")
        grid = self._grid(points, start, end_h)
        chronic = tuple(p for p in perts if p.chronic)
        with self._lock:
            return self._solve(regimen, perts, overrides, chronic, events, start, grid,
                               columns)

    def _solve(self, regimen, perts, overrides, chronic, events, start, grid, columns):
        f = self._per_hour             # the model's time unit: times and rates converted
        hours = grid
        if f != 1.0:
            events = [replace(e, time=e.time * f,
                              value=e.value / f if e.kind == "rate+" else e.value)
                      for e in events]
            start, grid = start * f, grid * f
        try:
            state, inits = self._pre_dose_state(overrides, chronic)
        except SimulationError:
            raise
        except RuntimeError as exc:
            raise SimulationError(
                f"{self._label()}: solver failed while searching the pre-dose "
                f"steady state (the drug-free model integrated from its initial values, "
                f"{self._rr.model.getTime() / f:g} h into the search), perturbations "
                f"[{', '.join(p.describe() for p in perts)}], parameters {overrides or {}} "
                f"(CVODE {INTEGRATOR}): {without_cpp_location(str(exc))}"
                f"{_zero_hint(overrides)}{self._non_finite_hint()}"
                f"{self._initial_hint()}") from exc
        try:
            out = self._integrate(state, inits, events, start, grid, columns)
            if not np.isfinite(out[:, self._checked_columns(columns)]).all():
                raise RuntimeError("the solution is not finite (NaN or infinity)")
            return hours, out
        except SimulationError:
            raise
        except RuntimeError as exc:
            raise SimulationError(
                f"{self._label()}: solver failed for regimen {regimen!r}, "
                f"perturbations [{', '.join(p.describe() for p in perts)}], "
                f"parameters {overrides or {}}, at t = {self._rr.model.getTime() / f:g} h "
                f"(CVODE {INTEGRATOR}): {without_cpp_location(str(exc))}"
                f"{_zero_hint(overrides)}{self._non_finite_hint()}") from exc

    def _non_finite_hint(self) -> str:
        """Return a hint naming the non-finite values of a user's SBML file (a likely cause
        of a solver failure), or ""."""
        if not self._non_finite:
            return ""
        return f"; the SBML file has non-finite values: {', '.join(self._non_finite[:5])}"

    def _check_overrides(self, parameters) -> dict[str, float]:
        if parameters is None:
            return {}
        if not isinstance(parameters, dict):
            raise PathwaysInputError("parameters must be a dict {id: value}")
        free = set(self._free_params)
        out = {}
        for pid, value in parameters.items():
            if not isinstance(pid, str):
                raise PathwaysInputError(f"parameter ids are strings, got {pid!r}")
            if pid == "body_weight" and self._shipped:
                raise PathwaysInputError(
                    "body_weight cannot be overridden per run (doses in mg/kg are converted "
                    "with the model's weight); load the model with "
                    "pathways.load(..., body_weight_kg=W) (command line: --body-weight W)")
            why = _fixed_reason(pid) if self._shipped else None
            if why is not None and pid in self._default_init:
                raise PathwaysInputError(f"{pid} {why}; it cannot be overridden")
            if pid.endswith("_ref") and pid in self._default_init and (
                    pid in self._refs.values() or (self._symptom_ref and pid == ro.SYMPTOM_REF)):
                raise PathwaysInputError(
                    f"{pid} is computed by pathways (the pre-dose steady state that fold and "
                    "percent readouts are relative to); it cannot be overridden")
            if pid not in free:
                if pid in self._param_ids:           # an assignment-rule target
                    what = "a readout" if pid in self.readouts else "a derived quantity"
                    raise PathwaysInputError(
                        f"{pid} is {what} of {self.name}, computed by a rule from the "
                        "model's parameters and species; it cannot be set (override the "
                        "parameters it is computed from: Model.parameters)")
                settable = self.parameters
                close = sorted(p for p in settable if p.lower().startswith(str(pid)[:3].lower()))
                hint = f"; similar: {', '.join(close[:8])}" if close else ""
                where = (", or the parameter table of `pathways report NAME`,"
                         if self._shipped else "")
                raise PathwaysInputError(
                    f"unknown parameter {pid!r} for {self.name} "
                    f"(see Model.parameters{where} for the {len(self.parameters)} valid "
                    f"ids){hint}")
            v = in_range(value, f"parameter {pid}", -1e15, 1e15)
            if v < 0 and self._default_init[pid] >= 0:
                raise PathwaysInputError(f"parameter {pid} must be >= 0, got {v:g}")
            if v > 1 and pid in self.fractions:
                raise PathwaysInputError(f"parameter {pid} is a fraction: it must be in "
                                         f"[0, 1], got {v:g}")
            out[pid] = v
        return out

    def _grid(self, points, start, end_h) -> np.ndarray:
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

    # -- events ---------------------------------------------------------------------------
    def _dose_events(self, regimen: Regimen) -> list[Event]:
        events = []
        daily: dict[str, list[tuple[float, float, float]]] = {}   # (start h, end h, mg/kg)
        for dose in regimen.doses:
            drug = DRUGS[dose.drug]
            mg = dose.amount_mg(self.body_weight_kg)
            per_kg = mg / self.body_weight_kg
            if per_kg > drug.max_dose_mg_per_kg:
                raise PathwaysInputError(
                    f"{drug.name} dose {shown(mg)} mg is {shown(per_kg)} mg/kg for a "
                    f"{self.body_weight_kg:g} kg subject; the limit is "
                    f"{drug.max_dose_mg_per_kg:g} mg/kg")
            if dose.route == "ip" and self.species == "human" and self._shipped:
                raise PathwaysInputError(
                    f"{drug.name} by route ip: intraperitoneal injection is a rodent route, "
                    f"with no human absorption parameters; give "
                    f"{_or_list([r for r in drug.routes if r != 'ip'])}")
            end = dose.at_h + (dose.duration_h if dose.is_infusion else 0.0)
            daily.setdefault(drug.name, []).append((dose.at_h, end, per_kg))
            umol = drug.micromoles(mg)
            if dose.is_infusion:
                target = f"{drug.prefix}_infusion_rate"
                self._require(target, f"{drug.name} infusions")
                rate = umol / dose.duration_h
                events.append(Event(dose.at_h, 0, "rate+", target, rate))
                events.append(Event(dose.at_h + dose.duration_h, 0, "rate+", target, -rate))
            else:
                target = (f"{drug.prefix}_central" if dose.route == "iv"
                          else f"{drug.prefix}_depot_{dose.route}")
                self._require(target, f"{drug.name} by route {dose.route}")
                events.append(Event(dose.at_h, 1, "add", target, umol))
        for name, given in daily.items():
            check_daily_total(name, given, DRUGS[name].max_dose_mg_per_kg)
        return events

    def _perturbation_events(self, perts, overrides: dict[str, float]) -> list[Event]:
        events = []
        for p in perts:
            for param, factor in p.factors:
                if p.is_step:                             # pathways.step: any parameter
                    self._check_step(p.name, param, factor, overrides)
                self._require(param, f"perturbation {p.name}")
                if p.chronic:
                    continue
                factor = max(factor, KNOCKOUT_RESIDUAL)
                events.append(Event(p.at_h, 0, "on", param, factor))
                if p.until_h is not None:
                    events.append(Event(p.until_h, 0, "off", param, factor))
        return events

    def _check_step(self, name: str, param: str, factor: float, overrides) -> None:
        """Refuse a step that could not act: on an id outside `parameters` (rules, species or
        pathways set it), on one that only initial assignments read (a change after the
        start reaches nothing), on a value of 0 in this run, or raising a fraction above 1."""
        if param not in self._default_init:
            raise PathwaysInputError(f"{name}: {self.name} has no parameter {param!r} (see "
                                     f"Model.parameters for the ids a step may change)")
        if param not in self.parameters:
            raise PathwaysInputError(
                f"{name}: {param!r} is not an independent parameter of {self.name} (a rule, "
                "the model's species or pathways itself sets it); step one of "
                "Model.parameters")
        if param in self._ia_only_params:
            raise PathwaysInputError(
                f"{name}: {param!r} is read only by initial assignments (at the start of the "
                "run), so a change during the run does nothing; set it with parameters={...} "
                "(command line: --param ID=VALUE)")
        if overrides.get(param, self._default_init[param]) == 0.0:
            raise PathwaysInputError(
                f"{name}: {param!r} is 0 in this run, and a step multiplies it; give it a "
                f"value with parameters={{{param!r}: ...}} first (command line: --param "
                f"{param}=VALUE)")
        if param in self.fractions and factor > 1.0:
            raise PathwaysInputError(f"{name}: {param!r} is a fraction (0-1) and may only be "
                                     "lowered (factor <= 1)")
        sized = self._volume_params.get(param)
        if sized:
            raise PathwaysInputError(
                f"{name}: {param!r} sets the volume of compartment {sized[0]}, and a step "
                "would change it during the run (amounts kept, so concentrations jump); set "
                f"it for the whole run with parameters={{{param!r}: ...}} (command line: "
                f"--param {param}=VALUE)")

    def _require(self, target: str, what: str) -> None:
        if target not in self._default_init and target not in self._species_ids:
            raise PathwaysInputError(f"model {self.name} cannot simulate {what} "
                                     f"(it has no {target!r}); use a model with that part")

    # -- state ------------------------------------------------------------------------------
    def _apply_inits(self, inits: dict[str, float]) -> None:
        """Reset the model, then give the run's parameter values (overrides, chronic
        perturbations, references).

        Parameters that initial assignments depend on (e.g. a conserved total) are set as
        initial values (so `resetAll()` re-evaluates those assignments); all others are set
        after `resetAll()` in one vectorised call.
        """
        rr = self._rr
        if inits is not self._applied:
            ia = {k: v for k, v in inits.items() if k in self._ia_params}
            if ia != self._ia_applied:
                # the ExecutableModel setter changes the initial value without regenerating
                # the model; resetAll() below re-evaluates the initial assignments
                for pid in self._ia_applied.keys() - ia.keys():
                    rr.model.setValue(f"init({pid})", self._default_init[pid])
                for pid, v in ia.items():
                    rr.model.setValue(f"init({pid})", v)
                self._ia_applied = ia
            rest = [(self._param_index[k], v) for k, v in inits.items()
                    if k not in self._ia_params]
            self._current = (np.array([i for i, _ in rest], dtype=np.int32),
                             np.array([v for _, v in rest], dtype=float))
            self._applied = inits
        rr.resetAll()
        if self._current[0].size:
            rr.model.setGlobalParameterValues(*self._current)

    def _pre_dose_state(self, overrides, chronic: tuple[Perturbation, ...]):
        """Return (species amounts, initial parameter values) at the pre-dose steady state.

        Fold readouts are relative to the steady state of the overrides without chronic
        perturbations and without overrides of a component model's inputs (its `@inputs`,
        e.g. `ket_brain_u` of nmda_blockade alone): those act like a chronic clamp, so a
        clamped drug input shows as an effect rather than becoming the new baseline."""
        key = (tuple(sorted(overrides.items())), tuple(p.factors for p in chronic))
        if key in self._ss_cache:
            return self._ss_cache[key]
        clamped = {k: v for k, v in overrides.items() if k in self._input_ids}
        base_key = (tuple(sorted((k, v) for k, v in overrides.items()
                                 if k not in clamped)), ())
        overridden = bool(base_key[0])
        if base_key not in self._ss_cache:
            inits = dict(base_key[0])
            amounts = self._steady_state(inits, self._seed(()) if overridden else None)
            refs = self._reference_values(inits, amounts)
            self._ss_cache[base_key] = (amounts, {**inits, **refs})
        _, base_inits = self._ss_cache[base_key]
        if chronic or clamped:
            inits = {**base_inits, **clamped}
            for p in chronic:
                for param, factor in p.factors:
                    inits[param] = (inits.get(param, self._default_init[param])
                                    * max(factor, KNOCKOUT_RESIDUAL))
            seed = self._seed(chronic) if overridden and not clamped else None
            amounts = self._steady_state(inits, seed)
            if self._symptom_ref:                      # a new dict: _apply_inits keys on identity
                inits = {**inits, ro.SYMPTOM_REF: self._value_at(inits, amounts,
                                                                 ro.SYMPTOM_STATE)}
            self._ss_cache[key] = (amounts, inits)
        while len(self._ss_cache) > MAX_CACHED_STEADY_STATES:
            oldest = next(iter(self._ss_cache))
            if oldest == base_key:
                self._ss_cache[oldest] = self._ss_cache.pop(oldest)   # keep the base: move it
                oldest = next(iter(self._ss_cache))
            del self._ss_cache[oldest]
        return self._ss_cache[key]

    def _steady_state(self, inits, seed=None) -> np.ndarray:
        """Return floating-species amounts at the drug-free steady state for `inits`: the
        `seed` state (see `_seed`) if `inits` leaves it a steady state, else by a search."""
        rr = self._rr
        self._apply_inits(inits)
        volumes = rr.model.getCompartmentVolumes()
        bad = [(c, v) for c, v in zip(rr.model.getCompartmentIds(), volumes)
               if not 0 < v < math.inf]
        if bad:
            cause = (f"parameters {inits} make" if inits else f"{self.name} gives")
            raise PathwaysInputError(
                f"{cause} the volume of compartment {bad[0][0]} {bad[0][1]:g} L; volumes "
                "must be finite and > 0")
        if self.start == "initial":               # a user's model, from its file's values
            return np.array(rr.model.getFloatingSpeciesAmounts())
        if seed is not None and self._seed_holds(inits, seed):
            return seed[0]
        try:
            converged = self._integrate_to_steady_state(inits, None, reset=False)
        except RuntimeError:
            converged = False
        if not converged and not self._n_events:   # the fallback: chunks 48, 48, 96 ... h
            converged = self._integrate_to_steady_state(inits, CHUNK_H)
        if converged:
            return self._polish(np.array(rr.model.getFloatingSpeciesAmounts()))
        rates = np.abs(np.asarray(rr.getRatesOfChange()))
        worst = "?"
        if rates.size:
            worst = self._species_ids[self._rate_index[int(np.argmax(rates))]]
        events = (f"; its {self._n_events} SBML event(s) may keep it from settling"
                  if self._n_events else "")
        raise SimulationError(f"{self._label()}: no pre-dose steady state "
                              f"(largest rate: {worst}){events}"
                              f"{f'; parameters {inits}' if inits else ''}"
                              f"{self._initial_hint()}")

    def _label(self) -> str:
        """Return the model's name for messages: with its parameter set if shipped."""
        return f"{self.name} ({self.species})" if self._shipped else self.name

    def _initial_hint(self) -> str:
        """Return, for a user's model, how to start from the file's initial values instead."""
        if self._shipped:
            return ""
        return ("; to start from the file's own initial values instead, load it with "
                "start='initial' (pathways simulate: --from-initial)")

    def _ia_inputs(self, inits) -> tuple:
        """The values of the parameters that initial assignments read (conserved totals)."""
        return tuple(sorted((k, v) for k, v in inits.items() if k in self._ia_params))

    def _seed(self, chronic: tuple[Perturbation, ...]):
        """Return (amounts, rates of change, initial-assignment inputs) at the drug-free
        steady state of the model's own parameter values under the same chronic
        perturbations: the state a run with overrides reuses when they leave it a steady
        state (`_seed_holds`). None for a user's model (it might have several steady
        states, and a search from its initial state could reach another one) or when that
        state cannot be found (the run then searches and reports its own failure).

        The seed depends only on the chronic perturbations, so whether a run reuses it, and
        its result, do not depend on which runs came before."""
        if not self._shipped:
            return None
        key = tuple(p.factors for p in chronic)
        try:
            amounts, inits = self._pre_dose_state({}, chronic)
        except (PathwaysInputError, SimulationError):
            return None
        rates = self._seed_rates.get(key)
        if rates is None:
            self._apply_inits(inits)
            self._set_amounts(amounts)
            rates = self._seed_rates[key] = np.array(self._rr.getRatesOfChange())
        return amounts, rates, self._ia_inputs(inits)

    def _seed_holds(self, inits, seed) -> bool:
        """Whether the `seed` state is also the steady state of `inits` (already applied).

        It is when, with `inits`, every rate of change there is bit for bit what it was
        under the seed's own values, and `inits` gives the initial assignments (conserved
        totals, which pick a steady state without entering any rate) the same inputs.
        Parameters acting only on drug species - clearances, volumes, absorption rates -
        qualify: without a dose the drug amounts are 0, so a virtual subject's or a
        sensitivity sample's pharmacokinetics needs no new search. If it does not hold the
        model is put back at its initial state for the search."""
        amounts, rates, ia = seed
        if self._ia_inputs(inits) != ia:
            return False
        rr = self._rr
        initial = np.array(rr.model.getFloatingSpeciesAmounts())
        self._set_amounts(amounts)
        if np.array_equal(np.asarray(rr.getRatesOfChange()), rates):
            return True
        self._set_amounts(initial)
        return False

    def _integrate_to_steady_state(self, inits, chunk_h, reset: bool = True) -> bool:
        """Integrate the drug-free model from its initial state until `_converged`, checking
        at 1e3, 1e4, 1e5 and 1e6 h; return whether it converged. chunk_h None: one CVODE
        call per horizon; else chunks growing geometrically from chunk_h, with the
        solver-noise flush between them. reset False: the caller has just applied `inits`."""
        rr = self._rr
        if reset:
            self._apply_inits(inits)
        t = 0.0
        horizons = STEADY_STATE_HORIZONS_H
        deadline = None
        if self._n_events:          # a foreign model whose events may fire without end:
            horizons = horizons[:2]                 # bounded effort, in fixed chunks
            chunk_h = STEADY_STATE_HORIZONS_H[0] / 100
            deadline = time.monotonic() + EVENT_MODEL_STEADY_STATE_S
        for horizon in (h * self._per_hour for h in horizons):
            while t < horizon:
                step = (horizon - t if chunk_h is None
                        else min(max(chunk_h * self._per_hour, t), horizon - t))
                if deadline is not None:
                    step = min(chunk_h * self._per_hour, horizon - t)
                    if time.monotonic() > deadline:
                        return False
                rr.simulate(t, t + step, 2)
                t += step
                self._flush_tiny()
            if self._converged():
                return True
        return False

    def _polish(self, amounts: np.ndarray) -> np.ndarray:
        """Refine an integrated steady state: integrate 1e5 h more at tight tolerances
        (CVODE noise otherwise leaves slow modes, such as stable spines, drifting by ~1e-9
        per hour); keep the refined state if it is finite. A user's model is refined over
        the first 1e3 h only (`USER_POLISH_HORIZONS_H`): a large stiff model took minutes at
        these tolerances over the longer ones, and a fixed horizon keeps its steady state
        the same on every machine."""
        rr = self._rr
        integrator = rr.getIntegrator()
        horizons = POLISH_HORIZONS_H if self._shipped else USER_POLISH_HORIZONS_H
        try:
            integrator.setValue("relative_tolerance", 1e-12)
            integrator.setValue("absolute_tolerance", 1e-18)
            t = rr.model.getTime()
            for horizon in horizons:
                rr.simulate(t, t + horizon * self._per_hour, 2)
                t += horizon * self._per_hour
                self._flush_tiny()
            refined = np.array(rr.model.getFloatingSpeciesAmounts())
        except RuntimeError:
            refined = amounts
        finally:
            for k, v in INTEGRATOR.items():
                integrator.setValue(k, v)
        return refined if np.all(np.isfinite(refined)) else amounts

    def _converged(self) -> bool:
        if self._rate_index.size == 0:
            return True
        rr = self._rr
        scale = np.abs(np.asarray(rr.model.getFloatingSpeciesAmounts()))[self._rate_index]
        rates = np.abs(np.asarray(rr.getRatesOfChange())) * self._per_hour   # per hour
        return bool(np.all(rates <= STEADY_STATE_TOL * np.maximum(scale, 1e-6)))

    def _value_at(self, inits, amounts, variable: str) -> float:
        self._apply_inits(inits)
        self._set_amounts(amounts)
        return float(self._rr.getValue(variable))

    def _reference_values(self, inits, amounts) -> dict[str, float]:
        """Return `_ref` values that make every fold readout exactly 1 at the steady state."""
        out = {}
        self._apply_inits(inits)
        self._set_amounts(amounts)
        for readout, ref in self._refs.items():
            value = float(self._rr.getValue(readout))
            out[ref] = value * self._default_init[ref]
        if self._symptom_ref:
            out[ro.SYMPTOM_REF] = float(self._rr.getValue(ro.SYMPTOM_STATE))
        bad = [(r, v) for r, v in out.items() if v == 0.0]   # non-finite: a solver failure
        if bad:
            readout = next((k for k, v in self._refs.items() if v == bad[0][0]),
                           ro.SYMPTOM)
            raise PathwaysInputError(
                f"parameters {inits} make the steady-state baseline of {readout} "
                f"0; a change from baseline needs a non-zero baseline (to "
                f"remove a component use pathways.knockout(target), which keeps 1e-9 of it)")
        return out

    def _checked_columns(self, columns) -> np.ndarray:
        """Return a mask of the `columns` whose values must be finite: all of a shipped
        model's; a user's species only (a quantity its rules define, e.g. a ratio A/B while
        B is 0, may be infinite or NaN without the solution being so)."""
        if self._shipped:
            return np.ones(len(columns), dtype=bool)
        species = set(self._species_ids)
        return np.array([c in species for c in columns], dtype=bool)

    def _integrate(self, amounts, inits, events, start, grid, columns) -> np.ndarray:
        """Integrate from the pre-dose state through `events`; return the `columns` at
        `grid`. One CVODE call per segment between events; if that fails (or gives a
        non-finite value), the run is redone in chunks of at most CHUNK_H hours with the
        solver-noise flush between them."""
        try:
            out = self._integrate_segments(amounts, inits, events, start, grid, columns, None)
            if np.isfinite(out[:, self._checked_columns(columns)]).all():
                return out
        except RuntimeError:
            pass
        return self._integrate_segments(amounts, inits, events, start, grid, columns,
                                        CHUNK_H * self._per_hour)

    def _integrate_segments(self, amounts, inits, events, start, grid, columns, chunk_h):
        """Integrate from `start` (the first event, or 0) to grid[-1]; return the `columns`
        at the `grid` times. An event at a grid time acts before that time's output (a dose
        at t shows at t), also at the last time. With acute changes before time 0,
        symptom_change_pct is made relative to the score at time 0 (CONTRACT: 0 at time 0
        in every arm; a dose placed before time 0 is therefore part of the time-0 score)."""
        rr = self._rr
        self._apply_inits(inits)
        m = rr.model
        self._set_amounts(amounts)
        selections = ["time"] + [c if c not in self._species_ids else f"[{c}]" for c in columns]
        if selections != self._selections:
            rr.timeCourseSelections = selections      # set only when changed (costs ~60 µs)
            self._selections = selections
        end = float(grid[-1])
        # An event time is snapped to the 1e-9-h resolution, so it can lie up to 5e-10 h after
        # the same time in the grid (40 min = 2/3 h snaps up): an output less than `snap`
        # before an event shows that event (a dose at t shows at t). An output after an event
        # by more than rounding (`tiny`) is integrated to, however close it is.
        tiny = 1e-12 * max(1.0, abs(start), abs(end))
        snap = TIME_RESOLUTION_H * self._per_hour
        m.setTime(start)
        inside = {e.time for e in events if start <= e.time < end - tiny}
        bounds = sorted(inside | {start} | ({0.0} if start < 0.0 < end - tiny else set()))
        bounds.append(end)
        if chunk_h is not None:
            chunked = [bounds[0]]
            for b in bounds[1:]:
                a = chunked[-1]
                n = int(np.ceil((b - a) / chunk_h - 1e-9))
                chunked.extend(a + (b - a) * k / n for k in range(1, n))
                chunked.append(b)
            bounds = chunked
        events = sorted(events, key=lambda e: (e.time, e.order))
        ev_i = 0
        active: dict[str, list[float]] = {}
        self._run_start_values: dict[str, float] = {}
        out = np.empty((grid.size, len(columns)))
        score_at_0 = None
        g_i = 0
        for a, b in zip(bounds[:-1], bounds[1:]):
            if a == 0.0 and start < 0.0 and ro.SYMPTOM in columns and self._symptom_ref:
                score_at_0 = float(rr.getValue(ro.SYMPTOM_STATE))   # before 0's events
            while ev_i < len(events) and events[ev_i].time <= a + tiny:
                self._fire(events[ev_i], active)
                ev_i += 1
            self._flush_tiny()      # after the events: a dose below the noise floor is noise
            last = b == end
            j = (grid.size if last else int(np.searchsorted(grid, b - snap)))
            seg = grid[g_i:j]
            inner = seg[seg > a + tiny]           # times at a read the state at a
            times = np.concatenate(([a], inner, [b] if (inner.size == 0 or inner[-1] < b - tiny)
                                    else []))
            res = np.asarray(rr.simulate(times=times))
            if res.shape[1] != len(selections):     # cannot happen unless rr was touched
                raise RuntimeError("libRoadRunner selections changed during a run")
            rows = np.where(seg > a + tiny, np.searchsorted(times, seg), 0)
            out[g_i:j] = res[rows, 1:]
            g_i = j
        if ev_i < len(events) and events[ev_i].time <= end + snap:
            while ev_i < len(events) and events[ev_i].time <= end + snap:
                self._fire(events[ev_i], active)     # events at the last output time act
                ev_i += 1                            # before it, as at every other time
            out[grid >= end - snap] = np.asarray(rr.getSelectedValues())[1:]
        if score_at_0 is not None:
            k = columns.index(ro.SYMPTOM)
            ref = float(rr.getValue(ro.SYMPTOM_REF))
            out[:, k] = ((1.0 + out[:, k] / 100.0) * ref / score_at_0 - 1.0) * 100.0
        return out

    def _flush_tiny(self) -> None:
        """Zero the amounts that are pure solver noise (|x| < FLUSH_BELOW_UMOL) before
        CVODE restarts."""
        m = self._rr.model
        amounts = np.asarray(m.getFloatingSpeciesAmounts())
        noise = np.abs(amounts) < FLUSH_BELOW_UMOL
        if np.any(noise & (amounts != 0)):
            amounts[noise] = 0.0
            self._set_amounts(amounts)

    def _set_amounts(self, amounts) -> None:
        """Set the floating-species amounts (µmol) of the species no rule defines."""
        if self._settable.size:
            self._rr.model.setFloatingSpeciesAmounts(
                self._settable, np.asarray(amounts, dtype=float)[self._settable])

    def _fire(self, e: Event, active: dict[str, list[float]]) -> None:
        rr = self._rr
        if e.kind == "add":
            i = self._species_ids.index(e.target)
            m = rr.model
            cur = m.getFloatingSpeciesAmounts([i])[0]
            m.setFloatingSpeciesAmounts([i], [cur + e.value])
        elif e.kind == "rate+":
            rr.setValue(e.target, max(rr.getValue(e.target) + e.value, 0.0))
        else:   # an acute perturbation starts ("on") or ends ("off")
            factors = active.setdefault(e.target, [])
            if e.kind == "on":
                factors.append(e.value)
            else:
                factors.remove(e.value)
            base = self._run_start_values.setdefault(e.target, rr.getValue(e.target))
            rr.setValue(e.target, base * math.prod(factors))


def _or_list(items) -> str:
    """Return 'a, b or c'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
