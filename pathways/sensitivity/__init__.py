"""Parameter sensitivity studies: local (finite differences), Sobol' and Morris (SALib).

>>> from pathways import Regimen
>>> from pathways.sensitivity import Study, sobol
>>> study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 24},
...                      regimen=Regimen.infusion(0.5, minutes=40))     # doctest: +SKIP
>>> res = sobol(study, 512, engine="local", out_dir="results/sens")   # doctest: +SKIP
>>> res.indices.sort_values("ST", ascending=False).head()            # doctest: +SKIP

Modules: `study` (what is varied and measured), `local`, `global_` (Sobol', Morris),
`engines` (serial, dask), `runner` and `store` (batches, progress, resumable CSV), `result`,
`plots`, `cli` (`pathways sensitivity`).
"""
from .engines import DaskEngine, SerialEngine, make_engine
from .global_ import SampleSizeWarning, morris, recommended_sobol_n, sobol
from .local import local, local_timecourse
from .result import SensitivityResult
from .study import ParameterRange, Study, default_parameters

__all__ = ["DaskEngine", "ParameterRange", "SampleSizeWarning", "SensitivityResult",
           "SerialEngine", "Study", "default_parameters", "local", "local_timecourse",
           "make_engine", "morris", "recommended_sobol_n", "sobol"]
