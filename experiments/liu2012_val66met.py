"""Liu 2012 Biol Psychiatry 71:996: mouse BDNF Val66Met knock-in. Met carriers have fewer spines
at baseline, and in Met/Met mice ketamine's synaptogenic and behavioural responses are blocked
(LIT-R13).

Arms (each with its vehicle twin): Val/Val (wild type), `bdnf_val66met` (Val/Met) and
`bdnf_met66met` (Met/Met), ketamine 10 mg/kg i.p. (the default mouse dose). Readouts: baseline
spine density (the genotype's own drug-free steady state) and the spine and symptom effects.
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "liu2012_val66met"
COLUMNS = ("BDNF_rel", "TrkB_active_rel", "synaptic_proteins_rel", "spine_density_rel",
           "symptom_change_pct")
GENOTYPES = {"Val/Val": (), "Val/Met": ("bdnf_val66met",), "Met/Met": ("bdnf_met66met",)}
SOURCE = ("Liu 2012 Biol Psychiatry 71:996 (LIT-R13): Met carriers fewer spines at baseline "
          "(fall: ≤ 0.90); Met/Met: ketamine's spine and behavioural effects blocked (≤ 25% of "
          "Val/Val)")


def simulate(quick: bool):
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    arms = {f"{g}: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), tuple(preset(p) for p in ps))
            for g, ps in GENOTYPES.items()}
    return ep.drug_effects(mouse, arms, 30.0 if quick else 72.0)


def figure(raw, eff, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 3, row_height=3.0)
    a = axes.flat
    base = {g: float(raw[f"{g}: vehicle"]["spine_density_rel"].iloc[0]) for g in GENOTYPES}
    ep.bars(a[0], base, {"Val/Met": (float("-inf"), ep.FALL), "Met/Met": (float("-inf"), ep.FALL)},
            "published: fewer spines in Met carriers\n(fall: ≤ 0.90)", fmt="{:.3f}",
            ylabel="spine density (fold of Val/Val)", title="baseline spine density (no drug)")
    a[0].set_ylim(0.0, 1.1)            # bars start at 0: their lengths compare
    misses = [f"{g} {v:.3f} misses ≤ {ep.FALL:.2f}" for g, v in base.items()
              if g != "Val/Val" and v > ep.FALL]
    if misses:                         # a miss of 0.002 is invisible at this scale
        a[0].text(0.5, 1.0, "; ".join(misses), transform=a[0].transAxes, ha="center",
                  va="bottom", fontsize=5.5, color="#b2182b")
        a[0].set_title(a[0].get_title(), pad=10, fontsize=a[0].title.get_fontsize())
    short = {g: eff[f"{g}: ketamine 10 mg/kg"] for g in GENOTYPES}
    for i, (r, unit) in enumerate((("spine_density_rel", "Δ fold"),
                                   ("symptom_change_pct", "% points"))):
        vals = {g: mx.value_at(short[g][r], 24) for g in GENOTYPES}
        ep.bars(a[1 + i], vals, {"Met/Met": ep.share_of(vals["Val/Val"], at_most=0.25)},
                "published: blocked in Met/Met\n(≤ 25% of Val/Val)", fmt="{:.3g}",
                ylabel=f"effect at 24 h ({unit})", title=f"ketamine effect at 24 h: {r}")
        if r == "spine_density_rel":
            ep.flag_small_control(a[1 + i], vals["Val/Val"], ep.RISE_STRUCTURAL - 1.0)
        ep.timecourse(a[4 + i], short, r, baseline=0.0, log_time=True,
                      ylabel=f"effect vs vehicle ({unit})", title=f"ketamine effect: {r}")
    ep.timecourse(a[3], short, "TrkB_active_rel", baseline=0.0, t_max=6,
                  ylabel="effect (Δ fold of baseline)",
                  title="TrkB activation, 0-6 h (model)")
    return ep.finish(plt, fig, out / NAME, "Mouse BDNF Val66Met knock-in, ketamine 10 mg/kg i.p. "
                     "(Liu 2012)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    raw, eff = simulate(quick)
    return [*ep.write_table(raw, out_dir / NAME, COLUMNS), *figure(raw, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
