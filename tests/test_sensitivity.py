"""Sensitivity studies: indices that must be zero are, the known driver ranks first, local
sensitivities match the closed form, engines agree sample for sample, studies resume, and a
failing simulation is one counted NaN."""
import argparse
import re

import numpy as np
import pandas as pd
import pytest

import pathways
from pathways import PathwaysInputError, Regimen, SimulationError, metrics
from pathways.sensitivity import (DaskEngine, SampleSizeWarning, SerialEngine, Study, local,
                                  local_timecourse, morris, sobol)
from pathways.sensitivity.cli import add_parser

V, CL = 50.0, 25.0                     # the oracle's volume (L) and clearance (L/h)
INFUSION_DOSE_UMOL = 0.5 * 70 / 237.7 * 1e3
# tests use small samples on purpose; the warning itself is tested where it is expected
pytestmark = pytest.mark.filterwarnings("ignore::pathways.sensitivity.SampleSizeWarning")
INFUSION = Regimen.infusion(0.5, minutes=40)


def oracle_study(model, **kw):
    """Plasma AUC(0-48 h) of the one-compartment oracle after an IV infusion: ka and F_ip
    act only on the i.p. depot, so they cannot change it; AUC = dose / CL."""
    args = dict(metric_kwargs={"t0": 0, "t1": 48}, regimen=INFUSION,
                parameters=["CL", "ka"])
    args.update(kw)
    return Study.define(model, "ketamine_plasma", "auc", **args)


# -- the indices mean what they say ---------------------------------------------------------
def test_parameter_without_effect_has_zero_total_index_within_ci(oracle_model):
    study = oracle_study(oracle_model, times=(1.0, 6.0))
    with pytest.warns(SampleSizeWarning, match="n=32 base samples for 2 parameters is too "
                      "small.*use n >= 512"):
        res = sobol(study, 32, engine="serial", progress=False)
    assert res.n_samples == 32 * 4 and res.n_failed == 0
    for output in study.outputs:              # the metric and the readout at 1 h and 6 h
        rows = res.indices[res.indices.output == output].set_index("parameter")
        assert abs(rows.at["ka", "ST"]) <= rows.at["ka", "ST_conf"] + 1e-12
        assert abs(rows.at["ka", "S1"]) <= rows.at["ka", "S1_conf"] + 1e-12
        assert rows.at["CL", "ST"] > 0.9


def test_clearance_ranks_first_for_plasma_auc():
    """Plasma AUC is dose / clearance: CL_ket ranks first by Sobol' ST and Morris mu*."""
    study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 24},
                         regimen=INFUSION, parameters=["V1_ket", "Q2_ket", "CL_ket", "CL_esk"])
    driver = "CL_ket"
    res = sobol(study, 8, engine="serial", progress=False)
    ranked = res.indices.sort_values("ST", ascending=False).parameter.tolist()
    assert ranked[0] == driver, res.indices
    with pytest.warns(SampleSizeWarning, match="4 trajectories"):
        mor = morris(study, 4, engine="serial", progress=False)
    assert mor.indices.sort_values("mu_star").parameter.iloc[-1] == driver


def test_local_sensitivity_matches_closed_form_and_finite_differences(oracle_model):
    study = oracle_study(oracle_model, parameters=["CL", "ka", "F_ip"], points=4801)
    res = local(study)
    s = res.indices.set_index("parameter")
    # AUC = dose / CL exactly (the 48 h tail is e^-24): d ln AUC / d ln CL = -1
    assert s.at["CL", "sensitivity"] == pytest.approx(-1.0, abs=2e-4)
    assert s.at["ka", "sensitivity"] == 0.0 and s.at["F_ip", "sensitivity"] == 0.0
    assert s.at["CL", "output_nominal"] == pytest.approx(INFUSION_DOSE_UMOL / CL * 237.7, rel=1e-4)
    # an independent central difference of ln AUC with a 5 % step agrees
    aucs = [metrics.auc(oracle_model.simulate(INFUSION, 48, parameters={"CL": CL * f},
                                              points=4801)["ketamine_plasma"], 0, 48)
            for f in (1 / 1.05, 1.05)]
    assert s.at["CL", "sensitivity"] == pytest.approx(
        (np.log(aucs[1]) - np.log(aucs[0])) / (2 * np.log(1.05)), abs=2e-5)
    # one at a time at the range ends: AUC halves / doubles with CL ×2 / ÷2
    assert s.at["CL", "output_high"] == pytest.approx(s.at["CL", "output_nominal"] / 2, rel=1e-3)


def test_time_resolved_local_sensitivity_of_a_bolus_is_minus_k_t(oracle_model):
    study = Study.define(oracle_model, "ketamine_plasma", "value_at", {"t": 8},
                         regimen=Regimen.bolus(1.0, "iv"), parameters=["CL", "ka"])
    tc = local_timecourse(study)
    assert list(tc.columns) == ["CL", "ka"] and tc.index.name == "time_h"
    # C = D/V exp(-CL t / V): d ln C / d ln CL = -CL t / V
    for t in (2.0, 4.0, 8.0):
        assert tc.loc[t, "CL"] == pytest.approx(-CL / V * t, rel=1e-4)
    assert np.all(tc["ka"].values[1:] == 0.0)


# -- engines, resuming, failures -----------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("given", ["default", "engine object"])
def test_two_worker_local_cluster_equals_serial_sample_for_sample(oracle_model, given):
    study = oracle_study(oracle_model)
    serial = sobol(study, 16, engine="serial", batch_size=8, progress=False)
    if given == "default":       # engine=None: a LocalCluster of `workers` processes
        dist = sobol(study, 16, workers=2, batch_size=8, progress=False)
    else:
        with DaskEngine(workers=2) as engine:
            dist = sobol(study, 16, engine=engine, batch_size=8, progress=False)
    pd.testing.assert_frame_equal(dist.samples, serial.samples, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(dist.indices, serial.indices, check_exact=False, rtol=1e-9)
    assert len(dist.workers) == 2 and set(dist.workers.values()) == {1}   # one build each


class InterruptAfter(SerialEngine):
    """A serial engine that is interrupted (Ctrl-C) after `n` batches."""

    def __init__(self, n):
        self.n, self.rows = n, 0

    def map(self, study, batches):
        for i, res in enumerate(super().map(study, batches)):
            if i == self.n:
                raise KeyboardInterrupt
            self.rows += len(res.outputs)
            yield res


def test_interrupted_study_resumes_to_the_same_indices(oracle_model, tmp_path):
    study = oracle_study(oracle_model)
    whole = sobol(study, 16, engine="serial", batch_size=8, progress=False)
    with pytest.raises(KeyboardInterrupt):
        sobol(study, 16, engine=InterruptAfter(3), batch_size=8, out_dir=tmp_path,
              progress=False)
    with open(tmp_path / "samples.csv", "a") as f:     # a line cut short by the interruption
        f.write("24,25.0,1.")
    counting = InterruptAfter(10**6)
    resumed = sobol(study, 16, engine=counting, batch_size=8, out_dir=tmp_path, resume=True,
                    progress=False)
    assert resumed.resumed == 24 and counting.rows == 64 - 24      # nothing redone
    pd.testing.assert_frame_equal(resumed.indices, whole.indices, check_exact=True)
    assert len(pd.read_csv(tmp_path / "samples.csv")) == 64
    with pytest.raises(PathwaysInputError, match="earlier study"):     # no silent overwrite
        sobol(study, 16, engine="serial", out_dir=tmp_path, progress=False)
    with pytest.raises(PathwaysInputError, match="different study"):
        sobol(oracle_study(oracle_model, fold=3.0), 16, engine="serial", out_dir=tmp_path,
              resume=True, progress=False)


def test_failing_simulation_is_nan_counted_and_does_not_stop_the_study(oracle_model,
                                                                       monkeypatch):
    study = oracle_study(oracle_model)
    clean = sobol(study, 16, engine="serial", progress=False)
    key = [tuple(row) for row in clean.samples[["CL", "ka"]].values]
    bad = {key[5]: SimulationError("CVODE error -4 at t = 3 h"),
           key[40]: RuntimeError("CV_CONV_FAILURE")}
    simulate = oracle_model.simulate_arrays

    def flaky(*args, parameters=None, **kw):
        if parameters and (parameters.get("CL"), parameters.get("ka")) in bad:
            raise bad[parameters["CL"], parameters["ka"]]
        return simulate(*args, parameters=parameters, **kw)

    monkeypatch.setattr(oracle_model, "simulate_arrays", flaky)
    res = sobol(study, 16, engine="serial", progress=False)
    assert res.n_failed == 2 and sorted(res.failures) == [5, 40]
    assert res.failures[5].startswith("SimulationError: CVODE error -4")
    assert res.failures[40].startswith("RuntimeError")
    assert np.isnan(res.samples.iloc[5, 2]) and res.samples.error.iloc[40]
    assert any("2 of 16 base samples left out" in n for n in res.notes)
    assert np.isfinite(res.indices[["S1", "ST"]].values).all()
    assert "2 failed" in res.summary()


def test_a_non_finite_output_is_reported_as_such_not_as_a_failed_simulation(oracle_model):
    # the half-life of plasma within 0.5-1.1 h: for slow clearances plasma never halves in
    # the window (infinite half-life) although every simulation succeeds
    study = Study.define(oracle_model, "ketamine_plasma", "half_life", {"t0": 0.5, "t1": 1.1},
                         regimen=INFUSION, parameters=["CL", "ka"], points=2401, end_h=2)
    res = sobol(study, 16, engine="serial", progress=False)
    y = res.samples.iloc[:, 2].to_numpy()
    assert np.isinf(y).any() and res.n_failed == 0 and not res.failures
    note = next(n for n in res.notes if "left out" in n)
    assert "non-finite value of this output" in note and "failed simulation" not in note


def test_resume_is_refused_when_the_model_changed(oracle_model, tmp_path, monkeypatch):
    study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 4},
                         regimen=INFUSION, parameters=["CL_ket", "V1_ket"])
    before = study.fingerprint()
    sobol(study, 8, engine="serial", out_dir=tmp_path, progress=False)
    from pathways.sensitivity import study as study_mod
    with monkeypatch.context() as mp:
        mp.setattr(study_mod, "_shipped_sbml_digest", lambda spec: "another model")
        assert study.fingerprint() != before     # e.g. a parameter it does not vary changed
        with pytest.raises(PathwaysInputError, match=r"holds a different study or design "
                           r"\(it differs in study\.sbml_sha256\)"):
            sobol(study, 8, engine="serial", out_dir=tmp_path, resume=True, progress=False)
    # the same model again: it resumes, every sample read back
    assert sobol(study, 8, engine="serial", out_dir=tmp_path, resume=True,
                 progress=False).resumed == 8 * (2 + 2)


def test_a_batch_the_cluster_loses_stops_the_study_and_is_not_stored(oracle_model, tmp_path,
                                                                      monkeypatch):
    """A task error on the cluster (a killed worker, a cancelled future) is not a failed
    simulation: it must not be written as NaN rows that a resume would take as done."""
    import pathways.sensitivity.engines as eng

    def lost(*args, **kw):
        raise OSError("worker lost")

    monkeypatch.setattr(eng, "run_batch", lost)
    with DaskEngine(workers=1) as engine, pytest.raises(
            SimulationError, match="lost the batch from sample 0 .*resume=True"):
        sobol(oracle_study(oracle_model), 16, engine=engine, batch_size=64, out_dir=tmp_path,
              progress=False)
    assert not (tmp_path / "samples.csv").exists() or len(
        pd.read_csv(tmp_path / "samples.csv")) == 0


def test_a_local_cluster_starts_quietly_when_the_dask_port_is_taken(oracle_model):
    """Another dask cluster (a notebook's, a second study) holds 8787: ours must not warn
    about it or fail (the suite turns warnings into errors), it takes a free port."""
    import socket
    import warnings
    holder = socket.socket()
    try:
        holder.bind(("", 8787))
        holder.listen()
    except OSError:         # already taken by someone else: the situation under test
        pass
    try:
        with DaskEngine(workers=1) as engine, warnings.catch_warnings():
            warnings.simplefilter("ignore", SampleSizeWarning)     # a small n on purpose
            res = sobol(oracle_study(oracle_model), 8, engine=engine, progress=False)
            # the scheduler's HTTP server (it runs without bokeh too) took another port
            port = engine._cluster.scheduler.http_server.port
        assert port not in (0, 8787), port
        assert res.indices["ST"].notna().all()
    finally:
        holder.close()


@pytest.mark.parametrize("kw, message", [
    ({"conf_level": 95}, r"conf_level must be in \(0, 1\), e.g. 0.95, got 95"),
    ({"num_resamples": 0}, "num_resamples must be an integer >= 1"),
])
def test_confidence_settings_are_checked_before_any_simulation(oracle_model, kw, message):
    study = oracle_study(oracle_model)
    counting = InterruptAfter(10**6)
    for method, size in ((sobol, 16), (morris, 10)):
        with pytest.raises(PathwaysInputError, match=message):
            method(study, size, engine=counting, progress=False, **kw)
    assert counting.rows == 0


def test_the_sobol_figure_labels_the_confidence_level_used(oracle_model, tmp_path):
    import matplotlib.pyplot as plt
    res = sobol(oracle_study(oracle_model), 16, engine="serial", progress=False,
                conf_level=0.5)
    assert "confidence intervals at 50%" in res.summary()
    from pathways.sensitivity import plots
    seen = []
    original = plots.save
    plots.save = lambda fig, path: seen.append(fig.axes[0].get_xlabel()) or []
    try:
        res.figure(tmp_path / "s")
    finally:
        plots.save = original
        plt.close("all")
    assert seen == ["Sobol' index (50 % CI)"]


# -- inputs ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw, message", [
    ({"parameters": ["CLx"]}, "unknown parameter of oracle 'CLx'; valid: CL, F_ip"),
    ({"parameters": {"CL": (30.0, 30.0)}}, "empty range for CL"),
    ({"parameters": {"CL": (-1.0, 30.0)}}, "range of CL reaches -1"),
    ({"parameters": {"CL": (0.0, 30.0, "linear")}}, "range of CL reaches 0"),
    ({"parameters": ["CL"], "fold": 1.0}, "fold must be in \\(1, 1000\\]"),
    ({"parameters": ["CL"], "fold": 1e308}, "fold must be in \\(1, 1000\\] .*got 1e\\+308"),
    ({"parameters": []}, "no parameters to vary"),
    ({"metric_kwargs": {"t0": 0}}, "give end_h"),
    ({"metric_kwargs": {"t0": 5, "t1": 2}}, "empty window"),
    ({"metric_kwargs": {"t0": -5, "t1": -1}}, "the latest metric time is -1 h; .* give a time > 0 h"),
    ({"parameters": 5}, "parameters must be a list of parameter ids or a dict"),
    ({"parameters": ["CL", "CL"]}, "parameter named twice: CL"),
    ({"metric_kwargs": [1, 2]}, "metric_kwargs must be a dict"),
    ({"times": [0.3, 0.1 + 0.2]}, "times 0.3 h are given twice"),
])
def test_bad_study_inputs_raise_one_line_errors(oracle_model, kw, message):
    with pytest.raises(PathwaysInputError, match=message) as err:
        oracle_study(oracle_model, **kw)
    assert "\n" not in str(err.value)


def test_bad_method_inputs_raise(oracle_model, tmp_path):
    study = oracle_study(oracle_model)
    for call in (lambda: sobol("study", 8), lambda: morris(None, 10), lambda: local("x")):
        with pytest.raises(PathwaysInputError, match="study must be a pathways.sensitivity.Study"):
            call()
    (tmp_path / "f").write_text("")
    with pytest.raises(PathwaysInputError, match="is a file, not a folder"):
        sobol(study, 16, engine="serial", out_dir=tmp_path / "f", progress=False)
    with pytest.raises(PathwaysInputError, match="unknown metric"):
        Study.define(oracle_model, "ketamine_plasma", ["auc"], end_h=4)
    with pytest.raises(PathwaysInputError, match=r"power of 2 .*; try 64 or 128, not 100"):
        sobol(study, 100, engine="serial")
    with pytest.raises(PathwaysInputError, match="needs t"):
        Study.define(oracle_model, "ketamine_plasma", "value_at", regimen=INFUSION)
    with pytest.raises(PathwaysInputError, match="unknown readout 'nope'"):
        Study.define(oracle_model, "nope", "peak", end_h=4)


def test_cli_study_takes_the_perturbation_specs_of_simulate(tmp_path, capsys):
    """`--perturb step:CL_ket:0.5@1` halves clearance from 1 h in every simulation of the
    study: the nominal 0-6 h AUC rises above the unperturbed study's."""
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    base = ["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
            "--metric", "auc", "--window", "0,6", "--params", "V1_ket", "--dose", "0.5",
            "--minutes", "40", "--method", "local", "--no-progress"]
    auc = {}
    for name, extra in (("plain", []), ("step", ["--perturb", "step:CL_ket:0.5@1"])):
        args = parser.parse_args(base + ["--out", str(tmp_path / name)] + extra)
        assert args.func(args) == 0
        auc[name] = pd.read_csv(tmp_path / name / "local_indices.csv").output_nominal.iloc[0]
    assert auc["step"] > 1.2 * auc["plain"], auc
    args = parser.parse_args(base + ["--out", str(tmp_path / "bad"), "--perturb", "step:CL_ket"])
    with pytest.raises(PathwaysInputError, match="write step:PARAMETER:FACTOR@AT_H"):
        args.func(args)


def test_cli_runs_a_local_study_and_rejects_bad_flags(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    model = "ketamine_pk"
    base = ["sensitivity", "--model", model, "--readout", "ketamine_plasma", "--metric",
            "peak", "--window", "0,6", "--params", "CL_ket,V1_ket", "--dose", "0.5",
            "--minutes", "40", "--out", str(tmp_path)]
    args = parser.parse_args(base + ["--method", "local"])
    assert args.func(args) == 0
    df = pd.read_csv(tmp_path / "local_indices.csv")
    assert set(df.parameter) == {"CL_ket", "V1_ket"} and (tmp_path / "local.svg").exists()
    assert "local: peak(ketamine_plasma" in capsys.readouterr().out
    for extra, message in [(["--method", "sobol"], "needs --samples"),
                           (["--method", "local"], "holds local results; pass --force to overwrite them"),
                           (["--method", "fast"], "unknown method"),
                           (["--method", "local", "--force", "--time", "2"],
                            "does not take --time"),
                           (["--method", "local", "--force", "--window", "1"],
                            "two times"),
                           (["--method", "local", "--force", "--samples", "8"],
                            "--samples do.es. not apply to --method local"),
                           (["--method", "morris", "--samples", "10", "--second-order"],
                            "--second-order do.es. not apply to --method morris"),
                           (["--method", "sobol", "--samples", "8", "--metric", "bogus"],
                            "unknown metric 'bogus'")]:
        args = parser.parse_args(base + extra)
        with pytest.raises(PathwaysInputError, match=message):
            args.func(args)


def test_batches_cover_every_sample_once_and_shrink_towards_the_end():
    from pathways.sensitivity.runner import batches
    todo = [i for i in range(1000) if not 300 <= i < 340]     # 40 resumed samples
    runs = list(batches(todo, 50, workers=2))
    assert [i for r in runs for i in r] == todo
    assert all(r == list(range(r[0], r[-1] + 1)) for r in runs)    # consecutive
    sizes = [len(r) for r in runs]
    assert max(sizes) == 50 and sizes[-1] == 1
    assert all(len(r) <= max(1, -(-(960 - sum(sizes[:k])) // 8)) for k, r in enumerate(runs))


def test_fractions_keep_their_ranges_and_values_within_0_and_1():
    """A share (w_in: share of interneuron drive carried by NMDARs, 0.8) doubled would be
    1.6 and make the interneuron firing rate negative: default ranges stop at 1, explicit
    ranges and parameter values above 1 are errors."""
    model = pathways.load("nmda_blockade")
    assert {"w_in", "Amax_allo", "frac_nmda_eEF2K"} <= model.fractions
    assert "gamma_inh" not in model.fractions
    from pathways.model import Model, base_sbml      # a user's SBML: no source comments
    assert Model("nmda_blockade", sbml=base_sbml("nmda_blockade")).fractions == frozenset()
    assert all(0 <= model.parameters[p] <= 1 for p in model.fractions)
    study = Study.define(model, "nmda_block_interneuron", "peak", end_h=2.0,
                         parameters=["w_in", "gamma_inh"])
    w_in, gamma = study.ranges
    assert (w_in.low, w_in.high) == (0.4, 1.0)
    assert (gamma.low, gamma.high) == (2.0, 8.0)
    with pytest.raises(PathwaysInputError, match="w_in reaches 1.2; it is a fraction"):
        Study.define(model, "nmda_block_interneuron", "peak", end_h=2.0,
                     parameters={"w_in": (0.5, 1.2)})
    with pytest.raises(PathwaysInputError, match=r"w_in is a fraction: it must be in \[0, 1\]"):
        model.simulate(end_h=1.0, parameters={"w_in": 1.5})
    whole = Study.define(model, "nmda_block_interneuron", "peak", end_h=2.0,
                         parameters={"w_in": (0.0, 1.0)})            # a share may be 0
    assert (whole.ranges[0].low, whole.ranges[0].scale) == (0.0, "linear")


def test_local_sensitivity_of_a_fraction_at_1_steps_down_only():
    """F_ip_mem (i.p. bioavailability of memantine) is 1: the up step would exceed 1, so the
    difference is one-sided; memantine exposure is proportional to F, so the scaled
    sensitivity of its AUC is exactly 1. Run at tight CVODE tolerances: at the default
    relative tolerance (1e-8) a 1% one-sided step resolves the derivative to ~1e-5 only
    (0.999988 was seen)."""
    from pathways.compiled import tolerances
    model = pathways.load("ketamine_pk", "rat")
    assert model.parameters["F_ip_mem"] == 1.0 and "F_ip_mem" in model.fractions
    study = Study.define(model, "mem_central", "auc", {"t0": 0, "t1": 48},
                         regimen=Regimen.bolus(1.0, "ip", drug="memantine"),
                         parameters=["F_ip_mem", "CL_mem"])
    with tolerances(model._rr, 1e-11, 1e-16):
        res = local(study)
    assert res.n_failed == 0
    rows = res.indices.set_index("parameter")
    assert rows.loc["F_ip_mem"].sensitivity == pytest.approx(1.0, rel=1e-5)
    cl = rows.loc["CL_mem"]                                 # not a fraction: two-sided
    assert cl.sensitivity < 0 and cl.output_plus < cl.output_nominal < cl.output_minus
    row = rows.loc["F_ip_mem"]
    assert row.output_plus == row.output_nominal          # no step above 1
    with tolerances(model._rr, 1e-11, 1e-16):
        tc = local_timecourse(study)
    t = tc.index.values       # rat memantine (t1/2 ~3 h): by 12 h it is solver noise
    assert np.nanmax(np.abs(tc["F_ip_mem"].values[(t > 0.1) & (t < 12)] - 1)) < 1e-4


@pytest.mark.slow
def test_a_study_runs_unchanged_on_an_existing_cluster_by_address(tmp_path, capsys):
    """`engine="tcp://..."` (CLI `--scheduler`): a cluster someone else started, reached by
    its scheduler address, gives the serial result; the CLI writes the same indices."""
    from distributed import LocalCluster
    model = pathways.load("ketamine_pk")
    study = Study.define(model, "ketamine_plasma", "auc", {"t0": 0, "t1": 24},
                         regimen=INFUSION, parameters=["CL_ket", "V1_ket"])
    serial = sobol(study, 16, engine="serial", progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = sobol(study, 16, engine=cluster.scheduler_address, progress=False)
        parser = argparse.ArgumentParser()
        add_parser(parser.add_subparsers())
        args = parser.parse_args(
            ["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
             "--metric", "auc", "--window", "0,24", "--params", "CL_ket,V1_ket", "--dose",
             "0.5", "--minutes", "40", "--method", "sobol", "--samples", "16",
             "--scheduler", cluster.scheduler_address, "--out", str(tmp_path)])
        with pytest.warns(SampleSizeWarning, match="n=16 base samples"):
            assert args.func(args) == 0
    pd.testing.assert_frame_equal(remote.samples, serial.samples, check_exact=False,
                                  rtol=1e-12)
    assert len(remote.workers) == 2
    cli = pd.read_csv(tmp_path / "sobol_indices.csv")       # written with 6 digits
    np.testing.assert_allclose(cli.ST.values, serial.indices.ST.values, rtol=1e-5)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_a_negative_seed_is_an_input_error(oracle_model, method):
    from pathways import sensitivity
    study = oracle_study(oracle_model)
    with pytest.raises(PathwaysInputError, match="seed must be an integer >= 0, got -1"):
        getattr(sensitivity, method)(study, 8, engine="serial", seed=-1)


# -- found by a code review --------------------------------------------------------------------
def test_the_cli_takes_output_times_with_a_dose(tmp_path):
    """--times is the sensitivity command's output times, not a repeat count."""
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["sensitivity", "--model", "ketamine_pk", "--readout",
                              "ketamine_plasma", "--metric", "peak", "--window", "0,6",
                              "--params", "CL_ket", "--dose", "0.5", "--minutes", "40",
                              "--times", "1,6", "--method", "local", "--out", str(tmp_path)])
    assert args.func(args) == 0
    outputs = set(pd.read_csv(tmp_path / "local_indices.csv").output)
    assert {"ketamine_plasma@1h", "ketamine_plasma@6h"} <= outputs


def test_the_output_grid_is_part_of_a_study_fingerprint(oracle_model):
    fine = oracle_study(oracle_model, points=481)
    coarse = oracle_study(oracle_model, points=7)
    assert fine.fingerprint() != coarse.fingerprint()


def test_numpy_times_are_accepted(oracle_model):
    a = oracle_study(oracle_model, times=np.array([1.0, 6.0]))
    b = oracle_study(oracle_model, times=np.float64(6.0))
    assert a.times == (1.0, 6.0) and b.times == (6.0,)


def test_a_user_model_under_a_shipped_name_carries_its_own_sbml():
    from pathways.model import Model, base_sbml
    from pathways.sensitivity.study import ModelSpec
    mine = Model("ketamine_pk", sbml=base_sbml("ketamine_pk").replace(
        'id="CL_ket" value="79"', 'id="CL_ket" value="237"'))
    study = Study.define(mine, "ketamine_plasma", "auc", {"t0": 0, "t1": 24}, regimen=INFUSION,
                         parameters=["V1_ket"])
    assert mine.sbml != base_sbml("ketamine_pk"), "the edit did not apply: nothing tested"
    assert isinstance(study.model, ModelSpec) and study.model.sbml == mine.sbml
    shipped = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 24},
                           regimen=INFUSION, parameters=["V1_ket"])
    assert study.describe()["sbml_sha256"] != shipped.describe()["sbml_sha256"]


def test_default_parameters_leave_out_perturbation_handles_and_bookkeeping():
    from pathways.sensitivity.study import default_parameters
    ids = default_parameters(pathways.load())
    assert not [p for p in ids if p.endswith(("_scale", "_genotype", "_ref"))
                or p.startswith(("BW_ref", "MW_"))]
    assert {"CL_ket", "mt_4EBP_tot", "syn_gamma"} <= set(ids)


def test_default_parameters_leave_out_inputs_and_undosed_drugs_and_routes():
    """A component's clamped inputs are conditions, and the PK of drugs (and routes) the
    regimen does not use cannot change the run: each cost n simulations for an index of 0
    (70 of ketamine_pk's 79 defaults for IV ketamine)."""
    from pathways.sensitivity.study import default_parameters
    assert "TrkB_active" not in default_parameters(pathways.load("mtorc1_4ebp"))
    pk = pathways.load("ketamine_pk")
    iv = default_parameters(pk, Regimen.infusion(0.5, minutes=40))
    assert {"CL_ket", "V1_ket", "CL_nket", "Emax_sbp"} <= set(iv)
    assert not [p for p in iv if p.endswith(("_esk", "_mem", "_mdz")) or
                p.startswith(("F_", "ka_", "fpre_"))], iv
    mixed = default_parameters(pk, Regimen.bolus(0.5, "intranasal", drug="esketamine")
                               + Regimen.bolus(0.045, "im", drug="midazolam")
                               + Regimen.bolus(0.5, "iv"))
    assert {"CL_esk", "F_in_esk", "fpre_nket_in", "ka_im_mdz", "F_im_mdz"} <= set(mixed)
    # by depot, not by route alone: im midazolam does not make im ketamine's F matter
    assert not {"CL_mem", "F_oral_esk", "ka_oral_mdz", "F_ip_ket", "F_im_ket",
                "fpre_nket_oral"} & set(mixed)
    composed = default_parameters(pathways.load(), Regimen.infusion(0.5, minutes=40))
    assert not {"Kd_mem0", "esk_pot", "EC50_mdz", "trap_mem"} & set(composed)
    assert {"V_in", "w_in", "Po_rest_in"} <= set(composed)     # interneuron, not intranasal
    assert len(default_parameters(pk)) > len(iv)               # no regimen: nothing left out


def test_a_range_below_zero_for_a_parameter_that_is_zero_is_refused_when_defined():
    with pytest.raises(PathwaysInputError, match="ket_brain_u reaches -1; it is 0 at nominal"):
        Study.define("nmda_blockade", "nmda_block_interneuron", "value_at", {"t": 1},
                     parameters={"ket_brain_u": (-1, 10), "Mg_ext": None})


@pytest.mark.parametrize("method", [["--method", "local"],
                                    ["--method", "morris", "--samples", "4"]])
def test_a_study_without_a_dose_says_why_its_results_are_empty(method, tmp_path, capsys,
                                                             monkeypatch):
    """Without --dose the run is vehicle: plasma stays 0, local sensitivities and Morris
    indices are blank (NaN); both must say so (only Sobol' did). The CLI closes the cluster it
    started (it stayed up in the calling process, holding its ports)."""
    closed = []
    real_close = DaskEngine.close
    monkeypatch.setattr(DaskEngine, "close", lambda self: closed.append(self) or
                        real_close(self))
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["sensitivity", "--model", "ketamine_pk", "--readout",
                              "ketamine_plasma", "--metric", "auc", "--window", "0,6",
                              "--params", "CL_ket,V1_ket", "--out", str(tmp_path), *method])
    if "morris" in method:
        with pytest.warns(SampleSizeWarning, match="4 trajectories"):
            assert args.func(args) == 0
    else:
        assert args.func(args) == 0
    assert all(e._cluster is None for e in closed)
    assert bool(closed) == ("morris" in method)        # local starts no cluster
    captured = capsys.readouterr()
    assert "constant over the samples within solver noise (a vehicle run?" in captured.out + captured.err
    assert "no --dose: every simulation is a vehicle run" in captured.err    # said up front


def test_cli_shows_a_sample_size_warning_as_one_line(tmp_path, capsys):
    from pathways.cli import main
    assert main(["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
                 "--metric", "auc", "--window", "0,6", "--dose", "0.5", "--route", "iv",
                 "--params", "CL_ket,V1_ket", "--method", "morris", "--samples", "4",
                 "--workers", "1", "--no-progress", "--out", str(tmp_path / "m")]) == 0
    err = capsys.readouterr().err
    assert err.count("pathways: warning: Morris with 4 trajectories") == 1
    assert "SampleSizeWarning" not in err and ".py" not in err
    units = pd.read_csv(tmp_path / "m" / "morris_indices.csv").output_unit
    assert set(units) == {"ng/mL·h"}                          # AUC of a ng/mL readout


@pytest.mark.parametrize("flags, message", [
    (["--method", "local", "--seed", "3"], "--seed do(es) not apply to --method local"),
    (["--method", "local", "--batch-size", "0"], "--batch-size do(es) not apply"),
    (["--method", "local", "--workers", "2"], "--workers do(es) not apply"),
])
def test_cli_refuses_flags_the_local_method_does_not_use(flags, message, tmp_path, capsys):
    from pathways.cli import main
    assert main(["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
                 "--metric", "auc", "--dose", "0.5", "--route", "iv", "--params", "CL_ket",
                 "--out", str(tmp_path / "l"), *flags]) == 2
    assert message in capsys.readouterr().err


def test_cli_refuses_an_out_that_is_a_file_before_simulating(tmp_path, capsys, monkeypatch):
    from pathways.cli import main
    from pathways.sensitivity import study as study_module
    monkeypatch.setattr(study_module.Study, "define", lambda *a, **k: pytest.fail("ran"))
    (tmp_path / "f").write_text("")
    assert main(["sensitivity", "--model", "ketamine_pk", "--readout", "ketamine_plasma",
                 "--metric", "auc", "--method", "local", "--out", str(tmp_path / "f")]) == 2
    assert "is a file; give a folder" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["samples", "study"])
def test_a_damaged_sample_store_is_a_one_line_input_error(damage, tmp_path):
    """A hand-edited samples.csv or a cut-off study.json raised ValueError/JSONDecodeError."""
    from pathways.sensitivity.store import SAMPLES, STUDY
    study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 6},
                         regimen=Regimen.bolus(0.5, "iv"), parameters=["CL_ket", "V1_ket"])
    sobol(study, 8, engine="serial", out_dir=tmp_path, progress=False)
    if damage == "samples":
        lines = (tmp_path / SAMPLES).read_text().splitlines(keepends=True)
        lines[1] = "x3" + lines[1][lines[1].index(","):]
        (tmp_path / SAMPLES).write_text("".join(lines))
    else:
        (tmp_path / STUDY).write_text((tmp_path / STUDY).read_text()[:20])
    with pytest.raises(PathwaysInputError, match="is damaged .*to start over, delete"):
        sobol(study, 8, engine="serial", out_dir=tmp_path, resume=True, progress=False)


def test_the_tornado_keeps_a_parameter_whose_other_end_failed(tmp_path):
    """A NaN end made the bar's span NaN, so the parameter with the largest change was cut."""
    from pathways.sensitivity.plots import MAX_BARS, tornado_figure
    from pathways.sensitivity.result import SensitivityResult
    study = Study.define("ketamine_pk", "ketamine_plasma", "auc", {"t0": 0, "t1": 6},
                         regimen=Regimen.bolus(0.5, "iv"), parameters=["CL_ket"])
    n = MAX_BARS + 5
    indices = pd.DataFrame({
        "output": study.outputs[0], "parameter": [f"p{i}" for i in range(n)] + ["fragile"],
        "sensitivity": 0.1, "output_nominal": 100.0,
        "output_low": [100 - i * 0.1 for i in range(n)] + [4.0],       # -96 %, the largest
        "output_high": [100 + i * 0.1 for i in range(n)] + [np.nan]})  # its high end failed
    result = SensitivityResult("local", study, indices, 2 * n + 3, 1)
    svg = tornado_figure(result, tmp_path / "t")[-1].read_text()
    assert "fragile (+0.10) [high end failed]" in svg
    assert "ng/mL·h at nominal" in svg


def test_a_species_output_of_a_shipped_model_is_in_micromolar():
    study = Study.define("ketamine_pk", "ket_central", "auc", {"t0": 0, "t1": 4},
                         regimen=INFUSION, parameters=["CL_ket"], times=(1.0,))
    assert study.output_units == ["µM·h", "µM"]        # was "model units" for both


def test_an_output_of_solver_noise_gets_no_indices():
    """A vehicle run's symptom_change_pct varies by ±3e-11 % across samples (solver noise);
    Sobol' ranked that noise (S1 0.50 for mt_4EBP_tot) and the local method reported a
    sensitivity of 3327. Both now give NaN with the 'constant' note."""
    study = Study.define("ketamine_synaptogenesis", "symptom_change_pct", "value_at", {"t": 24},
                         regimen=Regimen.none(), parameters=["mt_4EBP_tot", "CL_ket"])
    res = sobol(study, 8, engine="serial", progress=False)
    assert res.indices[["S1", "ST"]].isna().all().all()
    assert any("within solver noise" in n for n in res.notes)
    loc = local(study)
    assert loc.indices["sensitivity"].isna().all()
    assert any("within solver noise" in n for n in loc.notes)


def test_a_study_that_fails_before_its_first_sample_leaves_its_folder_reusable(oracle_model,
                                                                               tmp_path):
    """A mistyped engine (or an unreachable scheduler) failed after the sample store was
    written, and the next run into the same folder was refused as 'an earlier study'."""
    study = oracle_study(oracle_model)
    with pytest.raises(PathwaysInputError, match="unknown engine 'seriall'"):
        sobol(study, 8, engine="seriall", out_dir=tmp_path, progress=False)
    assert not list(tmp_path.iterdir())
    res = sobol(study, 8, engine="serial", out_dir=tmp_path, progress=False)
    assert res.n_samples == 8 * (len(study.names) + 2)


@pytest.mark.parametrize("values, noise", [
    ([1.0, 1.0 + 1e-14], True),          # fold readouts of vehicle runs spread ~1e-14
    ([-2e-11, 2.4e-11], True),           # a vehicle run's symptom change, % near 0
    ([1.0, 1.0 + 3e-7], False),          # spine_density_rel 0.5 h after a dose: a response
    ([120.0, 120.0 + 1e-5], False),
])
def test_solver_noise_is_told_from_a_small_real_response(values, noise):
    from pathways.sensitivity.global_ import is_constant
    assert is_constant(np.array(values)) is noise


def test_a_result_is_written_to_a_folder_or_refused_in_one_line(oracle_model, tmp_path):
    """write("") wrote into the current folder, and a file in the way gave raw OS errors."""
    res = local(oracle_study(oracle_model))
    afile = tmp_path / "afile"
    afile.write_text("x")
    for bad, message in [("", "out_dir is empty; give a folder name"),
                         (None, "out_dir must be a folder name (str or Path), got NoneType"),
                         (afile, f"out_dir {afile} is a file, not a folder"),
                         (afile / "sub", f"{afile / 'sub'}: {afile} is a file, not a folder")]:
        with pytest.raises(PathwaysInputError, match=re.escape(message)):
            res.write(bad, figure=False)
    assert [p.name for p in res.write(tmp_path / "new" / "dir", figure=False)] == [
        "local_indices.csv"]


def test_a_users_sbml_has_every_parameter_varied_by_default():
    """Its body_weight (or an id ending in _scale) is its own parameter, not pathways'."""
    import antimony
    from pathways.model import Model
    from pathways.sensitivity.study import default_parameters
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model mine
      compartment c = 1; species S in c = 1
      J1: -> S; k0*body_weight*gain_scale
      J2: S -> ; k_brain*S
      k0 = 1; body_weight = 1; k_brain = 1; gain_scale = 1
    end""") >= 0
    mine = Model("mine", sbml=antimony.getSBMLString("mine"))
    assert sorted(default_parameters(mine)) == ["body_weight", "gain_scale", "k0", "k_brain"]


def test_a_peak_study_reads_an_infusions_peak_at_its_end():
    """With the default grid (every 6 min from 0) the end of a 40-min infusion, where plasma
    ketamine peaks, is not an output time: a peak study read 199.8 instead of 211.4 ng/mL
    (5.5% low). Peak and trough metrics add the dose times and infusion ends to the grid;
    other metrics keep theirs (so stored studies of them still resume)."""
    import pathways
    from pathways.sensitivity import Study
    pk = pathways.load("ketamine_pk")
    regimen = pathways.Regimen.infusion(0.5, minutes=40)
    study = Study.define(pk, "ketamine_plasma", "peak", regimen=regimen,
                         parameters=["CL_ket"], end_h=6)
    cmax = pk.simulate(regimen, 6, points=[0.0, 2 / 3, 1.0])["ketamine_plasma"].max()
    nominal = study.evaluate(pk, np.array([r.nominal for r in study.ranges]))[0]
    assert nominal == pytest.approx(cmax, rel=1e-6)
    auc = Study.define(pk, "ketamine_plasma", "auc", regimen=regimen, parameters=["CL_ket"],
                       end_h=6)
    assert not np.isclose(np.asarray(auc.grid), 2 / 3).any()


def test_a_worker_builds_a_user_model_with_its_own_start():
    """A study of a model that starts from its file's values is evaluated so in worker
    processes too (a worker built it from its steady state: AUC 2.0 instead of 1.13), and
    its fingerprint is not the steady-state model's."""
    import antimony

    from pathways.sensitivity import study as study_module
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("""model relax
      unit time_unit = 3600 second
      compartment c = 1; species A in c; A = 0
      k0 = 1; k = 1
      J0: -> A; k0
      J1: A -> ; k*A
    end""") >= 0
    sbml = antimony.getSBMLString("relax")
    initial = Study.define(pathways.Model("relax", sbml=sbml, start="initial"), "A", "auc",
                           parameters=["k"], end_h=2)
    steady = Study.define(pathways.Model("relax", sbml=sbml), "A", "auc", parameters=["k"],
                          end_h=2)
    # A = 1 - e^-t from the file's A = 0: AUC over 2 h 2 - (1 - e^-2), trapezoids on the
    # 6-min grid 7e-4 below it (the steady state, A = 1, would give 2.0)
    assert initial.nominal_outputs[0] == pytest.approx(2 - (1 - np.exp(-2)), rel=1e-3)
    assert initial.fingerprint() != steady.fingerprint()
    study_module._MODELS.clear()                    # as in a fresh worker process
    worker = study_module.worker_model(initial.model)
    assert worker.start == "initial"
    assert initial.evaluate(worker, np.array([1.0]))[0] == pytest.approx(
        initial.nominal_outputs[0], rel=1e-9)
