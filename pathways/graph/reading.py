"""Reading a model for the graph views: any accepted input as a libSBML document, and the
small readers of SBML elements (SBO terms, identifiers.org URIs, ids used in math,
stoichiometries, conversion factors) the views share."""
from __future__ import annotations

import math
import os
from pathlib import Path

import networkx as nx

from ..errors import PathwaysInputError


def as_document(model_or_sbml):
    """Return (libSBML document, display name) for any accepted input."""
    import libsbml

    from ..model import Model, base_sbml, list_models
    from ..sbml_io import read_sbml

    if isinstance(model_or_sbml, libsbml.SBMLDocument):     # checked like any SBML text
        return read_sbml(libsbml.writeSBMLToString(model_or_sbml),
                         source_name="<SBMLDocument>"), "<SBMLDocument>"
    if isinstance(model_or_sbml, Model):
        return read_sbml(model_or_sbml.sbml, source_name=model_or_sbml.name), model_or_sbml.name
    if isinstance(model_or_sbml, str):
        text = model_or_sbml
        if not text.lstrip().startswith("<") and "\n" not in text:
            models = list_models()
            if text in models:
                return read_sbml(base_sbml(text), source_name=text), text
            if not Path(text).exists():
                raise PathwaysInputError(
                    f"{text!r} is neither a model name nor an SBML file; "
                    f"valid models: {', '.join(sorted(models))}")
            return read_sbml(text), str(text)
        return read_sbml(text), "<SBML text>"
    if isinstance(model_or_sbml, bytes):
        return read_sbml(model_or_sbml), "<SBML text>"
    if isinstance(model_or_sbml, os.PathLike):
        return read_sbml(model_or_sbml), str(model_or_sbml)
    raise PathwaysInputError(f"expected a pathways.Model, a model name, an SBML path or SBML "
                             f"text, got {type(model_or_sbml).__name__}")


def base_graph(doc, source: str) -> nx.DiGraph:
    """Return an empty DiGraph whose ``graph`` dict names the source, SBML level, version
    and model."""
    model = doc.getModel()
    g = nx.DiGraph()
    g.graph.update(source=source, level=doc.getLevel(), version=doc.getVersion(),
                   model_id=model.getId() if model is not None else None,
                   name=(model.getName() or model.getId()) if model is not None else None)
    return g


def sbo(sbase) -> str | None:
    """Return the SBO term of an SBML element as "SBO:0000nnn", or None."""
    return (sbase.getSBOTermID() or None) if sbase.isSetSBOTerm() else None


def uris(sbase) -> list[str]:
    """Return the annotation URIs of an SBML element (every qualifier), without repeats."""
    out: list[str] = []
    for i in range(sbase.getNumCVTerms()):
        res = sbase.getCVTerm(i).getResources()
        for j in range(res.getLength()):
            uri = res.getValue(j)
            if uri and uri not in out:
                out.append(uri)
    return out


def ast_names(ast) -> set[str]:
    """Return the ids referenced by AST_NAME nodes of a libSBML AST (function bodies not
    entered); an empty set for None."""
    import libsbml

    out: set[str] = set()
    stack = [ast] if ast is not None else []
    while stack:
        node = stack.pop()
        if node.getType() == libsbml.AST_NAME:
            out.add(node.getName())
        stack.extend(node.getChild(i) for i in range(node.getNumChildren()))
    return out


def conversion_factor(model, sp, env: dict) -> float | None:
    """Return the value of the SBML L3 conversion factor that applies to species `sp` (its
    own, else the model's), or None when there is none or its value is not known."""
    if sp is None:
        return None
    cf_id = (sp.getConversionFactor() if sp.isSetConversionFactor() else
             model.getConversionFactor() if model.isSetConversionFactor() else "")
    if not cf_id:
        return None
    value = env.get(cf_id)
    return float(value) if value is not None and math.isfinite(value) else None


def stoichiometry(sr, level: int):
    """The constant stoichiometry of a species reference, or None if it is not a constant
    (L2 stoichiometryMath; L3 unset, or not constant: rules, events or initial assignments
    may set it)."""
    if level == 2 and sr.isSetStoichiometryMath():
        return None
    if level >= 3 and (not sr.isSetStoichiometry() or not sr.getConstant()):
        return None
    if level >= 3 and sr.getId() and sr.getModel() is not None \
            and sr.getModel().getInitialAssignment(sr.getId()) is not None:
        return None
    value = sr.getStoichiometry()
    if level == 1:
        value = value / (sr.getDenominator() or 1)
    return float(value)


def formula(ast) -> str | None:
    """Return libSBML's L3 infix text of a math AST, or None for None."""
    import libsbml

    return libsbml.formulaToL3String(ast) if ast is not None else None
