"""Virtual populations (pathways.population): what is drawn, what a trial reads, bad inputs.

LIT-C3 (the response rates) is asserted in test_literature.py like every row.
"""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pathways
from pathways import PathwaysInputError, Regimen
from pathways import population as pop

HEADLINE = Regimen.infusion(0.5, 40)


@pytest.fixture(scope="module")
def human():
    return pathways.load("ketamine_synaptogenesis")


def test_genotypes_follow_hardy_weinberg_and_the_mean_clearance_is_the_models():
    s = pop.sample(40_000, seed=3)
    q = pop.CYP2B6.variant_frequency
    seen = s["CYP2B6"].value_counts(normalize=True)
    for name, expected in zip(("*1/*1", "*1/*6", "*6/*6"), ((1 - q) ** 2, 2 * q * (1 - q), q ** 2)):
        assert seen[name] == pytest.approx(expected, abs=0.01), name
    # Li 2015's ratios between genotypes are kept (68 : 41 : 22) ...
    by = s.groupby("CYP2B6")["CL_ket"].median()
    assert by["*1/*6"] / by["*1/*1"] == pytest.approx(41 / 68, rel=0.02)
    assert by["*6/*6"] / by["*1/*1"] == pytest.approx(22 / 68, rel=0.05)
    # ... and the genotype-mixed mean is the model's typical clearance (1x), up to the
    # log-normal's own mean exp(omega^2 / 2)
    assert s["CL_ket"].mean() == pytest.approx(math.exp(0.13 ** 2 / 2), rel=0.01)
    assert (s["CL_ket"] == s["CL_esk"]).all()           # one enzyme: one draw for both
    m = pop.BDNF_VAL66MET.variant_frequency
    seen = s["BDNF"].value_counts(normalize=True)
    for name, expected in zip(("Val/Val", "Val/Met", "Met/Met"),
                              ((1 - m) ** 2, 2 * m * (1 - m), m ** 2)):
        assert seen[name] == pytest.approx(expected, abs=0.01), name


def test_the_placebo_response_is_murroughs_midazolam_arm():
    s = pop.sample(40_000, seed=4)
    # -8.8 of 32 MADRS points; SD from t(24) = -4.63 with 25 patients
    assert s["placebo_pct"].mean() == pytest.approx(-27.5, abs=0.5)
    assert s["placebo_pct"].std() == pytest.approx(8.8 * 5 / 4.63 / 32 * 100, rel=0.02)


def test_the_same_seed_draws_the_same_subjects_and_another_seed_does_not():
    a, b, c = pop.sample(50, seed=7), pop.sample(50, seed=7), pop.sample(50, seed=8)
    assert a.equals(b) and not a.equals(c)


def test_a_subjects_drug_effect_is_the_model_run_with_its_clearance_and_genotype(human):
    """The trial's per-subject number against Model.effect run by hand (an independent path:
    the vehicle twin subtracted explicitly, the genotype preset named by hand), and the
    placebo added and floored as stated."""
    s = pop.sample(40, seed=11)
    het = int(np.flatnonzero(s["BDNF"] == "Val/Met")[0])
    res = pop.trial({"ketamine": HEADLINE, "vehicle": None}, s, model=human, progress=False)
    t = res.table.set_index(["arm", "subject"])
    for i in (0, het):
        cl = {"CL_ket": human.parameters["CL_ket"] * s.loc[i, "CL_ket"],
              "CL_esk": human.parameters["CL_esk"] * s.loc[i, "CL_esk"]}
        genotype = {"Val/Val": [], "Val/Met": [pathways.preset("bdnf_val66met")],
                    "Met/Met": [pathways.preset("bdnf_met66met")]}[s.loc[i, "BDNF"]]
        by_hand = human.effect(HEADLINE, 24, genotype, parameters=cl, points=[0, 24])
        assert t.loc[("ketamine", i), "drug_effect_pct"] == pytest.approx(
            by_hand["symptom_change_pct"].iloc[-1], abs=1e-6)
        assert t.loc[("vehicle", i), "drug_effect_pct"] == pytest.approx(0.0, abs=1e-6)
        total = t.loc[("ketamine", i), "drug_effect_pct"] + s.loc[i, "placebo_pct"]
        assert t.loc[("ketamine", i), "change_pct"] == pytest.approx(max(total, -100.0))
    assert (res.table["responder"] == (res.table["change_pct"] <= -50)).all()


def test_slower_clearance_gives_more_relief(human):
    """Mechanism, not a draw: a poor metaboliser (*6/*6) has more ketamine, more NMDAR
    block and more relief at 24 h than a *1/*1 subject."""
    s = pop.sample(200, seed=2)
    res = pop.trial({"ketamine": HEADLINE}, s, model=human, progress=False)
    by = res.table.groupby("CYP2B6")["drug_effect_pct"].mean()
    assert by["*6/*6"] < by["*1/*6"] < by["*1/*1"] < -10


def test_met_carriers_are_relieved_less(human):
    """Mechanism: less BDNF in the releasable pool, a smaller response (LIT-C8's direction),
    at the same clearance."""
    s = pop.sample(30, seed=12)
    s["CL_ket"] = s["CL_esk"] = 1.0
    s.loc[:, "BDNF"] = ["Val/Val", "Val/Met", "Met/Met"] * 10
    by = (pop.trial({"k": HEADLINE}, s, model=human, progress=False).table
          .groupby("BDNF")["drug_effect_pct"].agg(["mean", "std"]))
    assert by.loc["Val/Val", "mean"] < by.loc["Val/Met", "mean"] < by.loc[
        "Met/Met", "mean"] < 0
    assert (by["std"] < 1e-9).all()        # nothing else varied: one value per genotype


def test_an_edited_genotype_column_is_checked(human):
    s = pop.sample(3, seed=0)
    s.loc[1, "BDNF"] = "Val/Vel"
    with pytest.raises(PathwaysInputError, match="subject 1: unknown BDNF genotype 'Val/Vel'"):
        pop.trial({"k": HEADLINE}, s, model=human, progress=False)


def test_response_rates_carry_a_wilson_interval(human):
    s = pop.sample(40, seed=5)
    rates = pop.trial({"vehicle": None}, s, model=human, progress=False).response_rates()
    k = int((s["placebo_pct"] <= -50).sum())
    row = rates.loc["vehicle"]
    assert (row["responders"], row["n"]) == (k, 40)
    assert row["rate_pct"] == pytest.approx(100 * k / 40)
    z, p_hat = 1.959963984540054, k / 40          # the Wilson interval in closed form
    centre = (p_hat + z * z / 80) / (1 + z * z / 40)
    half = z / (1 + z * z / 40) * math.sqrt(p_hat * (1 - p_hat) / 40 + z * z / 6400)
    assert row["lo_pct"] == pytest.approx(100 * (centre - half), abs=1e-6)
    assert row["hi_pct"] == pytest.approx(100 * (centre + half), abs=1e-6)
    # the expected rate averages the placebo out: a vehicle subject responds with the chance
    # that a N(-27.5, 29.7) draw falls to -50% or below, whoever it is
    from statistics import NormalDist
    p = NormalDist(-27.5, 8.8 * 5 / 4.63 / 32 * 100).cdf(-50)
    assert row["expected_rate_pct"] == pytest.approx(100 * p, abs=0.05)


def test_each_subjects_response_probability_is_the_normal_tail(human):
    """Against statistics.NormalDist (not scipy): P(effect + placebo <= -50%) for a drug arm,
    so a sign error on the drug effect fails."""
    from statistics import NormalDist
    s = pop.sample(8, seed=13)
    t = pop.trial({"k": HEADLINE}, s, model=human, progress=False).table
    placebo = NormalDist(pop.MURROUGH_PLACEBO.mean_pct, pop.MURROUGH_PLACEBO.sd_pct)
    for _, r in t.iterrows():
        assert r["drug_effect_pct"] < -10
        assert r["response_probability"] == pytest.approx(
            placebo.cdf(-50 - r["drug_effect_pct"]), abs=1e-9)


def test_without_a_placebo_spread_a_response_is_the_drug_effect_alone(human):
    """No placebo term, and a placebo with no spread: responses are 0 or 1, decided by the
    drug effect (+ the fixed placebo) against the threshold, on both sides of it."""
    s = pop.sample(4, seed=1, variability=pop.Variability((pop.CYP2B6,), None))
    assert (s["placebo_pct"] == 0).all() and "CL_ket" in s
    effect = pop.trial({"k": HEADLINE}, s, model=human, progress=False).table["drug_effect_pct"]
    lo, hi = float(effect.min()), float(effect.max())
    for threshold, expected in ((lo - 0.01, 0.0), (hi + 0.01, 100.0)):
        r = pop.trial({"k": HEADLINE}, s, model=human, response_pct=threshold,
                      progress=False).response_rates().loc["k"]
        assert r["rate_pct"] == r["expected_rate_pct"] == expected
    fixed = pop.Variability((pop.CYP2B6,), pop.PlaceboResponse(-20.0, 0.0, 24.0, "s"))
    s = pop.sample(4, seed=1, variability=fixed)
    assert (s["placebo_pct"] == -20.0).all()
    r = pop.trial({"k": HEADLINE}, s, model=human, response_pct=hi - 20 + 0.01,
                  progress=False).response_rates().loc["k"]
    assert r["rate_pct"] == r["expected_rate_pct"] == 100.0


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, "n must be an integer from 1 to 100000"),
    ({"n": 2.5}, "n must be an integer"),
    ({"n": True}, "n must be an integer"),
    ({"n": 10, "seed": -1}, "seed must be a non-negative integer"),
    ({"n": 10, "variability": "human"}, "variability must be a pathways.population.Variability"),
])
def test_bad_samples_are_refused(kwargs, message):
    with pytest.raises(PathwaysInputError, match=message):
        pop.sample(**kwargs)


@pytest.mark.parametrize("make, message", [
    (lambda: pop.LogNormal(("CL_ket",), -0.1, "s"), r"LogNormal omega must be in \[0, 2\]"),
    (lambda: pop.LogNormal((), 0.1, "s"), "non-empty tuple of parameter ids"),
    (lambda: pop.Genotype("G", "*1", "*2", 1.5, "s", (1, 1, 1), ("CL_ket",)),
     r"G variant_frequency must be in \[0, 1\]"),
    (lambda: pop.Genotype("G", "*1", "*2", 0.2, "s", (1, 0, 1), ("CL_ket",)),
     "three positive numbers"),
    (lambda: pop.Genotype("G", "*1", "*2", 0.2, "s"), "give either relative and parameters"),
    (lambda: pop.Genotype("G", "*1", "*2", 0.2, "s", presets=(None, "nope", None)),
     "unknown preset 'nope'; valid: "),
    (lambda: pop.Genotype("G", "*1", "*2", 0.2, "s", presets=(None, "rapamycin", None)),
     "preset 'rapamycin' is acute; a genotype needs a chronic one"),
    (lambda: pop.PlaceboResponse(-20, -1, 24, "s"),
     r"placebo sd_pct must be in \[0, 100\] \(in %\)"),
    (lambda: pop.PlaceboResponse(-20, 10, 24, None), "placebo source must be a non-empty"),
    (lambda: pop.Variability(("CL_ket",), None), "entries are Genotype or LogNormal"),
    (lambda: pop.Variability(pop.CYP2B6, None), "entries must be a tuple"),
    (lambda: pop.Variability((pop.CYP2B6, pop.CYP2B6), None), "one entry twice: genotype:CYP2B6"),
    (lambda: pop.Variability((pop.CYP2B6,), None, species="dog"), "unknown species 'dog'"),
    (lambda: pop.Variability((pop.CYP2B6, pop.Genotype("CL_ket", "a", "b", 0.1, "s",
                                                       presets=(None, None, None))), None),
     "'CL_ket' is both a gene and a parameter"),
    (lambda: pop.LogNormal(("CL_ket", "CL_ket"), 0.1, "s"), "name one id twice"),
    (lambda: pop.LogNormal(("placebo_pct",), 0.1, "s"), "is a column name trials use"),
    (lambda: pop.Genotype("arm", "a", "b", 0.1, "s", presets=(None, None, None)),
     "gene 'arm' is a column name trials use"),
    (lambda: pop.Genotype("G", "a", "a", 0.1, "s", presets=(None, None, None)),
     "reference and variant alleles are both 'a'"),
    (lambda: pop.Genotype("G", "a", "b", 0.1, None, presets=(None, None, None)),
     "G source must be a non-empty string"),
    (lambda: pop.Genotype("G", "a/b", "c", 0.1, "s", presets=(None, None, None)),
     "reference allele 'a/b' must have no '/' or spaces"),
])
def test_bad_variability_is_refused(make, message):
    with pytest.raises(PathwaysInputError, match=message):
        make()


def test_bad_trials_are_refused(human):
    s = pop.sample(3, seed=0)
    with pytest.raises(PathwaysInputError, match="arms must be a non-empty dict"):
        pop.trial({}, s, model=human)
    with pytest.raises(PathwaysInputError, match="arm 'k': a Regimen or None"):
        pop.trial({"k": 0.5}, s, model=human)
    for start in (-24, 12):          # every arm is read at_h after time 0, its start
        with pytest.raises(PathwaysInputError, match=f"arm 'k' starts at {start} h"):
            pop.trial({"k": Regimen.infusion(0.5, 40, at_h=start)}, s, model=human)
    with pytest.raises(PathwaysInputError, match="model must be a pathways.Model"):
        pop.trial({"k": HEADLINE}, s, model="ketamine_synaptogenesis")
    with pytest.raises(PathwaysInputError, match="subjects must be the DataFrame"):
        pop.trial({"k": HEADLINE}, [1, 2], model=human)
    with pytest.raises(PathwaysInputError, match=r"at_h must be in \(0, 8760\] \(in h\)"):
        pop.trial({"k": HEADLINE}, s, model=human, at_h=0)
    with pytest.raises(PathwaysInputError, match="placebo response is for 24 h .*at 168 h"):
        pop.trial({"k": HEADLINE}, s, model=human, at_h=168)
    with pytest.raises(PathwaysInputError, match=r"response_pct must be in \[-100, 0\) \(in %\)"):
        pop.trial({"k": HEADLINE}, s, model=human, response_pct=50)
    with pytest.raises(PathwaysInputError, match="drawn for species 'human', the model is 'rat'"):
        pop.trial({"k": HEADLINE}, s, model=pathways.load("ketamine_synaptogenesis", "rat"))
    with pytest.raises(PathwaysInputError, match="no parameter 'CL_ket'"):
        pop.trial({"k": HEADLINE}, s, model=pathways.load("nmda_blockade"))
    with pytest.raises(PathwaysInputError, match=r"confidence must be in \(0, 1\)"):
        pop.trial({"k": None}, s, model=human, progress=False).response_rates(confidence=1)


def test_subjects_that_lost_their_metadata_or_got_bad_values_are_refused(human, tmp_path):
    """A CSV round trip loses DataFrame.attrs: without it every subject would silently be
    the typical one; NaN or zero multipliers and NaN placebo draws name the subject."""
    s = pop.sample(4, seed=0)
    s.to_csv(tmp_path / "s.csv")
    with pytest.raises(PathwaysInputError, match="with its metadata .*CSV round trip"):
        pop.trial({"k": HEADLINE}, pd.read_csv(tmp_path / "s.csv", index_col=0), model=human)
    for col, value, message in (("CL_ket", 0.0, "subject 2: CL_ket must be a positive finite"),
                                ("CL_esk", np.nan, "subject 2: CL_esk must be a positive"),
                                ("placebo_pct", np.nan, "subject 2: placebo_pct must be finite")):
        bad = s.copy()
        bad.loc[2, col] = value
        with pytest.raises(PathwaysInputError, match=message):
            pop.trial({"k": HEADLINE}, bad, model=human)
    with pytest.raises(PathwaysInputError, match="subjects is empty"):
        pop.trial({"k": HEADLINE}, s.iloc[:0], model=human)
    with pytest.raises(PathwaysInputError, match="subject 0 appears twice"):
        pop.trial({"k": HEADLINE}, pd.concat([s, s]), model=human)   # concat keeps attrs
    bad = s.copy()
    bad["CL_ket"] = "abc"
    with pytest.raises(PathwaysInputError, match="CL_ket column must hold numbers"):
        pop.trial({"k": HEADLINE}, bad, model=human)
    bad = s.copy()
    bad["CL_ket"] = True          # was read as a multiplier of 1
    with pytest.raises(PathwaysInputError, match="CL_ket column must hold numbers, not True"):
        pop.trial({"k": HEADLINE}, bad, model=human)
    bad = s.copy()
    bad["arm"] = "x"
    with pytest.raises(PathwaysInputError, match="a column 'arm', a name trial results use"):
        pop.trial({"k": HEADLINE}, bad, model=human)
    bad = s.copy()
    bad.loc[3, "CYP2B6"] = "*9/*9"           # a label, but it must be one of the genotypes
    with pytest.raises(PathwaysInputError, match=r"subject 3: unknown CYP2B6 genotype '\*9/\*9'"):
        pop.trial({"k": HEADLINE}, bad, model=human)


def test_subjects_with_any_unique_index_keep_their_ids_and_presets(human):
    """Shuffled and renamed ids: each subject keeps its own genotype preset, and the result
    names it in a `subject` column."""
    s = pop.sample(6, seed=21)
    shuffled = s.iloc[::-1].rename(index=lambda i: f"p{i}").rename_axis(None)
    a = pop.trial({"k": HEADLINE}, s, model=human, progress=False).table
    b = pop.trial({"k": HEADLINE}, shuffled, model=human, progress=False).table
    assert list(b["subject"]) == [f"p{i}" for i in range(5, -1, -1)]
    assert np.allclose(b["drug_effect_pct"].to_numpy()[::-1], a["drug_effect_pct"])


def test_an_entry_draws_the_same_values_whatever_else_the_population_holds():
    alone = pop.sample(50, seed=3, variability=pop.Variability((pop.CYP2B6,),
                                                               pop.MURROUGH_PLACEBO))
    more = pop.sample(50, seed=3)
    assert (alone["CYP2B6"] == more["CYP2B6"]).all()
    assert np.array_equal(alone["placebo_pct"], more["placebo_pct"])


def test_the_rates_move_with_the_threshold(human):
    """A stricter response threshold can only lower a rate (the same subjects)."""
    s = pop.sample(60, seed=9)
    loose = pop.trial({"k": HEADLINE}, s, model=human, response_pct=-30, progress=False)
    strict = pop.trial({"k": HEADLINE}, s, model=human, response_pct=-70, progress=False)
    assert (strict.response_rates().loc["k", "rate_pct"]
            < loose.response_rates().loc["k", "rate_pct"])
    assert np.array_equal(strict.table["change_pct"], loose.table["change_pct"])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 2 ** 32),
       q=st.floats(0.0, 1.0), omega=st.floats(0.0, 2.0),
       rel=st.tuples(*[st.floats(1e-3, 1e3)] * 3),
       mean=st.floats(-100, 100), sd=st.floats(0, 100))
def test_any_valid_variability_draws_finite_positive_subjects(n, seed, q, omega, rel, mean, sd):
    """Whatever valid entries are given: multipliers finite and > 0, genotypes among the
    three names, placebo draws finite, the metadata a trial needs attached."""
    v = pop.Variability((pop.Genotype("G", "a", "b", q, "s", rel, ("CL_ket",)),
                         pop.LogNormal(("CL_ket", "CL_esk"), omega, "s")),
                        pop.PlaceboResponse(mean, sd, 24.0, "s"))
    s = pop.sample(n, seed, v)
    assert len(s) == n and set(s["G"]) <= {"a/a", "a/b", "b/b"}
    folds = s[["CL_ket", "CL_esk"]].to_numpy()
    assert np.isfinite(folds).all() and (folds > 0).all()
    assert np.isfinite(s["placebo_pct"]).all()
    assert s.attrs["parameters"] == ["CL_ket", "CL_esk"] and s.attrs["placebo"].at_h == 24.0


def test_peaks_are_the_largest_values_of_each_subjects_own_run(human):
    """Against Model.simulate run by hand on the same 1-min grid, with the subject's clearance
    and genotype preset; and slower metabolisers dissociate more (mechanism)."""
    s = pop.sample(3, seed=14)
    t = pop.trial({"k": HEADLINE}, s, model=human, progress=False,
                  peaks=("dissociation_score", "sbp_change_mmHg")).table
    for i in range(3):
        cl = {p: human.parameters[p] * s.loc[i, p] for p in ("CL_ket", "CL_esk")}
        genotype = {"Val/Val": [], "Val/Met": [pathways.preset("bdnf_val66met")],
                    "Met/Met": [pathways.preset("bdnf_met66met")]}[s.loc[i, "BDNF"]]
        run = human.simulate(HEADLINE, 24, genotype, cl, points=np.linspace(0, 24, 1441))
        for r in ("dissociation_score", "sbp_change_mmHg"):
            assert t.loc[i, f"{r}_peak"] == pytest.approx(run[r].max(), rel=1e-9), r
    slow, fast = (t.loc[t["CL_ket"].idxmin()], t.loc[t["CL_ket"].idxmax()])
    assert slow["dissociation_score_peak"] > fast["dissociation_score_peak"] > 1
    units = pop.column_units(pop.trial({"k": HEADLINE}, s.iloc[:1], model=human,
                                       peaks=("sbp_change_mmHg",), progress=False))
    assert units["sbp_change_mmHg_peak"][0] == "mmHg"


@pytest.mark.parametrize("peaks, message", [
    ("dissociation_score", "peaks must be a tuple of readout names"),
    (("nope",), "unknown readout in peaks 'nope'; valid: "),
])
def test_bad_peaks_are_refused(human, peaks, message):
    with pytest.raises(PathwaysInputError, match=message):
        pop.trial({"k": HEADLINE}, pop.sample(2, seed=0), model=human, peaks=peaks)


def test_a_trial_gives_the_same_table_on_every_engine(human):
    """Subjects run on two worker processes (a dask LocalCluster) give the serial table to
    the bit: each worker builds its own model, and a subject's pre-dose steady state does
    not depend on which subjects ran before it in that process."""
    s = pop.sample(6, seed=4)
    arms = {"k": HEADLINE, "v": None}
    kwargs = dict(model=human, peaks=("dissociation_score",), progress=False)
    serial = pop.trial(arms, s, **kwargs)
    local = pop.trial(arms, s, engine="local", workers=2, **kwargs)
    pd.testing.assert_frame_equal(local.table, serial.table, check_exact=True)


def test_a_failing_subject_names_itself_and_its_arm_on_any_engine(human, monkeypatch):
    """A solver failure in one subject stops the trial with that subject's own error."""
    from pathways import SimulationError
    s = pop.sample(5, seed=2)
    worst = int(s["CL_ket"].to_numpy().argmax())
    limit = human.parameters["CL_ket"] * s["CL_ket"].max()
    real = human.simulate_arrays

    def fails_for_the_fastest_clearance(regimen, *args, parameters=None, **kw):
        if regimen is not None and parameters["CL_ket"] >= limit:
            raise SimulationError("CVODE error: too much work")
        return real(regimen, *args, parameters=parameters, **kw)

    monkeypatch.setattr(human, "simulate_arrays", fails_for_the_fastest_clearance)
    with pytest.raises(SimulationError,
                       match=rf"^subject {worst}, arm 'k': CVODE error: too much work$"):
        pop.trial({"v": None, "k": HEADLINE}, s, model=human, progress=False, engine="serial")
    with pytest.raises(PathwaysInputError, match="unknown engine 'nope'"):
        pop.trial({"v": None}, s, model=human, engine="nope")
    with pytest.raises(PathwaysInputError, match="workers is for a local cluster"):
        pop.trial({"v": None}, s, model=human, engine="serial", workers=2)


def test_a_lost_cluster_batch_is_reported_for_the_trial(human):
    """A worker that dies is the cluster's failure, not a subject's: the message names the
    batch's first subject and does not point at a sensitivity study's out_dir/resume."""
    from pathways import SimulationError
    from pathways.sensitivity.engines import ClusterLostBatch

    class DyingEngine:
        workers = 2

        def map(self, task, parts):
            raise ClusterLostBatch(parts[0][0], "KilledWorker: worker died")
            yield

    s = pop.sample(3, seed=1).set_axis([11, 12, 13])
    with pytest.raises(SimulationError, match=r"^the dask cluster lost the batch of subjects "
                       r"from subject 11 \(KilledWorker: worker died\); run the trial again$"):
        pop.trial({"v": None}, s, model=human, engine=DyingEngine())
