"""Writing a graph view as GraphML or Cytoscape.js JSON, atomically."""
from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx

from ..errors import PathwaysInputError


def atomic_write(path, write) -> Path:
    """Write via `write(tmp_path)` to a temporary file in the target folder, then rename;
    return the written Path."""
    from ..outputs import write_atomically
    return write_atomically(path, write)


def _plain(value):
    """A GraphML-friendly value: lists/dicts as JSON text, None dropped (returned as None)."""
    if value is None:
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return json.dumps(value, sort_keys=True)


def check_graph(g, what: str) -> None:
    """Raise PathwaysInputError unless `g` is a networkx graph (a Model is a common slip)."""
    if not isinstance(g, nx.Graph):
        hint = " (pass pathways.graph(model))" if hasattr(g, "sbml") else ""
        raise PathwaysInputError(f"{what} needs a networkx graph, got "
                                 f"{type(g).__name__}{hint}")


def to_graphml(g: nx.DiGraph, path) -> Path:
    """Write `g` as GraphML (lists as JSON text, None attributes left out), atomically;
    return the written file's Path."""
    check_graph(g, "to_graphml")
    h = nx.DiGraph()
    h.graph.update({k: _plain(v) for k, v in g.graph.items() if _plain(v) is not None})
    for n, data in g.nodes(data=True):
        h.add_node(n, **{k: _plain(v) for k, v in data.items() if _plain(v) is not None})
    for u, v, data in g.edges(data=True):
        h.add_edge(u, v, **{k: _plain(x) for k, x in data.items() if _plain(x) is not None})
    return atomic_write(path, lambda tmp: nx.write_graphml(h, tmp, encoding="utf-8"))


def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    return value


def to_cytoscape_json(g: nx.DiGraph, path) -> Path:
    """Write `g` as Cytoscape.js JSON (``{"data", "elements": {"nodes", "edges"}}``), atomically;
    return the written file's Path.

    Every element's ``data`` holds its attributes plus ``id`` (edges: ``"u->v"``), ``label``
    (nodes: the name) and ``source``/``target`` for edges.
    """
    check_graph(g, "to_cytoscape_json")
    nodes = [{"data": _json_safe({**data, "id": str(n), "label": data.get("name", str(n))})}
             for n, data in g.nodes(data=True)]
    edges = [{"data": _json_safe({**data, "id": f"{u}->{v}", "source": str(u),
                                  "target": str(v)})}
             for u, v, data in g.edges(data=True)]
    doc = {"data": _json_safe(dict(g.graph)), "directed": True,
           "elements": {"nodes": nodes, "edges": edges}}

    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, allow_nan=False)
    return atomic_write(path, write)
