"""Publication diagrams of a model: the signalling cascade from drug to symptom, one node per
biological entity, with signed edges, optional data overlay and knocked-out nodes.

``diagram(model_or_sbml, path, *, overlay=None, knocked_out=(), title=None, width_mm=85,
signed=True)`` writes SVG, PDF or PNG (from the suffix of `path`) and returns the path.
``draw(...)`` does the same into a matplotlib figure (or a given axes) and returns
``(fig, info)``; ``cascade(...)`` returns the condensed graph that is drawn;
``label_boxes(fig)`` returns every text box of a drawn diagram (for tests and reviewers);
``node_fold_changes(model, regimen, times_h)`` returns the fold change of each node's
active form, the usual overlay.

**Why matplotlib and no Graphviz.** pathways installs with pip alone. pygraphviz and pydot
need the system Graphviz libraries or the ``dot`` binary, which pip cannot install (and
which CI images, Windows users and locked-down clusters often lack). A layered
(Sugiyama-style) layout is small enough to write in matplotlib, which we already depend on,
and drawing the text ourselves lets us measure every label box after drawing
(``text.get_window_extent``) and prove that no two labels overlap at journal size.

**Condensation (one node per entity).** Species are grouped into entities:

* for the shipped models (model id in `pathways.list_models()`), by the table `ENTITY_RULES`
  (species- and rule-id prefixes → entity). Each member has an *activity*: +1 for the active
  form (phospho-Akt, Rheb-GTP, free eIF4E, hypophosphorylated 4E-BP, unblocked NMDAR),
  -1 for the inactive or blocked form (unphosphorylated Akt, drug-blocked NMDAR, p-4E-BP),
  0 for forms that carry no sign (internalised TrkB). A few rule-defined quantities are
  entities or members too (AMPAR activation, L-VDCC Ca²⁺ entry, eEF2K activity,
  GABA-A receptor drive, translation rate, the readouts symptom, dissociation and SBP).
  The rule-defined members that carry a signal on (``HUBS``) are kept as nodes of the
  interaction graph instead of being substituted (their assignment rule is turned into a
  rate rule ``d(x)/dt = f`` in a copy of the document, so `interaction_graph` treats them as
  state), so glutamate → AMPAR → L-VDCC → BDNF appears as a chain, not as glutamate → BDNF;
* for any other SBML, by identity annotation: species whose ``bqbiol:is`` URIs (else
  ``hasPart`` for complexes, else ``isVersionOf``) are the same set form one entity
  (e.g. the free, phosphorylated and bound states of one protein); species without such
  URIs stay single nodes. Every member then has activity +1, and the representative
  members are those that act on another entity (e.g. the phosphorylated receptor, not the
  unbound one), so an edge's sign is read on the form that signals on.

**Edges** come from `pathways.interaction_graph` (signs from the kinetics, never names). A
species-level edge s→t between members of different entities contributes
``sign × activity(s) × activity(t)``; when the source acts on the target's representative
(active) member, only those contributions decide, otherwise all do; opposite signs give an
ambiguous edge (drawn dashed with an open diamond). Activation is an arrow →, inhibition a
bar ⊣. For the shipped models the signs are taken at two physiological states (the drug-free
steady state and 1 h after 0.5 mg/kg IV over 40 min, human), not at the SBML initial values.
Simplifications (each listed in ``g.graph["dropped"]``): (1) the reverse of a drawn edge
(u→v drawn, v→u is the back-flux of binding/unbinding or sequestration, e.g. TrkB → BDNF) is
not drawn; (2) an edge u→v is not drawn when a drawn path u→…→v of the same overall sign
exists through one intermediate node that is not a drug (signed transitive reduction:
mTORC1 → eIF4E is mTORC1 ⊣ 4E-BP ⊣ eIF4E); (3) other
back edges (feedback that goes up the layers) are drawn only with ``feedback=True``.
``signed=False`` draws every edge as a plain arrow and adds the structural reactant →
product / modifier → product edges of `pathways.graph` (useful for models without kinetics).

**Layers (top to bottom).** Shipped models: each entity's band is the component that
declares its first member (`pathways.sources.declared_ids`), ketamine_pk → PK, nmda_blockade
→ receptors & transmission, bdnf_trkb → BDNF–TrkB, mtorc1_4ebp → kinases, synaptogenesis →
structure, with the overrides in `BAND_OVERRIDES` (4E-BP, eIF4E and translation → translation;
symptom, dissociation, SBP → readouts). Components are composed in causal order, so a band
never feeds an earlier one. Inside a band the row is the longest-path depth, so a chain
(TrkB → PI3K → Akt → TSC2 → Rheb → mTORC1) runs downwards; a readout sits one row below its
lowest input (SBP next to the PK rows, the symptom at the bottom). Other SBML: longest-path
depth on the condensed graph after breaking cycles (greedy Eades–Lin–Smyth; ties by SBML
declaration order, which usually follows the cascade). Nodes are ordered within a row by
barycentre sweeps over dummy nodes of long edges (crossing count kept minimal over 24
sweeps), then placed by isotonic regression towards the mean x of their neighbours.

**Text.** Fonts start at 7 pt and never go below 6 pt at the requested width. After drawing,
the window extents of all texts are compared; on an overlap the rows are spaced further,
the font shrinks (to 6 pt) and long labels wrap, then the check repeats. A row too wide for
`width_mm` even at 6 pt with wrapped labels (very large foreign models) widens the figure
with a warning rather than overlap labels; ``info["width_mm"]`` says the final width.

**Overlay.** ``overlay`` is a mapping (or pandas Series) {key: value}; a key is a node id
(see ``cascade(m).nodes``), or a member id (species, readout, rule variable) of a node. A
value given for an inactive member (activity -1, e.g. ``p4EBP_rel`` for the 4E-BP node) is
inverted (1/x for fold changes, -x otherwise) so that colour always means the activity of
the entity; node ids or `node_fold_changes` avoid this. ``overlay_scale="fold"`` (default)
colours log2(value) with a diverging map centred on 1; ``"linear"`` colours value with a map
centred on ``overlay_center`` (0), e.g. sensitivity indices given as {node or member id:
index} (a DataFrame with a parameter column is not accepted: reduce it to one value per node
first). Nodes without a value are white, as are those whose value is not finite or, on
the fold scale, not > 0 (a fold of a quantity that was 0 has no log). ``knocked_out`` (node ids, member ids, perturbation
targets such as "mTORC1" or "EIF4EBP", or `pathways.knockout(...)` objects) draws nodes grey
with a dashed border; a target that is a link (``NMDAR_eEF2K``) draws its edge grey and dotted.
"""
from __future__ import annotations

import math
import numbers
import os
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import PathwaysInputError, choices_message

FORMATS = ("svg", "pdf", "png")
MIN_FONT_PT = 6.0
START_FONT_PT = 7.0
PNG_DPI = 600

# ----------------------------------------------------------------------------- kinds
KINDS = {  # kind: (legend label, shape, face colour, edge colour) - Okabe-Ito hues, light fill
    "drug": ("drug", "ellipse", "#F6D9A6", "#B07000"),
    "messenger": ("transmitter / small molecule", "ellipse", "#E4E4E4", "#606060"),
    "receptor": ("receptor / channel", "rect", "#CDE7F6", "#2A7FB0"),
    "kinase": ("kinase", "round", "#C8EBDD", "#00795A"),
    "translation": ("translation factor", "round", "#F1D6E6", "#A5497F"),
    "protein": ("other protein", "round", "#F8F3BF", "#8A7E00"),
    "phenotype": ("phenotype / readout", "hexagon", "#F6CDB7", "#B14800"),
}
EDGE_COLOUR = "#303030"
KNOCKED_EDGE_LS = (0, (1.0, 1.2))   # dotted: a link that a perturbation cuts
GREY_FACE, GREY_EDGE, GREY_TEXT = "#BDBDBD", "#8C8C8C", "#595959"

# ----------------------------------------------------------------------------- shipped models
BANDS = ("PK", "receptors & transmission", "BDNF–TrkB", "kinases", "translation",
         "structure", "readouts")
COMPONENT_BANDS = {"ketamine_pk": "PK", "nmda_blockade": "receptors & transmission",
                   "bdnf_trkb": "BDNF–TrkB", "mtorc1_4ebp": "kinases",
                   "synaptogenesis": "structure"}
BAND_OVERRIDES = {"4EBP": "translation", "eIF4E": "translation", "translation": "translation",
                  "symptom": "readouts", "dissociation": "readouts", "SBP": "readouts"}


@dataclass(frozen=True)
class EntitySpec:
    """A node of the shipped models' cascade: id, label, kind, the id of its active form."""

    id: str
    label: str
    kind: str
    representative: tuple[str, ...] = ()


ENTITIES = {e.id: e for e in (
    EntitySpec("ketamine", "ketamine", "drug", ("ket_brain",)),
    EntitySpec("esketamine", "esketamine", "drug", ("esk_brain",)),
    EntitySpec("norketamine", "norketamine", "drug", ("nket_brain",)),
    EntitySpec("memantine", "memantine", "drug", ("mem_brain",)),
    EntitySpec("midazolam", "midazolam", "drug", ("mdz_brain",)),
    EntitySpec("SBP", "blood pressure", "phenotype", ("sbp_change_mmHg",)),
    EntitySpec("NMDAR_in", "NMDAR (interneuron)", "receptor", ("x_in",)),
    EntitySpec("NMDAR_py", "NMDAR (pyramidal)", "receptor", ("x_py_rest",)),
    EntitySpec("GABA", "GABA", "messenger", ("gaba_ext",)),
    EntitySpec("GABAAR", "GABA-A R", "receptor", ("gaba_inhibition",)),
    EntitySpec("glutamate", "glutamate", "messenger", ("glutamate",)),
    EntitySpec("AMPAR", "AMPAR", "receptor", ("AMPAR_active",)),
    EntitySpec("LVDCC", "L-VDCC", "receptor", ("LVDCC_Ca",)),
    EntitySpec("eEF2K", "eEF2K", "kinase", ("eEF2K_act",)),
    EntitySpec("eEF2", "eEF2", "translation", ("eEF2_dephos",)),
    EntitySpec("dissociation", "dissociation", "phenotype", ("dissociation_score",)),
    EntitySpec("BDNF", "BDNF", "protein", ("BDNF_ext",)),
    EntitySpec("TrkB", "TrkB", "receptor", ("TrkB_active",)),
    EntitySpec("PI3K", "PI3K", "kinase", ("mt_PI3K_a",)),
    EntitySpec("Akt", "Akt", "kinase", ("pAkt",)),
    EntitySpec("MEK", "MEK", "kinase", ("mt_pMEK",)),
    EntitySpec("ERK", "ERK", "kinase", ("pERK",)),
    EntitySpec("GSK3B", "GSK3β", "kinase", ("mt_GSK3",)),
    EntitySpec("TSC2", "TSC1/2", "protein", ("mt_TSC",)),
    EntitySpec("Rheb", "Rheb", "protein", ("mt_RhebGTP",)),
    EntitySpec("mTORC1", "mTORC1", "kinase", ("mt_mTORC1_Rheb",)),
    EntitySpec("S6K", "S6K1", "kinase", ("pS6K",)),
    EntitySpec("4EBP", "4E-BP", "translation", ("mt_4EBP",)),
    EntitySpec("eIF4E", "eIF4E", "translation", ("eIF4E_free",)),
    EntitySpec("translation", "translation", "translation", ("syn_translation",)),
    EntitySpec("synaptic_proteins", "synaptic proteins", "protein", ("synaptic_proteins",)),
    EntitySpec("spines", "spines", "phenotype", ("syn_spines",)),
    EntitySpec("symptom", "symptom score", "phenotype", ("symptom_score",)),
)}

ENTITY_RULES: tuple[tuple[str, str | None, int], ...] = (
    # (id, or prefix ending in "*"; entity (None = not drawn); activity). First match wins.
    ("ket_eliminated", None, 0), ("ket_presystemic", None, 0), ("esk_eliminated", None, 0),
    ("esk_presystemic", None, 0), ("nket_eliminated", None, 0), ("mem_eliminated", None, 0),
    ("mem_presystemic", None, 0), ("mdz_eliminated", None, 0), ("mdz_presystemic", None, 0),
    ("ketamine_plasma", None, 0), ("ketamine_brain", None, 0),        # ket + esk mixed
    ("ketamine_brain_tissue", None, 0),
    ("ket_*", "ketamine", 1), ("esk_*", "esketamine", 1), ("nket_*", "norketamine", 1),
    ("norketamine_plasma", "norketamine", 1), ("mem_*", "memantine", 1),
    ("mdz_*", "midazolam", 1),
    ("sbp_*", "SBP", 1),
    ("nmdaB_in_*", "NMDAR_in", -1), ("nmdaS_in_*", "NMDAR_in", -1),
    ("NMDAR_in_free", "NMDAR_in", 1), ("x_in", "NMDAR_in", 1),
    ("pore_in_frac", "NMDAR_in", -1), ("nmda_block_interneuron", "NMDAR_in", -1),
    ("nmdaB_py_*", "NMDAR_py", -1), ("nmdaS_py_*", "NMDAR_py", -1),
    ("NMDAR_py_free", "NMDAR_py", 1), ("x_py_syn", "NMDAR_py", 1),
    ("x_py_rest", "NMDAR_py", 1), ("pore_py_frac", "NMDAR_py", -1),
    ("nmda_block_pyramidal", "NMDAR_py", -1),
    ("gaba_ext", "GABA", 1), ("interneuron_activity*", "GABA", 1),
    ("GABAAR_potentiation", "GABAAR", 1), ("gaba_inhibition", "GABAAR", 1),
    ("glutamate*", "glutamate", 1), ("pyramidal_activity*", "glutamate", 1),
    ("AMPAR_active", "AMPAR", 1), ("LVDCC_Ca", "LVDCC", 1), ("eEF2K_act", "eEF2K", 1),
    ("eEF2_dephos", "eEF2", 1), ("peEF2*", "eEF2", -1),
    ("dissociation_score", "dissociation", 1),
    ("BDNF_pool", "BDNF", 1), ("BDNF_ext", "BDNF", 1), ("BDNF_total", "BDNF", 1),
    ("BDNF_rel", "BDNF", 1),
    ("BDNF_TrkB", "TrkB", 1), ("TrkB_active*", "TrkB", 1), ("TrkB_int", "TrkB", 0),
    ("mt_PI3K_a", "PI3K", 1), ("mt_PI3K", "PI3K", -1),
    ("pAkt*", "Akt", 1), ("mt_Akt", "Akt", -1),
    ("mt_pMEK", "MEK", 1), ("mt_MEK", "MEK", -1),
    ("pERK*", "ERK", 1), ("mt_ERK", "ERK", -1),
    ("mt_GSK3", "GSK3B", 1), ("GSK3B_active", "GSK3B", 1), ("mt_pGSK3", "GSK3B", -1),
    ("mt_TSC", "TSC2", 1), ("mt_pTSC", "TSC2", -1),
    ("mt_RhebGTP", "Rheb", 1), ("mt_RhebGDP", "Rheb", -1),
    ("mt_mTORC1_Rheb", "mTORC1", 1), ("mTORC1_cat", "mTORC1", 1),
    ("mTORC1_active_rel", "mTORC1", 1), ("mt_mTORC1", "mTORC1", -1),
    ("pS6K*", "S6K", 1), ("mt_S6K", "S6K", -1),
    ("mt_4EBP_eIF4E", "eIF4E", -1),              # eIF4E sequestered by 4E-BP
    ("mt_4EBP", "4EBP", 1), ("p4EBP*", "4EBP", -1),
    ("eIF4E_free", "eIF4E", 1), ("syn_eIF4F", "eIF4E", 1),
    ("syn_translation", "translation", 1),
    ("syn_P_new", "synaptic_proteins", 1), ("syn_SP_stable", "synaptic_proteins", 1),
    ("synaptic_proteins*", "synaptic_proteins", 1),
    ("syn_spine_*", "spines", 1), ("syn_spines", "spines", 1),
    ("spine_density_rel", "spines", 1),
    ("symptom_*", "symptom", 1),
)
HUBS = ("x_in", "x_py_syn", "x_py_rest", "GABAAR_potentiation", "gaba_inhibition",
        "AMPAR_active", "LVDCC_Ca", "eEF2K_act", "syn_translation")
"""Rule variables kept as nodes of the interaction graph (they carry the signal on)."""

FOLD_QUANTITIES = {
    # node: ids whose sum is the node's active form (its fold change is the overlay value)
    "NMDAR_in": ("x_in",), "NMDAR_py": ("x_py_rest",), "GABA": ("gaba_ext",),
    "GABAAR": ("gaba_inhibition",), "glutamate": ("glutamate",), "AMPAR": ("AMPAR_active",),
    "LVDCC": ("LVDCC_Ca",), "eEF2K": ("eEF2K_act",), "eEF2": ("eEF2_dephos",),
    "BDNF": ("BDNF_total",), "TrkB": ("TrkB_active",), "PI3K": ("mt_PI3K_a",),
    "Akt": ("pAkt",), "MEK": ("mt_pMEK",), "ERK": ("pERK",), "GSK3B": ("mt_GSK3",),
    "TSC2": ("mt_TSC",), "Rheb": ("mt_RhebGTP",), "mTORC1": ("mt_mTORC1_Rheb",),
    "S6K": ("pS6K",), "4EBP": ("mt_4EBP", "mt_4EBP_eIF4E"), "eIF4E": ("eIF4E_free",),
    "translation": ("syn_translation",), "synaptic_proteins": ("synaptic_proteins",),
    "spines": ("syn_spines",), "symptom": ("symptom_score",),
}
"""What `node_fold_changes` measures for each node (drugs, dissociation and SBP are 0 before
the dose, so they have no fold change)."""

TARGET_NODES = {"NMDAR": ("NMDAR_in", "NMDAR_py"), "GABAAR": ("GABAAR",), "AMPAR": ("AMPAR",),
                "LVDCC": ("LVDCC",), "eEF2K": ("eEF2K",), "BDNF": ("BDNF",),
                "BDNF_release": ("BDNF",), "TrkB": ("TrkB",), "PI3K": ("PI3K",),
                "Akt": ("Akt",), "ERK": ("ERK",), "TSC2": ("TSC2",), "Rheb": ("Rheb",),
                "mTORC1": ("mTORC1",), "EIF4EBP": ("4EBP",), "eIF4E": ("eIF4E",),
                "S6K": ("S6K",), "GSK3B": ("GSK3B",), "protein_synthesis": ("translation",)}
"""Perturbation targets (`pathways.perturbations.TARGETS`) → nodes, for ``knocked_out``."""
TARGET_EDGES = {"NMDAR_eEF2K": (("NMDAR_py", "eEF2K"),)}
"""Perturbation targets that are links, not entities → the edges they cut, for ``knocked_out``."""

SIGN_STATE_REGIMEN = (0.5, 40.0, 1.0)   # mg/kg, infusion minutes, time (h) of the 2nd state


def _entity_rule(xid: str):
    for pattern, entity, activity in ENTITY_RULES:
        if pattern.endswith("*") and xid.startswith(pattern[:-1]) or xid == pattern:
            return entity, activity
    return None


# ----------------------------------------------------------------------------- condensation

def _document(model_or_sbml):
    from .graph import _as_document
    return _as_document(model_or_sbml)


def _is_ours(doc) -> bool:
    from .sources import model_names
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
    """Two physiological states for the signs of a shipped model (see the module docstring):
    the drug-free steady state and 1 h after 0.5 mg/kg IV over 40 min. None if unavailable."""
    from .model import Model, load
    from .regimen import Regimen

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
    from .sources import COMPONENTS, declared_ids, read_body, strip_inputs
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
        rule = _entity_rule(xid)
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
    """Return the condensed cascade that `diagram` draws (see the module docstring).

    Nodes: ``label``, ``kind``, ``band`` (shipped models; None otherwise), ``rank`` (row, 0 =
    top), ``order`` (declaration order), ``members`` {id: activity}, ``representative``.
    Edges: ``sign`` (+1, -1, 0 = ambiguous, None when unsigned), ``ambiguous``,
    ``contributions`` (species-level (source, target, sign, via) behind the edge),
    ``reactions``, ``feedback`` (True for drawn back edges). ``g.graph["dropped"]`` lists
    the edges not drawn, with the reason. `hide` leaves nodes out (node or member ids), e.g.
    the drugs a figure does not dose.
    """
    from .graph import graph as bipartite
    from .graph import interaction_graph

    doc, source = _document(model_or_sbml)
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


# ----------------------------------------------------------------------------- layout

def _order_rows(g: nx.DiGraph):
    """Rows (lists of node ids, with dummy nodes for long edges) and the edge chains."""
    rows: dict[int, list] = {}
    chains = {}
    succ: dict = {}
    pred: dict = {}
    for n in sorted(g, key=lambda n: g.nodes[n]["order"]):
        rows.setdefault(g.nodes[n]["rank"], []).append(n)
    for u, v, data in g.edges(data=True):
        if data.get("feedback"):
            continue
        ru, rv = g.nodes[u]["rank"], g.nodes[v]["rank"]
        chain = [u]
        for r in range(ru + 1, rv):
            d = ("dummy", u, v, r)
            rows.setdefault(r, []).append(d)
            chain.append(d)
        chain.append(v)
        chains[u, v] = chain
        for a, b in zip(chain, chain[1:]):
            succ.setdefault(a, []).append(b)
            pred.setdefault(b, []).append(a)
    nrows = max(rows) + 1 if rows else 0
    layers = [rows.get(r, []) for r in range(nrows)]

    def pair_crossings(upper, lower):
        pos = {n: i for i, n in enumerate(lower)}
        seq = [pos[w] for i, n in enumerate(upper) for w in sorted(
            (w for w in succ.get(n, ()) if w in pos), key=pos.get)]
        return _inversions(seq)

    def crossings(ls):
        return sum(pair_crossings(a, b) for a, b in zip(ls, ls[1:]))

    best, best_c = [list(x) for x in layers], crossings(layers)
    sweeps = 24 if len(chains) < 400 else 8
    for it in range(sweeps):
        down = it % 2 == 0
        seq = range(1, nrows) if down else range(nrows - 2, -1, -1)
        for r in seq:
            ref = {n: i for i, n in enumerate(layers[r - 1 if down else r + 1])}
            nbrs = pred if down else succ

            def key(item):
                i, n = item
                xs = [ref[m] for m in nbrs.get(n, ()) if m in ref]
                return (sum(xs) / len(xs) if xs else i, i)
            layers[r] = [n for _, n in sorted(enumerate(layers[r]), key=key)]
        c = crossings(layers)
        if c < best_c:
            best, best_c = [list(x) for x in layers], c
    # sinks (readouts) go to the end of their row when that adds no crossing: edges then
    # pass beside them instead of around them
    for r, row in enumerate(best):
        if len(row) > 40:
            continue

        def local(rw, r=r):
            c = pair_crossings(best[r - 1], rw) if r > 0 else 0
            return c + (pair_crossings(rw, best[r + 1]) if r + 1 < len(best) else 0)
        for n in [n for n in row if not isinstance(n, tuple) and not succ.get(n)]:
            base = local(row)
            for where in (len(row) - 1, 0):
                trial = [m for m in row if m != n]
                trial.insert(where, n)
                if local(trial) <= base:
                    best[r] = row = trial
                    break
    best_c = crossings(best)
    return best, chains, succ, pred, best_c


def _inversions(seq) -> int:
    """Number of pairs i < j with seq[i] > seq[j] (merge sort, O(n log n))."""
    if len(seq) < 2:
        return 0
    mid = len(seq) // 2
    a, b = seq[:mid], seq[mid:]
    count = _inversions(a) + _inversions(b)
    a.sort()
    b.sort()
    j = 0
    for v in a:                     # for each element of a, count elements of b below it
        while j < len(b) and b[j] < v:
            j += 1
        count += j
    return count


def _isotonic(targets, gaps, weights=None):
    """x minimising Σw(x-t)² with x[i+1]-x[i] ≥ gaps[i] (weighted pool adjacent violators)."""
    offs = [0.0]
    for gp in gaps:
        offs.append(offs[-1] + gp)
    y = [t - o for t, o in zip(targets, offs)]
    weights = weights or [1.0] * len(y)
    blocks = []                      # [mean, weight, count]
    for v, wt in zip(y, weights):
        blocks.append([v, wt, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out = []
    for m, _, c in blocks:
        out.extend([m] * c)
    return [v + o for v, o in zip(out, offs)]


def _x_positions(layers, widths, succ, pred, gap, dummy_w, chains):
    line = {}
    for chain in chains.values():
        k = len(chain) - 1
        for i, d in enumerate(chain[1:-1], 1):
            line[d] = (chain[0], chain[-1], i / k)

    def w(n):
        return dummy_w if isinstance(n, tuple) else widths[n]
    x = {}
    for row in layers:
        pos = 0.0
        for n in row:
            x[n] = pos + w(n) / 2
            pos += w(n) + gap
        shift = (pos - gap) / 2
        for n in row:
            x[n] -= shift

    def place(row, nbrs):
        if not row:
            return
        targets = []
        for n in row:
            if n in line:                 # a long edge: keep it straight
                a, b, f = line[n]
                targets.append(x[a] + (x[b] - x[a]) * f)
                continue
            xs = [x[m] for m in nbrs.get(n, ())]
            targets.append(sum(xs) / len(xs) if xs else x[n])
        gaps = [(w(a) + w(b)) / 2 + (gap if not (isinstance(a, tuple) and isinstance(b, tuple))
                                     else gap / 3)
                for a, b in zip(row, row[1:])]
        weights = [8.0 if n in line else 1.0 for n in row]   # long edges stay straight
        for n, v in zip(row, _isotonic(targets, gaps, weights)):
            x[n] = v
    for it in range(12):
        seq = layers[1:] if it % 2 == 0 else layers[-2::-1]
        for row in seq:
            place(row, pred if it % 2 == 0 else succ)
    for row in layers:             # final pass: both neighbour sides
        both = {n: pred.get(n, []) + succ.get(n, []) for n in row}
        place(row, both)
    return x


# ----------------------------------------------------------------------------- drawing

def _wrap(label: str, width: int = 12) -> str:
    if len(label) <= width or " " not in label:
        return label
    return "\n".join(textwrap.wrap(label, width=max(width, max(len(w) for w in label.split()))))


def _node_patch(shape, cx, cy, w, h, face, edge, lw, ls="-"):
    from matplotlib import patches
    if shape == "ellipse":
        return patches.Ellipse((cx, cy), w, h, fc=face, ec=edge, lw=lw, ls=ls)
    if shape == "hexagon":
        d = min(h / 2, w / 4)
        pts = [(cx - w / 2, cy), (cx - w / 2 + d, cy + h / 2), (cx + w / 2 - d, cy + h / 2),
               (cx + w / 2, cy), (cx + w / 2 - d, cy - h / 2), (cx - w / 2 + d, cy - h / 2)]
        return patches.Polygon(pts, closed=True, fc=face, ec=edge, lw=lw, ls=ls)
    style = "square,pad=0" if shape == "rect" else f"round,pad=0,rounding_size={h / 3:.3f}"
    return patches.FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle=style, fc=face,
                                  ec=edge, lw=lw, ls=ls)


def _curve(points):
    """A smooth path through points: vertical at both ends, Catmull-Rom tangents between."""
    from matplotlib.path import Path as MPath
    n = len(points)
    tangents = []
    for i, (px, py) in enumerate(points):
        if i == 0 or i == n - 1:
            j = 1 if i == 0 else n - 1
            dy = points[j][1] - points[j - 1][1]
            tangents.append((0.0, dy))
        else:
            (ax_, ay), (bx, by) = points[i - 1], points[i + 1]
            tangents.append(((bx - ax_) / 2, (by - ay) / 2))
    verts, codes = [points[0]], [MPath.MOVETO]
    for i in range(n - 1):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        (tx0, ty0), (tx1, ty1) = tangents[i], tangents[i + 1]
        k = 1 / 3 if 0 < i < n - 2 else 0.5 if n == 2 else 0.4
        verts += [(x0 + tx0 * k, y0 + ty0 * k), (x1 - tx1 * k, y1 - ty1 * k), (x1, y1)]
        codes += [MPath.CURVE4] * 3
    return MPath(verts, codes)


def _resolve_overlay(g, overlay, scale):
    if overlay is None:
        return {}
    try:
        items = dict(overlay.items())
    except AttributeError:
        raise PathwaysInputError("overlay must be a mapping or a pandas Series {node or "
                                 "species/readout id: value}") from None
    member_of = {m: (n, a) for n in g for m, a in g.nodes[n]["members"].items()}
    out, prio = {}, {}
    unknown = []
    for key, value in items.items():
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise PathwaysInputError(f"overlay value for {key!r} is not a number: "
                                     f"{value!r}") from None
        if not math.isfinite(value) or (scale == "fold" and value <= 0):
            continue          # undefined (e.g. fold of a quantity that was 0) - left white
        if key in g:
            node, p, inv = key, 0, False
        elif key in member_of:
            node, act = member_of[key]
            rep = key in g.nodes[node]["representative"]
            p, inv = (1 if rep else 2), act < 0
        else:
            unknown.append(str(key))
            continue
        if inv:
            value = 1.0 / value if scale == "fold" else -value
        if node not in prio or p < prio[node]:
            out[node], prio[node] = value, p
    if unknown and not out:
        raise PathwaysInputError(
            f"overlay: no key names a node or a member of one ({', '.join(unknown[:5])}); "
            f"nodes: {', '.join(sorted(map(str, g.nodes)))}")
    return out


def _check_overlay_range(overlay_range, scale) -> None:
    """None, or (low, high): finite numbers with low < high (both > 0 on the fold scale)."""
    if overlay_range is None:
        return
    try:
        low, high = (float(v) for v in overlay_range)
    except (TypeError, ValueError):
        raise PathwaysInputError(f"overlay_range must be two numbers (low, high), got "
                                 f"{overlay_range!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise PathwaysInputError(f"overlay_range must be finite with low < high, got "
                                 f"({low:g}, {high:g})")
    if scale == "fold" and low <= 0:
        raise PathwaysInputError(f"overlay_range on the fold (log) scale must be > 0, got "
                                 f"({low:g}, {high:g})")


def _resolve_knockouts(g, knocked_out):
    if isinstance(knocked_out, str) or hasattr(knocked_out, "factors"):
        knocked_out = [knocked_out]
    member_of = {m: n for n in g for m in g.nodes[n]["members"]}
    out = set()
    for k in knocked_out or ():
        if hasattr(k, "factors"):            # a pathways Perturbation
            partial = [(p, f) for p, f in k.factors if f != 0]
            if partial:
                raise PathwaysInputError(
                    f"knocked_out takes knockouts (factor 0); {k.describe()} scales "
                    f"{partial[0][0]} by {partial[0][1]:g}")
            names = [p[:-len("_scale")] for p, _ in k.factors if p.endswith("_scale")]
        else:
            names = [str(k)]
        for name in names:
            if name in g:
                out.add(name)
            elif name in member_of:
                out.add(member_of[name])
            elif name in TARGET_NODES and any(n in g for n in TARGET_NODES[name]):
                out |= {n for n in TARGET_NODES[name] if n in g}
            elif name in TARGET_EDGES and any(g.has_edge(*e) for e in TARGET_EDGES[name]):
                out |= {e for e in TARGET_EDGES[name] if g.has_edge(*e)}
            else:
                valid = set(map(str, g.nodes)) | {
                    t for t, ns in TARGET_NODES.items() if any(n in g for n in ns)} | {
                    t for t, es in TARGET_EDGES.items() if any(g.has_edge(*e) for e in es)}
                raise PathwaysInputError(choices_message("knocked_out node", name,
                                                         sorted(valid)))
    return out


def _luminance(rgb) -> float:
    r, gch, b = rgb[:3]
    return 0.2126 * r + 0.7152 * gch + 0.0722 * b


@dataclass
class _Params:
    font: float = START_FONT_PT
    wrap: int | None = None
    row_mm: float = 6.0
    gap_mm: float = 2.2


def draw(model_or_sbml=None, *, graph: nx.DiGraph | None = None, overlay=None,
         knocked_out=(), title=None, width_mm: float = 85.0, signed: bool = True,
         feedback: bool = False, overlay_scale: str = "fold", overlay_center: float = 0.0,
         overlay_range=None, overlay_label=None, legend: bool = True, hide=()):
    """Draw the cascade into a new figure; return ``(fig, info)``.

    `graph` (a `cascade()` result) skips the condensation. ``info`` holds ``graph``,
    ``patches`` and ``texts`` by node, ``colours`` (overlay face colour by node),
    ``knocked_out``, ``boxes`` (`label_boxes`), ``font_pt``, ``width_mm``, ``height_mm``,
    ``crossings`` and ``attempts`` (the spacing/font/wrap steps tried).
    """
    from .plotting import pyplot

    if overlay_scale not in ("fold", "linear"):
        raise PathwaysInputError(choices_message("overlay_scale", overlay_scale,
                                                 ("fold", "linear")))
    if isinstance(width_mm, bool) or not isinstance(width_mm, numbers.Real):
        raise PathwaysInputError(f"width_mm must be a number of mm in [40, 500], got "
                                 f"{width_mm!r}")
    width_mm = float(width_mm)
    if not (40.0 <= width_mm <= 500.0):
        raise PathwaysInputError(f"width_mm must be in [40, 500] mm, got {width_mm:g}")
    if title is not None and not isinstance(title, str):
        raise PathwaysInputError(f"title must be text or None, got {type(title).__name__}")
    if isinstance(overlay_center, bool) or not isinstance(overlay_center, numbers.Real) \
            or not math.isfinite(overlay_center):
        raise PathwaysInputError(f"overlay_center must be a finite number, got "
                                 f"{overlay_center!r}")
    _check_overlay_range(overlay_range, overlay_scale)
    g = graph if graph is not None else cascade(model_or_sbml, signed=signed,
                                                feedback=feedback, hide=hide)
    values = _resolve_overlay(g, overlay, overlay_scale)
    knocked = _resolve_knockouts(g, knocked_out)
    plt = pyplot()
    plt.rcParams["hatch.linewidth"] = 0.3
    order = _order_rows(g)          # independent of fonts: computed once
    attempts = []
    params = _Params()
    # escalation: a row too wide -> wrap, smaller font; overlapping texts -> more space first
    wide_steps = [("wrap", 12), ("font", 6.5), ("font", MIN_FONT_PT), ("wrap", 9)]
    overlap_steps = [("space", None), ("space", None), ("font", 6.5), ("wrap", 12),
                     ("font", MIN_FONT_PT), ("space", None)]
    fig = info = None
    tried: list = []
    for attempt in range(12):
        if info is not None:
            steps = wide_steps if not info["fits_width"] else overlap_steps
            if not info["fits_width"] and info["width_mm"] > 2 * width_mm:
                tried += wide_steps[:-1]      # hopeless at this width: go to the last step
                params.font = MIN_FONT_PT
            step = next((s for s in steps if s not in tried), None)
            if step is None:
                break
            tried.append(step)
            kind, arg = step
            if kind == "space":
                params.row_mm *= 1.2
                params.gap_mm *= 1.3
            elif kind == "font":
                params.font = max(arg, MIN_FONT_PT)
            else:
                params.wrap = arg
        if fig is not None:
            plt.close(fig)
        fig, info = _render(plt, g, order, params, values, knocked, title, width_mm,
                            overlay_scale, overlay_center, overlay_range, overlay_label,
                            legend)
        attempts.append(f"font {params.font:g} pt, wrap {params.wrap}, row {params.row_mm:.1f}"
                        f" mm: " + ("ok" if info["fits"] else "too wide" if not
                                    info["fits_width"] else f"{len(info['overlaps'])} overlaps"))
        if info["fits"]:
            break
    info["attempts"] = attempts
    if not info["fits"]:
        warnings.warn(f"diagram: labels could not be placed without overlap at "
                      f"{width_mm:g} mm; the figure is {info['width_mm']:.0f} mm wide",
                      stacklevel=2)
    return fig, info


def _measure(fig, text, size, weight="normal"):
    t = fig.text(0, 0, text, parse_math=False, fontsize=size, ha="center", va="center",
                 linespacing=1.0, fontweight=weight)
    bb = t.get_window_extent(renderer=fig.canvas.get_renderer())
    t.remove()
    return bb.width / fig.dpi * 25.4, bb.height / fig.dpi * 25.4


def _wrap_to_width(fig, text: str, size: float, width_mm: float) -> str:
    """Return `text` broken at spaces into lines that fit `width_mm` in bold at `size` pt
    (line breaks in `text` are kept; a single word wider than that keeps its own line)."""
    lines: list[str] = []
    for given in text.split("\n"):
        start = len(lines)
        for word in given.split():
            if len(lines) > start and _measure(fig, f"{lines[-1]} {word}", size,
                                               "bold")[0] <= width_mm:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        if len(lines) == start:
            lines.append("")
    return "\n".join(lines)


def _render(plt, g, order, p, values, knocked, title, width_mm, scale, center, vrange,
            vlabel, legend):
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    mm = 1 / 25.4
    fig = plt.figure(figsize=(width_mm * mm, 50 * mm))
    font = p.font
    labels = {n: (_wrap(g.nodes[n]["label"], p.wrap) if p.wrap else g.nodes[n]["label"])
              for n in g}
    sizes = {n: _measure(fig, labels[n], font) for n in g}
    pad_x, pad_y = 1.3, 0.9
    widths = {n: sizes[n][0] + 2 * pad_x for n in g}
    heights = {n: sizes[n][1] + 2 * pad_y for n in g}
    for n in g:
        shape = KINDS[g.nodes[n]["kind"]][1]
        if shape == "hexagon":
            widths[n] += heights[n] * 0.5
        elif shape == "ellipse":          # the text box must fit inside the ellipse
            widths[n] = sizes[n][0] * 1.25 + 2 * pad_x
            heights[n] = sizes[n][1] * 1.2 + 2 * pad_y
    layers, chains, succ, pred, ncross = order
    x = _x_positions(layers, widths, succ, pred, p.gap_mm, 0.6, chains)

    ours = g.graph.get("ours")
    band_w = 4.0 if ours else 0.0
    margin = 1.0
    left = margin + band_w
    if x:
        lo = min(x[n] - (0.3 if isinstance(n, tuple) else widths[n] / 2) for n in x)
        hi = max(x[n] + (0.3 if isinstance(n, tuple) else widths[n] / 2) for n in x)
    else:
        lo, hi = 0.0, 1.0
    span = hi - lo
    avail = width_mm - left - margin
    fits_width = span <= avail + 1e-6
    fig_w = width_mm if fits_width else span + left + margin
    offset = left + (avail - span) / 2 - lo if fits_width else left - lo
    for n in x:
        x[n] += offset

    # vertical: title, rows, legend, colour bar (mm from the top)
    row_h = max(p.row_mm, max(heights.values(), default=4) + 2.2)
    if title:                        # a long title wraps to the figure's width
        title = _wrap_to_width(fig, title, font + 0.5, 0.92 * (fig_w - 2 * margin))
    n_title = title.count("\n") + 1 if title else 0
    top = 2.0 + (font * 0.3528 * (1.6 + 1.15 * (n_title - 1)) + 1.5 if title else 0)
    nrows = len(layers)
    kinds_used = [k for k in KINDS if any(g.nodes[n]["kind"] == k for n in g)]
    edge_types = sorted({(d["sign"], bool(d.get("feedback"))) for *_, d in g.edges(data=True)},
                        key=lambda s: ({1: 0, None: 0, -1: 1, 0: 2}[s[0]], s[1]))
    extras = (int(bool(values) and any(n not in values and n not in knocked for n in g))
              + int(any(isinstance(k, str) for k in knocked))       # "knocked out" node row
              + int(any(isinstance(k, tuple) for k in knocked)))    # "link knocked out" row
    legend_rows = math.ceil(len(kinds_used) / 2) + math.ceil((len(edge_types) + extras) / 2)
    legend_h = (legend_rows * (font * 0.3528 + 1.8) + 1.5) if legend else 0
    cbar_h = 12.0 if values else 0
    height = top + nrows * row_h + legend_h + cbar_h + 1.5
    fig.set_size_inches(fig_w * mm, height * mm)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, fig_w)
    ax.set_ylim(0, height)
    ax.axis("off")

    def y_of(r):
        return height - top - (r + 0.5) * row_h

    y = {n: y_of(r) for r, row in enumerate(layers) for n in row}

    # bands
    if ours:
        spans: dict[str, list[int]] = {}
        for n in g:
            b = g.nodes[n]["band"]
            if b != "readouts":
                spans.setdefault(b, []).append(g.nodes[n]["rank"])
        shade = False
        for b in BANDS:
            if b not in spans:
                continue
            r0, r1 = min(spans[b]), max(spans[b])
            y1, y0 = y_of(r0) + row_h / 2, y_of(r1) - row_h / 2
            if shade:
                ax.add_patch(mpl.patches.Rectangle((margin, y0), fig_w - 2 * margin, y1 - y0,
                                                   fc="#F3F3F3", ec="none", zorder=0))
            shade = not shade
            text = b if (y1 - y0) > _measure(fig, b, font - 0.5)[0] + 1 else _wrap(b, 10)
            ax.text(margin + band_w / 2, (y0 + y1) / 2, text, parse_math=False, rotation=90,
                    ha="center", va="center", fontsize=max(font - 0.5, MIN_FONT_PT),
                    color="#505050", linespacing=1.0, gid="band")

    # overlay colours
    cmap = mpl.colormaps["RdBu_r"]
    norm = None
    colours = {}
    if values:
        if scale == "fold":
            logs = [math.log2(v) for v in values.values()]
            if vrange is not None:
                m = max(abs(math.log2(float(vrange[0]))), abs(math.log2(float(vrange[1]))))
            else:
                m = max(max(abs(v) for v in logs), math.log2(1.05))
            norm = mpl.colors.Normalize(-m, m)
            colours = {n: cmap(norm(math.log2(v))) for n, v in values.items()}
        else:
            devs = [v - center for v in values.values()]
            m = (max(abs(float(vrange[0]) - center), abs(float(vrange[1]) - center))
                 if vrange is not None else max(max(abs(d) for d in devs), 1e-12))
            norm = mpl.colors.Normalize(center - m, center + m)
            colours = {n: cmap(norm(v)) for n, v in values.items()}

    patches_, texts = {}, {}
    for n in g:
        kind = g.nodes[n]["kind"]
        _, shape, face, edge = KINDS[kind]
        ls, tcol, lw = "-", "black", 0.8
        hatch = None
        if values:
            face = colours.get(n, "white")
            hatch = None if n in colours else "////"
        if n in knocked:
            hatch = None
            face, edge, tcol, ls = GREY_FACE, GREY_EDGE, GREY_TEXT, (0, (2, 1))
        elif values and n in colours and _luminance(mpl.colors.to_rgb(face)) < 0.45:
            tcol = "white"
        patch = _node_patch(shape, x[n], y[n], widths[n], heights[n], face, edge, lw, ls)
        if hatch:
            patch.set_hatch(hatch)
        patch.set_zorder(3)
        patch.set_gid(f"node-{n}")
        ax.add_patch(patch)
        patches_[n] = patch
        texts[n] = ax.text(x[n], y[n], labels[n], parse_math=False, ha="center", va="center",
                           fontsize=font, color=tcol, zorder=4, linespacing=1.0, gid=f"label-{n}",
                           bbox=(dict(boxstyle="square,pad=0.15", fc="white", ec="none")
                                 if hatch else None))

    # edges: ports spread along the node sides in the order of the other ends
    out_port, in_port = {}, {}
    for n in g:
        outs = sorted([e for e in chains if e[0] == n], key=lambda e: x[chains[e][1]])
        ins = sorted([e for e in chains if e[1] == n], key=lambda e: x[chains[e][-2]])
        for lst, store in ((outs, out_port), (ins, in_port)):
            k = len(lst)
            span_ = min(widths[n] * 0.6, 1.6 * (k - 1))
            for i, e in enumerate(lst):
                store[e] = x[n] + (i - (k - 1) / 2) * (span_ / (k - 1) if k > 1 else 0)
    lw = 0.6
    head = 1.1
    for (u, v), chain in chains.items():
        d = g.edges[u, v]
        sign = d["sign"]
        pts = [(out_port[u, v], y[u] - heights[u] / 2 - 0.15)]
        pts += [(x[c], y[c]) for c in chain[1:-1]]
        end = (in_port[u, v], y[v] + heights[v] / 2 + 0.25)
        shorten = head * 0.9 if sign in (1, None) else (0.2 if sign == -1 else head * 0.9)
        pts.append((end[0], end[1] + shorten))
        cut = (u, v) in knocked
        ls = KNOCKED_EDGE_LS if cut else (0, (2.2, 1.2)) if sign == 0 else "-"
        path = _curve(pts)
        colour = GREY_EDGE if cut else EDGE_COLOUR
        ax.add_patch(mpl.patches.PathPatch(path, fc="none", ec=colour, lw=lw, ls=ls, zorder=2,
                                           capstyle="butt", gid=f"edge-{u}-{v}"))
        _head(ax, mpl, end, sign, head, colour=colour)
    for u, v, d in g.edges(data=True):           # feedback edges (only with feedback=True)
        if not d.get("feedback"):
            continue
        a = (x[u] + widths[u] / 2, y[u])
        b = (x[v] + widths[v] / 2 + 0.4, y[v])
        bulge = fig_w - margin - 1.0
        path = mpl.path.Path([a, (bulge, a[1]), (bulge, b[1]), b],
                             [mpl.path.Path.MOVETO] + [mpl.path.Path.CURVE4] * 3)
        ax.add_patch(mpl.patches.PathPatch(path, fc="none", ec="#8A8A8A", lw=lw, ls=":",
                                           zorder=1, gid=f"feedback-{u}-{v}"))

    # title
    if title:
        ax.text(fig_w / 2, height - 1.2, title, parse_math=False, ha="center", va="top",
                fontsize=font + 0.5, fontweight="bold", gid="title", linespacing=1.1)
    # legend (drawn by hand in mm so that its text boxes are checked too)
    ybase = legend_h + cbar_h + 0.5 - (3.0 if values else 0.0)
    if legend:
        yy = ybase - 1.5
        col_w = (fig_w - 2 * margin) / 2
        items = [("kind", k) for k in kinds_used] + [("edge", e) for e in edge_types]
        if values and any(n not in colours and n not in knocked for n in g):
            items.append(("edge", "nodata"))
        if any(isinstance(k, str) for k in knocked):
            items.append(("edge", "knocked"))
        if any(isinstance(k, tuple) for k in knocked):
            items.append(("edge", "cut"))
        kinds_part = [i for i in items if i[0] == "kind"]
        edges_part = [i for i in items if i[0] == "edge"]
        for part in (kinds_part, edges_part):
            for i, item in enumerate(part):
                cx = margin + (i % 2) * col_w + 1.0
                cy = yy - (i // 2) * (font * 0.3528 + 1.8)
                if item[0] == "kind":
                    label, shape, face, edge = KINDS[item[1]]
                    ax.add_patch(_node_patch(shape, cx + 2.0, cy, 4.0, 2.4,
                                             "white" if values else face, edge, 0.7))
                elif item[1] in ("nodata", "knocked"):
                    nodata = item[1] == "nodata"
                    sw = _node_patch("round", cx + 2.0, cy, 4.0, 2.4,
                                     "white" if nodata else GREY_FACE,
                                     "#606060" if nodata else GREY_EDGE, 0.7,
                                     "-" if nodata else (0, (2, 1)))
                    if nodata:
                        sw.set_hatch("////")
                    ax.add_patch(sw)
                    label = "no fold change" if nodata else "knocked out"   # e.g. zero pre-dose
                elif item[1] == "cut":
                    ax.add_line(Line2D([cx, cx + 3.0], [cy, cy], color=GREY_EDGE, lw=lw,
                                       ls=KNOCKED_EDGE_LS))
                    _head(ax, mpl, (cx + 4.1, cy), 1, head, horizontal=True, colour=GREY_EDGE)
                    label = "link knocked out"
                else:
                    sign, fb = item[1]
                    label = {1: "activation", -1: "inhibition", 0: "ambiguous (both signs)",
                             None: "influence"}[sign] + (" (feedback)" if fb else "")
                    ax.add_line(Line2D([cx, cx + 3.0], [cy, cy], color=EDGE_COLOUR, lw=lw,
                                       ls=(0, (2.2, 1.2)) if sign == 0 else "-"))
                    _head(ax, mpl, (cx + 4.1, cy), sign, head, horizontal=True)
                ax.text(cx + 5.5, cy, label, parse_math=False, ha="left", va="center",
                        fontsize=font, gid="legend")
            yy -= math.ceil(len(part) / 2) * (font * 0.3528 + 1.8)
    if values:
        cax = fig.add_axes([0.25, 7.5 / height, 0.5, 1.6 / height])
        sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
        cb.outline.set_linewidth(0.5)
        cax.tick_params(labelsize=font, width=0.5, length=2, pad=1)
        if scale == "fold":
            m = norm.vmax
            nice = (1 / 8, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 1.5, 2, 3, 4, 8)
            ticks = [math.log2(f) for f in nice if abs(math.log2(f)) <= m + 1e-9]
            if len(ticks) > 5:
                ticks = [t for t in ticks if t == 0 or abs(t) >= m / 2.5]
            if len(ticks) < 3:
                ticks = [-m, 0.0, m]
            cb.set_ticks(ticks)
            cb.set_ticklabels([_fold_text(2 ** t) for t in ticks])
        cb.set_label(vlabel or ("fold change (log scale)" if scale == "fold" else "value"),
                     fontsize=font, labelpad=1)

    boxes = label_boxes(fig)
    overlaps = _overlaps(boxes)
    info = {"graph": g, "patches": patches_, "texts": texts, "colours": colours,
            "values": values, "knocked_out": knocked, "boxes": boxes, "overlaps": overlaps,
            "font_pt": font, "width_mm": fig_w, "height_mm": height, "crossings": ncross,
            "ax": ax, "fits_width": fits_width,
            "fits": fits_width and not overlaps and _inside(boxes, fig_w, height)}
    return fig, info


def _fold_text(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v < 10 else f"{v:.0f}"


def _head(ax, mpl, end, sign, size, horizontal=False, colour=EDGE_COLOUR):
    """Arrowhead (+1 / None), bar (-1) or open diamond (0) whose tip is at `end`, pointing
    down (or right when `horizontal`), in `colour`."""
    ex, ey = end
    if horizontal:
        def pt(along, across):
            return (ex - along, ey + across)
    else:
        def pt(along, across):
            return (ex + across, ey + along)
    if sign == -1:
        a, b = pt(0.1, -size * 0.75), pt(0.1, size * 0.75)
        ax.add_line(mpl.lines.Line2D([a[0], b[0]], [a[1], b[1]], color=colour, lw=1.0,
                                     solid_capstyle="butt", zorder=2))
    elif sign == 0:
        pts = [pt(0, 0), pt(size * 0.55, size * 0.45), pt(size * 1.1, 0),
               pt(size * 0.55, -size * 0.45)]
        ax.add_patch(mpl.patches.Polygon(pts, closed=True, fc="white", ec=colour, lw=0.6,
                                         zorder=2))
    else:
        pts = [pt(0, 0), pt(size, size * 0.5), pt(size, -size * 0.5)]
        ax.add_patch(mpl.patches.Polygon(pts, closed=True, fc=colour, ec="none",
                                         zorder=2))


def label_boxes(fig) -> list[dict]:
    """Every visible, non-empty text of `fig` after drawing: ``{"text", "fontsize",
    "box": (x0, y0, x1, y1)}`` in mm from the lower-left corner of the figure."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering() if hasattr(fig, "draw_without_rendering") else None
    out = []
    scale = 25.4 / fig.dpi
    for t in fig.findobj(lambda a: isinstance(a, __import__("matplotlib").text.Text)):
        if not t.get_visible() or not t.get_text().strip() or t.figure is None:
            continue
        bb = t.get_window_extent(renderer=renderer)
        out.append({"text": t.get_text(), "fontsize": t.get_fontsize(), "gid": t.get_gid(),
                    "box": (bb.x0 * scale, bb.y0 * scale, bb.x1 * scale, bb.y1 * scale)})
    return out


def _overlaps(boxes, tol: float = 0.05) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        ax0, ay0, ax1, ay1 = a["box"]
        for b in boxes[i + 1:]:
            bx0, by0, bx1, by1 = b["box"]
            if min(ax1, bx1) - max(ax0, bx0) > tol and min(ay1, by1) - max(ay0, by0) > tol:
                out.append((a["text"], b["text"]))
    return out


def _inside(boxes, w, h, tol=0.3) -> bool:
    return all(b["box"][0] >= -tol and b["box"][2] <= w + tol and b["box"][1] >= -tol
               and b["box"][3] <= h + tol for b in boxes)


# ----------------------------------------------------------------------------- files

def _format_of(path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise PathwaysInputError(choices_message("diagram file suffix", f".{suffix}" if suffix
                                                 else Path(path).name,
                                                 [f".{f}" for f in FORMATS]))
    return suffix


def save_figure(fig, path, fmt: str | None = None) -> Path:
    """Write `fig` to `path` atomically at its exact size (PNG at 600 dpi, at most 10,000 px
    on a side)."""
    from .outputs import output_path, write_atomically
    path = output_path(path, "diagram file")
    fmt = fmt or _format_of(path)
    # PNG at 600 dpi, but at most ~10,000 px on a side (huge foreign models)
    dpi = min(PNG_DPI, 10_000 / max(fig.get_size_inches()))
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=dpi),
                            "diagram file")


def diagram(model_or_sbml, path, *, overlay=None, knocked_out=(), title=None,
            width_mm: float = 85.0, signed: bool = True, feedback: bool = False,
            overlay_scale: str = "fold", overlay_center: float = 0.0, overlay_range=None,
            overlay_label=None, hide=()) -> Path:
    """Draw the cascade of a model and write it to `path` (.svg, .pdf or .png); return it.

    `model_or_sbml`: a `pathways.Model`, a model name, an SBML path or text, or a libSBML
    document. See the module docstring for condensation, layers, overlay and knockouts.
    """
    from .outputs import output_path
    path = output_path(path, "diagram file")
    fmt = _format_of(path)
    fig, _ = draw(model_or_sbml, overlay=overlay, knocked_out=knocked_out, title=title,
                  width_mm=width_mm, signed=signed, feedback=feedback,
                  overlay_scale=overlay_scale, overlay_center=overlay_center,
                  overlay_range=overlay_range, overlay_label=overlay_label, hide=hide)
    try:
        return save_figure(fig, path, fmt)
    finally:
        import matplotlib.pyplot as plt
        plt.close(fig)


# ----------------------------------------------------------------------------- overlay data

def node_fold_changes(model, regimen, times_h, perturbations=()):
    """Fold change (value / pre-dose value) of each node's active form at `times_h`.

    `model` is a shipped `pathways.Model` (or its name); returns a DataFrame indexed by node
    id with one column per time (`FOLD_QUANTITIES` says what is measured). Nodes whose
    quantity is 0 before the dose (drugs, dissociation, SBP) are left out.
    """
    import numpy as np
    import pandas as pd

    from .model import Model, load

    if not isinstance(model, Model):
        model = load(str(model))
    times = [float(t) for t in np.atleast_1d(times_h)]
    if not times or min(times) <= 0:
        raise PathwaysInputError("times_h must be > 0 h")
    ids = sorted({i for q in FOLD_QUANTITIES.values() for i in q
                  if i in model._param_ids or i in model._species_ids})
    df = model.simulate(regimen, end_h=max(times), perturbations=perturbations,
                        points=[0.0, *times], variables=ids)
    rows = {}
    for node, q in FOLD_QUANTITIES.items():
        if not all(i in df.columns for i in q):
            continue
        series = df[list(q)].sum(axis=1)
        base = float(series.iloc[0])
        if base > 0 and math.isfinite(base):
            rows[node] = [float(series.iloc[i + 1]) / base for i in range(len(times))]
    return pd.DataFrame.from_dict(rows, orient="index", columns=times).rename_axis("node")


def sensitivity_overlay(model_or_sbml, indices, column: str = "ST", output=None) -> dict:
    """Return {node: index} to colour a diagram by a sensitivity study's indices.

    `indices` is the DataFrame of a `pathways.sensitivity` result (columns ``output``,
    ``parameter`` and `column`, e.g. ST, S1 or mu_star) or the path of its CSV. Each parameter
    is attributed to the species of the reactions whose rate laws use it (reactants, products
    and modifiers) and to the variables of the rules that use it; a node gets the largest index
    of the parameters attributed to its members. `output` picks one output of a multi-output
    study (default: the first). Use with ``overlay_scale="linear"``.
    """
    import pandas as pd

    from .graph import ast_names

    if isinstance(indices, pd.DataFrame):
        df = indices
    else:
        try:
            df = pd.read_csv(indices)
        except (ValueError, UnicodeDecodeError) as exc:    # pandas' parser errors
            raise PathwaysInputError(f"cannot read sensitivity indices from {indices}: "
                                     f"{' '.join(str(exc).split())}") from None
    missing = {"parameter", column} - set(df.columns)
    if missing:
        raise PathwaysInputError(f"sensitivity indices need the columns 'parameter' and "
                                 f"{column!r}; missing: {', '.join(sorted(missing))}")
    if "output" in df.columns:
        outputs = list(dict.fromkeys(df["output"]))
        chosen = outputs[0] if output is None else output
        if chosen not in outputs:
            raise PathwaysInputError(choices_message("output", chosen, outputs))
        df = df[df["output"] == chosen]
    numbers = pd.to_numeric(df[column], errors="coerce")
    not_numbers = numbers.isna() & df[column].notna()      # (a missing index is skipped)
    if not_numbers.any():
        bad = df[column][not_numbers].iloc[0]
        raise PathwaysInputError(f"sensitivity indices: column {column!r} holds a value that "
                                 f"is not a number: {bad!r}")
    value = dict(zip(df["parameter"].astype(str), numbers.astype(float)))
    model = _document(model_or_sbml)[0].getModel()
    per_species: dict[str, float] = {}

    def credit(ids, v):
        for i in ids:
            per_species[i] = max(per_species.get(i, float("-inf")), v)

    for r in model.getListOfReactions():
        if r.getKineticLaw() is None:
            continue
        used = ast_names(r.getKineticLaw().getMath())
        hits = [value[p] for p in used if p in value and math.isfinite(value[p])]
        if hits:
            refs = [s.getSpecies() for s in list(r.getListOfReactants())
                    + list(r.getListOfProducts()) + list(r.getListOfModifiers())]
            credit(refs, max(hits))
    for rule in model.getListOfRules():
        hits = [value[p] for p in ast_names(rule.getMath()) if p in value
                and math.isfinite(value[p])]
        if hits and rule.getVariable():
            credit([rule.getVariable()], max(hits))
    g = cascade(model_or_sbml)
    out = {}
    for node in g:
        vals = [per_species[m] for m in g.nodes[node]["members"] if m in per_species]
        if vals:
            out[node] = max(vals)
    if not out:
        raise PathwaysInputError(
            f"none of the {len(value)} parameter(s) of the sensitivity indices is used by a "
            f"rate law or rule of this model: nothing to colour (a study of another model?)")
    return out

