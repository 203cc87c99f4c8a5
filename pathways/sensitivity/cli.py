"""`pathways sensitivity`: one sensitivity study from the command line.

    pathways sensitivity --model ketamine_pk --readout ketamine_plasma --metric auc \\
        --window 0,24 --method sobol --samples 512 --dose 0.5 --minutes 40 --out results/s

`add_parser(subparsers)` registers the command on the main parser; user errors raise
PathwaysInputError (the main CLI prints one line and exits with status 2).
"""
from __future__ import annotations

import inspect
import sys
import warnings
from pathlib import Path

from ..cli_dosing import add_dose_arguments, regimen_from_args
from ..cli_perturb import SPEC_HELP, perturbations_from_args
from ..errors import PathwaysInputError

_FLAGS = {"t": "--time T", "t0": "--window A,B", "t1": "--window A,B",
          "threshold": "--threshold X"}


def add_parser(subparsers):
    """Register `sensitivity` on the main CLI's subparsers; return the parser."""
    s = subparsers.add_parser(
        "sensitivity", help="parameter sensitivity of a readout metric (Sobol', Morris, local)",
        description="Vary model parameters (×/÷ --fold, log-uniform) and rank their effect on "
                    "a metric of one readout: Sobol' S1/ST, Morris μ*/σ (SALib) or local "
                    "d ln y/d ln p. Writes <method>_indices.csv and a figure "
                    "(<method>.png, <method>.svg) to --out; sobol/morris also write "
                    "samples.csv and study.json as the samples finish (resumable with "
                    "--resume), local writes local_samples.csv. Every file written is "
                    "printed.")
    s.add_argument("--model", default="ketamine_synaptogenesis", help="model name (see "
                   "`pathways models`)")
    s.add_argument("--species", default="human", help="human, rat or mouse")
    s.add_argument("--body-weight", type=float, default=None, help="body weight in kg")
    s.add_argument("--readout", required=True, help="readout id, e.g. ketamine_plasma")
    s.add_argument("--metric", required=True, help="value_at, peak, trough, time_of_peak, "
                   "time_of_trough, auc, half_life, duration_below, duration_above")
    s.add_argument("--time", type=float, default=None, metavar="T",
                   help="time in h (value_at)")
    s.add_argument("--window", default=None, metavar="A,B",
                   help="time window in h (auc, peak, duration_*, ...); one that starts "
                        "before 0 needs '=': --window=-0.5,24")
    s.add_argument("--threshold", type=float, default=None, metavar="X",
                   help="threshold in the readout's unit (duration_below/above)")
    s.add_argument("--times", default=None, metavar="T1,T2,...",
                   help="also compute indices of the readout at these times (h); a list "
                        "that starts with a negative time needs '=': --times=-0.5,1")
    s.add_argument("--end-h", type=float, default=None,
                   help="simulation end in h (default: the latest time the metric needs)")
    s.add_argument("--method", default="sobol", help="sobol (default), morris or local")
    s.add_argument("--samples", type=int, default=None, metavar="N",
                   help="sobol: base samples (a power of 2; N·(k+2) simulations); "
                        "morris: trajectories (N·(k+1) simulations); unused for local")
    s.add_argument("--second-order", action="store_true", help="sobol: also S2")
    s.add_argument("--params", default=None, metavar="A,B,C",
                   help="parameters to vary (default: every free parameter but "
                        "a component's inputs, undosed drugs' PK and unfilled depots' absorption)")
    s.add_argument("--fold", type=float, default=2.0,
                   help="range ×/÷ fold around nominal, log-uniform (default 2)")
    s.add_argument("--seed", type=int, default=None,
                   help="sampling and bootstrap seed (default 1; sobol and morris)")
    s.add_argument("--scheduler", default=None, metavar="ADDR",
                   help="an existing dask scheduler, e.g. tcp://host:8786")
    s.add_argument("--workers", type=int, default=None, metavar="K",
                   help="local worker processes (default: one per core; 1 = in this "
                        "process)")
    s.add_argument("--batch-size", type=int, default=None,
                   help="parameter sets per task (default 50; sobol and morris)")
    s.add_argument("--resume", action="store_true",
                   help="continue an interrupted study in --out")
    s.add_argument("--force", action="store_true", help="overwrite results in --out")
    s.add_argument("--out", required=True, metavar="DIR", help="output directory")
    add_dose_arguments(s, repeat=False)
    s.add_argument("--perturb", "--perturbation", dest="perturbation", action="append",
                   default=[], metavar="SPEC", help=SPEC_HELP + " (as `pathways simulate`)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_sensitivity)
    return s


def cmd_sensitivity(args) -> int:
    """Run the study described by `args`; print a summary and the files written."""
    from .global_ import SampleSizeWarning, morris, sobol
    from .local_ import local
    from .study import Study, worker_model

    method = args.method
    if method not in ("sobol", "morris", "local"):
        raise PathwaysInputError(f"unknown method {method!r}; valid: local, morris, sobol")
    kwargs = _metric_kwargs(args)          # an unknown metric first: it is the bigger error
    if method != "local" and args.samples is None:
        raise PathwaysInputError(f"--method {method} needs --samples N")
    ignored = [flag for flag, given, used in (
        ("--second-order", args.second_order, method == "sobol"),
        ("--samples", args.samples is not None, method != "local"),
        ("--resume", args.resume, method != "local"),
        ("--seed", args.seed is not None, method != "local"),
        ("--batch-size", args.batch_size is not None, method != "local"),
        ("--workers", args.workers is not None, method != "local"),
        ("--scheduler", args.scheduler is not None, method != "local")) if given and not used]
    if ignored:
        raise PathwaysInputError(f"{', '.join(ignored)} do(es) not apply to --method {method}")
    if not args.out.strip():
        raise PathwaysInputError("--out is empty; give a folder")
    out = Path(args.out)
    if out.exists() and not out.is_dir():       # before any simulation, not after them all
        raise PathwaysInputError(f"--out {out} is a file; give a folder")
    if (out / f"{method}_indices.csv").exists() and not (args.force or args.resume):
        raise PathwaysInputError(f"{out} holds {method} results; pass "
                                 + ("--force to overwrite them" if method == "local" else
                                    "--resume to continue or --force to overwrite"))
    study = Study.define(args.model, args.readout, args.metric, kwargs,
                         regimen=regimen_from_args(args), species=args.species,
                         perturbations=perturbations_from_args(args.perturbation),
                         parameters=_names(args.params),
                         fold=args.fold, end_h=args.end_h, times=_floats(args.times, "--times"),
                         body_weight_kg=args.body_weight)
    if not study.regimen.doses and "ketamine_plasma" in worker_model(study.model).readouts:
        print("pathways: warning: no --dose: every simulation is a vehicle run, so the "
              "drug's readouts stay at their drug-free values and their indices are "
              "undefined (NaN, with a note)", file=sys.stderr)
    engine = engine_option(args) if method != "local" else None    # local runs in this process
    common = dict(engine=engine, out_dir=out, resume=args.resume, overwrite=args.force,
                  batch_size=50 if args.batch_size is None else args.batch_size,
                  seed=1 if args.seed is None else args.seed,
                  progress=False if args.no_progress else None)
    try:
        with warnings.catch_warnings():     # shown at once (one line each, by pathways.cli)
            warnings.simplefilter("always", SampleSizeWarning)
            if method == "sobol":
                result = sobol(study, args.samples, second_order=args.second_order, **common)
            elif method == "morris":
                result = morris(study, args.samples, **common)
            else:
                result = local(study)
    finally:                     # the engine is ours: stop its LocalCluster (sobol/morris
        if hasattr(engine, "close"):      # close only the engines they create themselves)
            engine.close()
    paths = result.write(out, samples=method == "local")
    if method != "local":        # the sample store written while the study ran
        from .store import SAMPLES, STUDY
        paths += [out / SAMPLES, out / STUDY]
    print(result.summary())
    for p in paths:
        print(p)
    return 0


def engine_option(args):
    """The engine that --scheduler / --workers ask for: the scheduler's address, "serial"
    (--workers 1) or a DaskEngine of a new LocalCluster (the caller closes it)."""
    if args.scheduler is not None:
        if args.workers is not None:
            raise PathwaysInputError("--workers is for a local cluster; --scheduler uses the "
                                     "cluster's own workers")
        return args.scheduler
    if args.workers is not None and args.workers < 1:
        raise PathwaysInputError(f"--workers must be >= 1, got {args.workers}")
    if args.workers == 1:
        return "serial"
    from .engines import DaskEngine
    return DaskEngine(workers=args.workers)


def _metric_kwargs(args) -> dict:
    from .. import metrics
    if args.metric not in metrics.METRICS:
        from ..errors import choices_message
        raise PathwaysInputError(choices_message("metric", args.metric, metrics.METRICS))
    given = {"t": args.time, "threshold": args.threshold}
    if args.window is not None:
        window = _floats(args.window, "--window")
        if len(window) != 2:
            raise PathwaysInputError(f"--window must be two times A,B in h, got "
                                     f"{args.window!r}")
        given.update(t0=window[0], t1=window[1])
    params = inspect.signature(metrics.METRICS[args.metric]).parameters
    allowed = {k for k in params if k != "series"}
    for k, v in given.items():
        if v is not None and k not in allowed:
            raise PathwaysInputError(f"--metric {args.metric} does not take {_FLAGS[k]}")
    for k in allowed:
        if params[k].default is inspect.Parameter.empty and given.get(k) is None:
            raise PathwaysInputError(f"--metric {args.metric} needs {_FLAGS[k]}")
    return {k: v for k, v in given.items() if v is not None}


def _floats(text, flag) -> tuple[float, ...]:
    if text is None:
        return ()
    items = text.split(",")
    if not all(x.strip() for x in items):     # "" or "1," (an unset variable, a typo)
        raise PathwaysInputError(f"{flag} must be comma-separated numbers with none empty, "
                                 f"got {text!r}")
    try:
        return tuple(float(x) for x in items)
    except ValueError:
        raise PathwaysInputError(f"{flag} must be comma-separated numbers, got {text!r}") \
            from None


def _names(text):
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise PathwaysInputError("--params names no parameter")
    return names


