"""`pathways trial`: a virtual trial on `pathways.population.HUMAN` subjects.

    pathways trial --arm ketamine=ketamine:0.5:40 --arm midazolam=midazolam:0.045:40
    pathways trial --arm ketamine=ketamine:0.5:40 --arm vehicle=vehicle --n 1000 --seed 2 \\
        --out results/trial.csv

Each `--arm NAME=SPEC` is one arm: SPEC is `vehicle`, `DRUG:DOSE:MINUTES` (an IV infusion of
DOSE mg/kg over MINUTES) or `DRUG:DOSE:ROUTE` (a bolus: iv, ip, im, sc, intranasal, oral),
parsed field by field (never evaluated). Prints each arm's response rates (%): counted, with
a Wilson 95% interval, and expected (`TrialResult.response_rates`); `--out FILE.csv` also
writes every subject in every arm, `FILE_columns.csv` (units) and `FILE.csv.run.json` (what
produced it). The read-out is 24 h after the dose, the time of the placebo response the
subjects carry (Murrough 2013's midazolam arm). `add_parser(subparsers)` registers the
command.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from .errors import PathwaysInputError

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
ARM_HELP = ("NAME=SPEC, repeatable: SPEC is vehicle, DRUG:DOSE:MINUTES (IV infusion of DOSE "
            "mg/kg over MINUTES) or DRUG:DOSE:ROUTE (bolus)")


def add_parser(subparsers):
    """Register `trial` on the main CLI's subparsers; return the parser."""
    s = subparsers.add_parser(
        "trial", help="response rates of a virtual trial (virtual population)",
        description="Draw virtual human subjects (CYP2B6 and BDNF Val66Met genotypes, "
                    "clearance spread, placebo response; pathways.population.HUMAN), run "
                    "each in every arm on the composed model and print the response rates "
                    "24 h after the dose (the time of the placebo response).")
    s.add_argument("--arm", action="append", required=True, metavar="NAME=SPEC",
                   help=ARM_HELP)
    s.add_argument("--n", type=int, default=500, help="virtual subjects (default 500)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.add_argument("--response-pct", type=float, default=-50.0,
                   help="a response is a change at or below this %% of baseline (default -50)")
    s.add_argument("--peaks", default=None, metavar="READOUT,...",
                   help="also record each subject's peak of these readouts within 24 h, e.g. "
                        "dissociation_score,sbp_change_mmHg (columns READOUT_peak in --out)")
    s.add_argument("--out", default=None, metavar="FILE.csv",
                   help="write every subject in every arm (with FILE_columns.csv and "
                        "FILE.csv.run.json)")
    s.add_argument("--workers", type=int, default=None, metavar="K",
                   help="run the subjects on K local worker processes (a dask LocalCluster; "
                        "default: in this process); the results are the same")
    s.add_argument("--scheduler", default=None, metavar="ADDR",
                   help="run the subjects on an existing dask cluster, e.g. tcp://host:8786")
    s.add_argument("--force", action="store_true", help="overwrite existing output files")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_trial)
    return s


def parse_arm(text: str):
    """Return (name, Regimen or None) from `NAME=SPEC` (see ARM_HELP)."""
    from .drugs import get_drug
    from .regimen import Regimen

    name, sep, spec = text.partition("=")
    name, spec = name.strip(), spec.strip()
    if not sep or not name or not spec:
        raise PathwaysInputError(f"--arm must be NAME=SPEC ({ARM_HELP}), got {text!r}")
    if not name.isprintable():
        raise PathwaysInputError(f"--arm name {name!r} has a control character")
    if spec == "vehicle":
        return name, None
    fields = [f.strip() for f in spec.split(":")]
    if len(fields) != 3:
        raise PathwaysInputError(f"--arm {name}: SPEC must be vehicle, DRUG:DOSE:MINUTES or "
                                 f"DRUG:DOSE:ROUTE, got {spec!r}")
    drug, dose_text, last = fields
    try:
        get_drug(drug)
        if not NUMBER.fullmatch(dose_text):
            raise PathwaysInputError(f"the dose must be a number (mg/kg), got {dose_text!r}")
        dose = float(dose_text)
        if NUMBER.fullmatch(last):
            return name, Regimen.infusion(dose, float(last), drug=drug)
        return name, Regimen.bolus(dose, last, drug=drug)
    except PathwaysInputError as exc:
        raise PathwaysInputError(f"--arm {name}: {exc}") from None


def cmd_trial(args) -> int:
    """Run `pathways trial`: print the rates and write --out; return 0."""
    from .cli import _path_arg, _write_guard

    out = record = units_path = None
    if args.out is not None:
        from .experiment_plots import columns_file
        out = _path_arg(args.out, "--out")
        if out.suffix.lower() != ".csv":
            raise PathwaysInputError(f"--out must name a .csv file, got {args.out!r}")
        record, units_path = out.with_name(f"{out.name}.run.json"), columns_file(out)
        for path in (out, units_path, record):
            _write_guard(path, args.force)
    arms: dict = {}
    for text in args.arm:
        name, regimen = parse_arm(text)
        if name in arms:
            raise PathwaysInputError(f"two --arm options are named {name!r}")
        arms[name] = regimen
    from . import population
    from .checks import in_range
    from .model import load
    if not 1 <= args.n <= population.MAX_SUBJECTS:
        raise PathwaysInputError(f"--n must be from 1 to {population.MAX_SUBJECTS}, got "
                                 f"{args.n}")
    if args.seed < 0:
        raise PathwaysInputError(f"--seed must be 0 or more, got {args.seed}")
    response_pct = in_range(args.response_pct, "--response-pct", -100.0, 0.0, "%",
                            high_inclusive=False)
    peaks = ()
    if args.peaks is not None:
        peaks = tuple(p.strip() for p in args.peaks.split(",") if p.strip())
        if not peaks:
            raise PathwaysInputError("--peaks is empty; give readout names separated by commas")
    engine = "serial"
    if args.workers is not None or args.scheduler is not None:
        from .sensitivity.cli import engine_option
        engine = engine_option(args)
    model = load()
    subjects = population.sample(args.n, args.seed)
    try:
        result = population.trial(arms, subjects, model, response_pct=response_pct,
                                  peaks=peaks, progress=False if args.no_progress else None,
                                  engine=engine)
    finally:                     # a LocalCluster made here is stopped here
        if hasattr(engine, "close"):
            engine.close()
    rates = result.response_rates()
    if peaks:                 # each arm's mean peak, beside its rates
        means = result.table.groupby("arm", sort=False)[[f"{r}_peak" for r in peaks]].mean()
        rates = rates.join(means.rename(columns=lambda c: f"mean_{c}"))
    digits = {"rate_pct": 1, "lo_pct": 1, "hi_pct": 1, "expected_rate_pct": 1,
              **{c: 2 for c in rates.columns if c.startswith("mean_")}}
    print(rates.round(digits).to_string())
    if out is None:
        return 0
    from .experiment_plots import write_column_units
    from .outputs import write_text_atomically
    from .provenance import sbml_sha256, write
    table = result.table
    write_text_atomically(out, table.to_csv(index=False, float_format="%.9g"))
    write_column_units(list(table.columns), out, population.column_units(result))
    fields = {"tool": "pathways trial", "n": args.n, "seed": args.seed,
              "at_h": result.at_h, "response_pct": response_pct, "peaks": list(peaks),
              "model": {"name": model.name, "species": model.species,
                        "sbml_sha256": sbml_sha256(model)},
              "variability": [{"entry": e.key, "source": e.source}
                              for e in population.HUMAN.entries]
              + [{"entry": "placebo", "source": population.HUMAN.placebo.source}],
              "arms": {k: (repr(v) if v is not None else "vehicle") for k, v in arms.items()},
              "response_rates": rates.reset_index().to_dict(orient="records")}
    write(record, fields, [], [out, units_path], command=shlex.join(["pathways", *args.argv]))
    print(Path(out))
    return 0
