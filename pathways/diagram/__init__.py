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
the fold scale, not > 0 (a fold of a quantity that was 0 has no log). ``knocked_out`` (node
ids, member ids, perturbation targets such as "mTORC1" or "EIF4EBP", or
`pathways.knockout(...)` objects) draws nodes grey with a dashed border; a target that is a
link (``NMDAR_eEF2K``) draws its edge grey and dotted.

**Modules.** `entities` (the shipped models' entity catalogue), `cascade` (condensation and
rows), `layout` (order within rows, x positions), `render` (`draw`, `label_boxes`),
`overlay` (overlay values, knockouts, `node_fold_changes`, `sensitivity_overlay`), `files`
(`diagram`, `save_figure`) and `style` (formats, fonts, node shapes and colours).
"""
from .cascade import cascade
from .entities import (BAND_OVERRIDES, BANDS, COMPONENT_BANDS, ENTITIES, ENTITY_RULES,
                       FOLD_QUANTITIES, HUBS, SIGN_STATE_REGIMEN, TARGET_EDGES, TARGET_NODES,
                       EntitySpec)
from .files import diagram, save_figure
from .overlay import node_fold_changes, sensitivity_overlay
from .render import draw, label_boxes
from .style import (EDGE_COLOUR, FORMATS, GREY_EDGE, GREY_FACE, GREY_TEXT, KINDS,
                    KNOCKED_EDGE_LS, MIN_FONT_PT, PNG_DPI, START_FONT_PT)

__all__ = ["BANDS", "BAND_OVERRIDES", "COMPONENT_BANDS", "EDGE_COLOUR", "ENTITIES",
           "ENTITY_RULES", "FOLD_QUANTITIES", "FORMATS", "GREY_EDGE", "GREY_FACE", "GREY_TEXT",
           "HUBS", "KINDS", "KNOCKED_EDGE_LS", "MIN_FONT_PT", "PNG_DPI", "SIGN_STATE_REGIMEN",
           "START_FONT_PT", "TARGET_EDGES", "TARGET_NODES", "EntitySpec", "cascade", "diagram",
           "draw", "label_boxes", "node_fold_changes", "save_figure", "sensitivity_overlay"]
