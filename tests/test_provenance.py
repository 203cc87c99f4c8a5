"""Provenance of results: which models (by the hash of the SBML simulated), runs and software
versions produced a set of files."""
import json

import pathways
from pathways import Regimen, provenance
from pathways.experiments import record_runs


def test_provenance_names_each_species_model_and_its_runs(tmp_path):
    human = pathways.load("ketamine_pk", species="human")
    rat = pathways.load("ketamine_pk", species="rat")
    with record_runs(shipped_only=False) as runs:
        human.simulate(Regimen.infusion(0.5, minutes=40), end_h=2)
        rat.simulate(Regimen.bolus(10, "ip"), end_h=1, parameters={"CL_ket": 1.0})
    table = tmp_path / "t.csv"
    table.write_text("x\n1\n")
    elsewhere = tmp_path.parent / "elsewhere.png"
    path = provenance.write(tmp_path / "run.json", {"study": "pk"}, runs, [table, elsewhere])
    record = json.loads(path.read_text())
    assert record["study"] == "pk"
    assert record["files"] == ["t.csv", str(elsewhere.resolve())]   # outside: absolute
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


def test_a_users_sbml_is_recorded_with_its_own_hash_even_under_a_shipped_name(tmp_path):
    """The hash is of the SBML that ran: a modified copy named like a shipped model must not be
    recorded as the shipped one (and the exporter, which re-runs shipped models by name, must
    leave it out)."""
    from pathways.model import Model, base_sbml
    sbml = base_sbml("ketamine_pk").replace('id="CL_ket" value="', 'id="CL_ket" value="2', 1)
    assert sbml != base_sbml("ketamine_pk")
    spoof = Model("ketamine_pk", sbml=sbml)
    shipped = pathways.load("ketamine_pk")
    regimen = Regimen.bolus(0.5, "iv")
    with record_runs(shipped_only=False) as everything, record_runs() as shipped_only:
        spoof.simulate(regimen, end_h=1)
        shipped.simulate(regimen, end_h=1)
    record = json.loads(provenance.write(tmp_path / "run.json", {}, everything).read_text())
    hashes = [r["sbml_sha256"] for r in record["runs"]]
    assert hashes == [provenance.sbml_sha256(spoof), provenance.sbml_sha256(shipped)]
    assert hashes[0] != hashes[1] and len(record["models"]) == 2
    assert [r.sbml_sha256 for r in shipped_only] == [hashes[1]]


def test_numpy_values_in_the_fields_are_written_as_numbers(tmp_path):
    import numpy as np
    path = provenance.write(tmp_path / "run.json", {"quick": np.bool_(True), "n": np.int64(3)},
                            [])
    record = json.loads(path.read_text())
    assert record["quick"] is True and record["n"] == 3


def test_a_failed_record_leaves_the_earlier_one_whole(tmp_path, monkeypatch):
    """The record is written beside its target and renamed over it: a disk that fills up
    half-way leaves the earlier record whole, no temporary file, and an error naming the
    record (not the temporary file)."""
    path = provenance.write(tmp_path / "run.json", {"n": 1}, [])
    real_write_text = type(path).write_text

    def half_then_full(self, text, *args, **kwargs):
        real_write_text(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(path), "write_text", half_then_full)
    try:
        provenance.write(path, {"n": 2}, [])
    except pathways.PathwaysInputError as exc:
        assert str(exc) == f"cannot write {path}: No space left on device"
    else:
        raise AssertionError("a failed write passed silently")
    monkeypatch.undo()
    assert json.loads(path.read_text())["n"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]


def test_a_record_never_replaces_a_symlink(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    link = tmp_path / "run.json"
    link.symlink_to(target)
    try:
        provenance.write(link, {}, [])
    except pathways.PathwaysInputError as exc:
        assert "run.json" in str(exc)
    else:
        raise AssertionError("a symlink was replaced")
    assert link.is_symlink() and target.read_text() == "{}"
