"""Aguilar-Valles 2021 Nature 590:315: mouse, the antidepressant effect of ketamine needs
4E-BP1/2; in 4E-BP1/2 double knockouts it is abolished (LIT-R14).

Arms (each with its vehicle twin): wild type and `eif4ebp_ko`, ketamine 10 mg/kg i.p. (the
default mouse dose). Readouts: the symptom effect (24 h), phospho-4E-BP1 and synaptic proteins.
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "aguilarvalles2021_4ebp"
COLUMNS = ("mTORC1_active_rel", "p4EBP_rel", "pS6K_rel", "synaptic_proteins_rel",
           "spine_density_rel", "symptom_change_pct")
WT, KO = "wild type: ketamine 10 mg/kg", "4E-BP1/2 KO: ketamine 10 mg/kg"
SOURCE = ("Aguilar-Valles 2021 Nature 590:315 (LIT-R14): 4E-BP1/2 knockout abolishes the "
          "antidepressant effect (≤ 25% of wild type, LITERATURE.md)")


def simulate(quick: bool):
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    return ep.drug_effects(mouse, {WT: (Regimen.bolus(10, "ip"), ()),
                                   KO: (Regimen.bolus(10, "ip"), (preset("eif4ebp_ko"),))},
                           26.0 if quick else 72.0)


def figure(raw, eff, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 3, row_height=3.0)
    a = axes.flat
    short = {"wild type": eff[WT], "4E-BP1/2 KO": eff[KO]}
    wt24 = mx.value_at(eff[WT]["symptom_change_pct"], 24)
    ep.timecourse(a[0], short, "symptom_change_pct", baseline=0.0, log_time=True,
                  ylabel="effect vs vehicle (% points)", title="symptom effect of ketamine",
                  published=[ep.Published("published: abolished in the KO at 24 h\n(≤ 25% of "
                                          "wild type)", *ep.share_of(wt24, at_most=0.25),
                                          20.0, 28.0)])
    ep.bars(a[1], {"wild type": wt24, "4E-BP1/2 KO": mx.value_at(eff[KO]["symptom_change_pct"],
                                                                24)},
            {"4E-BP1/2 KO": ep.share_of(wt24, at_most=0.25)},
            "published: abolished (≤ 25% of wild type)", ylabel="effect at 24 h (% points)",
            title="symptom effect at 24 h", wrap=12)
    share = {f"{t:g} h": 100 * mx.value_at(eff[KO]["symptom_change_pct"], t)
             / mx.value_at(eff[WT]["symptom_change_pct"], t) for t in (0.5, 2, 24)}
    ep.bars(a[2], share, {"24 h": (0.0, 25.0)}, "published: ≤ 25% at 24 h (abolished)",
            ylabel="KO effect (% of wild type)", title="KO symptom effect as % of wild type",
            colors=["C1"] * 3, fmt="{:.3g}%", xlabel="time after ketamine")
    ep.timecourse(a[3], {k: raw[k] for k in (WT, KO)}, "p4EBP_rel", t_max=6, baseline=1.0,
                  title="phospho-4E-BP1, 0-6 h (none in the KO)")
    ep.timecourse(a[4], {k: raw[k] for k in (WT, KO)}, "mTORC1_active_rel", t_max=6,
                  baseline=1.0, styles={KO: {"ls": "--"}},
                  title="mTORC1 (upstream, intact in the KO), 0-6 h")
    ep.timecourse(a[5], short, "synaptic_proteins_rel", baseline=0.0,
                  ylabel="effect (Δ fold of baseline)",
                  title="synaptic proteins (no published "
                  "value in LITERATURE.md)")
    return ep.finish(plt, fig, out / NAME, "Mouse, ketamine 10 mg/kg i.p. in 4E-BP1/2 knockouts "
                     "(Aguilar-Valles 2021)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    raw, eff = simulate(quick)
    return [*ep.write_table(raw, out_dir / NAME, COLUMNS), *figure(raw, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
