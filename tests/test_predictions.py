"""Published results outside LITERATURE.md, as predictions of the composed model (human
unless a test names the species; nothing was fitted to them). Where the model disagrees the test is a strict xfail that says
why, so a change that makes it agree is noticed."""
import pytest

import pathways
from pathways import Regimen, overexpress

KETAMINE = Regimen.infusion(0.5, minutes=40)
MIDAZOLAM = Regimen.infusion(0.045, minutes=40, drug="midazolam")


@pytest.fixture(scope="module")
def human():
    return pathways.load("ketamine_synaptogenesis", species="human")


@pytest.fixture(scope="module")
def serial():
    """The functions and constants of experiments/serial_dosing_trials.py."""
    return _experiment("serial_dosing_trials")


@pytest.fixture(scope="module")
def clinical():
    """The regimens of experiments/clinical_predictions.py (one definition of each trial)."""
    return _experiment("clinical_predictions")


def _effect(model, regimen, t_h, perturbations=(), reference=None):
    """Symptom change (percentage points) of `regimen` at t_h against vehicle
    (`Model.effect`), or against `reference` when given, both under the perturbations."""
    def at_end(r):
        out = model.effect(r, t_h, perturbations, points=[0.0, t_h])
        return float(out["symptom_change_pct"].iloc[-1])
    return at_end(regimen) - (at_end(reference) if reference is not None else 0.0)


def test_fava2018_standard_and_high_doses_beat_midazolam_at_day_1(human):
    """Fava 2018 (Mol Psychiatry 2020;25:1592): 0.5 and 1.0 mg/kg superior to midazolam after
    adjustment, read with LITERATURE.md's improvement threshold (-10% of baseline)."""
    for dose in (0.5, 1.0):
        assert _effect(human, Regimen.infusion(dose, minutes=40), 24.0,
                       reference=MIDAZOLAM) <= -10.0, dose


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model's response is graded with dose: 0.2 mg/kg gives -11.7% "
                   "vs midazolam at day 1, past the -10% line, where Fava 2018 (n = 20 per "
                   "arm) found it not superior")
def test_fava2018_low_dose_is_not_superior_to_midazolam(human):
    assert _effect(human, Regimen.infusion(0.2, minutes=40), 24.0,
                   reference=MIDAZOLAM) > -10.0


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="Fava 2018 (abstract): most of the effect was due to differences at "
                   "day 1 (read here as less than half of it left at day 3); the model keeps "
                   "about 80% of the day-1 effect at day 3 at every dose, because days 1-3 are "
                   "carried by new protein and spines that decay over days")
def test_fava2018_effect_is_mostly_gone_by_day_3(human):
    for dose in (0.5, 1.0):
        regimen = Regimen.infusion(dose, minutes=40)
        day1 = _effect(human, regimen, 24.0, reference=MIDAZOLAM)
        day3 = _effect(human, regimen, 72.0, reference=MIDAZOLAM)
        assert day3 / day1 < 0.5, (dose, day1, day3)


def test_intranasal_esketamine_twice_weekly_has_an_ascending_dose_response(human):
    """Daly 2018 (JAMA Psychiatry 75:139): intranasal esketamine 28, 56 or 84 mg twice weekly
    (days 1 and 4); at day 8 significant improvement from 28 to 84 mg with a significant
    ascending dose-response relationship. Read with LITERATURE.md's -10% line."""
    def course(mg):
        dose = Regimen.bolus(mg, "intranasal", drug="esketamine", unit="mg")
        return dose + Regimen.bolus(mg, "intranasal", drug="esketamine", unit="mg", at_h=72.0)
    day8 = [_effect(human, course(mg), 168.0) for mg in (28, 56, 84)]
    assert day8[0] <= -10.0 and day8[0] > day8[1] > day8[2], day8


def test_benzodiazepine_use_blunts_the_day_1_response_more_at_higher_doses(human):
    """Feeney 2022 (J Clin Psychiatry, RAPID trial, n = 99): the concomitant benzodiazepine
    dose lowered the HDRS-6 response at day 1; Andrashko 2020 (Front Psychiatry 11:844):
    non-responders took more (> 8 mg diazepam equivalent). In the model chronic GABA-A
    potentiation lowers pyramidal disinhibition, hence the glutamate burst and BDNF release."""
    day1 = [_effect(human, KETAMINE, 24.0, [overexpress("GABAAR", fold)] if fold > 1 else [])
            for fold in (1.0, 1.5, 2.0)]
    assert day1[0] < day1[1] < day1[2] < 0.0, day1
    assert day1[2] / day1[0] < 0.9, day1           # a visible blunting, not noise


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="RAPID found no benzodiazepine effect at day 3; in the model the relative blunting at day 3 (2-fold GABA-A drive: 0.78 of "
                   "control) is as large as at day 1 (0.76), because days 1-3 are carried by "
                   "the same synaptic drive")
def test_benzodiazepine_blunting_is_gone_by_day_3(human):
    control = _effect(human, KETAMINE, 72.0)
    blunted = _effect(human, KETAMINE, 72.0, [overexpress("GABAAR", 2.0)])
    assert blunted / control > 0.9


def test_intranasal_racemic_ketamine_relieves_at_24_h_with_mild_side_effects(human, clinical):
    """Lapidus 2014 (Biol Psychiatry 76:970, crossover, n = 18): ketamine hydrochloride 50 mg
    intranasal (five 10-mg applications 5 min apart) improved MADRS at 24 h against saline
    (7.6 points, 95% CI 3.9-11.3), with minimal dissociation and no clinically significant
    haemodynamic change. Read as <= -10% at 24 h, and side-effect peaks below half of those
    of 0.5 mg/kg IV over 40 min in the same model."""
    nasal = clinical["nasal_lapidus"]()
    assert _effect(human, nasal, 24.0) <= -10.0
    side = ["dissociation_score", "sbp_change_mmHg"]
    minutes = [m / 60 for m in range(361)]        # a grid that holds the IV peak at 40 min
    peak_nasal = human.simulate(nasal, 6.0, points=minutes)[side].max()
    peak_iv = human.simulate(KETAMINE, 6.0, points=minutes)[side].max()
    assert (peak_nasal < 0.5 * peak_iv).all(), (peak_nasal.to_dict(), peak_iv.to_dict())


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="esketamine 0.25 mg/kg gives 0.60 of racemic 0.5 mg/kg's relief at "
                   "24 h (-13.8 vs -23.0%): half the dose at 1.6 times the racemate's potency "
                   "(Sinner 2005) and a higher clearance (109 vs 79 L/h, Perez-Ruixo 2021) "
                   "give less NMDAR block (interneuron peak 0.46 vs 0.61), and the model's "
                   "response is graded with block; Correia-Melo 2020 found the two similar "
                   "(0.92 +- 0.17, placebo response included: the model is 2.0 standard "
                   "errors below, on the lower edge of the trial's 95% interval; with a "
                   "shared placebo response of 5-8 points removed, 0.8-1.3 below, so the "
                   "disagreement is weak)")
def test_esketamine_quarter_mg_per_kg_is_non_inferior_to_racemic_half(human, clinical):
    """Correia-Melo 2020 (J Affect Disord 264:527, n = 63, no placebo arm): IV over 40 min,
    esketamine 0.25 mg/kg non-inferior to racemic ketamine 0.5 mg/kg at 24 h; MADRS 33 ->
    17.5 (SD 12.2, 34 patients) and 33 -> 16.2 (SD 10.7, 29), a ratio of changes of 0.92
    with a standard error of 0.17 (a shared placebo response of 5-8 points would put the
    drug ratio at 0.85-0.89). Read with Singh 2016's rule, one standard error, one-sided
    as non-inferiority is: the model's ratio at least the trial's less one standard
    error."""
    published, se = clinical["correia_melo_published_ratio"]()
    esketamine = _effect(human, Regimen.infusion(0.25, minutes=40, drug="esketamine"), 24.0)
    racemic = _effect(human, KETAMINE, 24.0)
    assert esketamine / racemic >= published - se, (esketamine, racemic, published, se)


@pytest.fixture(scope="module")
def dissociation_relief(clinical):
    """The Correia-Melo arms on 300 virtual subjects: slopes of the 24-h MADRS change on the
    dissociation peak (MADRS points per CADSS point) and each arm's CADSS mean and SD."""
    return clinical["dissociation_relief_slopes"](n=300, seed=0)


def test_more_dissociation_goes_with_more_relief(dissociation_relief, clinical):
    """Echegaray 2025 (Trends Psychiatry Psychother; the Correia-Melo trial's 61 patients,
    both arms) and Niciu et al. (J Affect Disord, n = 126, 0.5 mg/kg IV): a higher CADSS
    score at 40 min went with a larger fall of the depression score at 24 h. In the model
    both follow the same exposure (brain ketamine -> interneuron NMDAR block), so within
    each arm and pooled the slope is negative, and the esketamine arm, with less block,
    dissociates less. The size is not compared (README, *Beyond LITERATURE.md*): the
    model's CADSS points are the scale maximum times the pore block, an assumed
    proportionality no row calibrates, and the pooled slope is mostly the arms' difference,
    which follows the esketamine/racemic relief ratio that the Correia-Melo test finds too
    low."""
    slopes = dissociation_relief
    for key in ("pooled", clinical["ESKETAMINE"], clinical["RACEMIC"]):
        assert slopes[key] < 0.0, (key, slopes[key])
    cadss = slopes["cadss"]
    assert cadss[clinical["ESKETAMINE"]][0] < cadss[clinical["RACEMIC"]][0], cadss
    # why the size is not compared: the pooled slope is mostly the arms' difference
    assert slopes["between_arms"] / slopes["pooled"] > 0.5, slopes


@pytest.fixture(scope="module")
def side_effects(clinical):
    """400 virtual subjects given 0.5 mg/kg IV over 40 min: the rank correlations of their
    side-effect and plasma peaks with the 24-h drug effect, and how often 24-h trials drawn
    from them (fresh placebo draws) show the published nulls."""
    table = clinical["side_effects_and_relief"](n=400, seed=0)
    return (clinical["rank_correlations"](table),
            clinical["published_patterns"](table, draws=2000, seed=0))


def test_neither_plasma_ketamine_nor_side_effects_need_predict_24h_relief(side_effects):
    """PMC6746183 (a post hoc study of a suicidal-depression trial, N = 53): plasma ketamine
    after the infusion was not associated with the 24-h change in depression (unadjusted
    p > 0.28); Luckenbaugh 2014 (J Affect Disord, PMC4065787; 108 inpatients): at day 1
    neither the CADSS rise nor the blood-pressure change predicted the HDRS change (only at
    230 min and day 7 did CADSS). In the model more exposure gives more relief, but the
    placebo spread dilutes it; read as agreeing when at least 5% of trials of those sizes
    drawn from the virtual population show each null."""
    correlations, patterns = side_effects
    assert correlations["ketamine_plasma"] < 0.0, correlations
    assert patterns["plasma_null"] >= 0.05, patterns
    assert patterns["day1_null"] >= 0.05, patterns


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="in the model dissociation and the blood-pressure rise are both "
                   "readouts of exposure (clearance is all that varies them between subjects, "
                   "with the BDNF genotype acting on relief only): they rank the subjects "
                   "identically, so at any time and in any sample they predict relief equally; "
                   "no between-subject variation of dissociative or pressor sensitivity is "
                   "modelled (no source for its size)")
def test_dissociation_predicts_relief_better_than_blood_pressure(side_effects):
    """Luckenbaugh 2014 (108 inpatients, 0.5 mg/kg IV): a larger CADSS rise at 40 min went
    with more improvement at 230 min (r = -0.35) and day 7 (r = -0.41), while the systolic
    and diastolic pressure and pulse changes predicted it at no time. Read as the blood-
    pressure rise ranking the subjects' relief less closely than dissociation does."""
    correlations, _ = side_effects
    assert correlations["dissociation_vs_sbp"] > 0.99, correlations   # the reason, checked
    assert abs(correlations["sbp_change_mmHg"]) < abs(correlations["dissociation_score"]), \
        correlations


@pytest.mark.parametrize("function, kwargs, message", [
    ("dissociation_relief_slopes", {"n": 2}, "n must be an integer >= 3"),
    ("dissociation_relief_slopes", {"n": 10.0}, "n must be an integer >= 3"),
    ("singh_ratio_interval", {"draws": 0}, "draws must be an integer >= 1000"),
    ("side_effects_and_relief", {"n": 5}, "n must be an integer >= 10"),
])
def test_the_prediction_helpers_refuse_bad_sizes(clinical, function, kwargs, message):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match=message):
        clinical[function](**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"infusions": 0}, "infusions must be an integer from 1 to 8"),
    ({"infusions": 9}, "infusions must be an integer from 1 to 8"),
    ({"infusions": 2.0}, "infusions must be an integer from 1 to 8"),
])
def test_karma_difference_refuses_a_bad_infusion_count(human, serial, kwargs, message):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match=message):
        serial["karma_difference"](human, **kwargs)


@pytest.mark.parametrize("function, kwargs", [("karma_difference", {}),
                                              ("transform2_change", {"mg": 56}),
                                              ("phillips_first_and_sixth", {}),
                                              ("suicidality_change", {"read_h": 24.0})])
def test_the_serial_dosing_helpers_refuse_a_non_model(serial, function, kwargs):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match="model must be a pathways.Model"):
        serial[function](None, **kwargs)


@pytest.mark.parametrize("mg", [14, 112, True, "56"])
def test_transform2_change_refuses_a_dose_outside_the_trials(human, serial, mg):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match="mg must be an intranasal esketamine dose"):
        serial["transform2_change"](human, mg)


@pytest.mark.parametrize("columns, rows, kwargs, message", [
    ("all", 400, {"draws": 10}, "draws must be an integer >= 100"),
    ("all", 400, {"draws": 100.0}, "draws must be an integer >= 100"),
    ("all", 400, {"seed": 1.5}, "seed must be an integer"),
    ("all", 5, {}, "the table holds 5 subjects; at least 10 needed"),
    ("change_pct", 400, {}, "the table has no column 'drug_effect_pct'"),
])
def test_published_patterns_refuse_bad_draws_seeds_and_tables(clinical, columns, rows, kwargs,
                                                             message):
    import pandas as pd

    from pathways.errors import PathwaysInputError
    names = (["drug_effect_pct"] + [f"{r}_peak" for r in clinical["SIDE_EFFECT_PEAKS"]]
             if columns == "all" else [columns])
    table = pd.DataFrame({c: [0.0] * rows for c in names})
    with pytest.raises(PathwaysInputError, match=message):
        clinical["published_patterns"](table, **kwargs)
    if columns != "all":
        with pytest.raises(PathwaysInputError, match=message):
            clinical["rank_correlations"](table)


@pytest.fixture(scope="module")
def singh2016(human, clinical):
    """Symptom change (% of baseline) on the mornings of days 2-15 (before that day's
    infusion) for the two schedules of experiments/clinical_predictions.py."""
    mornings = [24.0 * d for d in range(1, 15)]
    return {name: human.simulate(clinical["infusions_on"](clinical[days]), mornings[-1],
                                 points=[0.0, *mornings])["symptom_change_pct"].loc[mornings]
            for name, days in (("twice", "SINGH_TWICE"), ("thrice", "SINGH_THRICE"))}


def test_twice_and_thrice_weekly_infusions_maintain_relief_over_15_days(singh2016):
    """Singh 2016 (Am J Psychiatry 173:816, n = 67): ketamine 0.5 mg/kg twice or thrice weekly
    maintained the antidepressant effect over 15 days (MADRS change at day 15 -18.4 and -17.7,
    placebo -5.7 and -3.1). Read as every daily rating at or below -10%."""
    for name, daily in singh2016.items():
        assert (daily <= -10.0).all(), (name, daily.round(1).tolist())


def test_thrice_over_twice_weekly_relief_is_within_one_se_of_singh_2016(singh2016, clinical):
    """Singh 2016 found the two schedules similar at day 15: placebo-corrected MADRS changes
    -14.6 and -12.7 points, a ratio of 1.15 with a standard error of 0.39 (abstract SDs, ~17
    patients an arm). The model adds relief up (one infusion's relief outlasts the 2-4 days
    to the next and nothing saturates it), so it predicts 1.49 times, a larger gain from the
    third weekly infusion than the trial's estimate but within one standard error of it:
    the trial could not tell them apart (a symmetric band; the ratio's distribution is
    skewed, a simulated 68% interval is 0.84-1.69, and the verdict holds either way). Fails
    if the model's ratio leaves that range."""
    published, se = clinical["singh_published_ratio"]()
    ratio = singh2016["thrice"].iloc[-1] / singh2016["twice"].iloc[-1]
    assert abs(ratio - published) <= se, (ratio, published, se)
    lo, hi = clinical["singh_ratio_interval"]()
    assert lo < ratio < hi, (ratio, lo, hi)
    from pathlib import Path
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    assert f"a simulated 68% interval is {lo:.2f}–{hi:.2f}" in readme, (lo, hi)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model has no lasting tolerance: dissociation follows the "
                   "interneuron pore block, which follows brain ketamine, and each infusion "
                   "gives the same brain ketamine (the previous one is cleared within a day), "
                   "so the peak is 5.69 points at the first infusion and 5.70 at the sixth. "
                   "Attenuation over days needs a tolerance that outlasts the 2-3 days between "
                   "doses (not the acute tolerance or threshold LIT-C5 lacks, which would not "
                   "reach a dose 48 h later), and none has a sourced size")
def test_dissociation_attenuates_over_repeated_infusions(human, clinical):
    """Singh 2016: over repeated 0.5 mg/kg infusions, dissociative symptoms 'attenuated with
    repeated dosing' (abstract, both schedules together; no number given). Tested on the
    thrice-weekly schedule, read as the last infusion's peak at least 10% below the first's,
    both on a 1-min grid over the 2 h after each start."""
    days = clinical["SINGH_THRICE"]
    starts = [24.0 * (d - 1) for d in (days[0], days[-1])]
    minutes = sorted({round(t + m / 60, 6) for t in starts for m in range(121)})
    out = human.simulate(clinical["infusions_on"](days), minutes[-1], points=minutes)
    first, last = (float(out["dissociation_score"].loc[t:t + 2.0].max()) for t in starts)
    assert last <= 0.9 * first, (first, last)


def test_six_thrice_weekly_infusions_build_on_each_other(human, serial):
    """Phillips 2019 (Am J Psychiatry 176:401; 41 patients with TRD): six open-label ketamine
    infusions thrice weekly over 2 weeks had cumulative antidepressant effects and doubled
    the response rate (59% responders after them). Read as the change a day after the
    sixth infusion exceeding the change a day after the first by at least LITERATURE.md's
    improvement threshold (10 percentage points). The model's build-up is the same one that
    fails the controlled twice-weekly trials below (KARMA-Dep 2, TRANSFORM-2); this phase
    was open label."""
    first, sixth = serial["phillips_first_and_sixth"](human)
    assert first <= -10.0 and sixth <= first - 10.0, (first, sixth)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="in the model each infusion's new spines outlast the 3-4 days to the "
                   "next, so twice-weekly relief builds over the first infusions to about twice "
                   "a single infusion's (-24% against midazolam): 24 h after the last of four "
                   "to eight it is -43 to -48% of the pre-dose score, -9.5 MADRS points after "
                   "eight even at the lowest baseline the trial admitted, just below its 95% "
                   "interval (-8.5; 0.5 points of it are the model's midazolam worsening) and "
                   "far below at any likelier baseline (-14.3 at 30); no placebo term is "
                   "modelled, but the comparison with midazolam cancels a shared one")
def test_serial_ketamine_infusions_are_not_better_than_midazolam_in_inpatients(human, serial):
    """KARMA-Dep 2 (Jelovac 2025 JAMA Psychiatry, NCT04939649; 62 inpatients analysed): up to
    eight twice-weekly infusions of ketamine 0.5 mg/kg or midazolam 0.045 mg/kg beside usual
    care; the MADRS change to 24 h after the last infusion differed by -3.16 points (95% CI
    -8.54 to 2.22). Read as the model's difference after eight infusions, converted at the
    inclusion threshold (MADRS 20, the smallest baseline and so the smallest difference in
    points; the mean baseline was not retrieved), lying within that interval."""
    _, lo, hi = serial["KARMA_PUBLISHED"]
    points = serial["karma_difference"](human) * serial["KARMA_MIN_BASELINE"] / 100.0
    assert lo <= points <= hi, points


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="as for KARMA-Dep 2: each dose's new spines outlast the 3-4 days to "
                   "the next, so twice-weekly relief builds up (-23% at day 8, -36.5% at day 28 "
                   "with 56 mg); -10.2 MADRS points even at the inclusion threshold of 28, "
                   "below the trial's 95% interval (-7.3), and -13.5 at the trials' mean "
                   "baseline of about 37; the new oral antidepressant of both arms is not "
                   "modelled")
def test_twice_weekly_intranasal_esketamine_for_4_weeks_matches_transform_2(human, serial):
    """TRANSFORM-2 (Popova 2019 Am J Psychiatry 176:428): esketamine nasal spray 56 or 84 mg
    twice weekly plus a newly started oral antidepressant, against placebo spray plus one:
    MADRS change at day 28 better by 4.0 points (SE 1.69; 95% CI -7.31 to -0.64). Read as
    the model's day-28 change at 56 mg (the smaller option, so the smaller change),
    converted at the inclusion threshold (MADRS 28, the smallest baseline), lying within
    that interval."""
    _, lo, hi = serial["TRANSFORM2_PUBLISHED"]
    points = serial["transform2_change"](human, 56) * serial["TRANSFORM2_MIN_BASELINE"] / 100
    assert lo <= points <= hi, points


def _suicidality_points(human, serial, trial, read_h):
    """The model's esketamine 84 mg effect at `read_h` h in MADRS points at `trial`'s
    esketamine-arm baseline, and that trial's 95% interval there."""
    baseline = serial["SUICIDALITY_TRIALS"][trial][0]
    points = serial["suicidality_change"](human, read_h) * baseline / 100.0
    return points, serial["suicidality_interval"](trial, read_h)


@pytest.mark.parametrize("read_h", [4.0, 24.0])
def test_first_esketamine_dose_matches_persevere_at_4_and_24_h(human, serial, read_h):
    """PERSEVERE (Canuso 2018 Am J Psychiatry 175:620; 68 patients with suicidal ideation with
    intent): esketamine 84 mg nasal spray beside comprehensive standard of care beat placebo
    spray beside the same by 5.3 (SE 2.10) MADRS points at 4 h and 7.2 (SE 2.85) at 24 h.
    Read as the model's change after the first dose at the esketamine arm's baseline (38.5),
    lying within LS mean +- 1.96 SE, and a real effect (at least 3 points)."""
    points, (lo, hi) = _suicidality_points(human, serial, "PERSEVERE", read_h)
    assert lo <= points <= hi and points <= -3.0, (points, lo, hi)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model's first dose of esketamine 84 mg gives -28.8% of the "
                   "pre-dose score at 24 h (-11.9 and -11.4 MADRS points at the ASPIRE "
                   "baselines), about three times the published -3.8 and -3.9 and outside both "
                   "95% intervals (upper bound of relief -6.5 and -6.6): exposure times the "
                   "racemate-relative potency makes 84 mg intranasal (F 0.48) stronger than "
                   "racemic 0.5 mg/kg IV in the model (-24% vs midazolam, LIT-C2), whereas the "
                   "phase 3 trials found smaller differences; their placebo arms improved by "
                   "about 12.5 points with hospitalisation and a new antidepressant, which the "
                   "model, with no placebo or standard-of-care term, cannot compress")
@pytest.mark.parametrize("trial", ["ASPIRE I", "ASPIRE II"])
def test_first_esketamine_dose_matches_aspire_at_24_h(human, serial, trial):
    """ASPIRE I (Fu 2020 J Clin Psychiatry 81:19m13191, 226 patients) and ASPIRE II (Ionescu
    2021, 230 patients), the phase 3 trials of PERSEVERE's design: esketamine 84 mg beat
    placebo by 3.8 and 3.9 (SE 1.39) MADRS points at 24 h. Read as for PERSEVERE at each
    esketamine arm's baseline (41.3, 39.5)."""
    points, (lo, hi) = _suicidality_points(human, serial, trial, 24.0)
    assert lo <= points <= hi, (points, lo, hi)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="as for KARMA-Dep 2 and TRANSFORM-2: twice-weekly doses build up "
                   "relief in the model, to -45% of the pre-dose score before the day-25 dose "
                   "(-17.4 MADRS points at baseline 38.5; -56% 4 h after it), outside "
                   "PERSEVERE's 95% interval (-10.7 to 1.7; -4.5 points, not significant)")
def test_esketamine_course_matches_persevere_at_day_25(human, serial):
    """PERSEVERE's double-blind end point at day 25 (the eighth and last dosing day; when on
    that day it was rated was not retrieved, so it is read before that dose, the smaller
    relief in the model): esketamine - placebo -4.5 (SE 3.14) MADRS points, not
    significant."""
    points, (lo, hi) = _suicidality_points(human, serial, "PERSEVERE",
                                           serial["SUICIDALITY_DAY25_H"])
    assert lo <= points <= hi, (points, lo, hi)


@pytest.mark.parametrize("trial, read_h", [("ASPIRE I", 4.0), ("PERSEVERE", 48.0),
                                           ("NOPE", 24.0), ("PERSEVERE", [24.0]),
                                           (["PERSEVERE"], 24.0), ("PERSEVERE", True)])
def test_suicidality_interval_refuses_a_reading_the_trial_did_not_report(serial, trial,
                                                                           read_h):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match="no published reading of"):
        serial["suicidality_interval"](trial, read_h)


@pytest.mark.parametrize("read_h", [0.0, -4.0, 10_000.0, True, "24"])
def test_suicidality_change_refuses_a_reading_time_outside_the_course(human, serial, read_h):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match="read_h must be a time in"):
        serial["suicidality_change"](human, read_h)


def test_oral_memantine_for_eight_weeks_is_not_antidepressant(human, clinical):
    """Zarate 2006, the memantine trial (Am J Psychiatry 163:153; n = 32, baseline MADRS 30-32):
    memantine titrated from 5 mg/day by 5 mg a week to 20 mg/day for 8 weeks showed no
    treatment effect on MADRS. Read with LITERATURE.md's -10% line at each weekly rating. In
    the model memantine at its clinical steady state (108-131 ng/mL, trough to peak) is
    Mg2+-competitive and blocks about 1% of interneuron NMDARs at their resting potential, so
    there is no burst and no resting-arm drop.

    The course must reach that exposure, or the null result says nothing: over the last day
    (the fifth week at 20 mg/day, > 10 half-lives of 70 h) mean plasma memantine is the
    closed-form steady state F x dose / (CL x 24 h) = 20 mg / (6.93 L/h x 24 h) = 120 ng/mL
    (Namenda label values, ketamine_pk.ant), and the block it gives is small but there."""
    weeks = [168.0 * w for w in range(1, clinical["MEMANTINE_WEEKS"] + 1)]
    last_day = [weeks[-1] - 24.0 + h for h in range(24)]
    out = human.simulate(clinical["memantine_course"](), weeks[-1],
                         points=sorted({0.0, *weeks, *last_day}), variables=["mem_central"])
    weekly = out["symptom_change_pct"].loc[weeks]
    assert (weekly > -10.0).all(), weekly.round(2).tolist()
    plasma_ng_per_ml = out["mem_central"].loc[last_day] * 179.3        # µM x g/mol
    expected = 20.0 / (human.parameters["CL_mem"] * 24.0) * 1000.0      # mg/L -> ng/mL
    assert plasma_ng_per_ml.mean() == pytest.approx(expected, rel=0.03)
    assert 0.002 < out["nmda_block_interneuron"].loc[last_day].max() < 0.05
    # the same model gives ketamine's relief: the contrast is memantine's, not a dead model
    assert _effect(human, KETAMINE, 24.0) <= -10.0


def _experiment(name: str) -> dict:
    """The functions of experiments/<name>.py (one definition of its measures)."""
    from pathways.experiments import load_experiment
    return load_experiment(name)


@pytest.fixture(scope="module")
def repeated():
    """The murrough2013_repeated experiment's functions and its full run (simulated once)."""
    exp = _experiment("murrough2013_repeated")
    return exp, exp["simulate"](False)


def test_a_course_of_infusions_lasts_longer_than_one(repeated):
    """Murrough 2013 (Biol Psychiatry 74:250): responders to six infusions over 12 days
    relapsed a median 18 days after the last, where a single infusion's relief is mostly lost
    within 3-12 days (LIT-C1). The model's relief stays at or below -10% about twice as long
    after the course, because it starts deeper."""
    exp, res = repeated
    single = exp["relief_days"](res[exp["SINGLE"]]["symptom_change_pct"], 0.0)
    after_course = exp["relief_days"](res[exp["COURSE"]]["symptom_change_pct"], exp["LAST_H"])
    assert after_course >= 1.5 * single, (single, after_course)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model has no cumulative stabilisation: after six infusions the "
                   "mean relief decays at the same relative rate as after one (half of it is "
                   "lost 6.1 days after the last infusion, 5.7 after a single one); a course "
                   "that consolidated the response (18 days to relapse, Murrough 2013) would "
                   "slow that decay")
def test_a_course_slows_the_decay_of_relief(repeated):
    exp, res = repeated
    single = exp["half_relief_days"](res[exp["SINGLE"]]["symptom_change_pct"], 0.0)
    after_course = exp["half_relief_days"](res[exp["COURSE"]]["symptom_change_pct"],
                                           exp["LAST_H"])
    assert after_course >= 1.5 * single, (single, after_course)


@pytest.fixture(scope="module")
def abdallah():
    """The abdallah2020_rapamycin experiment's functions (one definition of its sirolimus)."""
    return _experiment("abdallah2020_rapamycin")


def test_rapamycin_leaves_24h_relief_unaltered_only_below_a_few_percent_brain_inhibition(
        human, abdallah):
    """Abdallah 2020 (Neuropsychopharmacology 45:990, n = 20 crossover): oral rapamycin 6 mg
    2 h before ketamine did not alter the 24-h effect (read as rapamycin + ketamine keeping
    at least two thirds of ketamine's change; the trial had no rapamycin-alone arm). How
    much brain mTORC1 the oral dose inhibits was not measured, so the verdict is read as the
    model's threshold: it agrees only below a few percent of peak brain inhibition (README,
    *Beyond LITERATURE.md*). Above it the comparison fails through rapamycin's own
    worsening (the steep symptom gain), not through a blocked drug effect: LITERATURE.md's
    effect under the tool, (rapamycin + ketamine) − (rapamycin alone), keeps most of
    ketamine's at 10% inhibition."""
    threshold = abdallah["threshold_inhibition"](human)
    assert 0.01 <= threshold <= 0.1, threshold
    assert abdallah["kept_at_24h"](human, 0.01) >= abdallah["KEPT_AT_24H"]
    c = abdallah["changes_at"](human, 0.1, [24.0])
    kept = (c["rapamycin + ketamine"][0] - c["rapamycin"][0]) / c["ketamine"][0]
    assert kept >= 0.75, c


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="in the model mTORC1 inhibition only removes synaptic protein and "
                   "spines, and with sirolimus's 62-h half-life it still acts at 2 weeks, so "
                   "rapamycin + ketamine ends worse than ketamine alone at every brain "
                   "inhibition: the gap is rapamycin's own worsening (the effect under the "
                   "tool stays about ketamine's), and no modelled mechanism adds relief; the "
                   "authors' candidates for the prolongation (anti-inflammatory or "
                   "peripheral immune effects, autophagy) are not modelled")
def test_rapamycin_pretreatment_prolongs_relief_at_two_weeks(human, abdallah):
    """Abdallah 2020: a treatment-by-time interaction over 2 weeks, read as the prolongation
    the authors report (responders at 2 weeks 41% after rapamycin + ketamine, 13% after
    placebo + ketamine): rapamycin + ketamine better than ketamine alone at 2 weeks at some
    peak brain inhibition of the scan (1% to 90%)."""
    end = abdallah["END_H"]
    gaps = {}
    for fraction in abdallah["BRAIN_INHIBITION"]:
        c = abdallah["changes_at"](human, fraction, [end])
        gaps[fraction] = c["rapamycin + ketamine"][0] - c["ketamine"][0]
    assert any(gap < 0.0 for gap in gaps.values()), gaps


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_the_sirolimus_course_refuses_a_fraction_outside_0_1(abdallah, fraction):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match=r"peak_fraction must lie in \(0, 1\)"):
        abdallah["sirolimus_inhibition"](fraction)


@pytest.mark.parametrize("end_h", [-1.0, -5.0, float("nan"), float("inf")])
def test_the_sirolimus_course_refuses_an_end_before_its_peak(abdallah, end_h):
    from pathways.errors import PathwaysInputError
    with pytest.raises(PathwaysInputError, match="end_h must be a number of hours after"):
        abdallah["sirolimus_inhibition"](0.1, end_h)


@pytest.fixture(scope="module")
def rat():
    return pathways.load("ketamine_synaptogenesis", species="rat")


def _blocked_fraction(rat, readout, target):
    """Ketamine 10 mg/kg i.p. under 90% inhibition of `target` from 30 min before (standing
    for a pharmacological blocker; the NMDAR-antagonist convention of LIT-R16): the effect
    on `readout` as a fraction of the unperturbed effect. Signalling readouts are read at
    their largest change within 0-4 h, the symptom at 24 h (LITERATURE.md's defaults)."""
    import numpy as np

    from pathways.validation.effects import read     # the suite's reading of LITERATURE.md
    times = np.concatenate([np.arange(0.0, 4.0 + 1e-9, 1 / 60), [24.0]])

    def change(perturbations):
        grid = times if not perturbations else np.concatenate([[-0.5], times])
        e = rat.effect(Regimen.bolus(10, "ip"), 24.0, perturbations, points=grid)[readout]
        return read(e, readout)
    return change([pathways.inhibit(target, 0.9, at_h=-0.5)]) / change([])


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="TSC2 inactivation is additive in Akt and ERK, and ERK/RSK carries "
                   "~90% of it at rest (mt_kcat_ERK_TSC2, assumed; with Jain & Bhalla's Akt "
                   "kinetics and resting p-Akt, Akt alone phosphorylates ~20% of TSC2), so a "
                   "PI3K blocker leaves 79% of the mTORC1 and p-S6K rises and 66% of the "
                   "24-h effect; the model has no Akt-only gate of mTORC1 (PRAS40) and no "
                   "sourced kinetics to add one")
def test_pi3k_blocker_abolishes_the_mtorc1_rise_and_the_behavioural_effect(rat):
    """Zhou 2014 (Neuroimmunomodulation 21:183; PARAMETERS.md section 5): in rat PFC a PI3K/Akt
    antagonist given before ketamine reverses the rises of p-mTOR and p-S6K and abolishes the
    antidepressant effect in the forced swim test (read as LITERATURE.md's 'abolished': ≤ 25%
    of the unperturbed effect)."""
    fractions = {r: _blocked_fraction(rat, r, "PI3K")
                 for r in ("mTORC1_active_rel", "pS6K_rel", "symptom_change_pct")}
    assert max(fractions.values()) <= 0.25, fractions


def test_erk_blocker_abolishes_the_mtorc1_rise(rat):
    """The other arm onto TSC2: BDNF-induced dendritic translation needs MEK/ERK (Takei 2004
    J Neurosci 24:9760). In the model 90% ERK inhibition before ketamine leaves ≤ 25% of the
    mTORC1 and p-S6K rises, because ERK/RSK carries most TSC2 phosphorylation. Not an
    independent prediction: that share is assumed, with Takei 2004 as its reason."""
    fractions = {r: _blocked_fraction(rat, r, "ERK")
                 for r in ("mTORC1_active_rel", "pS6K_rel")}
    assert max(fractions.values()) <= 0.25, fractions


@pytest.fixture(scope="module")
def glun2b():
    """Mouse, ketamine 10 mg/kg i.p. (the papers' doses were not retrieved), in the wild type
    and with GluN2B-carried NMDAR activity removed chronically from one population:
    principal neurons' resting (ambient-glutamate) activity (`knockout("NMDAR_py_rest")`,
    Miller 2014's 2BΔCtx) or the interneurons' NMDAR drive (`knockout("NMDAR_in")`, the
    upper bound of Gerhard 2020's interneuron knockdown: a partial knockdown leaves more).

    Returns, per genotype, the drug-free state against the wild type's and the drug effect
    as a fraction of the wild type's: mTORC1 at its largest change within 0-4 h, and the
    symptom at 24 h read two ways. `symptom_change_pct` is in percent of each genotype's own
    drug-free score, as the suite reads every perturbation; but that score is already far
    below the wild type's in both knockouts (the steep symptom gain, README *Errors and
    limits*), so in absolute score units (`symptom_score`) almost nothing is left to relieve
    and every behavioural 'blocked' or 'occluded' holds trivially. The signalling reading
    (mTORC1) has no such floor: the verdicts below rest on it and on the percent reading."""
    import numpy as np

    from pathways.validation.effects import read
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    times = np.concatenate([np.arange(0.0, 4.0 + 1e-9, 1 / 60), [24.0]])
    out = {}
    for name, perts in (("wild type", []), ("principal", [pathways.knockout("NMDAR_py_rest")]),
                        ("interneuron", [pathways.knockout("NMDAR_in")])):
        drug = mouse.simulate(Regimen.bolus(10, "ip"), 24.0, perts, points=times,
                              variables=["symptom_score"])
        vehicle = mouse.simulate(None, 24.0, perts, points=times, variables=["symptom_score"])
        e = drug - vehicle
        out[name] = {"effect": {r: read(e[r], r, 24.0 if r == "symptom_score" else None)
                                for r in ("mTORC1_active_rel", "symptom_change_pct",
                                          "symptom_score")},
                     "rest": {c: float(vehicle[c].iloc[0]) for c in
                              ("mTORC1_active_rel", "synaptic_proteins_rel", "symptom_score")}}
    wt = out["wild type"]
    for name in ("principal", "interneuron"):
        out[name]["fraction"] = {r: v / wt["effect"][r] for r, v in out[name]["effect"].items()}
        out[name]["rest"]["symptom_score / wild type"] = (
            out[name]["rest"].pop("symptom_score") / wt["rest"]["symptom_score"])
    return out


def test_principal_neuron_glun2b_deletion_mimics_ketamine(glun2b):
    """Miller 2014 (eLife 3:e03581): deleting GluN2B from principal cortical neurons mimics
    ketamine: mTOR activation, synaptic protein synthesis and antidepressant-like behaviour
    without the drug. Model: with the resting arm silenced eEF2K is less active, so BDNF is
    translated and the cascade sits higher (read as mTORC1 ≥ 1.1-fold, synaptic proteins ≥
    1.05-fold and a lower symptom score than the wild type's, drug-free)."""
    rest = glun2b["principal"]["rest"]
    assert rest["mTORC1_active_rel"] >= 1.1 and rest["synaptic_proteins_rel"] >= 1.05, rest
    assert rest["symptom_score / wild type"] < 1.0, rest


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="in the model the burst arm (interneuron NMDAR -> glutamate -> "
                   "AMPAR -> L-VDCC -> BDNF release) does not need pyramidal GluN2B, and it "
                   "releases BDNF from a store that the silenced resting arm has raised "
                   "1.7-fold: ketamine's mTORC1 rise is as large as in the wild type (1.02 "
                   "times) and 63% of the 24-h effect is left in percent of the knockout's "
                   "own drug-free score. The arms add up; nothing in the model makes one "
                   "gate the other (the same structure as LIT-R17's). In absolute score "
                   "units the behavioural effect is occluded, but only because the "
                   "knockout's drug-free score is already 0.004% of the wild type's")
def test_principal_neuron_glun2b_deletion_occludes_ketamine(glun2b):
    """Miller 2014: in 2BΔCtx mice ketamine adds no further mTOR activation, synaptic protein
    synthesis or behavioural effect (read as LITERATURE.md's 'abolished': ≤ 25% of the
    wild-type effect, on mTORC1 and on the percent symptom reading)."""
    fraction = glun2b["principal"]["fraction"]
    assert max(fraction["mTORC1_active_rel"], fraction["symptom_change_pct"]) <= 0.25, fraction


def test_principal_neuron_glun2b_knockdown_does_not_block_ketamine(glun2b):
    """Gerhard 2020 (J Clin Invest 130:1336): GluN2B knockdown in glutamatergic principal
    neurons of mPFC does not block ketamine's antidepressant actions (read as ≥ 50% of the
    wild-type effect left, on mTORC1 and on the percent symptom reading; in absolute score
    units nothing is left, see the fixture). The opposite reading to Miller 2014's
    occlusion of the same manipulation; the model sides with Gerhard."""
    fraction = glun2b["principal"]["fraction"]
    assert min(fraction["mTORC1_active_rel"], fraction["symptom_change_pct"]) >= 0.5, fraction


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="removing all interneuron NMDAR drive removes the burst arm, but "
                   "the resting arm (pyramidal NMDAR -> eEF2K -> BDNF translation) still "
                   "carries 47% of the mTORC1 rise and 60% of the 24-h effect in percent of "
                   "the knockout's own drug-free score: the model's arms add up where "
                   "Gerhard found the interneuron trigger necessary (as LIT-R9's L-VDCC "
                   "blocker leaves 33%). The chronic knockout also disinhibits the "
                   "drug-free cortex (glutamate 2.8-fold) for good, no homeostatic "
                   "compensation is modelled, and its drug-free score is 0.06% of the wild "
                   "type's, so in absolute score units the effect is 'blocked' trivially")
def test_interneuron_glun2b_knockdown_blocks_ketamine(glun2b):
    """Gerhard 2020: GluN2B knockdown in GABA (Gad1) interneurons of mPFC blocks ketamine's
    antidepressant actions (read as ≤ 25% of the wild-type effect left, on mTORC1 and on
    the percent symptom reading)."""
    fraction = glun2b["interneuron"]["fraction"]
    assert max(fraction["mTORC1_active_rel"], fraction["symptom_change_pct"]) <= 0.25, fraction


def _gsk3_knockin_share():
    """Mouse, ketamine 10 mg/kg i.p.: the 24-h symptom effect with GSK-3 that Akt cannot
    inhibit (Ser9 unphosphorylatable: `mt_kcat_Akt_GSK3` = 0, a genotype with its own
    drug-free baseline) as a fraction of the wild type's, and the same for the mTORC1 rise
    at its largest change within 0-4 h."""
    import numpy as np
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    grid = np.concatenate([np.arange(0.0, 4.0 + 1e-9, 1 / 60), [24.0]])
    knockin = {"mt_kcat_Akt_GSK3": 0.0}
    wt, ki = (mouse.effect(Regimen.bolus(10, "ip"), 24.0, parameters=p, points=grid)
              for p in (None, knockin))
    rise = {k: float(e["mTORC1_active_rel"].loc[:4.0].abs().max()) for k, e in
            (("wt", wt), ("ki", ki))}
    return {"symptom_change_pct": float(ki["symptom_change_pct"].iloc[-1]
                                        / wt["symptom_change_pct"].iloc[-1]),
            "mTORC1_active_rel": rise["ki"] / rise["wt"]}


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model's GSK-3 brake is weak: only ~20% of GSK-3beta is "
                   "Ser9-phosphorylated at rest, so the knock-in raises active GSK-3beta by 25% "
                   "and TSC2's GAP factor by 5% (1.67 to 1.75), and ketamine's Akt rise lowers "
                   "that factor only to 1.59 (rates assumed); ketamine reaches mTORC1 mostly "
                   "through ERK and Akt phosphorylation of TSC2, and GSK-3 that Akt cannot "
                   "inhibit leaves 90% of the mTORC1 rise and 72% of the 24-h effect (the same "
                   "weakness makes LIT-R15's lithium rescue fail)")
def test_gsk3_knockin_abolishes_ketamines_antidepressant_effect():
    """Beurel 2011 (Mol Psychiatry 16:1068; Beurel 2016 restates it with 10 mg/kg in the same
    knock-in mice): in GSK3α21A/β9A knock-in mice, whose GSK-3 cannot be inhibited by
    serine phosphorylation, ketamine has no antidepressant effect: inhibition of GSK-3 is
    necessary. Read as LITERATURE.md's 'abolished' (≤ 25% of the wild type's 24-h effect);
    the model has GSK-3β only."""
    share = _gsk3_knockin_share()
    assert share["symptom_change_pct"] <= 0.25, share


def test_hnk_formed_from_ketamine_does_not_block_nmda_receptors():
    """Lumsden 2019 (PNAS 116:5160): the (2R,6R)-HNK levels reached after antidepressant
    doses of ketamine do not block NMDA receptors. In the model HNK is formed from norketamine
    and binds closed receptors with Abbott & Popescu 2020's IC50 (46 µM) and complete Mg2+
    competition; with brain HNK taken as all unbound (no binding data), it holds < 2% of the
    interneurons' NMDARs closed after mouse 10 mg/kg i.p. (1.3%) and human 0.5 mg/kg IV,
    while ketamine itself blocks most of them (and HNK is formed: a model that formed none
    would pass the block check trivially)."""
    for species, regimen, end_h in (("mouse", Regimen.bolus(10, "ip"), 24.0),
                                    ("human", KETAMINE, 72.0)):
        df = pathways.load("ketamine_synaptogenesis", species=species).simulate(
            regimen, end_h, points=721, variables=["hnk_inh_in", "nmda_block_interneuron"])
        assert df["hydroxynorketamine_plasma"].max() > 1.0, species      # ng/mL
        assert df["hnk_inh_in"].max() < 0.02, species
        assert df["nmda_block_interneuron"].max() > 0.5, species


def _hnk_alone_effect(model, dose_mg_per_kg, t_h=24.0):
    """Symptom effect (percentage points vs vehicle) at `t_h` of (2R,6R)-HNK given i.p."""
    hnk = Regimen.bolus(dose_mg_per_kg, "ip", drug="hydroxynorketamine")
    return _effect(model, hnk, t_h)


def test_hnk_alone_is_not_antidepressant_in_rat_learned_helplessness(rat):
    """Shirayama & Hashimoto 2018 (Int J Neuropsychopharmacol 21:84): (2R,6R)-HNK 20 and
    40 mg/kg i.p. had no antidepressant effect in the rat learned-helplessness model (where
    (R)-ketamine did). Model, read at 24 h by LITERATURE.md's -10% threshold: inactive. Its
    block is weaker and briefer than ketamine's: at the brain peak of 40 mg/kg it holds 35%
    of interneuron and 15% of pyramidal resting NMDARs closed, and brain HNK halves within
    30 min of its peak; nothing else of HNK is modelled."""
    for dose in (20.0, 40.0):
        assert _hnk_alone_effect(rat, dose) > -10.0, dose
    # the null result needs HNK to reach the brain and act there, weaker than ketamine but
    # not nothing (a model that lost the dose would also be 'not antidepressant')
    hnk = Regimen.bolus(40.0, "ip", drug="hydroxynorketamine")
    df = rat.simulate(hnk, 6.0, points=361)
    assert df["hydroxynorketamine_plasma"].max() > 1000.0          # ng/mL
    assert 0.2 < df["nmda_block_interneuron"].max() < 0.5
    assert 0.05 < df["nmda_block_pyramidal"].max() < df["nmda_block_interneuron"].max()


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the model's HNK acts only as the weak, Mg2+-competitive NMDAR "
                   "inhibitor Abbott & Popescu 2020 measured (10% of interneuron NMDARs "
                   "closed at the brain peak after 10 mg/kg i.p.); the NMDAR-independent, AMPAR-dependent "
                   "action Zanos 2016 proposed (AMPAR activation by presynaptic glutamate "
                   "release) is not modelled, and no kinetics for it were "
                   "found, so HNK alone moves the score by -0.1% (the rat result of "
                   "Shirayama & Hashimoto 2018 agrees with the model)")
def test_hnk_alone_is_antidepressant_in_mice():
    """Zanos 2016 (Nature 533:481): (2R,6R)-HNK 10 mg/kg i.p. has antidepressant-like
    effects in mice (forced swim at 1 h and 24 h) without NMDAR inhibition."""
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    assert _hnk_alone_effect(mouse, 10.0) <= -10.0


def test_response_rates_fall_inside_murrough_2013s_own_intervals(human):
    """Murrough 2013 (Am J Psychiatry 170:1134, abstract): responders at 24 h 64% with
    ketamine (of 47 patients: 30) and 28% with midazolam (of 25: 7). Not independent of the
    model: the placebo term is this trial's midazolam arm and syn_gamma is fitted to its
    difference (LIT-C2); what it checks is the response layer (a normal placebo spread
    around the model's effect). Each expected rate must lie in the trial's Wilson 95%
    interval; the ketamine one sits at its lower edge (README, *Virtual populations*)."""
    from scipy.stats import binomtest

    from pathways import population
    result = population.trial({"ketamine": KETAMINE, "midazolam": MIDAZOLAM},
                              population.sample(200, seed=0), human, progress=False)
    rates = result.response_rates()["expected_rate_pct"]
    for arm, (k, n) in {"ketamine": (30, 47), "midazolam": (7, 25)}.items():
        ci = binomtest(k, n).proportion_ci(0.95, method="wilson")
        assert 100 * ci.low <= rates[arm] <= 100 * ci.high, (arm, rates[arm], ci)


@pytest.fixture(scope="module")
def daily_course():
    """Pryazhnikov 2018's daily course in mice: {(t0 h, t1 h): (formation, elimination)}
    over vehicle (experiments/phoumthipphavong2016_spines.py, `daily_course_turnover`)."""
    exp = _experiment("phoumthipphavong2016_spines")
    return exp, exp["daily_course_turnover"](pathways.load("ketamine_synaptogenesis",
                                                           species="mouse"))


def test_a_daily_course_raises_spine_formation_by_days_3_to_5(daily_course):
    """Pryazhnikov 2018 (Sci Rep 8:6464; somatosensory cortex, the model's is prefrontal):
    ketamine 10 mg/kg i.p. daily for 5 days raised spine formation over 72-132 h after the
    first dose. 'Raised' read as at or above LITERATURE.md's formation rise (1.10, as LIT-R18
    reads it); the model gives 1.11, a thin margin. Its unchanged elimination is not tested:
    no drug acts on spine loss in the model, so it agrees by construction."""
    exp, turnover = daily_course
    late = exp["PRYAZHNIKOV_INTERVALS_H"][-1]
    assert turnover[late][0] >= 1.10, turnover


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="formation over 6-24 h is 1.16 times vehicle in the model, where "
                   "Pryazhnikov 2018 found no significant change: new spines follow new "
                   "synaptic protein within hours (the early formation LIT-R18 fails on). "
                   "Moda-Sava 2019 saw formation raised at 12-24 h after one dose in "
                   "prefrontal cortex, so the two studies (region, sex, imaging windows) "
                   "also pull different ways")
def test_a_daily_course_leaves_spine_formation_unchanged_over_the_first_day(daily_course):
    exp, turnover = daily_course
    early = exp["PRYAZHNIKOV_INTERVALS_H"][0]
    assert turnover[early][0] < 1.10, turnover
