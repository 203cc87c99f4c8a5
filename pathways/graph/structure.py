"""The bipartite species/reaction graph of a model, read straight from the SBML (see
`pathways.graph`)."""
from __future__ import annotations

import networkx as nx

from .reading import as_document, ast_names, base_graph, formula, sbo, stoichiometry, uris


def graph(model_or_sbml) -> nx.DiGraph:
    """Return the bipartite species/reaction graph of a model (see `pathways.graph`).

    `model_or_sbml` is a `pathways.Model`, a name from `pathways.list_models()`, a path to an
    SBML file or SBML text (read with `pathways.sbml_io.read_sbml`, so untrusted files are
    safe), or a libSBML document.
    """
    doc, source = as_document(model_or_sbml)
    g = base_graph(doc, source)
    model = doc.getModel()
    if model is None:
        return g
    level = doc.getLevel()

    for s in model.getListOfSpecies():
        g.add_node(s.getId(), kind="species", id=s.getId(), name=s.getName() or s.getId(),
                   compartment=s.getCompartment() or None, sbo=sbo(s), uris=uris(s),
                   boundary=bool(s.getBoundaryCondition()), constant=bool(s.getConstant()))
    for r in model.getListOfReactions():
        kl = r.getKineticLaw()
        law = formula(kl.getMath()) if kl is not None and kl.isSetMath() else None
        g.add_node(r.getId(), kind="reaction", id=r.getId(), name=r.getName() or r.getId(),
                   reversible=bool(r.getReversible()), sbo=sbo(r), kinetic_law=law)

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
            link(sr.getSpecies(), rid, "reactant", stoichiometry(sr, level))
        for sr in r.getListOfProducts():
            link(rid, sr.getSpecies(), "product", stoichiometry(sr, level))
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
        g.add_node(var, kind=kind, id=var, name=element.getName() or var, sbo=sbo(element),
                   uris=uris(element), rule="rate" if rule.isRate() else "assignment",
                   formula=formula(rule.getMath()))
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
