"""Abdallah 2020 Neuropsychopharmacology 45:990: oral rapamycin (sirolimus) 6 mg 2 h before
ketamine 0.5 mg/kg IV over 40 min, double-blind crossover, 20 depressed patients. Published:
rapamycin did not alter ketamine's antidepressant effect at 24 h, and it prolonged it (a
treatment-by-time interaction over 2 weeks; at 2 weeks 41% responders after rapamycin +
ketamine against 13% after placebo + ketamine). Not a LITERATURE row: a prediction.

What the model needs and nobody measured is how much prefrontal mTORC1 a 6-mg oral dose
inhibits (the authors raise under-dosing, and systemic against local blockade). So the peak
brain inhibition is scanned, from 1% to the 90% that the rat i.c.v. preset assumes (LIT-R6).
Its time course follows the blood: peak 1 h after the dose (tmax about 1-2 h) and a terminal
half-life of 62 h (Rapamune label, 62 +- 16 h), the inhibition being the occupancy
c/(c + IC50) of a concentration c that decays with that half-life (`sirolimus_inhibition`).

The trial had no rapamycin-alone arm, so its comparison is rapamycin + ketamine against
placebo + ketamine, each a change from the score before treatment (`symptom_pre_dose_pct`:
from the score before rapamycin, whereas `symptom_change_pct` starts at ketamine's time 0),
not LITERATURE.md's drug effect under the tool; both are reported.

Model: at 24 h rapamycin + ketamine keeps two thirds of ketamine's change only while the
peak brain inhibition stays below a few percent (`threshold_inhibition`), because tonic
mTORC1 activity holds the synaptic drive that the steep fitted symptom gain reads
(rapamycin alone worsens the score); at 2 weeks rapamycin never prolongs relief: in the
model mTORC1 inhibition only removes synaptic protein, and with its 62-h half-life it still
acts at 2 weeks. The authors' candidates for the prolongation (anti-inflammatory or
peripheral immune effects, autophagy) are not modelled.
"""
from pathlib import Path

import pathways
from pathways import Regimen, inhibit
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.errors import PathwaysInputError
from pathways.experiments import cli_main

NAME = "abdallah2020_rapamycin"
COLUMNS = ("mTORC1_active_rel", "synaptic_proteins_rel", "spine_density_rel",
           "symptom_change_pct", "symptom_pre_dose_pct")
KETAMINE = Regimen.infusion(0.5, minutes=40)
SIROLIMUS_AT_H = -2.0          # oral 6 mg, 2 h before the infusion (Abdallah 2020)
SIROLIMUS_TMAX_H = 1.0         # blood peak 1-2 h after an oral dose (Rapamune label)
SIROLIMUS_HALF_LIFE_H = 62.0   # terminal half-life, 62 +- 16 h (Rapamune label)
PIECE_H = 6.0                  # the decaying inhibition is applied in 6-h steps
END_H = 14 * 24.0              # the trial's 2-week follow-up
BRAIN_INHIBITION = (0.01, 0.02, 0.05, 0.1, 0.3, 0.9)   # peak brain mTORC1 inhibition, scanned
DRAWN = (0.01, 0.05, 0.1, 0.9)
KEPT_AT_24H = 2 / 3     # "did not alter": read as keeping at least two thirds of the change
PUBLISHED_RESPONDERS_2W = {"rapamycin + ketamine": 41.0, "placebo + ketamine": 13.0}   # %
SOURCE = ("Abdallah 2020 Neuropsychopharmacology 45:990 (n = 20, crossover): oral rapamycin "
          "6 mg 2 h before ketamine 0.5 mg/kg IV did not alter the 24-h antidepressant effect "
          "and prolonged it (responders at 2 weeks 41% vs 13%). Brain mTORC1 inhibition by the "
          "oral dose was not measured: scanned here. Sirolimus half-life 62 h (Rapamune label). "
          "A prediction, not fitted.")


def arm_name(peak_fraction: float) -> str:
    """Return the name of the rapamycin + ketamine arm at `peak_fraction` brain inhibition;
    its rapamycin-alone twin ends in ": vehicle" (`experiment_plots.drug_effects`)."""
    return f"rapamycin {100 * peak_fraction:g}% peak: ketamine"


def sirolimus_inhibition(peak_fraction: float, end_h: float = END_H) -> list:
    """Return the perturbations that stand for one oral sirolimus dose at `SIROLIMUS_AT_H`:
    mTORC1 inhibited by the occupancy c/(c + IC50) of a blood concentration c that peaks
    `SIROLIMUS_TMAX_H` after the dose (inhibition `peak_fraction`, 0-1) and falls with the
    62-h half-life, as `inhibit("mTORC1", ...)` steps of `PIECE_H` hours, each holding the
    value at its start, up to `end_h` (h), the last lasting to the end of the run. Before
    the peak none (the absorption phase is not modelled)."""
    import math
    if not 0.0 < peak_fraction < 1.0:
        raise PathwaysInputError(f"peak_fraction must lie in (0, 1), got {peak_fraction!r}")
    start = SIROLIMUS_AT_H + SIROLIMUS_TMAX_H
    if not (math.isfinite(end_h) and end_h > start):
        raise PathwaysInputError(f"end_h must be a number of hours after the blood peak "
                                 f"({start:g} h), got {end_h!r}")
    peak_ratio = peak_fraction / (1.0 - peak_fraction)        # c / IC50 at the peak
    steps, t = [], start
    while t < end_h:
        ratio = peak_ratio * 2.0 ** (-(t - start) / SIROLIMUS_HALF_LIFE_H)
        last = t + PIECE_H >= end_h                 # the last step lasts to the run's end
        steps.append(inhibit("mTORC1", ratio / (1.0 + ratio), at_h=t,
                             until_h=None if last else t + PIECE_H))
        t += PIECE_H
    return steps


def change_from_pre_dose(df):
    """Return the symptom change (% of the score before rapamycin, the first row of `df`,
    which must hold `symptom_score`) of one arm over its times (h). The package's
    `symptom_change_pct` is relative to the score at time 0, after an hour of inhibition;
    the trial's baseline was rated before treatment."""
    score = df["symptom_score"]
    return 100.0 * (score / score.iloc[0] - 1.0)


def simulate_arms(model, fractions, end_h: float, **grid_kw) -> dict:
    """Return {arm: DataFrame} (time_h in hours; readouts in their units, `symptom_score`
    and `symptom_pre_dose_pct`, the change from the score before rapamycin in %) of
    ketamine alone, vehicle, and rapamycin + ketamine and rapamycin alone at each peak
    brain inhibition in `fractions`, to `end_h` h."""
    arms = {"ketamine": (KETAMINE, ())}
    arms |= {arm_name(f): (KETAMINE, tuple(sirolimus_inhibition(f, end_h))) for f in fractions}
    raw, _ = ep.drug_effects(model, arms, end_h, variables=["symptom_score"], **grid_kw)
    for df in raw.values():
        df["symptom_pre_dose_pct"] = change_from_pre_dose(df)
    return raw


def changes_at(model, peak_fraction: float, times_h) -> dict[str, list[float]]:
    """Return the symptom change (% of the score before rapamycin) at `times_h` (h) of
    "ketamine" alone, "rapamycin + ketamine" and "rapamycin" alone, for one `peak_fraction`
    of brain mTORC1 inhibition."""
    times = [float(t) for t in times_h]
    raw = simulate_arms(model, [peak_fraction], max(times), fine_until_h=0.0)
    both = arm_name(peak_fraction)
    keys = {"ketamine": "ketamine", "rapamycin + ketamine": both,
            "rapamycin": both.replace(": ketamine", ": vehicle")}
    return {k: [mx.value_at(raw[arm]["symptom_pre_dose_pct"], t) for t in times]
            for k, arm in keys.items()}


def _with_ketamine_at_24h(model, peak_fraction: float) -> float:
    """Return the 24-h symptom change (% of the score before rapamycin) of rapamycin +
    ketamine at `peak_fraction` brain mTORC1 inhibition."""
    start = SIROLIMUS_AT_H + SIROLIMUS_TMAX_H
    df = model.simulate(KETAMINE, 24.0, perturbations=sirolimus_inhibition(peak_fraction, 24.0),
                        points=[start, 24.0], variables=["symptom_score"])
    return float(change_from_pre_dose(df).iloc[-1])


def kept_at_24h(model, peak_fraction: float, ketamine_pct: float | None = None) -> float:
    """Return the 24-h symptom change of rapamycin + ketamine as a fraction of ketamine's
    alone (1: unaltered; dimensionless) at `peak_fraction` brain mTORC1 inhibition;
    `ketamine_pct`, ketamine's own 24-h change (%), is simulated when not given."""
    if ketamine_pct is None:
        ketamine_pct = float(model.simulate(KETAMINE, 24.0, points=[0.0, 24.0])
                             ["symptom_change_pct"].iloc[-1])
    return _with_ketamine_at_24h(model, peak_fraction) / ketamine_pct


def threshold_inhibition(model, tol: float = 1e-3) -> float:
    """Return the peak brain mTORC1 inhibition (fraction) above which rapamycin + ketamine
    keeps less than `KEPT_AT_24H` of ketamine's 24-h change (bisection to `tol`), or NaN
    when the scanned range (0.0001 to the largest of `BRAIN_INHIBITION`) does not hold it."""
    ketamine = float(model.simulate(KETAMINE, 24.0, points=[0.0, 24.0])
                     ["symptom_change_pct"].iloc[-1])

    def kept(f):
        return kept_at_24h(model, f, ketamine)
    lo, hi = 1e-4, BRAIN_INHIBITION[-1]
    if kept(lo) < KEPT_AT_24H or kept(hi) >= KEPT_AT_24H:
        return float("nan")
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if kept(mid) >= KEPT_AT_24H else (lo, mid)
    return (lo + hi) / 2


def simulate(quick: bool):
    """Return ({arm: DataFrame}, {peak fraction: (kept at 24 h, rapamycin + ketamine minus
    ketamine at 2 weeks in % points, LITERATURE.md's effect under the tool kept at 24 h)},
    threshold) of the composed human model over 2 weeks. "Kept" is a fraction of ketamine's
    own 24-h change; the effect under the tool is (rapamycin + ketamine) − (rapamycin alone);
    changes are from the score before rapamycin. The quick run scans fewer fractions."""
    human = pathways.load("ketamine_synaptogenesis", species="human")
    fractions = DRAWN if quick else BRAIN_INHIBITION
    raw = simulate_arms(human, fractions, END_H, fine_until_h=24.0, fine_step_h=0.25,
                        coarse_step_h=2.0)
    ket = raw["ketamine"]["symptom_pre_dose_pct"]
    k24 = mx.value_at(ket, 24.0)
    scan = {}
    for f in fractions:
        both = raw[arm_name(f)]["symptom_pre_dose_pct"]
        alone = raw[arm_name(f).replace(": ketamine", ": vehicle")]["symptom_pre_dose_pct"]
        scan[f] = (mx.value_at(both, 24.0) / k24,
                   mx.value_at(both, END_H) - mx.value_at(ket, END_H),
                   (mx.value_at(both, 24.0) - mx.value_at(alone, 24.0)) / k24)
    return raw, scan, threshold_inhibition(human)


def figure(raw, scan, threshold, out: Path) -> list[Path]:
    """Draw the symptom course, the 24-h change kept and the 2-week difference against the
    peak brain inhibition, and mTORC1; return the PNG and SVG paths under `out`."""
    plt, fig, axes = ep.figure(2, 2, width=7.2, row_height=3.1)
    a = axes.flat
    pre = "symptom_pre_dose_pct"
    k24 = mx.value_at(raw["ketamine"][pre], 24.0)
    drawn = {"ketamine alone": raw["ketamine"]}
    drawn |= {f"+ rapamycin, {100 * f:g}% peak": raw[arm_name(f)] for f in DRAWN}
    ep.timecourse(a[0], drawn, pre, days=True, baseline=0.0,
                  ylabel="symptom change (%, from\nthe score before rapamycin)",
                  published=[ep.Published("published: rapamycin did not alter 24 h\n"
                                          f"(drawn as ≥ {KEPT_AT_24H:.2g} of ketamine's)",
                                          *ep.share_of(k24, at_least=KEPT_AT_24H), 12.0, 36.0)],
                  title="symptom over 2 weeks (ketamine at 0 h)")
    a[0].set_ylim(-40.0, 80.0)
    top = DRAWN[-1]
    a[0].text(0.98, 0.97, f"{100 * top:g}% peak: off the scale\n("
              f"{mx.value_at(raw[arm_name(top)][pre], 24.0):+.0f}% at 24 h)",
              transform=a[0].transAxes, fontsize=5.5, ha="right", va="top")
    fr = sorted(scan)
    pct = [100 * f for f in fr]
    a[1].semilogx(pct, [scan[f][0] for f in fr], "o-", color="C0", ms=3,
                  label="rapamycin + ketamine / ketamine alone")
    a[1].semilogx(pct, [scan[f][2] for f in fr], "s--", color="0.35", ms=3,
                  label="not the trial's comparison: effect under the tool\n"
                        "((rapamycin + ketamine) − rapamycin alone) / ketamine alone")
    a[1].axhspan(KEPT_AT_24H, 1.15, color=ep.EXPECT_COLOR, alpha=0.8, lw=0, zorder=0,
                 label="published, for the solid curve: not altered\n(drawn as ≥ 2/3)")
    ep.vline(a[1], 100 * threshold, f"{100 * threshold:.1f}%")
    a[1].axhline(0.0, color="0.5", lw=0.6, ls=":")
    a[1].set_ylim(-1.0, 1.45)
    below = [f"{100 * f:g}%: {scan[f][0]:.1f}" for f in fr if scan[f][0] < -1.0]
    if below:
        a[1].text(0.98, 0.03, "off the scale: " + ", ".join(below).replace("-", "−"),
                  transform=a[1].transAxes, fontsize=5.5, ha="right", va="bottom")
    a[1].set_xlabel("peak brain mTORC1 inhibition (%, not measured)")
    a[1].set_ylabel("24-h change kept (fraction)")
    ep.set_title(a[1], "24 h: relief kept against brain inhibition")
    ep.add_legend(a[1])
    a[2].semilogx(pct, [scan[f][1] for f in fr], "o-", color="C3", ms=3,
                  label="model: rapamycin + ketamine − ketamine alone")
    a[2].axhspan(-10.0, 0.0, color=ep.EXPECT_COLOR, alpha=0.8, lw=0, zorder=0,
                 label="published: prolonged (responders {:g}% vs {:g}%)".format(
                     *PUBLISHED_RESPONDERS_2W.values()))
    a[2].axhline(0.0, color="0.5", lw=0.6, ls=":")
    a[2].set_ylim(-10.0, 20.0)
    above = [f"{100 * f:g}%: {scan[f][1]:+.0f}" for f in fr if scan[f][1] > 20.0]
    k2w = mx.value_at(raw["ketamine"][pre], END_H)
    a[2].text(0.02, 0.97, f"ketamine alone at 2 weeks: {k2w:.1f}%".replace("-", "−")
              + ("\noff the scale: " + ", ".join(above) if above else ""),
              transform=a[2].transAxes, fontsize=5.5, ha="left", va="top")
    a[2].set_xlabel("peak brain mTORC1 inhibition (%, not measured)")
    a[2].set_ylabel("difference at 2 weeks (% points)")
    ep.set_title(a[2], "2 weeks: rapamycin + ketamine vs ketamine alone")
    ep.add_legend(a[2])
    ep.timecourse(a[3], drawn, "mTORC1_active_rel", days=True, baseline=1.0, legend=None,
                  title="mTORC1 activity (arms as top left)")
    return ep.finish(plt, fig, out / NAME, "Human, oral rapamycin 6 mg 2 h before ketamine "
                     "0.5 mg/kg IV over 40 min: the model against Abdallah 2020", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    """Simulate the arms and write the CSV of every arm's readouts, its column description
    and the figure; return their paths."""
    raw, scan, threshold = simulate(quick)
    tables = ep.write_table(raw, out_dir / NAME, COLUMNS, units={
        "symptom_pre_dose_pct": ("%", "change of the depression score from its value before "
                                      "rapamycin (the trial's baseline); symptom_change_pct "
                                      "is from time 0")})
    return [*tables, *figure(raw, scan, threshold, out_dir)]


if __name__ == "__main__":
    cli_main(run)
