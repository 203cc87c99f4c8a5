"""Virtual populations: between-subject variability, and the response rates of a trial.

The models are mean models: one parameter set stands for a typical subject. A virtual
population draws one set per subject from a `Variability` (every entry cites its source),
`trial` simulates each subject in every arm, adds the subject's own placebo (expectancy)
response, the same in every arm (LITERATURE.md, LIT-C2: "if you model a placebo term, apply
it to every arm"), and reads a response as the rating falling by at least 50% from baseline.

>>> from pathways import Regimen, population
>>> subjects = population.sample(500, seed=1)                 # doctest: +SKIP
>>> result = population.trial({"ketamine": Regimen.infusion(0.5, 40),  # doctest: +SKIP
...                            "midazolam": Regimen.infusion(0.045, 40, drug="midazolam")},
...                           subjects)
>>> result.response_rates()                                    # doctest: +SKIP

`HUMAN`, the default, holds what was found for adults (sources in each entry): CYP2B6
genotype and the remaining variability of ketamine clearance, BDNF Val66Met genotype
(through the model's genotype presets), and the placebo response of Murrough 2013's
midazolam arm. Nothing here is fitted: in particular nothing to LIT-C3, the response rates
this reproduces. What is not in it (no source found) is not varied: body weight (doses are
per kg), brain penetration, and every other parameter downstream of the NMDA receptor; the
placebo term carries all the unexplained spread of the ratings.
"""
from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass

import numpy as np

from .errors import PathwaysInputError, choices_message
from .regimen import Regimen

MAX_SUBJECTS = 100_000


def _finite(x) -> bool:
    return (isinstance(x, numbers.Real) and not isinstance(x, bool)
            and math.isfinite(float(x)))


def _check_parameters(parameters, what: str) -> None:
    if (not isinstance(parameters, tuple) or not parameters
            or not all(isinstance(p, str) and p for p in parameters)):
        raise PathwaysInputError(f"{what} parameters must be a non-empty tuple of parameter "
                                 f"ids, got {parameters!r}")


@dataclass(frozen=True)
class LogNormal:
    """Log-normal between-subject variability: each subject's value is the typical value times
    exp(eta), eta ~ N(0, omega^2) (the NONMEM convention; omega ~ the CV for small omega). One
    eta multiplies every parameter named (one enzyme acting on several drugs)."""

    parameters: tuple[str, ...]
    omega: float
    source: str

    def __post_init__(self):
        _check_parameters(self.parameters, "LogNormal")
        if not _finite(self.omega) or not 0 <= self.omega <= 2:
            raise PathwaysInputError(f"LogNormal omega must be within [0, 2], got "
                                     f"{self.omega!r}")


@dataclass(frozen=True)
class Genotype:
    """A biallelic genotype in Hardy-Weinberg proportions. Either each genotype multiplies
    `parameters` by its entry of `relative` (reference/reference, reference/variant,
    variant/variant), rescaled so that the population mean multiplier is 1 (the model's
    typical value stands for the mean of a genotype-mixed population), or each genotype is
    a chronic preset of `pathways.presets` (`presets`, None for the reference genotype),
    which sets the subject's own pre-dose baseline as the genotype presets do."""

    gene: str
    reference: str
    variant: str
    variant_frequency: float
    source: str
    relative: tuple[float, float, float] | None = None
    parameters: tuple[str, ...] = ()
    presets: tuple[str | None, str | None, str | None] | None = None

    def __post_init__(self):
        if not _finite(self.variant_frequency) or not 0 <= self.variant_frequency <= 1:
            raise PathwaysInputError(f"{self.gene} variant_frequency must be within [0, 1], "
                                     f"got {self.variant_frequency!r}")
        if (self.relative is None) == (self.presets is None):
            raise PathwaysInputError(f"{self.gene}: give either relative and parameters "
                                     f"(a parameter multiplier per genotype) or presets "
                                     f"(a chronic preset per genotype)")
        if self.relative is not None:
            _check_parameters(self.parameters, "Genotype")
            if (not isinstance(self.relative, tuple) or len(self.relative) != 3
                    or not all(_finite(r) and r > 0 for r in self.relative)):
                raise PathwaysInputError(f"{self.gene} relative needs three positive numbers "
                                         f"(one per genotype), got {self.relative!r}")
        else:
            from .presets import PRESETS
            if self.parameters:
                raise PathwaysInputError(f"{self.gene}: parameters go with relative, not "
                                         f"with presets")
            if not isinstance(self.presets, tuple) or len(self.presets) != 3:
                raise PathwaysInputError(f"{self.gene} presets needs three entries (a preset "
                                         f"name or None per genotype), got {self.presets!r}")
            for name in self.presets:
                if name is not None and name not in PRESETS:
                    raise PathwaysInputError(choices_message("preset", name, PRESETS))
                if name is not None and PRESETS[name].given_h is not None:
                    raise PathwaysInputError(f"{self.gene}: preset {name!r} is acute; a "
                                             f"genotype needs a chronic one")

    @property
    def genotypes(self) -> tuple[str, str, str]:
        """The three genotype names, e.g. ('*1/*1', '*1/*6', '*6/*6')."""
        r, v = self.reference, self.variant
        return f"{r}/{r}", f"{r}/{v}", f"{v}/{v}"

    @property
    def frequencies(self) -> np.ndarray:
        """Hardy-Weinberg genotype frequencies (fractions summing to 1)."""
        q = self.variant_frequency
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
    """The placebo (expectancy) change of the rating at the trial's read-out: normal, in
    percent of the baseline rating (negative = better), one draw per subject."""

    mean_pct: float
    sd_pct: float
    source: str

    def __post_init__(self):
        if not _finite(self.mean_pct) or not -100 <= self.mean_pct <= 100:
            raise PathwaysInputError(f"placebo mean_pct must be within [-100, 100] %, got "
                                     f"{self.mean_pct!r}")
        if not _finite(self.sd_pct) or not 0 <= self.sd_pct <= 100:
            raise PathwaysInputError(f"placebo sd_pct must be within [0, 100] %, got "
                                     f"{self.sd_pct!r}")


@dataclass(frozen=True)
class Variability:
    """What varies between the subjects of one species: genotypes and log-normal parameters
    (`entries`) and the placebo response (None: no placebo term)."""

    entries: tuple
    placebo: PlaceboResponse | None
    species: str = "human"

    def __post_init__(self):
        for e in self.entries:
            if not isinstance(e, (Genotype, LogNormal)):
                raise PathwaysInputError(f"Variability entries are Genotype or LogNormal, "
                                         f"got {type(e).__name__}")
        if self.placebo is not None and not isinstance(self.placebo, PlaceboResponse):
            raise PathwaysInputError("Variability placebo is a PlaceboResponse or None")

    @property
    def parameters(self) -> list[str]:
        """Every model parameter this variability multiplies, in order."""
        seen: dict[str, None] = {}
        for e in self.entries:
            seen.update(dict.fromkeys(e.parameters))
        return list(seen)


# Li 2015 (BJCP, PMID 25702819; LIT-PK12): steady-state ketamine clearance 68, 41 and
# 22 L/h in *1/*1, *1/*6 and *6/*6 carriers (racemate; applied to esketamine too: CYP2B6 is
# the main N-demethylase of both enantiomers). *6 allele frequency 0.256 in White subjects
# (Nicotine Tob Res 2020;22:910, Table 1, PMC7249913, from the literature it compiles; 0.21
# in the compilation of Eur J Hum Genet 2008, ejhg200849, Table 1).
CYP2B6 = Genotype("CYP2B6", "*1", "*6", 0.256,
                  "Li 2015 BJCP, PMID 25702819 (clearance by genotype); *6 frequency 0.256, White "
                  "(Nicotine Tob Res 2020;22:910 Table 1)",
                  relative=(68.0, 41.0, 22.0), parameters=("CL_ket", "CL_esk"))

# BDNF Val66Met (rs6265): the Met allele at 0.20 (1000 Genomes phase 3, all populations, 0.201;
# 0-72% between populations, Petryshen 2009 Mol Psychiatry 15:810). Each genotype is the
# model's own preset (15% / 30% less BDNF sorted into the releasable pool, Egan 2003, Chen
# 2004), whose effect on the response is LIT-C8's prediction.
BDNF_VAL66MET = Genotype("BDNF", "Val", "Met", 0.20,
                         "Met allele 0.20 (1000 Genomes phase 3, rs6265); genotype effects: "
                         "the presets bdnf_val66met / bdnf_met66met (Egan 2003, Chen 2004)",
                         presets=(None, "bdnf_val66met", "bdnf_met66met"))

# Fanta 2015 (Eur J Clin Pharmacol 71:441): S-ketamine clearance 95 L/h/70 kg with 13%
# interindividual variability, 11 healthy volunteers of unknown CYP2B6 genotype. Part of that
# 13% is genotype itself, so adding it to CYP2B6 overstates the spread a little.
CLEARANCE_IIV = LogNormal(("CL_ket", "CL_esk"), 0.13,
                          "Fanta 2015 Eur J Clin Pharmacol 71:441 (13% IIV of clearance)")

# Murrough 2013 (Am J Psychiatry 170:1134), midazolam arm at 24 h: MADRS -8.8 points,
# t(24) = -4.63 (n = 25), so SD = 8.8 * sqrt(25) / 4.63 = 9.50 points; baseline MADRS ~32
# (LITERATURE.md LIT-C2): -27.5% and 29.7% of baseline. The model's own midazolam effect at
# 24 h is near zero (its GABA-A term is over within hours), so the arm's change is taken as
# placebo: an active placebo's expectancy, larger than saline's (Wilkinson 2019
# Neuropsychopharmacology 44:1233), applied to every arm as LIT-C2 asks.
MURROUGH_PLACEBO = PlaceboResponse(-8.8 / 32 * 100, 8.8 * 5 / 4.63 / 32 * 100,
                                   "Murrough 2013 Am J Psychiatry 170:1134, midazolam arm at "
                                   "24 h (MADRS -8.8 points, t(24) = -4.63; baseline 32)")

HUMAN = Variability((CYP2B6, BDNF_VAL66MET, CLEARANCE_IIV), MURROUGH_PLACEBO, "human")


def sample(n: int, seed: int = 0, variability: Variability = HUMAN):
    """Draw `n` virtual subjects.

    Returns a pandas DataFrame indexed by `subject` (0..n-1): one column per genotype (its
    name, e.g. '*1/*6'), one per varied parameter (its multiplier of the model's typical
    value, dimensionless) and `placebo_pct` (the subject's placebo change in % of the
    baseline rating; 0 without a placebo term). The same `seed` gives the same subjects."""
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= MAX_SUBJECTS:
        raise PathwaysInputError(f"n must be an integer from 1 to {MAX_SUBJECTS}, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise PathwaysInputError(f"seed must be a non-negative integer, got {seed!r}")
    if not isinstance(variability, Variability):
        raise PathwaysInputError("variability must be a pathways.population.Variability")
    rng = np.random.default_rng(int(seed))
    n = int(n)
    cols: dict[str, np.ndarray] = {}
    fold = {p: np.ones(n) for p in variability.parameters}
    presets: dict[str, dict[str, str | None]] = {}
    for e in variability.entries:
        if isinstance(e, Genotype):
            g = rng.choice(3, size=n, p=e.frequencies)
            cols[e.gene] = np.asarray(e.genotypes, dtype=object)[g]
            factor = e.multipliers[g]
            if e.presets is not None:
                presets[e.gene] = dict(zip(e.genotypes, e.presets))
        else:
            factor = np.exp(rng.normal(0.0, e.omega, size=n))
        for p in e.parameters:
            fold[p] = fold[p] * factor
    cols.update(fold)
    pl = variability.placebo
    cols["placebo_pct"] = (rng.normal(pl.mean_pct, pl.sd_pct, size=n) if pl is not None
                           else np.zeros(n))
    df = pd.DataFrame(cols, index=pd.RangeIndex(n, name="subject"))
    df.attrs["species"] = variability.species
    df.attrs["parameters"] = variability.parameters
    df.attrs["placebo"] = None if pl is None else (pl.mean_pct, pl.sd_pct)
    df.attrs["presets"] = presets
    return df


@dataclass
class TrialResult:
    """Every subject in every arm: `table` has one row per (arm, subject) with
    `drug_effect_pct` (the model's change of the readout at `at_h`, % of baseline),
    `placebo_pct`, `change_pct` (their sum, floored at -100%: a rating cannot fall below 0)
    and `responder` (change_pct <= `response_pct`), plus the subject's sampled columns, and
    `response_probability`: the chance that the subject responds given its drug effect, over
    the placebo distribution (normal: exact, no draw), whose mean over subjects is the
    population's expected response rate without the Monte Carlo noise of the placebo draws."""

    table: object
    at_h: float
    response_pct: float

    def response_rates(self, confidence: float = 0.95):
        """Return a DataFrame indexed by arm: `responders`, `n`, `rate_pct` and its
        Wilson interval `lo_pct`..`hi_pct` (the Monte Carlo error of the virtual
        population, not the spread of a trial of published size), and `expected_rate_pct`
        (the mean `response_probability`: the placebo draws averaged out exactly), in %."""
        import pandas as pd
        from scipy.stats import binomtest

        if not _finite(confidence) or not 0 < confidence < 1:
            raise PathwaysInputError(f"confidence must be within (0, 1), got {confidence!r}")
        rows = {}
        for arm, g in self.table.groupby("arm", sort=False):
            k, n = int(g["responder"].sum()), len(g)
            ci = binomtest(k, n).proportion_ci(confidence, method="wilson")
            rows[arm] = {"responders": k, "n": n, "rate_pct": 100 * k / n,
                         "lo_pct": 100 * ci.low, "hi_pct": 100 * ci.high,
                         "expected_rate_pct": 100 * float(g["response_probability"].mean())}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")

    def summary(self):
        """Return a DataFrame indexed by arm: mean and SD of `drug_effect_pct` and of
        `change_pct` (% of the baseline rating)."""
        stats = self.table.groupby("arm", sort=False)[["drug_effect_pct", "change_pct"]]
        out = stats.agg(["mean", "std"])
        out.columns = [f"{c}_{s}" for c, s in out.columns]
        return out


def trial(arms: dict, subjects, model=None, at_h: float = 24.0,
          readout: str = "symptom_change_pct", response_pct: float = -50.0,
          progress: bool | None = None) -> TrialResult:
    """Simulate every subject of `subjects` (from `sample`) in every arm and read responses.

    `arms` maps an arm name to a `Regimen` (None: vehicle). Each subject's varied parameters
    are its multipliers times `model`'s typical values (default: the composed human model);
    its change is the model's `readout` at `at_h` hours (percent of its own pre-dose score)
    plus its placebo draw, the same in every arm. A response is a change <= `response_pct`
    (default -50%). `progress`: a bar on standard error (default: when it is a terminal).
    Returns a `TrialResult`."""
    import pandas as pd

    from .model import load

    if not isinstance(arms, dict) or not arms:
        raise PathwaysInputError("arms must be a non-empty dict of arm name -> Regimen "
                                 "(None for vehicle)")
    for name, reg in arms.items():
        if not isinstance(name, str) or not name:
            raise PathwaysInputError(f"arm names are non-empty strings, got {name!r}")
        if reg is not None and not isinstance(reg, Regimen):
            raise PathwaysInputError(f"arm {name!r}: a Regimen or None (vehicle), got "
                                     f"{type(reg).__name__}")
    if not isinstance(subjects, pd.DataFrame) or "placebo_pct" not in subjects:
        raise PathwaysInputError("subjects must be the DataFrame pathways.population.sample "
                                 "returns")
    if not _finite(at_h) or not 0 < at_h <= 8760:
        raise PathwaysInputError(f"at_h must be within (0, 8760] h, got {at_h!r}")
    if not _finite(response_pct) or not -100 <= response_pct < 0:
        raise PathwaysInputError(f"response_pct must be within [-100, 0) %, got "
                                 f"{response_pct!r}")
    model = load() if model is None else model
    species = subjects.attrs.get("species", "human")
    if model.species != species:
        raise PathwaysInputError(f"the subjects were drawn for species {species!r}, the model "
                                 f"is {model.species!r}")
    varied = list(subjects.attrs.get("parameters", []))
    unknown = [p for p in varied if p not in model.parameters]
    if unknown:
        raise PathwaysInputError(f"model {model.name!r} has no parameter {unknown[0]!r} that "
                                 f"the population varies")
    if not model.has_variable(readout) and readout not in model.readouts:
        raise PathwaysInputError(f"model {model.name!r} has no readout {readout!r}")
    typical = {p: float(model.parameters[p]) for p in varied}
    chronic = _subject_presets(subjects)
    folds = subjects[varied].to_numpy(float) if varied else np.ones((len(subjects), 0))
    effects = np.empty((len(arms), len(subjects)))
    bar = _bar(len(arms) * len(subjects), progress)
    try:
        for a, reg in enumerate(arms.values()):
            for i, row in enumerate(folds):
                params = {p: typical[p] * f for p, f in zip(varied, row)}
                _, values = model.simulate_arrays(reg, at_h, perturbations=chronic[i],
                                                  points=[0.0, at_h], columns=[readout],
                                                  parameters=params)
                effects[a, i] = values[-1, 0]
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    placebo = subjects.attrs.get("placebo")
    frames = []
    for a, name in enumerate(arms):
        f = subjects.copy()
        f.insert(0, "arm", name)
        f["drug_effect_pct"] = effects[a]
        f["change_pct"] = np.maximum(effects[a] + subjects["placebo_pct"].to_numpy(), -100.0)
        f["responder"] = f["change_pct"] <= response_pct
        f["response_probability"] = _response_probability(effects[a], placebo, response_pct)
        frames.append(f.reset_index())
    return TrialResult(pd.concat(frames, ignore_index=True), float(at_h), float(response_pct))


def _subject_presets(subjects) -> list[list]:
    """Each subject's chronic genotype presets (Perturbations), from `sample`'s columns."""
    from .presets import preset

    mapping = subjects.attrs.get("presets", {})
    made: dict[str, object] = {}
    out: list[list] = [[] for _ in range(len(subjects))]
    for gene, by_genotype in mapping.items():
        if gene not in subjects:
            raise PathwaysInputError(f"subjects lost their {gene!r} column")
        for i, g in enumerate(subjects[gene]):
            if g not in by_genotype:
                raise PathwaysInputError(f"subject {i}: unknown {gene} genotype {g!r}; valid: "
                                         f"{', '.join(by_genotype)}")
            name = by_genotype[g]
            if name is not None:
                out[i].append(made.setdefault(name, preset(name)))
    return out


def _response_probability(effects: np.ndarray, placebo, response_pct: float) -> np.ndarray:
    """P(effect + placebo <= response_pct) per subject, placebo ~ N(mean, sd) (the floor at
    -100% does not move a threshold >= -100%); without a placebo term, 0 or 1."""
    from scipy.stats import norm
    if placebo is None or placebo[1] == 0:
        shift = 0.0 if placebo is None else placebo[0]
        return (effects + shift <= response_pct).astype(float)
    mean, sd = placebo
    return norm.cdf((response_pct - effects - mean) / sd)


def _bar(total: int, progress):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="subject", desc="virtual subjects", dynamic_ncols=True)


__all__ = ["CLEARANCE_IIV", "CYP2B6", "Genotype", "HUMAN", "LogNormal", "MURROUGH_PLACEBO",
           "PlaceboResponse", "TrialResult", "Variability", "sample", "trial"]
