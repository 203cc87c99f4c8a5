"""Repeated doses: five controlled trials of twice-weekly courses over 4 weeks (drawn) and an
open-label thrice-weekly course (not drawn), which LITERATURE.md does not hold, run as
predictions of the composed human model (nothing was fitted to them).

- KARMA-Dep 2 (Jelovac 2025 JAMA Psychiatry, NCT04939649; 65 inpatients randomised, 62
  analysed): up to eight twice-weekly IV infusions of ketamine 0.5 mg/kg or midazolam 0.045
  mg/kg beside usual inpatient care; MADRS change to 24 h after the last infusion, ketamine -
  midazolam -3.16 points (95% CI -8.54 to 2.22). Model (`karma_difference`): -47.7% of the
  pre-dose score after eight infusions (-43 to -48% after four to eight), -9.5 points even
  at the inclusion threshold of 20 (disagrees).
- TRANSFORM-2 (Popova 2019 Am J Psychiatry 176:428): intranasal esketamine 56 or 84 mg twice
  weekly plus a new oral antidepressant against placebo spray plus one; MADRS at day 28 4.0
  points better (95% CI -7.31 to -0.64); the Japanese phase 2b (Takahashi 2021 BMC
  Psychiatry, fixed 28, 56, 84 mg) found day-28 changes of -15.2, -14.5, -15.1 against -15.3
  with placebo. Model (`transform2_change`): -36.5% (56 mg) and -47.7% (84 mg) of the
  pre-dose score, -10.2 points at 56 mg even at the inclusion threshold of 28 (disagrees).
  Its first week is Daly 2018's (agrees: an ascending dose response at day 8).
- Esketamine 84 mg twice weekly beside comprehensive standard of care (hospitalisation, a
  new or optimised oral antidepressant) against placebo spray beside the same, in patients
  with suicidal ideation with intent (drawn): PERSEVERE (Canuso 2018 Am J Psychiatry 175:620,
  n = 68) found MADRS differences of -5.3 (SE 2.10) points at 4 h, -7.2 (2.85) at 24 h and
  -4.5 (3.14, not significant) at day 25; ASPIRE I (Fu 2020 J Clin Psychiatry 81:19m13191,
  n = 226) and ASPIRE II (Ionescu 2021 Int J Neuropsychopharmacol 24:22, n = 230) -3.8 and
  -3.9 (SE 1.39) at 24 h. Model (`suicidality_change`): -22.0% of the pre-dose score at 4 h
  and -28.8% at 24 h after the first dose, -45% before the day-25 dose (-56% 4 h after it):
  inside PERSEVERE's 95% intervals at 4 and 24 h (agrees), about three times ASPIRE I/II's
  differences at 24 h and outside their intervals (disagrees), and outside PERSEVERE's at
  day 25 (disagrees, the build-up of KARMA-Dep 2 and TRANSFORM-2).
- Phillips 2019 (Am J Psychiatry 176:401; 41 patients): after a blinded single infusion, six
  open-label infusions thrice weekly over 2 weeks had cumulative antidepressant effects and
  doubled the response rate (59% responders, a median of three infusions to respond). Model
  (`phillips_first_and_sixth`): -23.0% a day after the first, -53.0% a day after the sixth
  (agrees; open label, so a placebo response is part of the published build-up).

In the model each dose's new spines outlast the 3-4 days to the next, so relief builds over
the first doses to about twice a single dose's. The doses' days are assumed (Mon/Thu). The
model has no placebo term: its changes stand for the differences between the arms.
tests/test_predictions.py asserts the verdicts from the functions defined here.
"""
from pathlib import Path

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.errors import PathwaysInputError
from pathways.experiments import cli_main

NAME = "serial_dosing_trials"
COLUMNS = ("ketamine_plasma", "symptom_change_pct", "dissociation_score", "sbp_change_mmHg")
DAYS = (1, 4, 8, 11, 15, 18, 22, 25)        # twice weekly for 4 weeks (Mon/Thu, assumed)
# KARMA-Dep 2: ketamine - midazolam MADRS change at the end of treatment (24 h after the last
# infusion), adjusted mean difference and its 95% CI (points)
KARMA_PUBLISHED = (-3.16, -8.54, 2.22)
KARMA_MIN_BASELINE = 20.0   # MADRS inclusion threshold; the mean baseline was not retrieved
# TRANSFORM-2: esketamine - placebo spray MADRS change at day 28, difference of
# least-squares means and its 95% CI (points); inclusion MADRS >= 28, mean baseline about 37
# (pooled TRANSFORM-1/2, PMC8921149)
TRANSFORM2_PUBLISHED = (-4.0, -7.31, -0.64)
TRANSFORM2_READ_H = 24.0 * 27               # day 28
TRANSFORM2_MIN_BASELINE = 28.0
TRANSFORM2_BASELINE = 37.0
# Takahashi 2021 (BMC Psychiatry, doi 10.1186/s12888-021-03538-y): day-28 MADRS change with
# esketamine minus that with placebo (-15.3), fixed doses (points)
JAPANESE_PHASE2B = {28: -15.2 + 15.3, 56: -14.5 + 15.3, 84: -15.1 + 15.3}
# Esketamine 84 mg twice weekly + standard of care vs placebo spray + standard of care in
# patients with suicidal ideation with intent: {trial: (esketamine arm's mean baseline MADRS,
# {reading time in h after the first dose: (LS mean difference, SE) in MADRS points})}.
# PERSEVERE: Canuso 2018 Am J Psychiatry 175:620 (abstract: 4 h, 24 h and the double-blind
# end point at day 25, the last dosing day; when on that day it was rated was not retrieved,
# so it is read before that day's dose, the reading with the smaller relief in the model);
# ASPIRE I: Fu 2020 J Clin Psychiatry 81:19m13191 (abstract; its 95% CI -6.56 to -1.09);
# ASPIRE II: Ionescu 2021 Int J Neuropsychopharmacol 24:22;
# baselines and ASPIRE II's values as tabulated in Pharmacotherapy 2022;42:567, Table 5
# (PMC9540857). The 95% intervals are taken as LS mean +- 1.96 SE.
SUICIDALITY_MG = 84
SUICIDALITY_DAY25_H = 24.0 * 24
SUICIDALITY_TRIALS = {
    "PERSEVERE": (38.5, {4.0: (-5.3, 2.10), 24.0: (-7.2, 2.85),
                         SUICIDALITY_DAY25_H: (-4.5, 3.14)}),
    "ASPIRE I": (41.3, {24.0: (-3.8, 1.39)}),
    "ASPIRE II": (39.5, {24.0: (-3.9, 1.39)}),
}
PHILLIPS_DAYS = (1, 3, 5, 8, 10, 12)       # thrice weekly over 2 weeks (Mon/Wed/Fri, assumed)
ESKETAMINE_MG = (28, 56, 84)
KETAMINE = "ketamine 0.5 mg/kg IV twice weekly"
MIDAZOLAM = "midazolam 0.045 mg/kg IV twice weekly"
SOURCE = ("Jelovac 2025 JAMA Psychiatry (KARMA-Dep 2, NCT04939649): ketamine - midazolam "
          "-3.16 MADRS points (95% CI -8.54 to 2.22) after up to 8 twice-weekly infusions; "
          "Popova 2019 Am J Psychiatry 176:428 (TRANSFORM-2): esketamine 56/84 mg twice weekly "
          "-4.0 points vs placebo spray at day 28 (95% CI -7.31 to -0.64); Takahashi 2021 BMC "
          "Psychiatry (Japanese phase 2b, fixed doses): no difference. Model changes converted "
          "to MADRS points at the baselines named; Canuso 2018 Am J Psychiatry 175:620 "
          "(PERSEVERE), Fu 2020 J Clin Psychiatry 81:19m13191 (ASPIRE I), Ionescu 2021 Int J "
          "Neuropsychopharmacol 24:22 (ASPIRE II): esketamine 84 mg + standard of care vs "
          "placebo, suicidal ideation with intent. Predictions, not fitted.")


def _model(model) -> None:
    from pathways.model import Model
    if not isinstance(model, Model):
        raise PathwaysInputError(f"model must be a pathways.Model (pathways.load(...)), got "
                                 f"{type(model).__name__}")


def ketamine_course(days=DAYS, drug: str = "ketamine") -> Regimen:
    """Return IV infusions over 40 min on study `days` (day 1 = time 0): ketamine 0.5 mg/kg,
    or midazolam 0.045 mg/kg with `drug="midazolam"`."""
    dose = {"ketamine": 0.5, "midazolam": 0.045}[drug]
    return Regimen.on_days(Regimen.infusion(dose, minutes=40, drug=drug), days)


def esketamine_course(mg: float, days=DAYS) -> Regimen:
    """Return intranasal esketamine `mg` (28-84 mg, the trials' doses) on study `days`."""
    if not isinstance(mg, (int, float)) or isinstance(mg, bool) or not 28 <= mg <= 84:
        raise PathwaysInputError(f"mg must be an intranasal esketamine dose from 28 to 84 mg, "
                                 f"got {mg!r}")
    return Regimen.on_days(Regimen.bolus(mg, "intranasal", drug="esketamine", unit="mg"), days)


def karma_difference(model, infusions: int = len(DAYS)) -> float:
    """Return the model's ketamine − midazolam symptom change (% of the pre-dose score) 24 h
    after the last of `infusions` (1-8) twice-weekly infusions (`ketamine_course`),
    KARMA-Dep 2's primary end point."""
    _model(model)
    if (not isinstance(infusions, int) or isinstance(infusions, bool)
            or not 1 <= infusions <= len(DAYS)):
        raise PathwaysInputError(f"infusions must be an integer from 1 to {len(DAYS)}, "
                                 f"got {infusions!r}")
    days = DAYS[:infusions]
    end = 24.0 * days[-1]
    at_end = [float(model.simulate(r, end, points=[0.0, end])["symptom_change_pct"].iloc[-1])
              for r in (ketamine_course(days), ketamine_course(days, "midazolam"))]
    return at_end[0] - at_end[1]


def transform2_change(model, mg: float) -> float:
    """Return the model's symptom change (% of the pre-dose score) at day 28 of intranasal
    esketamine `mg` (28-84 mg) twice weekly (`esketamine_course`), TRANSFORM-2's primary end
    point; both trial arms started a new oral antidepressant, which the model does not
    have, so the change stands for the difference between the arms."""
    _model(model)
    out = model.simulate(esketamine_course(mg), TRANSFORM2_READ_H,
                         points=[0.0, TRANSFORM2_READ_H])
    return float(out["symptom_change_pct"].iloc[-1])


def suicidality_change(model, read_h: float) -> float:
    """Return the model's symptom change (% of the pre-dose score) `read_h` hours (0-672)
    after the first dose of intranasal esketamine 84 mg twice weekly (`esketamine_course`),
    the end points of PERSEVERE and ASPIRE I/II (`SUICIDALITY_TRIALS`); both arms had the same
    standard of care and the model has no placebo or standard-of-care term, so the change
    stands for the difference between the arms."""
    _model(model)
    if (isinstance(read_h, bool) or not isinstance(read_h, (int, float))
            or not 0.0 < read_h <= TRANSFORM2_READ_H + 24.0):
        raise PathwaysInputError(f"read_h must be a time in (0, {TRANSFORM2_READ_H + 24.0:g}] "
                                 f"h after the first dose, got {read_h!r}")
    given = [d for d in DAYS if 24.0 * (d - 1) < read_h]      # a dose at read_h comes after
    out = model.simulate(esketamine_course(SUICIDALITY_MG, given), float(read_h),
                         points=[0.0, float(read_h)])
    return float(out["symptom_change_pct"].iloc[-1])


def suicidality_interval(trial: str, read_h: float) -> tuple[float, float]:
    """Return the 95% interval (LS mean -+ 1.96 SE, MADRS points) of `trial`'s esketamine -
    placebo difference at `read_h` h (a key of SUICIDALITY_TRIALS and one of its times)."""
    known = (isinstance(trial, str) and trial in SUICIDALITY_TRIALS
             and isinstance(read_h, (int, float)) and not isinstance(read_h, bool)
             and read_h in SUICIDALITY_TRIALS[trial][1])
    if not known:
        readings = "; ".join(f"{t}: {', '.join(f'{h:g}' for h in r)} h"
                             for t, (_, r) in SUICIDALITY_TRIALS.items())
        raise PathwaysInputError(f"no published reading of {trial!r} at {read_h!r} h "
                                 f"(published: {readings})")
    mean, se = SUICIDALITY_TRIALS[trial][1][read_h]
    return mean - 1.96 * se, mean + 1.96 * se


def phillips_first_and_sixth(model) -> tuple[float, float]:
    """Return the model's symptom change (% of the pre-dose score) 24 h after the first and
    24 h after the sixth of six ketamine infusions given thrice weekly over 2 weeks
    (`PHILLIPS_DAYS`), Phillips 2019's open-label phase."""
    _model(model)
    first, sixth = 24.0, 24.0 * PHILLIPS_DAYS[-1]
    out = model.simulate(ketamine_course(PHILLIPS_DAYS), sixth, points=[0.0, first, sixth])
    return (float(out["symptom_change_pct"].loc[first]),
            float(out["symptom_change_pct"].loc[sixth]))


def simulate(quick: bool):
    """Return {arm: DataFrame} (time_h in hours, readouts in their units) of the composed
    human model over 28 days: ketamine and midazolam twice weekly, and esketamine 28, 56
    and 84 mg twice weekly (the quick run draws coarser points; the course is the same)."""
    human = pathways.load("ketamine_synaptogenesis", species="human")
    arms = {KETAMINE: (ketamine_course(), ()),
            MIDAZOLAM: (ketamine_course(drug="midazolam"), ())}
    arms |= {f"esketamine {mg} mg intranasal twice weekly": (esketamine_course(mg), ())
             for mg in ESKETAMINE_MG}
    step = 2.0 if quick else 0.5
    return ep.simulate_arms(human, arms, TRANSFORM2_READ_H, fine_until_h=0.0,
                            coarse_step_h=step, dose_detail_h=0.0)


def figure(res, out: Path) -> list[Path]:
    """Draw KARMA-Dep 2's difference, TRANSFORM-2's change and esketamine 84 mg's change in
    the suicidality trials (PERSEVERE, ASPIRE I/II), in MADRS points over the four weeks,
    against the published end points; return the PNG and SVG paths under `out`."""
    plt, fig, axes = ep.figure(1, 3, width=10.8, row_height=3.8)
    a = axes.flat
    diff = (res[KETAMINE]["symptom_change_pct"] - res[MIDAZOLAM]["symptom_change_pct"])
    karma_end_h = 24.0 * DAYS[-1]
    mean, lo, hi = KARMA_PUBLISHED
    ep.timecourse(a[0], {f"model, baseline MADRS {b:g}": diff * b / 100.0
                         for b in (KARMA_MIN_BASELINE, 30.0)}, None, days=True, baseline=0.0,
                  ylabel="difference (MADRS points)",
                  published=[ep.Published("KARMA-Dep 2: −3.16 (95% CI)", lo, hi, karma_end_h,
                                          value=mean)],
                  title="KARMA-Dep 2: ketamine − midazolam, 8 IV infusions")
    series = {}
    for mg in ESKETAMINE_MG:
        s = res[f"esketamine {mg} mg intranasal twice weekly"]["symptom_change_pct"]
        series[f"model {mg} mg, baseline {TRANSFORM2_BASELINE:g}"] = s * TRANSFORM2_BASELINE / 100
    mean, lo, hi = TRANSFORM2_PUBLISHED
    published = [ep.Published("TRANSFORM-2 (56/84 mg): −4.0 (95% CI)", lo, hi,
                              TRANSFORM2_READ_H, value=mean)]
    ep.timecourse(a[1], series, None, days=True, baseline=0.0,
                  ylabel="difference (MADRS points)", published=published,
                  title="TRANSFORM-2: esketamine − placebo spray, twice weekly")
    for mg, d in JAPANESE_PHASE2B.items():
        a[1].plot([TRANSFORM2_READ_H / 24.0 + 0.4], [d], "^", ms=3.5, color="0.3",
                  label="Japanese phase 2b (28, 56, 84 mg)" if mg == ESKETAMINE_MG[0] else None)
    ep.add_legend(a[1])
    s84 = res[f"esketamine {SUICIDALITY_MG} mg intranasal twice weekly"]["symptom_change_pct"]
    published = []
    for shift, (trial, (_, readings)) in enumerate(SUICIDALITY_TRIALS.items()):
        times = ", ".join(f"{t:g} h" if t <= 24 else f"day {t / 24 + 1:g}" for t in readings)
        for k, (t_h, (mean, _)) in enumerate(readings.items()):
            lo, hi = suicidality_interval(trial, t_h)
            label = f"{trial}, {times} (95% CI)" if k == 0 else "_nolegend_"
            # trials read at the same time drawn side by side (0.4 d apart), not on top
            published.append(ep.Published(label, lo, hi, t_h + 9.6 * shift, value=mean))
    ep.timecourse(a[2], {f"model 84 mg, baseline {b:g}": s84 * b / 100.0
                         for b in sorted({b for b, _ in SUICIDALITY_TRIALS.values()})},
                  None, days=True, baseline=0.0, ylabel="difference (MADRS points)",
                  published=published,
                  title="suicidal ideation: esketamine 84 mg − placebo, + standard of care")
    for ax in a:
        ax.set_xlim(-0.5, 28.5)
    end = {b: mx.value_at(diff, karma_end_h) * b / 100.0 for b in (KARMA_MIN_BASELINE, 30.0)}
    a[0].text(0.02, 0.03, "model at the end: " + ", ".join(
        f"{v:.1f} (baseline {b:g})" for b, v in end.items()).replace("-", "−"),
        transform=a[0].transAxes, fontsize=5.5, va="bottom")
    return ep.finish(plt, fig, out / NAME, "Twice-weekly courses over 4 weeks: the model's "
                     "build-up of relief against five controlled trials", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    """Simulate the courses and write the CSV of every arm's readouts, its column
    description and the figure; return their paths."""
    res = simulate(quick)
    return [*ep.write_table(res, out_dir / NAME, COLUMNS), *figure(res, out_dir)]


if __name__ == "__main__":
    cli_main(run)
