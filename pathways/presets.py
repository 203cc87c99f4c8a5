"""Named perturbation presets: drugs used as tools and genotypes.

Each preset is a documented combination of `<target>_scale` changes with the source it stands
for, the dose and route it represents and its published pretreatment time (`at_h`, hours
relative to the first ketamine dose; override with `preset(name, at_h=...)`). Acute presets
act as a step from `at_h` to `until_h` (how long the tool acts, from its source or assumed with
the reason); chronic ones (`at_h=None`) are applied before the pre-dose steady state, so a
genotype has its own baseline.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import PathwaysInputError, choices_message
from .perturbations import Perturbation, check_time


@dataclass(frozen=True)
class Preset:
    """A named perturbation: parameter factors, default timing, and what it stands for."""

    name: str
    factors: tuple[tuple[str, float], ...]
    at_h: float | None
    until_h: float | None
    stands_for: str
    source: str


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("rapamycin", (("mTORC1_scale", 0.1),), -0.5, 48.0,
           "rapamycin 0.2 nmol i.c.v. (rat), 30 min before ketamine; 90% mTORC1 inhibition "
           "(assumed: a maximal icv dose), lasting beyond the 24-h readouts (i.c.v. rapamycin "
           "blocked the 24-h spine and behaviour effects)", "Li 2010 Science 329:959"),
    Preset("nbqx", (("AMPAR_scale", 0.1),), -1 / 6, 2.0,
           "NBQX 10 mg/kg i.p. (mouse), 10 min before ketamine; 90% AMPAR block (assumed), "
           "short-acting (plasma t1/2 < 1 h in rodents; assumed 2 h of action)",
           "Maeng 2008 Biol Psychiatry 63:349"),
    Preset("anisomycin", (("protein_synthesis_scale", 0.1),), -0.5, 6.0,
           "anisomycin (mouse, i.p./i.c.v.) 30 min before ketamine; ~90% inhibition of brain "
           "protein synthesis for several hours (assumed 6 h)", "Autry 2011 Nature 475:91"),
    Preset("ana12", (("TrkB_scale", 0.2),), -0.5, 6.0,
           "ANA-12 0.5 mg/kg i.p. (mouse), 30 min before ketamine; TrkB antagonist acting in "
           "brain from 30 min to ~6 h (Cazorla 2011 J Clin Invest 121:1846); 80% inhibition "
           "(assumed)", "Wu 2019; Lin 2021 Cell Rep"),
    Preset("anti_bdnf", (("BDNF_scale", 0.1),), -0.5, 72.0,
           "function-blocking anti-BDNF antibody infused into mPFC (rat) 30 min before "
           "ketamine; modelled as 90% loss of available BDNF protein (assumed) for the days "
           "an antibody persists", "Lepack 2015 Int J Neuropsychopharmacol 18:pyu033"),
    Preset("lvdcc_blocker", (("LVDCC_scale", 0.1),), -0.5, 6.0,
           "L-type VDCC blocker (verapamil or nifedipine class, rat mPFC) 30 min before "
           "ketamine; 90% block for ~6 h (assumed)", "Lepack 2015 Int J "
           "Neuropsychopharmacol 18:pyu033"),
    Preset("midazolam", (("GABAAR_scale", 1.5),), 0.0, 40 / 60,
           "midazolam 0.045 mg/kg IV over 40 min as an acute GABA-A potentiation (50% more "
           "GABA-A drive during the infusion, assumed); the `midazolam` drug has its own PK "
           "and is the better choice when a PK model is present", "Murrough 2013 Am J "
           "Psychiatry 170:1134"),
    Preset("lithium", (("GSK3B_scale", 0.5),), None, None,
           "chronic lithium (600 mg/L in drinking water, mouse); brain Li+ ~0.5-1 mM against "
           "Ki 1-2 mM gives 20-50% GSK-3 inhibition (I/(I+Ki); Klein & Melton 1996; Stambolic "
           "1996; brain level assumed): the upper bound, 50%, is taken, the value most "
           "favourable to the potentiation LIT-R15 tests",
           "Chiu 2015 Int J Neuropsychopharmacol; Liu 2013 NPP 38:2268"),
    Preset("bdnf_val66met", (("BDNF_secretion_genotype", 0.85),), None, None,
           "BDNF Val66Met heterozygote: activity-dependent (regulated) secretion lowered ~15% "
           "(half of the ~30% Met/Met loss); constitutive secretion unchanged (Egan 2003)",
           "Egan 2003 Cell 112:257; Chen 2004 J Neurosci 24:4401"),
    Preset("bdnf_met66met", (("BDNF_secretion_genotype", 0.7),), None, None,
           "BDNF Met/Met knock-in: activity-dependent (regulated) secretion lowered ~30%; "
           "constitutive secretion unchanged",
           "Egan 2003 Cell 112:257 (≈18-30%); Chen 2004 J Neurosci 24:4401"),
    Preset("bdnf_ko", (("BDNF_scale", 0.0),), None, None,
           "BDNF knockout (conditional, forebrain)", "Autry 2011 Nature 475:91"),
    Preset("trkb_ko", (("TrkB_scale", 0.0),), None, None,
           "TrkB knockout (conditional)", "Autry 2011 Nature 475:91"),
    Preset("eef2k_ko", (("eEF2K_scale", 0.0),), None, None,
           "eEF2 kinase knockout", "Nosyreva 2013 J Neurosci 33:6990; Autry 2011"),
    Preset("eif4ebp_ko", (("EIF4EBP_scale", 0.0),), None, None,
           "4E-BP1/2 double knockout", "Aguilar-Valles 2021 Nature 590:315"),
)}


def preset(name: str, at_h=..., until_h=...) -> Perturbation:
    """Return the preset perturbation `name`, optionally with its timing overridden (hours)."""
    if not isinstance(name, str) or name not in PRESETS:
        raise PathwaysInputError(choices_message("perturbation preset", name, PRESETS))
    p = PRESETS[name]
    at = p.at_h if at_h is ... else at_h
    if at is not None:
        at = check_time(at, f"{name} at_h")
    if until_h is not ...:
        until = until_h
    elif at is None or p.until_h is None:
        until = None          # chronic (no end), or acting to the end of the run
    else:                     # a moved pretreatment keeps its published duration
        until = at + (p.until_h - p.at_h)
    if until is not None:
        what = f"{name} until_h" if until_h is not ... else \
            f"{name} end (at_h + its published {p.until_h - p.at_h:g} h of action)"
        until = check_time(until, what)
        if at is None or until <= at:
            raise PathwaysInputError(f"{name}: until_h must be after at_h")
    return Perturbation(name, p.factors, at, until)
