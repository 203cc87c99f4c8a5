"""Parameter sensitivity studies: local (finite differences), Sobol' and Morris (SALib).

>>> from pathways import Regimen
>>> from pathways.sensitivity import Study, sobol
>>> study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 24},
...                      regimen=Regimen.infusion(0.5, minutes=40))     # doctest: +SKIP
>>> res = sobol(study, 512, engine="local", out_dir="results/sens")   # doctest: +SKIP
>>> res.indices.sort_values("ST", ascending=False).head()            # doctest: +SKIP

Modules: `study` (what is varied and measured), `local_`, `global_` (Sobol', Morris),
`engines` (serial, dask), `runner` and `store` (batches, progress, resumable CSV), `result`,
`plots`, `cli` (`pathways sensitivity`).
"""
import importlib

_EXPORTS = {"DaskEngine": "engines", "SerialEngine": "engines", "make_engine": "engines",
            "SampleSizeWarning": "global_", "morris": "global_",
            "recommended_sobol_n": "global_", "sobol": "global_", "local": "local_",
            "local_timecourse": "local_", "SensitivityResult": "result",
            "ParameterRange": "study", "Study": "study", "default_parameters": "study"}


def __getattr__(name):   # lazy: `pathways --help` must not import pandas, SALib or dask
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DaskEngine", "ParameterRange", "SampleSizeWarning", "SensitivityResult",
           "SerialEngine", "Study", "default_parameters", "local", "local_timecourse",
           "make_engine", "morris", "recommended_sobol_n", "sobol"]
