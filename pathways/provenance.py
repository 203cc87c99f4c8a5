"""What produced a set of results: software versions, the models (with the SHA-256 of the SBML
that was simulated) and every time course, written as JSON beside the results.

An experiment's folder holds `NAME_run.json` next to its CSV and figures, so a table or figure
found later still says which model, parameter set, doses, perturbations and simulator made it.
"""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

STACK = ("pathways", "libroadrunner", "antimony", "python-libsbml", "numpy")


def versions() -> dict[str, str]:
    """Return {distribution: version} for pathways and the simulator stack, plus Python, read
    from the installed distributions (nothing heavy is imported); "not installed" if absent."""
    from importlib import metadata
    from platform import python_version

    out = {}
    for dist in STACK:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    out["python"] = python_version()
    return out


def sbml_sha256(model) -> str:
    """Return the SHA-256 (hex) of the SBML text a `pathways.Model` simulates (its species'
    parameter values included)."""
    return hashlib.sha256(model.sbml.encode()).hexdigest()


def describe(runs) -> dict:
    """Return the JSON-ready description of `runs` (`pathways.interop.Run` of shipped models,
    in order): `models` (name, species, body weight in kg, SHA-256 of the simulated SBML; one
    entry per distinct model), the CVODE settings, and `runs` (one line each: doses,
    perturbations, overrides, end time in h, number of output points)."""
    from .model import INTEGRATOR, load

    by_key: dict = {}
    entries = []
    for run in runs:
        key = (run.model, run.species, run.body_weight_kg)
        if key not in by_key:
            by_key[key] = load(*key)
        entry = {"model": run.model, "species": run.species, "body_weight_kg": run.body_weight_kg,
                 "sbml_sha256": sbml_sha256(by_key[key])}
        if entry not in entries:
            entries.append(entry)
    return {"models": entries, "integrator": {"method": "CVODE", **INTEGRATOR},
            "runs": [{"description": r.describe(), "end_h": r.end_h, "output_points": len(r.times)}
                     for r in runs]}


def write(path: Path, what: dict, runs, files=()) -> Path:
    """Write the provenance of a set of results to `path` (JSON); return the Path.

    `what`: free fields saying what was run (e.g. experiment name, paper, quick mode);
    `runs`: the `pathways.interop.Run`s behind the results; `files`: the result files (their
    names are recorded, relative to `path`'s folder when inside it)."""
    path = Path(path)

    def name(p: Path) -> str:
        p = Path(p)
        try:
            return str(p.resolve().relative_to(path.parent.resolve()))
        except ValueError:
            return str(p)

    record = {**what,
              "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "",
              "versions": versions(),
              **describe(runs),
              "files": [name(f) for f in files]}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
