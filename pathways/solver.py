"""`Solver`: one compiled libRoadRunner model and what a run does to it.

A run resets the model to a parameter set (`apply`), puts its species at a state
(`set_amounts`), then integrates piecewise between events (`integrate`): a dose adds to a
species, an infusion step changes a pump rate, an acute perturbation multiplies a parameter.
Amounts are in the model's substance units (pathways' models: µmol) and times in its own
time unit (pathways' models: hours).
`Model` (pathways.model) checks the user's inputs and builds the events; the pre-dose steady
state comes from `SteadyStates` (pathways.steady_state). One Solver belongs to one Model,
whose lock serialises its runs.
"""
from __future__ import annotations

import math

import numpy as np

from . import readouts as ro
from .events import TIME_RESOLUTION_H, Event

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


class Solver:
    """The compiled model `rr` (a libRoadRunner RoadRunner) of one Model and the operations
    a run makes on it."""

    def __init__(self, rr, species_ids: list[str], default_init: dict[str, float],
                 per_hour: float, ia_params: set[str], symptom_ref: bool = False):
        """`species_ids`: the floating species in `rr`'s order; `default_init`: {global
        parameter id: value in model units} as compiled, in `rr`'s order (both as the Model
        read them from `rr`); `per_hour`: the model's time units per hour (1 for pathways'
        models);
        `ia_params`: the parameters that initial assignments read (set as initial values,
        so that `resetAll()` re-evaluates those assignments); `symptom_ref`: the model's
        symptom readout is relative to a computed reference (pathways' models), so a run
        with doses before time 0 re-bases it to time 0.

        The attributes other modules read: `rr`, `species_ids`, `default_init` ({parameter
        id: value in model units}), `per_hour`, `rate_index`, `ia_params`; `current` and
        `selections` are what `apply` and `integrate` last set (a benchmark's plain loop
        reuses and resets them)."""
        self.rr = rr
        m = rr.model
        self.per_hour = per_hour
        self.species_ids = species_ids
        ruled = set(rr.getAssignmentRuleIds())
        # species that an assignment rule defines cannot be set; every other one can
        self.settable = np.array([i for i, sid in enumerate(self.species_ids)
                                  if sid not in ruled], dtype=np.int32)
        # getRatesOfChange follows the state vector: the species no assignment rule defines
        # (a rate rule on a non-species is refused before a Solver is made), in
        # libRoadRunner's order
        state_ids = [m.getStateVectorId(i) for i in range(len(rr.getRatesOfChange()))]
        where = {sid: i for i, sid in enumerate(self.species_ids)}
        self.rate_index = np.array([where[x] for x in state_ids], dtype=np.int32)
        self.default_init = default_init
        self.param_index = {p: i for i, p in enumerate(default_init)}
        self.ia_params = ia_params
        self.symptom_ref = symptom_ref
        self._ia_applied: dict[str, float] = {}
        self._applied: dict | None = None
        # (indices, values) of the parameters `apply` sets after resetAll(), one array each
        self.current = (np.zeros(0, dtype=np.int32), np.zeros(0))
        self.selections: list[str] = []       # the time-course selections last set
        self._run_start_values: dict[str, float] = {}

    # -- state ------------------------------------------------------------------------------
    def apply(self, inits: dict[str, float]) -> None:
        """Reset the model, then give it the parameter values `inits` (a run's overrides,
        chronic perturbations and references; model units).

        Parameters that initial assignments depend on (e.g. a conserved total) are set as
        initial values (so `resetAll()` re-evaluates those assignments); all others are set
        after `resetAll()` in one vectorised call. The same dict object applied twice is
        converted once.
        """
        rr = self.rr
        if inits is not self._applied:
            ia = {k: v for k, v in inits.items() if k in self.ia_params}
            if ia != self._ia_applied:
                # the ExecutableModel setter changes the initial value without regenerating
                # the model; resetAll() below re-evaluates the initial assignments
                for pid in self._ia_applied.keys() - ia.keys():
                    rr.model.setValue(f"init({pid})", self.default_init[pid])
                for pid, v in ia.items():
                    rr.model.setValue(f"init({pid})", v)
                self._ia_applied = ia
            rest = [(self.param_index[k], v) for k, v in inits.items()
                    if k not in self.ia_params]
            self.current = (np.array([i for i, _ in rest], dtype=np.int32),
                            np.array([v for _, v in rest], dtype=float))
            self._applied = inits
        rr.resetAll()
        if self.current[0].size:
            rr.model.setGlobalParameterValues(*self.current)

    def amounts(self) -> np.ndarray:
        """Return the floating-species amounts (model substance units; pathways' models:
        µmol), in `species_ids` order."""
        return np.array(self.rr.model.getFloatingSpeciesAmounts())

    def set_amounts(self, amounts) -> None:
        """Set the floating-species amounts (as `amounts` returns them) of the species no
        rule defines."""
        if self.settable.size:
            self.rr.model.setFloatingSpeciesAmounts(
                self.settable, np.asarray(amounts, dtype=float)[self.settable])

    def value_at(self, inits, amounts, variable: str) -> float:
        """Return the value of `variable` (model units) with parameters `inits` at the
        species `amounts`."""
        self.apply(inits)
        self.set_amounts(amounts)
        return float(self.rr.getValue(variable))

    def flush_tiny(self) -> None:
        """Zero the amounts that are pure solver noise (|x| < FLUSH_BELOW_UMOL) before
        CVODE restarts."""
        amounts = np.asarray(self.rr.model.getFloatingSpeciesAmounts())
        noise = np.abs(amounts) < FLUSH_BELOW_UMOL
        if np.any(noise & (amounts != 0)):
            amounts[noise] = 0.0
            self.set_amounts(amounts)

    def is_steady(self, tolerance: float) -> bool:
        """Return whether every rate of change (per hour) is at most `tolerance` times the
        amount it changes (amounts below 1e-6 µmol count as 1e-6)."""
        if self.rate_index.size == 0:
            return True
        rr = self.rr
        scale = np.abs(np.asarray(rr.model.getFloatingSpeciesAmounts()))[self.rate_index]
        rates = np.abs(np.asarray(rr.getRatesOfChange())) * self.per_hour
        return bool(np.all(rates <= tolerance * np.maximum(scale, 1e-6)))

    # -- a run ------------------------------------------------------------------------------
    def integrate(self, amounts, inits, events, start, grid, columns, checked) -> np.ndarray:
        """Integrate from `amounts` with parameters `inits` through `events` from `start`
        (times in model time units); return the `columns` at the `grid` times, an array of
        shape (len(grid), len(columns)): species as concentrations (pathways' models: µM),
        other ids in model units. One CVODE call per segment between events; if that fails,
        or gives a non-finite value in a column `checked` (a boolean mask) marks, the run is
        redone in chunks of at most CHUNK_H hours with the solver-noise flush between them."""
        try:
            out = self._segments(amounts, inits, events, start, grid, columns, None)
            if np.isfinite(out[:, checked]).all():
                return out
        except RuntimeError:
            pass
        return self._segments(amounts, inits, events, start, grid, columns,
                              CHUNK_H * self.per_hour)

    def _segments(self, amounts, inits, events, start, grid, columns, chunk_h):
        """Integrate from `start` (the first event, or 0) to grid[-1]; return the `columns`
        at the `grid` times. An event at a grid time acts before that time's output (a dose
        at t shows at t), also at the last time. With acute changes before time 0,
        symptom_change_pct is made relative to the score at time 0 (CONTRACT: 0 at time 0
        in every arm; a dose placed before time 0 is therefore part of the time-0 score)."""
        rr = self.rr
        self.apply(inits)
        m = rr.model
        self.set_amounts(amounts)
        selections = ["time"] + [c if c not in self.species_ids else f"[{c}]" for c in columns]
        if selections != self.selections:
            rr.timeCourseSelections = selections      # set only when changed (costs ~60 µs)
            self.selections = selections
        end = float(grid[-1])
        # An event time is snapped to the 1e-9-h resolution, so it can lie up to 5e-10 h after
        # the same time in the grid (40 min = 2/3 h snaps up): an output less than `snap`
        # before an event shows that event (a dose at t shows at t). An output after an event
        # by more than rounding (`tiny`) is integrated to, however close it is.
        tiny = 1e-12 * max(1.0, abs(start), abs(end))
        snap = TIME_RESOLUTION_H * self.per_hour
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
        self._run_start_values = {}
        out = np.empty((grid.size, len(columns)))
        score_at_0 = None
        g_i = 0
        for a, b in zip(bounds[:-1], bounds[1:]):
            if a == 0.0 and start < 0.0 and ro.SYMPTOM in columns and self.symptom_ref:
                score_at_0 = float(rr.getValue(ro.SYMPTOM_STATE))   # before 0's events
            while ev_i < len(events) and events[ev_i].time <= a + tiny:
                self._fire(events[ev_i], active)
                ev_i += 1
            self.flush_tiny()      # after the events: a dose below the noise floor is noise
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

    def _fire(self, e: Event, active: dict[str, list[float]]) -> None:
        """Carry out event `e`: add to a species, step a pump rate, or start/end an acute
        perturbation (`active`: the factors acting on each parameter)."""
        rr = self.rr
        if e.kind == "add":
            i = self.species_ids.index(e.target)
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
