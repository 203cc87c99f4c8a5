"""The composed model is a mechanism, not a curve fit (issue 4).

Human, ketamine 0.5 mg/kg IV over 40 min. Effects are (perturbation + drug) − (perturbation +
vehicle), read at 1 h and 24 h.
"""
import networkx as nx
import numpy as np
import pytest

import pathways
from pathways import Regimen, knockout
from pathways import metrics as mx
from pathways import sources
from pathways.graph import ast_names

DOSE = Regimen.infusion(0.5, minutes=40)
POINTS = np.unique(np.concatenate([np.arange(0, 6, 0.05), np.arange(6, 169, 1.0)]))
UPSTREAM = ["glutamate_rel", "peEF2_rel"]
DOWNSTREAM = ["pAkt_rel", "pERK_rel", "mTORC1_active_rel", "p4EBP_rel", "pS6K_rel",
              "synaptic_proteins_rel", "spine_density_rel", "symptom_change_pct"]
BELOW_BDNF = {"TrkB": DOWNSTREAM,
              "mTORC1": ["p4EBP_rel", "pS6K_rel", "synaptic_proteins_rel",
                         "spine_density_rel", "symptom_change_pct"],
              "protein_synthesis": ["synaptic_proteins_rel", "spine_density_rel",
                                    "symptom_change_pct"]}


@pytest.fixture(scope="module")
def human():
    return pathways.load("ketamine_synaptogenesis", "human")


def effect(model, perturbations=(), parameters=None, end_h=168.0):
    kw = dict(perturbations=perturbations, parameters=parameters, points=POINTS[POINTS <= end_h])
    return model.simulate(DOSE, end_h, **kw) - model.simulate(None, end_h, **kw)


@pytest.fixture(scope="module")
def control(human):
    return effect(human)


@pytest.mark.parametrize("target", sorted(BELOW_BDNF))
def test_knocking_out_a_link_below_bdnf_abolishes_everything_downstream(human, control, target):
    ko = effect(human, [knockout(target)], end_h=25)
    for readout in BELOW_BDNF[target]:
        for t in (1.0, 24.0):
            c, k = mx.value_at(control[readout], t), mx.value_at(ko[readout], t)
            assert abs(k) <= 0.25 * abs(c), f"{target} KO: {readout} at {t} h {k:.4g} vs {c:.4g}"
    for readout in UPSTREAM:        # the knockout is below them: they do not change
        c, k = mx.value_at(control[readout], 1.0), mx.value_at(ko[readout], 1.0)
        assert k == pytest.approx(c, rel=0.05), f"{target} KO changed upstream {readout}"


def _bdnf_and_symptom(eff):
    """The BDNF signal (released BDNF acting on TrkB: peak TrkB_active_rel effect, 0-4 h)
    and the 24-h symptom effect. Tissue BDNF protein is not the signal: with release blocked
    it accumulates in the store."""
    return mx.peak(eff["TrkB_active_rel"], 0, 4), mx.value_at(eff["symptom_change_pct"], 24.0)


def test_burst_arm_alone_lowers_and_both_arms_abolish_the_bdnf_response(human, control):
    bdnf_c, sym_c = _bdnf_and_symptom(control)
    bdnf_burst, sym_burst = _bdnf_and_symptom(effect(human, [knockout("LVDCC")], end_h=25))
    assert bdnf_burst < 0.9 * bdnf_c and abs(sym_burst) < 0.9 * abs(sym_c)
    both = effect(human, [knockout("LVDCC"), knockout("eEF2K")], end_h=25)
    bdnf_b, sym_b = _bdnf_and_symptom(both)
    assert bdnf_b <= 0.25 * bdnf_c and abs(sym_b) <= 0.25 * abs(sym_c)


def test_removing_the_resting_nmdar_eef2k_link_keeps_the_baseline_and_the_fast_burst(human):
    """knockout("NMDAR_eEF2K") cuts the link, not the kinase: the drug-free state is the wild
    type's, and ketamine no longer lowers p-eEF2 while the burst arm still raises glutamate."""
    link = [knockout("NMDAR_eEF2K")]
    vehicle = human.simulate(None, 24, perturbations=link, points=[0, 24])
    for readout in ("peEF2_rel", "BDNF_rel", "TrkB_active_rel", "synaptic_proteins_rel"):
        assert vehicle[readout].to_numpy() == pytest.approx(1.0, abs=1e-6), readout
    eff = effect(human, link, end_h=2)
    assert abs(mx.value_at(eff["peEF2_rel"], 0.5)) < 1e-3
    assert mx.peak(eff["glutamate_rel"], 0, 2) > 0.1


def test_resting_arm_link_alone_lowers_and_both_links_abolish_the_bdnf_response(human, control):
    bdnf_c, sym_c = _bdnf_and_symptom(control)
    bdnf_r, sym_r = _bdnf_and_symptom(effect(human, [knockout("NMDAR_eEF2K")], end_h=25))
    assert bdnf_r < 0.9 * bdnf_c and abs(sym_r) < 0.9 * abs(sym_c)
    both = effect(human, [knockout("LVDCC"), knockout("NMDAR_eEF2K")], end_h=25)
    bdnf_b, sym_b = _bdnf_and_symptom(both)
    assert bdnf_b <= 0.25 * bdnf_c and abs(sym_b) <= 0.25 * abs(sym_c)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "the eEF2K knockout genotype raises the resting BDNF store 2-fold, so the burst arm "
    "releases more BDNF and the response grows instead of falling (see LIT-R17's reason); "
    "removing the link instead (NMDAR_eEF2K) lowers it"))
def test_eef2k_knockout_genotype_lowers_the_bdnf_response(human, control):
    bdnf_c, sym_c = _bdnf_and_symptom(control)
    bdnf_r, sym_r = _bdnf_and_symptom(effect(human, [knockout("eEF2K")], end_h=25))
    assert bdnf_r < bdnf_c and abs(sym_r) < abs(sym_c)


def test_blocking_spine_formation_keeps_early_relief_and_removes_days_3_to_7(human, control):
    # protein-driven spine nucleation off (syn_k_N = 0); basal turnover stays
    blocked = effect(human, parameters={"syn_k_N": 0.0})
    early_c = mx.value_at(control["symptom_change_pct"], 2.0)
    early_b = mx.value_at(blocked["symptom_change_pct"], 2.0)
    assert abs(early_b) >= 0.75 * abs(early_c), (early_b, early_c)
    for day in (3, 5, 7):
        late_c = mx.value_at(control["symptom_change_pct"], 24.0 * day)
        late_b = mx.value_at(blocked["symptom_change_pct"], 24.0 * day)
        assert abs(late_b) <= 0.25 * abs(late_c), (day, late_b, late_c)


@pytest.fixture(scope="module")
def signed(human):
    return pathways.interaction_graph(human)


def _module_of(species_id: str) -> str:
    for comp in sources.COMPONENTS:
        if species_id in sources.declared_ids(sources.strip_inputs(sources.read_body(comp))):
            return comp
    return ""


def test_the_signed_graph_leads_from_ketamine_to_symptom_through_every_module_in_order(signed):
    """One chain of interaction-graph edges: ketamine -> NMDAR block -> TrkB -> Akt -> new
    synaptic protein -> symptom, each waypoint a species of its module (reachability; the
    signs of single links are tested below)."""
    waypoints = {"nmda_blockade": "nmdaB_in_ket", "bdnf_trkb": "TrkB_active",
                 "mtorc1_4ebp": "pAkt", "synaptogenesis": "syn_P_new"}
    chain = ["ket_central", *waypoints.values(), "symptom_change_pct"]
    for module, node in waypoints.items():
        assert _module_of(node) == module
    for a, b in zip(chain, chain[1:]):
        assert nx.has_path(signed, a, b), (a, b)


DRUG_PREFIXES = ("ket_", "esk_", "nket_", "mem_", "mdz_", "ketamine_", "norketamine_")


def test_drug_concentrations_act_only_through_the_nmda_module(human):
    """No rate law or rule of bdnf_trkb, mtorc1_4ebp or synaptogenesis names a drug
    quantity: downstream of the NMDA receptors the drug acts only through module species.
    Midazolam's brief term in the symptom score reads `GABAAR_potentiation`, the GABA-A
    receptor state that nmda_blockade computes from brain midazolam, not the concentration."""
    import libsbml

    model = libsbml.readSBMLFromString(human.sbml).getModel()
    downstream = set()
    for comp in ("bdnf_trkb", "mtorc1_4ebp", "synaptogenesis"):
        downstream |= sources.declared_ids(sources.strip_inputs(sources.read_body(comp)))
    maths = [(r.getId(), r.getKineticLaw().getMath()) for r in model.getListOfReactions()
             if r.getId() in downstream]
    maths += [(r.getVariable(), r.getMath()) for r in model.getListOfRules()
              if r.getVariable() in downstream]
    assert len(maths) > 50
    for owner, math in maths:
        names = ast_names(math)
        assert not [n for n in names if n.startswith(DRUG_PREFIXES)], (owner, names)


@pytest.mark.parametrize("source, target, sign", [
    ("ket_brain", "nmdaB_in_ket", +1),                  # ketamine blocks interneuron NMDARs
    ("nmdaB_in_ket", "interneuron_activity_rel", -1),   # ... which silences interneurons
    ("TrkB_active", "mt_PI3K_a", +1),                   # TrkB -> PI3K
    ("mt_PI3K_a", "pAkt", +1),                          # PI3K -> Akt
    ("pAkt", "mt_pTSC", +1),                            # Akt phosphorylates (inactivates) TSC2
    ("mt_mTORC1_Rheb", "p4EBP", +1),                    # mTORC1 -> p-4E-BP1
    ("mt_4EBP", "eIF4E_free", -1),                      # 4E-BP1 ⊣ eIF4E
])
def test_known_signs_in_the_interaction_graph(signed, source, target, sign):
    """Signs derived from the rate laws (pathways.interaction_graph), not from names."""
    assert signed.edges[source, target]["sign"] == sign


@pytest.mark.parametrize("genotype, measured", [("bdnf_val66met", 0.85),
                                                ("bdnf_met66met", 0.70)])
def test_val66met_lowers_activity_dependent_secretion_by_the_measured_fraction(genotype,
                                                                               measured):
    """Egan 2003 / Chen 2004 measured the secretion deficit itself (≈30% for Met/Met): the
    preset must reproduce it at the genotype's own steady state, not just lower a rate
    constant that the releasable pool then compensates for."""
    mouse = pathways.load("ketamine_synaptogenesis", "mouse")
    kw = dict(points=[0.0, 1.0], variables=["BDNF_pool", "LVDCC_Ca"])

    def regulated(df):       # regulated release rate ∝ L-VDCC Ca2+ x releasable pool
        return (df["LVDCC_Ca"] * df["BDNF_pool"]).iloc[0]
    wt = regulated(mouse.simulate(None, 1, **kw))
    met = regulated(mouse.simulate(None, 1, perturbations=[genotype], **kw))
    assert met / wt == pytest.approx(measured, abs=0.01)


@pytest.mark.parametrize("name, inputs, readout, direction", [
    ("nmda_blockade", {"ket_brain_u": 5.0}, "glutamate_rel", +1),
    ("nmda_blockade", {"ket_brain_u": 5.0}, "peEF2_rel", -1),
    ("bdnf_trkb", {"peEF2": 0.1}, "BDNF_rel", +1),
    ("mtorc1_4ebp", {"TrkB_active": 0.0007}, "mTORC1_active_rel", +1),
    ("synaptogenesis", {"eIF4E_free": 0.01}, "synaptic_proteins_rel", +1),
])
def test_a_component_alone_shows_a_clamped_input_as_an_effect(name, inputs, readout,
                                                                direction):
    """Each component loads alone with its inputs as parameters (issue 4); clamping an input
    must not redefine the drug-free baseline that its fold readouts are relative to."""
    model = pathways.load(name)
    assert model.simulate(None, 1, points=2)[readout].iloc[-1] == pytest.approx(1.0, abs=1e-6)
    clamped = model.simulate(None, 1, parameters=inputs, points=2)[readout].iloc[-1]
    assert direction * (clamped - 1.0) > 0.05, clamped


def test_the_absolute_bdnf_level_is_a_unit_choice(human):
    """The model's BDNF pool (0.02 uM) is ~70x the measured cortical tissue average (8 ng/g,
    Kokaia 1996; 0.3 nM), as its source comment says. Only folds reach the readouts: BDNF
    synthesis scaled down to that level, with the resting TrkB_active that normalises PI3K
    and MEK activation (mt_TrkB_basal) scaled alike, leaves every readout of a 72-h run
    unchanged (TrkB binding stays far from saturation), while scaling synthesis alone starves
    the cascade of its resting drive, so the check is not empty."""
    cols = ["BDNF_rel", "TrkB_active_rel", "pAkt_rel", "pERK_rel", "mTORC1_active_rel",
            "synaptic_proteins_rel", "spine_density_rel"]
    p = human.parameters
    measured = 8e-9 / 27_000 * 1e6 * 1e3          # 8 ng/g (1 g/mL), dimer 27 kDa, in uM
    f = measured / 0.02
    base = human.simulate(DOSE, 72.0, points=145)
    both = human.simulate(DOSE, 72.0, points=145, parameters={
        "k_tl_bdnf": p["k_tl_bdnf"] * f, "mt_TrkB_basal": p["mt_TrkB_basal"] * f})
    for c in cols:
        assert np.max(np.abs(both[c] - base[c])) < 2e-3, c
    assert np.max(np.abs(both["symptom_change_pct"] - base["symptom_change_pct"])) < 0.1
    alone = human.simulate(DOSE, 72.0, points=145, parameters={"k_tl_bdnf": p["k_tl_bdnf"] * f})
    assert alone["mTORC1_active_rel"].max() - 1 < 0.2 * (base["mTORC1_active_rel"].max() - 1)


def test_the_absolute_synaptic_protein_level_is_a_unit_choice(human):
    """syn_k_tl sets the absolute synaptic protein level; the nucleation threshold (syn_K_N,
    5x the resting new protein) and the protein per spine (syn_SP_per_spine) were chosen at
    its value, so scaling the three together leaves every readout of a 14-day run unchanged,
    while syn_k_tl alone moves the resting nucleation and the symptom course (what the
    robustness scan's syn_k_tl variants measure)."""
    p = human.parameters
    cols = ["synaptic_proteins_rel", "spine_density_rel", "spine_formation_rel",
            "symptom_change_pct"]
    base = human.simulate(DOSE, 336.0, points=337)
    for f in (0.5, 2.0):
        both = human.simulate(DOSE, 336.0, points=337, parameters={
            p_id: p[p_id] * f for p_id in ("syn_k_tl", "syn_K_N", "syn_SP_per_spine")})
        for c in cols:
            assert np.max(np.abs(both[c] - base[c])) < 1e-4, (f, c)
        alone = human.simulate(DOSE, 336.0, points=337,
                               parameters={"syn_k_tl": p["syn_k_tl"] * f})
        assert np.max(np.abs(alone["symptom_change_pct"] - base["symptom_change_pct"])) > 5.0
