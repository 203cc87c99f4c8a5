"""Condensation: the interaction graph of a model, grouped into one node per biological entity
with signed edges, and the rows (layers) the nodes are drawn in. See `pathways.diagram`."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import networkx as nx

from ..errors import PathwaysInputError, choices_message
from .entities import (BAND_OVERRIDES, BANDS, COMPONENT_BANDS, ENTITIES, HUBS,
                       SIGN_STATE_REGIMEN, entity_rule)


def document(model_or_sbml):
    """Return ``(libSBML document, source description)`` for a model, name, path or SBML text."""
    from ..graph import as_document
    return as_document(model_or_sbml)


def _is_ours(doc) -> bool:
    from ..sources import model_names
    model = doc.getModel()
    return model is not None and model.getId() in model_names()


def _identity_key(sbase):
    import libsbml
    found: dict[int, list[str]] = {}
    for i in range(sbase.getNumCVTerms()):
        cv = sbase.getCVTerm(i)
        if cv.getQualifierType() != libsbml.BIOLOGICAL_QUALIFIER:
            continue
        res = cv.getResources()
        found.setdefault(cv.getBiologicalQualifierType(), []).extend(
            res.getValue(j) for j in range(res.getLength()))
    for q in (libsbml.BQB_IS, libsbml.BQB_HAS_PART, libsbml.BQB_IS_VERSION_OF):
        uris = [u.strip() for u in found.get(q, []) if u and u.strip()]
        if uris:
            return frozenset(u.rstrip("/").lower() for u in uris)
    return None


def _common_label(names: list[str]) -> str:
    names = [n.replace("_", " ").strip() for n in names if n]
    if len(names) == 1:
        return names[0]
    prefix = os.path.commonprefix(names).rstrip(" -:(")
    if len(prefix) >= 3:
        return prefix
    return min(names, key=len)


def _state_values(model_or_sbml, doc, hubs):
    """Two physiological states for the signs of a shipped model (see `pathways.diagram`):
    the drug-free steady state and 1 h after 0.5 mg/kg IV over 40 min. None if unavailable."""
    from ..model import Model, load
    from ..regimen import Regimen

    name = doc.getModel().getId()
    try:
        model = model_or_sbml if isinstance(model_or_sbml, Model) else load(name)
        m = doc.getModel()
        ids = [s.getId() for s in m.getListOfSpecies()
               if not s.getBoundaryCondition() and not s.getConstant()]
        ids = [i for i in ids if i in model._species_ids] + [h for h in hubs
                                                             if h in model._param_ids]
        dose, minutes, at_h = SIGN_STATE_REGIMEN
        df = model.simulate(Regimen.infusion(dose, minutes=minutes), end_h=at_h,
                            points=[0.0, at_h], variables=ids)
    except Exception:          # the graph view must not depend on a simulation succeeding
        return None
    return [{k: float(df[k].iloc[i]) for k in ids} for i in (0, 1)]


def _hubbed(doc, hubs):
    """A copy of `doc` with the assignment rules of `hubs` turned into rate rules."""
    import libsbml
    copy = doc.clone()
    model = copy.getModel()
    for h in hubs:
        rule = model.getAssignmentRuleByVariable(h) if hasattr(
            model, "getAssignmentRuleByVariable") else model.getRule(h)
        if rule is None or not rule.isAssignment():
            continue
        math_ = rule.getMath().deepCopy()
        model.removeRuleByVariable(h)
        rr = model.createRateRule()
        rr.setVariable(h)
        rr.setMath(math_)
        p = model.getParameter(h)
        if p is not None:
            p.setConstant(False)
            if not p.isSetValue():
                p.setValue(1.0)
    del libsbml
    return copy


@dataclass
class _Entity:
    id: str
    label: str
    kind: str
    members: dict = field(default_factory=dict)     # member id -> activity
    order: int = 0
    band: str | None = None
    representative: tuple = ()


def _entities_ours(doc, ids) -> dict[str, _Entity]:
    from ..sources import COMPONENTS, declared_ids, read_body, strip_inputs
    declaring = {}
    for comp in COMPONENTS:
        try:
            body = read_body(comp)
        except (OSError, ValueError):
            continue
        for i in declared_ids(strip_inputs(body) if comp != COMPONENTS[0] else body):
            declaring.setdefault(i, comp)
    out: dict[str, _Entity] = {}
    for order, xid in enumerate(ids):
        rule = entity_rule(xid)
        if rule is None or rule[0] is None:
            continue
        eid, activity = rule
        spec = ENTITIES[eid]
        ent = out.get(eid)
        if ent is None:
            band = BAND_OVERRIDES.get(eid) or COMPONENT_BANDS.get(declaring.get(xid), "PK")
            ent = out[eid] = _Entity(eid, spec.label, spec.kind, order=order, band=band,
                                     representative=spec.representative)
        ent.members[xid] = activity
    return out


def _entities_foreign(doc) -> dict[str, _Entity]:
    model = doc.getModel()
    groups: dict = {}
    for order, s in enumerate(model.getListOfSpecies()):
        key = _identity_key(s) or ("species", s.getId())
        groups.setdefault(key, []).append((order, s))
    out: dict[str, _Entity] = {}
    for key, members in groups.items():
        first = members[0][1]
        eid = first.getId() if len(members) == 1 else f"{first.getId()}+"
        names = [s.getName() or s.getId() for _, s in members]
        uris = " ".join(sorted(key)) if isinstance(key, frozenset) else ""
        sbo = first.getSBOTerm() if first.isSetSBOTerm() else -1
        kind = ("phenotype" if sbo == 358 else
                "messenger" if sbo == 247 or "chebi" in uris else "protein")
        out[eid] = _Entity(eid, _common_label(names), kind,
                           members={s.getId(): 1 for _, s in members}, order=members[0][0])
    for rule in model.getListOfRules():      # rate-rule parameters are state: single nodes
        if rule.isRate() and model.getParameter(rule.getVariable()) is not None:
            v = rule.getVariable()
            p = model.getParameter(v)
            out[v] = _Entity(v, (p.getName() or v), "protein", members={v: 1},
                             order=len(out) + 10_000)
    return out


def cascade(model_or_sbml, *, signed: bool = True, feedback: bool = False,
            reduce: bool = True, hide=()) -> nx.DiGraph:
    """Return the condensed cascade that `diagram` draws (see `pathways.diagram`).

    Nodes: ``label``, ``kind``, ``band`` (shipped models; None otherwise), ``rank`` (row, 0 =
    top), ``order`` (declaration order), ``members`` {id: activity}, ``representative``.
    Edges: ``sign`` (+1, -1, 0 = ambiguous, None when unsigned), ``ambiguous``,
    ``contributions`` (species-level (source, target, sign, via) behind the edge),
    ``reactions``, ``feedback`` (True for drawn back edges). ``g.graph["dropped"]`` lists
    the edges not drawn, with the reason. `hide` leaves nodes out (node or member ids), e.g.
    the drugs a figure does not dose.
    """
    from ..graph import graph as bipartite
    from ..graph import interaction_graph

    doc, source = document(model_or_sbml)
    model = doc.getModel()
    g = nx.DiGraph(source=source, model_id=model.getId() if model else None,
                   name=(model.getName() or model.getId()) if model else None, dropped=[],
                   ours=False)
    if model is None:
        return g
    ours = _is_ours(doc)
    g.graph["ours"] = ours
    if ours:
        ids = [s.getId() for s in model.getListOfSpecies()] + [
            r.getVariable() for r in model.getListOfRules() if not r.isAlgebraic()]
        entities = _entities_ours(doc, ids)
        hubs = [h for h in HUBS if model.getParameter(h) is not None]
        states = _state_values(model_or_sbml, doc, hubs)
        work = _hubbed(doc, hubs)
        ig = interaction_graph(work, state=states) if states else interaction_graph(work)
    else:
        entities = _entities_foreign(doc)
        ig = interaction_graph(doc)
    member_of = {m: (e.id, a) for e in entities.values() for m, a in e.members.items()}
    if not ours:    # foreign: the representative members are those that act on other entities
        net: dict[tuple[str, str], float] = {}     # (species, reaction) -> net stoichiometry
        for r in model.getListOfReactions():
            for sign, refs in ((-1.0, r.getListOfReactants()), (1.0, r.getListOfProducts())):
                for sr in refs:
                    key = (sr.getSpecies(), r.getId())
                    st = sr.getStoichiometry() if sr.isSetStoichiometry() else 1.0
                    net[key] = net.get(key, 0.0) + sign * (st if math.isfinite(st) else 1.0)
        consumed = {k for k, v in net.items() if v < 0}    # a catalyst written K + S -> K + P
                                                           # is not used up
        acting, signalling = set(), set()
        for u, v, data in ig.edges(data=True):
            if u in member_of and v in member_of and member_of[u][0] != member_of[v][0]:
                acting.add(u)
                # acting as a catalyst, modifier, rule or event, not by being used up (the
                # free form of a kinase that binds an inhibitor acts by sequestration only)
                if data.get("rules") or data.get("events") or any(
                        (u, r) not in consumed for r in data.get("reactions", [])):
                    signalling.add(u)
        for e in entities.values():
            e.representative = (tuple(m for m in e.members if m in signalling)
                                or tuple(m for m in e.members if m in acting))
    reps = {e.id: set(e.representative) for e in entities.values()}

    for e in entities.values():
        g.add_node(e.id, label=e.label, kind=e.kind, band=e.band, order=e.order,
                   members=dict(e.members), representative=list(e.representative))

    contrib: dict[tuple[str, str], list] = {}
    for u, v, data in ig.edges(data=True):
        if u not in member_of or v not in member_of:
            continue
        (eu, au), (ev, av) = member_of[u], member_of[v]
        if eu == ev:
            continue
        via = data.get("reactions", []) + data.get("rules", []) + data.get("events", [])
        if not signed:
            contrib.setdefault((eu, ev), []).append((u, v, None, via))
            continue
        if au == 0 or av == 0:
            continue
        contrib.setdefault((eu, ev), []).append((u, v, data["sign"] * au * av, via))
    if not signed:
        bg = bipartite(doc)
        for r, rdata in bg.nodes(data=True):
            if rdata.get("kind") != "reaction":
                continue
            sources_ = [u for u in bg.predecessors(r)]
            for t in bg.successors(r):
                for s in sources_:
                    if s in member_of and t in member_of and member_of[s][0] != member_of[t][0]:
                        contrib.setdefault((member_of[s][0], member_of[t][0]), []).append(
                            (s, t, None, [r]))
    for (eu, ev), items in contrib.items():
        if signed:
            on_rep = [c for c in items if c[1] in reps[ev]]
            use = on_rep or items
            signs = {c[2] for c in use}
            sign = signs.pop() if len(signs) == 1 else 0
        else:
            sign = None
        reactions = sorted({r for c in items for r in c[3]})
        g.add_edge(eu, ev, sign=sign, ambiguous=sign == 0, contributions=items,
                   reactions=reactions, feedback=False)
    if isinstance(hide, str):
        hide = [hide]
    member_of_node = {m: n for n in g for m in g.nodes[n]["members"]}
    for h in hide or ():
        node = h if h in g else member_of_node.get(h)
        if node is None:
            raise PathwaysInputError(choices_message("node to hide", h, map(str, g.nodes)))
        g.remove_node(node)
    # drop entities that take part in nothing
    for n in [n for n in g if g.degree(n) == 0 and len(g) > 1]:
        g.remove_node(n)
    _rank(g, feedback=feedback, reduce=reduce)
    return g


def _break_cycles(g: nx.DiGraph) -> list[tuple[str, str]]:
    """Back edges by the greedy Eades–Lin–Smyth order (ties: declaration order)."""
    h = nx.DiGraph(g.edges())
    h.add_nodes_from(g.nodes())
    weight = {(u, v): (0.5 if g.edges[u, v].get("ambiguous") else 1.0) for u, v in g.edges()}
    left, right = [], []
    order = {n: g.nodes[n].get("order", 0) for n in g}
    while h:
        changed = True
        while changed:
            changed = False
            for n in sorted([n for n in h if h.out_degree(n) == 0], key=order.get,
                            reverse=True):
                right.insert(0, n)
                h.remove_node(n)
                changed = True
            for n in sorted([n for n in h if h.in_degree(n) == 0], key=order.get):
                left.append(n)
                h.remove_node(n)
                changed = True
        if h:
            n = max(h, key=lambda x: (sum(weight[x, v] for v in h.successors(x))
                                      - sum(weight[u, x] for u in h.predecessors(x)),
                                      -order[x]))
            left.append(n)
            h.remove_node(n)
    pos = {n: i for i, n in enumerate(left + right)}
    return [(u, v) for u, v in g.edges() if pos[u] >= pos[v]]


def _rank(g: nx.DiGraph, *, feedback: bool, reduce: bool) -> None:
    dropped = g.graph["dropped"]
    band_index = {b: i for i, b in enumerate(BANDS)}
    ours = g.graph.get("ours")
    back = set()
    if ours:        # a later band never feeds an earlier one: those edges are feedback
        for u, v in g.edges():
            bu, bv = g.nodes[u]["band"], g.nodes[v]["band"]
            if "readouts" not in (bu, bv) and band_index[bu] > band_index[bv]:
                back.add((u, v))
    dag = g.edge_subgraph([e for e in g.edges() if e not in back]).copy()
    dag.add_nodes_from(g.nodes(data=True))
    for n in dag:
        dag.nodes[n].update(g.nodes[n])
    # two-cycles first: keep the direction from the entity declared first (the signed one
    # if the other is ambiguous); the rest by the greedy order
    for u, v in list(dag.edges()):
        if u < v and dag.has_edge(v, u) if isinstance(u, str) and isinstance(v, str) else False:
            du, dv = dag.edges[u, v], dag.edges[v, u]
            if du.get("ambiguous") != dv.get("ambiguous"):
                rev = (u, v) if du.get("ambiguous") else (v, u)
            else:
                rev = (v, u) if dag.nodes[u]["order"] <= dag.nodes[v]["order"] else (u, v)
            back.add(rev)
            dag.remove_edge(*rev)
    back |= set(_break_cycles(dag))
    forward = [e for e in g.edges() if e not in back]
    for u, v in sorted(back):
        if (v, u) in forward:
            dropped.append((u, v, "reverse of a drawn edge (binding/sequestration back-flux)"))
            g.remove_edge(u, v)
        elif not feedback:
            dropped.append((u, v, "feedback (drawn with feedback=True)"))
            g.remove_edge(u, v)
        else:
            g.edges[u, v]["feedback"] = True
    fwd = nx.DiGraph()
    fwd.add_nodes_from(g)
    fwd.add_edges_from((u, v) for u, v in g.edges() if not g.edges[u, v]["feedback"])
    if reduce:
        for u, v in sorted(fwd.edges()):
            s = g.edges[u, v]["sign"]
            if s == 0:
                continue
            fwd.remove_edge(u, v)
            if _signed_path(g, fwd, u, v, s):
                dropped.append((u, v, "implied by a drawn path of the same sign"))
                g.remove_edge(u, v)
            else:
                fwd.add_edge(u, v)
    # rows: longest path, bands as lower bounds, readouts just below their lowest input
    rank: dict[str, int] = {}
    topo = list(nx.lexicographical_topological_sort(fwd, key=lambda n: g.nodes[n]["order"]))
    if ours:
        floor = 0
        for band in BANDS:
            members = [n for n in topo if g.nodes[n]["band"] == band]
            for n in topo:
                if n not in members:
                    continue
                preds = [rank[p] + 1 for p in fwd.predecessors(n) if p in rank]
                rank[n] = max(preds + ([floor] if band != "readouts" else [0]))
            if band != "readouts" and members:
                floor = max(rank[n] for n in members) + 1
        # readouts first: they may precede later bands' nodes in `topo`; settle once more
        for n in topo:
            preds = [rank[p] + 1 for p in fwd.predecessors(n)]
            if preds:
                rank[n] = max(rank[n], *preds)
    else:
        for n in topo:
            rank[n] = max([rank[p] + 1 for p in fwd.predecessors(n)] + [0])
    for n in g:
        g.nodes[n]["rank"] = rank[n]


def _signed_path(g, fwd, u, v, sign, limit: int = 2) -> bool:
    """Whether fwd has a path u→…→v (≤ limit edges, ≥ 2) whose sign product is `sign`; paths
    through drugs (a metabolite is another agent, not a mediator) do not count."""
    stack = [(u, 1, 0)]
    while stack:
        n, s, d = stack.pop()
        if d >= limit:
            continue
        for w in fwd.successors(n):
            sw = g.edges[n, w]["sign"]
            if sw in (0, None):
                continue
            if w == v:
                if s * sw == sign:
                    return True
                continue
            if g.nodes[w].get("kind") == "drug":
                continue
            stack.append((w, s * sw, d + 1))
    return False
