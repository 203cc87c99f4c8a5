"""A small evaluator of SBML math (pure Python, no ``eval``): libSBML ASTs compiled into
closures ``f(env) -> float``, and the initial values of every id of a model."""
from __future__ import annotations

import math
from collections import ChainMap

from .reading import ast_names

TIME_KEY = "\x00time"     # env key of the time csymbol (cannot collide with an SBML id)
NAN = float("nan")
_AVOGADRO = 6.02214076e23


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


class Evaluator:
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
        """Return {id: value} of a kinetic law's local parameters (unset values: 1)."""
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
        """Return the compiled ``f(env)`` of a rule-defined id or a reaction's rate (compiled
        once, on first use)."""
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
            return lambda env: NAN

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
            return lambda env: NAN
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
            return lambda env: env.get(TIME_KEY, 0.0)
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
            return lambda env: env.get(name, NAN)
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
            return lambda env: NAN
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
            return lambda env: NAN
        if t == L.AST_FUNCTION_LOG:
            fs = sub()
            if len(fs) == 1:
                return lambda env: math.log10(fs[0](env))
            if len(fs) == 2:
                base, x = fs
                return lambda env: math.log(x(env), base(env))
            return lambda env: NAN
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
                return otherwise(env) if otherwise is not None else NAN
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
        return lambda env: NAN      # unsupported (distrib, csymbol functions, ...)

    def _call(self, name, args):
        params, body, fn = self.functions[name]
        if len(args) != len(params):
            return lambda env: NAN
        holder = {}

        def call(env):
            f = holder.get("f")
            if f is None:
                f = holder["f"] = self.compile(body, {}, frozenset(params))
            values = {p: a(env) for p, a in zip(params, args)}
            return f(ChainMap(values, {TIME_KEY: env.get(TIME_KEY, 0.0)}))
        return call


def _root(x: float, degree: float) -> float:
    if x < 0 and degree == int(degree) and int(degree) % 2 == 1:
        return -math.pow(-x, 1.0 / degree)
    return math.pow(x, 1.0 / degree)


# Values of rule-defined ids within one evaluation (cleared by evaluate: envs are mutated in
# place between evaluations, so values are never kept across them).
_MEMO: dict = {}


def evaluate(f, env) -> float:
    """Return f(env) as a float; NaN when the math fails (division by zero, domain errors)."""
    _MEMO.clear()
    try:
        v = float(f(env))
    except (ArithmeticError, ValueError, TypeError, RecursionError, KeyError):
        return NAN
    return v


def initial_values(model, ev: Evaluator) -> dict[str, float]:
    """Initial values of every global id; NaN where the file gives none (filled later)."""
    env: dict[str, float] = {}
    for c in model.getListOfCompartments():
        size = c.getSize() if c.isSetSize() else NAN
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
            v = NAN
        env[s.getId()] = v
    for p in model.getListOfParameters():
        env[p.getId()] = p.getValue() if p.isSetValue() else NAN
    for r in model.getListOfReactions():
        for sr in list(r.getListOfReactants()) + list(r.getListOfProducts()):
            if sr.isSetId():
                env[sr.getId()] = sr.getStoichiometry() if sr.isSetStoichiometry() else NAN
    ias = [(ia.getSymbol(), ev.compile(ia.getMath()))
           for ia in model.getListOfInitialAssignments()]
    for _ in range(len(ias) + 1):          # dependency order without sorting: repeat passes
        changed = False
        for sym, f in ias:
            v = evaluate(f, env)
            old = env.get(sym, NAN)
            if math.isfinite(v) and v != old:
                env[sym] = v
                changed = True
        if not changed:
            break
    for key, v in env.items():
        if not math.isfinite(v):
            env[key] = 1.0
    return env
