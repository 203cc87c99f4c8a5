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
midazolam arm at 24 h. Nothing here is fitted, to LIT-C3 or to anything else. What is not in
it (no source found) is not varied: body weight (doses are per kg), brain penetration, and
every parameter downstream of the NMDA receptor other than the BDNF genotype's; the placebo
term carries the rest of the spread of the ratings.

The subjects are a DataFrame whose metadata (species, varied parameters, genotype presets,
placebo distribution) is in `DataFrame.attrs`; `trial` refuses subjects without it (a CSV
round trip loses it: draw them again with the same seed).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .checks import in_range
from .errors import PathwaysInputError, choices_message
from .regimen import Regimen

if TYPE_CHECKING:
    import pandas as pd

MAX_SUBJECTS = 100_000
READOUT = "symptom_change_pct"      # % of the subject's own pre-dose score, negative = better
#: Columns a trial adds to the subjects' own; no gene or parameter may take these names.
RESERVED = ("subject", "arm", "placebo_pct", "drug_effect_pct", "change_pct", "responder",
            "response_probability")


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PathwaysInputError(f"{what} must be a non-empty string, got {value!r}")
    return value


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
        _text(self.source, "LogNormal source")

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
        _text(self.gene, "Genotype gene")
        if self.gene in RESERVED:
            raise PathwaysInputError(f"Genotype gene {self.gene!r} is a column name trials use")
        for allele, what in ((self.reference, "reference"), (self.variant, "variant")):
            _text(allele, f"{self.gene} {what}")
            if "/" in allele or allele != allele.strip() or " " in allele:
                raise PathwaysInputError(f"{self.gene} {what} allele {allele!r} must have no "
                                         f"'/' or spaces (genotypes are written a/b)")
        if self.reference == self.variant:
            raise PathwaysInputError(f"{self.gene}: reference and variant alleles are both "
                                     f"{self.reference!r}")
        in_range(self.variant_frequency, f"{self.gene} variant_frequency", 0.0, 1.0)
        _text(self.source, f"{self.gene} source")
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
        _text(self.source, "placebo source")


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


def column_units(result: "TrialResult") -> dict[str, tuple[str, str]]:
    """Return {column: (unit, meaning)} for every column of `result.table` (what
    `pathways.experiment_plots.write_column_units` writes beside a saved table)."""
    at, threshold = f"{result.at_h:g} h", f"{result.response_pct:g}%"
    units = {"arm": ("", "trial arm"),
             "subject": ("", "virtual subject (the same subjects in every arm)"),
             "placebo_pct": ("%", f"the subject's placebo change of the rating at {at}"),
             "drug_effect_pct": ("%", f"the model's drug effect at {at} (symptom_change_pct)"),
             "change_pct": ("%", "drug effect + placebo, floored at -100%"),
             "responder": ("", f"change_pct <= {threshold}"),
             "response_probability": ("1", "chance of responding given the drug effect, over "
                                           "the placebo distribution")}
    from .readouts import READOUTS
    for r, (unit, meaning) in READOUTS.items():
        units[f"{r}_peak"] = (unit, f"largest value within 0-{at} of: {meaning}")
    meta = result.table.attrs
    for gene in meta.get("genotypes", {}):
        units[gene] = ("", f"{gene} genotype")
    for p in meta.get("parameters", []):
        units[p] = ("1", f"{p}, fold of the model's typical value")
    return {c: units[c] for c in result.table.columns}


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


@dataclass
class TrialResult:
    """Every subject in every arm, read `at_h` hours after the doses start (time 0).

    `table` (a pandas DataFrame) has one row per (arm, subject): the subject's sampled
    columns, `drug_effect_pct` (the model's `symptom_change_pct` at `at_h`, % of the
    subject's own pre-dose score), `placebo_pct`, `change_pct` (their sum, floored at -100%:
    a rating cannot fall below 0), `responder` (change_pct <= `response_pct`) and
    `response_probability`: the chance that the subject responds given its drug effect, over
    the placebo distribution (exact for a normal), whose mean is the arm's expected response
    rate without the Monte Carlo noise of the placebo draws; it uses the placebo
    distribution of the subjects' metadata, not an edited `placebo_pct` column. `arms` maps
    each arm to its regimen (None: vehicle)."""

    table: pd.DataFrame
    arms: dict
    at_h: float
    response_pct: float

    def response_rates(self, confidence: float = 0.95):
        """Return a DataFrame indexed by arm: `responders`, `n`, `rate_pct` and its
        Wilson interval `lo_pct`..`hi_pct` (the Monte Carlo error of the virtual
        population, not the spread of a trial of published size), and `expected_rate_pct`
        (the mean `response_probability`: the placebo draws averaged out exactly), in %."""
        import pandas as pd
        from scipy.stats import binomtest

        in_range(confidence, "confidence", 0.0, 1.0, low_inclusive=False,
                 high_inclusive=False)
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


def trial(arms: dict, subjects, model=None, at_h: float = 24.0, response_pct: float = -50.0,
          peaks=(), progress: bool | None = None, engine="serial",
          workers: int | None = None) -> TrialResult:
    """Simulate every subject of `subjects` (from `sample`) in every arm and read responses.

    `arms` maps an arm name to a `Regimen` whose doses start at time 0 (None: vehicle), so
    that every arm is read `at_h` hours after its start, the time of the placebo response.
    Each subject's varied parameters are its multipliers times `model`'s typical values
    (default: the composed model of the subjects' species), and its genotype presets act
    chronically; its change is the model's `symptom_change_pct` at `at_h` hours (percent of
    its own pre-dose score) plus its placebo draw, the same in every arm. A response is a
    change <= `response_pct` (default -50%). `peaks`: other readouts (e.g.
    `dissociation_score`, `sbp_change_mmHg`) whose largest value within 0..`at_h` (on a
    1-min grid) each subject reaches in each arm, added as `<readout>_peak` columns in the
    readout's unit. `progress`: a bar on standard error (default: when it is a terminal).
    `engine`: where the subjects run, as in `pathways.sensitivity` - "serial" (the default,
    also None: this process), "local" (a dask LocalCluster of `workers` processes, default
    one per core), a scheduler address ("tcp://host:8786") or an engine object (left open);
    every engine gives the same table, to the bit. A failing subject stops the trial with
    its own error (subject and arm). Returns a `TrialResult`."""
    import pandas as pd

    from .model import Model, load
    from .sensitivity.study import model_spec

    _check_arms(arms)
    at_h = in_range(at_h, "at_h", 0.0, 8760.0, "h", low_inclusive=False)
    response_pct = in_range(response_pct, "response_pct", -100.0, 0.0, "%",
                            high_inclusive=False)
    meta = _check_subjects(subjects)
    placebo = meta["placebo"]
    if placebo is not None and abs(placebo.at_h - at_h) > 1e-9:
        raise PathwaysInputError(f"the subjects' placebo response is for {placebo.at_h:g} h "
                                 f"after the dose ({placebo.source}); a read-out at "
                                 f"{at_h:g} h needs a placebo response for that time")
    if model is None:
        model = load(species=meta["species"])
    elif not isinstance(model, Model):
        raise PathwaysInputError(f"model must be a pathways.Model (pathways.load(...)), got "
                                 f"{type(model).__name__}")
    if model.species != meta["species"]:
        raise PathwaysInputError(f"the subjects were drawn for species {meta['species']!r}, "
                                 f"the model is {model.species!r}")
    varied = list(meta["parameters"])
    unknown = [p for p in varied if p not in model.parameters]
    if unknown:
        raise PathwaysInputError(f"model {model.name!r} has no parameter {unknown[0]!r} that "
                                 f"the population varies")
    if READOUT not in model.readouts:
        raise PathwaysInputError(f"model {model.name!r} has no {READOUT} readout")
    for name, regimen in arms.items():      # a route or dose the model refuses: now, by arm
        if regimen is not None:
            try:
                model._dose_events(regimen)
            except PathwaysInputError as exc:
                raise PathwaysInputError(f"arm {name!r}: {exc}") from None
    if isinstance(peaks, str) or not isinstance(peaks, (tuple, list)):
        raise PathwaysInputError(f"peaks must be a tuple of readout names, got {peaks!r}")
    for r in peaks:
        if r not in model.readouts:
            raise PathwaysInputError(choices_message("readout in peaks", r, model.readouts))
    peaks = tuple(dict.fromkeys(peaks))
    columns = [READOUT, *peaks]
    points = np.linspace(0.0, at_h, int(round(at_h * 60)) + 1) if peaks else [0.0, at_h]
    genes = tuple((gene, tuple(meta["genotypes"][gene]),
                   tuple(by[g] for g in meta["genotypes"][gene]))
                  for gene, by in meta["presets"].items())
    task = _TrialTask(model_spec(model), tuple(arms.items()), tuple(varied),
                      tuple(float(model.parameters[p]) for p in varied), genes, at_h,
                      tuple(columns), tuple(float(t) for t in points))
    folds = subjects[varied].to_numpy(float) if varied else np.ones((len(subjects), 0))
    codes = np.array([[labels.index(g) for g in subjects[gene]] for gene, labels, _ in genes],
                     dtype=float).T.reshape(len(subjects), len(genes))
    out = _run_task(task, np.hstack([folds, codes]), subjects.index, model, engine, workers,
                    progress)
    per_arm = out.reshape(len(subjects), len(arms), len(columns))
    effects = per_arm[:, :, 0].T                   # arms x subjects
    peak_values = per_arm[:, :, 1:].transpose(1, 0, 2)
    drawn = subjects["placebo_pct"].to_numpy(float)
    frames = []
    for a, name in enumerate(arms):
        f = subjects.copy()
        f.insert(0, "arm", name)
        f["drug_effect_pct"] = effects[a]
        f["change_pct"] = np.maximum(effects[a] + drawn, -100.0)
        f["responder"] = f["change_pct"] <= response_pct
        f["response_probability"] = _response_probability(effects[a], placebo, response_pct)
        for k, r in enumerate(peaks):
            f[f"{r}_peak"] = peak_values[a, :, k]
        frames.append(f.rename_axis("subject").reset_index())
    table = pd.concat(frames, ignore_index=True)
    table.attrs = dict(meta)          # the subjects' metadata, for column_units
    return TrialResult(table, dict(arms), at_h, response_pct)


@dataclass(frozen=True)
class _TrialTask:
    """What a process needs to simulate subjects of a trial: the model's spec (each worker
    builds its own model once), the arms, the varied parameters with their typical values,
    the genotype presets and the read-out. A subject is a row of multipliers followed by one
    genotype index per gene; its outputs are, per arm, the read-out and each peak."""

    model: object                       # sensitivity.study.ModelSpec
    arms: tuple
    varied: tuple
    typical: tuple
    genes: tuple                        # (gene, genotype labels, preset name or None per label)
    at_h: float
    columns: tuple                      # READOUT, then the peak readouts
    points: tuple

    @property
    def outputs(self) -> tuple:
        return tuple(f"{arm} {c}" for arm, _ in self.arms for c in self.columns)

    def evaluate(self, model, row) -> np.ndarray:
        """Simulate one subject in every arm; return its outputs (see `outputs`)."""
        from .errors import SimulationError
        from .presets import preset

        k = len(self.varied)
        params = {p: t * f for p, t, f in zip(self.varied, self.typical, row[:k])}
        chronic = [preset(names[int(code)]) for (_, _, names), code in zip(self.genes, row[k:])
                   if names[int(code)] is not None]
        out = []
        for name, reg in self.arms:
            try:
                _, values = model.simulate_arrays(reg, self.at_h, perturbations=chronic,
                                                  points=np.asarray(self.points),
                                                  columns=list(self.columns),
                                                  parameters=params)
            except (PathwaysInputError, SimulationError) as exc:
                raise type(exc)(f"arm {name!r}: {exc}") from exc
            out.append(values[-1, 0])
            out.extend(values[:, 1:].max(axis=0))
        return np.asarray(out, float)


def _run_task(task: _TrialTask, rows: np.ndarray, ids, model, engine, workers, progress):
    """Run every subject (row) on `engine`; return their outputs (subjects x outputs).

    The first batch with a failed subject stops the trial; that subject is simulated again
    here, so that its own error is raised, naming the subject and the arm."""
    from .errors import SimulationError
    from .progress import progress_bar
    from .sensitivity.engines import DEFAULT_BATCH, ClusterLostBatch, make_engine
    from .sensitivity.runner import batches

    eng = make_engine("serial" if engine is None else engine, workers)
    own = eng is not engine              # close only what was made here
    out = np.full((len(rows), len(task.outputs)), np.nan)
    errors: dict[int, str] = {}
    bar = progress_bar(len(rows) * len(task.arms), progress, "run", "virtual subjects x arms")
    results = None
    try:
        parts = [(s[0], rows[s[0]:s[-1] + 1])
                 for s in batches(range(len(rows)), DEFAULT_BATCH,
                                  getattr(eng, "workers", 1) or 1)]
        results = eng.map(task, parts)
        for res in results:
            out[res.start:res.start + len(res.outputs)] = res.outputs
            errors.update(res.errors)
            if errors:
                break
            if bar is not None:
                bar.update(len(res.outputs) * len(task.arms))
    except ClusterLostBatch as exc:
        raise SimulationError(f"the dask cluster lost the batch of subjects from subject "
                              f"{ids[exc.start]} ({exc.cause}); run the trial again") from None
    finally:
        if hasattr(results, "close"):
            results.close()              # a generator: no more batches are collected
        if bar is not None:
            bar.close()
        if own:
            eng.close()
    if errors:
        i = min(errors)
        try:
            task.evaluate(model, rows[i])
        except (PathwaysInputError, SimulationError) as exc:
            raise type(exc)(f"subject {ids[i]}, {exc}") from exc
        detail = errors[i].split(": ", 1)[-1]     # without the exception's type name
        raise SimulationError(f"subject {ids[i]}, {detail}")
    return out


def _check_arms(arms) -> None:
    if not isinstance(arms, dict) or not arms:
        raise PathwaysInputError("arms must be a non-empty dict of arm name -> Regimen "
                                 "(None for vehicle)")
    for name, reg in arms.items():
        _text(name, "an arm name")
        if not name.isprintable():
            raise PathwaysInputError(f"arm name {name!r} has a control character")
        if reg is not None and not isinstance(reg, Regimen):
            raise PathwaysInputError(f"arm {name!r}: a Regimen or None (vehicle), got "
                                     f"{type(reg).__name__}")
        if reg is not None and reg.doses and reg.start_h != 0:
            raise PathwaysInputError(f"arm {name!r} starts at {reg.start_h:g} h; a trial reads "
                                     f"every arm at_h hours after time 0, so its doses start "
                                     f"at time 0")


def _check_subjects(subjects) -> dict:
    """Return the subjects' metadata after checking the table against it."""
    import pandas as pd

    meta = getattr(subjects, "attrs", {}) if isinstance(subjects, pd.DataFrame) else {}
    if not {"species", "parameters", "presets", "genotypes", "placebo"} <= set(meta):
        raise PathwaysInputError("subjects must be the DataFrame pathways.population.sample "
                                 "returns, with its metadata (DataFrame.attrs; a CSV round "
                                 "trip loses it: draw them again with the same seed)")
    if len(subjects) == 0:
        raise PathwaysInputError("subjects is empty")
    if not subjects.index.is_unique:
        dup = subjects.index[subjects.index.duplicated()][0]
        raise PathwaysInputError(f"subject {dup} appears twice (concatenated samples?); give "
                                 f"each subject its own id")
    taken = [c for c in subjects.columns if c in RESERVED and c != "placebo_pct"]
    if taken:
        raise PathwaysInputError(f"subjects have a column {taken[0]!r}, a name trial results "
                                 f"use")
    for col in [*meta["parameters"], "placebo_pct"]:
        if col not in subjects:
            raise PathwaysInputError(f"subjects lost their {col!r} column")
        column = subjects[col]
        if column.dtype == bool or any(isinstance(v, (bool, np.bool_)) for v in column):
            raise PathwaysInputError(f"subjects' {col} column must hold numbers, not "
                                     f"True/False")
        try:
            values = column.to_numpy(float)
        except (TypeError, ValueError):
            raise PathwaysInputError(f"subjects' {col} column must hold numbers") from None
        bad = ~np.isfinite(values) | ((values <= 0) if col != "placebo_pct" else False)
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            what = "a positive finite multiplier" if col != "placebo_pct" else "finite (%)"
            raise PathwaysInputError(f"subject {subjects.index[at]}: {col} must be {what}, "
                                     f"got {values[at]!r}")
    for gene, names in meta["genotypes"].items():
        if gene not in subjects:
            raise PathwaysInputError(f"subjects lost their {gene!r} column")
        wrong = ~subjects[gene].isin(names).to_numpy()
        if wrong.any():
            at = int(np.flatnonzero(wrong)[0])
            raise PathwaysInputError(f"subject {subjects.index[at]}: unknown {gene} genotype "
                                     f"{subjects[gene].iloc[at]!r}; valid: {', '.join(names)}")
    return meta


def _response_probability(effects: np.ndarray, placebo, response_pct: float) -> np.ndarray:
    """P(effect + placebo <= response_pct) per subject, placebo ~ N(mean, sd) (the floor at
    -100% does not move a threshold >= -100%); without a placebo term, 0 or 1."""
    from scipy.stats import norm
    if placebo is None or placebo.sd_pct == 0:
        shift = 0.0 if placebo is None else placebo.mean_pct
        return (effects + shift <= response_pct).astype(float)
    return norm.cdf((response_pct - effects - placebo.mean_pct) / placebo.sd_pct)


__all__ = ["BDNF_VAL66MET", "CLEARANCE_IIV", "CYP2B6", "Genotype", "HUMAN", "LogNormal",
           "MURROUGH_PLACEBO", "PlaceboResponse", "TrialResult", "Variability", "column_units",
           "sample", "trial"]
