"""What produced a set of results: the code (git commit, script hash), software versions, the
models (with the SHA-256 of the SBML that was simulated) and every time course, written as
JSON beside the results.

An experiment's folder holds `NAME_run.json` next to its CSV and figures, so a table or figure
found later still says which code, model, parameter set, doses, perturbations and simulator
made it. Only `Model.simulate` calls are recorded (`pathways.experiments.record_runs`): the
samples of a sensitivity study are described by the study's own `study.json`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from .outputs import write_text_atomically

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


def file_sha256(path) -> str:
    """Return the SHA-256 (hex) of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def git_state(where: Path | None = None) -> dict:
    """Return {"commit": hex or None, "dirty": bool or None} of the git checkout holding
    `where` (default: this package); None when it is not a checkout or git is missing."""
    where = Path(where or Path(__file__).resolve().parent)

    def git(*args) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(where), *args], capture_output=True,
                                  text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def describe_runs(runs) -> dict:
    """Return the JSON-ready description of `runs` (`pathways.interop.Run`, in order): the
    distinct `models` (name, species, body weight in kg, SHA-256 of the simulated SBML), the
    CVODE settings, and `runs`, each with its model's hash, doses, perturbations (with the
    parameter factors they apply and when, h), parameter overrides, end time (h) and number
    of output points."""
    from .model import INTEGRATOR

    def model_of(run) -> dict:
        return {"model": run.model, "species": run.species, "body_weight_kg": run.body_weight_kg,
                "sbml_sha256": run.sbml_sha256,
                **({"start": run.start} if run.start != "steady_state" else {})}

    models = []
    for run in runs:
        if model_of(run) not in models:
            models.append(model_of(run))
    return {"models": models, "integrator": {"method": "CVODE", **INTEGRATOR},
            "runs": [{**model_of(r), "description": r.describe(),
                      "doses": [d.describe() for d in r.regimen.doses],
                      "perturbations": [{"name": p.name, "factors": dict(p.factors),
                                         "at_h": p.at_h, "until_h": p.until_h}
                                        for p in r.perturbations],
                      "parameters": dict(r.parameters), "end_h": r.end_h,
                      "output_points": len(r.times)} for r in runs]}


def _jsonable(value):
    """JSON fallback: NumPy scalars as Python numbers, anything else as its string."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def write(path: Path, fields: dict, runs, files=(), command: str | None = None) -> Path:
    """Write the provenance of a set of results to `path` (JSON); return the Path.

    `fields`: what was run (e.g. experiment name, paper, quick mode), written first;
    `runs`: the `pathways.interop.Run`s behind the results
    (`pathways.experiments.record_runs(shipped_only=False)`); `files`: the result files,
    recorded relative to `path`'s folder when inside it, else as absolute paths; `command`:
    the command that made them (default: this process's command line)."""
    path = Path(path)
    folder = path.parent.resolve()

    def name(p) -> str:
        p = Path(p).resolve()
        return str(p.relative_to(folder)) if p.is_relative_to(folder) else str(p)

    record = {**fields,
              "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": command if command is not None else shlex.join(sys.argv),
              "python_executable": sys.executable, "cwd": os.getcwd(),
              "output_dir": str(folder), "git": git_state(), "versions": versions(),
              **describe_runs(runs),
              "files": [name(f) for f in files]}
    text = json.dumps(record, indent=2, ensure_ascii=False, default=_jsonable) + "\n"
    return write_text_atomically(path, text, "provenance record")
