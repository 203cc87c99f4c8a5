"""The readouts of CONTRACT.md: id -> (unit, meaning). Fold readouts end in `_rel`."""
from __future__ import annotations

READOUTS: dict[str, tuple[str, str]] = {
    "ketamine_plasma": ("ng/mL", "plasma ketamine (racemic or esketamine, whichever was dosed)"),
    "norketamine_plasma": ("ng/mL", "plasma norketamine"),
    "ketamine_brain": ("µM", "unbound ketamine at the brain effect site"),
    "ketamine_brain_tissue": ("ng/g", "total ketamine in brain tissue"),
    "nmda_block_interneuron": ("1", "fraction of interneuron NMDA receptors blocked"),
    "nmda_block_pyramidal": ("1", "fraction of pyramidal-cell NMDA receptors blocked"),
    "interneuron_activity_rel": ("fold", "GABAergic interneuron firing"),
    "pyramidal_activity_rel": ("fold", "pyramidal-cell firing"),
    "glutamate_rel": ("fold", "extracellular glutamate in prefrontal cortex"),
    "peEF2_rel": ("fold", "phospho-eEF2 (Thr56)"),
    "BDNF_rel": ("fold", "BDNF protein in prefrontal cortex"),
    "TrkB_active_rel": ("fold", "phospho-TrkB"),
    "pAkt_rel": ("fold", "phospho-Akt (Ser473)"),
    "pERK_rel": ("fold", "phospho-ERK1/2"),
    "mTORC1_active_rel": ("fold", "active mTORC1 (p-mTOR Ser2448)"),
    "p4EBP_rel": ("fold", "phospho-4E-BP1"),
    "pS6K_rel": ("fold", "phospho-p70S6K"),
    "synaptic_proteins_rel": ("fold", "PSD-95, GluA1 and synapsin I"),
    "spine_density_rel": ("fold", "dendritic spine density, layer V pyramidal cells"),
    "symptom_change_pct": ("%", "change of the depression/anxiety score (negative = better)"),
    "dissociation_score": ("points", "dissociation (CADSS-like)"),
    "sbp_change_mmHg": ("mmHg", "systolic blood pressure change from baseline"),
}

SYMPTOM = "symptom_change_pct"
SYMPTOM_STATE = "symptom_score"      # the model variable symptom_change_pct is relative to
SYMPTOM_REF = "symptom_ref"


def unit_of(readout: str) -> str:
    """Return the unit of a readout id ('fold' for fold-of-baseline readouts)."""
    return READOUTS[readout][0]


def label(readout: str) -> str:
    """Return an axis label: the readout id with its unit."""
    unit = unit_of(readout)
    return readout if unit in ("1", "fold") else f"{readout} ({unit})"
