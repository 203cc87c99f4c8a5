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
                                                  "ketamine, memantine, midazolam"),
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
    (lambda: Regimen.bolus(1, "iv") + 3, "expected a Regimen"),
    (lambda: pathways.inhibit("NMDAR", 1.5), "inhibition fraction must be in [0, 1]"),
    (lambda: pathways.inhibit("NMDA", 0.5), "unknown perturbation target 'NMDA'; valid: AMPAR"),
    (lambda: pathways.overexpress("TrkB", 0), "overexpression fold must be in (0"),
    (lambda: pathways.preset("rapamicin"), "unknown perturbation preset 'rapamicin'; valid: "
                                           "ana12, anisomycin"),
    (lambda: pathways.load("ketamine_pk", species="dog"), "unknown species 'dog'; valid: "
                                                          "human, mouse, rat"),
    (lambda: pathways.load("no_model"), "unknown model 'no_model'; valid: "),
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
