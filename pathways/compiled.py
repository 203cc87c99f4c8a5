"""Compiled models: one libRoadRunner compile per model per process, kept on disk between
processes (keyed by the SBML's hash and the libRoadRunner version), and the CVODE settings
every run uses."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from .errors import PathwaysInputError

INTEGRATOR = {"relative_tolerance": 1e-8, "absolute_tolerance": 1e-12,
              "minimum_time_step": 1e-14,   # h; a step this small means CVODE is stuck on
                                            # noise: fail (then fall back, or NaN) not hang
              "maximum_num_steps": 200_000}
COMPILED: dict[str, bytes] = {}    # SBML hash -> compiled RoadRunner state (one compile per
                                     # process; each Model restores its own RoadRunner from it)


def cache_dir() -> Path:
    """Return the folder of compiled models kept between processes ($PATHWAYS_CACHE, else
    ~/.cache/pathways)."""
    root = os.environ.get("PATHWAYS_CACHE") or Path.home() / ".cache" / "pathways"
    return Path(root)


def compile_model(sbml: str):
    """Return a new RoadRunner for `sbml`, restored from the compiled state kept in this
    process (or on disk), compiling only the first time.

    Each Model gets its own RoadRunner (restoring takes ~10 ms), so two Models never share
    simulator state.
    """
    import roadrunner

    key = hashlib.sha256(sbml.encode()).hexdigest()
    state = COMPILED.get(key)
    path = cache_dir() / f"{key[:32]}-rr{roadrunner.__version__}.state"
    if state is None and path.exists():
        state = path.read_bytes()
    rr = None
    if state is not None:
        try:
            with no_dynamic_properties():
                rr = roadrunner.RoadRunner()
                rr.loadStateS(state)
        except Exception:   # a stale or truncated cache file: recompile below
            rr, state = None, None
    if rr is None:
        try:
            with no_dynamic_properties():
                rr = roadrunner.RoadRunner(sbml)
        except RuntimeError as exc:     # e.g. algebraic rules or delays in a user's SBML
            raise PathwaysInputError(f"libRoadRunner cannot compile this model: "
                                     f"{without_cpp_location(str(exc))}") from None
        state = rr.saveStateS()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(state)
            tmp.replace(path)
        except OSError:
            pass            # a read-only home: work without the disk cache
    COMPILED[key] = state
    integrator = rr.getIntegrator()
    for k, v in INTEGRATOR.items():
        integrator.setValue(k, v)
    return rr


@contextlib.contextmanager
def tolerances(rr, relative: float, absolute: float):
    """Within the block, run CVODE at these tolerances: on `rr` (a RoadRunner) and in
    INTEGRATOR, which the fall-back and steady-state paths re-apply; both are restored after,
    also on error. Not thread-safe (INTEGRATOR is global), and a model compiled inside the
    block keeps these tolerances: load models before entering it."""
    saved = dict(INTEGRATOR)
    INTEGRATOR.update(relative_tolerance=relative, absolute_tolerance=absolute)
    integrator = rr.getIntegrator()
    try:
        for k, v in INTEGRATOR.items():
            integrator.setValue(k, v)
        yield
    finally:
        INTEGRATOR.clear()
        INTEGRATOR.update(saved)
        for k, v in INTEGRATOR.items():
            integrator.setValue(k, v)


@contextlib.contextmanager
def no_dynamic_properties():
    """Load models into libRoadRunner without its Python "dynamic properties".

    On loading, libRoadRunner normally sets each model id (species, parameters, compartments,
    reactions, species references, `<species>_conc`/`_amt`) as a property *on the RoadRunner
    class*, and deletes them again when the next model loads. A model id such as `reset` or
    `this` thereby replaces, then deletes, a method of the class for every RoadRunner in the
    process (SBML test case 00963 did this to the test suite). pathways never reads model
    values as attributes, so it turns the feature off while it loads, and restores the user's
    setting afterwards.
    """
    from roadrunner import Config
    key = Config.ROADRUNNER_DISABLE_PYTHON_DYNAMIC_PROPERTIES
    before = Config.getValue(key)
    Config.setValue(key, True)
    try:
        yield
    finally:
        Config.setValue(key, before)


def without_cpp_location(message: str) -> str:
    """Return a libRoadRunner message on one line without the C++ function it came from
    (', at rrllvm::LLVMModelDataSymbols::...(const libsbml::Model*, ...)' or, from CVODE,
    '; In virtual double rr::CVODEIntegrator::integrate(double, double)')."""
    return re.sub(r"(?:,?\s+at|(?:;\s*|\s+)In)\s+(?:[\w*&<>]+\s+)*[\w~<>]+::\S.*$", "",
                  " ".join(message.split())).rstrip(" .,;")
