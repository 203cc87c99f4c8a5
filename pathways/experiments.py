"""The registry of in-silico experiments (`experiments/*.py`) and how they are run.

Each script defines `run(out_dir: Path, quick: bool) -> list[Path]` over the public API and
`simulate(quick: bool)` (every time course it runs; `experiment_runs` records them for
`pathways export omex`), and
ends with `if __name__ == "__main__": cli_main(run)`, so it runs as
`python experiments/<name>.py [--quick] [--out DIR]` and as `pathways experiment run <name>`.
`quick` shortens horizons for CI smoke runs; the full run draws the model against the paper.
"""
from __future__ import annotations

import argparse
import os
import runpy
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import PathwaysInputError, choices_message
from .outputs import output_folder

EXPERIMENTS_DIR = Path(__file__).resolve().parent.parent / "experiments"


@dataclass(frozen=True)
class Experiment:
    """A runnable experiment: its `name` (the script experiments/<name>.py), the `paper` it
    reproduces or extends, and `what` it simulates (one line)."""
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
    Experiment("diagram_figure", "Li 2010; Zarate 2006 (figure of this model)",
               "the cascade diagram coloured by fold change 1 h and 24 h after 0.5 mg/kg IV "
               "over 40 min"),
    Experiment("zarate2006_pk", "Zarate 2006 Arch Gen Psychiatry 63:856 (PK per Zanos 2018 "
               "Table 1)", "human 0.5 mg/kg IV over 40 min: plasma and brain ketamine and "
               "norketamine (LIT-PK1)"),
    Experiment("li2010_mtor", "Li 2010 Science 329:959", "rat 10 mg/kg i.p.: p-mTOR, "
               "p-4E-BP1, p-S6K, p-ERK, p-Akt 0-4 h, synaptic proteins and spines to 72 h; dose "
               "window 1/5/10/80 mg/kg; rapamycin block at 24 h (LIT-R2 to R6)"),
    Experiment("autry2011_eef2", "Autry 2011 Nature 475:91; Gideons 2014 PNAS 111:8649",
               "mouse 3 mg/kg i.p.: p-eEF2 and BDNF at 30 min; eEF2K knockout and memantine "
               "(0.6 µM peak unbound brain) vs ketamine 10 mg/kg (LIT-R7, R17, N4)"),
    Experiment("lepack2015_bdnf_release", "Lepack 2015 Int J Neuropsychopharmacol 18:pyu033",
               "rat 10 mg/kg i.p. after anti-BDNF, an L-VDCC blocker or NBQX: symptom effect at "
               "24 h, TrkB activation and BDNF release (LIT-R9, R10)"),
    Experiment("aguilarvalles2021_4ebp", "Aguilar-Valles 2021 Nature 590:315", "mouse "
               "4E-BP1/2 knockout vs wild type, 10 mg/kg i.p.: symptom effect, p-4E-BP1, "
               "synaptic proteins (LIT-R14)"),
    Experiment("glun2b_cell_types", "Miller 2014 eLife 3:e03581; Gerhard 2020 J Clin Invest "
               "130:1336", "mouse, cell-specific NMDAR knockouts (principal neurons' resting "
               "NMDARs, interneurons) and 10 mg/kg i.p.: drug-free state and ketamine's effect "
               "(a prediction)"),
    Experiment("hnk_metabolite", "Abbott & Popescu 2020 Mol Pharmacol 98:203; Lumsden 2019 "
               "PNAS 116:5160; Zanos 2016 Nature 533:481; Shirayama & Hashimoto 2018 Int J "
               "Neuropsychopharmacol 21:84; Raja 2024 Clin Pharmacol Ther 116:1314",
               "(2R,6R)-hydroxynorketamine formed from ketamine or given as itself (mouse, rat, "
               "human): NMDAR block, symptom effect, dissociation (LIT-N6; a prediction)"),
    Experiment("liu2012_val66met", "Liu 2012 Biol Psychiatry 71:996", "mouse BDNF Val/Val, "
               "Val/Met, Met/Met: baseline spines and the 24-h spine and symptom effects of "
               "10 mg/kg i.p. (LIT-R13)"),
    Experiment("chiu2015_lithium", "Chiu 2015 Int J Neuropsychopharmacol; Liu 2013 NPP "
               "38:2268", "mouse chronic lithium + a sub-threshold dose (a quarter of the "
               "model's lowest active dose) vs alone and 10 mg/kg (LIT-R15)"),
    Experiment("moghaddam1997_glutamate", "Moghaddam 1997 J Neurosci 17:2921", "rat PFC "
               "glutamate after 10, 20, 30 (and 50, 200) mg/kg i.p.: time course, peak and "
               "time of peak (LIT-R1)"),
    Experiment("phoumthipphavong2016_spines", "Phoumthipphavong 2016 eNeuro 3:"
               "ENEURO.0133-15.2016; Moda-Sava 2019 Science 364:eaat8078", "mouse 10 mg/kg "
               "i.p.: spine density, formation and elimination over 15 days against the "
               "authors' raw imaging data (LIT-R18)"),
    Experiment("murrough2013_midazolam", "Murrough 2013 Am J Psychiatry 170:1134", "human "
               "ketamine 0.5 vs midazolam 0.045 mg/kg IV over 40 min, 7 days; ketamine − "
               "midazolam at 24 h vs −7.7 MADRS points (LIT-C2)"),
    Experiment("cochrane2021_response", "Cochrane 2021 CD011612; Murrough 2013 Am J "
               "Psychiatry 170:1134", "human virtual population (CYP2B6 genotype, clearance "
               "spread, placebo response): 24-h response rates, ketamine vs midazolam (LIT-C3), "
               "and by CYP2B6 genotype (a prediction)"),
    Experiment("murrough2013_repeated", "Murrough 2013 Biol Psychiatry 74:250", "human TRD, "
               "six 0.5 mg/kg infusions over 12 days vs one: relief over the course and how "
               "long it lasts after the last infusion (a prediction; not a LITERATURE row)"),
    Experiment("fava2018_dose_ranging", "Fava 2018 Mol Psychiatry (2020) 25:1592; "
               "NCT01920555", "human TRD, ketamine 0.1, 0.2, 0.5, 1.0 mg/kg vs midazolam IV "
               "over 40 min: effect by dose and day, dissociation and blood pressure (a "
               "prediction; not a LITERATURE row)"),
    Experiment("clinical_predictions", "Zarate 2006 Am J Psychiatry 163:153; Singh 2016 Am J "
               "Psychiatry 173:816; Correia-Melo 2020 J Affect Disord 264:527; Lapidus 2014 "
               "Biol Psychiatry 76:970", "human: 8 weeks of oral memantine; 0.5 mg/kg IV twice "
               "vs thrice weekly; esketamine 0.25 vs racemic 0.5 mg/kg IV; intranasal 50 mg "
               "(predictions; not LITERATURE rows)"),
    Experiment("abdallah2020_rapamycin", "Abdallah 2020 Neuropsychopharmacology 45:990",
               "human, oral rapamycin 6 mg 2 h before 0.5 mg/kg IV over 40 min: relief at 24 h "
               "and 2 weeks against the (unmeasured) brain mTORC1 inhibition (a prediction; "
               "not a LITERATURE row)"),
    Experiment("serial_dosing_trials", "Jelovac 2025 JAMA Psychiatry (KARMA-Dep 2); Popova "
               "2019 Am J Psychiatry 176:428 (TRANSFORM-2); Canuso 2018 Am J Psychiatry 175:620 "
               "(PERSEVERE); Fu 2020 (ASPIRE I); Ionescu 2021 Int J Neuropsychopharmacol 24:22 "
               "(ASPIRE II)", "human, "
               "twice-weekly courses over 4 weeks: ketamine 0.5 mg/kg IV vs midazolam, "
               "intranasal esketamine 28-84 mg (84 mg in suicidal patients), against the "
               "trials' end points (predictions; not LITERATURE rows)"),
    Experiment("glue2017_anxiety", "Glue 2017 J Psychopharmacol 31:1302", "human refractory "
               "anxiety, SC 0.25, 0.5, 1 mg/kg at 0, 168, 336 h: symptom over 3 weeks and 1 h "
               "after each dose (LIT-C4)"),
)}


def list_experiments() -> list[Experiment]:
    """Return the registered experiments whose script exists."""
    return [e for e in EXPERIMENTS.values() if (EXPERIMENTS_DIR / f"{e.name}.py").exists()]


def load_experiment(name: str) -> dict:
    """Return the namespace of experiment `name`'s script (its functions and published
    constants; nothing is run), refusing an unknown name with the list of known ones."""
    known = {e.name for e in list_experiments()}
    if name not in known:
        raise PathwaysInputError(choices_message("experiment", name, known))
    return runpy.run_path(str(EXPERIMENTS_DIR / f"{name}.py"), run_name="pathways_experiment")


def run_experiment(name: str, out_dir: Path | None = None, quick: bool = False,
                   command: str | None = None) -> list[Path]:
    """Run experiment `name`; return the files it wrote (CSV tables with their
    `_columns.csv` unit files, PNG, SVG, and last `NAME_run.json`: what produced them,
    see `pathways.provenance`; `command` is recorded there, default this process's)."""
    module = load_experiment(name)
    out = output_folder(Path("results") / name if out_dir is None else out_dir, "out_dir")
    return _run_recorded(name, module["run"], out, quick or _quick_from_env(), command)


def _run_recorded(name: str, run, out: Path, quick: bool,
                  command: str | None = None) -> list[Path]:
    """Call `run(out, quick)` while recording its simulations; write `out/NAME_run.json`
    (`pathways.provenance`: code and versions, models with their SBML hashes, every run) and
    return the result files followed by it."""
    from . import provenance
    from .interop import merge_variables
    with record_runs(shipped_only=False) as runs:
        paths = list(run(out, quick))
    experiment = EXPERIMENTS.get(name)
    script = Path(run.__code__.co_filename)
    fields = {"experiment": name, "paper": experiment.paper if experiment else "",
              "quick": bool(quick), "script": str(script.resolve()),
              "script_sha256": provenance.file_sha256(script)}
    return [*paths, provenance.write(out / f"{name}_run.json", fields, merge_variables(runs),
                                     paths, command=command)]


def _quick_from_env() -> bool:
    return os.environ.get("PATHWAYS_QUICK", "") not in ("", "0")


def cli_main(run, argv=None) -> None:
    """Parse `--quick`, `--out` and `--force` and call `run(out_dir, quick)` (for experiment
    scripts), writing `NAME_run.json` beside its results as `run_experiment` does. Like
    `pathways experiment run`, a non-empty output folder is refused (exit 2, one line)
    unless `--force` is given."""
    from .cli import UsageError, _dir_guard, _path_arg, _StoreOnce

    class OneLineParser(argparse.ArgumentParser):
        def error(self, message):      # one line (as the pathways command), no usage block
            print(f"{self.prog}: error: {message}", file=sys.stderr)
            raise SystemExit(2)
    parser = OneLineParser()
    parser.register("action", None, _StoreOnce)        # --out twice is an error, as in the CLI
    parser.add_argument("--quick", action="store_true", help="short horizon (CI smoke run)")
    parser.add_argument("--out", default=None, help="output directory")
    parser.add_argument("--force", action="store_true", help="overwrite files in --out")
    args = parser.parse_args(argv)
    name = Path(run.__code__.co_filename).stem
    try:                    # an empty --out (an unset shell variable) is an error, as in the CLI
        out = Path("results") / name if args.out is None else _path_arg(args.out, "--out")
        _dir_guard(out, args.force)            # the CLI's own check: same rule, same words
    except (UsageError, PathwaysInputError) as exc:
        parser.error(str(exc))
    out.mkdir(parents=True, exist_ok=True)
    paths = _run_recorded(name, run, out, args.quick or _quick_from_env())
    try:
        for path in paths:
            print(path)
        sys.stdout.flush()
    except OSError as exc:     # standard output closed (`| head`) or full: one line, as the CLI
        from .cli_streams import drop_stdout
        drop_stdout()
        print(f"{name}: error: {exc.strerror or exc}: standard output (the results are in {out})",
              file=sys.stderr)
        raise SystemExit(2) from None


@contextmanager
def record_runs(shipped_only: bool = True):
    """Within this context, record every `Model.simulate` call as a `pathways.interop.Run`
    (the call still runs and returns its result); yields the list. `shipped_only`: only calls
    of shipped models (a user's SBML, even under a shipped name, is left out), as the
    exporter needs; False records every model (provenance). `simulate_arrays` calls (the
    samples of a sensitivity study) are not recorded.

    This is how an experiment's arms are read from the one place that defines them, its
    script (`experiment_runs`): no second description of the arms to keep in sync. It patches
    `Model.simulate` for the duration of the block (not thread-safe).
    """
    from .interop import make_run
    from .model import Model

    runs: list = []
    original = Model.simulate

    def recording(self, regimen=None, end_h=24.0, perturbations=(), parameters=None,
                  points=None, variables=()):
        df = original(self, regimen, end_h, perturbations, parameters, points, variables)
        if self._shipped or not shipped_only:
            runs.append(make_run(self, regimen, end_h, perturbations, parameters,
                                 np.asarray(df.index), variables))
        return df

    Model.simulate = recording
    try:
        yield runs
    finally:
        Model.simulate = original


def experiment_runs(name: str) -> list:
    """Return the distinct time courses (`pathways.interop.Run`, in the order first run) that
    experiment `name`'s script simulates in its full (not quick) mode: it calls the script's
    `simulate(quick=False)` while recording. For `sensitivity_relief` that is the nominal run
    (the Sobol' samples are parameter variations of it); for `diagram_figure` the run its
    fold changes are read from."""
    module = load_experiment(name)
    if "simulate" not in module:
        raise PathwaysInputError(f"experiment {name} has no simulate(quick) function to export")
    with record_runs() as runs:
        module["simulate"](False)
    from .interop import merge_variables
    return merge_variables(runs)
