"""Local sensitivity by central finite differences in log parameter space, on one compiled
model in this process.

For parameter p and output y, the scaled sensitivity is d ln|y| / d ln p
≈ (ln|y(p·e^h)| − ln|y(p·e^−h)|) / 2h (exact for power laws such as AUC ∝ 1/CL); when y
changes sign or is 0 at a step it falls back to (y⁺ − y⁻) / (2h·y), and it is NaN when y is 0
at nominal. For a fraction (`Model.fractions`) the up step stops at 1 (one-sided at p = 1).
`local` also runs each parameter one at a time at its range ends (a tornado).
libRoadRunner's forward sensitivities are not used: they returned zeros on 2.10.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import in_range
from .engines import short_error
from .global_ import CONSTANT, is_constant
from .result import SensitivityResult
from .study import check_study, worker_model

DEFAULT_STEP = 0.01     # ln-space step: p × e^±0.01 (±1 %)


def scaled_derivative(y0, y_minus, y_plus, step: float, step_plus: float | None = None):
    """Return d ln|y| / d ln p (dimensionless; arrays broadcast) from outputs at p·e^−step,
    p and p·e^+step_plus (step_plus defaults to step; a smaller one is used for a fraction
    near 1, and 0 makes it a one-sided difference with y_plus = y0)."""
    y0, ym, yp = (np.asarray(v, float) for v in (y0, y_minus, y_plus))
    width = step + (step if step_plus is None else step_plus)
    with np.errstate(divide="ignore", invalid="ignore"):
        same = (ym * yp > 0)
        log_ratio = (np.log(np.abs(np.where(same, yp, 1.0)))
                     - np.log(np.abs(np.where(same, ym, 1.0)))) / width
        linear = (yp - ym) / (width * y0)
        out = np.where(same, log_ratio, linear)
    return np.where(y0 == 0, np.nan, out)


def _steps(model, r, step: float) -> tuple[float, float]:
    """The ln-steps down and up for parameter range `r`: the up step stops at 1 for a
    fraction (a share cannot exceed 1)."""
    if r.name in model.fractions and r.nominal > 0:
        return step, max(min(step, -np.log(r.nominal)), 0.0)
    return step, step


def local(study, step: float = DEFAULT_STEP, one_at_a_time: bool = True) -> SensitivityResult:
    """Scaled local sensitivities of every study output to every study parameter.

    Runs 1 + 2k simulations (+ 2k at the range ends with `one_at_a_time`) in this process.
    Columns: output, parameter, nominal (parameter value), sensitivity, output_nominal,
    output_minus, output_plus and, with one_at_a_time, low, high (the range ends) and
    output_low, output_high. A failed simulation gives NaN and is counted.
    """
    check_study(study)
    step = in_range(step, "step (ln units)", 0.0, 1.0, low_inclusive=False)
    model = worker_model(study.model)
    nominal = np.array([r.nominal for r in study.ranges])
    failures: dict[int, str] = {}
    runs = [nominal]
    steps = [_steps(model, r, step) for r in study.ranges]
    for j, (down, up) in enumerate(steps):
        for ln_factor in (-down, up):
            v = nominal.copy()
            v[j] = nominal[j] * np.exp(ln_factor)
            runs.append(v)
    if one_at_a_time:
        for j, r in enumerate(study.ranges):
            for end in (r.low, r.high):
                v = nominal.copy()
                v[j] = end
                runs.append(v)
    out = np.full((len(runs), len(study.outputs)), np.nan)
    for i, v in enumerate(runs):
        try:
            out[i] = study.evaluate(model, v)
        except Exception as exc:   # noqa: BLE001 - a solver failure is one NaN, counted
            failures[i] = short_error(exc)
    k = len(nominal)
    y0 = out[0]
    rows = []
    for m, name in enumerate(study.outputs):
        noise = is_constant(out[:, m])         # a derivative of solver noise is not one
        for j, r in enumerate(study.ranges):
            ym, yp = out[1 + 2 * j, m], out[2 + 2 * j, m]
            sens = (float(scaled_derivative(y0[m], ym, yp, *steps[j]))
                    if r.nominal != 0 and not noise else np.nan)
            row = {"output": name, "parameter": r.name, "nominal": r.nominal,
                   "sensitivity": sens, "output_nominal": y0[m], "output_minus": ym,
                   "output_plus": yp}
            if one_at_a_time:
                base = 1 + 2 * k + 2 * j
                row.update(low=r.low, high=r.high, output_low=out[base, m],
                           output_high=out[base + 1, m])
            rows.append(row)
    indices = pd.DataFrame(rows)
    samples = pd.DataFrame(np.array(runs), columns=study.names)
    for m, name in enumerate(study.outputs):
        samples[name] = out[:, m]
    samples["error"] = [failures.get(i, "") for i in range(len(runs))]
    samples.index.name = "run"
    notes = [f"central differences with ln-step {step:g} (×/÷ {np.exp(step):.4g})"]
    for m, name in enumerate(study.outputs):
        if is_constant(out[:, m]):
            notes.append(f"{name}: {CONSTANT}; sensitivities undefined (blank)")
        elif y0[m] == 0.0:
            notes.append(f"{name}: 0 at the nominal values, so the scaled sensitivity "
                         "(d ln output / d ln parameter) is undefined (blank)")
    n_failed = int(np.isnan(out).any(axis=1).sum())
    return SensitivityResult("local", study, indices, len(runs), n_failed, failures, samples,
                             None, notes)


def local_timecourse(study, step: float = DEFAULT_STEP, scaled: bool = True) -> pd.DataFrame:
    """Time-resolved local sensitivities of the study's readout: a DataFrame indexed by
    time_h with one column per parameter.

    scaled=True: d ln|y(t)| / d ln p (NaN where y(t) = 0, e.g. before a dose);
    scaled=False: d y(t) / d ln p in the readout's unit (for readouts that cross 0).
    A failed simulation raises (one readout, few runs: the user should see why).
    """
    check_study(study)
    step = in_range(step, "step (ln units)", 0.0, 1.0, low_inclusive=False)
    model = worker_model(study.model)
    nominal = np.array([r.nominal for r in study.ranges])
    y0 = study.series(model, nominal)
    cols = {}
    for j, r in enumerate(study.ranges):
        down, up = _steps(model, r, step)
        ys = []
        for ln_factor in (-down, up):
            v = nominal.copy()
            v[j] = nominal[j] * np.exp(ln_factor)
            ys.append(study.series(model, v).values)
        if r.nominal == 0:
            cols[r.name] = np.full(len(y0), np.nan)
        elif scaled:
            cols[r.name] = scaled_derivative(y0.values, ys[0], ys[1], down, up)
        else:
            cols[r.name] = (ys[1] - ys[0]) / (down + up)
    return pd.DataFrame(cols, index=y0.index)
