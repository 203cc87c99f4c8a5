"""Between-subject variability: what differs between the virtual subjects of a trial, and
`sample`, which draws them.

`HUMAN`, the default, holds what was found for adults (sources in each entry): CYP2B6
genotype and the remaining variability of ketamine clearance, BDNF Val66Met genotype
(through the model's genotype presets), and the placebo response of Murrough 2013's
midazolam arm at 24 h. Nothing here is fitted, to LIT-C3 or to anything else. What is not in
it (no source found) is not varied: body weight (doses are per kg), brain penetration, and
every parameter downstream of the NMDA receptor other than the BDNF genotype's; the placebo
term carries the rest of the spread of the ratings.

`pathways.population` re-exports every public name (`population.sample`,
`population.HUMAN`); `population.trial` runs the subjects drawn here.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from .checks import in_range, nonempty_text
from .errors import PathwaysInputError, choices_message

__all__ = ["BDNF_VAL66MET", "CLEARANCE_IIV", "CYP2B6", "Genotype", "HUMAN", "LogNormal",
           "MAX_SUBJECTS", "MURROUGH_PLACEBO", "PlaceboResponse", "RESERVED", "Variability",
           "sample"]

MAX_SUBJECTS = 100_000
#: Columns a trial adds to the subjects' own; no gene or parameter may take these names.
RESERVED = ("subject", "arm", "placebo_pct", "drug_effect_pct", "change_pct", "responder",
            "response_probability")


def _ids(parameters, what: str) -> tuple[str, ...]:
    if (isinstance(parameters, str) or not isinstance(parameters, (tuple, list))
            or not parameters or not all(isinstance(p, str) and p for p in parameters)):
        raise PathwaysInputError(f"{what} parameters must be a non-empty tuple of parameter "
                                 f"ids, got {parameters!r}")
    if len(set(parameters)) != len(parameters):
        raise PathwaysInputError(f"{what} parameters name one id twice: {parameters!r}")
    bad = [p for p in parameters if p in RESERVED]
    if bad:
        raise PathwaysInputError(f"{what} parameter {bad[0]!r} is a column name trials use")
    return tuple(parameters)


@dataclass(frozen=True)
class LogNormal:
    """Log-normal between-subject variability: each subject's value is the typical value times
    exp(eta), eta ~ N(0, omega^2) (the NONMEM convention: the typical value is the median;
    omega ~ the CV for small omega). One eta multiplies every parameter named (one enzyme
    acting on several drugs)."""

    parameters: tuple[str, ...]
    omega: float
    source: str

    def __post_init__(self):
        object.__setattr__(self, "parameters", _ids(self.parameters, "LogNormal"))
        in_range(self.omega, "LogNormal omega", 0.0, 2.0)
        nonempty_text(self.source, "LogNormal source")

    @property
    def key(self) -> str:
        """The name of this entry's random stream (the same seed draws the same values
        whatever other entries a Variability holds)."""
        return "lognormal:" + repr(self.parameters)


@dataclass(frozen=True)
class Genotype:
    """A biallelic genotype in Hardy-Weinberg proportions. Either each genotype multiplies
    `parameters` by its entry of `relative` (reference/reference, reference/variant,
    variant/variant), rescaled so that the population mean multiplier is 1 (the model's
    typical value stands for the mean of a genotype-mixed population), or each genotype is
    a chronic preset of `pathways.presets` (`presets`, None for the reference genotype),
    which sets the subject's own pre-dose baseline as the genotype presets do (the model's
    typical subject is then the reference genotype).

    In a subject table the genotype column of a `relative` genotype is a label (its effect
    is already in the parameter columns); that of a `presets` genotype chooses the preset."""

    gene: str
    reference: str
    variant: str
    variant_frequency: float
    source: str
    relative: tuple[float, float, float] | None = None
    parameters: tuple[str, ...] = ()
    presets: tuple[str | None, str | None, str | None] | None = None

    def __post_init__(self):
        nonempty_text(self.gene, "Genotype gene")
        if self.gene in RESERVED:
            raise PathwaysInputError(f"Genotype gene {self.gene!r} is a column name trials use")
        for allele, what in ((self.reference, "reference"), (self.variant, "variant")):
            nonempty_text(allele, f"{self.gene} {what}")
            if "/" in allele or allele != allele.strip() or " " in allele:
                raise PathwaysInputError(f"{self.gene} {what} allele {allele!r} must have no "
                                         f"'/' or spaces (genotypes are written a/b)")
        if self.reference == self.variant:
            raise PathwaysInputError(f"{self.gene}: reference and variant alleles are both "
                                     f"{self.reference!r}")
        in_range(self.variant_frequency, f"{self.gene} variant_frequency", 0.0, 1.0)
        nonempty_text(self.source, f"{self.gene} source")
        if (self.relative is None) == (self.presets is None):
            raise PathwaysInputError(f"{self.gene}: give either relative and parameters "
                                     f"(a parameter multiplier per genotype) or presets "
                                     f"(a chronic preset per genotype)")
        if self.relative is not None:
            object.__setattr__(self, "parameters", _ids(self.parameters, self.gene))
            rel = self.relative
            if isinstance(rel, np.ndarray):
                rel = tuple(rel.tolist())
            if (isinstance(rel, str) or not isinstance(rel, (tuple, list)) or len(rel) != 3
                    or not all(not isinstance(r, bool) and isinstance(r, (int, float))
                               and np.isfinite(r) and r > 0 for r in rel)):
                raise PathwaysInputError(f"{self.gene} relative needs three positive numbers "
                                         f"(one per genotype), got {rel!r}")
            object.__setattr__(self, "relative", tuple(float(r) for r in rel))
            return
        from .presets import PRESETS
        if self.parameters:
            raise PathwaysInputError(f"{self.gene}: parameters go with relative, not with "
                                     f"presets")
        if (isinstance(self.presets, str) or not isinstance(self.presets, (tuple, list))
                or len(self.presets) != 3):
            raise PathwaysInputError(f"{self.gene} presets needs three entries (a preset name "
                                     f"or None per genotype), got {self.presets!r}")
        for name in self.presets:
            if name is not None and name not in PRESETS:
                raise PathwaysInputError(choices_message("preset", name, PRESETS))
            if name is not None and PRESETS[name].given_h is not None:
                raise PathwaysInputError(f"{self.gene}: preset {name!r} is acute; a genotype "
                                         f"needs a chronic one")
        object.__setattr__(self, "presets", tuple(self.presets))

    @property
    def key(self) -> str:
        """The name of this entry's random stream."""
        return "genotype:" + self.gene

    @property
    def genotypes(self) -> tuple[str, str, str]:
        """The three genotype names, e.g. ('*1/*1', '*1/*6', '*6/*6')."""
        r, v = self.reference, self.variant
        return f"{r}/{r}", f"{r}/{v}", f"{v}/{v}"

    @property
    def frequencies(self) -> np.ndarray:
        """Hardy-Weinberg genotype frequencies (fractions summing to 1)."""
        q = float(self.variant_frequency)
        return np.array([(1 - q) ** 2, 2 * q * (1 - q), q ** 2])

    @property
    def multipliers(self) -> np.ndarray:
        """Each genotype's multiplier of the typical value (population mean 1); all 1 for a
        genotype given by presets."""
        if self.relative is None:
            return np.ones(3)
        rel = np.asarray(self.relative, float)
        return rel / float(self.frequencies @ rel)


@dataclass(frozen=True)
class PlaceboResponse:
    """The placebo (expectancy) change of the rating `at_h` hours after the dose: normal, in
    percent of the baseline rating (negative = better), one draw per subject. A trial read at
    another time refuses it: a placebo response has its own time course."""

    mean_pct: float
    sd_pct: float
    at_h: float
    source: str

    def __post_init__(self):
        in_range(self.mean_pct, "placebo mean_pct", -100.0, 100.0, "%")
        in_range(self.sd_pct, "placebo sd_pct", 0.0, 100.0, "%")
        in_range(self.at_h, "placebo at_h", 0.0, 8760.0, "h", low_inclusive=False)
        nonempty_text(self.source, "placebo source")


@dataclass(frozen=True)
class Variability:
    """What varies between the subjects of one species: genotypes and log-normal parameters
    (`entries`) and the placebo response (None: no placebo term)."""

    entries: tuple[Genotype | LogNormal, ...]
    placebo: PlaceboResponse | None
    species: str = "human"

    def __post_init__(self):
        from .species import check_species
        if isinstance(self.entries, (Genotype, LogNormal)) or not isinstance(
                self.entries, (tuple, list)):
            raise PathwaysInputError("Variability entries must be a tuple of Genotype and "
                                     "LogNormal entries")
        for e in self.entries:
            if not isinstance(e, (Genotype, LogNormal)):
                raise PathwaysInputError(f"Variability entries are Genotype or LogNormal, "
                                         f"got {type(e).__name__}")
        object.__setattr__(self, "entries", tuple(self.entries))
        keys = [e.key for e in self.entries]
        if len(set(keys)) != len(keys):
            raise PathwaysInputError(f"Variability holds one entry twice: "
                                     f"{sorted(k for k in keys if keys.count(k) > 1)[0]}")
        genes = {e.gene for e in self.entries if isinstance(e, Genotype)}
        clash = genes & set(self.parameters)
        if clash:
            raise PathwaysInputError(f"{sorted(clash)[0]!r} is both a gene and a parameter")
        if self.placebo is not None and not isinstance(self.placebo, PlaceboResponse):
            raise PathwaysInputError("Variability placebo is a PlaceboResponse or None")
        check_species(self.species)

    @property
    def parameters(self) -> list[str]:
        """Every model parameter this variability multiplies, in order."""
        seen: dict[str, None] = {}
        for e in self.entries:
            seen.update(dict.fromkeys(e.parameters))
        return list(seen)


# Li 2015 (BJCP, PMID 25702819; LIT-PK12): steady-state ketamine clearance 68, 41 and
# 22 L/h in *1/*1, *1/*6 and *6/*6 carriers (chronic-pain patients on long infusions, where
# age also lowered clearance; racemate, applied to esketamine too: CYP2B6 is the main
# N-demethylase of both enantiomers). *6 allele frequency 0.256 in White subjects (Nicotine Tob
# Res 2020;22:910, Table 1, PMC7249913, from the literature it compiles; 0.21 in the
# compilation of Eur J Hum Genet 2008, ejhg200849, Table 1). Rescaled to a population mean of
# the model's 79 L/h, a *1/*1 subject clears 98 L/h, about hepatic blood flow.
CYP2B6 = Genotype("CYP2B6", "*1", "*6", 0.256,
                  "Li 2015 BJCP, PMID 25702819 (clearance by genotype); *6 frequency 0.256, White "
                  "(Nicotine Tob Res 2020;22:910 Table 1)",
                  relative=(68.0, 41.0, 22.0), parameters=("CL_ket", "CL_esk"))

# BDNF Val66Met (rs6265): the Met allele at 0.20 (1000 Genomes phase 3, all populations, 0.201;
# 0-72% between populations, Petryshen 2010 Mol Psychiatry 15:810). Each genotype is the
# model's own preset (15% / 30% less BDNF sorted into the releasable pool, Egan 2003, Chen
# 2004), whose effect on the response is LIT-C8's prediction.
BDNF_VAL66MET = Genotype("BDNF", "Val", "Met", 0.20,
                         "Met allele 0.20 (1000 Genomes phase 3, rs6265); genotype effects: "
                         "the presets bdnf_val66met / bdnf_met66met (Egan 2003, Chen 2004)",
                         presets=(None, "bdnf_val66met", "bdnf_met66met"))

# Fanta 2015 (Eur J Clin Pharmacol 71:441): S-ketamine clearance 95 L/h/70 kg with 13%
# interindividual variability, 11 healthy volunteers of unknown CYP2B6 genotype. The two
# sources conflict: Li 2015's genotype ratios alone spread clearance by a CV of ~28% in a
# population with 0.256 *6 alleles, twice Fanta's total; both are kept, so the population's
# clearance spread (CV ~32%) is an upper estimate.
CLEARANCE_IIV = LogNormal(("CL_ket", "CL_esk"), 0.13,
                          "Fanta 2015 Eur J Clin Pharmacol 71:441 (13% IIV of clearance)")

# Murrough 2013 (Am J Psychiatry 170:1134), midazolam arm at 24 h: MADRS -8.8 points,
# t(24) = -4.63 (n = 25), so SD = 8.8 * sqrt(25) / 4.63 = 9.50 points; baseline MADRS ~32
# (LITERATURE.md LIT-C2): -27.5% and 29.7% of baseline. The model's own midazolam effect at
# 24 h is +1% (its GABA-A term is over within hours), so the whole arm's change is taken as
# placebo (the simulated midazolam arm then averages -26.5%, a point short): an active
# placebo's expectancy, larger than saline's (Wilkinson 2019 Neuropsychopharmacology
# 44:1233), applied to every arm as LIT-C2 asks.
MURROUGH_PLACEBO = PlaceboResponse(-8.8 / 32 * 100, 8.8 * 5 / 4.63 / 32 * 100, 24.0,
                                   "Murrough 2013 Am J Psychiatry 170:1134, midazolam arm at "
                                   "24 h (MADRS -8.8 points, t(24) = -4.63; baseline 32)")

HUMAN = Variability((CYP2B6, BDNF_VAL66MET, CLEARANCE_IIV), MURROUGH_PLACEBO, "human")


def _stream(seed: int, key: str) -> np.random.Generator:
    """A random stream of its own per entry, so that adding an entry redraws nothing else."""
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def sample(n: int, seed: int = 0, variability: Variability = HUMAN):
    """Draw `n` virtual subjects.

    Returns a pandas DataFrame indexed by `subject` (0..n-1): one column per genotype (its
    name, e.g. '*1/*6'), one per varied parameter (its multiplier of the model's typical
    value, dimensionless) and `placebo_pct` (the subject's placebo change in % of the
    baseline rating; 0 without a placebo term). The same `seed` gives the same subjects,
    and each entry draws from its own stream: adding an entry leaves the others' draws."""
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SUBJECTS:
        raise PathwaysInputError(f"n must be an integer from 1 to {MAX_SUBJECTS}, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise PathwaysInputError(f"seed must be a non-negative integer, got {seed!r}")
    if not isinstance(variability, Variability):
        raise PathwaysInputError("variability must be a pathways.population.Variability")
    n, seed = int(n), int(seed)
    cols: dict[str, np.ndarray] = {}
    fold = {p: np.ones(n) for p in variability.parameters}
    presets: dict[str, dict[str, str | None]] = {}
    genotypes: dict[str, tuple[str, str, str]] = {}
    for e in variability.entries:
        rng = _stream(seed, e.key)
        if isinstance(e, Genotype):
            g = rng.choice(3, size=n, p=e.frequencies)
            cols[e.gene] = np.asarray(e.genotypes, dtype=object)[g]
            genotypes[e.gene] = e.genotypes
            factor = e.multipliers[g]
            if e.presets is not None:
                presets[e.gene] = dict(zip(e.genotypes, e.presets))
        else:
            factor = np.exp(rng.normal(0.0, e.omega, size=n))
        for p in e.parameters:
            fold[p] = fold[p] * factor
    cols.update(fold)
    pl = variability.placebo
    cols["placebo_pct"] = (_stream(seed, "placebo").normal(pl.mean_pct, pl.sd_pct, size=n)
                           if pl is not None else np.zeros(n))
    df = pd.DataFrame(cols, index=pd.RangeIndex(n, name="subject"))
    df.attrs.update(species=variability.species, parameters=variability.parameters,
                    presets=presets, genotypes=genotypes, placebo=pl)
    return df
