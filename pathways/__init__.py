"""pathways: mechanistic, literature-grounded models of how ketamine relieves depression.

>>> import pathways
>>> m = pathways.load("ketamine_pk", species="human")            # doctest: +SKIP
>>> df = m.simulate(pathways.Regimen.infusion(0.5, minutes=40), end_h=24)  # doctest: +SKIP
"""
import sys as _sys

if "libsbml" not in _sys.modules and "libsedml" not in _sys.modules:
    # python-libsedml bundles its own SWIG copy of libSBML's ASTNode: imported after libsbml,
    # it takes over libsbml's ASTNode proxies (getType() then returns a raw pointer and the
    # graph views break). Imported first (37 ms), libsbml keeps its own types, so the exporter
    # and tellurium's SED-ML runner can be used in the same process. See pathways.interop.
    import libsedml as _libsedml  # noqa: F401

from .diagram import diagram
from .errors import PathwaysInputError, SimulationError
from .graph import graph, interaction_graph, to_cytoscape_json, to_graphml, to_sbgnml
from .model import Model, list_models, load
from .perturbations import inhibit, knockout, overexpress, step
from .presets import preset
from .regimen import Regimen

__version__ = "0.1.0"
__all__ = ["Model", "PathwaysInputError", "Regimen", "SimulationError", "diagram", "graph",
           "inhibit",
           "interaction_graph", "knockout", "list_models", "load", "overexpress", "preset", "step",
           "to_cytoscape_json", "to_graphml", "to_sbgnml", "__version__"]
