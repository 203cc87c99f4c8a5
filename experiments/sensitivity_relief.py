"""Which pathway parameters control how much relief ketamine gives at day 1, and for how long?

Human, racemic ketamine 0.5 mg/kg IV over 40 min (Zarate 2006 protocol), composed model
`ketamine_synaptogenesis`. Sobol' indices (SALib; S1, ST, 95 % CI) over every pathway
parameter (all free parameters of the non-PK components, ×/÷ 2 log-uniform; not the
perturbation handles `*_scale`, the fold references `*_ref`, genotype switches or computed
values) of two outputs of one 14-day simulation:
- relief at day 1: symptom_change_pct at 24 h (negative = better);
- duration of relief: hours in 0-336 h with symptom_change_pct <= -10 %, or, when the nominal
  model's best relief is under 20 %, <= half of the nominal best relief (stated in the CSV
  and figure, so the duration is defined for every parameter set).

Quick mode (CI smoke run): 32 base samples over 10 of the pathway parameters (spread over the
list), serial, in this process (< 2 min on 2 cores). The full run,
`python experiments/sensitivity_relief.py`, uses 1024 base samples over all of them
(~1.4·10^5 simulations, ~30-40 min on 2 cores at ~25 ms per 14-day simulation) on a dask
LocalCluster of one worker per core; it is created inside the script's
`if __name__ == "__main__":` guard, which is required because the worker processes
re-import this file. Via `pathways experiment run sensitivity_relief` the same study runs in
this process's engine choice (serial unless PATHWAYS_SENSITIVITY_ENGINE names a scheduler).
Samples are appended to <out>/samples/ (quick runs: <out>/samples_quick/) and an interrupted
full run resumes there: run it again on the same folder with --force (needed because the
folder is not empty; the finished samples are kept and only the missing ones simulated). After
a change of the model or of this study, the store no longer matches and the run says so:
delete <out>/samples (or use another --out) to start over.
"""
import os
import warnings
from pathlib import Path

import pathways
from pathways import experiment_plots as ep
from pathways.experiments import cli_main
from pathways.plotting import pyplot, save
from pathways.sensitivity import SampleSizeWarning, Study, sobol
from pathways.sensitivity.plots import sobol_bars

MODEL = "ketamine_synaptogenesis"
REGIMEN = pathways.Regimen.infusion(0.5, minutes=40)
END_H = 14 * 24.0
DAY1_H = 24.0
RELIEF_THRESHOLD = -10.0       # % change of the symptom score counted as relief
SKIPPED_KINDS = ("computed",)
QUICK_PARAMETERS = 10
PERCENTILES = (1, 5, 25, 50, 75, 95, 99)
_ENGINE = None                 # set by __main__ to a LocalCluster engine for the full run


def pathway_parameters(model) -> list[str]:
    """The free parameters of the pathway components (not PK), without handles and refs."""
    table = model.parameter_table()
    keep = table[(table.model != "ketamine_pk") & ~table.kind.isin(SKIPPED_KINDS)
                 & (table.value != 0)]
    return [p for p in keep.id if not p.endswith(("_scale", "_ref", "_genotype"))]


def quick_subset(params: list[str], k: int = QUICK_PARAMETERS) -> list[str]:
    """k parameters spread evenly over the list (a smoke-run subset)."""
    step = max(len(params) // k, 1)
    return params[::step][:k]


def simulate(quick: bool):
    """Return the nominal 14-day run (DataFrame of readouts) that the Sobol' samples vary
    (the same in quick mode; exported by `pathways export omex sensitivity_relief`)."""
    return pathways.load(MODEL, species="human").simulate(REGIMEN, END_H)


def relief_threshold(model) -> float:
    """-10 %, or half the nominal best relief when that is under 20 %."""
    best = model.simulate(REGIMEN, END_H)["symptom_change_pct"].min()
    return RELIEF_THRESHOLD if best <= 2 * RELIEF_THRESHOLD else best / 2


INDEX_COLUMNS = {
    "output": ("", "study output id"), "output_meaning": ("", "the output and its unit"),
    "parameter": ("", "model parameter id (varied x/÷ 2 around its value)"),
    "S1": ("1", "first-order Sobol' index"), "S1_conf": ("1", "95% confidence half-width of S1"),
    "ST": ("1", "total-order Sobol' index"), "ST_conf": ("1", "95% confidence half-width of ST"),
    "threshold_pct": ("%", "symptom change counted as relief (at or below it)"),
    "n_base_samples": ("", "Sobol' base samples (N; the study ran N(k + 2) simulations)")}


def output_spread(samples, study):
    """Return a DataFrame, one row per output (in the output's unit): the nominal value,
    percentiles over the finished samples, and the share of the output variance held by the
    1 % of samples farthest from the median (heavy tails make Sobol' indices describe those
    few samples); NaN where every sample of an output failed."""
    import numpy as np
    import pandas as pd

    rows = {}
    for name, nominal in zip(study.outputs, study.nominal_outputs):
        x = samples[name].dropna().values
        if x.size == 0:
            rows[name] = {"nominal": nominal}
            continue
        dev = (x - x.mean()) ** 2
        far = np.argsort(-np.abs(x - np.median(x)))[:max(len(x) // 100, 1)]
        rows[name] = {"nominal": nominal,
                      **{f"p{q:g}": np.percentile(x, q) for q in PERCENTILES},
                      "variance_share_of_extreme_1pct": dev[far].sum() / dev.sum()
                      if dev.sum() > 0 else float("nan")}
    return pd.DataFrame(rows).T.rename_axis("output")


def _spread_panel(ax, day1, nominal, spread):
    """Histogram of the day-1 symptom change over the samples, nominal marked."""
    import numpy as np
    if day1.size == 0:
        ax.text(0.5, 0.5, "no finished samples", ha="center", transform=ax.transAxes)
        return
    ax.hist(day1, bins=np.linspace(-100, max(5.0, float(day1.max())), 60), color="0.6")
    ax.set_yscale("log")
    ax.axvline(nominal, color="C3", lw=1.2, label=f"nominal {nominal:.1f} %")
    row = spread.iloc[1]
    ax.set_title(f"symptom change at 24 h over the samples\nmedian {row['p50']:.2g} %, "
                 f"5th percentile {row['p5']:.2g} %; 1 % of samples hold "
                 f"{row['variance_share_of_extreme_1pct']:.0%} of the variance", fontsize=7)
    ax.set_xlabel("symptom change at 24 h (%)")
    ax.set_ylabel("samples")
    ax.legend(fontsize=7, frameon=False)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    if MODEL not in pathways.list_models():
        print(f"sensitivity_relief: skipped, the composed model {MODEL} is not available "
              f"(models: {', '.join(pathways.list_models())})")
        return []
    model = pathways.load(MODEL, species="human")
    threshold = relief_threshold(model)
    params = pathway_parameters(model)
    if quick:
        params = quick_subset(params)
    study = Study.define(model, "symptom_change_pct", "duration_below",
                         {"threshold": threshold, "t0": 0.0, "t1": END_H}, regimen=REGIMEN,
                         parameters=params, end_h=END_H, times=(DAY1_H,))
    n = 32 if quick else 1024
    engine = "serial" if quick else (_ENGINE or os.environ.get("PATHWAYS_SENSITIVITY_ENGINE",
                                                               "serial"))
    with warnings.catch_warnings():
        if quick:    # a smoke run: the sample is too small on purpose
            warnings.simplefilter("ignore", SampleSizeWarning)
        store = out_dir / ("samples_quick" if quick else "samples")   # never mixed
        res = sobol(study, n, engine=engine, out_dir=store, resume=not quick,
                    overwrite=quick, progress=None)
    duration, day1 = study.outputs
    names = {duration: f"hours with symptom change <= {threshold:.3g} % (0-14 d)",
             day1: "symptom change at 24 h (%)"}
    df = res.indices.copy()
    df.insert(1, "output_meaning", df.output.map(names))
    df["threshold_pct"] = threshold
    df["n_base_samples"] = n
    csv = out_dir / "sensitivity_relief.csv"
    df.to_csv(csv, index=False, float_format="%.6g")
    ep.write_column_units(df.columns, csv, INDEX_COLUMNS)

    spread = output_spread(res.samples, study)
    spread_csv = out_dir / "sensitivity_relief_outputs.csv"
    spread.to_csv(spread_csv, float_format="%.6g")
    in_output_unit = ("output's unit", "see output_meaning in sensitivity_relief.csv")
    ep.write_column_units(spread.reset_index().columns, spread_csv, {
        "output": ("", "study output id"),
        **{c: in_output_unit for c in spread.columns if c != "variance_share_of_extreme_1pct"},
        "variance_share_of_extreme_1pct": ("1", "share of the output variance held by the 1% "
                                                "of samples farthest from the median")})

    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(10.0, 4.2),
                             gridspec_kw={"width_ratios": [1, 1, 0.8]})
    sobol_bars(axes[0], df[df.output == day1], "relief at day 1\n" + names[day1], top=15)
    sobol_bars(axes[1], df[df.output == duration], "duration of relief\n" + names[duration],
               top=15)
    _spread_panel(axes[2], res.samples[day1].dropna().values, study.nominal_outputs[1],
                  spread)
    fig.suptitle(f"{MODEL} (human), ketamine 0.5 mg/kg IV over 40 min: Sobol' indices of "
                 f"{len(params)} pathway parameters (×/÷ 2), {res.n_samples} simulations"
                 + (f", {res.n_failed} failed" if res.n_failed else ""), fontsize=7)
    fig.tight_layout()
    paths = save(fig, out_dir / "sensitivity_relief")
    plt.close(fig)
    print(res.summary())
    print(spread.to_string(float_format=lambda v: f"{v:.3g}"))
    return [csv, ep.columns_file(csv), spread_csv, ep.columns_file(spread_csv), *paths]


if __name__ == "__main__":
    import sys

    if "--quick" not in sys.argv and os.environ.get("PATHWAYS_QUICK", "") in ("", "0"):
        from pathways.sensitivity import DaskEngine
        _ENGINE = DaskEngine()                 # one worker per core, inside the guard
    try:
        cli_main(run)
    finally:
        if _ENGINE is not None:
            _ENGINE.close()
