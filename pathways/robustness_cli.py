"""`pathways robustness`: how much the validation verdicts rest on the assumed values.

    pathways robustness                                  # every assumed pathway parameter
    pathways robustness --parameters k_deg_bdnf,k_clr_bdnf --fold 3 --out results/rob
    pathways robustness --pk --out results/rob           # the assumed PK values instead

Re-runs the LIT rows with each parameter at FOLD and 1/FOLD times its value, one at a time,
with the symptom gain refitted to LIT-C2 in each variant
(`pathways.validation.robustness.scan`); prints the variants that change a verdict and a
summary; `--out DIR` also writes DIR/robustness.csv (one line per variant, one column per
row), its `_columns.csv` (units), a figure (PNG and SVG) and robustness.csv.run.json (with
`--pk`: robustness_pk.csv and so on).
`add_parser(subparsers)` registers the command.
"""
from __future__ import annotations

import shlex
from pathlib import Path

from .errors import PathwaysInputError

MAX_FOLD = 1000.0     # a larger factor takes values out of any physiological range


def add_parser(subparsers):
    """Register `robustness` on the main CLI's subparsers; return the parser."""
    s = subparsers.add_parser(
        "robustness", help="which LIT verdicts change when an assumed parameter changes",
        description="Re-run the LIT rows with each assumed pathway parameter (or those named) "
                    "at FOLD and 1/FOLD times its value, one at a time, the symptom gain "
                    "refitted to LIT-C2 in each variant; print the variants that change a "
                    "verdict (about 3 s per variant, two per parameter: 7-8 min for all the "
                    "pathway parameters, 3-4 min for the PK ones).")
    s.add_argument("--parameters", default=None, metavar="P1,P2,...",
                   help="parameter ids (default: every assumed pathway parameter, not the "
                        "perturbation handles)")
    s.add_argument("--pk", action="store_true",
                   help="scan the pharmacokinetic parameters that rest on an assumption "
                        "(assumed, or measured for another species or drug) instead, each "
                        "in the species' parameter sets where it is one")
    s.add_argument("--fold", type=float, default=2.0,
                   help=f"the factor (> 1, at most {MAX_FOLD:g}; default 2)")
    s.add_argument("--out", default=None, metavar="DIR",
                   help="write DIR/robustness.csv, its units, a figure and a provenance record")
    s.add_argument("--force", action="store_true", help="overwrite files in DIR")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_robustness)
    return s


def cmd_robustness(args) -> int:
    """Run `pathways robustness`: print the changed verdicts; write --out; return 0."""
    from .cli import _dir_guard, _path_arg
    from .validation import robustness

    out = None
    if args.out is not None:
        out = _dir_guard(_path_arg(args.out, "--out"), args.force)
    params = None
    if args.parameters is not None:
        params = [p.strip() for p in args.parameters.split(",") if p.strip()]
        if not params:
            raise PathwaysInputError("--parameters needs at least one parameter id")
    if args.pk and params is not None:
        raise PathwaysInputError("give --pk or --parameters, not both")
    if not 1 < args.fold <= MAX_FOLD:
        raise PathwaysInputError(f"--fold must be a number > 1 and at most {MAX_FOLD:g} (each "
                                 f"value is multiplied and divided by it), got {args.fold:g}")
    group = "pk" if args.pk else "pathway"
    table = robustness.scan(params, args.fold, progress=False if args.no_progress else None,
                            group=group)
    changed = table[(table["n_lost"] > 0) | (table["n_gained"] > 0) | (table["errors"] != "")]
    cols = ["parameter", "fold", "syn_gamma", "gain_fitted", "lost", "gained", "errors"]
    if len(changed):
        print(changed[cols].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    baseline = table.attrs["baseline"]
    n_params = table["parameter"].nunique()
    unfitted = int((~table["gain_fitted"]).sum())
    print(f"{len(table)} variants of {n_params} parameter{'s' if n_params > 1 else ''}: "
          f"{len(table) - len(changed)} change no verdict; "
          f"{int((table['n_lost'] > 0).sum())} make a passing row fail, "
          f"{int((table['n_gained'] > 0).sum())} make a failing row pass, "
          f"{int((table['errors'] != '').sum())} make a check raise "
          f"({sum(baseline.values())} of {len(baseline)} rows pass at the nominal values; "
          f"left out: {', '.join(table.attrs['skipped'])})"
          + (f"; in {unfitted}, no gain gives LIT-C2's -24% (gain_fitted False: the nominal "
             "gain is kept)" if unfitted else ""))
    if out is None:
        return 0
    from .experiment_plots import write_column_units
    from .outputs import write_text_atomically
    from .plotting import save
    from .provenance import write
    stem = "robustness_pk" if args.pk else "robustness"
    csv = out / f"{stem}.csv"
    write_text_atomically(csv, table.to_csv(index=False, float_format="%.9g"))
    units = {"parameter": ("", "the parameter varied"),
             "fold": ("dimensionless", "factor applied to its nominal value"),
             "species": ("", "the species' parameter sets it is scaled in (where it is "
                             "an assumption)"),
             "value": ("see unit", "its value in the variant (in the first of those "
                                   "species' sets)"),
             "unit": ("", "the parameter's unit"),
             "syn_gamma": ("dimensionless", "symptom gain refitted to LIT-C2 in the variant"),
             "gain_fitted": ("", "whether a gain gives LIT-C2's -24% (False: none in "
                                 "1e-3 to 1e4 that the solver can run; the nominal gain is "
                                 "kept)"),
             "n_lost": ("rows", "rows that pass at the nominal values and fail here"),
             "lost": ("", "their ids"),
             "n_gained": ("rows", "rows that fail at the nominal values and pass here"),
             "gained": ("", "their ids"),
             "errors": ("", "rows whose check raised in the variant (solver failure)"),
             **{r: ("", f"{r} passes: True, fails: False, empty: its check raised")
                for r in baseline}}
    units_path = write_column_units(list(table.columns), csv, units)
    import matplotlib.pyplot as plt
    fig = robustness.figure(table)
    figures = save(fig, out / stem)
    plt.close(fig)
    record = out / f"{stem}.csv.run.json"
    write(record, {"tool": "pathways robustness", "fold": args.fold,
                   "group": table.attrs["group"],
                   "parameters": list(table["parameter"].unique()),
                   "baseline": baseline, "skipped": table.attrs["skipped"]},
          [], [csv, units_path, *figures], command=shlex.join(["pathways", *args.argv]))
    for path in (csv, units_path, *figures, record):
        print(Path(path))
    return 0
