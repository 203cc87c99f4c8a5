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

Modules: `reading` (inputs and SBML element readers), `structure` (`graph`), `evaluator`
(SBML math), `signs` (`interaction_graph`), `export` (GraphML, Cytoscape.js) and `sbgn`
(SBGN-ML).
"""
from .export import to_cytoscape_json, to_graphml
from .reading import as_document, ast_names
from .sbgn import SBGN_GLYPH_CLASS, to_sbgnml
from .signs import (FD_REL_STEP, LIFT_FRACTION, RANDOM_SIGMA, RANDOM_STATES, SECANT_FACTORS,
                    interaction_graph)
from .structure import graph

__all__ = ["FD_REL_STEP", "LIFT_FRACTION", "RANDOM_SIGMA", "RANDOM_STATES", "SBGN_GLYPH_CLASS",
           "SECANT_FACTORS", "as_document", "ast_names", "graph", "interaction_graph",
           "to_cytoscape_json", "to_graphml", "to_sbgnml"]
