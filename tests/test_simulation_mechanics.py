"""Dosing and integration against closed-form solutions of a one-compartment model."""
import re

import numpy as np
import pytest

import pathways
from pathways import PathwaysInputError, Regimen, inhibit

V, CL, KA, F, MW, BW = 50.0, 25.0, 2.0, 0.6, 237.7, 70.0
K = CL / V


def umol(mg_per_kg):
    return mg_per_kg * BW / MW * 1000.0


def test_iv_bolus_decays_exponentially(oracle_model):
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=10, points=101)
    expected = umol(1.0) / V * MW * np.exp(-K * df.index.values)
    np.testing.assert_allclose(df["ketamine_plasma"], expected, rtol=1e-6)
    assert df.index.name == "time_h"


@pytest.mark.parametrize("at_h", [40 / 60, 10 / 60, 1 / 3, 0.5])
def test_a_dose_at_an_output_time_shows_at_that_time(oracle_model, at_h):
    """Event times are snapped to 1e-9 h; 40 min = 2/3 h snaps up by 3e-10 h, which once put
    the dose after its own output time (plasma 0 there) or, at the end, never gave it."""
    expected = umol(1.0) / V * MW                        # the bolus, just given
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv", at_h=at_h), end_h=2,
                               points=[0.0, at_h, 2.0])
    assert df["ketamine_plasma"].iloc[1] == pytest.approx(expected, rel=1e-6)
    end = oracle_model.simulate(Regimen.bolus(1.0, "iv", at_h=at_h), end_h=at_h,
                                points=[0.0, at_h])
    assert end["ketamine_plasma"].iloc[-1] == pytest.approx(expected, rel=1e-6)
    pre = oracle_model.simulate(None, end_h=1.0, points=[-at_h, 0.0, 1.0],
                                perturbations=[inhibit("NMDAR", 0.5, at_h=-at_h)])
    assert pre["nmda_block_interneuron"].iloc[0] == pytest.approx(0.5)   # on at its own time


def test_infusion_rises_then_falls_in_closed_form(oracle_model):
    df = oracle_model.simulate(Regimen.infusion(0.5, minutes=40), end_h=6, points=61)
    t = df.index.values
    rate = umol(0.5) / (40 / 60)
    during = rate / CL * (1 - np.exp(-K * np.minimum(t, 2 / 3)))
    after = np.where(t > 2 / 3, np.exp(-K * (t - 2 / 3)), 1.0)
    np.testing.assert_allclose(df["ketamine_plasma"], during * after * MW, rtol=1e-6, atol=1e-9)


def test_extravascular_bolus_follows_bateman(oracle_model):
    df = oracle_model.simulate(Regimen.bolus(2.0, "ip", at_h=1.0), end_h=8, points=[0, 1, 2, 5, 8])
    t = np.array([0, 1, 2, 5, 8.0]) - 1.0
    conc = np.where(t >= 0, F * umol(2.0) * KA / (V * (KA - K))
                    * (np.exp(-K * np.maximum(t, 0)) - np.exp(-KA * np.maximum(t, 0))), 0.0)
    np.testing.assert_allclose(df["ketamine_plasma"], conc * MW, rtol=1e-6, atol=1e-9)


def test_repeated_doses_superpose(oracle_model):
    one = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=30, points=31)
    two = oracle_model.simulate(Regimen.repeat(Regimen.bolus(1.0, "iv"), every_h=12, times=2),
                                end_h=30, points=31)
    shifted = np.interp(one.index - 12, one.index, one["ketamine_plasma"], left=0.0)
    # two numerical solutions, each within ~1e-6 of the truth (CVODE rtol 1e-8)
    np.testing.assert_allclose(two["ketamine_plasma"], one["ketamine_plasma"] + shifted,
                               rtol=2e-5, atol=1e-9)


def test_negative_time_pretreatment_starts_the_grid(oracle_model):
    df = oracle_model.simulate(Regimen.none(), end_h=2, perturbations=[
        inhibit("NMDAR", 0.4, at_h=-1.0, until_h=1.0)], points=[-1, -0.5, 0.5, 1.5, 2])
    np.testing.assert_allclose(df["nmda_block_interneuron"], [0.4, 0.4, 0.4, 0.0, 0.0], atol=1e-12)


def test_runs_do_not_leak_state(oracle_model):
    first = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=5, points=11)
    oracle_model.simulate(Regimen.bolus(3.0, "ip"), end_h=5, parameters={"CL": 5.0},
                          perturbations=[inhibit("NMDAR", 0.5, at_h=1.0)])
    again = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=5, points=11)
    np.testing.assert_array_equal(first.values, again.values)


def test_parameter_override_changes_clearance(oracle_model):
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=4, points=5,
                               parameters={"CL": 50.0})
    expected = umol(1.0) / V * MW * np.exp(-1.0 * df.index.values)
    np.testing.assert_allclose(df["ketamine_plasma"], expected, rtol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    ({"end_h": 0}, "end_h must be in (0"),
    ({"end_h": float("nan")}, "end_h must be finite"),
    ({"points": 1}, "points must be in [2"),
    ({"points": 3.0}, "points must be an integer (how many) or an array of times in h, got 3.0"),
    ({"points": True}, "points must be an integer (how many)"),
    ({"points": [0, 2, 1]}, "strictly increasing"),
    ({"points": [False, True]}, "points must be times in h, not True/False"),
    ({"points": [0, True]}, "points must be times in h, not True/False"),
    ({"parameters": {"no_such": 1.0}}, "unknown parameter 'no_such'"),
    ({"parameters": {"CL": -1.0}}, "must be >= 0"),
    ({"perturbations": ["no_such_preset"]}, "unknown perturbation preset"),
])
def test_bad_simulation_inputs_raise_one_line_errors(oracle_model, kwargs, message):
    args = {"regimen": Regimen.bolus(1.0, "iv"), "end_h": 5.0, **kwargs}
    with pytest.raises(PathwaysInputError) as err:
        oracle_model.simulate(**args)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_route_missing_from_model_is_an_input_error(oracle_model):
    with pytest.raises(PathwaysInputError, match="cannot simulate ketamine by route oral"):
        oracle_model.simulate(Regimen.bolus(1.0, "oral"), end_h=5)


def test_a_user_model_goes_through_the_untrusted_sbml_checks():
    from pathways.model import Model
    bad = ('<?xml version="1.0"?><!DOCTYPE sbml [<!ENTITY x "y">]>'
           '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"/>')
    with pytest.raises(PathwaysInputError, match="mine: .*DOCTYPE"):
        Model("mine", sbml=bad)


def test_simulate_arrays_returns_the_asked_columns_of_simulate(oracle_model):
    regimen = Regimen.bolus(2.0, "ip", at_h=1.0)
    df = oracle_model.simulate(regimen, end_h=8, points=17)
    times, values = oracle_model.simulate_arrays(regimen, end_h=8, points=17,
                                                 columns=["ketamine_plasma"])
    assert values.shape == (17, 1)
    np.testing.assert_array_equal(times, df.index.values)
    np.testing.assert_array_equal(values[:, 0], df["ketamine_plasma"].values)
    with pytest.raises(PathwaysInputError, match="unknown variable 'nope'"):
        oracle_model.simulate_arrays(regimen, end_h=8, columns=["nope"])
    with pytest.raises(PathwaysInputError, match="at least one"):
        oracle_model.simulate_arrays(regimen, end_h=8, columns=[])


def test_a_failed_one_call_segment_is_redone_in_chunks(oracle_model, monkeypatch):
    """Each segment between events is one CVODE call; if it fails, the run is redone in
    48-h chunks and gives the same solution (closed form: IV bolus decay)."""
    real = type(oracle_model._solver)._segments
    calls = []

    def first_fails(self, *args):
        calls.append(args[-1])                    # chunk_h
        if args[-1] is None:
            raise RuntimeError("CVODE error: the error test failed repeatedly")
        return real(self, *args)

    monkeypatch.setattr(type(oracle_model._solver), "_segments", first_fails)
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=120, points=121)
    assert calls == [None, 48.0]
    expected = umol(1.0) / V * MW * np.exp(-K * df.index.values)
    # global error of CVODE at rtol 1e-8 over 120 h: ~1e-9 of the peak (1400 mg/L)
    np.testing.assert_allclose(df["ketamine_plasma"], expected, rtol=1e-4, atol=1e-6)


def test_no_steady_state_is_one_simulation_error_not_wrapped_twice(oracle_model, monkeypatch):
    from pathways import SimulationError
    monkeypatch.setattr(type(oracle_model._solver), "is_steady", lambda self, tol: False)
    with pytest.raises(SimulationError, match="no pre-dose steady state") as info:
        oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=2, parameters={"CL": 24.0})
    assert "solver failed" not in str(info.value) and info.value.__cause__ is None


def test_a_failed_one_call_steady_state_search_is_redone_in_chunks(oracle_model, monkeypatch):
    """The pre-dose steady state: one CVODE call per horizon; after a failure, chunks."""
    real = type(oracle_model._steady)._settle
    calls = []

    def first_fails(self, inits, chunk_h, reset=True):
        calls.append(chunk_h)
        if chunk_h is None:
            raise RuntimeError("CVODE error: the corrector convergence test failed")
        return real(self, inits, chunk_h, reset)

    monkeypatch.setattr(type(oracle_model._steady), "_settle", first_fails)
    again = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=4, points=9,
                                  parameters={"CL": 26.5})   # not cached: a new set
    assert calls == [None, 48.0]
    expected = umol(1.0) / V * MW * np.exp(-26.5 / V * again.index.values)
    np.testing.assert_allclose(again["ketamine_plasma"], expected, rtol=1e-6)


# -- found by a code review: each of these gave wrong numbers without an error ---------------
def test_an_output_grid_that_starts_after_the_dose_still_integrates_from_the_dose(oracle_model):
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=4, points=[1, 2, 3, 4])
    expected = umol(1.0) / V * MW * np.exp(-K * np.array([1, 2, 3, 4.0]))
    np.testing.assert_allclose(df["ketamine_plasma"], expected, rtol=1e-6)


def test_the_default_grid_counts_tenths_of_an_hour_from_time_0(oracle_model):
    df = oracle_model.simulate(Regimen.bolus(1.0, "iv"), end_h=1.05, perturbations=[
        inhibit("NMDAR", 0.4, at_h=-1 / 6)])
    t = df.index.values
    assert t[0] == pytest.approx(-1 / 6, abs=1e-8) and t[-1] == 1.05
    assert {0.0, 0.1, 0.5, 1.0} <= set(t)
    np.testing.assert_allclose(np.diff(t[1:-1]), 0.1, atol=1e-12)
    assert df["ketamine_plasma"].loc[0.0] == pytest.approx(umol(1.0) / V * MW, rel=1e-9)


def test_a_dose_at_the_last_output_time_shows_at_that_time(oracle_model):
    reg = Regimen.bolus(1.0, "iv") + Regimen.bolus(1.0, "iv", at_h=2)
    at_end = oracle_model.simulate(reg, end_h=2)["ketamine_plasma"].iloc[-1]
    longer = oracle_model.simulate(reg, end_h=2.5)["ketamine_plasma"]
    assert at_end == pytest.approx(longer.loc[2.0], rel=1e-9)
    assert at_end == pytest.approx(umol(1.0) / V * MW * (1 + np.exp(-2 * K)), rel=1e-6)


@pytest.mark.parametrize("at_h", [k / 10 for k in range(1, 60)])
def test_a_dose_shows_at_its_own_output_time(oracle_model, at_h):
    """Event times are snapped to 1e-9 h; 4.3 became 4.300000000000001 and showed pre-dose."""
    s = oracle_model.simulate(Regimen.bolus(1.0, "iv", at_h=at_h), end_h=6)["ketamine_plasma"]
    assert s.loc[round(at_h, 1)] == pytest.approx(umol(1.0) / V * MW, rel=1e-9)


def test_a_shared_model_gives_the_same_answer_from_many_threads(oracle_model):
    import threading

    expected = {d: oracle_model.simulate(Regimen.bolus(d, "iv"), end_h=4)["ketamine_plasma"]
                .to_numpy() for d in (0.5, 1.0)}
    wrong = []

    def work(d):
        for _ in range(10):
            got = oracle_model.simulate(Regimen.bolus(d, "iv"), end_h=4)["ketamine_plasma"]
            if not np.array_equal(got.to_numpy(), expected[d]):
                wrong.append(d)

    threads = [threading.Thread(target=work, args=(0.5 if i % 2 else 1.0,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong


def test_a_generic_perturbation_may_recur_and_pulses_compose(oracle_model):
    pulses = [inhibit("NMDAR", 0.5, at_h=0, until_h=1), inhibit("NMDAR", 0.5, at_h=2, until_h=3),
              inhibit("NMDAR", 0.5, at_h=2.5, until_h=3)]
    df = oracle_model.simulate(Regimen.none(), end_h=4, perturbations=pulses,
                               points=[0.5, 1.5, 2.2, 2.7, 3.5])
    np.testing.assert_allclose(df["nmda_block_interneuron"], [0.5, 0, 0.5, 0.75, 0], atol=1e-12)
    with pytest.raises(PathwaysInputError, match="given twice"):
        oracle_model.simulate(Regimen.none(), end_h=4, perturbations=[pulses[0], pulses[0]])


@pytest.mark.parametrize("unit_def, per_hour", [
    ("unit time_unit = second", 3600.0),
    ("unit time_unit = 60 second", 60.0),
    ("unit time_unit = 3600 second", 1.0),
    ("", 1.0),                                  # SBML L3, undeclared: hours assumed
])
def test_a_user_model_in_its_own_time_unit_is_run_in_hours(unit_def, per_hour):
    import antimony

    from pathways.model import Model
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(f"""model clock
      {unit_def}
      compartment c = 1; species A in c; A = 1; k = 0.001
      J1: A -> ; k*A
      p := time
    end""") >= 0
    m = Model("clock", sbml=antimony.getSBMLString("clock"))
    df = m.simulate(None, end_h=2, points=[0, 0.5, 2], variables=["p"])
    assert list(df.index) == [0, 0.5, 2]
    np.testing.assert_allclose(df["p"], np.array([0, 0.5, 2]) * per_hour, rtol=1e-12)


@pytest.mark.parametrize("element", [
    "species reset in c; reset = 1; J0: reset -> ; 0.1*reset",
    "species A in c; A = 1; simulate = 2; J0: A -> ; 0.1*A",
    "species getValue in c; getValue = 1; J0: getValue -> ; 0.1*getValue",
    "species A in c; A = 1; this = 0.1; J0: A -> ; this*A",
])
def test_an_id_naming_a_roadrunner_attribute_simulates_and_leaves_roadrunner_whole(
        element, tmp_path, monkeypatch):
    """libRoadRunner's "dynamic properties" would set model ids on its class and delete them
    at the next load: an id `reset` deleted RoadRunner.reset for every model in the process,
    `this` broke every later load. pathways loads without them (a cold cache, so the model is
    really compiled here)."""
    import antimony
    import roadrunner

    from pathways import compiled as compiled_module
    from pathways.model import Model
    key = roadrunner.Config.ROADRUNNER_DISABLE_PYTHON_DYNAMIC_PROPERTIES
    before = roadrunner.Config.getValue(key)
    monkeypatch.setenv("PATHWAYS_CACHE", str(tmp_path))
    monkeypatch.setattr(compiled_module, "COMPILED", {})
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(f"model odd\n compartment c = 1; {element}\nend") >= 0
    odd = Model("odd", sbml=antimony.getSBMLString("odd"))
    first = odd.simulate(None, end_h=1, points=3)
    assert np.isfinite(first.to_numpy()).all()
    again = Model("ketamine_pk")           # the next load (it deleted the class's methods)
    for method in ("reset", "simulate", "getValue", "resetAll"):
        assert callable(getattr(roadrunner.RoadRunner, method)), method
    df = again.simulate(Regimen.bolus(1.0, "iv"), end_h=1, points=3)
    assert df["ketamine_plasma"].iloc[-1] > 0
    assert roadrunner.Config.getValue(key) == before        # the user's setting is back


@pytest.mark.parametrize("unit_def", ["unit time_unit = second", "unit time_unit = 60 second",
                                      ""])
def test_a_model_without_a_steady_state_is_refused_in_any_time_unit(unit_def):
    """dS/dt = k grows forever: the steady-state test compares rates per hour whatever the
    model's time unit (in seconds it once passed, 3600 times too loose)."""
    import antimony

    from pathways.errors import SimulationError
    from pathways.model import Model
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(f"""model grows
      {unit_def}
      compartment c = 1; species S in c; S = 0; k = 1; d = 0
      J1: -> S; k - d*S
    end""") >= 0
    with pytest.raises(SimulationError, match="steady state"):
        Model("grows", sbml=antimony.getSBMLString("grows")).simulate(None, end_h=1)


def test_a_time_unit_of_zero_seconds_is_refused_by_name():
    import antimony

    from pathways.model import Model
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model zero
      unit time_unit = 0 second
      compartment c = 1; species S in c; S = 1; J1: S -> ; S
    end""") >= 0
    with pytest.raises(PathwaysInputError, match="time unit 'time_unit' is .* s; a time unit must be a "
                                                 "positive, finite number of seconds"):
        Model("zero", sbml=antimony.getSBMLString("zero"))


def test_bad_variables_and_a_sum_of_regimens(oracle_model):
    with pytest.raises(PathwaysInputError, match="variables must be an id or a list of ids, "
                                                 "got int"):
        oracle_model.simulate(None, end_h=1, variables=5)
    doses = [Regimen.bolus(1, "iv"), Regimen.bolus(1, "iv", at_h=2)]
    assert sum(doses) == doses[0] + doses[1] and len(sum(doses)) == 2


def test_an_sbml_level_2_model_counts_time_in_seconds():
    import libsbml

    from pathways.user_sbml import model_time_units_per_hour
    doc = libsbml.SBMLDocument(2, 4)
    doc.createModel().setId("m")
    assert model_time_units_per_hour(libsbml.writeSBMLToString(doc)) == 3600.0
    ud = doc.getModel().createUnitDefinition()
    ud.setId("time")
    u = ud.createUnit()
    u.setKind(libsbml.UNIT_KIND_SECOND)
    u.setExponent(1)
    u.setScale(0)
    u.setMultiplier(60.0)
    assert model_time_units_per_hour(libsbml.writeSBMLToString(doc)) == 60.0


def test_a_dose_after_the_end_of_the_run_warns(oracle_model):
    with pytest.warns(UserWarning, match="every dose is after end_h"):
        oracle_model.simulate(Regimen.bolus(1.0, "iv", at_h=3), end_h=2)


def test_doses_of_a_schedule_after_the_end_of_the_run_are_named_in_a_warning(oracle_model):
    schedule = Regimen.repeat(Regimen.bolus(1.0, "iv"), every_h=2, times=5)   # 0, 2, ... 8 h
    with pytest.warns(UserWarning, match=r"3 of 5 doses start after end_h \(3 h\) and are "
                                         r"not given in this run \(at 4, 6, 8 h\)"):
        oracle_model.simulate(schedule, end_h=3)


def test_metric_times_outside_the_run_are_input_errors():
    import pandas as pd

    from pathways import metrics as mx
    s = pd.Series(np.ones(25), index=np.arange(25.0))
    for call in (lambda: mx.auc(s, 0, 48), lambda: mx.value_at(s, 100),
                 lambda: mx.duration_above(s, 0.5, 0, 48), lambda: mx.peak(s, -5, 4)):
        with pytest.raises(PathwaysInputError, match="outside the simulated time span"):
            call()


def test_metrics_refuse_times_that_do_not_strictly_increase():
    """A reversed series gave a negative AUC, a concatenation of two runs a larger one and an
    unsorted index the wrong value_at, all without an error."""
    import pandas as pd

    from pathways import metrics as mx
    s = pd.Series(np.arange(25.0), index=np.arange(25.0))
    cases = [(s.sort_index(ascending=False), "goes from 24 h to 23 h at position 1"),
             (pd.concat([s, s.iloc[[0, 12, 24]]]), "goes from 24 h to 0 h at position 25"),
             (pd.Series([1.0, 5.0, 2.0], index=[0.0, 2.0, 1.0]), "goes from 2 h to 1 h"),
             (pd.Series([1.0, 2.0], index=[1.0, 1.0]), "goes from 1 h to 1 h")]
    for series, where in cases:
        for call in (lambda: mx.auc(series), lambda: mx.value_at(series, 1.0),
                     lambda: mx.duration_above(series, 0.5), lambda: mx.peak(series)):
            with pytest.raises(PathwaysInputError, match="a metric needs times that strictly "
                                                         f"increase; the series {where}"):
                call()
    assert mx.auc(s) == pytest.approx(24.0 ** 2 / 2)        # sorted: accepted, exact
    by_arm = pd.concat({"ketamine": s, "vehicle": s})       # (arm, time) index: one line
    with pytest.raises(PathwaysInputError, match="indexed by time in h .numbers., got an index "
                                                 "of object values"):
        mx.peak(by_arm)


def test_metric_arguments_of_the_wrong_kind_are_input_errors():
    """duration_below(s, nan) returned 0 h; a string threshold or a list gave raw numpy or
    attribute errors."""
    import pandas as pd

    from pathways import metrics as mx
    s = pd.Series(np.ones(25), index=np.arange(25.0))
    for call, message in [
            (lambda: mx.duration_below(s, float("nan")), "threshold must be finite, got nan"),
            (lambda: mx.duration_above(s, "0.5"), "threshold must be a number, got '0.5'"),
            (lambda: mx.value_at(s, "1"), "time must be a number (in h), got '1'"),
            (lambda: mx.peak(s, float("nan")), "window edge must be finite (in h), got nan"),
            (lambda: mx.auc([1, 2, 3]), "a metric needs a pandas Series indexed by time (h) "
                                        "or a metrics.ArraySeries, got list")]:
        with pytest.raises(PathwaysInputError, match=re.escape(message)):
            call()


def test_reversed_windows_and_empty_series_are_input_errors():
    import pandas as pd

    from pathways import metrics as mx
    s = pd.Series(np.ones(25), index=np.arange(25.0))
    for call in (lambda: mx.auc(s, 3, 1), lambda: mx.duration_above(s, 0.5, 3, 1),
                 lambda: mx.peak(s, 3, 1)):
        with pytest.raises(PathwaysInputError, match=r"the window \[3, 1\] h ends before"):
            call()
    empty = pd.Series([], dtype=float)
    for call in (lambda: mx.value_at(empty, 0), lambda: mx.auc(empty), lambda: mx.peak(empty)):
        with pytest.raises(PathwaysInputError, match="the series has no output times"):
            call()


def test_auc_and_durations_interpolate_between_output_times():
    import pandas as pd

    from pathways import metrics as mx
    tri = pd.Series([0.0, 2.0, 0.0], index=[0.0, 1.0, 2.0])     # a triangle of height 2
    assert mx.auc(tri, 0.5, 1.5) == pytest.approx(1.5)
    assert mx.duration_above(tri, 1.0) == pytest.approx(1.0)
    assert mx.duration_below(tri, 1.0) == pytest.approx(1.0)
    assert mx.duration_above(tri, 1.0, 0.25, 1.0) == pytest.approx(0.5)


def test_a_users_steady_state_refinement_is_bounded_and_machine_independent(monkeypatch):
    """BIOMD0000000470's tight-tolerance refinement ran for minutes after its steady state
    was found: a user's model is refined over the first 1e3 h only (a fixed horizon, so the
    same state on every machine); a shipped model over 1e3, 1e4 and 1e5 h."""
    import antimony

    from pathways import model as model_module
    assert antimony.loadAntimonyString(
        "model slow\n S1 = 1; S2 = 0\n J1: S1 -> S2; k1*S1\n J2: S2 -> S1; k2*S2\n"
        " k1 = 1; k2 = 2\nend") >= 0
    user = model_module.Model("user:slow", sbml=antimony.getSBMLString("slow"))
    calls = []
    real = type(user._rr).simulate
    monkeypatch.setattr(type(user._rr), "simulate",
                        lambda rr, *a, **k: calls.append(a[1] - a[0]) or real(rr, *a, **k))
    user._steady.polish(user._solver.amounts())
    assert calls == [pytest.approx(1e3 * user._per_hour)]
    shipped = pathways.load("ketamine_pk")
    calls.clear()
    shipped._steady.polish(shipped._solver.amounts())
    assert calls == [pytest.approx(h) for h in (1e3, 1e4, 1e5)]


def test_effect_is_the_drug_run_minus_its_vehicle_twin():
    """Model.effect is LITERATURE.md's (perturbation + drug) - (perturbation + vehicle). Under
    ANA-12, which worsens the score on its own, it differs from the drug run read against the
    untreated baseline: that difference is why the definition matters (LIT-R11)."""
    mouse = pathways.load(species="mouse")
    ketamine = Regimen.bolus(10, "ip")
    eff = mouse.effect(ketamine, 24.0, ["ana12"])
    times = eff.index.to_numpy()
    drug = mouse.simulate(ketamine, 24.0, ["ana12"], points=times)
    vehicle = mouse.simulate(None, 24.0, ["ana12"], points=times)
    np.testing.assert_allclose(eff["symptom_change_pct"],
                               drug["symptom_change_pct"] - vehicle["symptom_change_pct"],
                               atol=1e-9)
    assert abs(vehicle["symptom_change_pct"].iloc[-1]) > 1.0     # ANA-12 alone acts
    assert eff.index.name == "time_h"


def test_effect_of_a_dose_before_time_zero_shares_its_grid(oracle_model):
    """The vehicle twin starts with the drug run (here at -1 h), so both share one grid."""
    eff = oracle_model.effect(Regimen.bolus(1.0, "iv", at_h=-1.0), 2.0, points=[-1.0, 0.0, 2.0])
    expected = umol(1.0) / V * MW * np.exp(-K * (eff.index.values + 1.0))
    np.testing.assert_allclose(eff["ketamine_plasma"], expected, rtol=1e-6)
    with pytest.raises(PathwaysInputError, match="effect needs a regimen with at least one "
                                                 "dose"):
        oracle_model.effect(Regimen.none(), 2.0)
    for wrong in ([Regimen.bolus(1.0, "iv")], "ketamine"):      # said "at least one dose"
        with pytest.raises(PathwaysInputError, match="regimen must be a pathways.Regimen, "
                                                     f"got {type(wrong).__name__}"):
            oracle_model.effect(wrong, 2.0)


def test_tolerances_apply_within_the_block_and_are_restored_after_an_error(oracle_model):
    """`compiled.tolerances` (the archive export integrates at the archive's CVODE tolerances)
    sets both the RoadRunner's integrator and INTEGRATOR, and restores both even when the
    block raises."""
    from pathways.compiled import INTEGRATOR, tolerances
    integrator = oracle_model._rr.getIntegrator()
    before = dict(INTEGRATOR)
    with pytest.raises(RuntimeError, match="inside"):
        with tolerances(oracle_model._rr, 1e-10, 1e-14):
            assert integrator.getValue("relative_tolerance") == pytest.approx(1e-10)
            assert INTEGRATOR["absolute_tolerance"] == 1e-14
            raise RuntimeError("inside")
    assert INTEGRATOR == before
    assert integrator.getValue("relative_tolerance") == pytest.approx(before["relative_tolerance"])


def _fresh_composed_model(search_always=False):
    """A new Model instance with no cached steady states; `search_always`: one that never
    reuses a steady state (the reference for what a search finds)."""
    from pathways.model import DEFAULT_MODEL, Model
    model = Model(DEFAULT_MODEL)
    if search_always:
        model._steady.seed = lambda chronic: None
    return model


READ = dict(variables=("pAkt", "syn_spine_stable", "BDNF_pool"))


def test_a_clearance_override_reuses_the_drug_free_steady_state_exactly(monkeypatch):
    """A parameter that acts only on drug species (here ketamine clearance) leaves the
    drug-free steady state where it was: it is reused without a new search, and it is the
    state a search with that parameter reaches, to the bit."""
    run = dict(regimen=Regimen.infusion(0.5, 40), end_h=3, points=7,
               parameters={"CL_ket": 40.0}, **READ)
    searched = _fresh_composed_model(search_always=True).simulate(**run)
    seeded = _fresh_composed_model()
    seeded.simulate(None, end_h=1, points=2)             # its own steady state, the seed
    monkeypatch.setattr(type(seeded._steady), "_settle",
                        lambda *a, **k: pytest.fail("searched for a steady state again"))
    np.testing.assert_array_equal(seeded.simulate(**run).to_numpy(), searched.to_numpy())


def test_a_rate_changing_override_is_searched_from_the_initial_state():
    """BDNF turnover changes rates at the seed: the seed fails its check, and the search then
    starts from the model's initial state, exactly as without a seed."""
    run = dict(end_h=1, points=2, parameters={"k_deg_bdnf": 0.75}, **READ)
    searched = _fresh_composed_model(search_always=True).simulate(None, **run)
    seeded = _fresh_composed_model().simulate(None, **run)
    np.testing.assert_array_equal(seeded.to_numpy(), searched.to_numpy())
    assert seeded["BDNF_pool"].iloc[0] < 0.95 * _fresh_composed_model().simulate(
        None, end_h=1, points=2, **READ)["BDNF_pool"].iloc[0]


def test_reuse_does_not_depend_on_earlier_runs():
    """A subject with its own clearance gets the same state, to the bit, whether or not other
    parameter sets and genotypes ran before on the same model. (A brain:plasma partition
    coefficient 1e-9 of its value changes no rate at the drug-free state either, but a
    search with it lands ~2e-13 away: had that state been kept and reused, the history
    would show.)"""
    from pathways import preset
    val_met = [preset("bdnf_val66met")]
    runs = [dict(parameters={"CL_ket": 55.0}),
            dict(parameters={"CL_ket": 55.0}, perturbations=val_met)]
    first = [_fresh_composed_model().simulate(None, end_h=1, points=2, **READ, **r)
             for r in runs]
    busy = _fresh_composed_model()
    kp = busy.parameters["Kp_ket"]
    busy.simulate(None, end_h=1, points=2, parameters={"Kp_ket": 1e-9 * kp})
    for cl in (30.0, 90.0):
        busy.simulate(None, end_h=1, points=2, parameters={"CL_ket": cl, "k_deg_bdnf": 0.6})
        busy.simulate(None, end_h=1, points=2, parameters={"CL_ket": cl},
                      perturbations=[preset("bdnf_met66met")])
    for r, expected in zip(runs, first):
        got = busy.simulate(None, end_h=1, points=2, **READ, **r)
        np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


def test_a_conserved_total_override_gets_its_own_steady_state():
    """mt_Akt_tot enters no rate, only the initial amount of Akt, so every rate of change at
    the default steady state is unchanged by it; the steady state still moves (more Akt),
    and the model must find the new one."""
    columns = dict(end_h=1, points=2, variables=("pAkt",))
    model = _fresh_composed_model()
    default = model.simulate(None, **columns)["pAkt"].iloc[0]
    more_akt = model.simulate(None, parameters={"mt_Akt_tot": 0.3}, **columns)["pAkt"].iloc[0]
    direct = _fresh_composed_model(search_always=True).simulate(
        None, parameters={"mt_Akt_tot": 0.3}, **columns)["pAkt"].iloc[0]
    assert more_akt > 1.2 * default
    assert more_akt == direct


def _growth_sbml() -> str:
    """A user model without a steady state: exponential growth, A(0) = 2, dA/dt = 0.5 A
    (time in hours: Level 3 with timeUnits hour)."""
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model growth
      unit time_unit = 3600 second
      compartment c = 1; species A in c; A = 2
      k = 0.5
      J1: -> A; k*A
    end""") >= 0
    return antimony.getSBMLString("growth")


def test_a_user_model_without_a_steady_state_can_start_from_its_initial_values():
    """start='initial' runs a user's model from the file's values (here A = 2 e^{0.5 t});
    without it the steady-state search fails (it grows without end) with one message that
    names the option."""
    sbml = _growth_sbml()
    with pytest.raises(pathways.SimulationError, match="pre-dose steady state.*"
                       "start='initial' \\(pathways simulate: --from-initial\\)"):
        pathways.Model("growth", sbml=sbml).simulate(None, 2)
    model = pathways.Model("growth", sbml=sbml, start="initial")
    df = model.simulate(None, 2, points=[0.0, 1.0, 2.0])
    np.testing.assert_allclose(df["A"], 2 * np.exp(0.5 * np.array([0.0, 1.0, 2.0])),
                               rtol=1e-6)
    doubled = model.simulate(None, 2, points=[0.0, 2.0], parameters={"k": 1.0})
    assert doubled["A"].iloc[-1] == pytest.approx(2 * np.exp(2.0), rel=1e-6)


def test_start_initial_is_for_a_user_model_and_start_is_checked():
    with pytest.raises(PathwaysInputError, match="start='initial' is for a user's SBML"):
        pathways.Model("ketamine_pk", start="initial")
    with pytest.raises(PathwaysInputError, match="unknown start 'inital'"):
        pathways.Model("growth", sbml=_growth_sbml(), start="inital")


def test_the_biomodels_mtor_model_runs_from_its_initial_values_like_plain_libroadrunner():
    """Varusai 2018 (BIOMD0000000823, ../shared): its steady-state search fails, from the
    file's initial values it gives what a plain libRoadRunner run gives."""
    from pathlib import Path

    import roadrunner
    path = Path(__file__).resolve().parents[2] / "shared" / "biomodels" / "BIOMD0000000823.xml"
    if not path.exists():
        pytest.skip("../shared/biomodels is not here")
    model = pathways.Model("varusai", sbml=path.read_text(), start="initial")
    ours = model.simulate(None, 2.0, points=[0.0, 1.0, 2.0])
    from pathways.user_sbml import model_time_units_per_hour
    per_hour = model_time_units_per_hour(model.sbml)
    rr = roadrunner.RoadRunner(path.read_text())
    rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = 1e-10, 1e-14
    plain = rr.simulate(0, 2.0 * per_hour, 3, ["time", *(f"[{s}]" for s in ours.columns)])
    np.testing.assert_allclose(ours.to_numpy(), np.asarray(plain)[:, 1:], rtol=1e-5,
                               atol=1e-8)


def _user(text: str) -> str:
    import antimony
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(text) >= 0
    return antimony.getSBMLString(antimony.getMainModuleName())


def test_a_user_models_own_rel_and_ref_parameters_are_left_alone():
    """A user's `growth_rel := A/growth_ref` is the file's, not a pathways fold readout: its
    growth_ref keeps the file's value (it was rewritten to the steady state, 1 -> 3)."""
    sbml = _user("""model r
      unit time_unit = 3600 second
      compartment c = 1; species A in c; A = 1
      J1: -> A; 3 - A
      growth_ref = 1
      growth_rel := A/growth_ref
    end""")
    df = pathways.Model("r", sbml=sbml).simulate(None, 1, points=2, variables=["growth_ref"])
    assert df["growth_ref"].tolist() == [1.0, 1.0]
    assert df["growth_rel"].tolist() == pytest.approx([3.0, 3.0])


def test_a_user_models_rule_quantity_may_be_infinite_and_contract_names_add_up():
    """A rule `ratio := A/B` with B = 0 is infinite, which is the file's business, not a
    solver failure; a rule named like a contract readout is reported beside the species."""
    sbml = _user("""model r
      unit time_unit = 3600 second
      compartment c = 1; species A in c, B in c; A = 1; B = 0
      J1: -> A; 1 - A
      ratio := A/B
      glutamate_rel := A/2
    end""")
    model = pathways.Model("r", sbml=sbml)
    assert model.readouts == ["glutamate_rel", "A", "B", "ratio"]
    df = model.simulate(None, 1, points=2)
    assert np.isinf(df["ratio"]).all() and df["A"].tolist() == [1.0, 1.0]


def test_a_model_started_from_its_file_values_has_nothing_before_time_0():
    model = pathways.Model("growth", sbml=_growth_sbml(), start="initial")
    with pytest.raises(PathwaysInputError, match="starts from its file's initial values at "
                       "time 0.*the first event is at -1 h"):
        model.simulate(None, 2, perturbations=[pathways.step("k", 2.0, at_h=-1.0)])


def test_override_errors_name_readouts_and_suggest_only_settable_ids():
    """'pAkt_rel' was called unknown with 'pAkt_ref' suggested, which was then refused; 'MW'
    suggested the fixed molar masses."""
    pk = pathways.load("ketamine_pk")
    with pytest.raises(PathwaysInputError, match="ketamine_plasma is a readout of ketamine_pk, "
                                                 "computed by a rule"):
        pk.simulate(None, 1.0, parameters={"ketamine_plasma": 1.0})
    checked = 0
    for near_miss in ("MW", "body", "CL", "V1"):
        with pytest.raises(PathwaysInputError, match="unknown parameter") as err:
            pk.simulate(None, 1.0, parameters={near_miss: 1.0})
        suggested = str(err.value).partition("; similar: ")[2]
        for pid in filter(None, suggested.split(", ")):
            assert pid in pk.parameters, (near_miss, pid)
            pk.simulate(None, 0.1, parameters={pid: pk.parameters[pid]})   # accepted
            checked += 1
    assert checked >= 2                    # CL_ket, V1_ket, ... were suggested and tried
