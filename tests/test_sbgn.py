"""SBGN-ML (Process Description) export of the bipartite graph: counts, bounding boxes,
validity (XSD, specification rules and PD schematron rules of libsbgnpy), determinism, CLI."""
from __future__ import annotations

from pathlib import Path

import libsbgnpy as sb      # a dependency (pyproject): a broken install fails, not skips
import pytest

import pathways
from pathways.cli import main
from pathways.graph import graph, to_sbgnml

BIOMD33 = Path(__file__).resolve().parents[2] / "shared" / "biomodels" / "BIOMD0000000033.xml"
SOURCES = [pytest.param("ketamine_synaptogenesis", id="composed"),
           pytest.param(BIOMD33, id="BIOMD0000000033",
                        marks=pytest.mark.skipif(not BIOMD33.exists(),
                                                 reason="../shared/biomodels absent"))]


def _expected(g):
    """(species, reactions, reference arcs, source/sink glyphs) of a bipartite graph."""
    kinds = [d["kind"] for _, d in g.nodes(data=True)]
    n_species, n_reactions = kinds.count("species"), kinds.count("reaction")
    refs = sum(r in ("reactant", "product", "modifier")
               for _, _, d in g.edges(data=True) for r in d["roles"])
    sinks = 0
    for n, d in g.nodes(data=True):
        if d["kind"] != "reaction":
            continue
        ins = [r for u in g.predecessors(n) for r in g.edges[u, n]["roles"]]
        outs = [r for v in g.successors(n) for r in g.edges[n, v]["roles"]]
        sinks += ("reactant" not in ins) + ("product" not in outs)
    return n_species, n_reactions, refs, sinks


@pytest.mark.parametrize("source", SOURCES)
def test_sbgnml_export_reads_back_valid_and_deterministic(source, tmp_path):
    g = pathways.graph(str(source))
    out = to_sbgnml(g, tmp_path / "m.sbgn")
    assert out == tmp_path / "m.sbgn"
    assert sb.validate_xsd(out) == []
    assert sb.validate(out) == []                   # XSD + rules of the SBGN specification
    assert sb.validate_schematron(out) == []        # PD rules (e.g. pd10141: in and out)

    doc = sb.read_sbgn_from_file(out)
    (m,) = doc.map
    assert m.language == sb.MapLanguage.PROCESS_DESCRIPTION
    n_species, n_reactions, refs, sinks = _expected(g)
    classes = [gl.class_value.value for gl in m.glyph]
    processes = classes.count("process")
    n_sinks = classes.count("source and sink")
    assert processes == n_reactions
    assert len(m.glyph) - n_sinks == n_species + n_reactions
    assert n_sinks == sinks
    assert len(m.arc) == refs + sinks              # one arc per reference (+ source/sink)
    arc_classes = {a.class_value.value for a in m.arc}
    assert arc_classes <= {"consumption", "production", "modulation"}
    for gl in m.glyph:
        assert gl.bbox is not None and gl.bbox.w > 0 and gl.bbox.h > 0
        if gl.class_value.value == "process":
            assert len(gl.port) == 2
        elif gl.class_value.value != "source and sink":
            assert gl.label is not None and gl.label.text
    ids = {gl.id for gl in m.glyph} | {p.id for gl in m.glyph for p in gl.port}
    assert all(a.source in ids and a.target in ids for a in m.arc)

    again = to_sbgnml(graph(str(source)), tmp_path / "again.sbgn")
    assert again.read_bytes() == out.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))        # atomic write leaves no temporary


def test_sbgnml_glyph_classes_follow_sbo(tmp_path):
    import networkx as nx

    g = nx.DiGraph()
    for sid, sbo in [("a", "SBO:0000247"), ("b", "SBO:0000252"), ("c", "SBO:0000253"),
                     ("d", "SBO:0000358"), ("e", None), ("f", "SBO:0000245")]:
        g.add_node(sid, kind="species", id=sid, name=sid.upper(), sbo=sbo)
    g.add_node("r", kind="reaction", id="r", name="r", sbo=None)
    g.add_edge("a", "r", role="reactant", roles=["reactant", "modifier"], stoichiometry=1.0)
    g.add_edge("r", "c", role="product", roles=["product"], stoichiometry=1.0)
    g.add_edge("b", "r", role="modifier", roles=["modifier"])
    m = sb.read_sbgn_from_file(to_sbgnml(g, tmp_path / "x.sbgn")).map[0]
    cls = {gl.id: gl.class_value.value for gl in m.glyph}
    assert cls == {"s_a": "simple chemical", "s_b": "macromolecule", "s_c": "complex",
                   "s_d": "phenotype", "s_e": "unspecified entity", "s_f": "macromolecule",
                   "r_r": "process"}
    assert sorted(a.class_value.value for a in m.arc) == ["consumption", "modulation",
                                                           "modulation", "production"]
    assert sb.validate(tmp_path / "x.sbgn") == []


def test_cli_format_sbgn(tmp_path, capsys):
    out = tmp_path / "g.sbgn"
    assert main(["graph", "--format", "sbgn", "--out", str(out)]) == 0
    assert sb.validate(out) == []
    capsys.readouterr()
    assert main(["graph", "--format", "sbgn", "--out", str(out)]) == 2          # exists
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err
    assert main(["graph", "--format", "sbgn", "--overlay", "fold:1", "--out",
                 str(tmp_path / "o.sbgn"), "--force"]) == 2
    assert "--overlay applies to diagrams (svg, pdf, png) only" in capsys.readouterr().err
    assert not (tmp_path / "o.sbgn").exists()
