"""The registry of in-silico experiments (`experiments/*.py`) and how they are run.

Each script defines `run(out_dir: Path, quick: bool) -> list[Path]` over the public API and
ends with `if __name__ == "__main__": cli_main(run)`, so it runs as
`python experiments/<name>.py [--quick] [--out DIR]` and as `pathways experiment run <name>`.
`quick` shortens horizons for CI smoke runs; the full run draws the model against the paper.
"""
from __future__ import annotations

import argparse
import os
import runpy
from dataclasses import dataclass
from pathlib import Path

from .errors import PathwaysInputError, choices_message

EXPERIMENTS_DIR = Path(__file__).resolve().parent.parent / "experiments"


@dataclass(frozen=True)
class Experiment:
    name: str
    paper: str
    what: str


EXPERIMENTS = {e.name: e for e in (
    Experiment("headline", "Zarate 2006 Arch Gen Psychiatry 63:856; Murrough 2013 Am J "
               "Psychiatry 170:1134", "human 0.5 mg/kg IV over 40 min vs vehicle and midazolam, "
               "14 days, dose to symptom"),
    Experiment("sensitivity_relief", "Zarate 2006 protocol (0.5 mg/kg IV over 40 min)",
               "human: Sobol indices of the pathway parameters for relief at day 1 and its "
               "duration"),
    Experiment("zarate2006_pk", "Zarate 2006 Arch Gen Psychiatry 63:856 (PK per Zanos 2018 "
               "Table 1)", "human 0.5 mg/kg IV over 40 min: plasma and brain ketamine and "
               "norketamine (LIT-PK1)"),
)}


def list_experiments() -> list[Experiment]:
    """Return the registered experiments whose script exists."""
    return [e for e in EXPERIMENTS.values() if (EXPERIMENTS_DIR / f"{e.name}.py").exists()]


def run_experiment(name: str, out_dir: Path | None = None, quick: bool = False) -> list[Path]:
    """Run experiment `name`; return the files it wrote (CSV, PNG, SVG)."""
    known = {e.name for e in list_experiments()}
    if name not in known:
        raise PathwaysInputError(choices_message("experiment", name, known))
    module = runpy.run_path(str(EXPERIMENTS_DIR / f"{name}.py"), run_name="pathways_experiment")
    out = Path(out_dir) if out_dir else Path("results") / name
    out.mkdir(parents=True, exist_ok=True)
    return module["run"](out, quick or _quick_from_env())


def _quick_from_env() -> bool:
    return os.environ.get("PATHWAYS_QUICK", "") not in ("", "0")


def cli_main(run) -> None:
    """Parse `--quick` and `--out` and call `run(out_dir, quick)` (for experiment scripts)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="short horizon (CI smoke run)")
    parser.add_argument("--out", default=None, help="output directory")
    args = parser.parse_args()
    name = Path(run.__code__.co_filename).stem
    out = Path(args.out) if args.out else Path("results") / name
    out.mkdir(parents=True, exist_ok=True)
    for path in run(out, args.quick or _quick_from_env()):
        print(path)
