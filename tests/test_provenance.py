"""Provenance of results: which models (by the hash of the SBML simulated), runs and software
versions produced a set of files."""
import json

import pathways
from pathways import Regimen, provenance
from pathways.experiments import record_runs


def test_provenance_names_each_species_model_and_its_runs(tmp_path):
    human = pathways.load("ketamine_pk", species="human")
    rat = pathways.load("ketamine_pk", species="rat")
    with record_runs() as runs:
        human.simulate(Regimen.infusion(0.5, minutes=40), end_h=2)
        rat.simulate(Regimen.bolus(10, "ip"), end_h=1, parameters={"CL_ket": 1.0})
    table = tmp_path / "t.csv"
    table.write_text("x\n1\n")
    elsewhere = tmp_path.parent / "elsewhere.png"
    path = provenance.write(tmp_path / "run.json", {"study": "pk"}, runs, [table, elsewhere])
    record = json.loads(path.read_text())
    assert record["study"] == "pk" and record["files"] == ["t.csv", str(elsewhere)]
    models = {m["species"]: m for m in record["models"]}
    # the rat's parameter values are part of its SBML, so the two hashes differ
    assert models["human"]["sbml_sha256"] == provenance.sbml_sha256(human)
    assert models["rat"]["sbml_sha256"] == provenance.sbml_sha256(rat) != \
        models["human"]["sbml_sha256"]
    assert models["rat"]["body_weight_kg"] == 0.3
    first, second = (r["description"] for r in record["runs"])
    assert "ketamine 0.5 mg/kg iv over 40 min" in first and "to 2 h" in first
    assert "CL_ket=1" in second and "10 mg/kg ip" in second
    assert record["integrator"]["relative_tolerance"] == 1e-8
