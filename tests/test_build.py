"""The committed SBML is what the sources generate, is valid and unit-consistent, and every
species and reaction is annotated; every parameter has a source of a known kind."""
import pytest

from pathways import build, sources
from pathways.model_docs import write_or_check

MODELS = build.available_models()


@pytest.fixture(scope="module", params=MODELS)
def built(request):
    import libsbml
    name = request.param
    text = build.build_sbml(name)
    return name, text, libsbml.readSBMLFromString(text)


def test_committed_sbml_is_in_sync_with_the_sources(built):
    name, text, _ = built
    assert (build.REPO_SBML_DIR / f"{name}.xml").read_text(encoding="utf-8") == text, (
        f"sbml/{name}.xml is stale: run `pathways build`")


def test_committed_sbml_rests_at_its_own_baseline_in_plain_libroadrunner():
    """A user who loads sbml/*.xml without pathways gets a model at its drug-free steady state:
    at every 6 h of 14 days of vehicle every species stays put and every fold-of-baseline
    readout stays 1 (to 1e-6), `symptom_change_pct` 0 (to 1e-4 percentage points), with
    libRoadRunner's default tolerances, not pathways'. The sources carry the steady state to
    9 digits (`pathways.fitting.write_rest_state`): with 6 the steep steps turned the rounding
    into a drift, 1.5e-5 in spine_formation_rel at 20 h and 0.009 points in the symptom, which
    readings at the start and the end alone did not see. The `[computed]` reference values are
    part of this (pathways recomputes them per run; the files carry them as written), so a
    refit that changes a steady state without rewriting its reference fails here."""
    import numpy as np
    import roadrunner
    for name in MODELS:
        rr = roadrunner.RoadRunner(str(build.REPO_SBML_DIR / f"{name}.xml"))
        readouts = [p for p in rr.model.getGlobalParameterIds()
                    if p.endswith("_rel") or p == "symptom_change_pct"]
        species = list(rr.model.getFloatingSpeciesIds())
        rr.timeCourseSelections = ["time", *readouts, *(f"[{s}]" for s in species)]
        out = rr.simulate(0.0, 336.0, 57)
        at_rest = np.array([1.0 if p.endswith("_rel") else 0.0 for p in readouts])
        tolerance = np.array([1e-6 if p.endswith("_rel") else 1e-4 for p in readouts])
        worst = np.abs(out[:, 1:1 + len(readouts)] - at_rest).max(axis=0)
        off = {p: float(w) for p, w, tol in zip(readouts, worst, tolerance) if w > tol}
        assert not off, f"sbml/{name}.xml, largest departure in a vehicle run: {off}"
        conc = out[:, 1 + len(readouts):]
        drift = (np.abs(conc - conc[0]).max(axis=0)
                 > 1e-6 * np.maximum(np.abs(conc[0]), 1e-9))
        assert not drift.any(), (name, [species[i] for i in np.flatnonzero(drift)])


def test_sources_carry_the_steady_state_to_nine_digits():
    """`write_rest_state` has nothing left to refine: every species initial value, input and
    `[computed]` reference in the sources is the composed model's steady state to 9 digits (a
    source edited by hand to 6 digits, or a steady state moved by less than 1e-4, fails)."""
    from pathways.fitting import write_rest_state as rest

    values = rest.rest_state()
    stale = {ant.name: rest.refine(ant.read_text(encoding="utf-8"), values)[1]
             for ant in sorted(rest.MODELS.glob("*.ant"))}
    assert not any(stale.values()), f"run python -m pathways.fitting.write_rest_state: {stale}"


def test_docs_page_is_in_sync():
    assert not write_or_check(check=True), "docs/model.md is stale: run `pathways build`"


def test_no_libsbml_errors_or_unit_warnings(built):
    _, _, doc = built
    assert build.sbml_problems(doc) == []
    import libsbml
    m = doc.getModel()
    expected = {"time": (libsbml.UNIT_KIND_SECOND, 3600.0),
                "substance": (libsbml.UNIT_KIND_MOLE, 1e-6), "extent": (libsbml.UNIT_KIND_MOLE, 1e-6)}
    declared = {"time": m.getTimeUnits(), "substance": m.getSubstanceUnits(),
                "extent": m.getExtentUnits()}
    for what, (kind, factor) in expected.items():
        ud = m.getUnitDefinition(declared[what])
        assert ud is not None and ud.getNumUnits() == 1, f"model {what} units not declared"
        u = ud.getUnit(0)
        assert u.getKind() == kind and u.getExponent() == 1
        assert abs(u.getMultiplier() * 10 ** u.getScale() - factor) < 1e-9 * factor


def test_every_species_and_reaction_is_annotated(built):
    _, _, doc = built
    m = doc.getModel()
    for s in m.getListOfSpecies():
        assert s.isSetSBOTerm(), f"species {s.getId()} has no SBO term"
        uris = [cv.getResourceURI(i) for cv in s.getCVTerms() for i in range(cv.getNumResources())]
        assert any("identifiers.org/" in u for u in uris), \
            f"species {s.getId()} has no identifiers.org term"
    for r in m.getListOfReactions():
        assert r.isSetSBOTerm(), f"reaction {r.getId()} has no SBO term"


def test_each_model_cites_its_own_key_papers(built):
    """Every model listed the same four papers (the PK model cited Li 2010's mTOR work)."""
    import libsbml
    from pathways import annotations as ann
    name, _, doc = built
    m = doc.getModel()
    cited = {cv.getResourceURI(i) for cv in m.getCVTerms()
             if cv.getModelQualifierType() == libsbml.BQM_IS_DESCRIBED_BY
             for i in range(cv.getNumResources())}
    wanted = ann.KEY_PAPERS_OF.get(name, tuple(ann.KEY_PAPERS))
    key = {f"{ann.IDENTIFIERS}/{doi}" for doi in ann.KEY_PAPERS.values()}
    assert cited & key == {f"{ann.IDENTIFIERS}/{ann.KEY_PAPERS[k]}" for k in wanted}
    assert (len(cited & key) == len(ann.KEY_PAPERS)) == (name == sources.COMPOSED)
    if name == "ketamine_pk":
        assert f"{ann.IDENTIFIERS}/{ann.KEY_PAPERS['Li 2010 Science 329:959']}" not in cited


def test_every_independent_parameter_has_a_source(built):
    name, _, doc = built
    recs = sources.parameter_sources(name)
    m = doc.getModel()
    for p in m.getListOfParameters():
        if m.getRule(p.getId()) or m.getInitialAssignment(p.getId()):
            continue
        assert p.getId() in recs, f"{name}: {p.getId()} has no source comment"
        assert recs[p.getId()].kind in sources.KINDS
        assert len(recs[p.getId()].source) > 10, f"{p.getId()}: source too short"
        assert f"[{recs[p.getId()].kind}]" in p.getNotesString(), p.getId()


def test_assumed_values_do_not_cite_lit_rows_as_reason():
    for name in MODELS:
        if name == sources.COMPOSED:
            continue
        for p in sources.parameter_sources(name).values():
            if p.kind == "assumed":
                assert "LIT-" not in p.source, f"{name}:{p.id} 'assumed' may not cite a LIT row"


def test_a_parameter_without_a_source_fails_the_build(tmp_path, monkeypatch):
    src = tmp_path / "ketamine_pk.ant"
    src.write_text("model ketamine_pk()\n  k = 1 per_h;\n  compartment c = 1 litre;\n"
                   "  species A in c = 1 uM;\n  J: A => ; c*k*A;\nend\n")
    monkeypatch.setattr(sources, "MODELS_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"ketamine_pk.ant:2: parameter without a"):
        sources.parameter_sources("ketamine_pk")


def test_a_reversible_reaction_clash_between_components_is_found(monkeypatch):
    """`->` (reversible) reactions are declarations too: a component re-declaring one would
    silently replace it in the composed model."""
    real = sources.read_body

    def with_clash(name):
        body = real(name)
        if name == "synaptogenesis":
            body += "\nmem_bbb: syn_spine_nascent -> syn_spine_new; syn_k_Nm*syn_spine_nascent;\n"
        return body
    monkeypatch.setattr(sources, "read_body", with_clash)
    assert sources.clashing_ids() == {"mem_bbb": ["ketamine_pk", "synaptogenesis"]}
    with pytest.raises(build.BuildError, match="ids declared by several components: mem_bbb"):
        build.build_sbml(sources.COMPOSED)


def test_species_overrides_name_source_parameters_with_their_units(tmp_path, monkeypatch):
    from pathways import species

    assert species.override_problems("rat") == [] and species.override_problems("mouse") == []
    text = (species.SPECIES_DIR / "rat.toml").read_text(encoding="utf-8")
    assert "\nV_brain = {" in text
    (tmp_path / "rat.toml").write_text(text.replace("\nV_brain = {", "\nV_brian = {"),
                                       encoding="utf-8")
    (tmp_path / "mouse.toml").write_text((species.SPECIES_DIR / "mouse.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(species, "SPECIES_DIR", tmp_path)
    assert species.override_problems("rat") == [
        "rat.toml: V_brian is not a parameter of the model sources"]
    with pytest.raises(build.BuildError, match="V_brian is not a parameter"):
        build.build_all(tmp_path / "sbml", check=True)
    (tmp_path / "rat.toml").unlink()
    with pytest.raises(FileNotFoundError, match="would silently run on human values"):
        species.species_set("rat")


def test_the_cited_dalle_pezze_rate_laws_have_the_forms_mtorc1_4ebp_reuses():
    """mtorc1_4ebp.ant cites three reactions of Dalle Pezze 2012 (BIOMD0000000581) for its
    rate-law forms: read them from the BioModels copy beside the repository and check that
    the dephosphorylation is first order and both phosphorylations bilinear mass action."""
    import libsbml
    from conftest import SHARED
    path = SHARED / "biomodels" / "BIOMD0000000581.xml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    source = (sources.MODELS_DIR / "mtorc1_4ebp.ant").read_text(encoding="utf-8")
    model = libsbml.readSBMLFromFile(str(path)).getModel()
    expected = {"reaction_9": ("dephosphorylation", 1), "reaction_31": ("phosphorylation", 2),
                "reaction_33": ("phosphorylation", 2)}
    for rid, (kind, n_species) in expected.items():
        assert rid in source, f"mtorc1_4ebp.ant no longer cites {rid}"
        r = model.getReaction(rid)
        assert kind in r.getName()
        names = {model.getSpecies(i).getId() for i in range(model.getNumSpecies())}
        law = libsbml.formulaToL3String(r.getKineticLaw().getMath())
        factors = [f.strip() for f in law.split("*")]
        assert len([f for f in factors if f in names]) == n_species, law
        assert all(f in names or f.startswith(("k", "compartment")) for f in factors), law
