"""How much the validation verdicts rest on the assumed parameter values.

`scan` re-runs the LIT rows with one assumed pathway parameter at a time multiplied by `fold`
and divided by it (one-at-a-time, ×/÷ 2 by default, the range of the Sobol' study), and
reports, for each variant, the rows that stop passing (`lost`) and the rows that start to
(`gained`). A row passes when every metric it checks is in range (an XFAIL row passes only if
its known limit is gone). In every variant the symptom gain `syn_gamma` is first refitted to
LIT-C2, as `pathways/fitting/fit_symptom.py` would after such a change, so the symptom rows
compare mechanisms rather than a gain fitted to another parameter set.

    from pathways.validation import robustness
    table = robustness.scan(["k_deg_bdnf", "k_clr_bdnf"])      # a pandas DataFrame
    table[["parameter", "fold", "syn_gamma", "lost", "gained"]]

The parameters are the pathway parameters (not the pharmacokinetics) whose source comment
says `[assumed]`, less the perturbation handles (`*_scale`, genotype switches: they stand for
interventions, not uncertain values): `candidate_parameters()`. LIT-C3 is left out of the
scan: its virtual trial (600 subjects in two arms) would take most of each variant's time,
and its drug effect follows `syn_gamma`, which every variant refits to LIT-C2.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping

from ..errors import PathwaysInputError, choices_message
from . import core, effects
from .runner import all_rows, run_row

SKIPPED_ROWS = {"LIT-C3": "a 600-subject virtual trial; its drug effect follows syn_gamma, "
                          "refitted to LIT-C2 in every variant"}
GAIN = "syn_gamma"


def candidate_parameters() -> list[str]:
    """Return the ids of the composed model's assumed pathway parameters (non-PK components;
    no perturbation handles), in source order."""
    from .. import sources
    composed = core.model(sources.COMPOSED).parameters
    out = []
    for component in sources.COMPONENTS[1:]:
        for pid, rec in sources.parameter_sources(component).items():
            if (rec.kind == "assumed" and pid in composed
                    and not rec.source.startswith("perturbation handle")):
                out.append(pid)
    return out


@contextmanager
def scaled(folds: Mapping[str, float]) -> Iterator[None]:
    """Within the block, every model the LIT checks use (`core.model`) runs with each
    parameter of `folds` at fold times its value in that model's species parameter set
    (models without the parameter are unchanged; a check's own values win). Raises
    PathwaysInputError for a parameter the composed model does not have or a fold that is
    not a finite number > 0."""
    import math
    from .. import sources
    known = core.model(sources.COMPOSED).parameters
    for pid, fold in folds.items():
        if pid not in known:
            raise PathwaysInputError(choices_message("parameter", pid, sorted(known)))
        if not (isinstance(fold, (int, float)) and math.isfinite(fold) and fold > 0):
            raise PathwaysInputError(f"the fold of {pid} must be a finite number > 0, "
                                     f"got {fold!r}")
    if core.SCALED:
        raise PathwaysInputError("scaled() blocks do not nest")
    core.SCALED.update(folds)
    effects._run.cache_clear()          # its runs were made with other parameter values
    try:
        yield
    finally:
        core.SCALED.clear()
        effects._run.cache_clear()


def refit_gain() -> tuple[float, bool]:
    """Inside `scaled`, return (the syn_gamma that puts LIT-C2's ketamine − midazolam at 24 h
    on −24%, dimensionless; whether the fit reached it: False when the gain ends on its
    bracket, 0.1-200, i.e. no gain gives that difference)."""
    from ..fitting.fit_symptom import TARGET_PCT, difference_at_24h, fit
    human = core.model("ketamine_synaptogenesis", "human")
    gamma = fit(human)
    reached = abs(difference_at_24h(human, gamma) - TARGET_PCT) < 0.05
    return gamma, reached


def verdicts(rows=None) -> dict[str, bool]:
    """Return {row id: whether every checked metric is in range} for the simulated rows
    (`rows`: ids, default all but SKIPPED_ROWS). A check that raises counts as not passing."""
    registry = all_rows()
    ids = [r for r in (rows or registry) if r not in SKIPPED_ROWS]
    out = {}
    for rid in ids:
        row = registry[rid]
        if row.check is None:
            continue
        result = run_row(row)
        out[rid] = bool(result.outcome is not None and result.outcome.passed)
    return out


def scan(parameters: Iterable[str] | None = None, fold: float = 2.0, rows=None,
         progress: bool | None = None):
    """Run the LIT rows for each parameter at `fold` and 1/`fold` times its value (a fraction
    goes up to 1 at most; syn_gamma refitted to LIT-C2 each time); return a DataFrame, one line
    per variant: parameter, fold, value and unit (the human value), syn_gamma (refitted,
    dimensionless) and whether the fit reached LIT-C2's −24% (gain_fitted), the rows lost and
    gained (comma-separated ids) with their counts, then one boolean column per row (True:
    passes). Its `attrs` hold the baseline verdicts ("baseline": {row: bool}), the rows left
    out with why ("skipped") and the fold.

    `parameters`: ids (default: `candidate_parameters()`); `fold` > 1; a progress bar on
    standard error when `progress` is True (None: when it is a terminal)."""
    import math

    import pandas as pd

    from .. import sources
    from ..progress import progress_bar
    if not (isinstance(fold, (int, float)) and math.isfinite(fold) and fold > 1):
        raise PathwaysInputError(f"fold must be a finite number > 1, got {fold!r}")
    params = list(candidate_parameters() if parameters is None else parameters)
    if not params:
        raise PathwaysInputError("give at least one parameter to scan")
    known = core.model(sources.COMPOSED).parameters
    for pid in params:
        if pid not in known:
            raise PathwaysInputError(choices_message("parameter", pid, sorted(known)))
    if len(set(params)) != len(params):
        raise PathwaysInputError("a parameter is named twice")
    registry = all_rows()
    if rows is not None:
        unknown = [r for r in rows if r not in registry]
        if unknown:
            raise PathwaysInputError(choices_message("LIT row", unknown[0], list(registry)))
    units = {pid: rec.unit for c in sources.COMPONENTS
             for pid, rec in sources.parameter_sources(c).items()}
    effects._run.cache_clear()
    baseline = verdicts(rows)
    composed = core.model(sources.COMPOSED)
    variants = [(pid, f) for pid in params for f in _folds(composed, pid, fold)]
    bar = progress_bar(len(variants), progress, "variant", "robustness")
    lines = []
    try:
        for pid, f in variants:
            with scaled({pid: f}):
                gamma, reached = refit_gain()
            with scaled({pid: f, GAIN: gamma / known[GAIN]}):
                now = verdicts(rows)
            lost = [r for r in baseline if baseline[r] and not now[r]]
            gained = [r for r in baseline if now[r] and not baseline[r]]
            lines.append({"parameter": pid, "fold": f, "value": known[pid] * f,
                          "unit": units.get(pid, ""), GAIN: gamma,
                          "gain_fitted": reached, "n_lost": len(lost),
                          "lost": ",".join(lost), "n_gained": len(gained),
                          "gained": ",".join(gained), **now})
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        effects._run.cache_clear()
    table = pd.DataFrame(lines)
    table.attrs["baseline"] = baseline
    table.attrs["skipped"] = dict(SKIPPED_ROWS)
    table.attrs["fold"] = float(fold)
    return table


def _folds(model, pid: str, fold: float) -> list[float]:
    """Return the folds of parameter `pid`'s variants: 1/`fold` and `fold`, except that a
    fraction (a share or probability, `Model.fractions`) goes up only to 1 (no up variant
    when it is 1 already)."""
    up = fold
    if pid in model.fractions:
        nominal = model.parameters[pid]
        up = float(min(fold, 1.0 / nominal)) if nominal > 0 else fold
    return [1.0 / fold] + ([up] if up > 1.0 + 1e-9 else [])


def figure(table):
    """Return a matplotlib Figure of a `scan` table: per row, how many variants make it stop
    passing (red) or start passing (green); below, every variant that changes a verdict,
    one line each, with the rows it changes."""
    import numpy as np

    from ..plotting import pyplot
    from .runner import _sort_key

    baseline = table.attrs["baseline"]
    rows = sorted(baseline, key=_sort_key)
    changed = table[(table["n_lost"] > 0) | (table["n_gained"] > 0)]
    plt = pyplot()
    height = 2.4 + 0.16 * max(len(changed), 1)
    fig, (top, grid) = plt.subplots(
        2, 1, figsize=(max(7.0, 0.16 * len(rows) + 2.0), height),
        gridspec_kw={"height_ratios": [2.2, 0.16 * max(len(changed), 1)]})
    x = np.arange(len(rows))
    lost = [int((table[r] != baseline[r]).sum()) if baseline[r] else 0 for r in rows]
    gained = [int((table[r] != baseline[r]).sum()) if not baseline[r] else 0 for r in rows]
    top.bar(x, lost, color="tab:red", label="passes at nominal values; fails in the variant")
    top.bar(x, gained, bottom=lost, color="tab:green",
            label="fails at nominal values; passes in the variant")
    top.set_xticks(x, [r.removeprefix("LIT-") for r in rows], rotation=90, fontsize=6)
    top.set_ylabel("variants", fontsize=7)
    from matplotlib.ticker import MaxNLocator
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    fold = table.attrs.get("fold", float(table["fold"].max()))
    top.set_title(f"{len(table)} one-at-a-time variants: {table['parameter'].nunique()} "
                  f"assumed parameters ×/÷ {fold:g} (a fraction up to 1 at most), syn_gamma "
                  "refitted to LIT-C2 in each", fontsize=7)
    top.legend(frameon=False, fontsize=6)
    cells = np.zeros((max(len(changed), 1), len(rows)))
    labels = []
    for i, (_, line) in enumerate(changed.iterrows()):
        for j, r in enumerate(rows):
            if line[r] != baseline[r]:
                cells[i, j] = -1 if baseline[r] else 1
        f = line["fold"]
        labels.append(f"{line['parameter']} {'×' if f > 1 else '÷'}{max(f, 1 / f):.3g}")
    from matplotlib.colors import ListedColormap
    grid.imshow(cells, aspect="auto", cmap=ListedColormap(["tab:red", "white", "tab:green"]),
                vmin=-1, vmax=1, interpolation="nearest")
    grid.set_xticks(x, [r.removeprefix("LIT-") for r in rows], rotation=90, fontsize=6)
    grid.set_yticks(np.arange(len(labels)), labels, fontsize=6)
    if not labels:
        grid.set_yticks([])
        grid.text(len(rows) / 2, 0, "no variant changes a verdict", ha="center", fontsize=7)
    fig.tight_layout()
    return fig
