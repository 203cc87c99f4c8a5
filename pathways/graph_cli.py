"""`pathways graph`: export the graph view of a model, or draw its cascade diagram.

    pathways graph --model ketamine_synaptogenesis --signed --format graphml --out g.graphml
    pathways graph --sbml BIOMD0000000581.xml --format json --out g.json
    pathways graph --format sbgn --out g.sbgn
    pathways graph --format svg --overlay fold:1 --out cascade.svg

graphml/json write `pathways.graph.to_graphml` / `to_cytoscape_json` of the signed
`interaction_graph` (``--signed``) or the bipartite species/reaction `graph`; sbgn writes
`pathways.graph.to_sbgnml` (SBGN-ML Process Description) of the bipartite `graph`;
svg/pdf/png draw `pathways.diagram.diagram` (signed edges unless ``--unsigned``).
``--overlay fold:T`` (T in hours) simulates the human headline dose (0.5 mg/kg IV over 40
min) and colours each node by its fold change at T h. ``--sbml`` files are read with
`pathways.sbml_io.read_sbml` (safe for untrusted files). `add_parser(subparsers)` registers
the command; user errors raise PathwaysInputError (one line; the main CLI exits with
status 2).
"""
from __future__ import annotations

from pathlib import Path

from .errors import PathwaysInputError, choices_message

FORMATS = ("svg", "pdf", "png", "graphml", "json", "sbgn")
HEADLINE = (0.5, 40.0)         # mg/kg, infusion minutes (Zarate 2006)


def add_parser(subparsers):
    """Register `graph` on the main CLI's subparsers; return the parser."""
    s = subparsers.add_parser(
        "graph", help="export the model graph (GraphML, Cytoscape JSON, SBGN-ML) or draw its "
             "diagram",
        description="Export the species/reaction graph or the signed interaction graph of a "
                    "shipped model or any SBML file (graphml, json; sbgn: SBGN-ML Process "
                    "Description of the species/reaction graph), or draw the cascade "
                    "diagram (svg, pdf, png), optionally coloured by the fold change after "
                    "the headline dose.")
    src = s.add_mutually_exclusive_group()
    src.add_argument("--model", default=None, help="shipped model name (default: "
                     "ketamine_synaptogenesis)")
    src.add_argument("--sbml", default=None, metavar="FILE", help="any SBML file")
    s.add_argument("--species", default="human", help="human, rat or mouse (shipped models)")
    sign = s.add_mutually_exclusive_group()
    sign.add_argument("--signed", action="store_true",
                      help="graphml/json: the signed interaction graph instead of the "
                           "bipartite species/reaction graph (diagrams are always signed "
                           "unless --unsigned)")
    sign.add_argument("--unsigned", action="store_true",
                      help="diagram: plain arrows, signs ignored")
    s.add_argument("--format", required=True, help="svg, pdf, png, graphml, json or sbgn")
    s.add_argument("--overlay", default=None, metavar="fold:TIME_H|sensitivity:FILE",
                   help="diagram: colour nodes by the fold change TIME_H hours after 0.5 "
                        "mg/kg IV over 40 min (shipped composed model), or by the indices "
                        "CSV of a `pathways sensitivity` study (ST column)")
    s.add_argument("--width-mm", type=float, default=85.0, help="diagram width in mm "
                   "(default 85, one journal column)")
    s.add_argument("--title", default=None, help="diagram title")
    s.add_argument("--out", required=True, help="output file")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.set_defaults(func=cmd_graph)
    return s


def _overlay_time(spec: str) -> float:
    kind, _, value = spec.partition(":")
    if kind != "fold" or not value:
        raise PathwaysInputError(f"--overlay must be fold:TIME_H (e.g. fold:1) or "
                                 f"sensitivity:FILE, got {spec!r}")
    try:
        t = float(value)
    except ValueError:
        raise PathwaysInputError(f"--overlay fold:TIME_H needs a number of hours, got "
                                 f"{value!r}") from None
    if not (0 < t <= 8760):
        raise PathwaysInputError(f"--overlay time must be in (0, 8760] h, got {t:g}")
    return t


def cmd_graph(args) -> int:
    """Run `pathways graph`: write the model's graph or diagram to --out; return 0."""
    fmt = args.format.lower().lstrip(".")
    if fmt not in FORMATS:
        raise PathwaysInputError(choices_message("--format", args.format, FORMATS))
    from .cli import _check_source_flags, _path_arg, _write_guard
    out = _path_arg(args.out, "--out")
    if out.suffix.lower().lstrip(".") != fmt:
        raise PathwaysInputError(f"--out {out} does not end in .{fmt} (--format {fmt})")
    _write_guard(out, args.force)   # a folder, an existing file, a file in the way: fail now
    if fmt in ("graphml", "json", "sbgn"):     # diagram options are refused, not ignored
        given = [flag for flag, value in (("--overlay", args.overlay), ("--title", args.title),
                                          ("--unsigned", args.unsigned),
                                          ("--width-mm", args.width_mm != 85.0)) if value]
        if given:
            raise PathwaysInputError(f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'}"
                                     " to diagrams (svg, pdf, png) only")
    if args.signed and fmt == "sbgn":
        raise PathwaysInputError("--signed does not apply to sbgn (SBGN-ML shows the "
                                 "species/reaction graph)")

    _check_source_flags(args)
    from .species import check_species
    check_species(args.species)           # also with --sbml, where it is not used: a typo
    if args.sbml:
        from .sbml_io import read_sbml
        if args.overlay and not args.overlay.startswith("sensitivity:"):
            raise PathwaysInputError("--overlay fold:T needs a shipped model (--model), not "
                                     "--sbml (--overlay sensitivity:CSV works with either)")
        source = read_sbml(Path(args.sbml))
    else:
        from .model import load
        source = load(args.model or "ketamine_synaptogenesis", species=args.species)

    if fmt == "sbgn":
        from .graph import graph, to_sbgnml
        print(to_sbgnml(graph(source), out))
        return 0
    if fmt in ("graphml", "json"):
        from .graph import graph, interaction_graph, to_cytoscape_json, to_graphml
        g = interaction_graph(source) if args.signed else graph(source)
        (to_graphml if fmt == "graphml" else to_cytoscape_json)(g, out)
        print(out)
        return 0

    from .diagram import diagram, node_fold_changes, sensitivity_overlay
    overlay, label, scale = None, None, "fold"
    if args.overlay and args.overlay.startswith("sensitivity:"):
        given = args.overlay.split(":", 1)[1]
        if not given.strip():
            raise PathwaysInputError("--overlay sensitivity: needs the indices CSV of a study, "
                                     "e.g. sensitivity:results/sens/sobol_indices.csv")
        path = Path(given)
        if path.is_dir():
            raise PathwaysInputError(f"--overlay sensitivity: {path} is a folder; name the "
                                     f"indices CSV in it (e.g. {path / 'sobol_indices.csv'})")
        if not path.is_file():
            raise PathwaysInputError(f"--overlay sensitivity: no such file {path}")
        overlay, scale = sensitivity_overlay(source, path), "linear"
        label = f"largest sensitivity index of the node's parameters ({path.name})"
    elif args.overlay:
        from .regimen import Regimen
        from .sources import COMPOSED
        if source.name != COMPOSED:
            raise PathwaysInputError(
                f"--overlay fold:T draws the headline run's fold changes, which only the "
                f"composed model {COMPOSED} has (a component has no ketamine input "
                f"or only drug nodes, which start at 0), got --model {source.name}")
        t = _overlay_time(args.overlay)
        dose, minutes = HEADLINE
        overlay = node_fold_changes(source, Regimen.infusion(dose, minutes=minutes), [t])[t]
        label = f"fold change at {t:g} h (log scale)"
    diagram(source, out, overlay=overlay, title=args.title, width_mm=args.width_mm,
            signed=not args.unsigned, overlay_label=label, overlay_scale=scale)
    print(out)
    return 0
