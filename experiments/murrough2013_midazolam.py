"""Murrough 2013 Am J Psychiatry 170:1134: human TRD, ketamine 0.5 mg/kg IV over 40 min vs the
active placebo midazolam 0.045 mg/kg IV over 40 min (LIT-C2).

MADRS change at 24 h: −16.5 vs −8.8 points from a baseline of ≈32. Both arms carry the same
placebo/expectancy response, which the model does not have, so the check is the drug-attributable
difference, ketamine − midazolam ≈ −7.7 points ≈ −24% of baseline (±30%). The published arm
means are drawn too, as hollow markers, to show what the model leaves out.
"""
from pathlib import Path

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "murrough2013_midazolam"
COLUMNS = ("ketamine_plasma", "nmda_block_interneuron", "glutamate_rel", "BDNF_rel",
           "spine_density_rel", "symptom_change_pct", "dissociation_score")
KET, MDZ = "ketamine 0.5 mg/kg/40 min", "midazolam 0.045 mg/kg/40 min"
BASELINE_MADRS = 32.0
PUBLISHED_ARMS = {KET: -16.5 / BASELINE_MADRS * 100, MDZ: -8.8 / BASELINE_MADRS * 100}
DIFF = (-24.0, -31.2, -16.8)           # % of baseline: value, low, high (±30%)
SOURCE = ("Murrough 2013 Am J Psychiatry 170:1134 (LIT-C2): MADRS change at 24 h −16.5 vs "
          "−8.8 points (baseline ≈ 32); ketamine − midazolam −7.7 points ≈ −24% ± 30%.\n"
          "No placebo/expectancy term is modelled, so only the difference is compared.")


def simulate(quick: bool):
    human = pathways.load("ketamine_synaptogenesis", species="human")
    arms = {KET: (Regimen.infusion(0.5, minutes=40), ()),
            MDZ: (Regimen.infusion(0.045, minutes=40, drug="midazolam"), ()),
            "vehicle": (Regimen.none(), ())}
    return ep.simulate_arms(human, arms, 48.0 if quick else 24.0 * 7)


def figure(res, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 2, width=6.6, row_height=3.0)
    a = axes.flat
    styles = {"vehicle": {"color": "0.5", "ls": ":"}}
    ep.timecourse(a[0], res, "symptom_change_pct", days=True, baseline=0.0, styles=styles,
                  title="symptom change, each arm (model)")
    diff = {"ketamine − midazolam": res[KET] - res[MDZ]}
    ep.timecourse(a[1], diff, "symptom_change_pct", days=True, baseline=0.0,
                  ylabel="difference (% of baseline score)", styles={"ketamine − midazolam":
                                                                     {"color": "k"}},
                  title="drug-attributable difference",
                  published=[ep.Published("Murrough 2013: −7.7 of 32 MADRS points\n(−24%; "
                                          "shaded: accepted ±30%)", DIFF[1], DIFF[2], 24.0,
                                          value=DIFF[0], tolerance=True)])
    lo, hi = a[1].get_ylim()
    a[1].set_ylim(min(lo, DIFF[1] - 0.1 * (hi - lo)), hi)      # the lower cap stays visible
    at24 = {"ketamine": mx.value_at(res[KET]["symptom_change_pct"], 24),
            "midazolam": mx.value_at(res[MDZ]["symptom_change_pct"], 24),
            "ketamine − midazolam": mx.value_at(diff["ketamine − midazolam"]
                                                ["symptom_change_pct"], 24)}
    ep.bars(a[2], at24, {"ketamine − midazolam": DIFF[1:]},
            "accepted range around the published −24% (±30%)",
            ylabel="change at 24 h (% of baseline)",
            title="at 24 h: model (bars) and published", colors=["C0", "C1", "k"], wrap=11)
    a[2].plot([0, 1], list(PUBLISHED_ARMS.values()), "o", mfc="none", mec="C3", ms=5,
              label="published arm means (include the\nplacebo response, not modelled)")
    lo, hi = a[2].get_ylim()
    a[2].set_ylim(min(lo, min(PUBLISHED_ARMS.values()) - 5), hi)
    ep.add_legend(a[2])
    ep.timecourse(a[3], {k: v for k, v in res.items()}, "symptom_change_pct", t_max=6,
                  baseline=0.0, styles=styles, title="first 6 h (infusion ends at 40 min)")
    ep.vline(a[3], 110 / 60, "110 min")
    return ep.finish(plt, fig, out / NAME, "Human TRD: ketamine vs midazolam, 0.5 vs 0.045 "
                     "mg/kg IV over 40 min (Murrough 2013)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    res = simulate(quick)
    return [*ep.write_table(res, out_dir / NAME, COLUMNS), *figure(res, out_dir)]


if __name__ == "__main__":
    cli_main(run)
