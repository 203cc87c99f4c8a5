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
Nothing is re-parsed or recompiled per run. This module checks the inputs and builds the
events; `pathways.steady_state` finds the pre-dose steady states and `pathways.solver`
integrates.
"""
from __future__ import annotations

import threading
import warnings
from dataclasses import replace

import numpy as np

from . import readouts as ro
from . import sources
from .checks import in_range, listed_times, shown
from .compiled import INTEGRATOR, compile_model, without_cpp_location
from .drugs import DRUGS
from .errors import PathwaysInputError, SimulationError, choices_message
from .events import Event, check_daily_total, output_grid, snap
from .perturbations import acting_factor, resolve
from .regimen import Regimen
from .solver import Solver
from .species import check_species, species_set
from .steady_state import SteadyStates
from .units import readable_unit
from .user_sbml import model_time_units_per_hour, refuse_flux_balance, refuse_unsaved_state

DEFAULT_MODEL = sources.COMPOSED
MAX_END_H = 24.0 * 365
# how the warnings of doses after end_h start (a regex for warnings.filterwarnings)
LATE_DOSE_WARNING = r"(every dose is|\d+ of \d+ doses start) after end_h"
MIN_BODY_WEIGHT_KG = 0.01   # kg; see Model.__init__


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
        self._start = start
        self._name = name
        self._species = check_species(species)
        self._set = species_set(species)
        bw = self._set.body_weight_kg if body_weight_kg is None else body_weight_kg
        # 10 g to 500 kg: below a newborn mouse nothing in the parameter sets applies (and a
        # weight of 1e-300 kg reached CVODE as an opaque failure)
        self._body_weight_kg = in_range(bw, "body_weight_kg", MIN_BODY_WEIGHT_KG, 500.0, "kg")
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
        if not self._shipped:
            refuse_unsaved_state(self._rr, self.sbml, set(self._species_ids))
        ruled = set(self._rr.getAssignmentRuleIds())
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
        self._fractions: frozenset[str] | None = None
        self._declared_units: dict[str, str] | None = None     # column_unit's SBML units
        ia_params, self._ia_only_params, self._volume_params = self._rule_inputs()
        # the run machinery; the Model's name, start and parameter set are fixed from here on
        self._solver = Solver(self._rr, self._species_ids, self._default_init,
                              self._per_hour, ia_params, self._symptom_ref)
        self._steady = SteadyStates(
            self._solver, label=self._label(), shipped=self._shipped,
            from_initial=start == "initial", refs=self._refs, symptom_ref=self._symptom_ref,
            input_ids=(sources.input_ids(name) if self._shipped else frozenset()),
            hint=self._initial_hint())
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
    # Read-only: the compiled SBML, the cached steady states and the mg/kg dose conversion
    # were all made for these values (load another Model to change them).
    @property
    def name(self) -> str:
        """Return the model's name (a shipped model's, or the name given to a user's SBML)."""
        return self._name

    @property
    def species(self) -> str:
        """Return the species whose parameter set the model has: human, rat or mouse."""
        return self._species

    @property
    def body_weight_kg(self) -> float:
        """Return the subject's body weight (kg) that volumes and mg/kg doses use."""
        return self._body_weight_kg

    @property
    def start(self) -> str:
        """Return where runs start: "steady_state" or "initial" (a user's SBML only)."""
        return self._start

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
        grid = output_grid(points, start, end_h)
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
            state, inits = self._steady.pre_dose(overrides, chronic)
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
        checked = self._checked_columns(columns)
        try:
            out = self._solver.integrate(state, inits, events, start, grid, columns, checked)
            if not np.isfinite(out[:, checked]).all():     # after the chunked retry too
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
                factor = acting_factor(factor)
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

    def _label(self) -> str:
        """Return the model's name for messages: with its parameter set if shipped."""
        return f"{self.name} ({self.species})" if self._shipped else self.name

    def _initial_hint(self) -> str:
        """Return, for a user's model, how to start from the file's initial values instead."""
        if self._shipped:
            return ""
        return ("; to start from the file's own initial values instead, load it with "
                "start='initial' (pathways simulate: --from-initial)")

    def _checked_columns(self, columns) -> np.ndarray:
        """Return a mask of the `columns` whose values must be finite: all of a shipped
        model's; a user's species only (a quantity its rules define, e.g. a ratio A/B while
        B is 0, may be infinite or NaN without the solution being so)."""
        if self._shipped:
            return np.ones(len(columns), dtype=bool)
        species = set(self._species_ids)
        return np.array([c in species for c in columns], dtype=bool)


def _or_list(items) -> str:
    """Return 'a, b or c'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"

