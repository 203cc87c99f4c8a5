"""Named perturbation presets: drugs used as tools and genotypes.

Each preset is a documented combination of `<target>_scale` changes with the source it stands
for, the dose and route it represents and its published pretreatment time (`given_h`, hours
relative to the first ketamine dose; override with `preset(name, at_h=...)`). An acute preset
acts as a step that starts `onset_h` after it is given (the time to reach the brain) and lasts
`duration_h` (from its source, or assumed with the reason; None: to the end of the run).
Chronic presets (`given_h=None`: genotypes, long treatments) are applied before the pre-dose
steady state, so a genotype has its own baseline; a genotype cannot be given at a time.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import PathwaysInputError, choices_message
from .perturbations import Perturbation, check_time


@dataclass(frozen=True)
class Preset:
    """A named perturbation: parameter factors, default timing (h), and what it stands for."""

    name: str
    factors: tuple[tuple[str, float], ...]
    given_h: float | None       # administration time relative to ketamine; None = chronic
    onset_h: float              # delay from administration to action
    duration_h: float | None    # how long it acts once it acts; None = to the end of the run
    stands_for: str
    source: str
    genotype: bool = False


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("rapamycin", (("mTORC1_scale", 0.1),), -0.5, 0.0, 48.5,
           "rapamycin 0.2 nmol i.c.v. (rat), 30 min before ketamine; 90% mTORC1 inhibition "
           "(assumed: a maximal icv dose), lasting beyond the 24-h readouts (i.c.v. rapamycin "
           "blocked the 24-h spine and behaviour effects); it cuts mTORC1's output to 4E-BP "
           "and S6K alike, although part of 4E-BP1 phosphorylation resists rapamycin "
           "(Thoreen 2009 J Biol Chem 284:8023; PARAMETERS.md section 6): the model has one "
           "mTORC1 activity, so p-4E-BP falls to 12% of baseline under it",
           "Li 2010 Science 329:959"),
    Preset("nbqx", (("AMPAR_scale", 0.1),), -1 / 6, 0.0, 2.0,
           "NBQX 10 mg/kg i.p. (mouse), 10 min before ketamine; 90% AMPAR block (assumed), "
           "short-acting (plasma t1/2 < 1 h in rodents; its anticonvulsant effect at 10-40 "
           "mg/kg i.p. is largest 0.5-1 h after injection, Namba 1994 Brain Res 638:36; the "
           "end of action is not measured: assumed 2 h, and LIT-R10 depends on it)",
           "Maeng 2008 Biol Psychiatry 63:349"),
    Preset("anisomycin", (("protein_synthesis_scale", 0.1),), -0.5, 0.0, 6.0,
           "anisomycin (mouse, i.p./i.c.v.) 30 min before ketamine; ~90% inhibition of brain "
           "protein synthesis for several hours (assumed 6 h)", "Autry 2011 Nature 475:91"),
    Preset("ana12", (("TrkB_scale", 0.2),), -0.5, 0.5, 5.5,
           "ANA-12 0.5 mg/kg i.p. (mouse), 30 min before ketamine; TrkB antagonist acting in "
           "brain from 30 min to ~6 h (Cazorla 2011 J Clin Invest 121:1846); 80% inhibition "
           "(assumed) of BDNF-TrkB binding, a simplification: Cazorla 2011 describes a "
           "non-competitive antagonist whose brain level falls from ~400 to ~10 nM over that "
           "window (10-nM site); that profile, on TrkB activation, is tested against LIT-R11 "
           "in tests/test_literature.py", "Wu 2019; Lin 2021 Cell Rep"),
    Preset("anti_bdnf", (("BDNF_scale", 0.1),), -0.5, 0.0, 72.5,
           "function-blocking anti-BDNF antibody infused into mPFC (rat) 30 min before "
           "ketamine; modelled as 90% loss of available BDNF protein (assumed) for the days "
           "an antibody persists", "Lepack 2015 Int J Neuropsychopharmacol 18:pyu033"),
    Preset("lvdcc_blocker", (("LVDCC_scale", 0.1),), -0.5, 0.0, 6.0,
           "L-type VDCC blocker (verapamil or nifedipine class, rat mPFC) 30 min before "
           "ketamine; 90% block for ~6 h (assumed)", "Lepack 2015 Int J "
           "Neuropsychopharmacol 18:pyu033"),
    Preset("midazolam", (("GABAAR_scale", 1.5),), 0.0, 0.0, 40 / 60,
           "midazolam 0.045 mg/kg IV over 40 min as an acute GABA-A potentiation (50% more "
           "GABA-A drive during the infusion, assumed); the `midazolam` drug has its own PK "
           "and is the better choice when a PK model is present (the two together are "
           "refused). The preset acts on GABA-A drive only, not on the rating's brief "
           "sedative term, so alone it worsens the score during the infusion (+5% at 40 "
           "min, less synaptic drive) where the drug eases it (-2%)", "Murrough 2013 Am J "
           "Psychiatry 170:1134"),
    Preset("lithium", (("GSK3B_scale", 0.5),), None, 0.0, None,
           "chronic lithium (600 mg/L in drinking water, mouse); brain Li+ ~0.5-1 mM against "
           "Ki 1-2 mM gives 20-50% GSK-3 inhibition (I/(I+Ki); Klein & Melton 1996; Stambolic "
           "1996; brain level assumed): the upper bound, 50%, is taken (stronger inhibition "
           "would not raise the potentiation LIT-R15 tests: see its reason)",
           "Chiu 2015 Int J Neuropsychopharmacol; Liu 2013 NPP 38:2268"),
    Preset("bdnf_val66met", (("BDNF_secretion_genotype", 0.85),), None, 0.0, None,
           "BDNF Val66Met heterozygote: 15% less BDNF sorted into the releasable (regulated) "
           "pool, so activity-dependent secretion is ~15% lower (half of the ~30% Met/Met "
           "loss; Egan 2003, Chen 2004)",
           "Egan 2003 Cell 112:257; Chen 2004 J Neurosci 24:4401", genotype=True),
    Preset("bdnf_met66met", (("BDNF_secretion_genotype", 0.7),), None, 0.0, None,
           "BDNF Met/Met knock-in: 30% less BDNF sorted into the releasable (regulated) pool, "
           "so activity-dependent secretion is ~30% lower",
           "Egan 2003 Cell 112:257 (≈18-30%); Chen 2004 J Neurosci 24:4401", genotype=True),
    Preset("bdnf_ko", (("BDNF_scale", 0.0),), None, 0.0, None,
           "BDNF knockout (conditional, forebrain)", "Autry 2011 Nature 475:91", genotype=True),
    Preset("trkb_ko", (("TrkB_scale", 0.0),), None, 0.0, None,
           "TrkB knockout (conditional)", "Autry 2011 Nature 475:91", genotype=True),
    Preset("eef2k_ko", (("eEF2K_scale", 0.0),), None, 0.0, None,
           "eEF2 kinase knockout", "Nosyreva 2013 J Neurosci 33:6990; Autry 2011", genotype=True),
    Preset("eif4ebp_ko", (("EIF4EBP_scale", 0.0),), None, 0.0, None,
           "4E-BP1/2 double knockout", "Aguilar-Valles 2021 Nature 590:315", genotype=True),
)}


def preset(name: str, at_h=..., until_h=...) -> Perturbation:
    """Return the preset perturbation `name`, optionally given at another time (`at_h`, h on
    the run's clock, where a regimen's doses are also placed: the default is the published
    pretreatment time for a ketamine dose at 0 h, so move it with the dose; None makes an
    acute preset chronic) or ending at `until_h` (h, same clock). The returned Perturbation
    acts from `at_h` + the preset's onset delay for its published duration."""
    if not isinstance(name, str) or name not in PRESETS:
        raise PathwaysInputError(choices_message("perturbation preset", name, PRESETS))
    p = PRESETS[name]
    if p.genotype and (at_h is not ... or until_h is not ...):
        raise PathwaysInputError(f"{name} is a genotype (chronic): it has no at_h or until_h")
    given = p.given_h if at_h is ... else at_h
    if given is None:
        if until_h is not ... and until_h is not None:
            raise PathwaysInputError(f"{name} is chronic here (no at_h): until_h needs at_h")
        return Perturbation(name, p.factors, None, None)
    given = check_time(given, f"{name} at_h")
    start = given + p.onset_h
    if until_h is not ... and until_h is not None:
        until = check_time(until_h, f"{name} until_h")
        if until <= start:
            raise PathwaysInputError(
                f"{name}: until_h ({until:g} h) must be after its action starts ({start:g} h"
                + (f" = at_h + {p.onset_h:g} h to reach the brain)" if p.onset_h else ")"))
    elif p.duration_h is None or until_h is None:
        until = None          # acting to the end of the run
    else:                     # a moved pretreatment keeps its published duration
        until = check_time(start + p.duration_h,
                           f"{name} end (at_h + {p.onset_h + p.duration_h:g} h: its onset "
                           f"and published duration)")
    if p.onset_h:
        start = check_time(start, f"{name} onset (at_h + {p.onset_h:g} h)")
    return Perturbation(name, p.factors, start, until)
