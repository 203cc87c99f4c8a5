"""The entity catalogue of the shipped models: which species and rule variables form one node
(`ENTITY_RULES`), its label, kind and band, what its fold change measures, and which nodes and
edges a perturbation target names."""
from __future__ import annotations

from dataclasses import dataclass

BANDS = ("PK", "receptors & transmission", "BDNF–TrkB", "kinases", "translation",
         "structure", "readouts")
COMPONENT_BANDS = {"ketamine_pk": "PK", "nmda_blockade": "receptors & transmission",
                   "bdnf_trkb": "BDNF–TrkB", "mtorc1_4ebp": "kinases",
                   "synaptogenesis": "structure"}
BAND_OVERRIDES = {"4EBP": "translation", "eIF4E": "translation", "translation": "translation",
                  "symptom": "readouts", "dissociation": "readouts", "SBP": "readouts"}


@dataclass(frozen=True)
class EntitySpec:
    """A node of the shipped models' cascade: id, label, kind, the id of its active form."""

    id: str
    label: str
    kind: str
    representative: tuple[str, ...] = ()


ENTITIES = {e.id: e for e in (
    EntitySpec("ketamine", "ketamine", "drug", ("ket_brain",)),
    EntitySpec("esketamine", "esketamine", "drug", ("esk_brain",)),
    EntitySpec("norketamine", "norketamine", "drug", ("nket_brain",)),
    EntitySpec("hydroxynorketamine", "HNK", "drug", ("hnk_brain",)),
    EntitySpec("memantine", "memantine", "drug", ("mem_brain",)),
    EntitySpec("midazolam", "midazolam", "drug", ("mdz_brain",)),
    EntitySpec("SBP", "blood pressure", "phenotype", ("sbp_change_mmHg",)),
    EntitySpec("NMDAR_in", "NMDAR (interneuron)", "receptor", ("x_in",)),
    EntitySpec("NMDAR_py", "NMDAR (pyramidal)", "receptor", ("x_py_rest",)),
    EntitySpec("GABA", "GABA", "messenger", ("gaba_ext",)),
    EntitySpec("GABAAR", "GABA-A R", "receptor", ("gaba_inhibition",)),
    EntitySpec("glutamate", "glutamate", "messenger", ("glutamate",)),
    EntitySpec("AMPAR", "AMPAR", "receptor", ("AMPAR_active",)),
    EntitySpec("LVDCC", "L-VDCC", "receptor", ("LVDCC_Ca",)),
    EntitySpec("eEF2K", "eEF2K", "kinase", ("eEF2K_act",)),
    EntitySpec("eEF2", "eEF2", "translation", ("eEF2_dephos",)),
    EntitySpec("dissociation", "dissociation", "phenotype", ("dissociation_score",)),
    EntitySpec("BDNF", "BDNF", "protein", ("BDNF_ext",)),
    EntitySpec("TrkB", "TrkB", "receptor", ("TrkB_active",)),
    EntitySpec("PI3K", "PI3K", "kinase", ("mt_PI3K_a",)),
    EntitySpec("Akt", "Akt", "kinase", ("pAkt",)),
    EntitySpec("MEK", "MEK", "kinase", ("mt_pMEK",)),
    EntitySpec("ERK", "ERK", "kinase", ("pERK",)),
    EntitySpec("GSK3B", "GSK3β", "kinase", ("mt_GSK3",)),
    EntitySpec("TSC2", "TSC1/2", "protein", ("mt_TSC",)),
    EntitySpec("Rheb", "Rheb", "protein", ("mt_RhebGTP",)),
    EntitySpec("mTORC1", "mTORC1", "kinase", ("mt_mTORC1_Rheb",)),
    EntitySpec("S6K", "S6K1", "kinase", ("pS6K",)),
    EntitySpec("4EBP", "4E-BP", "translation", ("mt_4EBP",)),
    EntitySpec("eIF4E", "eIF4E", "translation", ("eIF4E_free",)),
    EntitySpec("translation", "translation", "translation", ("syn_translation",)),
    EntitySpec("synaptic_proteins", "synaptic proteins", "protein", ("synaptic_proteins",)),
    EntitySpec("spines", "spines", "phenotype", ("syn_spines",)),
    EntitySpec("symptom", "symptom score", "phenotype", ("symptom_score",)),
)}

ENTITY_RULES: tuple[tuple[str, str | None, int], ...] = (
    # (id, or prefix ending in "*"; entity (None = not drawn); activity). First match wins.
    ("ket_eliminated", None, 0), ("ket_presystemic", None, 0), ("esk_eliminated", None, 0),
    ("esk_presystemic", None, 0), ("nket_eliminated", None, 0), ("hnk_eliminated", None, 0),
    ("mem_eliminated", None, 0),
    ("mem_presystemic", None, 0), ("mdz_eliminated", None, 0), ("mdz_presystemic", None, 0),
    ("ketamine_plasma", None, 0), ("ketamine_brain", None, 0),        # ket + esk mixed
    ("ketamine_brain_tissue", None, 0),
    ("ket_*", "ketamine", 1), ("esk_*", "esketamine", 1), ("nket_*", "norketamine", 1),
    ("norketamine_plasma", "norketamine", 1), ("hnk_*", "hydroxynorketamine", 1),
    ("hydroxynorketamine_plasma", "hydroxynorketamine", 1), ("mem_*", "memantine", 1),
    ("mdz_*", "midazolam", 1),
    ("sbp_*", "SBP", 1),
    ("nmdaB_in_*", "NMDAR_in", -1), ("nmdaS_in_*", "NMDAR_in", -1),
    ("NMDAR_in_free", "NMDAR_in", 1), ("x_in", "NMDAR_in", 1),
    ("pore_in_frac", "NMDAR_in", -1), ("nmda_block_interneuron", "NMDAR_in", -1),
    ("nmdaB_py_*", "NMDAR_py", -1), ("nmdaS_py_*", "NMDAR_py", -1),
    ("NMDAR_py_free", "NMDAR_py", 1), ("x_py_syn", "NMDAR_py", 1),
    ("x_py_rest", "NMDAR_py", 1), ("pore_py_frac", "NMDAR_py", -1),
    ("nmda_block_pyramidal", "NMDAR_py", -1),
    ("gaba_ext", "GABA", 1), ("interneuron_activity*", "GABA", 1),
    ("GABAAR_potentiation", "GABAAR", 1), ("gaba_inhibition", "GABAAR", 1),
    ("glutamate*", "glutamate", 1), ("pyramidal_activity*", "glutamate", 1),
    ("AMPAR_active", "AMPAR", 1), ("LVDCC_Ca", "LVDCC", 1), ("eEF2K_act", "eEF2K", 1),
    ("eEF2_dephos", "eEF2", 1), ("peEF2*", "eEF2", -1),
    ("dissociation_score", "dissociation", 1),
    ("BDNF_pool", "BDNF", 1), ("BDNF_ext", "BDNF", 1), ("BDNF_total", "BDNF", 1),
    ("BDNF_rel", "BDNF", 1),
    ("BDNF_TrkB", "TrkB", 1), ("TrkB_active*", "TrkB", 1), ("TrkB_int", "TrkB", 0),
    ("mt_PI3K_a", "PI3K", 1), ("mt_PI3K", "PI3K", -1),
    ("pAkt*", "Akt", 1), ("mt_Akt", "Akt", -1),
    ("mt_pMEK", "MEK", 1), ("mt_MEK", "MEK", -1),
    ("pERK*", "ERK", 1), ("mt_ERK", "ERK", -1),
    ("mt_GSK3", "GSK3B", 1), ("GSK3B_active", "GSK3B", 1), ("mt_pGSK3", "GSK3B", -1),
    ("mt_TSC", "TSC2", 1), ("mt_pTSC", "TSC2", -1),
    ("mt_RhebGTP", "Rheb", 1), ("mt_RhebGDP", "Rheb", -1),
    ("mt_mTORC1_Rheb", "mTORC1", 1), ("mTORC1_cat", "mTORC1", 1),
    ("mTORC1_active_rel", "mTORC1", 1), ("mt_mTORC1", "mTORC1", -1),
    ("pS6K*", "S6K", 1), ("mt_S6K", "S6K", -1),
    ("mt_4EBP_eIF4E", "eIF4E", -1),              # eIF4E sequestered by 4E-BP
    ("mt_4EBP", "4EBP", 1), ("p4EBP*", "4EBP", -1),
    ("eIF4E_free", "eIF4E", 1), ("syn_eIF4F", "eIF4E", 1),
    ("syn_translation", "translation", 1),
    ("syn_P_new", "synaptic_proteins", 1), ("syn_SP_stable", "synaptic_proteins", 1),
    ("synaptic_proteins*", "synaptic_proteins", 1),
    ("syn_spine_*", "spines", 1), ("syn_spines", "spines", 1),
    ("spine_density_rel", "spines", 1),
    ("symptom_*", "symptom", 1),
)
HUBS = ("x_in", "x_py_syn", "x_py_rest", "GABAAR_potentiation", "gaba_inhibition",
        "AMPAR_active", "LVDCC_Ca", "eEF2K_act", "syn_translation")
"""Rule variables kept as nodes of the interaction graph (they carry the signal on)."""

FOLD_QUANTITIES = {
    # node: ids whose sum is the node's active form (its fold change is the overlay value)
    "NMDAR_in": ("x_in",), "NMDAR_py": ("x_py_rest",), "GABA": ("gaba_ext",),
    "GABAAR": ("gaba_inhibition",), "glutamate": ("glutamate",), "AMPAR": ("AMPAR_active",),
    "LVDCC": ("LVDCC_Ca",), "eEF2K": ("eEF2K_act",), "eEF2": ("eEF2_dephos",),
    "BDNF": ("BDNF_total",), "TrkB": ("TrkB_active",), "PI3K": ("mt_PI3K_a",),
    "Akt": ("pAkt",), "MEK": ("mt_pMEK",), "ERK": ("pERK",), "GSK3B": ("mt_GSK3",),
    "TSC2": ("mt_TSC",), "Rheb": ("mt_RhebGTP",), "mTORC1": ("mt_mTORC1_Rheb",),
    "S6K": ("pS6K",), "4EBP": ("mt_4EBP", "mt_4EBP_eIF4E"), "eIF4E": ("eIF4E_free",),
    "translation": ("syn_translation",), "synaptic_proteins": ("synaptic_proteins",),
    "spines": ("syn_spines",), "symptom": ("symptom_score",),
}
"""What `node_fold_changes` measures for each node (drugs, dissociation and SBP are 0 before
the dose, so they have no fold change)."""

TARGET_NODES = {"NMDAR": ("NMDAR_in", "NMDAR_py"), "NMDAR_in": ("NMDAR_in",),
                "GABAAR": ("GABAAR",), "AMPAR": ("AMPAR",), "LVDCC": ("LVDCC",),
                "eEF2K": ("eEF2K",), "BDNF": ("BDNF",), "BDNF_release": ("BDNF",),
                "TrkB": ("TrkB",), "PI3K": ("PI3K",), "Akt": ("Akt",), "ERK": ("ERK",),
                "TSC2": ("TSC2",), "Rheb": ("Rheb",), "mTORC1": ("mTORC1",),
                "EIF4EBP": ("4EBP",), "eIF4E": ("eIF4E",), "S6K": ("S6K",), "GSK3B": ("GSK3B",),
                "protein_synthesis": ("translation",)}
"""Perturbation targets (`pathways.perturbations.TARGETS`) → nodes, for ``knocked_out``."""
TARGET_EDGES = {"NMDAR_eEF2K": (("NMDAR_py", "eEF2K"),),
                "NMDAR_py_rest": (("NMDAR_py", "eEF2K"),)}   # resting activity drives eEF2K only
"""Perturbation targets that are links, not entities → the edges they cut, for ``knocked_out``."""

SIGN_STATE_REGIMEN = (0.5, 40.0, 1.0)   # mg/kg, infusion minutes, time (h) of the 2nd state


def entity_rule(xid: str):
    """Return ``(entity id or None, activity)`` of the first `ENTITY_RULES` row matching `xid`, or
    None when no row matches."""
    for pattern, entity, activity in ENTITY_RULES:
        if pattern.endswith("*") and xid.startswith(pattern[:-1]) or xid == pattern:
            return entity, activity
    return None
