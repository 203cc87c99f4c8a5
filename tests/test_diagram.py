"""The cascade diagram (pathways.diagram) and `pathways graph` (pathways.graph_cli)."""
import argparse
from pathlib import Path

import matplotlib.colors as mcolors
import pytest

import pathways

from pathways.diagram import MIN_FONT_PT, cascade, diagram, draw, label_boxes
from pathways.errors import PathwaysInputError

COMPOSED = "ketamine_synaptogenesis"
BIOMODEL = Path(__file__).resolve().parents[2] / "shared" / "biomodels" / "BIOMD0000000581.xml"


@pytest.fixture(scope="module")
def composed():
    return cascade(COMPOSED)


@pytest.fixture(scope="module")
def drawn(composed):
    fig, info = draw(graph=composed, title="ketamine", width_mm=85)
    yield fig, info
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_labels_do_not_overlap_and_are_at_least_6pt_at_85mm(drawn):
    fig, info = drawn
    assert abs(fig.get_size_inches()[0] * 25.4 - 85) < 0.01
    boxes = label_boxes(fig)
    node_labels = {b["text"] for b in boxes if (b["gid"] or "").startswith("label-")}
    assert len(node_labels) == info["graph"].number_of_nodes()
    for b in boxes:
        assert b["fontsize"] >= MIN_FONT_PT, b
        x0, y0, x1, y1 = b["box"]
        assert -0.3 <= x0 < x1 <= 85.3 and y0 >= -0.3, b        # inside the figure
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            overlap = min(ax1, bx1) - max(ax0, bx0) > 0.05 and min(ay1, by1) - max(ay0, by0) > 0.05
            assert not overlap, (a["text"], b["text"])


def test_known_kinds_and_signed_edges(composed):
    g = composed
    kinds = {n: g.nodes[n]["kind"] for n in g}
    assert kinds["ketamine"] == "drug" and kinds["NMDAR_in"] == "receptor"
    assert kinds["Akt"] == "kinase" and kinds["eIF4E"] == "translation"
    assert kinds["symptom"] == "phenotype" and kinds["spines"] == "phenotype"
    assert g.edges["ketamine", "NMDAR_in"]["sign"] == -1          # inhibition bar
    assert g.edges["ketamine", "NMDAR_py"]["sign"] == -1
    # TrkB -> Akt through PI3K (PI3K is its own node in the model): arrows all the way
    assert g.edges["TrkB", "PI3K"]["sign"] == 1 and g.edges["PI3K", "Akt"]["sign"] == 1
    # mTORC1 phosphorylates 4E-BP (inactivating it), 4E-BP sequesters eIF4E
    e = g.edges["mTORC1", "4EBP"]
    assert e["sign"] == -1 and "mt_bp_phos" in e["reactions"]
    assert g.edges["4EBP", "eIF4E"]["sign"] == -1
    assert g.edges["glutamate", "AMPAR"]["sign"] == 1 and g.edges["AMPAR", "LVDCC"]["sign"] == 1
    assert g.edges["LVDCC", "BDNF"]["sign"] == 1 and g.edges["spines", "symptom"]["sign"] == -1
    # drawn top to bottom: drug above receptors above kinases above the symptom
    rank = {n: g.nodes[n]["rank"] for n in g}
    assert rank["ketamine"] < rank["NMDAR_in"] < rank["TrkB"] < rank["mTORC1"] < rank["symptom"]


def test_edges_are_drawn_with_their_heads(drawn):
    fig, info = drawn
    gids = {a.get_gid() for a in info["ax"].patches}
    assert {"edge-ketamine-NMDAR_in", "edge-mTORC1-4EBP", "edge-4EBP-eIF4E"} <= gids


def test_overlay_colours_up_and_down_and_knockout_grey(composed):
    fig, info = draw(graph=composed, overlay={"glutamate": 1.6, "GABA": 0.5, "p4EBP_rel": 2.0},
                     knocked_out=["mTORC1"])
    up = mcolors.to_rgb(info["patches"]["glutamate"].get_facecolor())
    down = mcolors.to_rgb(info["patches"]["GABA"].get_facecolor())
    assert up[0] > up[2] and down[2] > down[0]                    # red vs blue
    assert info["values"]["4EBP"] == pytest.approx(0.5)          # inactive form inverted
    r, g_, b = mcolors.to_rgb(info["patches"]["mTORC1"].get_facecolor())
    assert r == g_ == b and 0.5 < r < 0.9                          # grey
    assert info["fits"]
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_every_perturbation_target_can_be_drawn_knocked_out(composed):
    import matplotlib.pyplot as plt
    from pathways.perturbations import TARGETS
    fig, info = draw(graph=composed, knocked_out=[pathways.knockout(t) for t in TARGETS])
    assert {"mTORC1", "LVDCC", "eEF2K"} <= info["knocked_out"]
    assert ("NMDAR_py", "eEF2K") in info["knocked_out"]          # a link: its edge, not a node
    edge = next(a for a in info["ax"].patches if a.get_gid() == "edge-NMDAR_py-eEF2K")
    assert edge.get_linestyle() != "-"
    plt.close(fig)


@pytest.mark.parametrize("perturbation", [pathways.overexpress("Akt", 3.0),
                                          pathways.inhibit("Akt", 0.5)])
def test_knocked_out_refuses_a_perturbation_that_is_not_a_knockout(composed, perturbation):
    with pytest.raises(PathwaysInputError, match="knocked_out takes knockouts \\(factor 0\\); "
                                                 ".*Akt.* scales Akt_scale by"):
        draw(graph=composed, knocked_out=[perturbation])


def test_cell_specific_nmdar_knockouts_grey_what_they_remove(composed):
    """NMDAR_in is the whole interneuron NMDAR node; NMDAR_py_rest removes only the resting
    activity that drives eEF2K, so the pyramidal node (whose synaptic NMDARs still drive the
    burst) stays and the NMDAR_py -> eEF2K edge is greyed."""
    _, info = draw(graph=composed, knocked_out=[pathways.knockout("NMDAR_in")])
    assert info["knocked_out"] == {"NMDAR_in"}
    _, info = draw(graph=composed, knocked_out=[pathways.knockout("NMDAR_py_rest")])
    assert info["knocked_out"] == {("NMDAR_py", "eEF2K")}


def test_unknown_knockout_lists_each_valid_name_once(composed):
    with pytest.raises(PathwaysInputError) as excinfo:
        draw(graph=composed, knocked_out=["no_such_node"])
    valid = str(excinfo.value).split("valid: ")[1].split(", ")
    assert len(valid) == len(set(valid)) and "NMDAR_eEF2K" in valid


def test_bad_inputs(tmp_path, composed):
    with pytest.raises(PathwaysInputError, match=r"unknown diagram file suffix '\.jpg'; "
                                                 r"valid: \.pdf, \.png, \.svg"):
        diagram(COMPOSED, tmp_path / "x.jpg")
    with pytest.raises(PathwaysInputError, match="unknown knocked_out node 'no_such_node'; "
                                                 "valid: .*NMDAR"):
        draw(graph=composed, knocked_out=["no_such_node"])
    with pytest.raises(PathwaysInputError, match=r"overlay: no key names a node or a member "
                                                 r"of one \(nothing_here\); nodes: "):
        draw(graph=composed, overlay={"nothing_here": 2.0})


@pytest.mark.skipif(not BIOMODEL.exists(), reason="BioModels file not available")
def test_biomodels_file_draws(tmp_path):
    out = diagram(BIOMODEL, tmp_path / "bm.svg", title="BIOMD0000000581")
    text = out.read_text(encoding="utf-8")
    assert "<text" in text and "Akt" in text                     # text stays text
    g = cascade(BIOMODEL)
    assert 5 < g.number_of_nodes() < 28                           # condensed by identity URI
    assert any(d["sign"] in (1, -1) for *_, d in g.edges(data=True))


def _cli(argv):
    from pathways.graph_cli import add_parser
    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers())
    args = p.parse_args(["graph", *argv])
    return args.func(args)


def test_cli_writes_graphml_json_svg_and_refuses_overwrite(tmp_path):
    import json

    import networkx as nx
    gml, js, svg = tmp_path / "g.graphml", tmp_path / "g.json", tmp_path / "d.svg"
    assert _cli(["--model", "mtorc1_4ebp", "--signed", "--format", "graphml",
                 "--out", str(gml)]) == 0
    assert nx.read_graphml(gml).number_of_edges() > 0
    assert _cli(["--model", "mtorc1_4ebp", "--format", "json", "--out", str(js)]) == 0
    assert json.loads(js.read_text())["elements"]["nodes"]
    assert _cli(["--format", "svg", "--overlay", "fold:1", "--out", str(svg)]) == 0
    assert "<svg" in svg.read_text(encoding="utf-8")
    with pytest.raises(PathwaysInputError, match="--force"):
        _cli(["--format", "svg", "--out", str(svg)])
    assert _cli(["--format", "svg", "--out", str(svg), "--force"]) == 0
    with pytest.raises(PathwaysInputError, match="unknown --format 'gif'; valid: graphml"):
        _cli(["--format", "gif", "--out", str(tmp_path / "x.gif")])
    with pytest.raises(PathwaysInputError, match="needs a number of hours, got 'x'"):
        _cli(["--format", "svg", "--overlay", "fold:x", "--out", str(tmp_path / "y.svg")])


def test_sensitivity_indices_colour_the_nodes_of_their_parameters(tmp_path):
    import pandas as pd

    from pathways.diagram import sensitivity_overlay
    indices = pd.DataFrame({"output": ["y"] * 3,
                            "parameter": ["mt_kcat_Akt_TSC2", "k_rel_reg", "no_such_param"],
                            "ST": [0.6, 0.3, 0.9]})
    values = sensitivity_overlay("ketamine_synaptogenesis", indices)
    g = cascade("ketamine_synaptogenesis")
    node_of = {m: n for n in g for m in g.nodes[n]["members"]}
    assert values[node_of["mt_pTSC"]] == pytest.approx(0.6)   # Akt phosphorylates TSC2
    assert values[node_of["BDNF_pool"]] == pytest.approx(0.3)  # regulated BDNF release
    assert set(values.values()) <= {0.6, 0.3}                  # unknown parameters ignored
    with pytest.raises(PathwaysInputError, match="need the columns 'parameter' and 'ST'"):
        sensitivity_overlay("ketamine_synaptogenesis", pd.DataFrame({"x": [1]}))


def test_dollar_signs_in_names_are_drawn_literally(tmp_path):
    """Species names are text, not matplotlib mathtext: "$x$" stays "$x$" and a lone "$" does
    not break the drawing."""
    import antimony

    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString('''
        model dollars
          compartment c = 1
          species A in c, B in c, C in c
          A = 1; B = 0; C = 1; k = 0.1
          A is "cost $5 pool"; B is "$x$ made"
          J1: A -> B; k*A*C
        end''') >= 0
    sbml = tmp_path / "dollars.xml"
    sbml.write_text(antimony.getSBMLString("dollars"), encoding="utf-8")
    fig, _ = draw(sbml, title="a $title$")
    texts = {b["text"] for b in label_boxes(fig)}
    import matplotlib.pyplot as plt
    plt.close(fig)
    assert {"cost $5 pool", "$x$ made", "a $title$"} <= texts
    svg = diagram(sbml, tmp_path / "dollars.svg", title="a $title$").read_text(encoding="utf-8")
    import re
    svg_texts = set(re.findall(r"<text [^>]*>([^<]*)</text>", svg))   # not the <!-- comments -->
    assert {"cost $5 pool", "$x$ made", "a $title$"} <= svg_texts


@pytest.mark.skipif(not (BIOMODEL.parent / "BIOMD0000000823.xml").exists(),
                    reason="BioModels copies not available")
def test_a_foreign_kinase_that_also_binds_an_inhibitor_draws_a_plain_activation():
    """BIOMD0000000823: pAkt catalyses mTORC1 -> pmTORC1 (v7) and pIR mTORC2 -> pmTORC2 (v9).
    The free mTORC1/mTORC2 also bind DEPTOR, but being used up is not signalling: the
    phosphorylated forms are the representatives, and the edges are plain activations."""
    g = cascade(BIOMODEL.parent / "BIOMD0000000823.xml")
    for u, v in (("Akt+", "mTORC1+"), ("IR+", "mTORC2+")):
        assert g.edges[u, v]["sign"] == 1 and not g.edges[u, v]["ambiguous"], (u, v)


def test_a_catalyst_written_as_reactant_and_product_is_not_used_up():
    """Foreign models often write a kinase on both sides (Tp + X -> Tp + Xp). Its net
    stoichiometry is 0, so it signals: Tp, not the free T that is used up binding D, is
    T's representative, and A (which phosphorylates T) draws a plain activation. Counting
    every reactant as used up made T and Tp both representatives and the edge ambiguous."""
    import antimony

    src = """
    model catalyst
      compartment c = 1
      species A in c = 1, T in c = 1, Tp in c = 0, X in c = 1, Xp in c = 0
      species D in c = 1, TD in c = 0
      J1: T -> Tp; k1*A*T
      J2: Tp -> T; k2*Tp
      J3: Tp + X -> Tp + Xp; k3*Tp*X
      J4: Xp -> X; k4*Xp
      J5: T + D -> TD; k5*T*D
      J6: TD -> T + D; k6*TD
      k1 = 1; k2 = 1; k3 = 1; k4 = 1; k5 = 1; k6 = 1
      A identity "http://identifiers.org/uniprot/P31749"
      T identity "http://identifiers.org/uniprot/P42345"
      Tp identity "http://identifiers.org/uniprot/P42345"
      X identity "http://identifiers.org/uniprot/P23443"
      Xp identity "http://identifiers.org/uniprot/P23443"
      D identity "http://identifiers.org/uniprot/Q8TB45"
      TD hasPart "http://identifiers.org/uniprot/P42345", "http://identifiers.org/uniprot/Q8TB45"
    end
    """
    assert antimony.loadAntimonyString(src) >= 0, antimony.getLastError()
    g = cascade(antimony.getSBMLString("catalyst"))
    assert g.nodes["T+"]["representative"] == ["Tp"]
    assert g.edges["A", "T+"]["sign"] == 1 and not g.edges["A", "T+"]["ambiguous"]


def test_a_wrapped_title_keeps_the_line_breaks_it_was_given():
    import matplotlib.pyplot as plt

    from pathways.diagram.render import _wrap_to_width
    fig = plt.figure()
    wrapped = _wrap_to_width(fig, "Panel A\nketamine and mTORC1 signalling in the rat cortex",
                             8, 40)
    plt.close(fig)
    lines = wrapped.split("\n")
    assert lines[0] == "Panel A" and len(lines) >= 3
    assert " ".join(lines[1:]).split() == "ketamine and mTORC1 signalling in the rat cortex".split()


@pytest.mark.parametrize("kwargs, message", [
    ({"title": 5}, "title must be text or None, got int"),
    ({"width_mm": "80"}, "width_mm must be a number of mm in [40, 500], got '80'"),
    ({"overlay_range": (2, 1)}, "overlay_range must be finite with low < high, got (2, 1)"),
    ({"overlay_range": (float("nan"), 1)}, "overlay_range must be finite with low < high"),
    ({"overlay_range": (0, 2)}, "overlay_range on the fold (log) scale must be > 0"),
    ({"overlay_range": "ab"}, "overlay_range must be two numbers (low, high)"),
    ({"overlay_center": float("nan"), "overlay_scale": "linear"},
     "overlay_center must be a finite number"),
])
def test_diagram_arguments_are_checked_before_drawing(kwargs, message, tmp_path):
    from pathways.diagram import diagram
    with pytest.raises(PathwaysInputError) as err:
        diagram("ketamine_pk", tmp_path / "d.svg", **kwargs)
    assert message in str(err.value)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("path, message", [
    (None, "diagram file must be a file name (str or Path), got NoneType"),
    ("", "diagram file is empty"),
    (".", "is a folder"),
])
def test_diagram_output_path_errors_name_the_path(path, message, tmp_path, monkeypatch):
    from pathways.diagram import diagram
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PathwaysInputError) as err:
        diagram("ketamine_pk", path)
    assert message in str(err.value)
