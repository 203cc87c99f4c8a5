"""Abdallah 2020 Neuropsychopharmacology 45:990: oral rapamycin (sirolimus) 6 mg 2 h before
ketamine 0.5 mg/kg IV over 40 min, double-blind crossover, 20 depressed patients. Published:
rapamycin did not alter ketamine's antidepressant effect at 24 h, and it prolonged it (a
treatment-by-time interaction over 2 weeks; at 2 weeks 41% responders after rapamycin +
ketamine against 13% after placebo + ketamine). Not a LITERATURE row: a prediction.

What the model needs and nobody measured is how much prefrontal mTORC1 a 6-mg oral dose
inhibits (sirolimus is a P-glycoprotein substrate that crosses the blood-brain barrier
poorly; the authors discuss under-dosing). So the peak brain inhibition is scanned, from 1%
to the 90% that the rat i.c.v. preset assumes (LIT-R6). Its time course follows the blood:
peak 1 h after the dose (tmax about 1-2 h) and a terminal half-life of 62 h (Rapamune
label, 62 +- 16 h), the inhibition being the occupancy c/(c + IC50) of a concentration c that
decays with that half-life (`sirolimus_inhibition`).

The trial had no rapamycin-alone arm, so its comparison is rapamycin + ketamine against
placebo + ketamine, each a change from the pre-dose score (the model's `symptom_change_pct`
against vehicle), not LITERATURE.md's drug effect under the tool; both are reported.

Model: at 24 h rapamycin + ketamine keeps two thirds of ketamine's change only while the
peak brain inhibition stays below a few percent (`threshold_inhibition`), because tonic
mTORC1 activity holds the synaptic drive that the steep fitted symptom gain reads
(rapamycin alone worsens the score); at 2 weeks rapamycin never prolongs relief: in the
model it only removes synaptic protein. The authors' candidates for the prolongation
(anti-inflammatory or peripheral immune effects, autophagy) are not modelled.
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
           "symptom_change_pct")
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
    """Return the name of the rapamycin + ketamine arm at `peak_fraction` brain inhibition."""
    return f"rapamycin (peak brain mTORC1 inhibition {100 * peak_fraction:g}%): ketamine"


def sirolimus_inhibition(peak_fraction: float, end_h: float = END_H) -> list:
    """Return the perturbations that stand for one oral sirolimus dose at `SIROLIMUS_AT_H`:
    mTORC1 inhibited by `peak_fraction` (0-1) at the blood peak (`SIROLIMUS_TMAX_H` after
    the dose), then by the occupancy c/(c + IC50) of a concentration c falling with the
    62-h half-life, as `inhibit("mTORC1", ...)` steps of `PIECE_H` hours up to `end_h` (h),
    the last lasting to the end of the run.
    Before the peak none (the absorption phase is not modelled)."""
    if not 0.0 < peak_fraction < 1.0:
        raise PathwaysInputError(f"peak_fraction must lie in (0, 1), got {peak_fraction!r}")
    start = SIROLIMUS_AT_H + SIROLIMUS_TMAX_H
    peak_ratio = peak_fraction / (1.0 - peak_fraction)        # c / IC50 at the peak
    steps, t = [], start
    while t < end_h:
        mid = min(t + PIECE_H / 2, end_h) - start
        ratio = peak_ratio * 2.0 ** (-mid / SIROLIMUS_HALF_LIFE_H)
        last = t + PIECE_H >= end_h                 # the last step lasts to the run's end
        steps.append(inhibit("mTORC1", ratio / (1.0 + ratio), at_h=t,
                             until_h=None if last else t + PIECE_H))
        t += PIECE_H
    return steps


def changes_at(model, peak_fraction: float, times_h) -> dict[str, list[float]]:
    """Return the symptom change (% of the pre-dose score) at `times_h` (h) of "ketamine"
    alone, "rapamycin + ketamine" and "rapamycin" alone, each against the untreated
    baseline, for one `peak_fraction` of brain mTORC1 inhibition."""
    times = sorted(set(float(t) for t in times_h) | {0.0})
    end = max(times)
    perts = sirolimus_inhibition(peak_fraction, end)
    def at(regimen, p):
        grid = [SIROLIMUS_AT_H + SIROLIMUS_TMAX_H, *times] if p else times   # from its start
        s = model.simulate(regimen, end, perturbations=p, points=grid)["symptom_change_pct"]
        return [float(s.loc[t]) for t in times_h]
    return {"ketamine": at(KETAMINE, ()), "rapamycin + ketamine": at(KETAMINE, perts),
            "rapamycin": at(Regimen.none(), perts)}


def kept_at_24h(model, peak_fraction: float) -> float:
    """Return the 24-h symptom change of rapamycin + ketamine as a fraction of ketamine's
    alone (1: unaltered; dimensionless) at `peak_fraction` brain mTORC1 inhibition."""
    c = changes_at(model, peak_fraction, [24.0])
    return c["rapamycin + ketamine"][0] / c["ketamine"][0]


def threshold_inhibition(model, tol: float = 1e-3) -> float:
    """Return the peak brain mTORC1 inhibition (fraction) above which rapamycin + ketamine
    keeps less than `KEPT_AT_24H` of ketamine's 24-h change (bisection to `tol`)."""
    lo, hi = 1e-4, BRAIN_INHIBITION[-1]
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if kept_at_24h(model, mid) >= KEPT_AT_24H else (lo, mid)
    return (lo + hi) / 2


def simulate(quick: bool):
    """Return ({arm: DataFrame}, {peak fraction: (kept at 24 h, rapamycin + ketamine minus
    ketamine at 2 weeks in % points, LITERATURE.md's effect under the tool kept at 24 h)},
    threshold) of the composed human model over 2 weeks. "Kept" is a fraction of ketamine's
    own 24-h change; the effect under the tool is (rapamycin + ketamine) − (rapamycin alone).
    The quick run scans fewer fractions."""
    human = pathways.load("ketamine_synaptogenesis", species="human")
    fractions = DRAWN if quick else BRAIN_INHIBITION
    arms = {"ketamine": (KETAMINE, ())}
    arms |= {arm_name(f): (KETAMINE, tuple(sirolimus_inhibition(f))) for f in fractions}
    raw = ep.simulate_arms(human, arms, END_H, fine_until_h=24.0, fine_step_h=0.25,
                           coarse_step_h=2.0)
    for f in fractions:                       # the rapamycin-alone arm of each scan point
        raw[arm_name(f).replace(": ketamine", ": vehicle")] = human.simulate(
            Regimen.none(), END_H, perturbations=sirolimus_inhibition(f),
            points=raw[arm_name(f)].index.values)
    ket = raw["ketamine"]["symptom_change_pct"]
    scan = {}
    for f in fractions:
        both = raw[arm_name(f)]["symptom_change_pct"]
        alone = raw[arm_name(f).replace(": ketamine", ": vehicle")]["symptom_change_pct"]
        k24 = mx.value_at(ket, 24.0)
        scan[f] = (mx.value_at(both, 24.0) / k24,
                   mx.value_at(both, END_H) - mx.value_at(ket, END_H),
                   (mx.value_at(both, 24.0) - mx.value_at(alone, 24.0)) / k24)
    return raw, scan, threshold_inhibition(human)


def figure(raw, scan, threshold, out: Path) -> list[Path]:
    """Draw the symptom course, the 24-h change kept and the 2-week difference against the
    peak brain inhibition, and mTORC1; return the PNG and SVG paths under `out`."""
    plt, fig, axes = ep.figure(2, 2, width=7.2, row_height=3.0)
    a = axes.flat
    drawn = {"ketamine alone": raw["ketamine"]}
    drawn |= {f"+ rapamycin, {100 * f:g}% peak": raw[arm_name(f)] for f in DRAWN if
              arm_name(f) in raw}
    ep.timecourse(a[0], drawn, "symptom_change_pct", days=True, baseline=0.0,
                  ylabel="change from pre-dose score (%)",
                  published=[ep.Published("published: rapamycin did not alter 24 h\n"
                                          f"(drawn as ≥ {KEPT_AT_24H:.2g} of ketamine's)",
                                          float("-inf"), KEPT_AT_24H * mx.value_at(
                                              raw["ketamine"]["symptom_change_pct"], 24.0),
                                          20.0, 28.0)],
                  title="symptom over 2 weeks (ketamine at 0 h)")
    a[0].set_ylim(-40.0, 80.0)
    fr = sorted(scan)
    pct = [100 * f for f in fr]
    a[1].semilogx(pct, [scan[f][0] for f in fr], "o-", color="C0", ms=3,
                  label="rapamycin + ketamine / ketamine (the trial's comparison)")
    a[1].semilogx(pct, [scan[f][2] for f in fr], "s--", color="0.35", ms=3,
                  label="effect under the tool / ketamine's\n((rapamycin + ketamine) − "
                        "rapamycin alone)")
    a[1].axhspan(KEPT_AT_24H, 1.15, color=ep.EXPECT_COLOR, alpha=0.8, lw=0, zorder=0,
                 label="published: not altered (drawn as ≥ 2/3)")
    ep.vline(a[1], 100 * threshold, f"{100 * threshold:.1f}%")
    a[1].axhline(0.0, color="0.5", lw=0.6, ls=":")
    a[1].set_ylim(-1.0, 1.15)
    below = [f"{100 * f:g}%: {scan[f][0]:.1f}" for f in fr if scan[f][0] < -1.0]
    if below:
        a[1].text(0.98, 0.03, "off the scale: " + ", ".join(below).replace("-", "−"),
                  transform=a[1].transAxes, fontsize=5.5, ha="right", va="bottom")
    a[1].set_xlabel("peak brain mTORC1 inhibition (%, not measured)")
    a[1].set_ylabel("24-h change kept (fraction)")
    ep.set_title(a[1], "24 h: relief kept against brain inhibition")
    ep.add_legend(a[1])
    a[2].semilogx(pct, [scan[f][1] for f in fr], "o-", color="C3", ms=3,
                  label="model: rapamycin + ketamine − ketamine")
    a[2].axhspan(-200.0, 0.0, color=ep.EXPECT_COLOR, alpha=0.8, lw=0, zorder=0,
                 label="published: prolonged (responders 41% vs 13%)")
    a[2].set_ylim(-20.0, max(20.0, 1.1 * max(scan[f][1] for f in fr)))
    a[2].set_yscale("symlog", linthresh=10.0)
    a[2].set_xlabel("peak brain mTORC1 inhibition (%, not measured)")
    a[2].set_ylabel("difference at 2 weeks (% points)")
    ep.set_title(a[2], "2 weeks: rapamycin + ketamine vs ketamine")
    ep.add_legend(a[2])
    ep.timecourse(a[3], drawn, "mTORC1_active_rel", days=True, baseline=1.0, legend=None,
                  title="mTORC1 activity (arms as top left)")
    return ep.finish(plt, fig, out / NAME, "Human, oral rapamycin 6 mg 2 h before ketamine "
                     "0.5 mg/kg IV over 40 min: the model against Abdallah 2020", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    """Simulate the arms and write the CSV of every arm's readouts, its column description
    and the figure; return their paths."""
    raw, scan, threshold = simulate(quick)
    return [*ep.write_table(raw, out_dir / NAME, COLUMNS), *figure(raw, scan, threshold,
                                                                     out_dir)]


if __name__ == "__main__":
    cli_main(run)
