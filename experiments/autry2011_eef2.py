"""Autry 2011 Nature 475:91 and Gideons 2014 PNAS 111:8649: mouse, ketamine at rest blocks
NMDARs, lowers p-eEF2 and raises BDNF translation (LIT-R7, R17, N4).

Arms: 3 mg/kg i.p. vs vehicle (p-eEF2 and BDNF at 30 min; back by 8 and 24 h); eEF2 kinase
knockout vs wild type with 10 mg/kg (LIT-R17's default dose); ketamine 10 mg/kg vs memantine
i.p. at the dose whose peak unbound brain level reaches its Mg-free IC50, 0.6 µM (LITERATURE.md's
default memantine dose, so that its failure comes from Mg2+ at rest, not a small dose).
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "autry2011_eef2"
COLUMNS = ("ketamine_brain", "nmda_block_pyramidal", "peEF2_rel", "BDNF_rel", "TrkB_active_rel",
           "symptom_change_pct")
MEMANTINE_IC50_UM = 0.6           # middle of LIT-N3's Mg-free 0.3-0.9 µM
SOURCE = ("Autry 2011 Nature 475:91 (LIT-R7, R17); Gideons 2014 PNAS 111:8649 (LIT-N4); "
          "Nosyreva 2013 J Neurosci 33:6990. Directions with LITERATURE.md's default thresholds.")


def memantine_dose() -> float:
    """Return the mouse i.p. memantine dose (mg/kg) whose peak unbound brain level is 0.6 µM
    (PK is linear: one probe dose scales)."""
    pk = pathways.load("ketamine_pk", species="mouse")
    df = pk.simulate(Regimen.bolus(1.0, "ip", drug="memantine"), 24, points=ep.grid(24),
                     variables=["mem_brain_u"])
    return MEMANTINE_IC50_UM / float(df["mem_brain_u"].max())


def simulate(quick: bool):
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    end = 26.0          # the figure reads the symptom at 24 h, also in quick runs
    mem = memantine_dose()
    raw3, eff3 = ep.drug_effects(mouse, {"ketamine 3 mg/kg": (Regimen.bolus(3, "ip"), ())}, end)
    raw10, eff10 = ep.drug_effects(mouse, {
        "wild type: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), ()),
        "eEF2K KO: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), (preset("eef2k_ko"),)),
        f"wild type: memantine {mem:.2g} mg/kg": (Regimen.bolus(mem, "ip", drug="memantine"),
                                                   ())}, end)
    return raw3, eff3, raw10, eff10, mem


def figure(raw3, eff3, raw10, eff10, mem, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(3, 3, row_height=2.9)
    a = axes.flat
    end = max(raw3["vehicle"].index)
    ket3 = {"ketamine 3 mg/kg": raw3["ketamine 3 mg/kg"], "vehicle": raw3["vehicle"]}
    # one colour per arm across panels: ketamine blue, knockout orange, memantine green,
    # vehicle grey dotted
    vehicle = {"vehicle": {"color": "0.5", "ls": ":"}}
    for ax, r, pub in ((a[0], "peEF2_rel", ep.Published("published: fall (≤ 0.90) at 30 min",
                                                        float("-inf"), ep.FALL, 0.4, 0.6)),
                       (a[1], "BDNF_rel", ep.Published("published: rise (≥ 1.10) at 30 min",
                                                       ep.RISE, float("inf"), 0.4, 0.6))):
        s = raw3["ketamine 3 mg/kg"][r]                  # the peak change over 0-4 h, as
        change = (1 - mx.trough(s, 0, 4) if r == "peEF2_rel"     # LIT-R7 measures it
                  else mx.peak(s, 0, 4) - 1)
        back = [ep.Published("published: back (within 10% of the\npeak change) by 8 h and "
                             "24 h" if t == 8 else "", 1 - 0.1 * change, 1 + 0.1 * change,
                             t / 1.15, t * 1.15) for t in (8, 24) if t <= end]
        ep.timecourse(ax, ket3, r, [pub, *back], baseline=1.0, log_time=True, styles=vehicle,
                      title=f"3 mg/kg: {r} (Autry 2011)")
    ep.timecourse(a[2], ket3, "symptom_change_pct", baseline=0.0, log_time=True,
                  styles=vehicle, title="3 mg/kg: symptom (no published value)")

    wt, ko = "wild type: ketamine 10 mg/kg", "eEF2K KO: ketamine 10 mg/kg"
    for ax, r, unit in ((a[3], "peEF2_rel", "Δ fold"), (a[4], "symptom_change_pct", "% points")):
        vwt, vko = mx.value_at(eff10[wt][r], 0.5), mx.value_at(eff10[ko][r], 0.5)
        ep.bars(ax, {"wild type": vwt, "eEF2K KO": vko},
                {"eEF2K KO": ep.share_of(vwt, at_most=0.25)},
                "published: abolished\n(≤ 25% of wild type)",
                ylabel=f"effect at 30 min ({unit})", title=f"10 mg/kg: {r}, eEF2K KO")
    ep.timecourse(a[5], {k: raw10[k] for k in (wt, "wild type: vehicle", ko, "eEF2K KO: vehicle")},
                  "BDNF_rel", t_max=6, baseline=1.0,
                  title="BDNF in wild type and eEF2K KO (model)",
                  styles={"wild type: vehicle": {"color": "C0", "ls": "--"},
                          "eEF2K KO: vehicle": {"color": "C1", "ls": "--"},
                          ko: {"color": "C1"}})

    mname = f"wild type: memantine {mem:.2g} mg/kg"
    reads = (("peEF2_rel", 0.5, "p-eEF2\n30 min"), ("BDNF_rel", 0.5, "BDNF\n30 min"),
             ("symptom_change_pct", 24.0, "symptom\n24 h"))
    ratio = {lab: 100 * mx.value_at(eff10[mname][r], t) / mx.value_at(eff10[wt][r], t)
             for r, t, lab in reads}
    ep.bars(a[6], ratio, {lab: (0.0, 25.0) for lab in ratio},
            "published: memantine does none of the three\n(inactive: ≤ 25% of ketamine)",
            ylabel="memantine / ketamine effect (%)", colors=["C2"] * 3, fmt="{:.2g}%",
            title=f"memantine {mem:.2g} mg/kg vs ketamine 10 mg/kg")
    a[6].set_ylim(0.0, 35.0)              # the 25% edge of the published band shows
    pair = {"ketamine 10 mg/kg": eff10[wt], f"memantine {mem:.2g} mg/kg": eff10[mname]}
    green = {f"memantine {mem:.2g} mg/kg": {"color": "C2"}}
    ep.timecourse(a[7], pair, "peEF2_rel", t_max=4, baseline=0.0, styles=green,
                  ylabel="effect (Δ fold of baseline)",
                  title="p-eEF2 effect: ketamine vs memantine")
    ep.timecourse(a[8], pair, "symptom_change_pct", baseline=0.0, log_time=True, styles=green,
                  ylabel="effect vs vehicle (% points)",
                  title="symptom effect: ketamine vs memantine")
    return ep.finish(plt, fig, out / NAME, "Mouse: ketamine lowers p-eEF2 and raises BDNF "
                     "(Autry 2011); eEF2K knockout and memantine (Gideons 2014)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    raw3, eff3, raw10, eff10, mem = simulate(quick)
    tables = ep.write_table({**raw3, **raw10}, out_dir / NAME, COLUMNS)
    return [*tables, *figure(raw3, eff3, raw10, eff10, mem, out_dir)]


if __name__ == "__main__":
    cli_main(run)
