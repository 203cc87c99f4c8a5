"""Graph views of any SBML model: the reaction network and a signed influence graph.

``graph(m)``
    A bipartite `networkx.DiGraph` of species and reactions, read straight from the SBML
    (no simulation, nothing evaluated). Node ids are the SBML ids, which SBML keeps unique
    across a model, so species and reactions never collide.

    Nodes: ``kind="species"`` (id, name, compartment, sbo, uris, boundary, constant),
    ``kind="reaction"`` (id, name, reversible, sbo, kinetic_law, the rate law as libSBML's
    L3 infix text or None when the reaction has none, e.g. fbc models), and, only for the
    variables of assignment or rate rules that are not species, ``kind="parameter"`` or
    ``kind="compartment"`` (with ``rule`` = "assignment"/"rate" and ``formula``), so
    rule-defined quantities such as readouts appear.

    Edges: species→reaction ``role="reactant"``, reaction→species ``role="product"`` (both
    with ``stoichiometry``: the summed stoichiometry of the references, None when it is not a
    constant, e.g. L2 stoichiometryMath or an unset L3 value), species→reaction
    ``role="modifier"``; and ``role="rule"``/``"event"`` from every node referenced in the math
    of a rule / event assignment (species, rule-variable parameters or compartments, and
    reactions, whose id in math means their rate) to the variable the rule / assignment
    changes, when that variable is a node. ``roles`` lists one entry per SBML reference
    behind the edge (e.g. ``["reactant", "modifier"]`` when a species is both; a DiGraph
    holds one edge per pair); ``role`` is the first. Algebraic rules (no variable) add no
    edges; event triggers and delays add no edges.

``interaction_graph(m, state=None)``
    A signed species-level `networkx.DiGraph`: edge s→t with ``sign`` +1 if raising s makes t
    rise faster, -1 if slower. The sign comes from the kinetics, never from names:

    * for each reaction and each state variable s that its rate law depends on (directly, or
      through assignment rules, function definitions or reaction ids used in the math), the
      sign of ∂rate/∂s is taken numerically (below), times the sign of t's net stoichiometry
      in that reaction (-1 net reactant, +1 net product); boundary and constant species are
      not changed by reactions and get no reaction edges;
    * assignment rules are **substituted**: a rate law that uses ``x := f(A, B)`` depends on A
      and B, so the edges run A→t and B→t directly. Rule variables still appear as targets:
      species set by rules get edges from the state variables their rule depends on, and
      non-species assignment-rule variables (readouts) are sink nodes with ``derived=True``;
    * rate rules dx/dt = f and event assignments x = f contribute the sign of ∂f/∂s to s→x
      (variables of rate rules that are not species are nodes too: they are state);
    * self-loops (s→s, e.g. consumption by mass action) are dropped unless ``self_loops=True``;
    * if the contributions to one edge (several reactions, or several states) have opposite
      signs, the edge gets ``sign=0`` and ``ambiguous=True``.

    Every edge lists ``reactions``, ``rules`` and ``events`` that carry it, ``contributions``
    (one ``{"via", "sign", "method"}`` per reaction/rule/event; sign 0 = both signs seen) and
    ``method``; ``g.graph["sign_method"]`` describes the numerics. A dependence whose
    derivative and secants are zero (or not finite) at every sampled state (e.g. a rate
    constant that is 0, or a drug input that is 0 in the drug-free state) adds no edge and is
    listed as (source, reaction/rule/event id) in ``g.graph["undetermined"]``; reactions
    without a rate law (fbc) are listed in ``g.graph["no_kinetics"]``.

    **How the derivative is taken.** Math is compiled from libSBML's AST into a small
    evaluator (pure Python, no ``eval``; piecewise, relations, logic, function definitions,
    every MathML function of SBML; ``time`` = the `time` argument (default 0),
    ``delay(x, d)`` = x, ``rateOf`` = 0, anything unsupported is NaN). Values: species at
    their initial concentration (amount if ``hasOnlySubstanceUnits``), parameters and
    compartments at their values, initial assignments applied, anything still unset = 1.
    At each state the rate is evaluated at s·(1 ± 1e-6); the two one-sided differences give
    the sign (opposite signs at one state, e.g. on a piecewise kink, count as both signs;
    non-finite values skip the state). If that finds no sign at any state (a step function
    away from its threshold, floor/ceil), secants over s·(0, 0.1, 0.5, 1, 2, 10) are used
    instead. ``method`` on each edge (and each contribution) says "derivative" or "secant".

    The default states: (1) every species at its initial value plus 1% of the typical
    (median positive) initial species value, so that zero initial concentrations do not hide
    mass-action terms (other rate-rule variables: plus 1% of max(|value|, 1)); (2, 3) that
    state with every state variable multiplied by an independent log-normal factor (σ = 1,
    seed `seed`). ``state`` replaces them: a mapping {id: value} (one state; ids of species,
    parameters or compartments; unlisted ids as in (1)), or a list of such mappings, e.g.
    ``state={"ket_brain_u": 1.0}`` to see the influences that exist only with drug present.

Exports: `to_graphml(g, path)` (lists as JSON text, None attributes left out) and
`to_cytoscape_json(g, path)` (Cytoscape.js elements), both written atomically (temporary file
in the target folder, then rename). `to_sbgnml(g, path)` writes the bipartite graph as an
SBGN-ML Process Description map (libsbgnpy; entity pools, processes with ports,
consumption/production/modulation arcs, a deterministic layered layout for the bounding
boxes SBGN-ML requires; compartments omitted), also atomically.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import statistics
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from .errors import PathwaysInputError

FD_REL_STEP = 1e-6
"""Relative step of the finite differences."""
LIFT_FRACTION = 1e-2
"""Default state: every state variable is raised by this fraction of its typical value."""
RANDOM_STATES = 2
"""Extra log-normal states sampled by default (σ = RANDOM_SIGMA)."""
RANDOM_SIGMA = 1.0
SECANT_FACTORS = (0.0, 0.1, 0.5, 1.0, 2.0, 10.0)
"""Where a dependence is flat locally (a step), f is compared at s times these factors."""
_TIME = "\x00time"          # env key of the time csymbol (cannot collide with an SBML id)
_NAN = float("nan")
_AVOGADRO = 6.02214076e23


# ----------------------------------------------------------------------------- input

def _as_document(model_or_sbml):
    """Return (libSBML document, display name) for any accepted input."""
    import libsbml

    from .model import Model, base_sbml, list_models
    from .sbml_io import read_sbml

    if isinstance(model_or_sbml, libsbml.SBMLDocument):     # checked like any SBML text
        return read_sbml(libsbml.writeSBMLToString(model_or_sbml),
                         source_name="<SBMLDocument>"), "<SBMLDocument>"
    if isinstance(model_or_sbml, Model):
        return read_sbml(model_or_sbml.sbml, source_name=model_or_sbml.name), model_or_sbml.name
    if isinstance(model_or_sbml, str):
        text = model_or_sbml
        if not text.lstrip().startswith("<") and "\n" not in text:
            models = list_models()
            if text in models:
                return read_sbml(base_sbml(text), source_name=text), text
            if not Path(text).exists():
                raise PathwaysInputError(
                    f"{text!r} is neither a model name nor an SBML file; "
                    f"valid models: {', '.join(sorted(models))}")
            return read_sbml(text), str(text)
        return read_sbml(text), "<SBML text>"
    if isinstance(model_or_sbml, bytes):
        return read_sbml(model_or_sbml), "<SBML text>"
    if isinstance(model_or_sbml, os.PathLike):
        return read_sbml(model_or_sbml), str(model_or_sbml)
    raise PathwaysInputError(f"expected a pathways.Model, a model name, an SBML path or SBML "
                             f"text, got {type(model_or_sbml).__name__}")


def _base_graph(doc, source: str) -> nx.DiGraph:
    model = doc.getModel()
    g = nx.DiGraph()
    g.graph.update(source=source, level=doc.getLevel(), version=doc.getVersion(),
                   model_id=model.getId() if model is not None else None,
                   name=(model.getName() or model.getId()) if model is not None else None)
    return g


def _sbo(sbase) -> str | None:
    return (sbase.getSBOTermID() or None) if sbase.isSetSBOTerm() else None


def _uris(sbase) -> list[str]:
    out: list[str] = []
    for i in range(sbase.getNumCVTerms()):
        res = sbase.getCVTerm(i).getResources()
        for j in range(res.getLength()):
            uri = res.getValue(j)
            if uri and uri not in out:
                out.append(uri)
    return out


def ast_names(ast) -> set[str]:
    """Return the ids referenced by AST_NAME nodes of a libSBML AST (function bodies not
    entered); an empty set for None."""
    import libsbml

    out: set[str] = set()
    stack = [ast] if ast is not None else []
    while stack:
        node = stack.pop()
        if node.getType() == libsbml.AST_NAME:
            out.add(node.getName())
        stack.extend(node.getChild(i) for i in range(node.getNumChildren()))
    return out


def _conversion_factor(model, sp, env: dict) -> float | None:
    """Return the value of the SBML L3 conversion factor that applies to species `sp` (its
    own, else the model's), or None when there is none or its value is not known."""
    if sp is None:
        return None
    cf_id = (sp.getConversionFactor() if sp.isSetConversionFactor() else
             model.getConversionFactor() if model.isSetConversionFactor() else "")
    if not cf_id:
        return None
    value = env.get(cf_id)
    return float(value) if value is not None and math.isfinite(value) else None


def _stoichiometry(sr, level: int):
    """The constant stoichiometry of a species reference, or None if it is not a constant
    (L2 stoichiometryMath; L3 unset, or not constant: rules, events or initial assignments
    may set it)."""
    if level == 2 and sr.isSetStoichiometryMath():
        return None
    if level >= 3 and (not sr.isSetStoichiometry() or not sr.getConstant()):
        return None
    if level >= 3 and sr.getId() and sr.getModel() is not None \
            and sr.getModel().getInitialAssignment(sr.getId()) is not None:
        return None
    value = sr.getStoichiometry()
    if level == 1:
        value = value / (sr.getDenominator() or 1)
    return float(value)


def _formula(ast) -> str | None:
    import libsbml

    return libsbml.formulaToL3String(ast) if ast is not None else None


# ----------------------------------------------------------------------------- graph

def graph(model_or_sbml) -> nx.DiGraph:
    """Return the bipartite species/reaction graph of a model (see the module docstring).

    `model_or_sbml` is a `pathways.Model`, a name from `pathways.list_models()`, a path to an
    SBML file or SBML text (read with `pathways.sbml_io.read_sbml`, so untrusted files are
    safe), or a libSBML document.
    """
    doc, source = _as_document(model_or_sbml)
    g = _base_graph(doc, source)
    model = doc.getModel()
    if model is None:
        return g
    level = doc.getLevel()

    for s in model.getListOfSpecies():
        g.add_node(s.getId(), kind="species", id=s.getId(), name=s.getName() or s.getId(),
                   compartment=s.getCompartment() or None, sbo=_sbo(s), uris=_uris(s),
                   boundary=bool(s.getBoundaryCondition()), constant=bool(s.getConstant()))
    for r in model.getListOfReactions():
        kl = r.getKineticLaw()
        law = _formula(kl.getMath()) if kl is not None and kl.isSetMath() else None
        g.add_node(r.getId(), kind="reaction", id=r.getId(), name=r.getName() or r.getId(),
                   reversible=bool(r.getReversible()), sbo=_sbo(r), kinetic_law=law)

    def link(u, v, role, stoich=None, **extra):
        if g.has_edge(u, v):
            data = g.edges[u, v]
            data["roles"].append(role)
            if role in ("reactant", "product") and "stoichiometry" in data:
                old = data["stoichiometry"]
                data["stoichiometry"] = None if old is None or stoich is None else old + stoich
            elif role in ("reactant", "product"):
                data["stoichiometry"] = stoich
            for key, value in extra.items():
                data.setdefault(key, []).extend(value)
            return
        data = {"role": role, "roles": [role], **extra}
        if role in ("reactant", "product"):
            data["stoichiometry"] = stoich
        g.add_edge(u, v, **data)

    for r in model.getListOfReactions():
        rid = r.getId()
        for sr in r.getListOfReactants():
            link(sr.getSpecies(), rid, "reactant", _stoichiometry(sr, level))
        for sr in r.getListOfProducts():
            link(rid, sr.getSpecies(), "product", _stoichiometry(sr, level))
        for mr in r.getListOfModifiers():
            link(mr.getSpecies(), rid, "modifier")

    # Non-species rule variables become nodes first, so that rules can reference each other.
    for rule in model.getListOfRules():
        if rule.isAlgebraic():
            continue
        var = rule.getVariable()
        if g.has_node(var):
            continue
        kind = ("parameter" if model.getParameter(var) is not None else
                "compartment" if model.getCompartment(var) is not None else None)
        if kind is None:      # e.g. an L3 species-reference id: not part of this graph
            continue
        element = model.getElementBySId(var)
        g.add_node(var, kind=kind, id=var, name=element.getName() or var, sbo=_sbo(element),
                   uris=_uris(element), rule="rate" if rule.isRate() else "assignment",
                   formula=_formula(rule.getMath()))
    for rule in model.getListOfRules():
        if rule.isAlgebraic() or not g.has_node(rule.getVariable()):
            continue
        for name in sorted(ast_names(rule.getMath())):
            if g.has_node(name):
                link(name, rule.getVariable(), "rule")
    for ev in model.getListOfEvents():
        for ea in ev.getListOfEventAssignments():
            if not g.has_node(ea.getVariable()):
                continue
            for name in sorted(ast_names(ea.getMath())):
                if g.has_node(name):
                    link(name, ea.getVariable(), "event", events=[ev.getId() or None])
    return g


# ----------------------------------------------------------------------------- evaluator

def _compile_table():
    import libsbml as L

    unary = {
        L.AST_FUNCTION_ABS: abs, L.AST_FUNCTION_FLOOR: math.floor,
        L.AST_FUNCTION_CEILING: math.ceil, L.AST_FUNCTION_EXP: math.exp,
        L.AST_FUNCTION_LN: math.log, L.AST_FUNCTION_FACTORIAL: lambda x: math.gamma(x + 1),
        L.AST_FUNCTION_SIN: math.sin, L.AST_FUNCTION_COS: math.cos, L.AST_FUNCTION_TAN: math.tan,
        L.AST_FUNCTION_SEC: lambda x: 1 / math.cos(x),
        L.AST_FUNCTION_CSC: lambda x: 1 / math.sin(x),
        L.AST_FUNCTION_COT: lambda x: 1 / math.tan(x), L.AST_FUNCTION_SINH: math.sinh,
        L.AST_FUNCTION_COSH: math.cosh, L.AST_FUNCTION_TANH: math.tanh,
        L.AST_FUNCTION_SECH: lambda x: 1 / math.cosh(x),
        L.AST_FUNCTION_CSCH: lambda x: 1 / math.sinh(x),
        L.AST_FUNCTION_COTH: lambda x: 1 / math.tanh(x),
        L.AST_FUNCTION_ARCSIN: math.asin, L.AST_FUNCTION_ARCCOS: math.acos,
        L.AST_FUNCTION_ARCTAN: math.atan, L.AST_FUNCTION_ARCSEC: lambda x: math.acos(1 / x),
        L.AST_FUNCTION_ARCCSC: lambda x: math.asin(1 / x),
        L.AST_FUNCTION_ARCCOT: lambda x: math.atan(1 / x),
        L.AST_FUNCTION_ARCSINH: math.asinh, L.AST_FUNCTION_ARCCOSH: math.acosh,
        L.AST_FUNCTION_ARCTANH: math.atanh, L.AST_FUNCTION_ARCSECH: lambda x: math.acosh(1 / x),
        L.AST_FUNCTION_ARCCSCH: lambda x: math.asinh(1 / x),
        L.AST_FUNCTION_ARCCOTH: lambda x: math.atanh(1 / x),
    }
    relational = {
        L.AST_RELATIONAL_EQ: lambda a, b: a == b, L.AST_RELATIONAL_NEQ: lambda a, b: a != b,
        L.AST_RELATIONAL_GT: lambda a, b: a > b, L.AST_RELATIONAL_GEQ: lambda a, b: a >= b,
        L.AST_RELATIONAL_LT: lambda a, b: a < b, L.AST_RELATIONAL_LEQ: lambda a, b: a <= b,
    }
    constants = {L.AST_CONSTANT_E: math.e, L.AST_CONSTANT_PI: math.pi,
                 L.AST_CONSTANT_TRUE: 1.0, L.AST_CONSTANT_FALSE: 0.0,
                 L.AST_NAME_AVOGADRO: _AVOGADRO}
    return L, unary, relational, constants


class _Evaluator:
    """Compile libSBML math into Python closures ``f(env) -> float`` and evaluate them."""

    def __init__(self, model):
        self.L, self.unary, self.relational, self.constants = _compile_table()
        self.model = model
        self.functions = {}
        for fd in model.getListOfFunctionDefinitions():
            lam = fd.getMath()
            if lam is None or lam.getType() != self.L.AST_LAMBDA:
                continue
            n = lam.getNumChildren()
            params = [lam.getChild(i).getName() for i in range(n - 1)]
            self.functions[fd.getId()] = (params, lam.getChild(n - 1) if n else None, None)
        self.derived_ast = {}     # id -> (math, locals): assignment-rule variables, reaction ids
        for rule in model.getListOfRules():
            if rule.isAssignment() and rule.getMath() is not None:
                self.derived_ast[rule.getVariable()] = (rule.getMath(), {})
        for r in model.getListOfReactions():
            kl = r.getKineticLaw()
            if kl is not None and kl.isSetMath() and r.getId() not in self.derived_ast:
                self.derived_ast[r.getId()] = (kl.getMath(), self.local_parameters(kl))
        self.derived = {}

    # -- structure
    @staticmethod
    def local_parameters(kl) -> dict[str, float]:
        out = {}
        for i in range(kl.getNumParameters()):       # L2 parameters and L3 localParameters
            p = kl.getParameter(i)
            out[p.getId()] = p.getValue() if p.isSetValue() else 1.0
        if hasattr(kl, "getNumLocalParameters"):
            for i in range(kl.getNumLocalParameters()):
                p = kl.getLocalParameter(i)
                out[p.getId()] = p.getValue() if p.isSetValue() else 1.0
        return out

    def dependencies(self, ast, local: dict) -> set[str]:
        """Ids `ast` depends on, looking through assignment rules, reaction ids and functions
        (iteratively: chains of rules can be long)."""
        out: set[str] = set()
        seen: set[str] = set()
        todo = [(ast, local)]
        while todo:
            math_, loc = todo.pop()
            for name in ast_names(math_):
                if name in loc:
                    continue
                if name in self.derived_ast:
                    if name not in seen:
                        seen.add(name)
                        todo.append(self.derived_ast[name])
                else:
                    out.add(name)
        return out

    # -- compilation
    def derived_fn(self, name):
        fn = self.derived.get(name)
        if fn is None:
            math_, loc = self.derived_ast[name]
            self.derived[name] = fn = self.compile(math_, loc)
        return fn

    def compile(self, ast, local: dict | None = None, bound: frozenset = frozenset()):
        """Return ``f(env) -> float`` for `ast` (NaN everywhere if it is too deep to compile)."""
        try:
            return self._compile(ast, local, bound)
        except RecursionError:
            return lambda env: _NAN

    def _operands(self, ast, t):
        """Operands of an associative PLUS/TIMES chain, iteratively (libSBML nests n-ary
        operators as binary ones, which would otherwise recurse once per operand)."""
        out, stack = [], [ast]
        while stack:
            node = stack.pop()
            if node.getType() == t and node.getNumChildren() >= 1:
                stack.extend(node.getChild(i) for i in reversed(range(node.getNumChildren())))
            else:
                out.append(node)
        return out

    def _compile(self, ast, local: dict | None = None, bound: frozenset = frozenset()):
        L = self.L
        local = local or {}
        if ast is None:
            return lambda env: _NAN
        t = ast.getType()
        kids = [ast.getChild(i) for i in range(ast.getNumChildren())]

        def sub():
            return [self._compile(k, local, bound) for k in kids]

        if t == L.AST_INTEGER:
            v = float(ast.getInteger())
            return lambda env: v
        if t in (L.AST_REAL, L.AST_REAL_E, L.AST_RATIONAL):
            v = float(ast.getReal())
            return lambda env: v
        if t in self.constants:
            v = self.constants[t]
            return lambda env: v
        if t == L.AST_NAME_TIME:
            return lambda env: env.get(_TIME, 0.0)
        if t == L.AST_NAME:
            name = ast.getName()
            if name in bound:
                return lambda env: env[name]
            if name in local:
                v = float(local[name])
                return lambda env: v
            if name in self.derived_ast:
                key = (id(self), name)

                def derived(env):     # memoized per evaluation: shared rule chains stay linear
                    v = _MEMO.get(key)
                    if v is None:
                        v = _MEMO[key] = self.derived_fn(name)(env)
                    return v
                return derived
            return lambda env: env.get(name, _NAN)
        if t == L.AST_PLUS:
            fs = [self._compile(k, local, bound) for k in self._operands(ast, t)] if kids else []
            return lambda env: math.fsum(f(env) for f in fs) if fs else 0.0
        if t == L.AST_MINUS:
            fs = sub()
            if len(fs) == 1:
                f0 = fs[0]
                return lambda env: -f0(env)
            if len(fs) == 2:
                a, b = fs
                return lambda env: a(env) - b(env)
            return lambda env: _NAN
        if t == L.AST_TIMES:
            fs = [self._compile(k, local, bound) for k in self._operands(ast, t)] if kids else []

            def times(env):
                p = 1.0
                for f in fs:
                    p *= f(env)
                return p
            return times
        if t == L.AST_DIVIDE and len(kids) == 2:
            a, b = sub()
            return lambda env: a(env) / b(env)
        if t in (L.AST_POWER, L.AST_FUNCTION_POWER) and len(kids) == 2:
            a, b = sub()
            return lambda env: math.pow(a(env), b(env))
        if t == L.AST_FUNCTION_ROOT:
            fs = sub()
            if len(fs) == 1:
                return lambda env: math.sqrt(fs[0](env))
            if len(fs) == 2:
                d, x = fs
                return lambda env: _root(x(env), d(env))
            return lambda env: _NAN
        if t == L.AST_FUNCTION_LOG:
            fs = sub()
            if len(fs) == 1:
                return lambda env: math.log10(fs[0](env))
            if len(fs) == 2:
                base, x = fs
                return lambda env: math.log(x(env), base(env))
            return lambda env: _NAN
        if t in self.unary and len(kids) == 1:
            fn = self.unary[t]
            (a,) = sub()
            return lambda env: float(fn(a(env)))
        if t == L.AST_FUNCTION_DELAY and kids:
            return self._compile(kids[0], local, bound)
        if t == L.AST_FUNCTION_RATE_OF:
            return lambda env: 0.0
        if t == L.AST_FUNCTION_PIECEWISE:
            fs = sub()
            pairs = [(fs[i], fs[i + 1]) for i in range(0, len(fs) - 1, 2)]
            otherwise = fs[-1] if len(fs) % 2 else None

            def piecewise(env):
                for value, cond in pairs:
                    if cond(env):
                        return value(env)
                return otherwise(env) if otherwise is not None else _NAN
            return piecewise
        if t in self.relational:
            op = self.relational[t]
            fs = sub()
            if len(fs) < 2:
                return lambda env: 1.0

            def relation(env):
                vals = [f(env) for f in fs]
                return float(all(op(vals[i], vals[i + 1]) for i in range(len(vals) - 1)))
            return relation
        if t == L.AST_LOGICAL_AND:
            fs = sub()
            return lambda env: float(all(f(env) for f in fs))
        if t == L.AST_LOGICAL_OR:
            fs = sub()
            return lambda env: float(any(f(env) for f in fs))
        if t == L.AST_LOGICAL_XOR:
            fs = sub()
            return lambda env: float(sum(bool(f(env)) for f in fs) % 2 == 1)
        if t == L.AST_LOGICAL_NOT and len(kids) == 1:
            (a,) = sub()
            return lambda env: float(not a(env))
        if t == L.AST_LOGICAL_IMPLIES and len(kids) == 2:
            a, b = sub()
            return lambda env: float((not a(env)) or bool(b(env)))
        if t == L.AST_FUNCTION_MAX and kids:
            fs = sub()
            return lambda env: max(f(env) for f in fs)
        if t == L.AST_FUNCTION_MIN and kids:
            fs = sub()
            return lambda env: min(f(env) for f in fs)
        if t == L.AST_FUNCTION_QUOTIENT and len(kids) == 2:
            a, b = sub()
            return lambda env: float(math.floor(a(env) / b(env)))
        if t == L.AST_FUNCTION_REM and len(kids) == 2:
            a, b = sub()
            return lambda env: math.fmod(a(env), b(env))
        if t == L.AST_FUNCTION and ast.getName() in self.functions:
            return self._call(ast.getName(), sub())
        return lambda env: _NAN      # unsupported (distrib, csymbol functions, ...)

    def _call(self, name, args):
        params, body, fn = self.functions[name]
        if len(args) != len(params):
            return lambda env: _NAN
        holder = {}

        def call(env):
            f = holder.get("f")
            if f is None:
                f = holder["f"] = self.compile(body, {}, frozenset(params))
            values = {p: a(env) for p, a in zip(params, args)}
            return f(ChainMap(values, {_TIME: env.get(_TIME, 0.0)}))
        return call


def _root(x: float, degree: float) -> float:
    if x < 0 and degree == int(degree) and int(degree) % 2 == 1:
        return -math.pow(-x, 1.0 / degree)
    return math.pow(x, 1.0 / degree)


# Values of rule-defined ids within one evaluation (cleared by _evaluate: envs are mutated in
# place between evaluations, so values are never kept across them).
_MEMO: dict = {}


def _evaluate(f, env) -> float:
    _MEMO.clear()
    try:
        v = float(f(env))
    except (ArithmeticError, ValueError, TypeError, RecursionError, KeyError):
        return _NAN
    return v


def _initial_values(model, ev: _Evaluator) -> dict[str, float]:
    """Initial values of every global id; NaN where the file gives none (filled later)."""
    env: dict[str, float] = {}
    for c in model.getListOfCompartments():
        size = c.getSize() if c.isSetSize() else _NAN
        env[c.getId()] = size if math.isfinite(size) else 1.0
    for s in model.getListOfSpecies():
        if s.isSetInitialConcentration():
            v = s.getInitialConcentration()
        elif s.isSetInitialAmount():
            v = s.getInitialAmount()
            size = env.get(s.getCompartment(), 1.0)
            if not s.getHasOnlySubstanceUnits() and size != 0.0:
                v = v / size
        else:
            v = _NAN
        env[s.getId()] = v
    for p in model.getListOfParameters():
        env[p.getId()] = p.getValue() if p.isSetValue() else _NAN
    for r in model.getListOfReactions():
        for sr in list(r.getListOfReactants()) + list(r.getListOfProducts()):
            if sr.isSetId():
                env[sr.getId()] = sr.getStoichiometry() if sr.isSetStoichiometry() else _NAN
    ias = [(ia.getSymbol(), ev.compile(ia.getMath()))
           for ia in model.getListOfInitialAssignments()]
    for _ in range(len(ias) + 1):          # dependency order without sorting: repeat passes
        changed = False
        for sym, f in ias:
            v = _evaluate(f, env)
            old = env.get(sym, _NAN)
            if math.isfinite(v) and v != old:
                env[sym] = v
                changed = True
        if not changed:
            break
    for key, v in env.items():
        if not math.isfinite(v):
            env[key] = 1.0
    return env


def _states(env0: dict, state_ids: list[str], species_ids: list[str], state, seed: int):
    """The states at which derivatives are taken (see the module docstring)."""
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
            values.append(_evaluate(f, env))
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
    """Return the signed species-level influence graph of a model (see the module docstring).

    `state` sets where the derivatives are taken: None (default states), a mapping
    {id: value} or a list of mappings. `time` is the value of the SBML time symbol there
    (default 0; models whose rates are switched on later, e.g. BIOMD0000000255 at t = 1800 s,
    need a later time). `self_loops=True` keeps s→s edges. `seed` seeds the random default
    states.
    """
    if isinstance(time, bool) or not isinstance(time, numbers.Real) or not math.isfinite(time):
        raise PathwaysInputError(f"time must be a finite number (the model's time unit), got "
                                 f"{time!r}")
    doc, source = _as_document(model_or_sbml)
    g = _base_graph(doc, source)
    g.graph["undetermined"] = []
    g.graph["no_kinetics"] = []
    model = doc.getModel()
    if model is None:
        g.graph["sign_method"] = "numeric (no model)"
        return g
    ev = _Evaluator(model)

    species = {s.getId(): s for s in model.getListOfSpecies()}
    for sid, s in species.items():
        g.add_node(sid, kind="species", id=sid, name=s.getName() or sid,
                   compartment=s.getCompartment() or None, sbo=_sbo(s))
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
        g.add_node(var, kind=kind, id=var, name=element.getName() or var, sbo=_sbo(element),
                   derived=rule.isAssignment())
        (rate_vars if rule.isRate() else derived_vars).append(var)
    state_ids = [s for s in species if s not in ev.derived_ast] + rate_vars
    state_set = set(state_ids)

    env0 = _initial_values(model, ev)
    states, method = _states(env0, state_ids, list(species), state, seed)
    for env in states:
        env[_TIME] = float(time)
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
                    st = _stoichiometry(sr, level)
                net[sr.getSpecies()] = net.get(sr.getSpecies(), 0.0) + sign * (
                    st if st is not None else 1.0)
        for t in net:       # SBML L3 conversion factors scale (and may flip) the change
            cf = _conversion_factor(model, species.get(t), env0)
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


# ----------------------------------------------------------------------------- export

def _atomic_write(path, write) -> Path:
    """Write via `write(tmp_path)` to a temporary file in the target folder, then rename."""
    from .outputs import write_atomically
    return write_atomically(path, write)


def _plain(value):
    """A GraphML-friendly value: lists/dicts as JSON text, None dropped (returned as None)."""
    if value is None:
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return json.dumps(value, sort_keys=True)


def _check_graph(g, what: str) -> None:
    """Raise PathwaysInputError unless `g` is a networkx graph (a Model is a common slip)."""
    if not isinstance(g, nx.Graph):
        hint = " (pass pathways.graph(model))" if hasattr(g, "sbml") else ""
        raise PathwaysInputError(f"{what} needs a networkx graph, got "
                                 f"{type(g).__name__}{hint}")


def to_graphml(g: nx.DiGraph, path) -> Path:
    """Write `g` as GraphML (lists as JSON text, None attributes left out), atomically;
    return the written file's Path."""
    _check_graph(g, "to_graphml")
    h = nx.DiGraph()
    h.graph.update({k: _plain(v) for k, v in g.graph.items() if _plain(v) is not None})
    for n, data in g.nodes(data=True):
        h.add_node(n, **{k: _plain(v) for k, v in data.items() if _plain(v) is not None})
    for u, v, data in g.edges(data=True):
        h.add_edge(u, v, **{k: _plain(x) for k, x in data.items() if _plain(x) is not None})
    return _atomic_write(path, lambda tmp: nx.write_graphml(h, tmp, encoding="utf-8"))


def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    return value


def to_cytoscape_json(g: nx.DiGraph, path) -> Path:
    """Write `g` as Cytoscape.js JSON (``{"data", "elements": {"nodes", "edges"}}``), atomically;
    return the written file's Path.

    Every element's ``data`` holds its attributes plus ``id`` (edges: ``"u->v"``), ``label``
    (nodes: the name) and ``source``/``target`` for edges.
    """
    _check_graph(g, "to_cytoscape_json")
    nodes = [{"data": _json_safe({**data, "id": str(n), "label": data.get("name", str(n))})}
             for n, data in g.nodes(data=True)]
    edges = [{"data": _json_safe({**data, "id": f"{u}->{v}", "source": str(u),
                                  "target": str(v)})}
             for u, v, data in g.edges(data=True)]
    doc = {"data": _json_safe(dict(g.graph)), "directed": True,
           "elements": {"nodes": nodes, "edges": edges}}

    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, allow_nan=False)
    return _atomic_write(path, write)


# ----------------------------------------------------------------------------- SBGN-ML

SBGN_GLYPH_CLASS = {
    "SBO:0000247": "simple chemical",
    "SBO:0000245": "macromolecule",
    "SBO:0000252": "macromolecule",
    "SBO:0000253": "complex",
    "SBO:0000358": "phenotype",
}
"""Species SBO term → SBGN PD glyph class (anything else: "unspecified entity")."""
_SBGN_CELL = (180.0, 120.0)      # layout cell: width, height (px)
_SBGN_EPN = (140.0, 50.0)        # entity pool node box
_SBGN_PROCESS = 24.0             # process square
_SBGN_PORT = 12.0                # port distance from the process box
_SBGN_SINK = 20.0                # source/sink glyph (beyond the port)
_SBGN_MAX_COLUMNS = 12           # a layer wider than this wraps onto further rows
_SBGN_MARGIN = 20.0
_SBGN_ROLES = ("reactant", "product", "modifier")


def _layers(h: nx.DiGraph) -> list[list]:
    """Layers of `h` (a deterministic layered layout): back edges dropped, then topological
    generations; the layers are sorted by node id."""
    dag = nx.DiGraph()
    dag.add_nodes_from(h.nodes)
    state: dict = {}                       # 1 = on the DFS stack, 2 = done
    for root in sorted(h.nodes, key=str):
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(sorted(h.successors(root), key=str)))]
        while stack:
            node, it = stack[-1]
            child = next(it, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                continue                   # back edge: closes a cycle, dropped
            else:
                dag.add_edge(node, child)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(h.successors(child), key=str))))
    return [sorted(layer, key=str) for layer in nx.topological_generations(dag)]


def to_sbgnml(g: nx.DiGraph, path) -> Path:
    """Write the bipartite `graph()` of a model as an SBGN-ML (Process Description) map;
    return the written file's Path.

    One entity pool glyph per species, class from its SBO term (`SBGN_GLYPH_CLASS`: 247
    simple chemical, 245/252 macromolecule, 253 complex, 358 phenotype, else unspecified
    entity), labelled with its name; one "process" glyph per reaction (vertical, with an
    input and an output port; label = reaction name); arcs "consumption" (species → input
    port) per reactant reference, "production" (output port → species) per product reference
    and "modulation" (species → process) per modifier reference: the graph does not keep the
    modifiers' SBO roles, so stimulation/inhibition are not told apart. A reaction without
    reactants (products) gets a "source and sink" glyph ``z_<reaction id>_in`` (``_out``)
    with a consumption (production) arc, as SBGN PD requires an input and an output of every
    process. Compartments, rule and event edges, parameter/compartment nodes and
    stoichiometry (no cardinality glyphs) are omitted.

    Glyph ids are ``s_<species id>`` and ``r_<reaction id>`` (ports ``p_<reaction id>_in``
    / ``_out``, arcs ``a<n>``). Every glyph gets a bounding box from a deterministic layered
    layout: top to bottom in the topological generations of the species/reaction graph
    after dropping the back edges of a depth-first search in id order, each layer sorted by
    id and wrapped after `_SBGN_MAX_COLUMNS` columns. No timestamps: the same graph gives the same
    bytes. Written atomically; needs `libsbgnpy`.
    """
    _check_graph(g, "to_sbgnml")
    import libsbgnpy as sb

    h = nx.DiGraph()
    h.add_nodes_from(n for n, d in g.nodes(data=True) if d.get("kind") in ("species",
                                                                            "reaction"))
    h.add_edges_from((u, v) for u, v, d in g.edges(data=True)
                     if u in h and v in h and set(d.get("roles", [d.get("role")]))
                     & set(_SBGN_ROLES))
    centre: dict = {}
    row = 0
    for layer in _layers(h):
        for start in range(0, len(layer), _SBGN_MAX_COLUMNS):
            for col, n in enumerate(layer[start:start + _SBGN_MAX_COLUMNS]):
                centre[n] = (_SBGN_MARGIN + (col + 0.5) * _SBGN_CELL[0],
                             _SBGN_MARGIN + (row + 0.5) * _SBGN_CELL[1])
            row += 1

    def box(n, w, hgt):
        x, y = centre[n]
        return sb.Bbox(x=round(x - w / 2, 2), y=round(y - hgt / 2, 2), w=w, h=hgt)

    gid = {n: ("s_" if g.nodes[n]["kind"] == "species" else "r_") + str(n) for n in h}
    glyphs, ports = [], {}
    for n in h:                             # graph order = SBML order
        data = g.nodes[n]
        name = str(data.get("name") or n)
        if data["kind"] == "species":
            cls = SBGN_GLYPH_CLASS.get(data.get("sbo") or "", "unspecified entity")
            glyphs.append(sb.Glyph(id=gid[n], class_value=sb.GlyphClass(cls),
                                   label=sb.Label(text=name), bbox=box(n, *_SBGN_EPN)))
            continue
        x, y = centre[n]
        off = _SBGN_PROCESS / 2 + _SBGN_PORT
        p_in = sb.Port(id=f"p_{n}_in", x=x, y=y - off)
        p_out = sb.Port(id=f"p_{n}_out", x=x, y=y + off)
        ports[n] = (p_in, p_out)
        glyphs.append(sb.Glyph(id=gid[n], class_value=sb.GlyphClass.PROCESS,
                               orientation=sb.GlyphOrientation.VERTICAL,
                               label=sb.Label(text=name), port=[p_in, p_out],
                               bbox=box(n, _SBGN_PROCESS, _SBGN_PROCESS)))

    arcs = []

    def arc(cls, src_id, src_xy, tgt_id, tgt_xy):
        arcs.append(sb.Arc(id=f"a{len(arcs) + 1}", class_value=sb.ArcClass(cls),
                           source=src_id, target=tgt_id,
                           start=sb.Arc.Start(x=src_xy[0], y=src_xy[1]),
                           end=sb.Arc.End(x=tgt_xy[0], y=tgt_xy[1])))

    for u, v, data in g.edges(data=True):
        if u not in h or v not in h:
            continue
        for role in data.get("roles", [data.get("role")]):
            if role == "reactant":
                p = ports[v][0]
                arc("consumption", gid[u], centre[u], p.id, (p.x, p.y))
            elif role == "product":
                p = ports[u][1]
                arc("production", p.id, (p.x, p.y), gid[v], centre[v])
            elif role == "modifier":
                arc("modulation", gid[u], centre[u], gid[v], centre[v])

    # Empty sides of processes get a "source and sink" glyph (SBGN PD rule pd10141).
    for n in h:
        if g.nodes[n]["kind"] != "reaction":
            continue
        roles = [(r, u) for u in h.predecessors(n) for r in g.edges[u, n]["roles"]]
        roles += [(r, v) for v in h.successors(n) for r in g.edges[n, v]["roles"]]
        x, y = centre[n]
        off = _SBGN_PROCESS / 2 + _SBGN_PORT + _SBGN_SINK
        p_in, p_out = ports[n]
        for side, role, dy, port in (("in", "reactant", -off, p_in),
                                     ("out", "product", off, p_out)):
            if any(r == role for r, _ in roles):
                continue
            sid = f"z_{n}_{side}"
            glyphs.append(sb.Glyph(id=sid, class_value=sb.GlyphClass.SOURCE_AND_SINK,
                                   bbox=sb.Bbox(x=x - _SBGN_SINK / 2, y=y + dy - _SBGN_SINK / 2,
                                                w=_SBGN_SINK, h=_SBGN_SINK)))
            if side == "in":
                arc("consumption", sid, (x, y + dy), port.id, (port.x, port.y))
            else:
                arc("production", port.id, (port.x, port.y), sid, (x, y + dy))

    width = max((x for x, _ in centre.values()), default=0.0) + _SBGN_CELL[0] / 2
    height = max((y for _, y in centre.values()), default=0.0) + _SBGN_CELL[1] / 2
    pd = sb.MapVersion.HTTP_IDENTIFIERS_ORG_COMBINE_SPECIFICATIONS_SBGN_PD_LEVEL_1_VERSION_2_0
    doc = sb.Sbgn(map=[sb.Map(
        id="map", version=pd, language=sb.MapLanguage.PROCESS_DESCRIPTION,
        bbox=sb.Bbox(x=0.0, y=0.0, w=round(width + _SBGN_MARGIN, 2),
                     h=round(height + _SBGN_MARGIN, 2)),
        glyph=glyphs, arc=arcs)])
    text = sb.write_sbgn_to_string(doc)

    def write(tmp):
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return _atomic_write(path, write)
