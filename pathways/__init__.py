"""pathways: mechanistic, literature-grounded models of how ketamine relieves depression.

>>> import pathways
>>> m = pathways.load("ketamine_pk", species="human")            # doctest: +SKIP
>>> df = m.simulate(pathways.Regimen.infusion(0.5, minutes=40), end_h=24)  # doctest: +SKIP
"""
from .diagram import diagram
from .errors import PathwaysInputError, SimulationError
from .graph import graph, interaction_graph, to_cytoscape_json, to_graphml, to_sbgnml
from .model import Model, list_models, load
from .perturbations import inhibit, knockout, overexpress
from .presets import preset
from .regimen import Regimen

__version__ = "0.1.0"
__all__ = ["Model", "PathwaysInputError", "Regimen", "SimulationError", "diagram", "graph",
           "inhibit",
           "interaction_graph", "knockout", "list_models", "load", "overexpress", "preset",
           "to_cytoscape_json", "to_graphml", "to_sbgnml", "__version__"]
