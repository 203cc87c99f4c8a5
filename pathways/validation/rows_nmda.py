"""Section B of LITERATURE.md: NMDA receptor pharmacology (`nmda_blockade`)."""
from __future__ import annotations

import numpy as np

from .. import metrics as mx
from ..regimen import Regimen
from .core import (Outcome, above, at_least, at_most, between, fraction_at_most, model,
                   not_expressible, row)
from .effects import FALL, INACTIVE, RISE, effect, grid, read, run


def _open_left(conc_uM: float) -> float:
    df = model("nmda_blockade").simulate(None, 1.0, parameters={"ket_brain_u": conc_uM},
                                         points=2)
    return 1.0 - float(df["nmda_block_pyramidal"].iloc[-1])


@row("LIT-N1", setup="nmda_blockade alone, unbound ketamine clamped at 0.1 and 1 µM, "
     "steady state", expected="open probability left 0.53 ± 0.15 (±30% is wider: 0.37-0.69) "
     "at 0.1 µM and 0.24 ± 0.10 at 1 µM", source="Orser 1997 Anesthesiology 86:903")
def n1():
    concs = np.array([0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
    left = [_open_left(c) for c in concs]
    import pandas as pd
    curve = pd.Series(left, index=pd.Index(np.log10(concs), name="log10 µM"))
    return Outcome([between("at 0.1 µM", _open_left(0.1), 0.53 * 0.7, 0.53 * 1.3),
                    between("at 1 µM", _open_left(1.0), 0.14, 0.34)],
                   {"1 - block (pyramidal)": curve}, "open probability left",
                   [(-1.0, 0.371, 0.689, "Orser 0.1 µM"), (0.0, 0.14, 0.34, "Orser 1 µM")])


not_expressible(
    "LIT-N2", setup="trapping: block after washout", expected="ketamine fully trapped, "
    "memantine partly", source="Brain Sci 2020 review, Table 1 (PMC7760600)",
    reason="a washout protocol needs a clamped brain concentration that changes during a run; "
           "the API clamps model inputs only as constant parameters")

not_expressible(
    "LIT-N3", setup="memantine, 1 mM Mg2+, -30 mV", expected="IC50 0.3-0.9 µM without Mg, "
    "10-11 µM with Mg at GluN2A/2B", source="Curr Opin Pharmacol 2015;20:54",
    reason="the holding potential and Mg2+ of a recombinant-receptor assay are not inputs of "
           "the in-situ model (resting potentials are per population); GluN2C/2D not modelled")


@row("LIT-N4", setup="mouse, ketamine 10 mg/kg i.p. vs memantine i.p. at the dose whose peak "
     "unbound brain level reaches its Mg-free IC50", expected="ketamine: p-eEF2 ≤ 0.90 and "
     "BDNF ≥ 1.10 at 30 min, symptom ≤ -10 at 24 h; memantine: each effect ≤ 25% of "
     "ketamine's", source="Gideons 2014 PNAS 111:8649")
def n4():
    ket = Regimen.bolus(10, "ip")
    mem = Regimen.bolus(_memantine_dose_from_pk(), "ip", drug="memantine")
    out, curves = [], {}
    for readout, at, thr in (("peEF2_rel", 0.5, FALL), ("BDNF_rel", 0.5, RISE),
                             ("symptom_change_pct", 24.0, -10.0)):
        ek = effect("mouse", ket, readout, 30)
        em = effect("mouse", mem, readout, 30)
        vk, vm = read(ek, readout, at), read(em, readout, at)
        base = 0.0 if readout == "symptom_change_pct" else 1.0
        unit = "%" if readout == "symptom_change_pct" else "fold"
        if thr < base:
            out.append(at_most(f"ketamine {readout}", base + vk, thr, unit))
        else:
            out.append(at_least(f"ketamine {readout}", base + vk, thr, unit))
        out.append(fraction_at_most(f"memantine/ketamine {readout}", vm, vk, INACTIVE))
        curves[f"ketamine {readout}"] = ek[ek.index <= 4]
        curves[f"memantine {readout}"] = em[em.index <= 4]
    return Outcome(out, curves, "effect vs vehicle")


def _memantine_dose_from_pk() -> float:
    """Return the memantine i.p. dose (mg/kg, mouse) whose peak unbound brain concentration
    reaches its Mg-free IC50 (0.6 µM, the middle of LIT-N3's 0.3-0.9 µM): LITERATURE.md's
    default memantine dose, so that its failure comes from Mg2+ at rest, not a small dose.
    PK is linear, so one probe dose scales."""
    probe = 1.0
    df = model("ketamine_pk", "mouse").simulate(
        Regimen.bolus(probe, "ip", drug="memantine"), 24, points=grid(24),
        variables=["mem_brain_u"])
    return probe * 0.6 / float(df["mem_brain_u"].max())


@row("LIT-N5", setup="rat, ketamine 10 mg/kg i.p. (subanaesthetic), mPFC",
     expected="interneurons slow first (≤ 0.90); pyramidal neurons fire more (≥ 1.10) after a "
              "delay", source="Homayoun & Moghaddam 2007 J Neurosci 27:11496")
def n5():
    df = run("rat", Regimen.bolus(10, "ip"), 6)
    inter, pyr = df["interneuron_activity_rel"], df["pyramidal_activity_rel"]
    t_inter = float(inter.index[np.argmax(inter.values <= FALL)]) if (inter <= FALL).any() \
        else np.inf
    t_pyr = float(pyr.index[np.argmax(pyr.values >= RISE)]) if (pyr >= RISE).any() else np.inf
    return Outcome([at_most("interneuron trough", mx.trough(inter), FALL),
                    at_least("pyramidal peak", mx.peak(pyr), RISE),
                    above("pyramidal delay after interneuron fall",
                          (t_pyr - t_inter) * 60, 0.0, "min")],
                   {"interneuron": inter[inter.index <= 3], "pyramidal": pyr[pyr.index <= 3]},
                   "fold of baseline")


not_expressible(
    "LIT-N6", setup="(2R,6R)-HNK", expected="≈100× weaker NMDAR block than ketamine",
    source="Mol Pharmacol 2020;98:203", reason="hydroxynorketamine (HNK) is not modelled: its formation and NMDAR block are outside the PK and NMDA models")
