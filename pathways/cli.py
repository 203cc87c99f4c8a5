"""The `pathways` command line: thin commands over the library.

User errors (PathwaysInputError, bad arguments, files that exist without --force) print one
line to stderr and exit with status 2; programming errors keep their traceback.
Heavy libraries are imported inside the commands so that `pathways --help` is fast.
"""
from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from pathlib import Path

from . import cli_streams as streams

DEFAULT_MODEL = "ketamine_synaptogenesis"
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


class UsageError(Exception):
    """A command-line usage error: reported in one line, exit status 2."""


class _StoreOnce(argparse.Action):
    """Store an option's value, refusing the same option twice (argparse keeps the last one
    silently: `--dose 1 ... --dose 10` would run 10 mg/kg without a word)."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_options_given", set())
        if option_string is not None and self.dest in given:
            parser.error(f"{option_string} given twice; give it once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def _experiment_names() -> list[str]:
    from .experiments import list_experiments
    return [e.name for e in list_experiments()]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)     # --time is not --times
        super().__init__(*args, **kwargs)
        self.register("action", None, _StoreOnce)    # the default ('store') action
        self.register("action", "store", _StoreOnce)

    def error(self, message):          # one line, not argparse's usage block
        if message.startswith("the following arguments are required"):
            for action in self._actions:   # a missing subcommand: say which there are
                if isinstance(action, argparse._SubParsersAction) and action.choices:
                    message += f" (one of: {', '.join(action.choices)})"
            if getattr(self, "valid_names", None):      # e.g. `experiment run` without a name
                message += f" (one of: {', '.join(self.valid_names())})"
        raise UsageError(message)


def _path_arg(value: str, flag: str) -> Path:
    if not value or not value.strip():
        raise UsageError(f"{flag} is empty; give a path")
    return Path(value)


def _check_source_flags(args) -> None:
    """An empty --sbml or --model (an unset shell variable) is an error, never the default."""
    wanted = {"sbml": "an SBML file", "model": "a model name (see `pathways models`)"}
    for flag, what in wanted.items():
        value = getattr(args, flag, None)
        if value is not None and not value.strip():
            raise UsageError(f"--{flag} is empty; give {what}")


def _write_guard(path: Path, force: bool) -> Path:
    """Check an output file before the work: a plain file name whose folder can exist, and
    an existing file only with --force (never a link or device: see `pathways.outputs`).
    Raises PathwaysInputError, which `main` reports like a UsageError."""
    from .errors import PathwaysInputError
    from .outputs import output_path
    path = output_path(path)
    if path.exists() and not force:
        raise PathwaysInputError(f"{path} exists; pass --force to overwrite it")
    return path


def _dir_guard(path: Path, force: bool) -> Path:
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file; give a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise UsageError(f"{path} is not empty; pass --force to overwrite its files")
    if path.is_dir():       # --force: what an overwrite would refuse midway, refused now
        # (results go into the folder itself and, for validate --report, its figures/)
        odd = next((p for p in sorted([*path.iterdir(), *(path / "figures").glob("*")])
                    if p.is_symlink() or not (p.is_file() or p.is_dir())), None)
        if odd is not None:
            raise UsageError(f"{odd} is not a regular file (a link, device or pipe), and "
                             "results are not written through it; remove it or give "
                             "another folder")
    from .outputs import folder_can_exist
    folder_can_exist(path)
    return path


# -- commands ---------------------------------------------------------------------------------
def cmd_models(args) -> int:
    """Print each shipped model with its one-line description; return exit status 0."""
    from .build import DESCRIPTIONS
    from .model import list_models
    for name in list_models():
        print(f"{name:<26} {DESCRIPTIONS.get(name, '')}")
    return 0


def cmd_build(args) -> int:
    """Write sbml/ and docs/model.md from the Antimony sources, or with --check report the
    files out of sync; return exit status 0, or 1 when --check finds a difference."""
    from .build import REPO_SBML_DIR, build_all
    from .model_docs import write_or_check
    changed = build_all(REPO_SBML_DIR, check=args.check)
    if write_or_check(args.check):
        changed.append("docs/model.md")
    if args.check:
        if changed:
            print(f"out of sync with the sources: {', '.join(changed)} "
                  "(run `pathways build`)", file=sys.stderr)
            return 1
        print("sbml/ and docs/model.md are in sync with the model sources")
        return 0
    print(f"wrote {len(changed)} file(s): {', '.join(changed) or 'none changed'}")
    return 0


def cmd_simulate(args) -> int:
    """Simulate a model (or an SBML file) for the given regimen, perturbations and parameters;
    print or write the readouts (time in h, each readout in its unit); return exit status 0."""
    from .checks import in_range
    from .cli_dosing import regimen_from_args
    from .cli_perturb import parameters_from_args, perturbations_from_args
    from .model import MAX_END_H, load
    out = None if args.out is None else _path_arg(args.out, "--out")
    plot = None if args.plot is None else _path_arg(args.plot, "--plot")
    if out is not None and plot is not None and out.resolve() == plot.resolve():
        raise UsageError(f"--out and --plot name the same file {out}")
    record = None if out is None else out.with_name(f"{out.name}.run.json")   # x.csv.run.json
    if out is not None:
        from .experiment_plots import columns_file
        _write_guard(out, args.force)
        _write_guard(record, args.force)
        _write_guard(columns_file(out), args.force)
    if plot is not None:
        if plot.suffix.lower() not in FIGURE_SUFFIXES:
            raise UsageError(f"--plot must name a {', '.join(FIGURE_SUFFIXES)} file, got "
                             f"{args.plot!r}")
        _write_guard(plot, args.force)
        plot.parent.mkdir(parents=True, exist_ok=True)   # as --out does, up front
    end_h = in_range(args.end_h, "--end-h", 0.0, MAX_END_H, "h", low_inclusive=False)
    columns = None
    if args.columns is not None:
        columns = list(dict.fromkeys(c.strip() for c in args.columns.split(",") if c.strip()))
        if not columns:
            raise UsageError("--columns is empty; give readout names separated by commas")
    _check_source_flags(args)
    if args.sbml and args.model:
        raise UsageError("give either --model or --sbml, not both")
    if args.from_initial and not args.sbml:
        raise UsageError("--from-initial is for --sbml FILE: a shipped model starts from its "
                         "drug-free steady state, to which its fold readouts are relative")
    if args.sbml:
        model = _user_model(_path_arg(args.sbml, "--sbml"), args.species, args.body_weight,
                            "initial" if args.from_initial else "steady_state")
    else:
        model = load(args.model or DEFAULT_MODEL, args.species, args.body_weight)
    regimen = regimen_from_args(args)
    perts = perturbations_from_args(args.perturb)
    params = parameters_from_args(args.param) or None
    if args.effect and not regimen.doses:
        raise UsageError("--effect needs --dose (it is the dosed run minus its vehicle twin)")
    late = [d.at_h for d in regimen.doses if d.at_h > end_h]
    if late:
        from .checks import listed_times
        raise UsageError(f"the dose{'s' if len(late) > 1 else ''} at {listed_times(late)} h "
                         f"{'are' if len(late) > 1 else 'is'} after --end-h ({end_h:g} h); "
                         "raise --end-h" + (" or give fewer --times"
                                            if getattr(args, "repeat_times", None) else ""))
    from .errors import PathwaysInputError
    from .experiments import record_runs
    extra = [c for c in columns or () if c not in model.readouts]   # species/parameter ids
    if columns is None and not args.sbml:
        extra = _dosed_drug_levels(model, regimen)
    try:
        with record_runs(shipped_only=False) as runs:      # records Model.simulate calls
            run = model.effect if args.effect else model.simulate
            if args.sbml:
                df = _foreign(args.sbml, lambda: run(
                    regimen, end_h, perts, params, points=args.points, variables=extra))
            else:
                df = run(regimen, end_h, perts, params, points=args.points, variables=extra)
    except PathwaysInputError as exc:
        if not str(exc).startswith("unknown variable"):
            raise
        unknown = [c for c in extra if repr(c) in str(exc)] or extra
        raise UsageError(f"unknown readout(s) {', '.join(unknown)}; valid: "
                         f"{', '.join(model.readouts)}, or a species or parameter id of "
                         f"{model.name}") from None
    if columns:
        df = df[columns]
    table = df.copy()
    table.index = [repr(float(t)) for t in df.index]     # times at full precision
    table.index.name = df.index.name
    csv = table.to_csv(float_format="%.9g")
    if out is not None:
        from .experiment_plots import write_column_units
        from .outputs import write_text_atomically
        write_text_atomically(out, csv)
        units = {c: model.column_unit(c) for c in df.columns}
        if args.effect:
            units = {c: (u, f"drug - vehicle: {m}") for c, (u, m) in units.items()}
        units[df.index.name] = ("h", "simulation time (0 = the start of the protocol, "
                                     "CONTRACT.md)")
        written_units = write_column_units([df.index.name, *df.columns], out, units)
    else:
        sys.stdout.write(csv)
    if plot is not None:
        from .plotting import timecourse_figure
        changes = [p.describe() for p in perts] + [f"{k}={v:g}" for k, v in (params or {}).items()]
        what = "effect (drug - vehicle) of " if args.effect else ""
        timecourse_figure(df, plot, title=f"{model.name} ({model.species}): {what}{regimen!r}"
                          + (f"; {', '.join(changes)}" if changes else ""))
    if record is not None:      # what produced the table (pathways.provenance)
        from .provenance import file_sha256, write
        fields = {"tool": "pathways simulate", "table": "drug - vehicle (effect)"
                  if args.effect else "simulated values"}
        if args.sbml:
            fields.update(sbml_file=str(Path(args.sbml).resolve()),
                          sbml_file_sha256=file_sha256(args.sbml))
        write(record, fields, runs, [p for p in (out, written_units, plot) if p is not None],
              command=shlex.join(["pathways", *args.argv]))
    return 0


def _user_model(path: Path, species: str, body_weight, start: str = "steady_state"):
    """Load a user's SBML file through the untrusted-SBML checks (pathways.sbml_io); `start`
    as `Model`'s."""
    from .model import Model
    from .sbml_io import read_sbml
    return _foreign(path, lambda: Model(f"user:{path.name}", species, body_weight,
                                        sbml=read_sbml(path), start=start))


def _foreign(path, work):
    """Run `work` on a user's SBML model; an error of an unsupported construct that is not
    already a pathways error becomes a one-line PathwaysInputError naming the file."""
    from .errors import PathwaysInputError, SimulationError
    try:
        return work()
    except (PathwaysInputError, SimulationError, OSError, UsageError):
        raise
    except Exception as exc:     # noqa: BLE001 - a construct of the user's file we cannot run
        raise PathwaysInputError(f"{Path(path).name}: cannot simulate this model "
                                 f"({type(exc).__name__}: {' '.join(str(exc).split())})"
                                 ) from None


def cmd_validate(args) -> int:
    """Run the LIT rows (all, or --rows), print the status table and, with --report, write the
    report; return exit status 1 when a row FAILs, else 0."""
    from .validation.report import table, write_report
    from .validation.runner import FAIL, all_rows, run_row
    if args.report is not None:
        _dir_guard(_path_arg(args.report, "--report"), args.force)
    rows = every = all_rows()
    if args.rows is not None:
        wanted = [r.strip() for r in args.rows.split(",") if r.strip()]
        if not wanted:
            raise UsageError("--rows needs at least one row id (e.g. LIT-PK1,LIT-C2)")
        unknown = [r for r in wanted if r not in rows]
        if unknown:
            raise UsageError(f"unknown LIT row(s) {', '.join(unknown)}; valid: "
                             f"{', '.join(rows)}")
        twice = sorted({r for r in wanted if wanted.count(r) > 1})
        if twice:
            raise UsageError(f"--rows names {', '.join(twice)} twice; give each row once")
        rows = {k: rows[k] for k in wanted}
    results = [run_row(r) for r in _progress(rows.values(), "validating")]
    print(table(results))
    if args.report:
        path = write_report(results, Path(args.report), of_all=len(every))
        print(f"report: {path}")
    return 1 if any(r.status == FAIL for r in results) else 0


def cmd_experiment_list(args) -> int:
    """Print every experiment with its paper and what it simulates; return exit status 0."""
    from .experiments import list_experiments
    for e in list_experiments():
        print(f"{e.name:<28} {e.paper}\n{'':<28} {e.what}")
    return 0


def cmd_experiment_run(args) -> int:
    """Run one experiment (full, or --quick) and print the paths of the figures and tables it
    wrote; return exit status 0."""
    from .errors import PathwaysInputError, choices_message
    from .experiments import list_experiments, run_experiment
    names = [e.name for e in list_experiments()]
    if args.name not in names:          # before the folder check: the name is the error
        raise PathwaysInputError(choices_message("experiment", args.name, names))
    _dir_guard(_path_arg(args.out, "--out") if args.out is not None
               else Path("results") / args.name, args.force)
    for path in run_experiment(args.name, args.out, args.quick,
                               command=shlex.join(["pathways", *args.argv])):
        print(path)
    return 0


def cmd_export_omex(args) -> int:
    """Export a model or an experiment as a COMBINE archive (.omex: SBML, SED-ML, manifest) and
    print what it holds; return exit status 0."""
    from .interop import export_omex
    out = _path_arg(args.out, "--out")
    if out.suffix.lower() != ".omex":
        raise UsageError(f"--out must name a .omex file, got {out}")
    _write_guard(out, args.force)
    result = export_omex(args.name, out, species=args.species)
    print(f"wrote {result.path}: {len(result.runs)} time course(s) "
          f"({', '.join(result.arm_ids)}), SBML + SED-ML L1V3 + manifest")
    from .model import list_models
    if args.name in list_models() and not any(run.regimen.doses for run in result.runs):
        print(f"pathways: note: {args.name} has no dose input (it takes its upstream inputs "
              "as parameters, at their drug-free values), so the archived run is drug-free; "
              "export ketamine_synaptogenesis or an experiment for a dosed run",
              file=sys.stderr)
    if result.notes:
        print("encoded in the SBML because SED-ML cannot express it (see README.md in the "
              "archive):")
        for note in result.notes:
            print(f"  {note}")
    return 0


def cmd_report(args) -> int:
    """Write a model's report (Markdown, HTML and figures) and print their paths; return exit
    status 0."""
    from .report import write_report
    from .species import check_species
    from .model import list_models
    if args.name not in list_models():        # a bad name or species before the folder
        from .errors import PathwaysInputError, choices_message
        raise PathwaysInputError(choices_message("model", args.name, list_models()))
    if args.species is not None:
        check_species(args.species)
    out = (_path_arg(args.out, "--out") if args.out is not None
           else Path("results") / "report" / args.name)
    _dir_guard(out, args.force)
    report = write_report(args.name, out, species=args.species)
    for path in (report.markdown, report.html, *report.figures):
        print(path)
    return 0


def _progress(items, label):
    items = list(items)
    for i, item in enumerate(items, 1):
        if sys.stderr.isatty():
            print(f"\r{label} {i}/{len(items)}", end="", file=sys.stderr, flush=True)
        yield item
    if sys.stderr.isatty():
        print(file=sys.stderr)


# -- parser -----------------------------------------------------------------------------------
def version_line() -> str:
    """Return "pathways X (libroadrunner Y, antimony Z, python-libsbml W, numpy N, Python V)":
    the versions a simulation result depends on (`pathways.provenance.versions`)."""
    from .provenance import versions
    v = versions()
    stack = ", ".join(f"{d} {v[d]}" for d in v if d not in ("pathways", "python"))
    return f"pathways {v['pathways']} ({stack}, Python {v['python']})"


class _VersionAction(argparse.Action):
    """--version: print version_line() on one line (argparse's own action wraps it)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """Return the argparse parser of the `pathways` command, with every subcommand and option."""
    from .cli_dosing import add_dose_arguments
    from .cli_perturb import add_perturbation_arguments
    p = _Parser(prog="pathways", description="Ketamine antidepressant-mechanism models: "
                "build, simulate, validate against the literature.")
    p.add_argument("--version", action=_VersionAction,
                   help="print the versions of pathways and of the simulator stack, then exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("models", help="list the shipped models")
    s.set_defaults(func=cmd_models)

    s = sub.add_parser("build", help="write sbml/<name>.xml from the Antimony sources")
    s.add_argument("--check", action="store_true",
                   help="only compare; exit 1 if a committed file differs from the sources")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("simulate", help="simulate a dosing regimen and write CSV",
                       description="Simulate one dose (bolus, or IV infusion with --minutes), "
                       "optionally repeated; write readouts as CSV (time in hours).")
    s.add_argument("--model", default=None, help="model name (see `pathways models`; "
                   "default: ketamine_synaptogenesis)")
    s.add_argument("--sbml", default=None, metavar="FILE",
                   help="simulate this SBML file instead (validated with libSBML first; it "
                   "starts from its own steady state, as every pathways run does, and its "
                   "declared time unit is converted to hours)")
    s.add_argument("--from-initial", action="store_true",
                   help="with --sbml: start from the file's own initial values instead of "
                        "its steady state (for a model without one: an oscillator, growth)")
    s.add_argument("--species", default="human",
                   help="human, rat or mouse (with --sbml: only the subject whose weight "
                        "converts mg/kg doses; the file keeps its own parameter values)")
    s.add_argument("--body-weight", type=float, default=None, help="body weight in kg")
    add_dose_arguments(s)
    add_perturbation_arguments(s)
    s.add_argument("--effect", action="store_true",
                   help="write the drug effect instead: the dosed run minus the vehicle run "
                   "under the same perturbations and parameters (LITERATURE.md's definition; "
                   "each column a difference in its unit)")
    s.add_argument("--end-h", type=float, required=True, help="end time in hours")
    s.add_argument("--points", type=int, default=None, help="number of output times "
                   "(default: one per 6 min)")
    s.add_argument("--columns", default=None, help="comma-separated readouts to keep (also "
                   "any species, in µM, or parameter id of the model)")
    s.add_argument("--out", default=None,
                   help="CSV file (default: stdout); with it, FILE_columns.csv gives each "
                        "column's unit and FILE.csv.run.json what produced the table")
    s.add_argument("--plot", default=None, help="figure file (.png, .svg or .pdf)")
    s.add_argument("--force", action="store_true",
                   help="overwrite existing output files (--out, its .run.json record, --plot)")
    s.set_defaults(func=cmd_simulate)

    s = sub.add_parser("validate", help="check the models against shared/LITERATURE.md",
                       description="Run every LIT row; print id, status, expected and "
                       "simulated values; exit 1 if a row FAILs.")
    s.add_argument("--rows", default=None, help="comma-separated row ids (default: all)")
    s.add_argument("--report", default=None, metavar="DIR",
                   help="write DIR/validation.md and one figure per row")
    s.add_argument("--force", action="store_true", help="overwrite files in DIR")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("experiment", help="list or run the published in-silico experiments")
    esub = s.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=_Parser,
                           required=True)
    e = esub.add_parser("list", help="list the experiments with their papers")
    e.set_defaults(func=cmd_experiment_list)
    e = esub.add_parser("run", help="run one experiment (figures and CSV)")
    e.add_argument("name", help="experiment name (see `pathways experiment list`)")
    e.valid_names = _experiment_names
    e.add_argument("--quick", action="store_true", help="short horizon (smoke run)")
    e.add_argument("--out", default=None, help="output directory (default results/NAME)")
    e.add_argument("--force", action="store_true", help="overwrite earlier results")
    e.set_defaults(func=cmd_experiment_run)

    s = sub.add_parser("export", help="export runs for other simulators (COMBINE archives)")
    xsub = s.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=_Parser,
                           required=True)
    x = xsub.add_parser(
        "omex", help="write a COMBINE archive (SBML + SED-ML + manifest) of an experiment or a model",
        description="Write one COMBINE archive of experiment NAME (every time course it "
        "simulates, one SED-ML task each) or of model NAME (its nominal run: ketamine 0.5 "
        "mg/kg IV over 40 min, 24 h; drug-free for a component without the PK, whose "
        "inputs are parameters). Each SBML starts at the computed pre-dose steady "
        "state; dosing and acute perturbations are SBML events. Byte-identical for the "
        "same input.")
    x.add_argument("name", help="experiment (`pathways experiment list`) or model name")
    x.add_argument("--species", default=None,
                   help="human, rat or mouse (default: the experiment's own; human for a model)")
    x.add_argument("--out", required=True, help="the archive to write (FILE.omex)")
    x.add_argument("--force", action="store_true", help="overwrite an existing archive")
    x.set_defaults(func=cmd_export_omex)

    s = sub.add_parser("report", help="write a model report (Markdown + HTML)",
                       description="Write the model report of NAME: cascade diagram, species "
                       "and reactions with annotations, parameters with unit and source, the "
                       "LIT rows it reproduces and the libSBML validation summary.")
    s.add_argument("name", help="model name (see `pathways models`)")
    s.add_argument("--species", default="human", help="parameter set: human, rat or mouse")
    s.add_argument("--out", default=None, help="output directory (default results/report/NAME)")
    s.add_argument("--force", action="store_true", help="overwrite files in the directory")
    s.set_defaults(func=cmd_report)

    from .sensitivity.cli import add_parser as add_sensitivity
    add_sensitivity(sub)
    from .graph_cli import add_parser as add_graph
    add_graph(sub)
    from .population_cli import add_parser as add_trial
    add_trial(sub)
    from .robustness_cli import add_parser as add_robustness
    add_robustness(sub)
    return p


def _dosed_drug_levels(model, regimen) -> list[str]:
    """Return the ids of the plasma (`{prefix}_central`) and unbound brain (`_brain_u`)
    levels, in µM, of each dosed drug that the contract's ketamine readouts do not show
    (memantine, midazolam), and say so on stderr: without them a run of ketamine_pk with
    midazolam printed only zeros."""
    from .drugs import get_drug

    ids = [f"{get_drug(d).prefix}{suffix}"
           for d in dict.fromkeys(dose.drug for dose in regimen.doses)
           if d not in ("ketamine", "esketamine")
           # HNK's plasma level is a readout (hydroxynorketamine_plasma); its brain level not
           for suffix in (("_brain_u",) if d == "hydroxynorketamine"
                          else ("_central", "_brain_u"))]
    ids = [i for i in ids if model.has_variable(i)]
    if ids:
        print(f"pathways: note: added {', '.join(ids)} (µM; _central: plasma, _brain_u: "
              "unbound in brain), levels of the dosed drug that the readouts do not show",
              file=sys.stderr)
    return ids


def main(argv=None) -> int:
    """Run the `pathways` command line with `argv` (default: sys.argv[1:]); return the exit
    status: 0 success, 1 a failed check (a FAIL row, sources out of sync), 2 a user error or
    a solver failure (one line on stderr, no traceback), 130 when interrupted."""
    from .errors import PathwaysInputError, SimulationError
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        args.argv = list(sys.argv[1:] if argv is None else argv)     # for provenance records
        if not getattr(args, "func", None):
            raise UsageError("give a command (see pathways --help)")
        streams.quiet_solver_log()
        with streams.native_output_silenced(), warnings.catch_warnings():
            warnings.showwarning = streams.show_warning
            return args.func(args)
    except (UsageError, PathwaysInputError) as exc:
        print(f"pathways: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:      # a file or directory the user named cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        print(f"pathways: error: {exc.strerror or exc}{where}", file=sys.stderr)
        if not exc.filename:          # most likely standard output itself
            streams.drop_stdout()
        return 2
    except SimulationError as exc:   # the solver failed for this model, regimen or parameters
        print(f"pathways: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:       # Ctrl-C: one line, and where the finished work is
        print(f"pathways: interrupted{_resume_hint(args)}", file=sys.stderr)
        return 130


def _resume_hint(args) -> str:
    """After Ctrl-C: where an interrupted Sobol' or Morris study kept its finished samples
    (nothing if it kept none: local studies keep none, and a study stopped before its first
    batch leaves no files)."""
    if getattr(args, "command", None) != "sensitivity" or \
            str(getattr(args, "method", "")).lower() == "local":
        return ""
    from .sensitivity.store import SAMPLES
    samples = Path(getattr(args, "out", "") or "") / SAMPLES
    try:
        with samples.open(encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
    except OSError:
        return ""
    return (f"; {rows} finished samples are kept in {samples.parent}: rerun with --resume to "
            "continue") if rows > 0 else ""


if __name__ == "__main__":
    sys.exit(main())
