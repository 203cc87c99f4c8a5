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

The variability (`Variability`, its entries, `HUMAN`) and `sample`, which draws the
subjects, live in `pathways.variability` (its docstring says what is varied and what
is not) and are re-exported here.

The subjects are a DataFrame whose metadata (species, varied parameters, genotype presets,
placebo distribution) is in `DataFrame.attrs`; `trial` refuses subjects without it (a CSV
round trip loses it: draw them again with the same seed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .checks import in_range, nonempty_text
from .errors import PathwaysInputError, choices_message
from .regimen import Regimen
from .variability import (BDNF_VAL66MET, CLEARANCE_IIV, CYP2B6, HUMAN, MAX_SUBJECTS,
                          MURROUGH_PLACEBO, RESERVED, Genotype, LogNormal, PlaceboResponse,
                          Variability, sample)

if TYPE_CHECKING:
    import pandas as pd

READOUT = "symptom_change_pct"      # % of the subject's own pre-dose score, negative = better


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
        nonempty_text(name, "an arm name")
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
           "MAX_SUBJECTS", "MURROUGH_PLACEBO", "PlaceboResponse", "TrialResult", "Variability",
           "column_units", "sample", "trial"]
