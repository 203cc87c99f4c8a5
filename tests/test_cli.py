"""The command line: fast help, one-line user errors with exit status 2, safe output files."""
import os
import subprocess
import sys

import pytest

from pathways.cli import main
from pathways.errors import PathwaysInputError


def run_cli(*args):
    proc = subprocess.run([sys.executable, "-m", "pathways.cli", *args], capture_output=True,
                          text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_help_does_not_import_the_simulation_stack():
    code = ("import sys, pathways.cli; pathways.cli.build_parser().format_help(); "
            "heavy = {'tellurium', 'antimony', 'roadrunner', 'pandas', 'libsbml', "
            "'matplotlib'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_version_names_the_simulator_stack_on_one_line():
    """A result is reproducible only with the simulator's version: --version gives it, read
    from the installed distributions, and exits 0 without a command."""
    import platform
    from importlib import metadata
    code, out, err = run_cli("--version")
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    for dist in ("pathways", "libroadrunner", "antimony", "python-libsbml", "numpy"):
        assert f"{dist} {metadata.version(dist)}" in out
    assert f"Python {platform.python_version()}" in out


@pytest.mark.parametrize("args, message", [
    (["simulate", "--model", "nope", "--end-h", "1"], "unknown model 'nope'"),
    (["simulate", "--model", "ketamine_pk", "--dose", "-1", "--route", "iv", "--end-h", "1"],
     "ketamine dose must be in (0, 200] (in mg/kg), got -1"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "nasal", "--end-h", "1"],
     "unknown route 'nasal'"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "0"], "--end-h must be in (0"),
    (["simulate", "--model", "ketamine_pk", "--species", "dog", "--end-h", "1"],
     "unknown species 'dog'"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--end-h", "1"], "--route is required"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "x"], "invalid float value: 'x'"),
    (["validate", "--rows", "LIT-X1"], "unknown LIT row(s) LIT-X1"),
    (["experiment", "run", "nope"], "unknown experiment 'nope'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "iv", "--times", "3",
      "--end-h", "1"], "--times needs --repeat-every"),
    (["simulate", "--model", "ketamine_pk", "--repeat-every", "2", "--end-h", "1"],
     "need --dose"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "iv", "--repeat-every",
      "2", "--end-h", "1"], "--repeat-every needs --times"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "iv", "--at-h", "20",
      "--end-h", "10"], "the dose at 20 h is after --end-h (10 h); raise --end-h"),
    (["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "iv", "--repeat-every",
      "2", "--times", "5", "--end-h", "3"],
     "the doses at 4, 6, 8 h are after --end-h (3 h); raise --end-h or give fewer --times"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--plot", "x.txt"],
     "--plot must name a .png, .svg, .pdf file, got 'x.txt'"),
    (["simulate", "--model", "ketamine_pk", "--sbml", "x.xml", "--end-h", "1"],
     "give either --model or --sbml, not both"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--out", "/proc/no/such.csv"],
     "cannot write /proc/no/such.csv: No such file or directory"),
    (["report", "ketamine_pk", "--out", "/proc/pathways-report"], "/proc/pathways-report"),
    (["validate", "--rows", ""], "--rows needs at least one row id"),
    (["validate", "--rows", "LIT-PK1,LIT-PK1"], "--rows names LIT-PK1 twice; give each row once"),
    (["graph", "--format", "svg", "--signed", "--unsigned", "--out", "g.svg"],
     "not allowed with argument"),
    # dose options without --dose are not silently dropped
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--drug", "xx"],
     "unknown drug 'xx'"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--unit", "g"],
     "unknown dose unit 'g'"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--at-h", "5"], "need --dose"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--drug", "memantine"],
     "--drug/--unit/--minutes/--route/--at-h/--repeat-every/--times need --dose"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--unit", "mg"], "need --dose"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--columns", " , "],
     "--columns is empty"),
    (["experiment"], "the following arguments are required: SUBCOMMAND (one of: list, run)"),
    (["export"], "the following arguments are required: SUBCOMMAND (one of: omex)"),
    (["experiment", "run"], "the following arguments are required: name (one of: headline, "),
    # --perturb and --param are parsed field by field, each malformed field named
    (["simulate", "--end-h", "1", "--perturb", "bogus"],
     "unknown perturbation preset 'bogus'; valid: ana12, anisomycin"),
    (["simulate", "--end-h", "1", "--perturb", "inhibit:mTORC1"],
     "--perturb 'inhibit:mTORC1': write inhibit:TARGET:FRACTION"),
    (["simulate", "--end-h", "1", "--perturb", "inhibit:mTORC1:x"],
     "--perturb 'inhibit:mTORC1:x': inhibit: 'x' is not a number"),
    (["simulate", "--end-h", "1", "--perturb", "inhibit:Foo:0.5"],
     "unknown perturbation target 'Foo'; valid: AMPAR"),
    (["simulate", "--end-h", "1", "--perturb", "knockout:TrkB@1"],
     "a knockout is a genotype (chronic); for an acute loss write inhibit:TrkB:1@1"),
    (["simulate", "--end-h", "1", "--perturb", "step:Mg_ext:0.5"],
     "--perturb 'step:Mg_ext:0.5': a step needs @AT_H (hours)"),
    (["simulate", "--end-h", "1", "--perturb", "rapamycin@a"],
     "--perturb 'rapamycin@a': AT_H: 'a' is not a number"),
    (["simulate", "--end-h", "1", "--perturb", "frob:x:1"], "'frob' is not one of inhibit, "
                                                          "overexpress, knockout, step"),
    (["simulate", "--end-h", "1", "--param", "Mg_ext"], "--param 'Mg_ext': write ID=VALUE"),
    (["simulate", "--end-h", "1", "--param", "nope=1"], "unknown parameter 'nope'"),
    (["simulate", "--end-h", "1", "--param", "Mg_ext=1", "--param", "Mg_ext=2"],
     "--param Mg_ext given twice"),
    (["simulate", "--end-h", "1", "--effect"], "--effect needs --dose"),
    # a single-valued option given twice is refused, not last-wins
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--dose", "1", "--route", "iv",
      "--dose", "10"], "--dose given twice; give it once"),
    (["validate", "--rows", "LIT-PK1", "--rows", "LIT-PK2"], "--rows given twice; give it once"),
    (["sensitivity", "--readout", "ketamine_plasma", "--metric", "peak", "--out", "s",
      "--fold", "2", "--fold", "3"], "--fold given twice; give it once"),
    (["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma", "--metric",
      "peak", "--method", "local", "--times", "", "--out", "s"],
     "--times must be comma-separated numbers with none empty, got ''"),
    (["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma", "--metric",
      "peak", "--method", "local", "--times", "1,", "--out", "s"], "with none empty, got '1,'"),
    # an empty --sbml or --model (an unset shell variable) is not the default model
    (["simulate", "--end-h", "1", "--sbml", ""], "--sbml is empty"),
    (["simulate", "--end-h", "1", "--model", " "], "--model is empty"),
    (["graph", "--sbml", "", "--format", "json", "--out", "g.json"], "--sbml is empty"),
    (["graph", "--format", "svg", "--out", ""], "--out is empty; give a path"),
    (["graph", "--format", "svg", "--overlay", "sensitivity:/", "--out", "g.svg"],
     "--overlay sensitivity: / is a folder; name the indices CSV in it"),
    (["graph", "--format", "svg", "--overlay", "sensitivity:", "--out", "g.svg"],
     "--overlay sensitivity: needs the indices CSV of a study"),
    # a fold overlay on a component drew nothing (ketamine_pk) or failed obscurely
    (["graph", "--model", "ketamine_pk", "--format", "svg", "--overlay", "fold:1", "--out",
      "g.svg"], "only the composed model ketamine_synaptogenesis has"),
    (["graph", "--model", "bdnf_trkb", "--format", "svg", "--overlay", "fold:1", "--out",
      "g.svg"], "got --model bdnf_trkb"),
    (["graph", "--sbml", "sbml/ketamine_pk.xml", "--format", "svg", "--overlay", "fold:1",
      "--out", "g.svg"], "--overlay fold:T needs a shipped model (--model), not --sbml"),
    (["graph", "--format", "json", "--out", "g.json", "--species", "dog"],
     "unknown species 'dog'; valid: human, mouse, rat"),
    (["graph", "--format", "json", "--out", "/proc/n.json"], "cannot write /proc/n.json"),
    # diagram options with a graph export are refused, not silently ignored
    (["graph", "--format", "graphml", "--title", "T", "--unsigned", "--out", "g.graphml"],
     "--title, --unsigned apply to diagrams (svg, pdf, png) only"),
    (["graph", "--format", "json", "--overlay", "fold:1", "--out", "g.json"],
     "--overlay applies to diagrams (svg, pdf, png) only"),
    (["export", "omex", "ketamine_pk", "--out", "/proc/x.omex"], "cannot write /proc/x.omex"),
    (["simulate", "--model", "ketamine_pk", "--end-h", "1", "--body-weight", "1e-300"],
     "body_weight_kg must be in [0.01, 500] (in kg), got 1e-300"),
])
def test_user_errors_exit_2_with_one_line(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pathways: error: ") and message in err
    assert "\n" not in err and "Traceback" not in err


def test_simulate_writes_csv_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "pk.csv"
    args = ["simulate", "--model", "ketamine_pk", "--dose", "0.5", "--minutes", "40",
            "--end-h", "2", "--points", "21", "--out", str(out)]
    assert main(args) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("time_h,ketamine_plasma") and len(lines) == 22
    before = out.read_text()
    assert main(args) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert out.read_text() == before
    assert main(args + ["--force"]) == 0
    # beside the table, what produced it; an existing record is not overwritten either
    import json
    record = json.loads((tmp_path / "pk.csv.run.json").read_text())
    assert record["files"] == ["pk.csv", "pk_columns.csv"]
    assert record["command"].endswith("--force")
    # and each column's unit (time in h, plasma in ng/mL, the dosed drug's brain level in µM)
    import csv
    units = {r["column"]: r["unit"] for r in csv.DictReader(
        (tmp_path / "pk_columns.csv").read_text(encoding="utf-8").splitlines())}
    assert units["time_h"] == "h" and units["ketamine_plasma"] == "ng/mL"
    assert list(units) == lines[0].split(",")
    # ids beyond the readouts carry the unit their SBML declares, rule-defined ones too
    cols = tmp_path / "cols.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--drug", "midazolam", "--dose", "0.05",
                 "--route", "iv", "--end-h", "1", "--points", "2", "--columns",
                 "mdz_brain_u,V1_ket,ket_V1,ket_central,wt_V", "--out", str(cols)]) == 0
    units = {r["column"]: r["unit"] for r in csv.DictReader(
        (tmp_path / "cols_columns.csv").read_text(encoding="utf-8").splitlines())}
    assert units == {"time_h": "h", "mdz_brain_u": "µM", "V1_ket": "L", "ket_V1": "L",
                     "ket_central": "µM", "wt_V": "1"}
    assert [r["description"] for r in record["runs"]] == [
        "ketamine_pk (human): ketamine 0.5 mg/kg iv over 40 min at 0 h; to 2 h"]
    out.unlink()
    assert main(args) == 2
    assert "pk.csv.run.json exists; pass --force" in capsys.readouterr().err
    assert not out.exists()


def test_simulate_perturbations_and_parameters_match_the_python_api(tmp_path):
    """`--perturb inhibit:mTORC1:0.8@-1,6 --perturb lithium --param Mg_ext=0.8` is the same
    run as the Python call with those objects: the CSV holds the API's numbers, and they
    differ from the unperturbed run's."""
    import pandas as pd

    import pathways
    from pathways import Regimen, inhibit
    out = tmp_path / "rat.csv"
    assert main(["simulate", "--species", "rat", "--dose", "10", "--route", "ip",
                 "--end-h", "24", "--points", "5", "--columns", "mTORC1_active_rel",
                 "--perturb", "inhibit:mTORC1:0.8@-1,6", "--perturb", "lithium",
                 "--param", "Mg_ext=0.8", "--out", str(out)]) == 0
    cli = pd.read_csv(out, index_col=0)["mTORC1_active_rel"].to_numpy()
    rat = pathways.load(species="rat")
    dose = Regimen.bolus(10, "ip")
    api = rat.simulate(dose, 24.0, [inhibit("mTORC1", 0.8, -1.0, 6.0), "lithium"],
                       {"Mg_ext": 0.8}, points=5)["mTORC1_active_rel"].to_numpy()
    plain = rat.simulate(dose, 24.0, points=5)["mTORC1_active_rel"].to_numpy()
    assert cli == pytest.approx(api, rel=1e-5)
    assert abs(cli[1] - plain[1]) > 0.1 * plain[1]      # the inhibition acted
    # --effect writes the dosed run minus its vehicle twin (Model.effect)
    eff = tmp_path / "effect.csv"
    assert main(["simulate", "--species", "rat", "--dose", "10", "--route", "ip", "--end-h",
                 "24", "--points", "5", "--columns", "symptom_change_pct", "--perturb", "ana12",
                 "--effect", "--out", str(eff)]) == 0
    api = rat.effect(dose, 24.0, ["ana12"], points=5)["symptom_change_pct"].to_numpy()
    assert pd.read_csv(eff, index_col=0)["symptom_change_pct"].to_numpy() == pytest.approx(
        api, rel=1e-5, abs=1e-9)
    import json
    record = json.loads((tmp_path / "effect.csv.run.json").read_text())
    assert record["table"] == "drug - vehicle (effect)"
    assert [r["description"].split(": ")[1].split(";")[0] for r in record["runs"]] == [
        "ketamine 10 mg/kg ip at 0 h", "vehicle"]      # both runs of the difference


def test_build_check_passes_on_a_clean_checkout():
    code, out, err = run_cli("build", "--check")
    assert code == 0, err


SHARED = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is beside the repo")
def test_simulate_a_user_sbml_file(tmp_path, capsys):
    out = tmp_path / "bm.csv"
    assert main(["simulate", "--sbml", str(SHARED / "biomodels" / "BIOMD0000000581.xml"),
                 "--end-h", "1", "--points", "3", "--out", str(out)]) == 0
    import libsbml
    model = libsbml.readSBMLFromFile(str(SHARED / "biomodels" / "BIOMD0000000581.xml")).getModel()
    floating = [s.getId() for s in model.getListOfSpecies() if not s.getBoundaryCondition()]
    header = out.read_text().splitlines()[0].split(",")
    assert header[0] == "time_h" and sorted(header[1:]) == sorted(floating)
    import hashlib
    import json
    record = json.loads((tmp_path / "bm.csv.run.json").read_text())
    assert record["sbml_file_sha256"] == hashlib.sha256(
        (SHARED / "biomodels" / "BIOMD0000000581.xml").read_bytes()).hexdigest()
    assert record["runs"][0]["model"] == "user:BIOMD0000000581.xml"


def test_an_sbml_document_without_a_model_is_named_as_such(tmp_path, capsys):
    path = tmp_path / "empty.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/'
                    'sbml/level3/version2/core" level="3" version="2"/>\n')
    assert main(["simulate", "--sbml", str(path), "--end-h", "1"]) == 2
    assert capsys.readouterr().err.strip().endswith("the SBML document has no <model>")


@pytest.mark.parametrize("content, message", [
    ("not xml", "not XML"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sbml/>', "DOCTYPE"),
])
def test_simulate_rejects_bad_sbml_in_one_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.xml"
    bad.write_text(content)
    assert main(["simulate", "--sbml", str(bad), "--end-h", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and str(bad) in err


def test_experiment_and_report_outputs_are_not_overwritten_without_force(tmp_path, capsys):
    out = tmp_path / "exp"
    out.mkdir()
    (out / "old.csv").write_text("keep me")
    assert main(["experiment", "run", "zarate2006_pk", "--quick", "--out", str(out)]) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err
    assert main(["validate", "--rows", "LIT-PK1", "--report", str(out)]) == 2
    assert (out / "old.csv").read_text() == "keep me"
    capsys.readouterr()
    assert main(["report", "ketamine_pk", "--species", "dog", "--out", str(out)]) == 2
    assert "unknown species 'dog'" in capsys.readouterr().err     # the real error comes first
    assert main(["experiment", "run", "zarate2006_pk", "--quick", "--out", str(out),
                 "--force"]) == 0
    import json                          # the record names the command as given, in-process too
    record = json.loads((out / "zarate2006_pk_run.json").read_text())
    assert record["command"] == (f"pathways experiment run zarate2006_pk --quick --out "
                                 f"{out} --force")


def test_validate_writes_a_report_with_one_figure_per_row(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["validate", "--rows", "LIT-PK1,LIT-PK3,LIT-C5", "--report", str(out)]) == 0
    table = capsys.readouterr().out
    assert "LIT-PK1    PASS" in table and "LIT-C5     XFAIL" in table
    md = (out / "validation.md").read_text()
    assert "| LIT-PK1 | PASS | fitted (" in md and "[figure](figures/LIT-PK1.png)" in md
    from pathways.validation.runner import all_rows
    assert (f"Only 3 of the {len(all_rows())} rows were run (`--rows`): LIT-PK1, LIT-PK3, "
            "LIT-C5." in md)                   # a partial report says it is partial
    pk3 = next(line for line in md.splitlines() if line.startswith("| LIT-PK3 |"))
    assert "CL 55.3-102.7 L/h; Vss 176.4-327.6 L" in pk3.split(" | ")[3]   # expected, with units
    assert (out / "figures" / "LIT-PK1.png").stat().st_size > 1000
    assert (out / "figures" / "LIT-PK1.svg").exists()
    # what made it: the simulator's version and the hash of the SBML each model simulated
    import roadrunner

    import pathways
    from pathways.provenance import sbml_sha256
    made = md.splitlines()[2]
    assert f"libroadrunner {roadrunner.__version__}" in made
    assert f"ketamine_pk (human) {sbml_sha256(pathways.load('ketamine_pk'))[:12]}" in made


def _rule_species_sbml() -> str:
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model rs
      compartment c = 1; species A in c, B in c; A = 1; v = 1; k = 0.5
      J1: -> A; v; J2: A -> ; k*A; B := 2*A
    end""") >= 0
    return antimony.getSBMLString("rs")


def test_simulate_a_user_sbml_with_a_species_defined_by_a_rule(tmp_path, capsys):
    path = tmp_path / "rs.xml"
    path.write_text(_rule_species_sbml())
    out = tmp_path / "rs.csv"
    assert main(["simulate", "--sbml", str(path), "--end-h", "1", "--points", "2",
                 "--out", str(out)]) == 0
    rows = [line.split(",") for line in out.read_text().splitlines()]
    assert rows[0] == ["time_h", "A", "B"]
    assert [float(x) for x in rows[-1][1:]] == [2.0, 4.0]      # steady state v/k and 2 A


def test_a_user_sbml_reports_the_parameters_its_assignment_rules_define(capsys):
    """SBML Test Suite case 01495 has no species; its output p1 is an assignment rule. The
    default table reports it (it used to be only time_h), with the suite's values."""
    from pathlib import Path

    import numpy as np
    case = (Path(__file__).resolve().parents[2] / "shared" / "sbml-test-suite" / "cases" /
            "semantic" / "01495")
    if not case.is_dir():
        pytest.skip("../shared/sbml-test-suite is not here")
    assert main(["simulate", "--sbml", str(case / "01495-sbml-l3v2.xml"), "--end-h", "10",
                 "--points", "11"]) == 0
    rows = [line.split(",") for line in capsys.readouterr().out.strip().splitlines()]
    assert rows[0] == ["time_h", "p1"]
    expected = np.loadtxt(case / "01495-results.csv", delimiter=",", skiprows=1)
    np.testing.assert_allclose([[float(x) for x in r] for r in rows[1:]], expected,
                               rtol=1e-4, atol=1e-4)


def test_from_initial_starts_a_user_sbml_at_its_file_values(tmp_path, capsys):
    """--from-initial: exponential growth (no steady state) from A = 2, time in hours; a
    shipped model refuses it in one line."""
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model growth
      unit time_unit = 3600 second
      compartment c = 1; species A in c; A = 2
      J1: -> A; 0.5*A
    end""") >= 0
    path = tmp_path / "growth.xml"
    path.write_text(antimony.getSBMLString("growth"))
    assert main(["simulate", "--sbml", str(path), "--from-initial", "--end-h", "2",
                 "--points", "3"]) == 0
    rows = [line.split(",") for line in capsys.readouterr().out.strip().splitlines()]
    assert rows[0] == ["time_h", "A"]
    import math
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(
        [2 * math.exp(0.5 * t) for t in (0.0, 1.0, 2.0)], rel=1e-6)
    assert main(["simulate", "--from-initial", "--end-h", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--from-initial is for --sbml FILE" in err


def test_a_solver_failure_on_a_user_sbml_is_one_line(tmp_path, capsys):
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model blowup
      compartment c = 1; species A in c; A = 1
      J1: -> A; A^2
    end""") >= 0                              # dA/dt = A^2 reaches infinity at t = 1
    path = tmp_path / "blowup.xml"
    path.write_text(antimony.getSBMLString("blowup"))
    code = main(["simulate", "--sbml", str(path), "--end-h", "10"])
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]     # (CVODE may log its own lines before it)
    assert code == 2 and last.startswith("pathways: error: ") and "blowup" in last
    assert "Traceback" not in err


def test_a_bad_sensitivity_overlay_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "indices.csv"
    bad.write_bytes(b"\xff\xfe\x00binary")
    code = main(["graph", "--format", "svg", "--overlay", f"sensitivity:{bad}",
                 "--out", str(tmp_path / "g.svg")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and str(bad) in err
    assert err.startswith("pathways: error: cannot read sensitivity indices from")


@pytest.mark.parametrize("content, message", [
    ("parameter,ST\nk_mt_akt,abc\n", "column 'ST' holds a value that is not a number: 'abc'"),
    ("parameter,ST\nno_such_parameter,0.5\n", "nothing to colour"),
    ("parameter,ST\n", "nothing to colour"),
])
def test_a_sensitivity_overlay_that_cannot_colour_is_one_line(tmp_path, capsys, content,
                                                              message):
    csv = tmp_path / "indices.csv"
    csv.write_text(content)
    out = tmp_path / "g.svg"
    code = main(["graph", "--format", "svg", "--overlay", f"sensitivity:{csv}",
                 "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and message in err and not out.exists()


def test_graph_out_that_is_a_folder_is_refused_before_drawing(tmp_path, capsys):
    folder = tmp_path / "d.json"
    folder.mkdir()
    code = main(["graph", "--format", "json", "--out", str(folder), "--force"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err == f"pathways: error: {folder} is a folder; give a file name"


def test_fit_scripts_show_help_without_fitting(tmp_path):
    from pathways.fitting.record import FITS
    before = FITS.read_text()
    proc = subprocess.run([sys.executable, "-m", "pathways.fitting.fit_pk", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and FITS.read_text() == before
    assert proc.stdout.startswith("usage:") and "--write-ant" in proc.stdout


def test_plot_into_a_new_folder_and_duplicate_columns(tmp_path, capsys):
    plot = tmp_path / "new" / "folder" / "pk.png"
    out = tmp_path / "pk.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--dose", "1", "--route", "iv",
                 "--end-h", "1", "--points", "5", "--columns",
                 "ketamine_plasma,ketamine_plasma,ketamine_brain", "--out", str(out),
                 "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 1000
    assert out.read_text().splitlines()[0] == "time_h,ketamine_plasma,ketamine_brain"


def test_report_keeps_the_tolerance_note_beside_the_reason_and_labels_checks(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["validate", "--rows", "LIT-PK10,LIT-PK12", "--report", str(out)]) == 0
    table = capsys.readouterr().out
    assert "LIT-PK12   PASS             check" in table       # an input check, not a prediction
    md = (out / "validation.md").read_text()
    pk10 = next(line for line in md.splitlines() if line.startswith("| LIT-PK10 |"))
    assert "XFAIL" in pk10 and "pore block" in pk10 and "'gone' read as" in pk10


def test_an_experiment_script_refuses_a_non_empty_folder_without_force(tmp_path, capsys):
    """`python experiments/NAME.py` overwrote results silently where the CLI refuses."""
    from pathways.experiments import cli_main

    calls = []

    def run(out_dir, quick):
        calls.append((out_dir, quick))
        return []

    (tmp_path / "old.csv").write_text("keep me")
    with pytest.raises(SystemExit) as stop:
        cli_main(run, ["--out", str(tmp_path)])
    assert stop.value.code == 2 and calls == []
    err = capsys.readouterr().err
    assert "is not empty; pass --force" in err and err.count("\n") == 1    # one line
    cli_main(run, ["--out", str(tmp_path), "--force", "--quick"])
    assert calls == [(tmp_path, True)]
    with pytest.raises(SystemExit) as stop:        # --out twice: refused, not last-wins
        cli_main(run, ["--out", str(tmp_path / "a"), "--out", str(tmp_path / "b")])
    assert stop.value.code == 2 and len(calls) == 1
    assert "--out given twice; give it once" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:        # --out "" (an unset variable): refused,
        cli_main(run, ["--out", ""])                # not the default results/ folder
    assert stop.value.code == 2 and len(calls) == 1
    assert "--out is empty; give a path" in capsys.readouterr().err



def test_an_experiment_script_reports_a_closed_standard_output_in_one_line(tmp_path, capsys,
                                                                           monkeypatch):
    """`python experiments/NAME.py | head` ended in a BrokenPipeError traceback once the
    reader had closed the pipe; now one line naming where the results are, exit status 2."""
    import io
    import sys

    from pathways.experiments import cli_main

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(SystemExit) as stop:
        cli_main(lambda out_dir, quick: [], ["--out", str(tmp_path / "results")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err and len(err.splitlines()) == 1
    assert "error: Broken pipe: standard output" in err and str(tmp_path / "results") in err


SEMANTIC = SHARED / "sbml-test-suite" / "cases" / "semantic"


@pytest.mark.skipif(not SEMANTIC.exists(), reason="SBML test suite not available")
@pytest.mark.parametrize("case, message", [
    ("00537", "libRoadRunner cannot compile this model: Unable to support algebraic rules"),
    ("00981", "Unable to support delay"),
    ("00963", "Q is changed by a rate rule or event"),   # (and has `reset`)
    ("01711", "parameter k1 is changed by a rate rule or event"),
    ("00334", "boundary species S3 is changed by a rate rule or event"),
    ("00873", "reaction 'reaction1' is set 'fast=true', and is therefore not supported"),
])
def test_unsupported_sbml_test_suite_models_are_one_line_errors(case, message, capsys):
    path = SEMANTIC / case / f"{case}-sbml-l3v2.xml"
    if not path.exists():
        path = path.with_name(f"{case}-sbml-l3v1.xml")        # fast reactions: L3V1 only
    assert main(["simulate", "--sbml", str(path), "--end-h", "1", "--points", "3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pathways: error: ") and "\n" not in err and message in err
    assert "rrllvm" not in err and "::" not in err           # no C++ function names


@pytest.mark.skipif(not SEMANTIC.exists(), reason="SBML test suite not available")
def test_a_model_whose_rates_skip_a_ruled_species_simulates_and_stdout_is_pure_csv():
    import io

    import pandas as pd
    # 00089: S4 is set by an assignment rule, so libRoadRunner reports 3 rates for 4 species;
    # 00858: CVODE warns during the steady-state search (the log must not reach stdout)
    # without PYTHONUNBUFFERED (tox does not pass it on), C stdio holds the warnings in its
    # buffer until the process exits, when stdout is the caller's again
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for case in ("00089", "00858"):
        path = SEMANTIC / case / f"{case}-sbml-l3v2.xml"
        run = subprocess.run([sys.executable, "-m", "pathways.cli", "simulate", "--sbml",
                              str(path), "--end-h", "1", "--points", "3"],
                             capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, run.stderr
        table = pd.read_csv(io.StringIO(run.stdout), index_col=0)
        assert list(table.index) == [0.0, 0.5, 1.0] and table.notna().all().all()


def test_csv_times_keep_full_precision(tmp_path, capsys):
    out = tmp_path / "t.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", "--points", "4",
                 "--columns", "ketamine_plasma", "--out", str(out)]) == 0
    times = out.read_text().splitlines()[1:]
    assert times[1].split(",")[0] == repr(1 / 3)


@pytest.mark.parametrize("extra, message", [
    (["--out", ""], "--out is empty; give a path"),
    (["--out", "{tmp}"], "is a folder; give a file name"),
    (["--out", "{tmp}/f.png", "--plot", "{tmp}/f.png"], "--out and --plot name the same file"),
    (["--out", "{tmp}/afile/x.csv"], "afile is a file, not a folder"),
    (["--time", "2"], "unrecognized arguments: --time"),
])
def test_output_paths_and_flags_are_checked_before_any_work(tmp_path, capsys, extra, message):
    (tmp_path / "afile").write_text("")
    extra = [e.replace("{tmp}", str(tmp_path)) for e in extra]
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_no_command_is_a_one_line_error(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "pathways: error: give a command (see pathways --help)"


def test_unknown_names_come_before_the_folder_check(tmp_path, capsys):
    (tmp_path / "x").write_text("")
    assert main(["experiment", "run", "nosuch", "--out", str(tmp_path)]) == 2
    assert "unknown experiment 'nosuch'" in capsys.readouterr().err
    assert main(["report", "nosuch", "--out", str(tmp_path)]) == 2
    assert "unknown model 'nosuch'" in capsys.readouterr().err


def test_columns_take_species_ids_as_well_as_readouts(tmp_path, capsys):
    out = tmp_path / "m.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--drug", "memantine", "--dose", "20",
                 "--unit", "mg", "--route", "oral", "--end-h", "2", "--points", "3",
                 "--columns", "ketamine_plasma,mem_central", "--out", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0] == "time_h,ketamine_plasma,mem_central"
    assert float(rows[-1].split(",")[2]) > 0          # the memantine the user dosed
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", "--columns",
                 "mem_central,nope"]) == 2
    assert "unknown readout(s) nope; valid: ketamine_plasma" in capsys.readouterr().err


def test_a_missing_sensitivity_index_is_skipped_not_a_crash(tmp_path, capsys):
    csv = tmp_path / "indices.csv"
    csv.write_text("parameter,ST\nmt_4EBP_tot,\nCL_ket,0.4\n")
    out = tmp_path / "g.svg"
    code = main(["graph", "--format", "svg", "--overlay", f"sensitivity:{csv}", "--out",
                 str(out)])
    assert code == 0 and out.exists(), capsys.readouterr().err
    # the blank index colours nothing (read as 0 it would colour 4E-BP's nodes); CL_ket's does
    from pathways.diagram import sensitivity_overlay
    import pathways
    model = pathways.load()
    values = sensitivity_overlay(model, csv)
    assert values and set(values.values()) == {0.4}
    (tmp_path / "4ebp.csv").write_text("parameter,ST\nmt_4EBP_tot,0.9\n")
    alone = sensitivity_overlay(model, tmp_path / "4ebp.csv")
    assert set(alone) - set(values)          # mt_4EBP_tot's own nodes, left blank above
    from pathways.build import REPO_SBML_DIR         # the same study over a user's SBML file
    sbml = REPO_SBML_DIR / "ketamine_synaptogenesis.xml"
    code = main(["graph", "--sbml", str(sbml), "--format", "svg", "--overlay",
                 f"sensitivity:{csv}", "--out", str(tmp_path / "s.svg")])
    assert code == 0 and (tmp_path / "s.svg").exists(), capsys.readouterr().err
    assert sensitivity_overlay(str(sbml), csv) == values     # the file colours as the model


@pytest.mark.filterwarnings("default")
def test_a_warning_is_one_line_without_the_source_location(tmp_path, capsys):
    """Python's default display printed pathways/diagram/render.py's path, line and code line."""
    out = tmp_path / "pk.svg"
    assert main(["graph", "--model", "ketamine_pk", "--format", "svg", "--width-mm", "40",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("pathways: warning: diagram: labels could not be placed"), err
    assert err.count("\n") == 1 and ".py" not in err and "UserWarning" not in err


def test_a_long_diagram_title_wraps_to_the_figure_width(tmp_path):
    """A title longer than the figure ran off both edges of the page."""
    import re
    title = "ketamine and mTORC1 signalling in the rat prefrontal cortex after 10 mg/kg " * 3
    out = tmp_path / "pk.svg"
    assert main(["graph", "--model", "ketamine_pk", "--format", "svg", "--title", title,
                 "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    group = svg.split('<g id="title">')[1].split("</g>")[0]
    lines = re.findall(r"translate\(([-\d.]+) [-\d.]+\)\">([^<]*)</text>", group)
    assert len(lines) >= 3 and " ".join(t for _, t in lines).split() == title.split()
    assert min(float(x) for x, _ in lines) >= 0                 # no line starts off the page
    width_pt = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
    assert width_pt < 85 / 25.4 * 72 * 1.02              # the page stayed one column wide


def test_simulating_midazolam_shows_its_own_levels_not_only_ketamine_zeros(tmp_path, capsys):
    """The contract's PK readouts are ketamine's, so a midazolam run of ketamine_pk printed
    only zeros; its plasma and brain levels are added, and stderr says so."""
    import pandas as pd

    out = tmp_path / "mdz.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--drug", "midazolam", "--dose", "0.045",
                 "--route", "iv", "--minutes", "40", "--end-h", "2", "--out", str(out)]) == 0
    assert "added mdz_central, mdz_brain_u" in capsys.readouterr().err
    df = pd.read_csv(out, index_col="time_h")
    assert df["ketamine_plasma"].abs().max() == 0
    # 0.045 mg/kg over 40 min: plasma midazolam peaks at the end of the infusion
    assert df["mdz_central"].idxmax() == pytest.approx(2 / 3, abs=0.1)
    assert df["mdz_brain_u"].max() > 0
    assert main(["simulate", "--model", "ketamine_pk", "--dose", "0.5", "--route", "iv",
                 "--end-h", "1", "--out", str(tmp_path / "ket.csv")]) == 0
    assert "note" not in capsys.readouterr().err                # ketamine: readouts only
    # HNK's plasma level is a readout of its own: only its brain level is added
    assert main(["simulate", "--drug", "hydroxynorketamine", "--dose", "1", "--minutes", "40",
                 "--end-h", "1", "--out", str(tmp_path / "hnk.csv")]) == 0
    err = capsys.readouterr().err
    assert "added hnk_brain_u (" in err and "hnk_central" not in err


@pytest.mark.skipif(not (SHARED / "biomodels" / "BIOMD0000001094.xml").exists(),
                    reason="BioModels copies not available")
def test_a_flux_balance_model_is_refused_as_such_not_as_a_solver_failure(capsys):
    """BIOMD0000001094 (fbc, no kinetic laws) failed 'at t = 0 h' with a 600-character
    solver message."""
    assert main(["simulate", "--sbml", str(SHARED / "biomodels" / "BIOMD0000001094.xml"),
                 "--end-h", "1"]) == 2
    err = capsys.readouterr().err
    assert "a flux-balance (SBML fbc) model" in err and "solver failed" not in err


def test_exporting_a_component_says_its_nominal_run_is_drug_free(tmp_path, capsys):
    """`export omex nmda_blockade` wrote a flat, drug-free run while the help promised
    ketamine 0.5 mg/kg IV; it now says what it wrote, and the archive says it too."""
    import zipfile
    out = tmp_path / "c.omex"
    assert main(["export", "omex", "nmda_blockade", "--out", str(out)]) == 0
    assert "the archived run is drug-free" in capsys.readouterr().err
    with zipfile.ZipFile(out) as z:
        assert "drug-free" in z.read("README.md").decode()
    assert main(["export", "omex", "ketamine_pk", "--out", str(tmp_path / "k.omex")]) == 0
    assert "drug-free" not in capsys.readouterr().err


def test_a_warning_from_another_library_keeps_its_category(capsys):
    from pathways.cli_streams import show_warning
    show_warning("tight_layout not applied", UserWarning, "/site/matplotlib/figure.py", 1)
    show_warning("labels overlap", UserWarning, "/site/pathways/diagram/render.py", 1)
    assert capsys.readouterr().err.splitlines() == [
        "pathways: warning: UserWarning: tight_layout not applied",
        "pathways: warning: labels overlap"]


def test_force_never_replaces_a_link_or_device_it_would_write_over(tmp_path, capsys):
    """Files are written beside the target and renamed over it: through a symlink that would
    replace the link (and, run as root, /dev/stdout itself), so such an --out is refused."""
    target = tmp_path / "target.csv"
    target.write_text("keep\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", "--out", str(link),
                 "--force"]) == 2
    assert "is not a regular file" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text() == "keep\n"
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", "--out", "/dev/null",
                 "--force"]) == 2
    assert "is not a regular file" in capsys.readouterr().err


def test_reports_figures_and_tables_never_replace_a_link(tmp_path, capsys):
    """The validation report, experiment tables and figures go through the same
    writer as --out: a symlink in a result's place is refused, not replaced."""
    target = tmp_path / "target.md"
    target.write_text("keep\n")
    report = tmp_path / "report"
    report.mkdir()
    (report / "validation.md").symlink_to(target)
    assert main(["validate", "--rows", "LIT-PK1", "--report", str(report), "--force"]) == 2
    assert "is not a regular file" in capsys.readouterr().err
    assert (report / "validation.md").is_symlink() and target.read_text() == "keep\n"
    import pandas as pd

    from pathways.experiment_plots import write_csv
    from pathways.plotting import pyplot, save
    (tmp_path / "table.csv").symlink_to(target)
    with pytest.raises(PathwaysInputError, match="is not a regular file"):
        write_csv({"vehicle": pd.DataFrame({"ketamine_plasma": [0.0]},
                                            index=pd.Index([0.0], name="time_h"))},
                  tmp_path / "table.csv")
    (tmp_path / "figure.svg").symlink_to(target)
    fig = pyplot().figure()
    with pytest.raises(PathwaysInputError, match="is not a regular file"):
        save(fig, tmp_path / "figure", formats=("svg",))
    assert target.read_text() == "keep\n"
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


@pytest.mark.skipif(not SEMANTIC.exists(), reason="SBML test suite not available")
def test_a_solver_failure_in_the_steady_state_search_says_so(capsys):
    """Case 00159 fails while pathways looks for its drug-free steady state, long before the
    1-h run: the message says where, and names no C++ function."""
    path = SEMANTIC / "00159" / "00159-sbml-l3v2.xml"
    assert main(["simulate", "--sbml", str(path), "--end-h", "1", "--points", "3"]) == 2
    err = capsys.readouterr().err.strip()
    assert "solver failed while searching the pre-dose steady state" in err
    assert "\n" not in err and "::" not in err and "In virtual" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_standard_output_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "pathways.cli", "simulate", "--model",
                               "ketamine_pk", "--end-h", "1", "--points", "3"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "pathways: error: No space left on device"


def test_ctrl_c_is_one_line_and_says_where_the_finished_samples_are(tmp_path, monkeypatch,
                                                                      capsys):
    """Exit 130 with one line; a Sobol' study names the samples it kept (and a local study,
    which keeps none, or one stopped before its first batch, promises none)."""
    from pathways.model import Model
    from pathways.sensitivity.study import Study

    def interrupt(*_a, **_k):
        raise KeyboardInterrupt
    monkeypatch.setattr(Model, "simulate", interrupt)
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1"]) == 130
    assert capsys.readouterr().err.strip() == "pathways: interrupted"
    monkeypatch.undo()

    real, calls = Study.evaluate, []

    def interrupt_later(self, *a, **k):        # after some batches of samples
        calls.append(1)
        if len(calls) > 8:
            raise KeyboardInterrupt
        return real(self, *a, **k)
    monkeypatch.setattr(Study, "evaluate", interrupt_later)
    base = ["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
            "--metric", "auc", "--window", "0,6", "--dose", "0.5", "--minutes", "40",
            "--params", "CL_ket,V1_ket"]
    out = tmp_path / "study"
    assert main([*base, "--method", "sobol", "--samples", "8", "--workers", "1",
                 "--batch-size", "4", "--out", str(out)]) == 130
    err = capsys.readouterr().err.strip().splitlines()[-1]
    kept = len((out / "samples.csv").read_text().splitlines()) - 1
    assert kept > 0 and err == (f"pathways: interrupted; {kept} finished samples are kept in "
                                f"{out}: rerun with --resume to continue")
    calls.extend([1] * 8)                      # the next call interrupts at once
    assert main([*base, "--method", "local", "--out", str(tmp_path / "local")]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "pathways: interrupted"



def test_forced_experiment_refuses_a_link_among_its_outputs_before_writing_any(tmp_path,
                                                                               capsys):
    """With --force, a symlink in the folder stopped the run midway (table replaced, figure
    and provenance record left from the old run); it is refused before anything is written."""
    out = tmp_path / "exp"
    out.mkdir()
    (out / "zarate2006_pk.csv").write_text("old table")
    (out / "zarate2006_pk.png").symlink_to(tmp_path / "elsewhere.png")
    assert main(["experiment", "run", "zarate2006_pk", "--quick", "--out", str(out),
                 "--force"]) == 2
    err = capsys.readouterr().err
    assert "zarate2006_pk.png is not a regular file (a link, device or pipe)" in err
    assert (out / "zarate2006_pk.csv").read_text() == "old table"


def test_trial_prints_rates_and_writes_every_subject_with_units_and_provenance(tmp_path, capsys):
    import json

    import pandas as pd
    out = tmp_path / "trial.csv"
    assert main(["trial", "--arm", "ketamine=ketamine:0.5:40", "--arm", "vehicle=vehicle",
                 "--n", "20", "--seed", "3", "--no-progress", "--peaks", "dissociation_score",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "expected_rate_pct" in printed and str(out) in printed
    assert "mean_dissociation_score_peak" in printed
    table = pd.read_csv(out)
    assert len(table) == 40 and set(table["arm"]) == {"ketamine", "vehicle"}
    assert (table.loc[table["arm"] == "vehicle", "drug_effect_pct"].abs() < 1e-6).all()
    assert (table.loc[table["arm"] == "ketamine", "drug_effect_pct"] < -10).all()
    peak = table.groupby("arm")["dissociation_score_peak"]
    assert peak.min()["ketamine"] > 1 and peak.max()["vehicle"] == 0
    units = pd.read_csv(tmp_path / "trial_columns.csv", keep_default_na=False)
    assert list(units["column"]) == list(table.columns) and (units["meaning"] != "").all()
    record = json.loads((tmp_path / "trial.csv.run.json").read_text())
    assert record["tool"] == "pathways trial" and record["n"] == 20
    assert record["arms"]["vehicle"] == "vehicle" and record["files"] == [
        "trial.csv", "trial_columns.csv"]
    # the same subjects as the Python API draws with that seed
    from pathways import population
    assert list(table["CYP2B6"][:20]) == list(population.sample(20, 3)["CYP2B6"])
    assert main(["trial", "--arm", "v=vehicle", "--n", "2", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.parametrize("arm, message", [
    ("k", "--arm must be NAME=SPEC"),
    ("k=ketamine:x:40", "--arm k: the dose must be a number (mg/kg), got 'x'"),
    ("k=ketamin:0.5:40", "unknown drug 'ketamin'"),
    ("k=ketamine:0.5", "SPEC must be vehicle, DRUG:DOSE:MINUTES or DRUG:DOSE:ROUTE"),
    ("k=ketamine:0.5:nose", "unknown route 'nose'"),
    ("k=ketamine:500:40", "--arm k: ketamine dose must be in (0, 200]"),
    ("k=ketamine:1_0:40", "--arm k: the dose must be a number (mg/kg), got '1_0'"),
    ("k=ketamine:0.5:-40", "--arm k: infusion duration must be in"),
])
def test_a_bad_trial_arm_is_one_line_with_status_2(arm, message, capsys):
    assert main(["trial", "--arm", arm, "--n", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pathways: error: ") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["--arm", "k=vehicle", "--arm", "k=vehicle"], "two --arm options are named 'k'"),
    (["--arm", "k=vehicle", "--n", "0"], "--n must be from 1 to 100000, got 0"),
    (["--arm", "k=vehicle", "--response-pct", "5"], "--response-pct must be in [-100, 0)"),
    (["--arm", "k=vehicle", "--out", "x.txt"], "--out must name a .csv file"),
    (["--arm", "k=vehicle", "--at-h", "48"], "unrecognized arguments: --at-h 48"),
    (["--arm", "k=vehicle", "--peaks", ","], "--peaks is empty"),
    (["--arm", "v=vehicle", "--arm", "k=ketamine:0.5:ip"],       # a route, before subject 0
     "arm 'k': ketamine by route ip: intraperitoneal injection is a rodent route"),
    (["--arm", "k=vehicle", "--peaks", "nope"], "unknown readout in peaks 'nope'"),
    (["--arm", "k=vehicle", "--workers", "0"], "--workers must be >= 1, got 0"),
    (["--arm", "k=vehicle", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
     "--workers is for a local cluster"),
])
def test_bad_trial_options_are_one_line_with_status_2(args, message, capsys):
    assert main(["trial", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pathways: error: ") and message in err and err.count("\n") == 1


def test_trial_arm_fields_may_carry_spaces():
    from pathways import Regimen
    from pathways.population_cli import parse_arm
    name, reg = parse_arm(" k = ketamine : 0.5 : 40 ")
    assert name == "k" and reg == Regimen.infusion(0.5, 40)
    assert parse_arm("b=ketamine: 10 : ip")[1] == Regimen.bolus(10, "ip")


def test_parameter_columns_carry_units_written_for_people(tmp_path):
    """--columns with parameter ids: X_columns.csv gives L/h and 1/h, not the SBML unit ids
    L_per_h and per_h."""
    import pandas as pd

    from pathways.units import readable_unit
    out = tmp_path / "p.csv"
    assert main(["simulate", "--model", "ketamine_pk", "--end-h", "1", "--points", "2",
                 "--columns", "ketamine_plasma,CL_ket,k_brain", "--out", str(out)]) == 0
    units = pd.read_csv(tmp_path / "p_columns.csv", keep_default_na=False)
    assert dict(zip(units["column"], units["unit"]))["CL_ket"] == "L/h"
    assert dict(zip(units["column"], units["unit"]))["k_brain"] == "1/h"
    assert readable_unit("per_uM_per_h") == "1/(µM·h)" and readable_unit("uM") == "µM"
