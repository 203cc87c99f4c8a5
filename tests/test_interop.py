"""Interoperability (issue 9): every experiment exports as a COMBINE archive that tellurium's
own COMBINE runner and, independently, COPASI (copasi-basico, in a subprocess) execute to the
same numbers as `Model.simulate`; exported SBML is clean and fully annotated; archives are
byte-identical for the same input; the model report renders."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import pathways
from pathways.build import sbml_problems
from pathways.experiments import list_experiments
from pathways.interop import ALGORITHM_PARAMETERS, ZIP_DATE, export_omex, export_times
from pathways.model import LATE_DOSE_WARNING, list_models

ABS_TOL, REL_TOL = 1e-6, 1e-4          # |Δ| ≤ 1e-6 + 1e-4·|value| at every output time
EXPERIMENTS = [e.name for e in list_experiments()]
COPASI_RUNNER = Path(__file__).with_name("copasi_runner.py")
ANNOTATION = re.compile(r"identifiers\.org/(uniprot/|chebi/CHEBI:|GO:|CHEBI:)")


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """{experiment: Export}, each experiment exported once per test session."""
    root = tmp_path_factory.mktemp("omex")
    return {name: export_omex(name, root / f"{name}.omex") for name in EXPERIMENTS}


@pytest.fixture(scope="module")
def references():
    """Model.simulate of each exported run at the archive's output times (memoised), with
    CVODE at the archive's tolerances (rtol 1e-10, atol 1e-14) instead of the default 1e-8 /
    1e-12: at the default, Model.simulate's own error exceeds 1e-4·|value| on a slow readout
    (midazolam arm of fava2018_dose_ranging, symptom_change_pct at 14 d: 0.102708 against
    0.102650, to which Model.simulate at 1e-10, tellurium and COPASI all converge)."""
    from pathways import model as model_module

    cache, models = {}, {}
    tight = {"relative_tolerance": ALGORITHM_PARAMETERS["KISAO:0000209"],
             "absolute_tolerance": ALGORITHM_PARAMETERS["KISAO:0000211"]}

    def get(run):
        if run not in cache:
            key = (run.model, run.species, run.body_weight_kg)
            with pytest.MonkeyPatch.context() as mp:
                for k, v in tight.items():
                    mp.setitem(model_module.INTEGRATOR, k, v)
                if key not in models:
                    models[key] = pathways.load(*key)
                cache[run] = models[key].simulate(
                    run.regimen, run.end_h, perturbations=run.perturbations,
                    parameters=dict(run.parameters) or None, points=export_times(run),
                    variables=run.variables)
        return cache[run]
    return get


def worst_deviation(export, results, reference) -> tuple[float, str]:
    """Return (max over arms, readouts and times of |Δ| / (ABS_TOL + REL_TOL·|value|), where).

    `results` maps SED-ML data-generator ids to arrays from an outside simulator."""
    worst, where = 0.0, ""
    for arm, run in zip(export.arm_ids, export.runs):
        ref = reference(run)
        times = np.ravel(results[f"{arm}_time_h"])
        assert times.shape == ref.index.shape, (arm, times.shape, ref.index.shape)
        np.testing.assert_allclose(times, ref.index, rtol=0, atol=1e-9)
        for col in ref.columns:
            value = np.ravel(results[f"{arm}_{col}"])
            expected = ref[col].to_numpy()
            ratio = np.abs(value - expected) / (ABS_TOL + REL_TOL * np.abs(expected))
            if ratio.max() > worst:
                i = int(ratio.argmax())
                worst = float(ratio.max())
                where = (f"{arm} {col} at {ref.index[i]:g} h: {value[i]!r} vs "
                         f"{expected[i]!r}")
    return worst, where


def run_tellurium(path: Path) -> dict:
    """Execute the archive with tellurium's COMBINE runner; return {data generator: array}."""
    import warnings

    with warnings.catch_warnings():       # tellurium warns on import that the optional
        warnings.simplefilter("ignore", ImportWarning)      # rrplugins are missing
        import tellurium as te
    out = te.executeCombineArchive(str(path), createOutputs=False, saveOutputs=False)
    (result,) = out.values()
    return result["dataGenerators"]


def start_copasi(path: Path, tmp: Path):
    """Start executing the archive with COPASI (copasi-basico) in a subprocess, so that it runs
    on the second core while tellurium runs in this one; return a function that waits for it
    and returns its arrays (its `stop()` kills the subprocess instead)."""
    out = tmp / f"{path.stem}_copasi.npz"
    proc = subprocess.Popen([sys.executable, str(COPASI_RUNNER), str(path), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result() -> dict:
        try:
            _, stderr = proc.communicate(timeout=900)
        finally:
            stop()
        assert proc.returncode == 0, stderr[-2000:]
        return dict(np.load(out))

    def stop() -> None:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    result.stop = stop
    return result


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_archive_runs_in_tellurium_and_copasi_like_model_simulate(
        name, archives, references, tmp_path):
    export = archives[name]
    assert export.runs, f"{name} exported no time course"
    copasi = start_copasi(export.path, tmp_path)       # in parallel with tellurium
    try:
        tel = run_tellurium(export.path)
    except BaseException:              # a tellurium failure or Ctrl-C: stop COPASI, report it
        copasi.stop()
        raise
    cop = copasi()
    tel_worst, tel_where = worst_deviation(export, tel, references)
    cop_worst, cop_where = worst_deviation(export, cop, references)
    print(f"{name}: max |Δ|/tol tellurium {tel_worst:.3g} ({tel_where}); "
          f"COPASI {cop_worst:.3g} ({cop_where})")
    assert tel_worst <= 1.0, f"tellurium: {tel_where}"
    assert cop_worst <= 1.0, f"COPASI: {cop_where}"
    assert set(tel) == set(cop)
    for dg in tel:                        # and the two outside simulators agree with each other
        a, b = np.ravel(tel[dg]), np.ravel(cop[dg])
        assert np.all(np.abs(a - b) <= ABS_TOL + REL_TOL * np.abs(b)), dg


def test_headline_archive_is_full_length_and_has_its_three_arms(archives):
    export = archives["headline"]
    assert len(export.runs) == 3
    for run in export.runs:
        times = export_times(run)
        assert times[0] == 0.0 and times[-1] == pytest.approx(14 * 24.0)
        assert np.all(np.isin(np.round(run.times, 9), np.round(times, 9)))
    doses = sorted(d.drug for run in export.runs for d in run.regimen.doses)
    assert doses == ["ketamine", "midazolam"]


def test_deviation_check_detects_a_wrong_result(archives, references):
    """The comparison can fail: a result 1e-3 off at one time is flagged."""
    export = archives["zarate2006_pk"]
    arm, run = export.arm_ids[0], export.runs[0]
    ref = references(run)
    results = {f"{arm}_time_h": ref.index.to_numpy()}
    results |= {f"{arm}_{c}": ref[c].to_numpy().copy() for c in ref.columns}
    assert worst_deviation(export, results, references)[0] == 0.0
    results[f"{arm}_ketamine_plasma"][10] *= 1.001
    assert worst_deviation(export, results, references)[0] > 1.0


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_archive_content_is_clean_sbml_sedml_and_manifest(name, archives):
    import libcombine
    import libsbml
    import libsedml

    export = archives[name]
    archive = libcombine.CombineArchive()
    assert archive.initializeFromArchive(str(export.path))
    master = archive.getMasterFile()
    assert master is not None and master.getLocation() == "simulation.sedml"
    sedml = libsedml.readSedMLFromString(archive.extractEntryToString("simulation.sedml"))
    assert sedml.getNumErrors(libsedml.LIBSEDML_SEV_ERROR) == 0
    assert sedml.getNumTasks() == len(export.runs)
    assert sedml.getNumOutputs() == len(export.runs) + 1          # a report per arm, a plot
    # the targets' prefix is declared in the document, bound to the models' namespace, and
    # each target names exactly one element of its model (checked outside libsedml)
    import re
    import xml.etree.ElementTree as ET
    sedml_text = archive.extractEntryToString("simulation.sedml")
    declared = dict(re.findall(r'xmlns:(\w+)="([^"]+)"', sedml_text.split(">", 2)[1]))
    for arm in export.arm_ids:
        text = archive.extractEntryToString(f"models/{arm}.xml")
        root = ET.fromstring(text)
        assert root.tag == "{" + declared["sbml"] + "}sbml"
        targets = re.findall(rf"<variable id=\"v_{arm}_[^\"]*\" target=\"([^\"]+)\"",
                             sedml_text)
        assert targets
        for target in targets:
            path = target.replace("&apos;", "'").removeprefix("/sbml:sbml/")
            assert len(root.findall(path, {"sbml": declared["sbml"]})) == 1, target
    for arm in export.arm_ids:
        text = archive.extractEntryToString(f"models/{arm}.xml")
        doc = libsbml.readSBMLFromString(text)
        assert sbml_problems(doc) == [], (arm, sbml_problems(doc)[:3])
        model = doc.getModel()
        assert model.getNumInitialAssignments() == sum(
            1 for ia in model.getListOfInitialAssignments()
            if model.getSpecies(ia.getSymbol()) is None), "species initial assignments left"
        assert all(s.isSetInitialAmount() for s in model.getListOfSpecies())
    archive.cleanUp()
    with zipfile.ZipFile(export.path) as z:
        assert {i.date_time for i in z.infolist()} == {ZIP_DATE}
        readme = z.read("README.md").decode()
    for note in export.notes:
        assert note.split(": ", 1)[1] in readme
    rates = [n for n in export.notes if "_infusion_rate = " in n]      # every value has its unit
    assert all("umol_per_h" in n for n in rates)


def test_events_encode_the_doses_and_perturbations_sedml_cannot(archives):
    """Lepack 2015: pretreatments before the dose (a -0.5 h start), NBQX wearing off 2 h
    after it is given (10 min before ketamine)."""
    import libsbml

    export = archives["lepack2015_bdnf_release"]
    with zipfile.ZipFile(export.path) as z:
        docs = {arm: libsbml.readSBMLFromString(z.read(f"models/{arm}.xml").decode())
                for arm in export.arm_ids}
    nbqx = [arm for arm, run in zip(export.arm_ids, export.runs)
            if any(p.name == "nbqx" for p in run.perturbations) and run.regimen.doses]
    assert nbqx
    m = docs[nbqx[0]].getModel()
    assert m.getParameter("AMPAR_scale").getValue() == pytest.approx(0.1)   # on at t0
    sets = {m.getEvent(i).getEventAssignment(j).getVariable(): m.getEvent(i)
            for i in range(m.getNumEvents())
            for j in range(m.getEvent(i).getNumEventAssignments())}
    off = sets["AMPAR_scale"]
    start = export.runs[export.arm_ids.index(nbqx[0])].times[0]
    assert m.getParameter(off.getId() + "_time").getValue() == pytest.approx(
        -1 / 6 + 2.0 - start)
    assert m.getParameter(off.getId() + "_AMPAR_scale").getValue() == pytest.approx(1.0)
    dose = sets["ket_depot_ip"]
    assert m.getParameter(dose.getId() + "_time").getValue() == pytest.approx(-start)


def test_same_input_gives_byte_identical_archives(archives, tmp_path):
    again = export_omex("headline", tmp_path / "headline.omex")
    first = archives["headline"].path.read_bytes()
    assert hashlib.sha256(again.path.read_bytes()).hexdigest() == \
        hashlib.sha256(first).hexdigest()


def test_species_option_reruns_the_experiment_with_that_parameter_set(tmp_path):
    export = export_omex("zarate2006_pk", tmp_path / "pk_rat.omex", species="rat")
    assert {run.species for run in export.runs} == {"rat"}
    assert all("nket_brain_u" in run.variables for run in export.runs)   # kept (were dropped)
    with zipfile.ZipFile(export.path) as z:
        text = z.read("models/arm01.xml").decode()
    assert 'id="body_weight"' in text and "(rat)" in text
    with zipfile.ZipFile(export.path) as z:    # the README says the subjects were changed
        readme = z.read("README.md").decode()
    assert "re-run here with the rat parameter set" in readme


# -- annotations ------------------------------------------------------------------------------
def annotation_gaps(doc) -> list[str]:
    """Return what is missing: species/reactions without an SBO term or a UniProt/ChEBI/GO
    identifiers.org term, and model-level creators, date, references or description."""
    def uris(x):
        return [x.getCVTerm(i).getResourceURI(j) for i in range(x.getNumCVTerms())
                for j in range(x.getCVTerm(i).getNumResources())]

    m = doc.getModel()
    gaps = [f"{kind} {x.getId()}" for kind, items in (("species", m.getListOfSpecies()),
                                                       ("reaction", m.getListOfReactions()))
            for x in items
            if not x.isSetSBOTerm() or not any(ANNOTATION.search(u) for u in uris(x))]
    history = m.getModelHistory() if m.isSetModelHistory() else None
    if history is None or history.getNumCreators() == 0:
        gaps.append("model creators")
    if history is None or not history.isSetCreatedDate():
        gaps.append("model creation date")
    if not any(re.search(r"identifiers\.org/(pubmed|doi)/", u) for u in uris(m)):
        gaps.append("model references")
    if not m.isSetNotes():
        gaps.append("model description")
    return gaps


@pytest.mark.parametrize("name", list_models())
def test_every_species_and_reaction_is_annotated(name):
    import libsbml

    doc = libsbml.readSBMLFromString(pathways.load(name).sbml)
    m = doc.getModel()
    assert m.getNumSpecies() > 0
    assert annotation_gaps(doc) == []


def test_annotation_check_finds_a_missing_term():
    import libsbml

    doc = libsbml.readSBMLFromString(pathways.load("bdnf_trkb").sbml)
    reaction = doc.getModel().getReaction(0)
    reaction.unsetCVTerms()
    doc.getModel().getSpecies(0).unsetSBOTerm()
    gaps = annotation_gaps(doc)
    assert f"reaction {reaction.getId()}" in gaps
    assert f"species {doc.getModel().getSpecies(0).getId()}" in gaps


def test_exported_sbml_keeps_the_annotations(archives):
    import libsbml

    with zipfile.ZipFile(archives["headline"].path) as z:
        doc = libsbml.readSBMLFromString(z.read("models/arm01.xml").decode())
    assert annotation_gaps(doc) == []
    assert "identifiers.org/doi/10.1126/science.1190287" in libsbml.writeSBMLToString(doc)


# -- report and CLI ---------------------------------------------------------------------------
def test_report_of_the_composed_model(tmp_path):
    from pathways.report import write_report

    name = "ketamine_synaptogenesis"
    report = write_report(name, tmp_path)
    md = report.markdown.read_text()
    model = pathways.load(name)
    for fig in report.figures:
        assert fig.stat().st_size > 10_000
    assert f"![cascade of {name}]({name}_cascade.svg)" in md
    species_rows = re.findall(r"^\| `(\w+)` \| .*\| SBO:\d{7} \| \[", md, flags=re.M)
    assert len(set(species_rows)) >= 86 + 130     # species and reactions, each annotated
    table = model.parameter_table()
    for pid in table.id:
        assert f"| `{pid}` |" in md
    assert re.search(r"^\| LIT-PK1 \| PASS \| fitted", md, flags=re.M)
    assert re.search(r"^\| LIT-R2 \| (PASS|FAIL|XFAIL) \|", md, flags=re.M)
    assert "0 errors, 0 unit warnings" in md
    page = report.html.read_text()
    assert "<table>" in page and f'<img alt="cascade of {name}" src="{name}_cascade.svg"' in page


def test_report_rows_of_a_component_use_that_component():
    from pathways.report import rows_for_model

    rows = rows_for_model("ketamine_pk")
    assert rows and all("ketamine_pk" in used for _, used in rows)
    assert "LIT-PK1" in {res.row.id for res, _ in rows}


@pytest.mark.parametrize("args, message", [
    (["export", "omex", "nope", "--out", "x.omex"], "unknown experiment or model 'nope'"),
    (["export", "omex", "headline", "--out", "x.zip"], "--out must name a .omex file"),
    (["export", "omex", "headline", "--species", "dog", "--out", "x.omex"],
     "unknown species 'dog'"),
    (["export", "omex", "headline"], "the following arguments are required: --out"),
    (["report", "nope"], "unknown model 'nope'"),
])
def test_cli_user_errors_exit_2_with_one_line(args, message, capsys, tmp_path, monkeypatch):
    from pathways.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pathways: error: ") and message in err and "\n" not in err


def test_cli_export_and_report_write_files(tmp_path, capsys):
    from pathways.cli import main

    out = tmp_path / "pk.omex"
    assert main(["export", "omex", "ketamine_pk", "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert "ket_infusion_rate" in capsys.readouterr().out
    assert main(["export", "omex", "ketamine_pk", "--out", str(out)]) == 2     # no --force
    rep = tmp_path / "rep"
    assert main(["report", "bdnf_trkb", "--out", str(rep)]) == 0
    assert (rep / "bdnf_trkb.md").exists() and (rep / "bdnf_trkb.html").exists()


def test_exporting_after_libsbml_keeps_libsbml_types(tmp_path):
    """python-libsedml imported after libsbml would take over libsbml's ASTNode proxies; the
    exporter then writes SED-ML in a subprocess and the graph views keep working."""
    code = ("import libsbml, sys, pathways; from pathways.interop import export_omex; "
            "export_omex('ketamine_pk', sys.argv[1]); "
            "g = pathways.interaction_graph(pathways.load('bdnf_trkb')); "
            "print('libsedml' in sys.modules, g.number_of_edges() > 0)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pk.omex")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "True"]
    assert zipfile.is_zipfile(tmp_path / "pk.omex")


# ----------------------------------------------------------------------------- grids and events

@pytest.mark.parametrize("points", [None, 25, [0.0, 0.25, 1.0, 6.0, 24.0]])
def test_export_grid_holds_every_output_time_of_a_pretreated_run(points):
    """A dose 22 min before time 0 gives a default grid of -0.37, -0.3, -0.2, ... h: the
    exported grid (step 0.01 h) must still hold every time Model.simulate reports."""
    from pathways.interop import make_run, uniform_grid
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk", "rat")
    run = make_run(model, Regimen.bolus(10, "ip", at_h=-0.37), end_h=24.0,
                   points=None if points is None else (np.asarray(points)
                                                       if isinstance(points, list) else points))
    exported = export_times(run)
    run_times = np.asarray(run.times)
    assert uniform_grid(run.times) is not None
    assert np.max(np.min(np.abs(exported[None, :] - run_times[:, None]), axis=1)) < 1e-9
    assert np.allclose(np.diff(exported), np.diff(exported)[0])
    assert exported[0] == pytest.approx(run_times[0]) and exported[-1] == pytest.approx(24.0)


@pytest.mark.parametrize("end_h, fires", [(2.0, True), (1.9, False)])
def test_exported_bolus_at_the_last_output_time_still_acts(end_h, fires):
    """Model.simulate gives a bolus at the end time its effect at that time; the export must too
    (and must leave out a bolus after the end)."""
    import roadrunner

    from pathways.drugs import get_drug
    from pathways.interop import make_run, run_sbml
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk")
    regimen = Regimen.bolus(10, "iv", at_h=2.0)
    run = make_run(model, regimen, end_h=end_h, points=[0.0, 1.0, end_h])
    text, notes = run_sbml(model, run)
    assert any("ket_central +=" in n for n in notes) == fires
    rr = roadrunner.RoadRunner(text)
    rr.timeCourseSelections = ["time", "[ket_central]"]
    exported = rr.simulate(times=list(export_times(run) - run.times[0]))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", LATE_DOSE_WARNING, UserWarning)
        expected = model.simulate(regimen, end_h, points=np.array(run.times))
    ketamine = get_drug("ketamine")          # µmol/L × g/mol = µg/L = ng/mL
    plasma_ng_per_ml = exported["[ket_central]"][-1] * ketamine.molar_mass_g_per_mol
    assert plasma_ng_per_ml == pytest.approx(expected["ketamine_plasma"].iloc[-1],
                                             rel=1e-6, abs=1e-9)
    assert (plasma_ng_per_ml > 1000) == fires


def test_export_of_a_schedule_partly_after_the_end_writes_only_the_doses_given():
    """Doses after end_h are a warning of Model.simulate; the export's own run must not turn
    it into an error (pytest makes warnings errors) and must leave those doses out."""
    from pathways.interop import make_run, run_sbml
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk")
    schedule = Regimen.repeat(Regimen.bolus(1, "iv"), every_h=2, times=5)   # 0, 2, ... 8 h
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", LATE_DOSE_WARNING, UserWarning)
        run = make_run(model, schedule, end_h=3.0, points=[0.0, 1.0, 3.0])
    _, notes = run_sbml(model, run)
    assert [n.split(":")[0] for n in notes if "ket_central +=" in n] == [
        "at 0 h (SBML time 0)", "event pw_event_1 at 2 h (SBML time 2 h)"]


@pytest.mark.parametrize("at_h", [40 / 60, 10 / 60])
def test_exported_dose_at_an_output_time_shows_at_that_time(at_h):
    """40 min = 2/3 h snaps up by 3e-10 h to the 1e-9-h event grid; Model.simulate shows the
    dose at the 2/3-h output, and so must the exported SBML in another simulator."""
    import roadrunner

    from pathways.drugs import get_drug
    from pathways.interop import make_run, run_sbml
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk")
    regimen = Regimen.bolus(10, "iv", at_h=at_h)
    points = np.linspace(0.0, 4 * at_h, 5)                  # at_h is the second output time
    run = make_run(model, regimen, end_h=points[-1], points=points)
    text, _ = run_sbml(model, run)
    rr = roadrunner.RoadRunner(text)
    rr.timeCourseSelections = ["time", "[ket_central]"]
    times = export_times(run)
    assert times[1] == pytest.approx(at_h, abs=1e-15)
    exported = rr.simulate(times=list(times - times[0]))["[ket_central]"]
    expected = model.simulate(regimen, points[-1], points=times)["ketamine_plasma"]
    plasma = exported * get_drug("ketamine").molar_mass_g_per_mol
    assert expected.iloc[1] > 1000                          # the dose shows at its own time
    np.testing.assert_allclose(plasma, expected.to_numpy(), rtol=1e-5, atol=1e-9)


def test_exported_perturbation_at_the_first_output_time_acts_from_the_start():
    """inhibit('NMDAR', 0.5, at_h=-2/3, until_h=2/3) snaps to -0.666666667 h, 3e-10 h after
    the first output at -2/3 h: Model.simulate shows the block there, and the export must start
    with it (an SBML trigger before time 0 with initialValue true would never fire); it ends at
    the 2/3-h output in both."""
    import roadrunner

    from pathways.interop import make_run, run_sbml
    from pathways.perturbations import inhibit

    model = pathways.load("nmda_blockade")
    perts = [inhibit("NMDAR", 0.5, at_h=-2 / 3, until_h=2 / 3)]
    points = np.linspace(-2 / 3, 4 / 3, 4)
    run = make_run(model, None, end_h=points[-1], perturbations=perts, points=points)
    text, _ = run_sbml(model, run)
    rr = roadrunner.RoadRunner(text)
    target = "interneuron_activity_rel"
    rr.timeCourseSelections = ["time", target]
    times = export_times(run)
    exported = rr.simulate(times=list(times - times[0]))[target]
    expected = model.simulate(None, points[-1], perturbations=perts, points=times)[target]
    assert list(np.round(expected.to_numpy(), 6)) == [0.6, 0.6, 1.0, 1.0]   # on; off at 2/3 h
    np.testing.assert_allclose(exported, expected.to_numpy(), atol=1e-9)


def _exported_and_simulated(model, regimen, perts, points, column):
    """Return (exported SBML run in plain libRoadRunner, Model.simulate) of `column` at the
    export grid of the run."""
    import roadrunner

    from pathways.interop import make_run, run_sbml

    run = make_run(model, regimen, end_h=points[-1], perturbations=perts, points=points)
    text, _ = run_sbml(model, run)
    rr = roadrunner.RoadRunner(text)
    selection = f"[{column}]" if column in model._species_ids else column
    rr.timeCourseSelections = ["time", selection]
    times = export_times(run)
    exported = rr.simulate(times=list(times - times[0]))[selection]
    expected = model.simulate(regimen, points[-1], perturbations=perts, points=times,
                              variables=[column] if column in model._species_ids else None)
    return np.asarray(exported), expected[column].to_numpy()


def test_exported_event_on_an_output_time_of_a_shifted_clock_shows_there():
    """The SBML clock starts at the first output (-1/6 h), so a dose at 0.5 h is an event at
    SBML time 2/3 h; libSBML writes 15 digits, and 0.666666666666667 fired after the 2/3-h
    output, which then missed the dose."""
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk", "rat")
    regimen = Regimen.bolus(1, "ip", at_h=-1 / 6) + Regimen.bolus(1, "iv", at_h=0.5)
    exported, expected = _exported_and_simulated(model, regimen, (),
                                                 np.linspace(-1 / 6, 7 / 6, 3), "ket_central")
    assert expected[1] > 10 * expected[0] > 0                 # the iv dose shows at 0.5 h
    np.testing.assert_allclose(exported, expected, rtol=1e-5, atol=1e-9)


def test_exported_changes_to_one_target_at_one_time_merge():
    """Back-to-back infusions set the rate twice at 10 min, two boluses at one time add to one
    species: the export once refused these (duplicate SBML ids); it must give the same result
    as Model.simulate."""
    from pathways.regimen import Regimen

    model = pathways.load("ketamine_pk")
    back_to_back = Regimen.infusion(0.5, minutes=10) + Regimen.infusion(0.25, minutes=30,
                                                                        at_h=10 / 60)
    twice = Regimen.bolus(1, "iv", at_h=0.5) + Regimen.bolus(2, "iv", at_h=0.5)
    for regimen in (back_to_back, twice):
        exported, expected = _exported_and_simulated(model, regimen, (),
                                                     np.linspace(0.0, 1.0, 7), "ket_central")
        np.testing.assert_allclose(exported, expected, rtol=1e-5, atol=1e-9)
    once = model.simulate(Regimen.bolus(3, "iv", at_h=0.5), 1.0, points=np.linspace(0, 1, 7),
                          variables=["ket_central"])
    assert expected[-1] == pytest.approx(once["ket_central"].iloc[-1], rel=1e-6)   # 1 + 2


def test_an_archive_carries_the_variables_its_experiment_reads_and_one_plotted_readout(
        archives):
    """autry2011_eef2's memantine probe reads mem_brain_u and zarate2006_pk reads brain
    norketamine: both were left out of the archives (only readouts were exported), and the
    plot named symptom_change_pct drew the probe's plasma ketamine (ng/mL) among its curves."""
    import zipfile
    autry = archives["autry2011_eef2"]
    probe = next(arm for arm, run in zip(autry.arm_ids, autry.runs) if run.variables)
    assert autry.runs[autry.arm_ids.index(probe)].variables == ("mem_brain_u",)
    with zipfile.ZipFile(autry.path) as z:
        sedml = z.read("simulation.sedml").decode()
    assert f'<dataGenerator id="{probe}_mem_brain_u"' in sedml
    curves = re.findall(r'yDataReference="(arm\d+)_(\w+)"', sedml)
    assert curves and {col for _, col in curves} == {"symptom_change_pct"}
    assert probe not in {arm for arm, _ in curves}        # it has no symptom readout
    zarate = archives["zarate2006_pk"]
    assert {"nket_brain_u"} <= set(zarate.runs[0].variables)
    lepack = archives["lepack2015_bdnf_release"]
    assert all("BDNF_ext" in run.variables for run in lepack.runs)     # a species, in µM


def test_export_holds_species_that_stay_zero_at_zero_and_still_matches():
    """Round-off in species that stay 0 (e.g. of drugs a run does not dose) decays into
    subnormal values that made CVODE fail in outside solvers on six-infusion courses
    (Model.simulate flushes it): the exported SBML holds them constant at 0, keeps every dosed
    drug's species free, and plain libRoadRunner at the archive's tolerances reproduces
    Model.simulate - for a midazolam-only course, where ketamine's species are the idle ones."""
    import libsbml
    import roadrunner

    from pathways import Regimen
    from pathways.interop import make_run, run_sbml
    model = pathways.load("ketamine_synaptogenesis", "human")
    course = Regimen.on_days(Regimen.infusion(0.045, minutes=40, drug="midazolam"),
                             [1, 3, 5, 8, 10, 12])
    points = np.arange(0.0, 300.0 + 1e-9, 0.25)
    run = make_run(model, course, end_h=300, points=points)
    text, notes = run_sbml(model, run)
    m = libsbml.readSBMLFromString(text).getModel()
    frozen = {s.getId() for s in m.getListOfSpecies() if s.getConstant()}
    assert {"ket_central", "esk_central", "nmdaB_in_ket", "mem_central"} <= frozen
    assert not {"mdz_central", "mdz_brain"} & frozen                  # dosed: free
    assert {"mdz_depot_oral", "mdz_depot_im"} <= frozen               # (idle depots: held)
    assert all(m.getSpecies(s).getInitialAmount() == 0.0 for s in frozen)
    assert any("held at 0 as constants" in n for n in notes)
    assert not sbml_problems(libsbml.readSBMLFromString(text))
    rr = roadrunner.RoadRunner(text)
    rr.integrator.relative_tolerance = ALGORITHM_PARAMETERS["KISAO:0000209"]
    rr.integrator.absolute_tolerance = ALGORITHM_PARAMETERS["KISAO:0000211"]
    rr.integrator.maximum_num_steps = ALGORITHM_PARAMETERS["KISAO:0000415"]
    out = rr.simulate(0, 300, len(points), ["time", "symptom_change_pct", "[mdz_central]"])
    ref = model.simulate(course, 300, points=points, variables=["mdz_central"])    # µM
    for col, got in (("symptom_change_pct", out[:, 1]), ("mdz_central", out[:, 2])):
        expected = ref[col].to_numpy()
        assert np.all(np.abs(got - expected) <= 1e-6 + 1e-4 * np.abs(expected)), col
