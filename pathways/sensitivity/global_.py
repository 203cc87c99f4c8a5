"""Global sensitivity: Sobol' (S1, ST, optional S2) and Morris (μ*, σ), both by SALib.

Sampling and estimation are SALib's (`SALib.sample.sobol` + `SALib.analyze.sobol`,
`SALib.sample.morris` + `SALib.analyze.morris`); this module only runs the simulations
(through an engine, with a disk store) and puts the indices in a DataFrame. Parameters are
sampled uniformly in their sampling coordinate (log10 of the value for log ranges).

Failed simulations are NaN. SALib's estimators need complete blocks, so a Sobol' base sample
(its A, B and AB rows) or a Morris trajectory containing a NaN, or a non-finite output (e.g. a
half-life of a readout that never falls), is left out of the analysis; the number left out
and why are in `result.notes`. Time-resolved indices: give the Study `times`.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..checks import finite_number
from ..errors import PathwaysInputError
from .engines import DEFAULT_BATCH
from .result import SensitivityResult, samples_frame
from .runner import evaluate
from .study import check_study


class SampleSizeWarning(UserWarning):
    """The sample is too small for stable indices with this many parameters."""


def recommended_sobol_n(n_params: int) -> int:
    """Base samples below which Sobol' indices are too noisy to rank (a power of 2)."""
    return int(2 ** np.ceil(np.log2(max(512, 4 * n_params))))


MIN_MORRIS_TRAJECTORIES = 10


def sobol(study, n: int, second_order: bool = False, engine=None, workers=None,
          batch_size: int = DEFAULT_BATCH, out_dir=None, resume: bool = False,
          overwrite: bool = False, seed: int = 1, conf_level: float = 0.95,
          num_resamples: int = 200, keep_samples: bool = True,
          progress=None) -> SensitivityResult:
    """Sobol' indices of every study output from `n` base samples (a power of 2).

    Runs n·(k+2) simulations (n·(2k+2) with `second_order`) for k parameters. engine: None or
    "local" (a LocalCluster, one worker per core), "serial", "tcp://host:port" or an engine.
    With `out_dir`, samples are appended to out_dir/samples.csv as they finish; `resume`
    continues an interrupted study there. Warns (SampleSizeWarning) when n is small for k.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    check_study(study)
    n = _count(n, "n (Sobol' base samples)", 2)
    if n & (n - 1):
        lo = 1 << (n.bit_length() - 1)
        raise PathwaysInputError(f"Sobol' base samples must be a power of 2 (balance of the "
                                 f"Sobol' sequence); try {lo} or {lo * 2}, not {n}")
    k = len(study.names)
    rec = recommended_sobol_n(k)
    if n < rec:
        warnings.warn(f"Sobol' with n={n} base samples for {k} parameters is too small for "
                      f"stable indices (wide confidence intervals, unstable ranks); use n >= "
                      f"{rec}", SampleSizeWarning, stacklevel=2)
    seed = _count(seed, "seed", 0)
    _check_bootstrap(conf_level, num_resamples)
    problem = study.problem()
    x = sobol_sample.sample(problem, n, calc_second_order=second_order, seed=seed)
    values = study.to_values(x)
    design = {"method": "sobol", "n": n, "second_order": second_order, "seed": seed}
    ev = evaluate(study, values, engine, workers, batch_size, out_dir, resume, overwrite,
                  design, progress)
    block = 2 * k + 2 if second_order else k + 2
    rows, s2_rows, notes = [], [], []
    rng_seed = _analysis_seed(seed)
    for j, name in enumerate(study.outputs):
        y = ev.outputs[:, j].reshape(n, block)
        ok = np.isfinite(y).all(axis=1)
        if (~ok).any():
            notes.append(_left_out(name, y, ok, ev.failed.reshape(n, block), n,
                                   "base samples", "block"))
        y = y[ok].ravel()
        if ok.sum() < 2 or is_constant(y):
            notes.append(f"{name}: {'too few complete samples' if ok.sum() < 2 else CONSTANT}"
                         f"; indices undefined (NaN)")
            s = {key: np.full(k, np.nan) for key in ("S1", "S1_conf", "ST", "ST_conf")}
            s["S2"] = s["S2_conf"] = np.full((k, k), np.nan)
        else:
            s = sobol_analyze.analyze(problem, y, calc_second_order=second_order,
                                      num_resamples=num_resamples, conf_level=conf_level,
                                      seed=rng_seed)
        for i, p in enumerate(study.names):
            rows.append((name, p, s["S1"][i], s["S1_conf"][i], s["ST"][i], s["ST_conf"][i]))
            if second_order:
                for i2 in range(i + 1, k):
                    s2_rows.append((name, p, study.names[i2], s["S2"][i, i2],
                                    s["S2_conf"][i, i2]))
    indices = pd.DataFrame(rows, columns=["output", "parameter", "S1", "S1_conf", "ST",
                                          "ST_conf"])
    s2 = (pd.DataFrame(s2_rows, columns=["output", "parameter_1", "parameter_2", "S2",
                                         "S2_conf"]) if second_order else None)
    return SensitivityResult("sobol", study, indices, len(values), ev.n_failed, ev.errors,
                             samples_frame(study, ev) if keep_samples else None, s2, notes,
                             ev.resumed, ev.workers, conf_level)


def morris(study, trajectories: int, num_levels: int = 4, engine=None, workers=None,
           batch_size: int = DEFAULT_BATCH, out_dir=None, resume: bool = False,
           overwrite: bool = False, seed: int = 1, conf_level: float = 0.95,
           num_resamples: int = 200, keep_samples: bool = True,
           progress=None) -> SensitivityResult:
    """Morris elementary effects (μ, μ*, σ, CI of μ*) from `trajectories` trajectories.

    Runs trajectories·(k+1) simulations. μ, μ* and σ are SALib's elementary effects Δy/Δ:
    the output change per whole range of the parameter in its sampling coordinate (log10 of
    the value for log ranges), in output units; a step of the design is Δ = L/(2(L−1)) of the
    range (2/3 for L = 4 levels). Warns (SampleSizeWarning) below 10 trajectories.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    check_study(study)
    r = _count(trajectories, "trajectories", 2)
    levels = _count(num_levels, "num_levels", 2)
    if levels % 2:
        raise PathwaysInputError(f"num_levels must be even, got {levels}")
    k = len(study.names)
    if r < MIN_MORRIS_TRAJECTORIES:
        warnings.warn(f"Morris with {r} trajectories for {k} parameters is too small for "
                      f"stable μ* and σ; use >= {MIN_MORRIS_TRAJECTORIES} (20-50 typical)",
                      SampleSizeWarning, stacklevel=2)
    problem = study.problem()
    seed = _count(seed, "seed", 0)
    _check_bootstrap(conf_level, num_resamples)
    x = morris_sample.sample(problem, r, num_levels=levels, seed=seed)
    values = study.to_values(x)
    design = {"method": "morris", "trajectories": r, "num_levels": levels, "seed": seed}
    ev = evaluate(study, values, engine, workers, batch_size, out_dir, resume, overwrite,
                  design, progress)
    rows, notes = [], []
    for j, name in enumerate(study.outputs):
        y = ev.outputs[:, j].reshape(r, k + 1)
        ok = np.isfinite(y).all(axis=1)
        if (~ok).any():
            notes.append(_left_out(name, y, ok, ev.failed.reshape(r, k + 1), r,
                                   "trajectories", "trajectory"))
        constant = ok.sum() >= 2 and is_constant(y[ok])
        if constant:
            notes.append(f"{name}: {CONSTANT}; indices undefined (NaN)")
        elif ok.sum() < 2:
            notes.append(f"{name}: fewer than 2 complete trajectories; indices undefined")
        if ok.sum() < 2 or constant:
            s = {key: np.full(k, np.nan) for key in ("mu", "mu_star", "mu_star_conf",
                                                      "sigma")}
        else:
            xs = x.reshape(r, k + 1, k)[ok].reshape(-1, k)
            s = morris_analyze.analyze(problem, xs, y[ok].ravel(), num_resamples=num_resamples,
                                       conf_level=conf_level, num_levels=levels,
                                       seed=_analysis_seed(seed))
        for i, p in enumerate(study.names):
            rows.append((name, p, s["mu"][i], s["mu_star"][i], s["mu_star_conf"][i],
                         s["sigma"][i]))
    indices = pd.DataFrame(rows, columns=["output", "parameter", "mu", "mu_star",
                                          "mu_star_conf", "sigma"])
    return SensitivityResult("morris", study, indices, len(values), ev.n_failed, ev.errors,
                             samples_frame(study, ev) if keep_samples else None, None, notes,
                             ev.resumed, ev.workers, conf_level)


CONSTANT = ("constant over the samples within solver noise (a vehicle run? fold and "
            "percent readouts are relative to each sample's own steady state, so without a "
            "dose they stay at baseline)")

#: An output whose spread is below NOISE_REL of its largest magnitude plus NOISE_ABS (in its
#: own unit) is solver noise: indices of it would rank noise. Measured on vehicle runs of the
#: composed model (each sample at its own steady state): fold readouts spread ~1e-14 (relative),
#: symptom_change_pct ±4e-11 % (which got S1 0.5 before this test). Real small responses are
#: far above: spine_density_rel 0.5 h after a dose spreads 3e-7 across samples.
NOISE_REL, NOISE_ABS = 1e-10, 1e-10


def is_constant(y) -> bool:
    """True if the finite values `y` vary by no more than solver noise (see NOISE_REL)."""
    y = np.asarray(y, float)
    y = y[np.isfinite(y)]
    return bool(y.size > 1 and np.ptp(y) <= NOISE_REL * np.max(np.abs(y)) + NOISE_ABS)


def _left_out(name, y, ok, failed, total, what, unit) -> str:
    """The note for `name`: how many of `total` blocks were left out, and why."""
    by_failure = int((~ok & failed.any(axis=1)).sum())
    by_value = int((~ok).sum()) - by_failure
    why = []
    if by_failure:
        why.append(f"{by_failure} with a failed simulation in their {unit}")
    if by_value:
        why.append(f"{by_value} with a non-finite value of this output (e.g. a half-life or "
                   "duration that the run does not reach)")
    return f"{name}: {int((~ok).sum())} of {total} {what} left out ({'; '.join(why)})"


def _check_bootstrap(conf_level, num_resamples) -> None:
    """Check the confidence settings before any simulation (SALib checks them only after)."""
    level = finite_number(conf_level, "conf_level")
    if not 0 < level < 1:
        raise PathwaysInputError(f"conf_level must be in (0, 1), e.g. 0.95, got {level:g}")
    _count(num_resamples, "num_resamples", 1)


def _count(value, name, minimum) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise PathwaysInputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _analysis_seed(seed: int) -> int:
    """A non-zero seed for SALib's bootstrap (it ignores a seed of 0)."""
    return int(np.random.default_rng(seed).integers(1, 2**31 - 1))
