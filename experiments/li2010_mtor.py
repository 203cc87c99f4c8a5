"""Li 2010 Science 329:959: rat, ketamine i.p. activates mTORC1 signalling in prefrontal cortex,
raises synaptic proteins and spines, and rapamycin pretreatment blocks it (LIT-R2 to R6).

Arms: 10 mg/kg vs vehicle (signalling 0-4 h; synaptic proteins and spines to 72 h); the dose
window 1, 5, 10, 80 mg/kg (mTORC1 peak within 0-4 h); rapamycin i.c.v. 30 min before 10 mg/kg
or vehicle (effects at 24 h). Li 2010 reports directions, not fold values (LITERATURE.md's
known gaps), so the figure overlays the directions with LITERATURE.md's default thresholds.
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "li2010_mtor"
SIGNALS = ("mTORC1_active_rel", "p4EBP_rel", "pS6K_rel", "pERK_rel", "pAkt_rel")
STRUCTURE = ("synaptic_proteins_rel", "spine_density_rel")
SYMPTOM = "symptom_change_pct"
COLUMNS = SIGNALS + ("glutamate_rel", "ketamine_brain") + STRUCTURE + (SYMPTOM,)
DOSES = (1, 5, 10, 80)
SOURCE = ("Li 2010 Science 329:959 (Figs 1-4); directions and thresholds as in "
          "LITERATURE.md LIT-R2 to R6")


def simulate(quick: bool):
    rat = pathways.load("ketamine_synaptogenesis", species="rat")
    end = 30.0 if quick else 72.0
    main = ep.simulate_arms(rat, {"ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), ()),
                                  "vehicle": (Regimen.none(), ())}, end)
    doses = ep.simulate_arms(rat, {f"ketamine {d} mg/kg (dose window)":
                                   (Regimen.bolus(d, "ip"), ()) for d in DOSES}, 6.0)
    raw, eff = ep.drug_effects(rat, {
        "control: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), ()),
        "rapamycin: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), (preset("rapamycin"),))},
        26.0)
    return main, doses, raw, eff


def figure(main, doses, eff, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(3, 3, row_height=3.0)
    a = axes.flat
    # one colour per arm across panels: 10 mg/kg blue, rapamycin orange, vehicle grey dotted
    dose_colour = dict(zip(DOSES, ("C4", "C2", "C0", "C3")))
    main_styles = {"ketamine 10 mg/kg": {"color": "C0"}, "vehicle": {"color": "0.5", "ls": ":"}}
    sig = {r: main["ketamine 10 mg/kg"][r] for r in SIGNALS}
    ep.timecourse(a[0], sig, None, t_max=4, ncol=2, baseline=1.0, ylabel="fold of baseline",
                  title="10 mg/kg: mTORC1 pathway, 0-4 h",
                  published=[ep.Published("published: rise (≥ 1.10) at 30-60 min", ep.RISE,
                                          float("inf"), 0.5, 1.0)])
    left = [(mx.value_at(s, 2.0) - 1) / (mx.peak(s, 0, 4) - 1) for s in sig.values()]
    ep.vline(a[0], 2.0, "published: back towards\n baseline by ~2 h;\n model: "
             f"{min(left):.0%}-{max(left):.0%} of the\n peak change left")
    ep.timecourse(a[1], main, "synaptic_proteins_rel", baseline=1.0, styles=main_styles,
                  title="synaptic proteins (PSD-95, GluA1, synapsin I)",
                  published=[ep.Published("published: up (≥ 1.05) from ~2 h to 72 h",
                                          ep.RISE_STRUCTURAL, float("inf"), 2.0,
                                          max(main["vehicle"].index))])
    ep.timecourse(a[2], main, "spine_density_rel", baseline=1.0, styles=main_styles,
                  title="spine density, layer V mPFC",
                  published=[ep.Published("published: up (≥ 1.05) at 24 h",
                                          ep.RISE_STRUCTURAL, float("inf"), 20.0, 28.0)])

    ref = mx.peak(doses["ketamine 10 mg/kg (dose window)"]["mTORC1_active_rel"], 0, 4) - 1
    curves = {k.replace(" (dose window)", ""): v for k, v in doses.items()}
    ep.timecourse(a[3], curves, "mTORC1_active_rel", t_max=6, baseline=1.0,
                  styles={f"ketamine {d} mg/kg": {"color": c} for d, c in dose_colour.items()},
                  title="dose window: mTORC1, 0-6 h")
    ep.vline(a[3], 4.0, "read up to 4 h")
    peaks = {f"{d}": mx.peak(doses[f"ketamine {d} mg/kg (dose window)"]["mTORC1_active_rel"],
                             0, 4) - 1 for d in DOSES}
    expected = {"1": ep.share_of(ref, at_most=0.25), "5": ep.share_of(ref, at_least=0.5),
                "10": ep.share_of(ref, at_least=0.5), "80": ep.share_of(ref, at_most=0.25)}
    ep.bars(a[4], peaks, expected, "published: 5, 10 active (≥ 50% of 10);\n1, 80 inactive "
            "(≤ 25%)", ylabel="mTORC1 peak − 1", colors=list(dose_colour.values()),
            title="dose window: mTORC1 peak, 0-4 h", fmt="{:.2f}",
            xlabel="ketamine dose (mg/kg i.p.)")

    for ax, r in zip((a[5], a[6], a[7]), STRUCTURE + (SYMPTOM,)):
        ctrl = mx.value_at(eff["control: ketamine 10 mg/kg"][r], 24)
        rap = mx.value_at(eff["rapamycin: ketamine 10 mg/kg"][r], 24)
        unit = "% points" if r == SYMPTOM else "Δ fold vs vehicle"
        ep.bars(ax, {"ketamine": ctrl, "rapamycin\n+ ketamine": rap},
                {"rapamycin\n+ ketamine": ep.share_of(ctrl, at_most=0.25)},
                "published: abolished\n(≤ 25% of control)", ylabel=f"effect at 24 h ({unit})",
                title=f"rapamycin block: {r}", fmt="{:.3g}")
        if r != SYMPTOM:
            ep.flag_small_control(ax, ctrl, ep.RISE_STRUCTURAL - 1.0)
    ep.timecourse(a[8], eff, SYMPTOM, baseline=0.0, ylabel="effect vs vehicle (% points)",
                  title="symptom effect with / without rapamycin",
                  published=[ep.Published("published: rapamycin abolishes\nthe 24-h effect",
                                          ep.share_of(mx.value_at(
                                              eff["control: ketamine 10 mg/kg"][SYMPTOM], 24),
                                              at_most=0.25)[0], 0.0, 23.0, 25.0)])
    return ep.finish(plt, fig, out / NAME, "Rat, ketamine i.p. (Li 2010): mTORC1, synaptic "
                     "proteins, spines; dose window; rapamycin pretreatment", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    main, doses, raw, eff = simulate(quick)
    tables = ep.write_table({**main, **doses, **raw}, out_dir / NAME, COLUMNS)
    return [*tables, *figure(main, doses, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
