"""The readouts of CONTRACT.md: id -> (unit, meaning). Fold-of-baseline readouts end in `_rel`
and have unit "1" (dimensionless), as CONTRACT.md lists them."""
from __future__ import annotations

READOUTS: dict[str, tuple[str, str]] = {
    "ketamine_plasma": ("ng/mL", "plasma ketamine (racemic or esketamine, whichever was dosed)"),
    "norketamine_plasma": ("ng/mL", "plasma norketamine"),
    "hydroxynorketamine_plasma": ("ng/mL", "plasma (2R,6R;2S,6S)-hydroxynorketamine (HNK), formed "
                                           "from norketamine"),
    "ketamine_brain": ("µM", "unbound ketamine at the brain effect site"),
    "ketamine_brain_tissue": ("ng/g", "total ketamine in brain tissue"),
    "nmda_block_interneuron": ("1", "fraction of interneuron NMDA receptors blocked"),
    "nmda_block_pyramidal": ("1", "fraction of pyramidal-cell NMDA receptors blocked"),
    "interneuron_activity_rel": ("1", "GABAergic interneuron firing, fold of baseline"),
    "pyramidal_activity_rel": ("1", "pyramidal-cell firing, fold of baseline"),
    "glutamate_rel": ("1", "extracellular glutamate in prefrontal cortex, fold of baseline"),
    "peEF2_rel": ("1", "phospho-eEF2 (Thr56), fold of baseline"),
    "BDNF_rel": ("1", "BDNF protein in prefrontal cortex, fold of baseline"),
    "TrkB_active_rel": ("1", "phospho-TrkB, fold of baseline"),
    "pAkt_rel": ("1", "phospho-Akt (Ser473), fold of baseline"),
    "pERK_rel": ("1", "phospho-ERK1/2, fold of baseline"),
    "mTORC1_active_rel": ("1", "active mTORC1 (p-mTOR Ser2448), fold of baseline"),
    "p4EBP_rel": ("1", "phospho-4E-BP1, fold of baseline"),
    "pS6K_rel": ("1", "phospho-p70S6K, fold of baseline"),
    "synaptic_proteins_rel": ("1", "PSD-95, GluA1 and synapsin I, fold of baseline"),
    "spine_density_rel": ("1", "dendritic spine density, layer V pyramidal cells, fold of "
                               "baseline"),
    "spine_formation_rel": ("1", "spine formation (new synapse-bearing spines per hour), fold of "
                                 "baseline"),
    "spine_elimination_rel": ("1", "spine elimination per spine per hour, fold of baseline"),
    "symptom_change_pct": ("%", "change of the depression/anxiety score (negative = better)"),
    "dissociation_score": ("points", "dissociation (CADSS-like)"),
    "sbp_change_mmHg": ("mmHg", "systolic blood pressure change from baseline"),
}

SYMPTOM = "symptom_change_pct"
SYMPTOM_STATE = "symptom_score"      # the model variable symptom_change_pct is relative to
SYMPTOM_REF = "symptom_ref"


def unit_of(readout: str) -> str:
    """Return the unit of a readout id as CONTRACT.md gives it ("1": dimensionless)."""
    return READOUTS[readout][0]


def label(readout: str) -> str:
    """Return an axis label: the readout id with its unit (a dimensionless one says whether
    it is a fold of the drug-free baseline or a fraction)."""
    unit = unit_of(readout)
    if unit == "1":
        unit = "fold of baseline" if readout.endswith("_rel") else "fraction"
    return f"{readout} ({unit})"
