"""Writing the bipartite graph of a model as an SBGN-ML Process Description map (libsbgnpy)."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from .export import atomic_write, check_graph


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
    check_graph(g, "to_sbgnml")
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
    return atomic_write(path, write)
