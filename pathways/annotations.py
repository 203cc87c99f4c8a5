"""The shared annotation vocabulary written into the SBML by `pathways build`.

- model-level metadata (STYLE.md habit 3): creators, a fixed creation date (stored here, not
  the build time, so rebuilds are byte-identical), the papers as identifiers.org pubmed/doi/pmc
  URIs and the description;
- one Gene Ontology biological-process term per reaction, chosen by the reaction's id (species
  carry their UniProt/ChEBI/GO terms and every element its SBO term in the Antimony sources).
"""
from __future__ import annotations

import re

CREATORS = (("maintainers", "pathways", "pathways project"),)   # (family, given, organisation)
CREATED = "2026-11-25T09:40:26Z"    # the project's first commit; fixed on purpose
IDENTIFIERS = "http://identifiers.org"

# The papers the models are built to reproduce (experiments/*.py), with their DOIs.
KEY_PAPERS = {
    "Zarate 2006 Arch Gen Psychiatry 63:856": "doi/10.1001/archpsyc.63.8.856",
    "Li 2010 Science 329:959": "doi/10.1126/science.1190287",
    "Autry 2011 Nature 475:91": "doi/10.1038/nature10130",
    "Murrough 2013 Am J Psychiatry 170:1134": "doi/10.1176/appi.ajp.2013.13030392",
}

_PMID = re.compile(r"PMID:?\s?(\d{6,8})")
_PMC = re.compile(r"\b(PMC\d{5,9})\b")


#: The key papers each model is built to reproduce (its LIT rows), by model name; the
#: composed model has them all.
KEY_PAPERS_OF = {
    "ketamine_pk": ("Zarate 2006 Arch Gen Psychiatry 63:856",),
    "nmda_blockade": ("Autry 2011 Nature 475:91", "Li 2010 Science 329:959"),
    "bdnf_trkb": ("Autry 2011 Nature 475:91",),
    "mtorc1_4ebp": ("Li 2010 Science 329:959",),
    "synaptogenesis": ("Li 2010 Science 329:959", "Murrough 2013 Am J Psychiatry 170:1134"),
}


def reference_uris(source_text: str, name: str | None = None) -> list[str]:
    """Return identifiers.org URIs (doi, pubmed, pmc) of model `name`'s key papers
    (`KEY_PAPERS_OF`; all of them for the composed model or None) and of every PMID or PMC
    id cited in its source text, sorted and without duplicates."""
    keys = KEY_PAPERS_OF.get(name, tuple(KEY_PAPERS))
    found = {f"{IDENTIFIERS}/{KEY_PAPERS[k]}" for k in keys}
    found |= {f"{IDENTIFIERS}/pubmed/{m}" for m in _PMID.findall(source_text)}
    found |= {f"{IDENTIFIERS}/pmc/{m}" for m in _PMC.findall(source_text)}
    return sorted(found)


# GO biological processes (id, name), used below.
GO = {
    "xenobiotic_transport": ("GO:0042908", "xenobiotic transport"),
    "xenobiotic_metabolism": ("GO:0006805", "xenobiotic metabolic process"),
    "blood_pressure": ("GO:0008217", "regulation of blood pressure"),
    "ionotropic_glutamate": ("GO:0035235", "ionotropic glutamate receptor signaling pathway"),
    "gaba_transmission": ("GO:0051932", "synaptic transmission, GABAergic"),
    "glutamate_transmission": ("GO:0035249", "synaptic transmission, glutamatergic"),
    "phosphorylation": ("GO:0006468", "protein phosphorylation"),
    "autophosphorylation": ("GO:0046777", "protein autophosphorylation"),
    "dephosphorylation": ("GO:0006470", "protein dephosphorylation"),
    "translation": ("GO:0006412", "translation"),
    "protein_catabolism": ("GO:0030163", "protein catabolic process"),
    "protein_secretion": ("GO:0009306", "protein secretion"),
    "receptor_internalization": ("GO:0031623", "receptor internalization"),
    "bdnf_signaling": ("GO:0031547", "brain-derived neurotrophic factor receptor signaling "
                                     "pathway"),
    "pi3k_signaling": ("GO:0014065", "phosphatidylinositol 3-kinase signaling"),
    "erk_cascade": ("GO:0070371", "ERK1 and ERK2 cascade"),
    "small_gtpase": ("GO:0007264", "small GTPase-mediated signal transduction"),
    "torc1_signaling": ("GO:0038202", "TORC1 signaling"),
    "translational_initiation": ("GO:0006413", "translational initiation"),
    "synaptic_plasticity": ("GO:0048167", "regulation of synaptic plasticity"),
    "spine_development": ("GO:0060996", "dendritic spine development"),
    "spine_organization": ("GO:0097061", "dendritic spine organization"),
}

# (regular expression on the reaction id, GO key); the first match wins.
REACTION_GO = (
    (r"^(ket|esk|nket|hnk|mem|mdz)_(infusion|d12|d13|bbb|abs_\w+)$", "xenobiotic_transport"),
    (r"^(ket|esk|nket|hnk|mem|mdz)_(elim|to_nket|to_hnk|pre_\w+)$", "xenobiotic_metabolism"),
    (r"^sbp_", "blood_pressure"),
    (r"^nb_", "ionotropic_glutamate"),
    (r"^gaba_", "gaba_transmission"),
    (r"^glu_", "glutamate_transmission"),
    (r"^eEF2_phos$", "phosphorylation"),
    (r"^eEF2_dephosph$", "dephosphorylation"),
    (r"^bdnf_translation$", "translation"),
    (r"^bdnf_pool_degradation$", "protein_catabolism"),
    (r"^bdnf_(release|clearance)$", "protein_secretion"),
    (r"^trkb_binding$", "bdnf_signaling"),
    (r"^trkb_autophos$", "autophosphorylation"),
    (r"^trkb_(internalisation|recycling)$", "receptor_internalization"),
    (r"^mt_pi3k_", "pi3k_signaling"),
    (r"^mt_(mek|erk)_", "erk_cascade"),
    (r"^mt_(akt|gsk3|tsc|s6k)_.*dephos", "dephosphorylation"),
    (r"^mt_(akt|gsk3|tsc|s6k)_", "phosphorylation"),
    (r"^mt_rheb_", "small_gtpase"),
    (r"^mt_tor_", "torc1_signaling"),
    (r"^mt_(bp|bpe|pbp)_(phos|dephos)", "translational_initiation"),
    (r"^mt_(bp|bpe|pbp|e)_(deg)", "protein_catabolism"),
    (r"^mt_(bp|e)_syn$", "translation"),
    (r"^mt_bp_(bind|unbind)$", "translational_initiation"),
    (r"^syn_translate$", "translation"),
    (r"^syn_(consolidate|P_remove)$", "synaptic_plasticity"),
    (r"^syn_SP_degrade$", "protein_catabolism"),
    (r"^syn_(nucleate|mature|stabilise)$", "spine_development"),
    (r"^syn_(retract|new_elim|stable_elim)$", "spine_organization"),
)


def reaction_go(reaction_id: str) -> tuple[str, str] | None:
    """Return the (GO id, name) of a reaction id, or None if no rule matches."""
    for pattern, key in REACTION_GO:
        if re.search(pattern, reaction_id):
            return GO[key]
    return None
