"""Bad input gets a one-line PathwaysInputError (a ValueError) naming the valid choices."""
import math

import pytest

import pathways
from pathways import PathwaysInputError, Regimen


def one_line(excinfo):
    msg = str(excinfo.value)
    assert "\n" not in msg and msg
    return msg


@pytest.mark.parametrize("call, expected", [
    (lambda: Regimen.bolus(1, "rectal"), "unknown route 'rectal'; valid: im, intranasal, ip, iv, oral, sc"),
    (lambda: Regimen.bolus(1, "iv", drug="lsd"), "unknown drug 'lsd'; valid: esketamine, "
                                                  "hydroxynorketamine, ketamine, memantine, "
                                                  "midazolam"),
    (lambda: Regimen.bolus(1, "oral", drug="hydroxynorketamine"),
     "hydroxynorketamine is not given by route 'oral'"),
    (lambda: Regimen.bolus(1, "ip", drug="esketamine"), "esketamine is not given by route 'ip'"),
    (lambda: Regimen.bolus(-1, "iv"), "ketamine dose must be in (0, 200] (in mg/kg), got -1"),
    (lambda: Regimen.bolus(0, "iv"), "must be in (0, 200]"),
    (lambda: Regimen.bolus(math.nan, "iv"), "ketamine dose must be finite"),
    (lambda: Regimen.bolus(500, "iv"), "got 500"),
    (lambda: Regimen.bolus("5", "iv"), "must be a number"),
    (lambda: Regimen.bolus(1, "iv", unit="g"), "unknown dose unit 'g'; valid: mg, mg/kg"),
    (lambda: Regimen.infusion(0.5, 0), "infusion duration must be in [1, 10080] (in min)"),
    (lambda: Regimen.infusion(0.5, -40), "(in min)"),
    (lambda: Regimen.bolus(1, "iv", at_h=math.inf), "dose time at_h must be finite"),
    (lambda: Regimen.repeat(Regimen.bolus(1, "iv"), 0, 2), "repeat interval every_h"),
    (lambda: Regimen.repeat(Regimen.bolus(1, "iv"), 24, 0), "times must be an integer"),
    (lambda: Regimen.repeat(Regimen.bolus(0.5, "iv"), 1e-9, 1000),
     "repeat interval every_h must be at least 1 min"),
    (lambda: Regimen.on_days(Regimen.bolus(1, "iv"), []), "days must be a non-empty list"),
    (lambda: Regimen.on_days(Regimen.bolus(1, "iv"), "1,4"), "days must be a non-empty list"),
    (lambda: Regimen.on_days(Regimen.bolus(1, "iv"), [0, 3]), "study days are integers from 1"),
    (lambda: Regimen.on_days(Regimen.bolus(1, "iv"), [1, 2.5]), "got 2.5"),
    (lambda: Regimen.on_days(Regimen.bolus(1, "iv"), [1, 4, 4]), "study day 4 is listed twice"),
    (lambda: Regimen.on_days(3, [1]), "expected a Regimen"),
    (lambda: Regimen.bolus(1, "iv") + 3, "expected a Regimen"),
    (lambda: pathways.inhibit("NMDAR", 1.5), "inhibition fraction must be in [0, 1]"),
    (lambda: pathways.inhibit("NMDA", 0.5), "unknown perturbation target 'NMDA'; valid: AMPAR"),
    (lambda: pathways.overexpress("TrkB", 0), "overexpression fold must be in (0"),
    (lambda: pathways.preset("rapamicin"), "unknown perturbation preset 'rapamicin'; valid: "
                                           "ana12, anisomycin"),
    (lambda: pathways.load("ketamine_pk", species="dog"), "unknown species 'dog'; valid: "
                                                          "human, mouse, rat"),
    (lambda: pathways.load("no_model"), "unknown model 'no_model'; valid: "),
    (lambda: pathways.inhibit("mTORC1", 0.5, at_h=-1e9), "perturbation at_h must be in "
                                                         "[-8760, 8760] (in h), got -1e+09"),
    (lambda: pathways.preset("nbqx", at_h=1e7), "nbqx at_h must be in [-8760, 8760]"),
    (lambda: Regimen([pathways.regimen.Dose("ketamine", "iv", -1, "mg/kg", 0.0)]),
     "ketamine dose must be in (0, 200] (in mg/kg), got -1"),
    (lambda: Regimen([pathways.regimen.Dose("ketamine", "ip", 1, "mg/kg", 0.0, 1.0)]),
     "an infusion is intravenous, got route 'ip'"),
    (lambda: Regimen(["ketamine"]), "a Regimen holds Dose records"),
    (lambda: Regimen(5), "a Regimen holds Dose records (build it with Regimen.bolus/infusion), "
                         "got int"),
    (lambda: Regimen([pathways.regimen.Dose("ketamine", "iv", 1.0, "mg/kg", 0.0, None)]),
     "infusion duration_h must be a number (in h), got None"),
    (lambda: pathways.preset(["rapamycin"]), "unknown perturbation preset ['rapamycin']; "
                                             "valid: ana12"),
    (lambda: pathways.preset("rapamycin", at_h=8760), "rapamycin end (at_h + 48.5 h: its onset"),
    (lambda: pathways.perturbations.resolve(5), "perturbations must be a preset name, a "
                                                "Perturbation or a list of them, got int"),
    (lambda: pathways.perturbations.resolve(["bdnf_val66met", "bdnf_met66met"]),
     "bdnf_val66met and bdnf_met66met are two genotypes of the same gene"),
    (lambda: pathways.preset("bdnf_ko", at_h=-1), "bdnf_ko is a genotype (chronic): it has "
                                                   "no at_h or until_h"),
    (lambda: pathways.preset("lithium", until_h=5), "lithium is chronic here (no at_h): "
                                                    "until_h needs at_h"),
    (lambda: pathways.preset("rapamycin", until_h=-1), "rapamycin: until_h (-1 h) must be "
                                                       "after its action starts (-0.5 h)"),
    (lambda: pathways.preset("ana12", at_h=-1, until_h=-0.75),
     "ana12: until_h (-0.75 h) must be after its action starts (-0.5 h = at_h + 0.5 h"),
    (lambda: pathways.perturbations.resolve({"rapamycin": {"at_h": -3.0}}),
     "not a mapping; to change a preset's timing use pathways.preset(name, at_h=...)"),
    (lambda: pathways.step(5, 0, at_h=0), "step: the parameter is a model parameter id "
                                          "(a string), got 5"),
    (lambda: pathways.step("Po_rest_in", -1, at_h=0), "step factor must be in [0, 100] "
                                                      "(in fold), got -1"),
    (lambda: pathways.step("Po_rest_in", 0, at_h=None), "step: at_h is required"),
    (lambda: pathways.step("Po_rest_in", 0, at_h=1, until_h=0.5),
     "step(Po_rest_in, 0): until_h (0.5 h) must be after at_h (1 h)"),
    (lambda: pathways.load("nmda_blockade").simulate(
        None, 1, perturbations=[pathways.step("no_such_id", 0, at_h=0)]),
     "step(no_such_id, 0): nmda_blockade has no parameter 'no_such_id' (see "
     "Model.parameters for the ids a step may change)"),
    (lambda: pathways.load("nmda_blockade").simulate(
        None, 1, perturbations=[pathways.step("koff_ket", 0, at_h=0)]),
     "step(koff_ket, 0): 'koff_ket' is not an independent parameter of nmda_blockade"),
    (lambda: pathways.load("nmda_blockade").simulate(
        None, 1, perturbations=[pathways.step("Po_rest_in", 2, at_h=0)]),
     "step(Po_rest_in, 2): 'Po_rest_in' is a fraction (0-1) and may only be lowered"),
    (lambda: pathways.load("nmda_blockade").simulate(      # 0 without a drug input
        None, 1, perturbations=[pathways.step("ket_brain_u", 0.5, at_h=0)]),
     "step(ket_brain_u, 0.5): 'ket_brain_u' is 0 in this run, and a step multiplies it; give "
     "it a value with parameters={'ket_brain_u': ...} first"),
    (lambda: pathways.load("ketamine_pk").simulate(        # pathways sets the pump itself
        None, 1, perturbations=[pathways.step("ket_infusion_rate", 0.5, at_h=0)]),
     "step(ket_infusion_rate, 0.5): 'ket_infusion_rate' is not an independent parameter of "
     "ketamine_pk (a rule, the model's species or pathways itself sets it)"),
    (lambda: pathways.load("ketamine_pk").simulate(        # a volume mid-run: V1 -> 0 or inf
        None, 1, perturbations=[pathways.step("BW_ref", 0, at_h=1)]),
     "step(BW_ref, 0): 'BW_ref' sets the volume of compartment ket_V1, and a step would "
     "change it during the run (amounts kept, so concentrations jump); set it for the whole "
     "run with parameters={'BW_ref': ...}"),
    (lambda: pathways.load("ketamine_pk").simulate(
        None, 1, perturbations=[pathways.step("V1_ket", 0, at_h=0)]),
     "step(V1_ket, 0): 'V1_ket' sets the volume of compartment ket_V1"),
    (lambda: pathways.load("mtorc1_4ebp").simulate(        # a conserved total
        None, 1, perturbations=[pathways.step("mt_Akt_tot", 0.5, at_h=0)]),
     "step(mt_Akt_tot, 0.5): 'mt_Akt_tot' is read only by initial assignments (at the start "
     "of the run), so a change during the run does nothing; set it with parameters={...}"),
])
def test_bad_input_message(call, expected):
    with pytest.raises(PathwaysInputError) as excinfo:
        call()
    assert expected in one_line(excinfo)
    assert isinstance(excinfo.value, ValueError)


def test_overlapping_infusions_are_rejected(oracle_model):
    reg = Regimen.infusion(0.5, 60) + Regimen.infusion(0.5, 60, at_h=0.5)
    with pytest.raises(PathwaysInputError, match="overlapping ketamine infusions"):
        oracle_model.simulate(reg, end_h=3)


def test_same_preset_twice_is_rejected():
    with pytest.raises(PathwaysInputError, match="perturbation given twice: rapamycin"):
        pathways.perturbations.resolve(["rapamycin", "rapamycin"])


def test_mg_dose_above_the_per_kg_limit_for_the_subject(oracle_model):
    with pytest.raises(PathwaysInputError, match="is 250 mg/kg for a 70 kg subject; the limit "
                                                 "is 200 mg/kg"):
        oracle_model.simulate(Regimen.bolus(17500, "iv", unit="mg"), end_h=1)


def test_infusions_of_one_drug_overlap_even_with_another_drug_between(oracle_model):
    reg = (Regimen.infusion(0.5, 600) + Regimen.infusion(0.2, 40, drug="esketamine", at_h=1)
           + Regimen.infusion(0.5, 40, at_h=2))
    with pytest.raises(PathwaysInputError, match="overlapping ketamine infusions: one starts "
                                                 "at 2 h while the previous runs until 10 h"):
        reg.check_overlaps()


@pytest.mark.parametrize("pid, expected", [
    ("body_weight", "body_weight cannot be overridden per run"),
    ("symptom_ref", "symptom_ref is computed by pathways"),
    ("BDNF_ref", "BDNF_ref is computed by pathways"),
    ("ket_infusion_rate", "ket_infusion_rate is set by the dosing regimen"),
    ("MW_ket", "MW_ket is a drug's molar mass, which the mg-to-µmol dose conversion"),
    (1, "parameter ids are strings, got 1"),
])
def test_computed_parameters_cannot_be_overridden(pid, expected):
    with pytest.raises(PathwaysInputError) as excinfo:
        pathways.load().simulate(Regimen.bolus(0.5, "iv"), end_h=1, parameters={pid: 1.0})
    assert expected in one_line(excinfo)


@pytest.mark.parametrize("name, start, end", [
    ("nbqx", -1 / 6, -1 / 6 + 2.0),        # "assumed 2 h of action" from its injection
    ("anisomycin", -0.5, 5.5),             # "assumed 6 h"
    ("lvdcc_blocker", -0.5, 5.5),          # "~6 h"
    ("ana12", 0.0, 5.5),                   # in brain from 30 min to ~6 h after injection
])
def test_acute_presets_act_for_their_documented_time(name, start, end):
    p = pathways.preset(name)
    assert (p.at_h, p.until_h) == (pytest.approx(start), pytest.approx(end))


def test_a_perturbation_after_the_run_warns():
    with pytest.warns(UserWarning, match="start.s. after end_h"):
        pathways.load("ketamine_synaptogenesis").simulate(
            None, 2, perturbations=[pathways.inhibit("mTORC1", 0.9, at_h=5)], points=3)


def test_a_moved_preset_keeps_its_duration():
    p = pathways.preset("rapamycin")
    moved = pathways.preset("rapamycin", at_h=p.at_h + 47.5)
    assert moved.until_h - moved.at_h == pytest.approx(p.until_h - p.at_h)
    assert pathways.preset("rapamycin", at_h=-2.0, until_h=1.0).until_h == 1.0
    assert pathways.preset("rapamycin", at_h=None).until_h is None       # made chronic


def test_regimen_is_the_same_whatever_the_order_of_its_doses():
    a, b = Regimen.bolus(1, "iv"), Regimen.bolus(2, "ip")
    assert a + b == b + a and hash(a + b) == hash(b + a)
    assert Regimen(a + b) == a + b                     # a Regimen from a Regimen


def test_perturbations_as_a_numpy_array_of_names():
    import numpy as np
    names = np.array(["rapamycin", "nbqx"])
    assert pathways.perturbations.resolve(names) == pathways.perturbations.resolve(
        ["rapamycin", "nbqx"])
    assert pathways.perturbations.resolve(None) == ()


def test_axis_labels_give_every_readout_a_unit():
    from pathways.readouts import READOUTS, label
    assert label("BDNF_rel") == "BDNF_rel (fold of baseline)"
    assert label("nmda_block_pyramidal") == "nmda_block_pyramidal (fraction)"
    assert label("ketamine_plasma") == "ketamine_plasma (ng/mL)"
    assert all(label(r).endswith(")") for r in READOUTS)


def test_model_parameters_lists_only_what_a_run_may_override():
    model = pathways.load()
    ids = set(model.parameters)
    assert "CL_ket" in ids and "syn_gamma" in ids
    assert not {p for p in ids if p.endswith("_infusion_rate") or p.startswith("MW_")
                or p in model._refs.values()}, "computed or fixed ids listed as overridable"
    assert "BW_ref" in ids                   # a reference body weight, not a computed baseline
    assert "symptom_ref" not in ids


@pytest.mark.parametrize("name", ["ketamine_synaptogenesis", "nmda_blockade"])
def test_every_parameter_in_the_table_has_a_unit(name):
    """A unit declared on its own line (`CADSS_max has points`) counts too."""
    table = pathways.load(name).parameter_table()
    assert (table.unit != "").all(), table[table.unit == ""]


def test_doses_added_together_cannot_pass_the_one_dose_limit():
    """Boluses within a minute are one dose; and all doses of a drug within any 24 h may add up
    to one dose's limit at most (1000 boluses of 200 mg/kg a minute apart gave a plasma peak
    of 10^7 ng/mL, silently)."""
    pk = pathways.load("ketamine_pk", "rat")
    twice = Regimen.bolus(200, "iv") + Regimen.bolus(200, "iv", at_h=0.001)   # 3.6 s apart
    with pytest.raises(PathwaysInputError, match="ketamine doses given from 0 h to 0.001 h add "
                                                 "up to 400 mg/kg"):
        pk.simulate(twice, 1, points=2)
    # the stretch named is when the doses were given, not a window starting before them
    # (this said 'within 24 h of -11 h')
    with pytest.raises(PathwaysInputError, match="ketamine doses given from 0 h to 13 h add up "
                                                 "to 400 mg/kg"):
        pk.simulate(Regimen.repeat(Regimen.infusion(200, minutes=60), 12, 2), 48, points=2)
    for too_much, total in [
            (Regimen.bolus(200, "iv") + Regimen.bolus(200, "iv", at_h=0.5), "400"),
            (Regimen.repeat(Regimen.bolus(150, "iv"), 1 / 60, 40), "6000"),
            (Regimen.repeat(Regimen.bolus(200, "iv"), 1 / 60, 1000), "200000"),
            (Regimen.repeat(Regimen.infusion(150, minutes=12 * 60), 12, 2), "300"),
            (Regimen.infusion(200, minutes=24 * 60) + Regimen.bolus(1, "iv", at_h=23), "201"),
            (Regimen.infusion(200, minutes=24 * 60) + Regimen.bolus(1, "iv", at_h=24), "201")]:
        with pytest.raises(PathwaysInputError,
                           match=f"ketamine doses given from .* add up to {total} mg/kg; "
                                 "the limit is 200 mg/kg within any 24 h"):
            pk.simulate(too_much, 48, points=2)
    daily = Regimen.repeat(Regimen.bolus(200, "iv"), 24, 3)       # a window is [t, t + 24 h)
    assert pk.simulate(daily, 72, points=2)["ketamine_plasma"].iloc[-1] > 0
    # at the limit every day for 100 days, in short infusions (rounding refused it once)
    short = Regimen.repeat(Regimen.infusion(200, minutes=1), 24, 100)
    assert pk.simulate(short, 2400, points=2)["ketamine_plasma"].iloc[-1] >= 0
    # and the message does not round a total just over the limit down to it
    with pytest.raises(PathwaysInputError, match="add up to 200.001 mg/kg"):
        pk.simulate(Regimen.bolus(100, "iv") + Regimen.bolus(100.001, "iv", at_h=1), 2,
                    points=2)
    spread = Regimen.repeat(Regimen.infusion(100, minutes=12 * 60), 12, 4)   # 200 a day
    assert pk.simulate(spread, 48, points=2)["ketamine_plasma"].iloc[-1] > 0


def test_a_foreign_model_whose_parameter_an_event_changes_is_refused():
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model ev
      compartment c = 1; species S in c = 1; k = 1; J: -> S; k - S; at time > 5: k = 2
    end""") >= 0
    from pathways.model import Model
    with pytest.raises(PathwaysInputError, match="parameter k is changed by a rate rule or event"):
        Model("ev", "human", sbml=antimony.getSBMLString("ev"))


def test_on_days_gives_the_regimen_at_24_h_times_the_study_day_after_day_1():
    """A trial's study days (day 1 = time 0), any order: Mon/Thu is days 1, 4, 8, 11."""
    import numpy as np
    r = Regimen.on_days(Regimen.infusion(0.5, minutes=40), [8, 1, np.int64(4), 11])
    assert [d.at_h for d in r.doses] == [0.0, 72.0, 168.0, 240.0]
    assert all(d.duration_h == pytest.approx(40 / 60) for d in r.doses)
    for days in (iter([1, 4]), (d for d in (1, 4)), range(1, 5, 3)):   # read once, not used up
        assert [d.at_h for d in Regimen.on_days(Regimen.bolus(1, "iv"), days).doses] == [
            0.0, 72.0]


def test_repeat_takes_a_numpy_integer_count():
    import numpy as np
    r = Regimen.repeat(Regimen.bolus(1, "iv"), 24, np.int64(3))
    assert [d.at_h for d in r.doses] == [0.0, 24.0, 48.0]


def test_a_step_changes_its_parameter_only_while_it_acts():
    """pathways.step multiplies the parameter from at_h to until_h, after the pre-dose steady
    state (an override, by contrast, sets it for the whole run)."""
    nmda = pathways.load("nmda_blockade")
    out = nmda.simulate(None, 3.0, parameters={"ket_brain_u": 2.0}, points=[0.5, 1.5, 2.5],
                        perturbations=[pathways.step("ket_brain_u", 0.25, at_h=1, until_h=2)],
                        variables=["ket_brain_u"])
    assert list(out["ket_brain_u"]) == pytest.approx([2.0, 0.5, 2.0])
    # the block follows: less ketamine, less block, then back
    block = out["nmda_block_interneuron"]
    assert block.iloc[1] < block.iloc[0] and block.iloc[2] == pytest.approx(block.iloc[0])


def test_step_on_a_parameter_that_an_initial_assignment_and_a_rate_both_read():
    """A step is refused only where it could not act: `k` sets X's initial value (X = k/d)
    and also drives X's production, so tripling it from 0.5 h moves X towards 3 k/d."""
    import antimony

    from pathways.model import Model
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model ia
      compartment c = 1; species X in c; k = 2; d = 0.5; X = k/d
      J: -> X; k - d*X
    end""") >= 0
    toy = Model("user:ia", sbml=antimony.getSBMLString("ia"))
    x = toy.simulate(None, 30.0, perturbations=[pathways.step("k", 3.0, at_h=0.5)],
                     points=[0.0, 0.5, 30.0])["X"]
    assert x.iloc[1] == pytest.approx(4.0, rel=1e-6)             # k/d before the step
    assert x.iloc[-1] == pytest.approx(12.0, rel=1e-3)           # 3k/d after it


def test_a_users_sbml_keeps_its_own_values_whatever_the_species():
    """Ids that merely match pathways' (`body_weight`, `k_brain`) are the user's: the species
    parameter sets must not be written into a foreign model (they made S = 70 in humans and
    0.007 in rats here, where the model's own steady state is 1)."""
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model mine
      compartment c = 1; species S in c = 1
      J1: -> S; k0*body_weight
      J2: S -> ; k_brain*S
      k0 = 1; body_weight = 1; k_brain = 1
    end""") >= 0
    from pathways.model import Model
    text = antimony.getSBMLString("mine")
    for species in ("human", "rat", "mouse"):
        m = Model("mine", species, sbml=text)
        assert m.simulate(None, 1, points=2)["S"].tolist() == pytest.approx([1.0, 1.0])
        assert m.parameters == {"k0": 1.0, "body_weight": 1.0, "k_brain": 1.0}
    # and its body_weight is an ordinary parameter of that model
    out = Model("mine", sbml=text).simulate(None, 1, points=2, parameters={"body_weight": 2.0})
    assert out["S"].iloc[-1] == pytest.approx(2.0)
    # the same name under a shipped model's name gets no shipped sources either
    assert Model("ketamine_pk", "rat", sbml=text).parameter_table().empty


def test_midazolam_preset_and_drug_together_are_refused():
    """The preset is the drug without PK (CONTRACT.md): both at once counted GABA-A
    potentiation twice (pyramidal activity 0.64 instead of 0.91), silently."""
    m = pathways.load()
    with pytest.raises(PathwaysInputError, match="the midazolam preset stands for the "
                                                 "midazolam drug"):
        m.simulate(Regimen.infusion(0.045, minutes=40, drug="midazolam"), 2,
                   perturbations=["midazolam"])
    # the preset with another drug is fine, and acts: GABA-A potentiation lowers pyramidal
    # activity below ketamine's alone
    ketamine = Regimen.infusion(0.5, minutes=40)
    both = m.simulate(ketamine, 2, perturbations=["midazolam"], points=[0.0, 0.5, 2.0])
    alone = m.simulate(ketamine, 2, points=[0.0, 0.5, 2.0])
    assert both["pyramidal_activity_rel"].loc[0.5] < alone["pyramidal_activity_rel"].loc[0.5]


def test_a_zero_volume_in_the_users_file_is_blamed_on_the_file():
    """Not on 'parameters {}' the user never passed."""
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model z
      compartment c = 0; species S in c = 1; J: -> S; 1 - S
    end""") >= 0
    from pathways.model import Model
    with pytest.raises(PathwaysInputError, match=r"^z gives the volume of compartment c 0 L; "
                                                 r"volumes must be finite and > 0$"):
        Model("z", sbml=antimony.getSBMLString("z")).simulate(None, 1)


def test_a_reference_weight_of_zero_is_an_input_error_not_a_solver_failure():
    """BW_ref = 0 made every PK volume infinite (body_weight/BW_ref) and CVODE failed."""
    pk = pathways.load("ketamine_pk")
    with pytest.raises(PathwaysInputError, match=r"parameters \{'BW_ref': 0.0\} make the "
                                                 r"volume of compartment .* inf L; volumes "
                                                 r"must be finite and > 0"):
        pk.simulate(Regimen.bolus(1, "iv"), 1, parameters={"BW_ref": 0.0})


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_non_finite_value_in_a_users_file_is_named_when_it_breaks_the_run(value):
    """The solver failure said only 'nan h into the search'; a non-finite value that nothing
    reads is harmless and still runs."""
    import antimony
    import libsbml
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model nf
      compartment c = 1; species S in c = 1; k = 1; unused = 1; J: -> S; k - S
    end""") >= 0
    from pathways import SimulationError
    from pathways.model import Model
    doc = libsbml.readSBMLFromString(antimony.getSBMLString("nf"))
    doc.getModel().getParameter("unused").setValue(value)
    ok = Model("nf", sbml=libsbml.writeSBMLToString(doc)).simulate(None, 1, points=2)
    assert ok["S"].tolist() == pytest.approx([1.0, 1.0])
    doc.getModel().getParameter("k").setValue(value)
    with pytest.raises(SimulationError, match=f"the SBML file has non-finite values: "
                                              f"k = {value}, unused = {value}"):
        Model("nf", sbml=libsbml.writeSBMLToString(doc)).simulate(None, 1)


def test_a_metabolites_parameters_stay_in_a_study_of_the_drug_that_forms_it():
    """`undosed_drug_ids` drops an undosed drug's parameters from a sensitivity study, but
    hydroxynorketamine is formed from ketamine and esketamine: its parameters stay when
    either is dosed, and go when only memantine is."""
    from pathways.drugs import undosed_drug_ids
    for drug in ("ketamine", "esketamine", "hydroxynorketamine"):
        pattern = undosed_drug_ids(Regimen.bolus(1, "iv", drug=drug))
        assert pattern is None or not pattern.search("CL_hnk"), drug
    memantine = undosed_drug_ids(Regimen.bolus(1, "iv", drug="memantine"))
    assert memantine.search("CL_hnk") and memantine.search("Kd_hnk0")
    assert not memantine.search("CL_ket") and not memantine.search("CL_mem")


def test_a_models_identity_cannot_be_changed_after_loading():
    """The compiled SBML (body weight and species values written in), the cached steady
    states and the mg/kg dose conversion were made for these values: assigning a new weight
    would have converted doses for one subject and sized volumes for another."""
    m = pathways.load("ketamine_pk", body_weight_kg=80)
    for attribute, value in (("body_weight_kg", 70.0), ("species", "rat"),
                             ("name", "nmda_blockade"), ("start", "initial")):
        with pytest.raises(AttributeError):
            setattr(m, attribute, value)
    assert (m.name, m.species, m.body_weight_kg, m.start) == ("ketamine_pk", "human", 80.0,
                                                              "steady_state")
