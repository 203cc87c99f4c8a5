"""SED-ML and the COMBINE archive of an experiment's runs (libsedml, libcombine), written with
fixed entry dates so that the same input gives byte-identical archives."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import PathwaysInputError
from ..regimen import Regimen
from .run_sbml import run_sbml
from .runs import Run, export_times, make_run, merge_variables

KISAO_CVODE = "KISAO:0000019"
ALGORITHM_PARAMETERS = {          # KiSAO id -> value: tighter than Model.simulate (1e-8, 1e-12)
    "KISAO:0000209": 1e-10,       # relative tolerance
    "KISAO:0000211": 1e-14,       # absolute tolerance
    "KISAO:0000415": 1_000_000,   # maximum number of steps
}
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # every archive entry gets this date: no build timestamps
OMEX_FORMATS = {".xml": "http://identifiers.org/combine.specifications/sbml.level-3.version-2",
                ".sedml": "http://identifiers.org/combine.specifications/sed-ml.level-1.version-3",
                ".md": "http://purl.org/NET/mediatypes/text/markdown"}




@dataclass(frozen=True)
class Export:
    """What `export_omex` wrote: the archive path, the runs (one SED-ML task each, in order),
    their arm ids, the notes on what was encoded as SBML events or initial values, and the
    one-line description of what was exported."""

    path: Path
    runs: tuple[Run, ...]
    arm_ids: tuple[str, ...]
    notes: tuple[str, ...]
    description: str = ""


def runs_for(name: str, species: str | None = None) -> tuple[list[Run], str]:
    """Return (runs, description) for `name`: an experiment (its recorded time courses, see
    `pathways.experiments.experiment_runs`; `species` re-runs them with that species' parameter
    set) or a model name (its nominal run: ketamine 0.5 mg/kg IV over 40 min, 24 h, one point
    per 6 min; default species human; a component model without the PK has no dose input,
    so its nominal run is drug-free, with its upstream inputs at their drug-free values)."""
    from ..experiments import EXPERIMENTS, experiment_runs
    from ..model import list_models, load
    from ..species import check_species

    if species is not None:
        check_species(species)
    if name in list_models():
        model = load(name, species or "human")
        regimen = Regimen.infusion(0.5, minutes=40) if "ket_infusion_rate" in \
            model._default_init else Regimen.none()
        what = ("" if regimen.doses else " (drug-free: this component takes its upstream "
                "inputs as parameters, at their drug-free values; export "
                "ketamine_synaptogenesis or an experiment for a dosed run)")
        return ([make_run(model, regimen, 24.0)],
                f"model {name} ({model.species}): nominal run, {regimen!r}, 24 h{what}")
    if name not in EXPERIMENTS:
        raise PathwaysInputError(
            f"unknown experiment or model {name!r}; valid: "
            + ", ".join(sorted(EXPERIMENTS) + list_models()))
    runs = experiment_runs(name)
    if species is not None:
        runs = merge_variables(_with_species(r, species) for r in runs)
    e = EXPERIMENTS[name]
    what = f"experiment {name}: {e.what} ({e.paper})"
    if species is not None:      # the description names the experiment's own subjects
        what += f"; re-run here with the {species} parameter set (--species)"
    return runs, what


def _with_species(run: Run, species: str) -> Run:
    from ..model import load
    model = load(run.model, species)
    return make_run(model, run.regimen, run.end_h, run.perturbations,
                    dict(run.parameters) or None, np.asarray(run.times), run.variables)


def export_omex(name: str, out, species: str | None = None) -> Export:
    """Write the COMBINE archive of experiment or model `name` to `out` (.omex); return an
    `Export`. Each time course is one SBML file (`models/armNN.xml`, see `run_sbml`) and one
    SED-ML task (uniform time course in hours, CVODE with the tolerances of
    ALGORITHM_PARAMETERS) with a report of `time_h`, every readout (readout units) and every
    other model quantity the run reads (`Run.variables`: species in µM), and one plot of one
    readout; README.md in the archive lists the arms and what was encoded as events."""
    from ..model import load
    from ..outputs import output_path

    path = output_path(out, "archive")      # before the work: a bad path fails now
    runs, what = runs_for(name, species)
    files: dict[str, bytes] = {}
    notes: list[str] = []
    arm_ids = []
    models: dict = {}
    arms = []
    for i, run in enumerate(runs, start=1):
        arm = f"arm{i:02d}"
        key = (run.model, run.species, run.body_weight_kg)
        if key not in models:
            models[key] = load(run.model, run.species, run.body_weight_kg)
        model = models[key]
        sbml, arm_notes = run_sbml(model, run)
        files[f"models/{arm}.xml"] = sbml.encode()
        arms.append((arm, run, [*model.readouts, *run.variables],
                     {v: _target_kind(model, v) for v in run.variables}))
        arm_ids.append(arm)
        notes += [f"{arm}: {n}" for n in arm_notes]
    sedml = _sedml(arms, what)
    files["simulation.sedml"] = sedml.encode()
    files["README.md"] = _readme(name, what, arms, notes).encode()
    _write_archive(path, files)
    return Export(path, tuple(runs), tuple(arm_ids), tuple(notes), what)


def _target_kind(model, variable: str) -> str:
    """Return the SBML list an exported variable lives in: species, compartment or
    parameter (the readouts are parameters defined by assignment rules)."""
    if variable in model._species_ids:
        return "species"
    return "compartment" if variable in model._compartment_ids else "parameter"


def _sedml(arms, what: str) -> str:
    """Return the SED-ML L1V3 text of the arms, written with libsedml (in a subprocess when
    libsbml was imported before libsedml in this process: see pathways/__init__.py)."""
    spec = {"what": what, "algorithm": [KISAO_CVODE, ALGORITHM_PARAMETERS], "arms": []}
    for arm, run, readouts, kinds in arms:
        times = export_times(run)
        spec["arms"].append({"arm": arm, "name": run.describe(), "t0": float(times[0]),
                             "duration": float(times[-1] - times[0]),
                             "steps": len(times) - 1, "readouts": list(readouts),
                             "kinds": kinds})
    if "libsedml" in sys.modules or "libsbml" not in sys.modules:
        return sedml_from_spec(spec)
    proc = subprocess.run([sys.executable, "-c", "import sys, json; "
                           "from pathways.interop import sedml_from_spec; "
                           "sys.stdout.write(sedml_from_spec(json.load(sys.stdin)))"],
                          input=json.dumps(spec), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"writing SED-ML failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def sedml_from_spec(spec: dict) -> str:
    """Return SED-ML L1V3 (libsedml) for a plain-data description of the arms: per arm a
    model `models/<arm>.xml`, a uniform time course from 0 for `duration` hours in `steps`
    steps, CVODE with the given KiSAO parameters, a task, data generators `<arm>_time_h`
    (SBML time + `t0`) and `<arm>_<readout>`, a report; and one plot of the main readout."""
    import libsedml

    kisao, parameters = spec["algorithm"]
    doc = libsedml.SedDocument(1, 3)
    # the targets' `sbml:` prefix is declared, so that tools resolving XPath prefixes from
    # the document itself (lxml, for one) can evaluate them
    doc.getNamespaces().add("http://www.sbml.org/sbml/level3/version2/core", "sbml")
    doc.setNotes('<body xmlns="http://www.w3.org/1999/xhtml"><p>'
                 + _xml_escape(f"pathways export: {spec['what']}. Dosing and acute "
                               "perturbations are SBML events in the models; time_h = SBML "
                               "time + the arm's first output time (h).") + "</p></body>")
    plot = doc.createPlot2D()
    plot.setId("plot_main")
    # one readout in the plot: the symptom if an arm has it, else the first arm's first one;
    # an arm without that readout has no curve (a plot mixing units says nothing)
    everything = [r for a in spec["arms"] for r in a["readouts"]]
    main = ("symptom_change_pct" if "symptom_change_pct" in everything
            else spec["arms"][0]["readouts"][0])
    plot.setName(main)
    for a in spec["arms"]:
        arm, readouts, t0 = a["arm"], a["readouts"], a["t0"]
        kinds = a.get("kinds", {})
        m = doc.createModel()
        m.setId(f"model_{arm}")
        m.setName(a["name"])
        m.setLanguage("urn:sedml:language:sbml.level-3.version-2")
        m.setSource(f"models/{arm}.xml")
        sim = doc.createUniformTimeCourse()
        sim.setId(f"sim_{arm}")
        sim.setInitialTime(0.0)
        sim.setOutputStartTime(0.0)
        sim.setOutputEndTime(a["duration"])
        sim.setNumberOfPoints(a["steps"])           # L1V3: the number of steps
        alg = sim.createAlgorithm()
        alg.setKisaoID(kisao)
        for kid, value in parameters.items():
            p = alg.createAlgorithmParameter()
            p.setKisaoID(kid)
            p.setValue(repr(value))
        task = doc.createTask()
        task.setId(f"task_{arm}")
        task.setName(a["name"])
        task.setModelReference(m.getId())
        task.setSimulationReference(sim.getId())
        report = doc.createReport()
        report.setId(f"report_{arm}")
        report.setName(a["name"])
        for col in ["time_h", *readouts]:
            dg = doc.createDataGenerator()
            dg.setId(f"{arm}_{col}")
            dg.setName(col)
            var = dg.createVariable()
            var.setId(f"v_{arm}_{col}")
            var.setTaskReference(task.getId())
            if col == "time_h":
                var.setSymbol("urn:sedml:symbol:time")
                formula = var.getId() + (f" + {t0!r}" if t0 else "")
            else:
                kind = kinds.get(col, "parameter")
                plural = {"species": "Species", "compartment": "Compartments",
                          "parameter": "Parameters"}[kind]
                var.setTarget(f"/sbml:sbml/sbml:model/sbml:listOf{plural}/"
                              f"sbml:{kind}[@id='{col}']")
                formula = var.getId()
            dg.setMath(libsedml.parseL3Formula(formula))
            ds = report.createDataSet()
            ds.setId(f"ds_{arm}_{col}")
            ds.setLabel(col)
            ds.setDataReference(dg.getId())
        if main not in readouts:
            continue
        curve = plot.createCurve()
        curve.setId(f"curve_{arm}")
        curve.setName(arm)
        curve.setLogX(False)
        curve.setLogY(False)
        curve.setXDataReference(f"{arm}_time_h")
        curve.setYDataReference(f"{arm}_{main}")
    if doc.getNumErrors(libsedml.LIBSEDML_SEV_ERROR):
        raise RuntimeError(f"SED-ML: {doc.getErrorLog().toString()}")
    return libsedml.writeSedMLToString(doc)


def _xml_escape(text: str) -> str:
    import html
    return html.escape(text, quote=False)


def _readme(name: str, what: str, arms, notes) -> str:
    lines = [f"# COMBINE archive of `{name}` (pathways export omex)", "", what, "",
             "Execute `simulation.sedml` with any SED-ML L1V3 tool (tellurium, COPASI, "
             "BioSimulators). Time is in hours; `time_h` = SBML time + the arm's first "
             "output time. Each model starts from the pre-dose steady state that pathways "
             "computed (initial amounts), so no steady-state step is needed.", "",
             "| arm | time course | output times (h) |", "|---|---|---|"]
    for arm, run, *_ in arms:
        t = export_times(run)
        lines.append(f"| {arm} | {run.describe()} | {t[0]:g} to {t[-1]:g}, "
                     f"{len(t)} points |")
    lines += ["", "## Encoded in the SBML (SED-ML cannot express these)", ""]
    lines += [f"- {n}" for n in notes] or ["- nothing (vehicle runs)"]
    return "\n".join(lines) + "\n"


def _write_archive(path: Path, files: dict[str, bytes]) -> None:
    """Write the archive with libcombine (manifest), then rewrite the zip with sorted entries
    and fixed dates (libcombine stamps the current time), atomically."""
    import tempfile

    import libcombine

    archive = libcombine.CombineArchive()
    for target, data in files.items():
        fmt = OMEX_FORMATS[Path(target).suffix]
        ok = archive.addFileFromString(data.decode(), target, fmt, target == "simulation.sedml")
        if not ok:
            raise RuntimeError(f"libcombine could not add {target}")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.omex"
        if not archive.writeToFile(str(raw)):
            raise RuntimeError("libcombine could not write the archive")
        archive.cleanUp()
        with zipfile.ZipFile(raw) as z:
            entries = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in sorted(entries):
            info = zipfile.ZipInfo(n, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[n])
    from ..outputs import write_atomically
    write_atomically(path, lambda tmp: Path(tmp).write_bytes(buf.getvalue()), "archive")
