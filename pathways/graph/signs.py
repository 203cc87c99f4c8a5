"""The signed influence graph of a model: the sign of each dependence taken numerically from
the kinetics at a few states (see `pathways.graph`)."""
from __future__ import annotations

import math
import numbers
import statistics
from collections.abc import Mapping

import networkx as nx

from ..errors import PathwaysInputError
from .evaluator import TIME_KEY, Evaluator, evaluate, initial_values
from .reading import as_document, base_graph, conversion_factor, sbo, stoichiometry

FD_REL_STEP = 1e-6
"""Relative step of the finite differences."""
LIFT_FRACTION = 1e-2
"""Default state: every state variable is raised by this fraction of its typical value."""
RANDOM_STATES = 2
"""Extra log-normal states sampled by default (σ = RANDOM_SIGMA)."""
RANDOM_SIGMA = 1.0
SECANT_FACTORS = (0.0, 0.1, 0.5, 1.0, 2.0, 10.0)
"""Where a dependence is flat locally (a step), f is compared at s times these factors."""


def _states(env0: dict, state_ids: list[str], species_ids: list[str], state, seed: int):
    """The states at which derivatives are taken (see `pathways.graph`)."""
    import numpy as np

    positive = [env0[s] for s in species_ids if env0.get(s, 0) > 0]
    scale = statistics.median(positive) if positive else 1.0
    base = dict(env0)
    species_set = set(species_ids)
    for s in state_ids:
        typical = scale if s in species_set else max(abs(env0[s]), 1.0)
        base[s] = env0[s] + LIFT_FRACTION * typical
    if state is not None:
        states = [state] if isinstance(state, Mapping) else state
        if not isinstance(states, (list, tuple)) or not all(
                isinstance(st, Mapping) for st in states):
            raise PathwaysInputError("state: give a mapping {id: value} or a list of them, "
                                     f"not {type(state).__name__}")
        out = []
        for st in states:
            unknown = sorted(set(st) - set(env0))
            if unknown:
                raise PathwaysInputError(f"state: unknown ids {', '.join(map(str, unknown[:5]))}"
                                         "; give species, parameter or compartment ids")
            e = dict(base)
            for k, v in st.items():
                try:
                    e[k] = float(v)
                except (TypeError, ValueError):
                    raise PathwaysInputError(f"state: {k} = {v!r} is not a number") from None
                if not math.isfinite(e[k]):
                    raise PathwaysInputError(f"state: {k} = {v!r} is not finite")
            out.append(e)
        if not out:
            raise PathwaysInputError("state: give a mapping {id: value} or a list of them")
        return out, (f"numeric: one-sided finite differences (relative step {FD_REL_STEP:g}) "
                     f"at {len(out)} given state(s); secants where flat")
    rng = np.random.default_rng(seed)
    out = [base]
    for _ in range(RANDOM_STATES):
        e = dict(base)
        factors = rng.lognormal(0.0, RANDOM_SIGMA, size=len(state_ids))
        for s, f in zip(state_ids, factors):
            e[s] = base[s] * float(f)
        out.append(e)
    return out, (f"numeric: one-sided finite differences (relative step {FD_REL_STEP:g}) at "
                 f"{len(out)} states: initial values + {LIFT_FRACTION:g} x typical species "
                 f"value ({scale:g}), and {RANDOM_STATES} log-normal (sigma {RANDOM_SIGMA:g}, "
                 f"seed {seed}) perturbations of it; secants where flat")


def _signs_at(f, env, s, points) -> set[int]:
    """Signs of the successive differences of f along s = points (increasing)."""
    x = env[s]
    values = []
    try:
        for p in points:
            env[s] = p
            values.append(evaluate(f, env))
    finally:
        env[s] = x
    if not all(math.isfinite(v) for v in values):
        return set()
    tol = 64 * 2.2e-16 * max(abs(v) for v in values)
    out = set()
    for a, b in zip(values, values[1:]):
        if abs(b - a) > tol:
            out.add(1 if b > a else -1)
    return out


def _derivative_signs(f, s: str, states: list[dict]) -> tuple[set[int], str]:
    """Signs of ∂f/∂s seen at `states` ({+1}, {-1}, {+1, -1} or empty) and how they were found.

    First the local one-sided differences at s·(1 ± FD_REL_STEP). Only if they are zero at
    every state (steps, floor/ceil, a switch that is off): secants over s·SECANT_FACTORS.
    """
    signs: set[int] = set()
    for env in states:
        x = env[s]
        h = FD_REL_STEP * abs(x) if x != 0 else FD_REL_STEP
        signs |= _signs_at(f, env, s, (x - h, x, x + h))
    if signs:
        return signs, "derivative"
    for env in states:
        x = env[s]
        signs |= _signs_at(f, env, s, sorted({x * m for m in SECANT_FACTORS}))
    return signs, "secant"


def interaction_graph(model_or_sbml, state=None, *, time: float = 0.0,
                      self_loops: bool = False, seed: int = 0) -> nx.DiGraph:
    """Return the signed species-level influence graph of a model (see `pathways.graph`).

    `state` sets where the derivatives are taken: None (default states), a mapping
    {id: value} or a list of mappings. `time` is the value of the SBML time symbol there
    (default 0; models whose rates are switched on later, e.g. BIOMD0000000255 at t = 1800 s,
    need a later time). `self_loops=True` keeps s→s edges. `seed` seeds the random default
    states.
    """
    if isinstance(time, bool) or not isinstance(time, numbers.Real) or not math.isfinite(time):
        raise PathwaysInputError(f"time must be a finite number (the model's time unit), got "
                                 f"{time!r}")
    doc, source = as_document(model_or_sbml)
    g = base_graph(doc, source)
    g.graph["undetermined"] = []
    g.graph["no_kinetics"] = []
    model = doc.getModel()
    if model is None:
        g.graph["sign_method"] = "numeric (no model)"
        return g
    ev = Evaluator(model)

    species = {s.getId(): s for s in model.getListOfSpecies()}
    for sid, s in species.items():
        g.add_node(sid, kind="species", id=sid, name=s.getName() or sid,
                   compartment=s.getCompartment() or None, sbo=sbo(s))
    rate_vars, derived_vars = [], []
    for rule in model.getListOfRules():
        var = rule.getVariable() if not rule.isAlgebraic() else ""
        if not var or var in species:
            continue
        kind = ("parameter" if model.getParameter(var) is not None else
                "compartment" if model.getCompartment(var) is not None else None)
        if kind is None:
            continue
        element = model.getElementBySId(var)
        g.add_node(var, kind=kind, id=var, name=element.getName() or var, sbo=sbo(element),
                   derived=rule.isAssignment())
        (rate_vars if rule.isRate() else derived_vars).append(var)
    state_ids = [s for s in species if s not in ev.derived_ast] + rate_vars
    state_set = set(state_ids)

    env0 = initial_values(model, ev)
    states, method = _states(env0, state_ids, list(species), state, seed)
    for env in states:
        env[TIME_KEY] = float(time)
    g.graph["sign_method"] = f"{method}; time = {float(time):g}"
    contributions: dict[tuple[str, str], list[tuple[str, str, int]]] = {}

    def add(source_id, target, via_kind, via, signs, how):
        if source_id == target and not self_loops:
            return
        sign = next(iter(signs)) if len(signs) == 1 else 0
        contributions.setdefault((source_id, target), []).append((via_kind, via, sign, how))

    level = doc.getLevel()
    for r in model.getListOfReactions():
        kl = r.getKineticLaw()
        if kl is None or not kl.isSetMath():
            g.graph["no_kinetics"].append(r.getId())
            continue
        net: dict[str, float] = {}
        for sign, refs in ((-1.0, r.getListOfReactants()), (1.0, r.getListOfProducts())):
            for sr in refs:   # signed: SBML L3 allows a negative stoichiometry; an initial
                st = env0.get(sr.getId()) if sr.getId() else None   # assignment's value wins
                if st is None or not math.isfinite(st):
                    st = stoichiometry(sr, level)
                net[sr.getSpecies()] = net.get(sr.getSpecies(), 0.0) + sign * (
                    st if st is not None else 1.0)
        for t in net:       # SBML L3 conversion factors scale (and may flip) the change
            cf = conversion_factor(model, species.get(t), env0)
            if cf is not None:
                net[t] *= cf
        targets = {t: (1 if v > 0 else -1) for t, v in net.items()
                   if v != 0 and t in species and not species[t].getBoundaryCondition()
                   and not species[t].getConstant() and t not in ev.derived_ast}
        if not targets:
            continue
        local = ev.local_parameters(kl)
        f = ev.derived_fn(r.getId()) if r.getId() in ev.derived_ast else ev.compile(
            kl.getMath(), local)
        for s in sorted(ev.dependencies(kl.getMath(), local) & state_set):
            signs, how = _derivative_signs(f, s, states)
            if not signs:
                g.graph["undetermined"].append((s, r.getId()))
                continue
            for t, st in targets.items():
                add(s, t, "reactions", r.getId(), {x * st for x in signs}, how)

    def from_math(var, ast, via_kind, via):
        f = ev.compile(ast)
        for s in sorted(ev.dependencies(ast, {}) & state_set):
            signs, how = _derivative_signs(f, s, states)
            if not signs:
                g.graph["undetermined"].append((s, via))
                continue
            add(s, var, via_kind, via, signs, how)

    for rule in model.getListOfRules():
        if rule.isAlgebraic() or not g.has_node(rule.getVariable()) or rule.getMath() is None:
            continue
        from_math(rule.getVariable(), rule.getMath(), "rules", rule.getVariable())
    for event in model.getListOfEvents():
        for ea in event.getListOfEventAssignments():
            if g.has_node(ea.getVariable()) and ea.getMath() is not None:
                from_math(ea.getVariable(), ea.getMath(), "events", event.getId() or "event")

    for (u, v), items in contributions.items():
        seen = {sign for _, _, sign, _ in items}
        sign = seen.pop() if len(seen) == 1 else 0
        methods = sorted({how for *_, how in items})
        data = {"sign": sign, "ambiguous": sign == 0, "method": "+".join(methods),
                "reactions": [], "rules": [], "events": [],
                "contributions": [{"via": f"{kind[:-1]} {via}", "sign": sg, "method": how}
                                  for kind, via, sg, how in items]}
        for kind, via, _, _ in items:
            if via not in data[kind]:
                data[kind].append(via)
        g.add_edge(u, v, **data)
    return g
