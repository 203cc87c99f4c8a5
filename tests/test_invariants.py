"""Invariants on every shipped model and species: vehicle runs stay at baseline, the PK
conserves mass, runs are deterministic and order-independent, and a solver failure is a
named SimulationError."""
import numpy as np
import pytest

import pathways
from pathways import Regimen
from pathways.species import SPECIES

MODELS = pathways.list_models()


@pytest.mark.parametrize("species", SPECIES)
@pytest.mark.parametrize("name", MODELS)
def test_vehicle_run_stays_at_baseline_for_two_weeks(name, species):
    df = pathways.load(name, species).simulate(None, 24 * 14, points=57)
    folds = [c for c in df.columns if c.endswith("_rel")]
    for c in folds:
        assert np.abs(df[c] - 1.0).max() <= 1e-6, c
    zero_at_rest = [c for c in ("symptom_change_pct", "dissociation_score", "sbp_change_mmHg",
                                "ketamine_plasma", "norketamine_plasma",
                                "hydroxynorketamine_plasma") if c in df]
    for c in zero_at_rest:
        assert np.abs(df[c]).max() <= 1e-6, c


FAMILY = ("ket_", "esk_", "nket_", "hnk_")   # racemic and S-ketamine, norketamine, 2,6-HNK


@pytest.mark.parametrize("species, route", [
    (s, r) for s in SPECIES for r in ("iv", "ip", "im", "sc", "intranasal", "oral", "infusion")
    if not (s == "human" and r == "ip")])          # a rodent route, refused for humans
def test_pk_mass_balance(species, route):
    """Dose (µmol) = ketamine + norketamine + hydroxynorketamine in every compartment, depot
    and sink, within 1e-6."""
    m = pathways.load("ketamine_pk", species)
    reg = (Regimen.infusion(0.5, 40) if route == "infusion" else Regimen.bolus(0.5, route))
    ids = [s for s in m._species_ids if s.startswith(FAMILY)]
    comps = {s: m._rr.model.getCompartmentIdsOfFloatingSpecies()[m._species_ids.index(s)]
             if hasattr(m._rr.model, "getCompartmentIdsOfFloatingSpecies") else None for s in ids}
    if None in comps.values():
        import libsbml
        model = libsbml.readSBMLFromString(m.sbml).getModel()
        comps = {s: model.getSpecies(s).getCompartment() for s in ids}
    df = m.simulate(reg, 48, points=[0, 0.5, 1, 6, 24, 48], variables=ids + sorted(set(comps.values())))
    dose_umol = 0.5 * m.body_weight_kg / 237.7 * 1000
    total = sum(df[s] * df[comps[s]] for s in ids)
    expected = np.where(df.index >= (2 / 3 if route == "infusion" else 0), dose_umol, np.nan)
    done = ~np.isnan(expected)
    np.testing.assert_allclose(total[done], expected[done], rtol=1e-6)


def test_results_are_deterministic_and_independent_of_run_order():
    m = pathways.load("ketamine_synaptogenesis", "rat")
    first = m.simulate(Regimen.bolus(10, "ip"), 48, points=49)
    m.simulate(Regimen.bolus(80, "ip"), 72, perturbations=["rapamycin", "lithium"],
               parameters={"mt_Akt_tot": 0.3, "syn_k_N": 0.001})
    other = pathways.load("ketamine_synaptogenesis", "rat")
    other.simulate(Regimen.bolus(3, "ip"), 24, perturbations=["eef2k_ko"])
    again = m.simulate(Regimen.bolus(10, "ip"), 48, points=49)
    np.testing.assert_array_equal(first.values, again.values)
    np.testing.assert_array_equal(first.values,
                                  other.simulate(Regimen.bolus(10, "ip"), 48, points=49).values)


def test_solver_failure_is_a_named_simulation_error():
    m = pathways.load("ketamine_synaptogenesis", "human")
    with pytest.raises(pathways.SimulationError) as err:
        m.simulate(Regimen.infusion(0.5, 40), 48, parameters={"syn_gamma": 1e5},
                   perturbations=["lithium"])
    msg = str(err.value)
    for part in ("ketamine_synaptogenesis (human)", "ketamine 0.5 mg/kg iv over 40 min",
                 "lithium (chronic)", "syn_gamma", "at t = ", "CVODE", "relative_tolerance"):
        assert part in msg, part
    assert isinstance(err.value, RuntimeError)


@pytest.mark.parametrize("species", SPECIES)
@pytest.mark.parametrize("name", MODELS)
def test_amounts_stay_non_negative_after_a_dose(name, species):
    """Every species of every model stays ≥ −(1e-9 × its scale + CVODE's absolute tolerance)
    (solver noise) after a dose (or, for a component without PK, with its drug input clamped
    on, or its upstream inputs doubled). A species that stays at zero (esketamine when
    ketamine is given) may carry noise below the absolute tolerance, e.g. −1.7e-21 µM."""
    from pathways import sources
    m = pathways.load(name, species)
    regimen, params = None, None
    if "ket_central" in m._species_ids:
        regimen = Regimen.infusion(0.5, 40) if species == "human" else Regimen.bolus(10, "ip")
    elif "ket_brain_u" in m.parameters:
        params = {"ket_brain_u": 1.0}
    else:                        # the downstream components: a doubled drive from upstream
        params = {i: 2 * m.parameters[i] for i in sources.input_ids(name) if m.parameters[i]}
        assert params, name          # (drug-free at steady state, this checked nothing)
    df = m.simulate(regimen, 72, parameters=params, points=73, variables=m._species_ids)
    conc = df[[c for c in m._species_ids if c in df]]
    from pathways.model import INTEGRATOR
    allowed = 1e-9 * conc.abs().max() + INTEGRATOR["absolute_tolerance"]
    assert (conc.min() >= -allowed).all(), conc.min()[conc.min() < -allowed]


@pytest.mark.parametrize("pretreatment", ["rapamycin", "anisomycin", "lvdcc_blocker"])
@pytest.mark.parametrize("dose", [None, 0.5])
def test_symptom_change_is_0_at_time_0_after_a_pretreatment(pretreatment, dose):
    """CONTRACT: symptom_change_pct is 0 at time 0 in every arm (a pretreatment before time 0
    moves the score; the change is counted from the score at time 0)."""
    reg = Regimen.none() if dose is None else Regimen.infusion(dose, minutes=40)
    s = pathways.load().simulate(reg, end_h=2, perturbations=[pretreatment])["symptom_change_pct"]
    assert s.index[0] < 0
    assert abs(s.loc[0.0]) < 1e-9


def test_intraperitoneal_dosing_is_refused_in_humans():
    with pytest.raises(pathways.PathwaysInputError, match="intraperitoneal injection is a "
                                                          "rodent route"):
        pathways.load("ketamine_pk", "human").simulate(Regimen.bolus(0.5, "ip"), end_h=4)
    with pytest.raises(pathways.PathwaysInputError, match="give iv, im, sc, intranasal or oral$"):
        pathways.load("ketamine_pk", "human").simulate(Regimen.bolus(0.5, "ip"), end_h=4)
    with pytest.raises(pathways.PathwaysInputError, match="give iv or oral$"):
        pathways.load("ketamine_pk", "human").simulate(
            Regimen.bolus(0.3, "ip", drug="memantine"), end_h=4)


def test_a_parameter_that_zeroes_a_baseline_is_an_input_error_naming_the_readout():
    with pytest.raises(pathways.PathwaysInputError, match="make the steady-state baseline of "
                                                          "peEF2_rel 0; .*pathways.knockout"):
        pathways.load().simulate(Regimen.none(), end_h=1, parameters={"eEF2K_scale": 0})


def test_a_solver_failure_with_a_zero_override_names_it():
    with pytest.raises(pathways.SimulationError, match="K_allo_ket = 0 may divide a rate law"):
        pathways.load().simulate(Regimen.infusion(0.5, 40), end_h=1,
                                 parameters={"K_allo_ket": 0})


@pytest.mark.parametrize("route", ["iv", "ip", "infusion"])
def test_pk_mass_balance_of_hydroxynorketamine_given_as_itself(route):
    """Dose (µmol of HNK, 239.7 g/mol) = HNK in every compartment, depot and sink (mouse)."""
    m = pathways.load("ketamine_pk", "mouse")
    reg = (Regimen.infusion(10, 40, drug="hydroxynorketamine") if route == "infusion"
           else Regimen.bolus(10, route, drug="hydroxynorketamine"))
    import libsbml
    model = libsbml.readSBMLFromString(m.sbml).getModel()
    ids = [s for s in m._species_ids if s.startswith("hnk_")]
    comps = {s: model.getSpecies(s).getCompartment() for s in ids}
    df = m.simulate(reg, 24, points=[0, 1, 6, 24], variables=ids + sorted(set(comps.values())))
    total = sum(df[s] * df[comps[s]] for s in ids)
    dose_umol = 10 * m.body_weight_kg / 239.7 * 1000
    np.testing.assert_allclose(total[df.index >= 1], dose_umol, rtol=1e-6)
