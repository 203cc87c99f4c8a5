"""The headline experiment: human, ketamine 0.5 mg/kg IV over 40 min vs vehicle and the active
placebo midazolam 0.045 mg/kg IV over 40 min (Zarate 2006; Murrough 2013), 14 days.

One multi-panel figure (PNG + SVG) from dose to symptom, with the published clinical points of
LIT-C1/C2, and a CSV of every readout of the three arms. No placebo/expectancy term is
modelled, so the figure compares ketamine − midazolam with the published difference.
"""
from pathlib import Path

import numpy as np
import pandas as pd

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways.experiments import cli_main
from pathways.plotting import pyplot, save

ARMS = {
    "ketamine 0.5 mg/kg/40 min": Regimen.infusion(0.5, minutes=40),
    "midazolam 0.045 mg/kg/40 min": Regimen.infusion(0.045, minutes=40, drug="midazolam"),
    "vehicle": Regimen.none(),
}
# LIT-C2 (Murrough 2013): ketamine − midazolam at 24 h ≈ −7.7 of 32 MADRS points, ±30%
C2_DIFF = (24.0, -24.0, -31.2, -16.8)


def simulate(quick: bool) -> dict[str, pd.DataFrame]:
    """Return {arm: DataFrame} of the composed model's readouts (time in hours) to 14 days
    (48 h when `quick`)."""
    end_h = 48.0 if quick else 24.0 * 14
    model = pathways.load("ketamine_synaptogenesis", species="human")
    times = np.unique(np.concatenate([np.arange(0, 6, 1 / 30), np.arange(6, end_h + 1e-9, 0.5)]))
    return {arm: model.simulate(reg, end_h, points=times[times <= end_h])
            for arm, reg in ARMS.items()}


def figure(results: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    plt = pyplot()
    ket = results["ketamine 0.5 mg/kg/40 min"]
    mdz = results["midazolam 0.045 mg/kg/40 min"]
    fig, axes = plt.subplots(3, 3, figsize=(7.2, 8.4))
    ax = axes.flat
    early = ket.index <= 6

    def panel(a, cols, title, ylabel, df=ket, window=early, days=False):
        for c, ls in zip(cols, ep.SERIES_DASHES):        # coinciding curves stay visible
            x = df.index[window] / (24 if days else 1)
            a.plot(x, df[c][window], lw=1.2, ls=ls, label=c)
        a.set_title(title, fontsize=8)
        a.set_ylabel(ylabel, fontsize=7)
        a.set_xlabel("time (days)" if days else "time (h)", fontsize=7)
        if len(cols) > 1:            # below the axes, clear of the curves
            a.legend(fontsize=5.5, frameon=False, loc="upper center",
                     bbox_to_anchor=(0.5, -0.3), ncol=1)

    panel(ax[0], ["ketamine_plasma", "norketamine_plasma"], "plasma (ng/mL)", "ng/mL")
    panel(ax[1], ["nmda_block_interneuron", "nmda_block_pyramidal"], "NMDAR block", "fraction")
    panel(ax[2], ["interneuron_activity_rel", "pyramidal_activity_rel", "glutamate_rel"],
          "disinhibition and glutamate", "fold of baseline")
    panel(ax[3], ["peEF2_rel", "BDNF_rel", "TrkB_active_rel"], "eEF2 / BDNF / TrkB",
          "fold of baseline")
    panel(ax[4], ["pAkt_rel", "pERK_rel", "mTORC1_active_rel", "p4EBP_rel", "pS6K_rel"],
          "Akt, ERK, mTORC1, 4E-BP, S6K", "fold of baseline")
    panel(ax[5], ["synaptic_proteins_rel", "spine_density_rel"], "synaptic proteins, spines",
          "fold of baseline", window=slice(None), days=True)

    a = ax[6]
    days = ket.index / 24
    a.plot(days, ket["symptom_change_pct"], lw=1.2, label="ketamine")
    a.plot(days, mdz["symptom_change_pct"], lw=1.2, label="midazolam")
    a.plot(days, results["vehicle"]["symptom_change_pct"], lw=0.8, color="0.6", label="vehicle")
    diff = ket["symptom_change_pct"] - mdz["symptom_change_pct"]
    a.plot(days, diff, lw=1.2, ls="--", color="k", label="ketamine − midazolam")
    t, v, lo, hi = C2_DIFF
    a.fill_between([t / 24 - 0.15, t / 24 + 0.15], lo, hi, color="C3", alpha=0.2, lw=0,
                   label="accepted range (±30%) of the Murrough 2013 difference")
    a.plot([t / 24], [v], "s", color="C3", ms=3, label="Murrough 2013 difference (LIT-C2)")
    a.axvspan(3, 12, color="0.9", zorder=0, label="relief mostly lost (LIT-C1)")
    a.plot([110 / 60 / 24], [-10.0], marker="v", color="C3", ms=4, ls="none", zorder=4,
           label="LIT-C1: ≤ −10% by 110 min (at or below the mark)")
    a.set(title="symptom change (no placebo term modelled)", xlabel="time (days)",
          ylabel="% of pre-dose score")
    a.title.set_fontsize(8)
    a.legend(fontsize=5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.28),
             ncol=2)

    panel(ax[7], ["dissociation_score"], "dissociation (CADSS-like)", "points")
    panel(ax[8], ["sbp_change_mmHg"], "systolic BP change", "mmHg")
    fig.suptitle("Human, ketamine 0.5 mg/kg IV over 40 min vs vehicle and midazolam "
                 "0.045 mg/kg over 40 min (composed model)", fontsize=9)
    fig.tight_layout()
    paths = save(fig, out / "headline")
    plt.close(fig)
    return paths


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    results = simulate(quick)
    table = pd.concat(results, names=["arm", "time_h"])
    csv = out_dir / "headline.csv"
    table.to_csv(csv, float_format="%.6g")
    units = ep.write_column_units(table.reset_index().columns, csv)
    return [csv, units, *figure(results, out_dir)]


if __name__ == "__main__":
    cli_main(run)
