"""Phoumthipphavong 2016 eNeuro 3:ENEURO.0133-15.2016 and Moda-Sava 2019 Science 364:eaat8078:
mouse medial frontal cortex imaged in vivo before and after one ketamine 10 mg/kg i.p. dose.
Spine density stays higher than after saline for up to 2 weeks, by more formation rather than
less loss (Phoumthipphavong); formation is unchanged 3-6 h after the dose and raised at 12-24 h
(Moda-Sava). LIT-R18. `daily_course_turnover` runs a daily course (Pryazhnikov 2018 Sci Rep
8:6464) as a prediction for tests/test_predictions.py; it is not drawn.

Arms: ketamine 10 mg/kg i.p. and vehicle, 15 days (quick: 3 days). Readouts: spine_density_rel,
spine_formation_rel and spine_elimination_rel (the instantaneous rates behind what imaging
counts between two sessions: new synapse-bearing spines per hour, and loss per spine per
hour), and synaptic_proteins_rel.

The points drawn as "data" are not read off a figure and are not the paper's own statistics:
they are this project's re-analysis of the authors' raw data (repository
Kwan-Lab/phoumthipphavong2016, `spine_summary.m`, with the script's own exclusion of dendrites
damaged on days -3 to 5): each dendrite's density over the mean of its two pre-injection
sessions (days -3 and -1), averaged per mouse, then mean ± SEM over mice (the script
normalises to day -3 only and averages over dendrites: ratios about 1.08, 1.18, 1.25, 1.33,
1.16); formation is new spines over all spines per imaging interval, mean ± SEM over mice. Few mice
were imaged after day 1 (ketamine 2-3, saline 1-2; one saline mouse alone on day 15 and in
days 10-15, drawn without an error bar), and saline density itself fell 11% by day 1, so
the ketamine/saline ratio is partly a saline decline the model, whose vehicle rests at its
steady state, does not have. Imaging counts a new spine only if it is still there at the
second session, so the model's formation per interval is counted the same way: spines formed
in the interval that survive to its end (new spines are lost at `syn_k_new_elim`).
"""
from pathlib import Path

import numpy as np

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "phoumthipphavong2016_spines"
COLUMNS = ("spine_density_rel", "spine_formation_rel", "spine_elimination_rel",
           "synaptic_proteins_rel")
KETAMINE, VEHICLE = "ketamine 10 mg/kg", "vehicle"
# Relative density (mean, SEM over mice) on days 1, 3, 5, 10, 15 after the injection.
DAYS = (1, 3, 5, 10, 15)
NAN = float("nan")                # SEM of a single mouse
SALINE_DENSITY = ((0.8911, 0.0167), (0.8560, 0.0234), (0.7903, 0.0416), (0.7631, 0.0895),
                  (0.8559, NAN))
KETAMINE_DENSITY = ((0.9742, 0.0428), (1.0236, 0.0363), (1.0428, 0.0931), (1.0528, 0.0739),
                    (0.9583, 0.0439))
# Formation per imaging interval (days; % of spines new at the second session; mean, SEM).
INTERVALS = ((-1, 1), (1, 3), (3, 5), (5, 10), (10, 15))
SALINE_FORMATION = ((14.39, 1.11), (12.49, 1.77), (11.26, 0.95), (17.27, 0.72), (21.39, NAN))
KETAMINE_FORMATION = ((23.35, 6.12), (26.22, 6.02), (26.66, 6.52), (36.52, 5.27), (30.81, 8.66))
SOURCE = ("Phoumthipphavong 2016 eNeuro (formation up, elimination not lowered; data points: "
          "this project's per-mouse re-analysis of the authors' raw data, Kwan-Lab/"
          "phoumthipphavong2016: ketamine/saline density 1.09, 1.20, 1.32, 1.38, 1.12 at days 1, "
          "3, 5, 10, 15); Moda-Sava 2019 Science 364:eaat8078 (formation unchanged "
          "at 3-6 h, raised at 12-24 h). LIT-R18: spines ≥ 1.05 from 24 h to 14 days.")


def density_ratio() -> tuple[np.ndarray, np.ndarray]:
    """Return the ketamine/saline density ratio per day in `DAYS` (fold) and its standard
    error (delta method from the two groups' means and SEMs; NaN where a group is one mouse)."""
    k, ks = np.array(KETAMINE_DENSITY).T
    s, ss = np.array(SALINE_DENSITY).T
    ratio = k / s
    return ratio, ratio * np.sqrt((ks / k) ** 2 + (ss / s) ** 2)


def formation_per_interval(df, t0_h: float, t1_h: float, loss_per_h: float) -> float:
    """Return the model's spine formation over [t0_h, t1_h] as imaging counts it: spines
    formed in the interval (`spine_formation`, µM/h) that are still there at t1_h (new spines
    are lost at `loss_per_h`, 1/h), in % of the spines (`syn_spines`, µM) at t0_h. Before
    the dose (t < 0) the model rests at its t = 0 rate."""
    rate = df["spine_formation"]
    rest_end = min(t1_h, 0.0)
    before = (float(rate.iloc[0]) * (np.exp(-loss_per_h * (t1_h - rest_end))
                                     - np.exp(-loss_per_h * (t1_h - t0_h))) / loss_per_h
              if t0_h < rest_end else 0.0)
    w = rate[(rate.index >= max(t0_h, 0.0)) & (rate.index <= t1_h)]
    t = w.index.values
    survivors = w.values * np.exp(-loss_per_h * (t1_h - t))
    after = float(np.trapezoid(survivors, t)) if len(t) > 1 else 0.0
    return float(100 * (before + after) / mx.value_at(df["syn_spines"], max(t0_h, 0.0)))


# Pryazhnikov 2018 (Sci Rep 8:6464, PMC5915413): ketamine 10 mg/kg i.p. daily for 5 days in
# female mice, somatosensory cortex imaged in vivo: spine formation significantly higher over
# 72-132 h but not over 6-24 h after the first dose, elimination unchanged, a net gain of
# spines (sizes not retrieved: the abstract only)
PRYAZHNIKOV_DAYS = (1, 2, 3, 4, 5)
PRYAZHNIKOV_INTERVALS_H = ((6.0, 24.0), (72.0, 132.0))


def daily_course_turnover(mouse) -> dict:
    """Return {(t0 h, t1 h): (formation ratio, elimination ratio)} over Pryazhnikov 2018's
    two imaging windows, ketamine 10 mg/kg i.p. daily for 5 days over vehicle (folds):
    formation counted as imaging counts it (`formation_per_interval`), elimination as the
    mean loss per spine over the window (`spine_elimination`, 1/h; no drug acts on spine
    loss in the model, so this moves only with the share of short-lived new spines)."""
    end = PRYAZHNIKOV_INTERVALS_H[-1][1]
    kw = dict(points=np.linspace(0.0, end, int(end * 10) + 1),
              variables=("spine_formation", "syn_spines", "spine_elimination"))
    course = Regimen.on_days(Regimen.bolus(10, "ip"), PRYAZHNIKOV_DAYS)
    k, v = mouse.simulate(course, end, **kw), mouse.simulate(None, end, **kw)
    loss = mouse.parameters["syn_k_new_elim"]   # a spine that stabilises is still counted
    out = {}
    for a, b in PRYAZHNIKOV_INTERVALS_H:
        formed = (formation_per_interval(k, a, b, loss) / formation_per_interval(v, a, b, loss))
        lost = mx.auc(k["spine_elimination"], a, b) / mx.auc(v["spine_elimination"], a, b)
        out[(a, b)] = (formed, lost)
    return out


def simulate(quick: bool):
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    arms = {KETAMINE: (Regimen.bolus(10, "ip"), ()), VEHICLE: (Regimen.none(), ())}
    return ep.simulate_arms(mouse, arms, (3 if quick else 15) * 24.0,
                            variables=("spine_formation", "syn_spines"))


def _formation_panel(ax, res) -> None:
    loss = pathways.load("ketamine_synaptogenesis", species="mouse").parameters["syn_k_new_elim"]
    end = max(df.index.max() for df in res.values())
    shown = [iv for iv in INTERVALS if iv[1] * 24 <= end + 1e-9]
    x = np.arange(len(shown))
    for i, (arm, color) in enumerate(((VEHICLE, "C1"), (KETAMINE, "C0"))):
        model = [formation_per_interval(res[arm], a * 24.0, b * 24.0, loss) for a, b in shown]
        ax.bar(x + (i - 0.5) * 0.36, model, width=0.34, color=color, alpha=0.85,
               label=f"model, {arm}")
    for i, (values, marker) in enumerate(((SALINE_FORMATION, "o"), (KETAMINE_FORMATION, "s"))):
        pub = np.array([values[INTERVALS.index(iv)] for iv in shown])
        xi, one = x + (i - 0.5) * 0.36, np.isnan(pub[:, 1])    # one mouse: no SEM to draw
        ax.errorbar(xi[~one], pub[~one, 0], yerr=pub[~one, 1], fmt=marker, ms=3.5, capsize=2.5,
                    color=ep.PUBLISHED_COLOR,
                    label=f"data, {'saline' if i == 0 else 'ketamine'} (mean ± SEM over mice)")
        if one.any():
            ax.plot(xi[one], pub[one, 0], marker, mfc="none", color=ep.PUBLISHED_COLOR,
                    ms=3.5, ls="none", label="data, one mouse (no SEM)")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{a} to {b}" for a, b in shown], fontsize=6)
    ax.set_xlabel("imaging interval (days after the dose)")
    ax.set_ylabel("new spines (% per interval)")
    ep.set_title(ax, "spine formation per imaging interval (2 and 5 days)")
    ep.add_legend(ax, "below", ncol=2)


def figure(res, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 2, width=7.2, row_height=3.2)
    a = axes.flat
    end = max(df.index.max() for df in res.values())
    ratio, se = density_ratio()
    shown = [(d, r, e) for d, r, e in zip(DAYS, ratio, se) if d * 24 <= end + 1e-9]
    published = [ep.Published("data: ketamine/saline (mean ± SE)" if i == 0 else "_nolegend_",
                              r - e, r + e, t_h=24.0 * d, value=r)
                 for i, (d, r, e) in enumerate(x for x in shown if not np.isnan(x[2]))]
    ep.timecourse(a[0], {KETAMINE: res[KETAMINE]}, "spine_density_rel", published=published,
                  days=True, baseline=1.0, t_min=0.0, legend=None,
                  ylabel="spine density (fold of vehicle)",
                  title="spine density after one dose (LIT-R18: ≥ 1.05 from day 1 to 14)")
    single = [(d, r) for d, r, e in shown if np.isnan(e)]
    if single:
        a[0].plot(*zip(*single), "s", mfc="none", color=ep.PUBLISHED_COLOR, ms=3.5, ls="none",
                  label="data: one saline mouse (no SE)")
    a[0].axhline(ep.RISE_STRUCTURAL, color="0.6", lw=0.6, ls="--", label="LIT-R18 rise (1.05)")
    a[0].set_ylim(0.95, None)              # the model's curve (≤ 1.01) above the axis
    ep.add_legend(a[0], "below")
    _formation_panel(a[1], res)
    ep.timecourse(a[2], {KETAMINE: res[KETAMINE]}, "spine_formation_rel", t_min=0.0,
                  t_max=48.0, baseline=1.0, published=[
                      ep.Published("Moda-Sava 2019 (shaded): unchanged at 3-6 h\n(0.90-1.10), "
                                   "raised at 12-24 h (≥ 1.10)", ep.FALL, ep.RISE,
                                   t_h=3.0, t_end_h=6.0),
                      ep.Published("_nolegend_", ep.RISE, float("inf"),
                                   t_h=12.0, t_end_h=24.0)],
                  ylabel="spine formation (fold of baseline)",
                  title="formation rate, first 2 days")
    ep.timecourse(a[3], res, "spine_elimination_rel", days=True, baseline=1.0, t_min=0.0,
                  published=[ep.Published("published: elimination not lowered (≥ 0.90;\n"
                                          "no drug acts on spine loss in the model)",
                                          ep.FALL, 1.05)],
                  ylabel="spine loss per spine (fold of baseline)",
                  title="elimination rate per spine")
    a[3].set_ylim(0.85, 1.05)              # the 0.90 edge of the published band shows
    return ep.finish(plt, fig, out / NAME, "Mouse mPFC, ketamine 10 mg/kg i.p.: spine "
                     "turnover (Phoumthipphavong 2016; Moda-Sava 2019)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    res = simulate(quick)
    return [*ep.write_table(res, out_dir / NAME, COLUMNS), *figure(res, out_dir)]


if __name__ == "__main__":
    cli_main(run)
