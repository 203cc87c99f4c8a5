"""Miller 2014 eLife 3:e03581 and Gerhard 2020 J Clin Invest 130:1336: which cells' NMDARs
does ketamine act through? Not LITERATURE rows: predictions (tests/test_predictions.py).

- Miller 2014: deleting GluN2B from principal cortical neurons mimics ketamine (mTOR
  activation, synaptic protein synthesis, antidepressant-like behaviour without the drug)
  and occludes it (ketamine adds nothing).
- Gerhard 2020: GluN2B knockdown in GABA interneurons of mPFC blocks ketamine's
  antidepressant actions; knockdown in principal neurons does not.

Arms (each with its vehicle twin), mouse, ketamine 10 mg/kg i.p. (the papers' doses were
not retrieved): wild type; `knockout("NMDAR_py_rest")` (the pyramidal cells' resting,
ambient-glutamate NMDAR activity, which Miller ascribes to GluN2B); `knockout("NMDAR_in")`
(all interneuron NMDAR drive, the upper bound of a knockdown). Both knockouts are chronic:
they set their own drug-free state, drawn against the wild type's.
"""
from pathlib import Path

import pathways
from pathways import Regimen, knockout
from pathways import experiment_plots as ep
from pathways.experiments import cli_main
from pathways.validation.effects import read

NAME = "glun2b_cell_types"
COLUMNS = ("glutamate_rel", "peEF2_rel", "BDNF_rel", "mTORC1_active_rel",
           "synaptic_proteins_rel", "spine_density_rel", "symptom_change_pct")
GENOTYPES = {"wild type": (), "principal-neuron KO": (knockout("NMDAR_py_rest"),),
             "interneuron KO": (knockout("NMDAR_in"),)}
ARMS = {f"{g}: ketamine 10 mg/kg": g for g in GENOTYPES}
SOURCE = ("Miller 2014 eLife 3:e03581 (principal-neuron GluN2B deletion mimics and occludes "
          "ketamine); Gerhard 2020 J Clin Invest 130:1336 (interneuron knockdown blocks it, "
          "principal-neuron knockdown does not); 'blocks' and 'occludes' read as LITERATURE.md's "
          "'abolished' (≤ 25% of wild type), 'does not block' as ≥ 50%")


def simulate(quick: bool):
    """Return ({arm or vehicle twin: DataFrame}, {arm: effect DataFrame}) of the three
    genotypes (26 h when `quick`, else 72 h)."""
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    return ep.drug_effects(mouse, {arm: (Regimen.bolus(10, "ip"), GENOTYPES[g])
                                   for arm, g in ARMS.items()}, 26.0 if quick else 72.0)


def _share(eff, arm, readout, at_h=None):
    """The effect of `arm` as % of the wild type's, read as the validation suite reads it
    (`pathways.validation.effects.read`: at `at_h`, else a signalling readout at its largest
    change within 0-4 h)."""
    wild_type = eff["wild type: ketamine 10 mg/kg"][readout]
    return 100 * read(eff[arm][readout], readout, at_h) / read(wild_type, readout, at_h)


def figure(raw, eff, out: Path) -> list[Path]:
    """Draw the six panels against both papers; return the PNG and SVG paths."""
    plt, fig, axes = ep.figure(2, 3, row_height=3.0)
    a = axes.flat
    readouts = {"mTORC1_active_rel": "mTORC1", "synaptic_proteins_rel": "synaptic\nproteins",
                "BDNF_rel": "BDNF"}
    raised = {"mTORC1_active_rel": 1.1, "synaptic_proteins_rel": 1.05}   # the test's readings
    for i, g in enumerate(g for g in GENOTYPES if g != "wild type"):
        values = [float(raw[f"{g}: vehicle"][r].iloc[0]) for r in readouts]
        x = [j + (i - 0.5) * 0.38 for j in range(len(readouts))]
        a[0].bar(x, values, width=0.36, color=f"C{i + 1}", label=g, zorder=2)
        for xi, v in zip(x, values):
            a[0].text(xi, v, f"{v:.2f}", ha="center", va="bottom", fontsize=5.5)
    top = 1.15 * a[0].get_ylim()[1]
    for j, r in enumerate(readouts):              # Miller 2014 tested the principal KO only
        if r in raised:
            a[0].fill_between([j - 0.38, j], raised[r], top, color="0.85", zorder=0,
                              label="published (Miller 2014): raised\nwithout the drug"
                              if j == 0 else None)
    a[0].set_ylim(0, top)
    a[0].axhline(1.0, color="0.5", lw=0.6, ls=":")
    a[0].set_xticks(range(len(readouts)), list(readouts.values()), fontsize=6)
    a[0].set_ylabel("fold of wild type")
    ep.set_title(a[0], "drug-free state of each knockout")
    ep.add_legend(a[0])
    short = {g: eff[arm] for arm, g in ARMS.items()}
    ep.timecourse(a[1], short, "symptom_change_pct", baseline=0.0, log_time=True,
                  ylabel="effect vs vehicle (% points)",
                  title="symptom effect, % of each genotype's own drug-free score")
    share = {g: _share(eff, arm, "symptom_change_pct", 24.0) for arm, g in ARMS.items()
             if g != "wild type"}
    ep.bars(a[2], share, {"interneuron KO": (0.0, 25.0), "principal-neuron KO": (50.0, 100.0)},
            "published (Gerhard 2020)", ylabel="effect at 24 h (% of wild type's)",
            title="symptom effect at 24 h (each in % of its own drug-free score)",
            colors=["C1", "C2"], fmt="{:.3g}%", wrap=12)
    a[2].text(0.03, 0.97, "Miller 2014: principal KO\noccludes (≤ 25%)",
              transform=a[2].transAxes, fontsize=5.5, va="top", color="0.25",
              bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})
    ep.timecourse(a[3], {g: raw[arm] for arm, g in ARMS.items()}, "mTORC1_active_rel",
                  t_max=6, baseline=1.0, ylabel="fold of wild type (drug-free)",
                  title="mTORC1 with ketamine, 0-6 h")
    rise = {g: _share(eff, arm, "mTORC1_active_rel") for arm, g in ARMS.items()
            if g != "wild type"}
    ep.bars(a[4], rise, {"principal-neuron KO": (0.0, 25.0)},
            "published (Miller 2014): occluded", ylabel="mTORC1 rise (% of wild type)",
            title="ketamine's mTORC1 rise (largest, 0-4 h)", colors=["C1", "C2"],
            fmt="{:.3g}%", wrap=12)
    ep.timecourse(a[5], {g: raw[arm] for arm, g in ARMS.items()}, "glutamate_rel", t_max=6,
                  baseline=1.0, styles={"principal-neuron KO": {"ls": "--"}},
                  ylabel="fold of wild type (drug-free)", title="glutamate with ketamine, 0-6 h")
    return ep.finish(plt, fig, out / NAME, "Mouse, ketamine 10 mg/kg i.p. after cell-specific "
                     "NMDAR knockouts (Miller 2014; Gerhard 2020), model prediction", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    """Simulate, write the table, its units file and the figure to `out_dir`; return the
    paths."""
    raw, eff = simulate(quick)
    return [*ep.write_table(raw, out_dir / NAME, COLUMNS), *figure(raw, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
