"""The graph view: the bipartite species/reaction graph and the signed influence graph.

Counts are checked against libSBML on every SBML Test Suite semantic case and every BioModels
file in ../shared (skipped when absent); signs against small models whose rate laws fix them,
and against published inhibitions in two BioModels models.
"""
from __future__ import annotations

import json

import libsbml
import networkx as nx
import pytest

import pathways
from pathways.errors import PathwaysInputError
from pathways.graph import graph, interaction_graph, to_cytoscape_json, to_graphml
from pathways.sbml_io import read_sbml

from test_sbml_io import (BIOMODELS, INVALID_SEMANTIC, SEMANTIC, biomodels_params,
                          semantic_files)

VALID_CASES = [pytest.param(p, id=p.parent.name) for p in semantic_files()
               if p.parent.name not in INVALID_SEMANTIC]


def antimony(body: str, functions: str = "") -> str:
    """SBML for a small Antimony model (no units: unit warnings are not errors)."""
    import antimony as ant

    ant.clearPreviousLoads()
    text = f"{functions}\nmodel m()\n{body}\nend\n"
    assert ant.loadAntimonyString(text) >= 0, ant.getLastError()
    return ant.getSBMLString("m")


# ----------------------------------------------------------------------------- expected counts

def _names(ast) -> set[str]:
    out, stack = set(), [ast] if ast is not None else []
    while stack:
        node = stack.pop()
        if node.getType() == libsbml.AST_NAME:
            out.add(node.getName())
        stack.extend(node.getChild(i) for i in range(node.getNumChildren()))
    return out


def expected_graph(model):
    """Nodes and edge references as libSBML lists them (independently of pathways.graph)."""
    species = {s.getId() for s in model.getListOfSpecies()}
    reactions = {r.getId() for r in model.getListOfReactions()}
    rules = [r for r in model.getListOfRules() if not r.isAlgebraic()]
    rule_vars = {r.getVariable() for r in rules if r.getVariable() not in species
                 and (model.getParameter(r.getVariable()) is not None
                      or model.getCompartment(r.getVariable()) is not None)}
    nodes = species | reactions | rule_vars
    refs = []   # (u, v, role), one per SBML reference
    for r in model.getListOfReactions():
        refs += [(sr.getSpecies(), r.getId(), "reactant") for sr in r.getListOfReactants()]
        refs += [(r.getId(), sr.getSpecies(), "product") for sr in r.getListOfProducts()]
        refs += [(m.getSpecies(), r.getId(), "modifier") for m in r.getListOfModifiers()]
    for rule in rules:
        if rule.getVariable() in nodes:
            refs += [(n, rule.getVariable(), "rule") for n in _names(rule.getMath()) if n in nodes]
    for ev in model.getListOfEvents():
        for ea in ev.getListOfEventAssignments():
            if ea.getVariable() in nodes:
                refs += [(n, ea.getVariable(), "event") for n in _names(ea.getMath())
                         if n in nodes]
    return nodes, species, reactions, rule_vars, refs


def check_counts(path):
    doc = read_sbml(path)
    model = doc.getModel()
    g = graph(path)
    assert isinstance(g, nx.DiGraph)
    if model is None:
        assert g.number_of_nodes() == 0
        return g
    nodes, species, reactions, rule_vars, refs = expected_graph(model)
    assert g.number_of_nodes() == model.getNumSpecies() + model.getNumReactions() + len(rule_vars)
    assert set(g.nodes) == nodes
    kinds = nx.get_node_attributes(g, "kind")
    assert {n for n, k in kinds.items() if k == "species"} == species
    assert {n for n, k in kinds.items() if k == "reaction"} == reactions
    n_refs = sum(model.getReaction(i).getNumReactants() + model.getReaction(i).getNumProducts()
                 + model.getReaction(i).getNumModifiers() for i in range(model.getNumReactions()))
    species_refs = [r for _, _, d in g.edges(data=True) for r in d["roles"]
                    if r in ("reactant", "product", "modifier")]
    assert len(species_refs) == n_refs
    assert g.number_of_edges() == len({(u, v) for u, v, _ in refs})
    assert sum(len(d["roles"]) for _, _, d in g.edges(data=True)) == len(refs)
    for u, v, d in g.edges(data=True):
        assert d["role"] == d["roles"][0]
        if d["role"] == "reactant":
            assert kinds[u] == "species" and kinds[v] == "reaction"
        elif d["role"] == "product":
            assert kinds[u] == "reaction" and kinds[v] == "species"
    return g


def check_interaction(path):
    g = interaction_graph(path)
    model = read_sbml(path).getModel()
    species = {s.getId() for s in model.getListOfSpecies()} if model is not None else set()
    assert species <= set(g.nodes)
    reactions = {r.getId() for r in model.getListOfReactions()} if model is not None else set()
    for u, v, d in g.edges(data=True):
        assert d["sign"] in (-1, 0, 1)
        assert d["ambiguous"] == (d["sign"] == 0)
        assert set(d["reactions"]) <= reactions
        assert d["reactions"] or d["rules"] or d["events"]
        assert u != v                                    # self-loops dropped by default
        signs = {c["sign"] for c in d["contributions"]}
        assert d["sign"] == (signs.pop() if len(signs) == 1 else 0)
    assert g.graph["sign_method"].startswith("numeric")
    return g


# ----------------------------------------------------------------------------- every outside file

@pytest.mark.parametrize("path", VALID_CASES)
def test_semantic_case_graphs(path):
    g = check_counts(path)
    ig = check_interaction(path)
    assert set(ig.graph["no_kinetics"]) <= {n for n, k in g.nodes(data="kind") if k == "reaction"}


@pytest.mark.parametrize("path", biomodels_params())
def test_biomodels_graphs(path):
    check_counts(path)
    ig = check_interaction(path)
    if path.stem == "BIOMD0000001094":       # fbc: no kinetics, so no signed edges
        assert ig.number_of_edges() == 0
        assert len(ig.graph["no_kinetics"]) == 2262
    else:
        assert ig.number_of_edges() > 0
        assert not ig.graph["no_kinetics"]


@pytest.mark.slow
def test_fbc_reactions_have_no_kinetic_law():
    path = BIOMODELS / "BIOMD0000001094.xml"
    if not path.is_file():
        pytest.skip("../shared is absent")
    doc = read_sbml(path)
    g = graph(doc)
    laws = [d["kinetic_law"] for _, d in g.nodes(data=True) if d["kind"] == "reaction"]
    assert len(laws) == 2262 and all(law is None for law in laws)


# ----------------------------------------------------------------------------- known signs

def _biomodel(name):
    path = BIOMODELS / f"{name}.xml"
    if not path.is_file():
        pytest.skip("../shared is absent")
    return path


def test_brown2004_known_signs():
    """BIOMD0000000033: Akt inactivates Raf1, p90Rsk feeds back on Sos, PP2A dephosphorylates
    Erk; Mek activates Erk."""
    path = _biomodel("BIOMD0000000033")
    g, ig = graph(path), interaction_graph(path)
    law = g.nodes["Raf1ByAktDeactivationReaction"]["kinetic_law"]
    assert "AktActive * Raf1Active" in law
    assert g.edges["Raf1ByAktDeactivationReaction", "Raf1Inactive"]["role"] == "product"
    assert ig.edges["AktActive", "Raf1Active"]["sign"] == -1
    assert ig.edges["AktActive", "Raf1Active"]["reactions"] == ["Raf1ByAktDeactivationReaction"]
    assert ig.edges["AktActive", "Raf1Inactive"]["sign"] == 1
    assert ig.edges["P90RskActive", "SosActive"]["sign"] == -1
    assert ig.edges["PP2AActive", "ErkActive"]["sign"] == -1
    assert ig.edges["MekActive", "ErkActive"]["sign"] == 1
    assert ig.edges["RasActive", "Raf1Active"]["sign"] == 1
    assert not ig.has_edge("ErkActive", "ErkActive")


def test_dallepezze2012_known_signs():
    """BIOMD0000000581: TSC dephosphorylates mTORC1 (reaction_7); p70S6K-pT389 phosphorylates
    IRS1 at S636, the negative feedback (reaction_46). Every reaction has a local k1."""
    path = _biomodel("BIOMD0000000581")
    g, ig = graph(path), interaction_graph(path)
    assert g.nodes["species_6"]["name"] == "TSC_clx"
    assert g.nodes["species_2"]["name"] == "mTORC1_pS2448"
    assert g.nodes["reaction_7"]["kinetic_law"] == "compartment_2 * k1 * species_2 * species_6"
    assert ig.edges["species_6", "species_2"]["sign"] == -1          # TSC -| mTORC1
    assert ig.edges["species_17", "species_7"]["sign"] == -1         # S6K -| IRS1-p-PI3K
    assert ig.edges["species_41", "species_21"]["sign"] == 1         # insulin -> IR-pY1146
    assert g.nodes["species_41"]["uris"]                             # CV terms are read


@pytest.mark.slow
def test_time_switched_rates_need_a_later_time():
    """BIOMD0000000255 switches its rate constants on at t = 1800 s (stepfunc of time)."""
    path = _biomodel("BIOMD0000000255")
    early = interaction_graph(path)
    assert ("c3", "v1") in early.graph["undetermined"]
    late = interaction_graph(path, time=3600)
    assert read_sbml(path).getModel().getSpecies("c1").getBoundaryCondition()   # EGF, clamped
    assert not late.has_edge("c3", "c1")                   # nothing changes a boundary species
    assert late.edges["c1", "c3"]["sign"] == 1 and late.edges["c2", "c3"]["sign"] == 1
    assert late.edges["c3", "c2"]["sign"] == 1             # unbinding releases ErbB1
    assert late.number_of_edges() > early.number_of_edges()
    assert "time = 3600" in late.graph["sign_method"]


SIGNS_MODEL = """
compartment cell = 1;
species S in cell = 10; species P in cell = 0; species I in cell = 1; species A in cell = 0;
species E in cell = 2; species Q in cell = 0; species X in cell = 1; species Y in cell = 1;
Vm = 2; Km = 1; Ki = 0.5; k = 0.3; kr = 0.1; thr = 0.5;
R_inh: S => P; Vm * E * S / (Km + S) / (1 + I / Ki);
R_rev: P -> Q; k * P - kr * Q;
R_act: => A; k * piecewise(1, X > thr, 0.1) * S;
R_dual: => Y; k * X;
R_dual2: Y =>; k * X * Y;
"""


def test_signs_from_rate_laws_not_names():
    ig = interaction_graph(antimony(SIGNS_MODEL))
    e = ig.edges
    assert e["S", "P"]["sign"] == 1 and e["S", "P"]["reactions"] == ["R_inh"]
    assert e["E", "P"]["sign"] == 1 and e["E", "S"]["sign"] == -1
    assert e["I", "P"]["sign"] == -1 and e["I", "S"]["sign"] == 1       # inhibitor
    assert e["P", "Q"]["sign"] == 1 and e["Q", "P"]["sign"] == 1        # reversible
    assert not ig.has_edge("S", "S") and not ig.has_edge("Q", "Q")      # self-loops dropped
    # A step (piecewise) in X, away from its threshold: flat locally, signed by secants.
    assert e["X", "A"]["sign"] == 1 and e["X", "A"]["method"] == "secant"
    assert e["S", "P"]["method"] == "derivative"
    assert e["S", "A"]["sign"] == 1
    # X raises Y's production and its degradation: opposite signs -> ambiguous.
    assert e["X", "Y"]["sign"] == 0 and e["X", "Y"]["ambiguous"]
    assert sorted(e["X", "Y"]["reactions"]) == ["R_dual", "R_dual2"]
    assert {c["sign"] for c in e["X", "Y"]["contributions"]} == {1, -1}
    # I and E are never produced or consumed: no edges into them.
    assert ig.in_degree("I") == 0 and ig.in_degree("E") == 0
    assert {u for u, _ in ig.in_edges("S")} == {"I", "E"}
    kept = interaction_graph(antimony(SIGNS_MODEL), self_loops=True)
    assert kept.edges["S", "S"]["sign"] == -1 and kept.edges["Q", "Q"]["sign"] == -1


def test_piecewise_threshold_state_dependence():
    """A step in X: a derivative on the threshold, secants elsewhere; flat everywhere -> none."""
    sbml = antimony(SIGNS_MODEL)
    at = interaction_graph(sbml, state={"X": 0.5})     # on the threshold: one-sided step
    assert at.edges["X", "A"]["sign"] == 1 and at.edges["X", "A"]["method"] == "derivative"
    below = interaction_graph(sbml, state={"X": 0.2})  # 0.2 * 10 crosses 0.5
    assert below.edges["X", "A"]["sign"] == 1 and below.edges["X", "A"]["method"] == "secant"
    far = interaction_graph(sbml, state={"X": 0.01})   # 0.01 * 10 never reaches 0.5
    assert not far.has_edge("X", "A") and ("X", "R_act") in far.graph["undetermined"]
    both = interaction_graph(sbml, state=[{"X": 0.2}, {"X": 0.5}])
    assert both.edges["X", "A"]["sign"] == 1
    assert "2 given state(s)" in both.graph["sign_method"]
    with pytest.raises(PathwaysInputError, match="unknown ids nope"):
        interaction_graph(sbml, state={"nope": 1})
    with pytest.raises(PathwaysInputError, match="X = 'high' is not a number"):
        interaction_graph(sbml, state={"X": "high"})
    with pytest.raises(PathwaysInputError, match="is not finite"):
        interaction_graph(sbml, state={"X": float("nan")})
    with pytest.raises(PathwaysInputError, match="not str"):
        interaction_graph(sbml, state="X")


def test_non_monotonic_rate_is_ambiguous_across_states():
    sbml = antimony("""
    compartment cell = 1; species S in cell = 1; species P in cell = 0;
    Vm = 1; Km = 1; Kis = 1;
    R: S => P; Vm * S / (Km + S + S^2 / Kis);   // substrate inhibition: peak at S = 1
    """)
    low, high = (interaction_graph(sbml, state={"S": s}) for s in (0.1, 10))
    assert low.edges["S", "P"]["sign"] == 1 and high.edges["S", "P"]["sign"] == -1
    both = interaction_graph(sbml, state=[{"S": 0.1}, {"S": 10}])
    assert both.edges["S", "P"]["sign"] == 0 and both.edges["S", "P"]["ambiguous"]


def test_assignment_rules_functions_and_rules_propagate():
    sbml = antimony(functions="function hill_rep(x, K, n)\n 1 / (1 + (x / K)^n)\nend", body="""
    compartment cell = 1;
    species A in cell = 1; species B in cell = 1; species T in cell = 0; species R in cell = 1;
    species Z in cell = 2;
    k = 1; K = 0.5;
    drive := A / (1 + B);
    J: => T; k * drive * hill_rep(R, K, 2);
    Z' = -k * A + k * B;
    readout := T / (1 + R); readout has dimensionless
    """)
    ig = interaction_graph(sbml)
    assert ig.edges["A", "T"]["sign"] == 1 and ig.edges["B", "T"]["sign"] == -1   # via drive
    assert ig.edges["R", "T"]["sign"] == -1                                      # via hill_rep
    assert ig.edges["A", "Z"]["sign"] == -1 and ig.edges["B", "Z"]["rules"] == ["Z"]
    assert ig.nodes["readout"]["kind"] == "parameter" and ig.nodes["readout"]["derived"]
    assert ig.edges["T", "readout"]["sign"] == 1 and ig.edges["R", "readout"]["sign"] == -1
    assert ig.out_degree("readout") == 0
    assert ig.nodes["drive"]["derived"] and ig.edges["B", "drive"]["sign"] == -1
    g = graph(sbml)
    assert g.nodes["drive"]["kind"] == "parameter" and g.nodes["drive"]["rule"] == "assignment"
    assert g.edges["A", "drive"]["role"] == "rule" and g.edges["B", "drive"]["role"] == "rule"
    assert g.edges["T", "readout"]["role"] == "rule"
    assert not g.has_edge("Z", "Z")
    assert {u for u, _ in g.in_edges("Z")} == {"A", "B"}
    assert not g.has_node("k")          # plain parameters are not nodes


@pytest.mark.parametrize("depth, sign", [(1, -1), (2, 1), (199, -1), (240, 1)])
def test_deep_expressions_evaluate(depth, sign):
    """dY/dt = -(-(...(X))) nested `depth` times: the sign is (-1)^depth, however deep."""
    math = "<apply><minus/>" * depth + "<ci>X</ci>" + "</apply>" * depth
    sbml = antimony("compartment c = 1; species X in c = 1; species Y in c = 0; X' = 0;"
                    "Y' = 0;")
    doc = libsbml.readSBMLFromString(sbml)
    rule = doc.getModel().getRateRule("Y")
    rule.setMath(libsbml.readMathMLFromString(
        f'<math xmlns="http://www.w3.org/1998/Math/MathML">{math}</math>'))
    ig = interaction_graph(libsbml.writeSBMLToString(doc))
    assert ig.edges["X", "Y"]["sign"] == sign and ig.edges["X", "Y"]["rules"] == ["Y"]


def test_long_sums_evaluate():
    terms = " + ".join(f"k * A{i}" for i in range(300))
    species = "; ".join(f"species A{i} in c = 1" for i in range(300))
    ig = interaction_graph(antimony(f"compartment c = 1; {species}; species T in c = 0; "
                                    f"k = 1; J: => T; {terms};"))
    assert ig.in_degree("T") == 300
    assert all(d["sign"] == 1 for _, _, d in ig.in_edges("T", data=True))


def test_graph_node_and_edge_attributes():
    sbml = antimony("""
    compartment cell = 1;
    species A in cell = 1; species B in cell = 0; species E in cell = 1; species C in cell = 0;
    A identity "http://identifiers.org/uniprot/P23560"; A.sboTerm = 252; A is "BDNF";
    k = 1;
    R1: 2 A + E => B + E; k * A * E;
    R1.sboTerm = 216;
    R2: B -> C; k * B;
    at (time > 1): C = C + A;
    """)
    g = graph(sbml)
    a = g.nodes["A"]
    assert a == {"kind": "species", "id": "A", "name": "BDNF", "compartment": "cell",
                 "sbo": "SBO:0000252", "uris": ["http://identifiers.org/uniprot/P23560"],
                 "boundary": False, "constant": False}
    r1 = g.nodes["R1"]
    assert r1["kind"] == "reaction" and r1["sbo"] == "SBO:0000216" and not r1["reversible"]
    assert r1["kinetic_law"] == "k * A * E"
    assert g.nodes["R2"]["reversible"] and g.nodes["R2"]["sbo"] is None
    assert g.edges["A", "R1"] == {"role": "reactant", "roles": ["reactant"], "stoichiometry": 2.0}
    assert g.edges["E", "R1"]["roles"] == ["reactant"] and g.edges["R1", "E"]["role"] == "product"
    assert g.edges["R1", "B"]["stoichiometry"] == 1.0
    assert g.edges["A", "C"]["role"] == "event" and g.edges["C", "C"]["events"]


def test_reactant_that_is_also_modifier_keeps_both_roles():
    text = antimony("""
    compartment cell = 1; species A in cell = 1; species B in cell = 0; k = 1;
    R: A => B; k * A;
    """)
    doc = libsbml.readSBMLFromString(text)
    mod = doc.getModel().getReaction("R").createModifier()
    mod.setSpecies("A")
    g = graph(libsbml.writeSBMLToString(doc))
    assert g.edges["A", "R"]["roles"] == ["reactant", "modifier"]
    assert g.edges["A", "R"]["role"] == "reactant" and g.edges["A", "R"]["stoichiometry"] == 1.0


# ----------------------------------------------------------------------------- inputs

def test_inputs_model_name_path_text_and_model_object(tmp_path, oracle_model):
    name = pathways.list_models()[0]
    g = graph(name)
    doc = libsbml.readSBMLFromString(pathways.model.base_sbml(name))
    m = doc.getModel()
    assert sum(k == "species" for _, k in g.nodes(data="kind")) == m.getNumSpecies()
    assert sum(k == "reaction" for _, k in g.nodes(data="kind")) == m.getNumReactions()
    assert g.graph["source"] == name
    path = tmp_path / "m.xml"
    path.write_text(pathways.model.base_sbml(name), encoding="utf-8")
    for other in (graph(path), graph(str(path)), graph(path.read_text())):
        assert set(other.nodes) == set(g.nodes) and set(other.edges) == set(g.edges)
    og = graph(oracle_model)
    assert {"ket_central", "elim", "ketamine_plasma"} <= set(og.nodes)
    assert og.nodes["ketamine_plasma"]["kind"] == "parameter"
    ig = interaction_graph(oracle_model)
    assert ig.edges["ket_central", "ket_eliminated"]["sign"] == 1
    assert ig.edges["ket_depot_ip", "ket_central"]["sign"] == 1
    assert ig.edges["ket_central", "ketamine_plasma"]["sign"] == 1


def test_shipped_models_have_graphs():
    import libsbml

    from pathways.model import base_sbml
    for name in pathways.list_models():
        g, ig = graph(name), interaction_graph(name)
        model = libsbml.readSBMLFromString(base_sbml(name)).getModel()
        kinds = [k for _, k in g.nodes(data="kind")]
        assert kinds.count("species") == model.getNumSpecies() > 0, name
        assert kinds.count("reaction") == model.getNumReactions(), name
        species = {n for n, k in g.nodes(data="kind") if k == "species"}
        assert species <= set(ig.nodes)
        signs = {d["sign"] for _, _, d in ig.edges(data=True)}
        assert signs <= {-1, 0, 1} and 1 in signs, name
    # known signs of the PK: absorption feeds plasma, plasma feeds brain and elimination,
    # and nothing flows back into an i.p. depot
    ig = interaction_graph("ketamine_pk")
    for edge in (("ket_depot_ip", "ket_central"), ("ket_central", "ket_brain"),
                 ("ket_central", "ket_eliminated")):
        assert ig.edges[edge]["sign"] == 1, edge
    assert not ig.has_edge("ket_central", "ket_depot_ip")
    # the composed cascade has both activations and inhibitions
    assert {-1, 1} <= {d["sign"] for *_, d in interaction_graph(
        "ketamine_synaptogenesis").edges(data=True)}


def test_bad_inputs():
    with pytest.raises(PathwaysInputError, match="neither a model name nor an SBML file; "
                                                 "valid models: "):
        graph("no_such_model")
    with pytest.raises(PathwaysInputError, match="got int"):
        interaction_graph(3)
    with pytest.raises(PathwaysInputError, match="DOCTYPE"):
        graph('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><sbml/>')


def test_empty_models():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/'
            'level3/version2/core" level="3" version="2"><model id="m"/></sbml>')
    assert graph(text).number_of_nodes() == 0
    assert interaction_graph(text).number_of_edges() == 0


# ----------------------------------------------------------------------------- exports

def test_graphml_round_trip(tmp_path):
    g = graph(antimony(SIGNS_MODEL))
    ig = interaction_graph(antimony(SIGNS_MODEL))
    for h, name in ((g, "g.graphml"), (ig, "ig.graphml")):
        out = to_graphml(h, tmp_path / "sub" / name)
        back = nx.read_graphml(out)
        assert set(back.nodes) == set(h.nodes) and set(back.edges) == set(h.edges)
    back = nx.read_graphml(tmp_path / "sub" / "ig.graphml")
    assert back.edges["I", "P"]["sign"] == -1
    assert json.loads(back.edges["X", "Y"]["reactions"]) == ["R_dual", "R_dual2"]
    back = nx.read_graphml(tmp_path / "sub" / "g.graphml")
    assert back.nodes["R_inh"]["kinetic_law"].startswith("Vm * E * S")
    assert "sbo" not in back.nodes["S"]                       # None is left out
    assert [p.name for p in (tmp_path / "sub").iterdir()] in (
        ["g.graphml", "ig.graphml"], ["ig.graphml", "g.graphml"])  # no temp files left


def test_cytoscape_json(tmp_path):
    ig = interaction_graph(antimony(SIGNS_MODEL))
    out = to_cytoscape_json(ig, tmp_path / "ig.cyjs")
    doc = json.loads(out.read_text(encoding="utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert {n["data"]["id"] for n in nodes} == set(ig.nodes)
    assert len(edges) == ig.number_of_edges()
    inh = next(e["data"] for e in edges if e["data"]["id"] == "I->P")
    assert inh["source"] == "I" and inh["target"] == "P" and inh["sign"] == -1
    assert doc["data"]["sign_method"].startswith("numeric")


def test_export_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "g.graphml"
    path.write_text("old")

    def fail(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_graphml", fail)
    with pytest.raises(PathwaysInputError, match=f"cannot write {path}: disk full"):
        to_graphml(graph(antimony(SIGNS_MODEL)), path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]


def test_semantic_suite_is_present_or_skipped():
    if not SEMANTIC.is_dir():
        pytest.skip("../shared is absent")
    assert len(VALID_CASES) == 1822


def _with_product_stoichiometry(stoichiometry: float, *, assigned: float | None = None) -> str:
    """A => B at k * A with B's stoichiometry set (or set by an initial assignment)."""
    doc = libsbml.readSBMLFromString(antimony(
        "compartment c = 1; species A in c = 1; species B in c = 1; k = 1; R: A => B; k * A;"))
    ref = doc.getModel().getReaction("R").getProduct(0)
    ref.setStoichiometry(stoichiometry)
    if assigned is not None:
        ref.setId("b_stoich")
        ia = doc.getModel().createInitialAssignment()
        ia.setSymbol("b_stoich")
        ia.setMath(libsbml.parseL3Formula(repr(assigned)))
    return libsbml.writeSBMLToString(doc)


@pytest.mark.parametrize("stoichiometry, assigned, sign", [
    (1, None, 1), (-1, None, -1), (1, -2.0, -1), (-1, 3.0, 1)])
def test_edge_signs_follow_signed_and_assigned_stoichiometry(stoichiometry, assigned, sign):
    """A 'product' with a negative stoichiometry is consumed: A then lowers it. An initial
    assignment to a species reference overrides the attribute, as in the simulator."""
    ig = interaction_graph(_with_product_stoichiometry(stoichiometry, assigned=assigned))
    assert ig.edges["A", "B"]["sign"] == sign
    g = graph(_with_product_stoichiometry(stoichiometry, assigned=assigned))
    assert g.edges["R", "B"]["role"] == "product"
    assert g.edges["R", "B"]["stoichiometry"] == (None if assigned is not None
                                                  else float(stoichiometry))


def _rule_chain_sbml(n: int) -> str:
    """SBML (built with libSBML: Antimony itself is exponential on this chain) where
    p0 := A and p_i := p_{i-1} + 0.5*p_{i-1}, and T is made at rate k*p_n/(1 + p_n)."""
    import libsbml

    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId("chain")
    c = m.createCompartment()
    c.setId("c"), c.setSize(1), c.setConstant(True)
    for sid, amount in (("A", 1.0), ("T", 0.0)):
        sp = m.createSpecies()
        sp.setId(sid), sp.setCompartment("c"), sp.setInitialConcentration(amount)
        sp.setHasOnlySubstanceUnits(False), sp.setBoundaryCondition(False)
        sp.setConstant(False)
    for i in range(n + 1):
        par = m.createParameter()
        par.setId(f"p{i}"), par.setConstant(False)
        rule = m.createAssignmentRule()
        rule.setVariable(f"p{i}")
        rule.setMath(libsbml.parseL3Formula("A" if i == 0 else f"p{i - 1} + 0.5 * p{i - 1}"))
    k = m.createParameter()
    k.setId("k"), k.setValue(1.0), k.setConstant(True)
    r = m.createReaction()
    r.setId("J"), r.setReversible(False)
    prod = r.createProduct()
    prod.setSpecies("T"), prod.setStoichiometry(1.0), prod.setConstant(True)
    r.createKineticLaw().setMath(libsbml.parseL3Formula(f"k * p{n} / (1 + p{n})"))
    return libsbml.writeSBMLToString(doc)


def test_long_rule_chains_evaluate_once_per_rule():
    """Each rule reads the one before twice: without memoising rule values an evaluation
    costs 2^n calls (n = 40: hours). An alarm turns such a regression into a failure."""
    import signal

    n = 40
    sbml = _rule_chain_sbml(n)

    def too_slow(*_):
        raise TimeoutError("rule chain evaluation is exponential again")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(120)
    try:
        ig = interaction_graph(sbml)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert ig.edges["A", "T"]["sign"] == 1                 # through the whole chain
    assert ig.edges["A", f"p{n}"]["sign"] == 1             # rule values resolved to states


@pytest.mark.parametrize("export", ["to_graphml", "to_cytoscape_json", "to_sbgnml"])
def test_graph_export_refuses_a_model_and_writes_files_others_can_read(export, tmp_path):
    """A Model instead of its graph is an input error, not an AttributeError; the file gets
    the umask's mode like every other output (mkstemp alone gave 0600)."""
    import os

    import pathways
    from pathways import PathwaysInputError

    write = getattr(pathways, export)
    model = pathways.load("ketamine_pk")
    with pytest.raises(PathwaysInputError, match=r"networkx graph, got Model.*pathways\.graph"):
        write(model, tmp_path / "x")
    old = os.umask(0o022)
    try:
        out = write(graph(model), tmp_path / "g.out")
    finally:
        os.umask(old)
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)


CONVERSION = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model id="m">
<listOfCompartments><compartment id="c" size="1" constant="true" spatialDimensions="3"/>
</listOfCompartments><listOfSpecies>
<species id="A" compartment="c" initialConcentration="1" hasOnlySubstanceUnits="false"
 boundaryCondition="false" constant="false"/>
<species id="B" conversionFactor="cf" compartment="c" initialConcentration="0"
 hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
<species id="I" compartment="c" initialConcentration="1" hasOnlySubstanceUnits="false"
 boundaryCondition="false" constant="false"/></listOfSpecies>
<listOfParameters><parameter id="k" value="1" constant="true"/>
<parameter id="cf" value="CF" constant="true"/></listOfParameters>
<listOfReactions><reaction id="r" reversible="false"><listOfReactants>
<speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
<listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/>
</listOfProducts><listOfModifiers><modifierSpeciesReference species="I"/></listOfModifiers>
<kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><divide/><apply><times/>
<ci>k</ci><ci>A</ci></apply><apply><plus/><cn>1</cn><ci>I</ci></apply></apply></math>
</kineticLaw></reaction></listOfReactions></model></sbml>"""


@pytest.mark.parametrize("cf, sign", [(-1.0, -1), (2.0, 1)])
def test_a_conversion_factor_scales_the_sign_of_a_reactions_effect(tmp_path, cf, sign):
    """SBML L3: d[B]/dt = cf x (B's stoichiometry x rate); with cf < 0, A feeding the reaction
    lowers B, and the inhibitor I raises it."""
    path = tmp_path / "convf.xml"
    path.write_text(CONVERSION.replace('value="CF"', f'value="{cf}"'))
    g = pathways.interaction_graph(str(path))
    assert g.edges["A", "B"]["sign"] == sign and g.edges["I", "B"]["sign"] == -sign


@pytest.mark.parametrize("time", ["x", None, float("nan"), float("inf"), True])
def test_interaction_graph_time_must_be_a_finite_number(time):
    with pytest.raises(PathwaysInputError, match="time must be a finite number"):
        interaction_graph("ketamine_pk", time=time)


def test_an_sbml_document_object_is_checked_like_sbml_text():
    """A libsbml document skips nothing: one whose kinetic law names an undefined id is
    refused by Model and by graph, as the same SBML given as text is."""
    from pathways.model import Model
    text = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="bad">
    <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
    <listOfSpecies><species id="S" compartment="c" initialConcentration="1"
      hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
    <listOfReactions><reaction id="J" reversible="false">
      <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
      <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/>
        <ci>nowhere</ci><ci>S</ci></apply></math></kineticLaw>
    </reaction></listOfReactions>
  </model>
</sbml>"""
    doc = libsbml.readSBMLFromString(text)
    with pytest.raises(PathwaysInputError) as from_text:
        Model("bad", sbml=text)
    with pytest.raises(PathwaysInputError) as from_doc:
        Model("bad", sbml=doc)
    assert "[10215]" in str(from_text.value) and "[10215]" in str(from_doc.value)
    with pytest.raises(PathwaysInputError, match=r"\[10215\]"):
        graph(doc)


@pytest.mark.parametrize("path, message", [
    (None, "output file must be a file name (str or Path), got NoneType"),
    (5, "got int"),
    ("", "output file is empty"),
    ("{tmp}", "is a folder"),
    ("{tmp}/afile/x.graphml", "afile is a file, not a folder"),
    ("/proc/x.graphml", "cannot write /proc/x.graphml"),
])
def test_graph_writers_refuse_bad_paths_in_one_line(path, message, tmp_path):
    """The user's path is named, never the temporary file beside it."""
    (tmp_path / "afile").write_text("")
    g = graph("ketamine_pk")
    if isinstance(path, str):
        path = path.format(tmp=tmp_path)
    for write in (to_graphml, to_cytoscape_json):
        with pytest.raises(PathwaysInputError) as err:
            write(g, path)
        assert message in str(err.value) and ".tmp" not in str(err.value)
