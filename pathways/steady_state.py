"""`SteadyStates`: the drug-free pre-dose steady states of one Model, cached.

Every run starts from the steady state of its parameter set and chronic perturbations (a
user's model loaded with start='initial': from its file's initial values), and the fold
readouts of a shipped model are relative to the steady state of the same parameters without
the chronic perturbations, so a genotype or long treatment shows as a change from the
untreated baseline. A steady state is found by integration once per parameter set and
chronic perturbation: checked at 1e3, 1e4, 1e5 and 1e6 h (a model with SBML events: 1e3 and
1e4 h, in 10-h chunks, within a 10-s budget), then refined by more integration at tight
tolerances. A shipped model with overrides first tries the steady state of its own values
under the same chronic perturbations (the *seed*): it is reused when, with the new values,
every rate of change there is bit for bit what it was and the conserved totals are the same
(clearances, volumes and absorption rates act on nothing without a dose).
"""
from __future__ import annotations

import math
import time

import numpy as np

from . import readouts as ro
from .compiled import INTEGRATOR
from .errors import PathwaysInputError, SimulationError
from .perturbations import Perturbation, acting_factor
from .solver import CHUNK_H, Solver

STEADY_STATE_TOL = 1e-9      # max |d amount/dt| / max(|amount|, 1e-6) per hour, by integration;
                             # then the tight-tolerance refinement (`polish`), so that a
                             # 14-day vehicle run drifts < 1e-9, far inside the 1e-6 contract
STEADY_STATE_HORIZONS_H = (1e3, 1e4, 1e5, 1e6)   # where convergence is checked
EVENT_MODEL_STEADY_STATE_S = 10.0   # wall-clock budget of the steady-state search of a model
                                    # with SBML events (a foreign model: events can fire forever)
POLISH_HORIZONS_H = (1e3, 1e4, 1e5)   # tight-tolerance refinement of a steady state
USER_POLISH_HORIZONS_H = (1e3,)       # a user's model: BIOMD0000000470 took 50 s for the
                                      # 1e4-h step and minutes for the 1e5-h one at 1e-12

MAX_CACHED_STEADY_STATES = 4096      # per Model; the oldest is dropped beyond this


class SteadyStates:
    """The pre-dose steady states of one Model's `Solver`, searched once per parameter set
    and chronic perturbation."""

    def __init__(self, solver: Solver, *, label: str, shipped: bool, from_initial: bool,
                 refs: dict[str, str], symptom_ref: bool, input_ids: frozenset[str],
                 hint: str):
        """`label`: the model's name for messages; `shipped`: one of pathways' models (a
        user's model gets no seed and a shorter polish); `from_initial`: runs start from the
        file's initial values, not a steady state; `refs`: {fold readout: its `_ref`
        parameter}; `symptom_ref`: the model has `symptom_ref`; `input_ids`: a component
        model's inputs, which act like a clamp; `hint`: appended to a failed search's
        message. All are fixed for the life of the Model."""
        self.solver = solver
        self.label, self.shipped, self.from_initial = label, shipped, from_initial
        self.refs, self.symptom_ref, self.input_ids = refs, symptom_ref, input_ids
        self.n_events = solver.rr.model.getNumEvents()
        self.hint = hint
        self._cache: dict = {}
        self._seed_rates: dict = {}     # chronic key -> rates of change at its own seed state

    def __len__(self) -> int:
        """Return how many steady states are cached."""
        return len(self._cache)

    def clear(self) -> None:
        """Forget the cached steady states (a worker running many parameter sets)."""
        self._cache.clear()

    def pre_dose(self, overrides: dict[str, float], chronic: tuple[Perturbation, ...]):
        """Return (species amounts, {parameter id: value}) at the pre-dose steady state of
        the run's `overrides` (model units) and `chronic` perturbations; amounts in the
        model's substance units (pathways' models: µmol). The dict holds the overrides, the
        chronic factors and the computed `_ref` values; it is the cached object (`Solver.apply`
        recognises it by identity), so callers must not change it, and they hold the Model's
        lock as for any use of its solver.

        Fold readouts are relative to the steady state of the overrides without chronic
        perturbations and without overrides of a component model's inputs (its `@inputs`,
        e.g. `ket_brain_u` of nmda_blockade alone): those act like a chronic clamp, so a
        clamped drug input shows as an effect rather than becoming the new baseline."""
        cache = self._cache
        key = (tuple(sorted(overrides.items())), tuple(p.factors for p in chronic))
        if key in cache:
            return cache[key]
        clamped = {k: v for k, v in overrides.items() if k in self.input_ids}
        base_key = (tuple(sorted((k, v) for k, v in overrides.items()
                                 if k not in clamped)), ())
        overridden = bool(base_key[0])
        if base_key not in cache:
            inits = dict(base_key[0])
            amounts = self._search(inits, self.seed(()) if overridden else None)
            refs = self._reference_values(inits, amounts)
            cache[base_key] = (amounts, {**inits, **refs})
        _, base_inits = cache[base_key]
        if chronic or clamped:
            inits = {**base_inits, **clamped}
            default = self.solver.default_init
            for p in chronic:
                for param, factor in p.factors:
                    inits[param] = inits.get(param, default[param]) * acting_factor(factor)
            seed = self.seed(chronic) if overridden and not clamped else None
            amounts = self._search(inits, seed)
            if self.symptom_ref:                 # a new dict: Solver.apply keys on identity
                inits = {**inits, ro.SYMPTOM_REF: self.solver.value_at(inits, amounts,
                                                                       ro.SYMPTOM_STATE)}
            cache[key] = (amounts, inits)
        while len(cache) > MAX_CACHED_STEADY_STATES:
            oldest = next(iter(cache))
            if oldest == base_key:
                cache[oldest] = cache.pop(oldest)   # keep the base: move it to the end
                oldest = next(iter(cache))
            del cache[oldest]
        return cache[key]

    def _search(self, inits, seed=None) -> np.ndarray:
        """Return floating-species amounts at the drug-free steady state for `inits`: the
        `seed` state (see `seed`) if `inits` leaves it a steady state, else by a search."""
        solver = self.solver
        rr = solver.rr
        solver.apply(inits)
        volumes = rr.model.getCompartmentVolumes()
        bad = [(c, v) for c, v in zip(rr.model.getCompartmentIds(), volumes)
               if not 0 < v < math.inf]
        if bad:
            cause = (f"parameters {inits} make" if inits else f"{self.label} gives")
            raise PathwaysInputError(
                f"{cause} the volume of compartment {bad[0][0]} {bad[0][1]:g} L; volumes "
                "must be finite and > 0")
        if self.from_initial:                     # a user's model, from its file's values
            return solver.amounts()
        if seed is not None and self._seed_holds(inits, seed):
            return seed[0]
        try:
            converged = self._settle(inits, None, reset=False)
        except RuntimeError:
            converged = False
        if not converged and not self.n_events:   # the fallback: chunks 48, 48, 96 ... h
            converged = self._settle(inits, CHUNK_H)
        if converged:
            return self.polish(solver.amounts())
        rates = np.abs(np.asarray(rr.getRatesOfChange()))
        worst = "?"
        if rates.size:
            worst = solver.species_ids[solver.rate_index[int(np.argmax(rates))]]
        events = (f"; its {self.n_events} SBML event(s) may keep it from settling"
                  if self.n_events else "")
        raise SimulationError(f"{self.label}: no pre-dose steady state "
                              f"(largest rate: {worst}){events}"
                              f"{f'; parameters {inits}' if inits else ''}{self.hint}")

    def _ia_inputs(self, inits) -> tuple:
        """The values of the parameters that initial assignments read (conserved totals)."""
        return tuple(sorted((k, v) for k, v in inits.items() if k in self.solver.ia_params))

    def seed(self, chronic: tuple[Perturbation, ...]):
        """Return (amounts, rates of change per model time unit, initial-assignment inputs)
        at the drug-free
        steady state of the model's own parameter values under the same chronic
        perturbations: the state a run with overrides reuses when they leave it a steady
        state (`_seed_holds`). None for a user's model (it might have several steady
        states, and a search from its initial state could reach another one) or when that
        state cannot be found (the run then searches and reports its own failure).

        The seed depends only on the chronic perturbations, so whether a run reuses it, and
        its result, do not depend on which runs came before."""
        if not self.shipped:
            return None
        key = tuple(p.factors for p in chronic)
        try:
            amounts, inits = self.pre_dose({}, chronic)
        except (PathwaysInputError, SimulationError):
            return None
        rates = self._seed_rates.get(key)
        if rates is None:
            self.solver.apply(inits)
            self.solver.set_amounts(amounts)
            rates = self._seed_rates[key] = np.array(self.solver.rr.getRatesOfChange())
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
        solver = self.solver
        initial = solver.amounts()
        solver.set_amounts(amounts)
        if np.array_equal(np.asarray(solver.rr.getRatesOfChange()), rates):
            return True
        solver.set_amounts(initial)
        return False

    def _settle(self, inits, chunk_h, reset: bool = True) -> bool:
        """Integrate the drug-free model from its initial state until it is steady
        (STEADY_STATE_TOL), checking at 1e3, 1e4, 1e5 and 1e6 h; return whether it is.
        chunk_h None: one CVODE call per horizon; else chunks growing geometrically from
        chunk_h, with the solver-noise flush between them. reset False: the caller has just
        applied `inits`."""
        solver = self.solver
        per_hour = solver.per_hour
        if reset:
            solver.apply(inits)
        t = 0.0
        horizons = STEADY_STATE_HORIZONS_H
        deadline = None
        if self.n_events:           # a foreign model whose events may fire without end:
            horizons = horizons[:2]                 # bounded effort, in fixed chunks
            chunk_h = STEADY_STATE_HORIZONS_H[0] / 100
            deadline = time.monotonic() + EVENT_MODEL_STEADY_STATE_S
        for horizon in (h * per_hour for h in horizons):
            while t < horizon:
                step = (horizon - t if chunk_h is None
                        else min(max(chunk_h * per_hour, t), horizon - t))
                if deadline is not None:
                    step = min(chunk_h * per_hour, horizon - t)
                    if time.monotonic() > deadline:
                        return False
                solver.rr.simulate(t, t + step, 2)
                t += step
                solver.flush_tiny()
            if solver.is_steady(STEADY_STATE_TOL):
                return True
        return False

    def polish(self, amounts: np.ndarray) -> np.ndarray:
        """Return the species amounts after refining the steady state the model is at now:
        integrate on from the current state for 1e3 + 1e4 + 1e5 h at tight tolerances
        (CVODE noise otherwise leaves slow modes, such as stable spines, drifting by ~1e-9
        per hour), or `amounts` (the state integrated to) if that fails or is not finite. A
        user's model is refined over 1e3 h only (`USER_POLISH_HORIZONS_H`): a large stiff
        model took minutes at these tolerances over the longer ones, and a fixed horizon
        keeps its steady state the same on every machine."""
        solver = self.solver
        rr = solver.rr
        integrator = rr.getIntegrator()
        horizons = POLISH_HORIZONS_H if self.shipped else USER_POLISH_HORIZONS_H
        try:
            integrator.setValue("relative_tolerance", 1e-12)
            integrator.setValue("absolute_tolerance", 1e-18)
            t = rr.model.getTime()
            for horizon in horizons:
                rr.simulate(t, t + horizon * solver.per_hour, 2)
                t += horizon * solver.per_hour
                solver.flush_tiny()
            refined = solver.amounts()
        except RuntimeError:
            refined = amounts
        finally:
            for k, v in INTEGRATOR.items():
                integrator.setValue(k, v)
        return refined if np.all(np.isfinite(refined)) else amounts

    def _reference_values(self, inits, amounts) -> dict[str, float]:
        """Return `_ref` values that make every fold readout exactly 1 at the steady state."""
        solver = self.solver
        out = {}
        solver.apply(inits)
        solver.set_amounts(amounts)
        for readout, ref in self.refs.items():
            value = float(solver.rr.getValue(readout))
            out[ref] = value * solver.default_init[ref]
        if self.symptom_ref:
            out[ro.SYMPTOM_REF] = float(solver.rr.getValue(ro.SYMPTOM_STATE))
        bad = [(r, v) for r, v in out.items() if v == 0.0]   # non-finite: a solver failure
        if bad:
            readout = next((k for k, v in self.refs.items() if v == bad[0][0]),
                           ro.SYMPTOM)
            raise PathwaysInputError(
                f"parameters {inits} make the steady-state baseline of {readout} "
                f"0; a change from baseline needs a non-zero baseline (to "
                f"remove a component use pathways.knockout(target), which keeps 1e-9 of it)")
        return out
