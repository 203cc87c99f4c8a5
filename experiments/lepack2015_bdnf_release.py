"""Lepack 2015 Int J Neuropsychopharmacol 18:pyu033: rat, the antidepressant effect of ketamine
10 mg/kg i.p. needs BDNF release, which needs AMPARs and L-type VDCCs (LIT-R9; NBQX: LIT-R10).

Arms (each with its vehicle twin): no pretreatment, anti-BDNF antibody in mPFC, an L-VDCC
blocker and NBQX before ketamine. Readouts: the symptom effect at 24 h, TrkB activation and
BDNF release (extracellular BDNF, the model species `BDNF_ext`, as fold of its drug-free level).
Lepack 2015 measured release in cultured neurons; the in-vivo model stands in for it. NBQX's
behavioural effect was measured in mouse (Maeng 2008, LIT-R10), so its 24-h symptom bar comes
from the mouse model (with its own mouse control), as `pathways validate` runs LIT-R10.
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "lepack2015_bdnf_release"
COLUMNS = ("glutamate_rel", "BDNF_rel", "BDNF_ext_uM", "TrkB_active_rel", "symptom_change_pct")
PRETREATMENTS = {"control": (), "anti-BDNF": ("anti_bdnf",), "L-VDCC blocker": ("lvdcc_blocker",),
                 "NBQX": ("nbqx",)}
MOUSE_ARMS = ("control", "NBQX")      # LIT-R10 (Maeng 2008) is a mouse experiment
SOURCE = ("Lepack 2015 Int J Neuropsychopharmacol 18:pyu033 (LIT-R9; release in vitro needs "
          "AMPAR and L-VDCC); NBQX in vivo: Maeng 2008 Biol Psychiatry 63:349 (mouse, LIT-R10).\n"
          "Abolished ≤ 25%, blunted ≤ 60% of the control effect (LITERATURE.md).")


def simulate(quick: bool):
    end_h = 25.0 if quick else 30.0
    raw, eff = {}, {}
    for species, pretreatments in (("rat", PRETREATMENTS),
                                   ("mouse", {k: PRETREATMENTS[k] for k in MOUSE_ARMS})):
        model = pathways.load("ketamine_synaptogenesis", species=species)
        tag = "" if species == "rat" else " (mouse)"
        arms = {f"{name}{tag}: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"),
                                                    tuple(preset(p) for p in ps))
                for name, ps in pretreatments.items()}
        r, e = ep.drug_effects(model, arms, end_h, variables=["BDNF_ext"])
        base = float(r[f"control{tag}: vehicle"]["BDNF_ext"].iloc[0])
        raw.update({k: df.assign(BDNF_release_rel=df["BDNF_ext"] / base)
                    .rename(columns={"BDNF_ext": "BDNF_ext_uM"}) for k, df in r.items()})
        eff.update({k: df.assign(BDNF_release_rel=df["BDNF_ext"] / base)
                    for k, df in e.items()})
    return raw, eff


def figure(raw, eff, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 3, row_height=3.1)
    a = axes.flat
    every = {k.split(":")[0]: v for k, v in eff.items()}
    short = {k: v for k, v in every.items() if "(mouse)" not in k}       # the rat arms
    ctrl = mx.value_at(short["control"]["symptom_change_pct"], 24)
    mouse_ctrl = mx.value_at(every["control (mouse)"]["symptom_change_pct"], 24)
    ep.timecourse(a[0], short, "symptom_change_pct", baseline=0.0, log_time=True,
                  ylabel="effect vs vehicle (% points)", title="symptom effect of ketamine "
                  "10 mg/kg after each pretreatment", ncol=2,
                  published=[ep.Published("published: abolished by anti-BDNF and\nL-VDCC "
                                          "block at 24 h (≤ 25%)",
                                          *ep.share_of(ctrl, at_most=0.25), 20.0, 28.0)])
    sym = {k: mx.value_at(v["symptom_change_pct"], 24) for k, v in short.items()
           if k != "NBQX"}
    ep.bars(a[1], sym, {"anti-BDNF": ep.share_of(ctrl, at_most=0.25),
                        "L-VDCC blocker": ep.share_of(ctrl, at_most=0.25)},
            "published: anti-BDNF, L-VDCC abolished (≤ 25%)", ylabel="effect at 24 h "
            "(% points)", title="symptom effect at 24 h")
    nbqx = mx.value_at(every["NBQX (mouse)"]["symptom_change_pct"], 24) / mouse_ctrl
    ep.set_title(a[1], f"symptom effect at 24 h (mouse NBQX, LIT-R10: {nbqx:.0%} of its "
                 "control; published ≤ 60%, Maeng 2008)", width=40)   # not over the bars
    trk = {k: mx.peak(v["TrkB_active_rel"], 0, 4) for k, v in short.items()}
    ep.bars(a[2], trk, {"L-VDCC blocker": ep.share_of(trk["control"], at_most=0.25),
                        "NBQX": ep.share_of(trk["control"], at_most=0.25)},
            "published (in vitro): evoked release\nneeds AMPAR and L-VDCC (≤ 25%)",
            ylabel="peak effect, 0-4 h (Δ fold of baseline)", title="TrkB activation (p-TrkB)")
    ep.timecourse(a[3], short, "BDNF_release_rel", t_max=6, baseline=0.0, ncol=2,
                  ylabel="effect (Δ fold of drug-free)",
                  title="BDNF release (extracellular BDNF), 0-6 h")
    rel = {k: mx.peak(v["BDNF_release_rel"], 0, 4) for k, v in short.items()}
    ep.bars(a[4], rel, {"L-VDCC blocker": ep.share_of(rel["control"], at_most=0.25),
                        "NBQX": ep.share_of(rel["control"], at_most=0.25)},
            "published (in vitro): evoked release\nneeds AMPAR and L-VDCC (≤ 25%)",
            ylabel="peak effect, 0-4 h (Δ fold)", title="BDNF release, peak")
    ep.timecourse(a[5], short, "BDNF_rel", t_max=6, baseline=0.0, ncol=2,
                  ylabel="effect (Δ fold of baseline)",
                  title="BDNF protein in tissue (model), 0-6 h")
    return ep.finish(plt, fig, out / NAME, "Rat, ketamine 10 mg/kg i.p. after anti-BDNF, an "
                     "L-VDCC blocker or NBQX (Lepack 2015)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    raw, eff = simulate(quick)
    tables = ep.write_table(raw, out_dir / NAME, COLUMNS + ("BDNF_release_rel",), {
        "BDNF_ext_uM": ("µM", "extracellular (released) BDNF"),
        "BDNF_release_rel": ("1", "extracellular (released) BDNF, fold of the drug-free "
                                     "level")})
    return [*tables, *figure(raw, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
