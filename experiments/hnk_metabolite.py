"""Does ketamine act through its metabolite (2R,6R)-hydroxynorketamine (HNK)? Not LITERATURE
rows, except the block itself (LIT-N6): predictions (tests/test_predictions.py).

- Abbott & Popescu 2020 Mol Pharmacol 98:203 (LIT-N6): HNK inhibits NMDARs from the closed
  state, ~100-fold less potently than ketamine (IC50 46 µM), fully Mg2+-competitive.
- Lumsden 2019 PNAS 116:5160: the HNK levels reached after antidepressant doses of ketamine
  do not block NMDARs.
- Zanos 2016 Nature 533:481: HNK 10 mg/kg i.p. given alone is antidepressant-like in mice,
  without NMDAR inhibition (a mechanism the model does not contain).
- Shirayama & Hashimoto 2018 Int J Neuropsychopharmacol 21:84: HNK 20 and 40 mg/kg i.p. is
  not antidepressant in rat learned helplessness.
- Raja 2024 Clin Pharmacol Ther 116:1314: HNK 0.1-4 mg/kg IV over 40 min in healthy humans
  causes no dissociation (in the model by construction: dissociation follows the pore block,
  which HNK does not occupy).

Arms, each against its species' vehicle: mouse ketamine 10 mg/kg i.p. (HNK formed from
norketamine) and HNK 10 mg/kg i.p. given as itself; rat HNK 20 and 40 mg/kg i.p.; human
ketamine 0.5 mg/kg and HNK 4 mg/kg IV over 40 min. The table holds the drug arms only: no
perturbation is applied, so each vehicle run stays at the drug-free baseline (folds 1,
symptom change 0) and an arm's values are its effects.
"""
from pathlib import Path

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways.experiments import cli_main
from pathways.metrics import value_at

NAME = "hnk_metabolite"
HNK = "hydroxynorketamine"
COLUMNS = ("ketamine_plasma", "hydroxynorketamine_plasma", "nmda_block_interneuron",
           "hnk_inh_in", "dissociation_score", "symptom_change_pct")
UNITS = {"hnk_inh_in": ("1", "fraction of interneuron NMDA receptors held closed by HNK")}
ARMS = {
    "mouse": {"mouse: ketamine 10 mg/kg": Regimen.bolus(10, "ip"),
              "mouse: HNK 10 mg/kg": Regimen.bolus(10, "ip", drug=HNK)},
    "rat": {"rat: HNK 20 mg/kg": Regimen.bolus(20, "ip", drug=HNK),
            "rat: HNK 40 mg/kg": Regimen.bolus(40, "ip", drug=HNK)},
    "human": {"human: ketamine 0.5 mg/kg/40 min": Regimen.infusion(0.5, 40),
              "human: HNK 4 mg/kg/40 min": Regimen.infusion(4, 40, drug=HNK)},
}
SOURCE = ("Abbott & Popescu 2020 Mol Pharmacol 98:203 (HNK IC50 46 µM, Mg2+-competitive); "
          "Lumsden 2019 PNAS 116:5160 (no NMDAR block at antidepressant levels); Zanos 2016 "
          "Nature 533:481 (HNK alone antidepressant-like in mice); Shirayama & Hashimoto 2018 "
          "Int J Neuropsychopharmacol 21:84 (not in rats); Raja 2024 Clin Pharmacol Ther "
          "116:1314 (no dissociation in humans). 'Antidepressant' read as LITERATURE.md's "
          "-10% at 24 h")


def simulate(quick: bool):
    """Return ({arm or vehicle twin: DataFrame}, {arm: effect DataFrame}) of every arm
    (26 h when `quick`, else 72 h)."""
    end_h = 26.0 if quick else 72.0
    raw, eff = {}, {}
    for species, arms in ARMS.items():
        model = pathways.load("ketamine_synaptogenesis", species=species)
        r, e = ep.drug_effects(model, {arm: (regimen, ()) for arm, regimen in arms.items()},
                               end_h, variables=["hnk_inh_in"])
        raw |= r
        eff |= e
    return raw, eff


def _at_24h(eff, arm):
    """The symptom effect of `arm` at 24 h (percentage points vs its vehicle)."""
    return value_at(eff[arm]["symptom_change_pct"], 24.0)


def figure(raw, eff, out: Path) -> list[Path]:
    """Draw the six panels against the papers; return the PNG and SVG paths."""
    plt, fig, axes = ep.figure(2, 3, row_height=3.0)
    a = axes.flat
    mouse = {arm.split(": ")[1]: raw[arm] for arm in ARMS["mouse"]}
    ep.timecourse(a[0], mouse, "hydroxynorketamine_plasma", t_max=24,
                  ylabel="plasma HNK (ng/mL)", title="mouse: plasma HNK, formed or given")
    a[0].set_yscale("log")
    a[0].set_ylim(1.0, None)
    block = {name: df["nmda_block_interneuron"] for name, df in mouse.items()}
    block["of which by HNK (ketamine arm)"] = raw["mouse: ketamine 10 mg/kg"]["hnk_inh_in"]
    ep.timecourse(a[1], block, None, t_max=6, ylabel="interneuron NMDARs blocked (fraction)",
                  title="mouse: NMDAR block (Lumsden 2019: HNK levels do not block)")
    ep.bars(a[2], {arm.split(": ")[1]: _at_24h(eff, arm) for arm in ARMS["mouse"]},
            {"HNK 10 mg/kg": (float("-inf"), -10.0)}, "published (Zanos 2016): active",
            ylabel="effect at 24 h (% points)", title="mouse: symptom effect at 24 h",
            colors=["C0", "C1"], fmt="{:.3g}%", wrap=12)
    ep.bars(a[3], {arm.split(": ")[1]: _at_24h(eff, arm) for arm in ARMS["rat"]},
            {arm.split(": ")[1]: (-10.0, float("inf")) for arm in ARMS["rat"]},
            "published (Shirayama & Hashimoto 2018): inactive",
            ylabel="effect at 24 h (% points)", title="rat: HNK alone, effect at 24 h",
            colors=["C1", "C2"], fmt="{:.3g}%", wrap=12)
    human = {arm.split(": ")[1]: raw[arm] for arm in ARMS["human"]}
    ep.timecourse(a[4], human, "dissociation_score", t_max=4, ylabel="CADSS points",
                  title="human: dissociation (Raja 2024: none with HNK;\nhere by construction)")
    ep.timecourse(a[5], human, "hydroxynorketamine_plasma", ylabel="plasma HNK (ng/mL)",
                  title="human: plasma HNK (rat disposition scaled;\nno human data to test)")
    a[5].set_yscale("log")
    a[5].set_ylim(0.1, None)
    return ep.finish(plt, fig, out / NAME, "Hydroxynorketamine formed from ketamine or given "
                     "as itself: NMDAR block, behaviour, dissociation (model prediction)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    """Simulate, write the table, its units file and the figure to `out_dir`; return the
    paths."""
    raw, eff = simulate(quick)
    drug_arms = {arm: df for arm, df in raw.items() if not arm.endswith(": vehicle")}
    return [*ep.write_table(drug_arms, out_dir / NAME, COLUMNS, UNITS),
            *figure(raw, eff, out_dir)]


if __name__ == "__main__":
    cli_main(run)
