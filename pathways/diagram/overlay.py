"""Data drawn over a diagram: node values (fold changes after a dose, sensitivity indices)
resolved to nodes, and knocked-out nodes and links."""
from __future__ import annotations

import math

from ..errors import PathwaysInputError, choices_message
from .cascade import cascade, document
from .entities import FOLD_QUANTITIES, TARGET_EDGES, TARGET_NODES


def node_fold_changes(model, regimen, times_h, perturbations=()):
    """Fold change (value / pre-dose value) of each node's active form at `times_h`.

    `model` is a shipped `pathways.Model` (or its name); returns a DataFrame indexed by node
    id with one column per time (`FOLD_QUANTITIES` says what is measured). Nodes whose
    quantity is 0 before the dose (drugs, dissociation, SBP) are left out.
    """
    import numpy as np
    import pandas as pd

    from ..model import Model, load

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

    from ..graph import ast_names

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
    model = document(model_or_sbml)[0].getModel()
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



def resolve_overlay(g, overlay, scale):
    """Return {node: value} from an overlay keyed by node or member ids (an inactive member's
    value inverted; non-finite values, and values <= 0 on the fold scale, left out)."""
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


def check_overlay_range(overlay_range, scale) -> None:
    """Raise PathwaysInputError unless `overlay_range` is None or (low, high): finite numbers
    with low < high (both > 0 on the fold scale)."""
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


def resolve_knockouts(g, knocked_out):
    """Return the set of nodes and edges of `g` that `knocked_out` names (node or member ids,
    perturbation targets, or knockout `Perturbation` objects)."""
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
