"""Four clinical trials that LITERATURE.md does not hold, run as predictions of the composed
human model (nothing was fitted to them). Each arm is compared with vehicle, whose
`symptom_change_pct` stays 0 (no placebo term is modelled), so published changes that include
a placebo response are compared as patterns, not sizes.

- Zarate 2006, the memantine trial (Am J Psychiatry 163:153, n = 32): oral memantine titrated
  from 5 mg/day by 5 mg a week to 20 mg/day, 8 weeks: no treatment effect on MADRS.
  Model: -0.4 to -4.0% over weeks 1-8 (agrees). Memantine is Mg2+-competitive, so at its
  clinical steady state (~108 ng/mL) it blocks <1% of interneuron NMDARs at rest; drawn beside
  the same course without that competition (`IC50_mem_Mg` = `Kd_mem0`), which would give -71%.
- Singh 2016 (Am J Psychiatry 173:816, n = 67): ketamine 0.5 mg/kg IV over 40 min twice
  (Mon/Thu) or thrice (Mon/Wed/Fri) weekly; both maintained the effect over 15 days, similarly
  (MADRS change at day 15 -18.4 and -17.7; placebo -5.7 and -3.1). Model: relief maintained
  (agrees); day 15 -28.3 vs -42.0%, 1.49 times (disagrees: relief adds up with each infusion).
- Correia-Melo 2020 (J Affect Disord 264:527, n = 63, no placebo arm): esketamine 0.25 mg/kg
  non-inferior to racemic ketamine 0.5 mg/kg IV over 40 min at 24 h (MADRS 33 -> 17.5 and
  33 -> 16.2, a ratio of changes of 0.92). Model: -13.9 vs -23.0%, 0.60 (disagrees).
- Lapidus 2014 (Biol Psychiatry 76:970, crossover, n = 18): ketamine hydrochloride 50 mg
  intranasal in five applications 5 min apart; MADRS 7.6 points better than saline at 24 h
  (95% CI 3.9-11.3), minimal dissociation, no clinically significant haemodynamic change.
  Model: -14.5% at 24 h, side-effect peaks below half of 0.5 mg/kg IV's (agrees).

tests/test_predictions.py asserts each verdict from the regimens defined here.
"""
from pathlib import Path

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "clinical_predictions"
COLUMNS = ("ketamine_plasma", "nmda_block_interneuron", "symptom_change_pct",
           "dissociation_score", "sbp_change_mmHg")

MEMANTINE = "memantine 5-20 mg/day oral (Zarate 2006)"
MEMANTINE_NO_MG = "the same, without Mg2+ competition"
NO_MG_COMPETITION = {"IC50_mem_Mg": 0.65}       # = Kd_mem0 (µM): the Mg2+-free IC50
MEMANTINE_WEEKS = 8
TWICE, THRICE = "0.5 mg/kg IV Mon/Thu (Singh 2016)", "0.5 mg/kg IV Mon/Wed/Fri (Singh 2016)"
SINGH_TWICE, SINGH_THRICE = (1, 4, 8, 11), (1, 3, 5, 8, 10, 12)   # study days (day 1 = time 0)
SINGH_DAY15_H = 24.0 * 14                      # the morning of day 15, before its infusion
SINGH_PUBLISHED = {TWICE: (-18.4, -5.7), THRICE: (-17.7, -3.1)}  # MADRS: ketamine, placebo
ESKETAMINE, RACEMIC = "esketamine 0.25 mg/kg IV", "racemic ketamine 0.5 mg/kg IV"
CORREIA_MELO_PCT = {ESKETAMINE: 100 * (17.5 - 33) / 33, RACEMIC: 100 * (16.2 - 33) / 33}
NASAL = "ketamine HCl 50 mg intranasal (Lapidus 2014)"
NASAL_BASE_MG = 50.0 * 237.7 / 274.2           # hydrochloride -> free base (the model's mg)
SOURCE = ("Zarate 2006 Am J Psychiatry 163:153 (memantine: no effect over 8 weeks); Singh 2016 "
          "Am J Psychiatry 173:816 (twice vs thrice weekly: similar at day 15); Correia-Melo "
          "2020 J Affect Disord 264:527 (esketamine 0.25 non-inferior to racemic 0.5 mg/kg); "
          "Lapidus 2014 Biol Psychiatry 76:970 (intranasal 50 mg: -7.6 MADRS vs saline at "
          "24 h, mild side effects). Published changes include the placebo response; the "
          "model has none. Not fitted to these trials (predictions).")


def memantine_course(weeks: int = MEMANTINE_WEEKS) -> Regimen:
    """Return Zarate 2006's oral memantine: 5 mg/day, raised by 5 mg a week to 20 mg/day,
    one dose a day (with a terminal half-life of 60-80 h, split doses change little)."""
    course = Regimen.none()
    for day in range(7 * weeks):
        course = course + Regimen.bolus(min(5 * (day // 7 + 1), 20), "oral", drug="memantine",
                                        unit="mg", at_h=24.0 * day)
    return course


def infusions_on(days) -> Regimen:
    """Return ketamine 0.5 mg/kg IV over 40 min on each study day (day 1 = time 0)."""
    course = Regimen.none()
    for day in days:
        course = course + Regimen.infusion(0.5, minutes=40, at_h=24.0 * (day - 1))
    return course


def nasal_lapidus() -> Regimen:
    """Return Lapidus 2014's dose: 50 mg ketamine hydrochloride (43.3 mg base) intranasal as
    five equal applications 5 min apart."""
    nasal = Regimen.none()
    for i in range(5):
        nasal = nasal + Regimen.bolus(NASAL_BASE_MG / 5, "intranasal", unit="mg",
                                      at_h=i * 5 / 60)
    return nasal


def simulate(quick: bool):
    """Return {arm: DataFrame} of the composed human model (time_h in hours, readout units):
    memantine to 8 weeks (3 in the quick run), with and without Mg2+ competition; the two
    Singh schedules to day 15; esketamine, racemic and intranasal ketamine to 48 h."""
    human = pathways.load("ketamine_synaptogenesis", species="human")
    weeks = 3 if quick else MEMANTINE_WEEKS
    daily = ep.grid(24.0 * 7 * weeks, fine_until_h=0.0, coarse_step_h=24.0)
    res = {MEMANTINE: human.simulate(memantine_course(weeks), daily[-1], points=daily),
           MEMANTINE_NO_MG: human.simulate(memantine_course(weeks), daily[-1], points=daily,
                                           parameters=NO_MG_COMPETITION)}
    res |= ep.simulate_arms(human, {TWICE: (infusions_on(SINGH_TWICE), ()),
                                    THRICE: (infusions_on(SINGH_THRICE), ())},
                            SINGH_DAY15_H, fine_until_h=SINGH_DAY15_H, fine_step_h=0.25)
    res |= ep.simulate_arms(human, {
        ESKETAMINE: (Regimen.infusion(0.25, minutes=40, drug="esketamine"), ()),
        RACEMIC: (Regimen.infusion(0.5, minutes=40), ()), NASAL: (nasal_lapidus(), ())},
        48.0, fine_step_h=1 / 60)
    return res


def figure(res, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 3, width=7.6, row_height=3.1)
    a = axes.flat
    mem = {k: res[k] for k in (MEMANTINE, MEMANTINE_NO_MG)}
    ep.timecourse(a[0], mem, "symptom_change_pct", days=True, baseline=0.0,
                  published=[ep.Published("published: no treatment effect\n(drawn as above "
                                          "−10%)", ep.IMPROVED, float("inf"))],
                  title="memantine 5 → 20 mg/day for 8 weeks")
    ep.timecourse(a[1], mem, "nmda_block_interneuron", days=True,
                  title="memantine: interneuron NMDAR block at rest", legend=None)
    singh = {k: res[k] for k in (TWICE, THRICE)}
    ep.timecourse(a[2], singh, "symptom_change_pct", days=True, baseline=0.0,
                  published=[ep.Published("−10%", float("-inf"), ep.IMPROVED)],
                  title="twice vs thrice weekly to day 15")
    day15 = {k: mx.value_at(res[k]["symptom_change_pct"], SINGH_DAY15_H) for k in singh}
    a[2].text(0.98, 0.97, "day 15, model: " + ", ".join(
        f"{v:.1f}%" for v in day15.values()) + f" ({day15[THRICE] / day15[TWICE]:.2f}×)\n"
        "published MADRS: " + ",\n".join(f"{k:g} (placebo {p:g})".replace("-", "−") for k, p
                                          in SINGH_PUBLISHED.values()) + ": similar",
        transform=a[2].transAxes, fontsize=5.5, va="top", ha="right", color="#b2182b")
    a[2].set_ylim(top=25.0)
    at24 = {k: mx.value_at(res[k]["symptom_change_pct"], 24.0) for k in (ESKETAMINE, RACEMIC)}
    short = {ESKETAMINE: "esk 0.25", RACEMIC: "rac 0.5"}
    bars = {f"model\n{short[k]}": v for k, v in at24.items()}
    bars |= {f"trial\n{short[k]}": v for k, v in CORREIA_MELO_PCT.items()}
    ep.bars(a[3], bars, ylabel="change at 24 h (% of baseline)", fmt="{:.1f}",
            colors=["C0", "C1", "0.6", "0.75"], title="esketamine 0.25 vs racemic 0.5 mg/kg")
    a[3].set_ylim(bottom=-85.0)
    a[3].text(0.02, 0.03, f"ratio: model {at24[ESKETAMINE] / at24[RACEMIC]:.2f}, published "
              f"{CORREIA_MELO_PCT[ESKETAMINE] / CORREIA_MELO_PCT[RACEMIC]:.2f}\n(published "
              "changes include the placebo response)", transform=a[3].transAxes,
              fontsize=5.5, va="bottom", color="#b2182b")
    ep.timecourse(a[4], {k: res[k] for k in (NASAL, RACEMIC)}, "symptom_change_pct",
                  baseline=0.0, published=[ep.Published("published: better than saline\n"
                                                        "(drawn as ≤ −10%)", float("-inf"),
                                                        ep.IMPROVED, 23.0, 25.0)],
                  title="intranasal 50 mg vs IV 0.5 mg/kg")
    peaks = {label: mx.peak(res[NASAL][r]) / mx.peak(res[RACEMIC][r])
             for label, r in (("dissociation", "dissociation_score"),
                              ("SBP rise", "sbp_change_mmHg"))}
    ep.bars(a[5], peaks, {k: (0.0, 0.5) for k in peaks},
            "published: minimal / not clinically\nsignificant (drawn as < half of IV's)",
            ylabel="intranasal peak / IV peak", title="intranasal side effects", wrap=14)
    return ep.finish(plt, fig, out / NAME, "Clinical trials beyond LITERATURE.md: memantine, "
                     "infusion frequency, esketamine, intranasal ketamine (model predictions)",
                     SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    res = simulate(quick)
    csv = ep.write_csv(res, out_dir / NAME, COLUMNS)
    return [csv, ep.columns_file(csv), *figure(res, out_dir)]


if __name__ == "__main__":
    cli_main(run)
