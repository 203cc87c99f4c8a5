"""Chiu 2015 Int J Neuropsychopharmacol (and Liu 2013 Neuropsychopharmacology 38:2268): mouse,
chronic lithium makes an otherwise inactive ketamine dose antidepressant (GSK-3 inhibition;
LIT-R15).

The study used 2.5 mg/kg; LITERATURE.md asks for the model's own sub-threshold dose, a quarter of
its lowest active i.p. dose (the lowest dose whose 24-h symptom effect is ≥ 50% of 10 mg/kg's).
Arms (each with its vehicle twin): that dose alone, with chronic `lithium`, and 10 mg/kg.
"""
from pathlib import Path

import pathways
from pathways import Regimen, preset
from pathways import experiment_plots as ep
from pathways import metrics as mx
from pathways.experiments import cli_main

NAME = "chiu2015_lithium"
COLUMNS = ("pAkt_rel", "mTORC1_active_rel", "synaptic_proteins_rel", "spine_density_rel",
           "symptom_change_pct")
CANDIDATES = (0.5, 1, 2, 3, 5, 7.5, 10)      # mg/kg i.p., as rows_rodent.lowest_active_dose
SOURCE = ("Chiu 2015 Int J Neuropsychopharmacol; Liu 2013 Neuropsychopharmacology 38:2268 "
          "(LIT-R15): inactive alone (≤ 25% of 10 mg/kg), active with lithium (≥ 50%)")


def effect_at_24h(mouse, dose: float, perts=()) -> float:
    _, eff = ep.drug_effects(mouse, {"x": (Regimen.bolus(dose, "ip"), perts)}, 25.0)
    return mx.value_at(eff["x"]["symptom_change_pct"], 24)


def lowest_active_dose(mouse) -> float:
    """Return the lowest candidate dose whose 24-h symptom effect is ≥ 50% of 10 mg/kg's."""
    ref = effect_at_24h(mouse, 10)
    return next((d for d in CANDIDATES if effect_at_24h(mouse, d) / ref >= 0.5), 10.0)


def simulate(quick: bool):
    mouse = pathways.load("ketamine_synaptogenesis", species="mouse")
    sub = lowest_active_dose(mouse) / 4
    arms = {f"no lithium: ketamine {sub:g} mg/kg": (Regimen.bolus(sub, "ip"), ()),
            f"lithium: ketamine {sub:g} mg/kg": (Regimen.bolus(sub, "ip"), (preset("lithium"),)),
            "no lithium: ketamine 10 mg/kg": (Regimen.bolus(10, "ip"), ())}
    raw, eff = ep.drug_effects(mouse, arms, 30.0 if quick else 72.0)
    return raw, eff, sub


def figure(raw, eff, sub, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(1, 3, row_height=3.2)
    a = axes.flat
    short = {k.replace("no lithium: ", "").replace("lithium: ", "lithium + "): v
             for k, v in eff.items()}
    ref = mx.value_at(short["ketamine 10 mg/kg"]["symptom_change_pct"], 24)
    alone, with_li = f"ketamine {sub:g} mg/kg", f"lithium + ketamine {sub:g} mg/kg"
    ep.timecourse(a[0], short, "symptom_change_pct", baseline=0.0, log_time=True,
                  ylabel="effect vs vehicle (% points)", title="symptom effect",
                  styles={"ketamine 10 mg/kg": {"color": "0.4", "ls": "--"}},
                  published=[ep.Published("published: lithium + sub-threshold dose\nactive "
                                          "(≥ 50% of 10 mg/kg) at 24 h",
                                          *ep.share_of(ref, at_least=0.5), 20.0, 28.0)])
    vals = {k: mx.value_at(v["symptom_change_pct"], 24) for k, v in short.items()}
    ep.bars(a[1], vals, {alone: ep.share_of(ref, at_most=0.25),
                         with_li: ep.share_of(ref, at_least=0.5)},
            "published: alone inactive (≤ 25% of 10 mg/kg);\nwith lithium active (≥ 50%)",
            ylabel="effect at 24 h (% points)", title="symptom effect at 24 h", wrap=11,
            colors=["C0", "C1", "0.3"])          # dark: not the light published band
    ep.timecourse(a[2], short, "mTORC1_active_rel", baseline=0.0, t_max=6,
                  ylabel="effect (Δ fold of baseline)", title="mTORC1, 0-6 h (model)",
                  styles={"ketamine 10 mg/kg": {"color": "0.4", "ls": "--"}})
    return ep.finish(plt, fig, out / NAME, f"Mouse, chronic lithium + ketamine {sub:g} mg/kg "
                     "i.p. (a quarter of the model's lowest active dose) vs alone and 10 mg/kg",
                     SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    raw, eff, sub = simulate(quick)
    return [*ep.write_table(raw, out_dir / NAME, COLUMNS), *figure(raw, eff, sub, out_dir)]


if __name__ == "__main__":
    cli_main(run)
