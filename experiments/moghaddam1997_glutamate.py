"""Moghaddam 1997 J Neurosci 17:2921: rat, subanaesthetic ketamine i.p. raises extracellular
glutamate in prefrontal cortex (microdialysis; LIT-R1).

Arms: 10, 20 and 30 mg/kg i.p. (the paper's doses) and 80 and 160 mg/kg (anaesthetic range, for
contrast; no published value in LITERATURE.md). Readouts: glutamate_rel over 0-6 h, its peak and
time of peak, and unbound brain ketamine. The size and time of the surge are a known gap of
LITERATURE.md, so the figure shows the direction (a rise ≥ 1.10 at each paper dose) and states
the model's prediction.
"""
from pathlib import Path

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "moghaddam1997_glutamate"
COLUMNS = ("ketamine_brain", "nmda_block_interneuron", "interneuron_activity_rel",
           "pyramidal_activity_rel", "glutamate_rel")
PAPER_DOSES = (10, 20, 30)
SOURCE = ("Moghaddam 1997 J Neurosci 17:2921 (LIT-R1): 10, 20, 30 mg/kg i.p. each raise PFC "
          "glutamate (rise: ≥ 1.10); the peak size and time are a known gap of LITERATURE.md")


def simulate(quick: bool):
    rat = pathways.load("ketamine_synaptogenesis", species="rat")
    doses = PAPER_DOSES + ((80,) if quick else (80, 160))
    return ep.simulate_arms(rat, {f"ketamine {d} mg/kg": (Regimen.bolus(d, "ip"), ()) for d in doses},
                            4.0 if quick else 6.0)


def figure(res, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 2, width=6.4, row_height=3.0)
    a = axes.flat
    styles = {k: {"ls": "--"} for k in res if int(k.split()[1]) not in PAPER_DOSES}
    ep.timecourse(a[0], res, "glutamate_rel", baseline=1.0, ncol=2, styles=styles,
                  title="extracellular glutamate, mPFC (dashed: anaesthetic range)",
                  published=[ep.Published("published: rise (≥ 1.10) at 10, 20, 30 mg/kg",
                                          ep.RISE, float("inf"))])
    peaks = {k.split()[1]: mx.peak(v["glutamate_rel"]) for k, v in res.items()}
    ep.bars(a[1], peaks, {str(d): (ep.RISE, float("inf")) for d in PAPER_DOSES},
            "published: rise (≥ 1.10)", ylabel="peak glutamate (fold of baseline)",
            title="peak glutamate", xlabel="ketamine dose (mg/kg i.p.)", fmt="{:.2f}")
    times = {k.split()[1]: 60 * mx.time_of_peak(v["glutamate_rel"])
             for k, v in res.items()}
    ep.bars(a[2], times, ylabel="time of peak (min after dose)", fmt="{:.0f}",
            title="time of peak (no published value)", xlabel="ketamine dose (mg/kg i.p.)")
    ep.timecourse(a[3], res, "ketamine_brain", styles=styles, ncol=2,
                  ylabel="unbound brain ketamine (µM)", title="brain exposure (model)")
    a[3].set_yscale("log")
    a[3].set_ylim(1e-2, None)
    return ep.finish(plt, fig, out / NAME, "Rat, ketamine i.p.: prefrontal glutamate "
                     "(Moghaddam 1997)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    res = simulate(quick)
    csv = ep.write_csv(res, out_dir / NAME, COLUMNS)
    return [csv, *figure(res, out_dir)]


if __name__ == "__main__":
    cli_main(run)
