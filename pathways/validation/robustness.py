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
interventions, not uncertain values): `candidate_parameters()`. `candidate_parameters("pk")`
are the pharmacokinetic ones that rest on an assumption in at least one species: marked
`[assumed]` in ketamine_pk or in a species file, or measured for another species or drug and
used here (`PK_TRANSFERRED`, written out by hand), less the reference weights and the unit
conversion (`PK_BOOKKEEPING`) and the values fitted jointly with others (`PK_FITTED_WITH`);
`assumed_in(pid)` says in which species' parameter sets each is an assumption, and a PK
variant scales it there only (a value measured in rats is not varied in the rat set).
LIT-C3 is left out of the scan: its virtual trial (600 subjects in two arms) would take most
of each variant's time, and its drug effect follows `syn_gamma`, which every variant refits
to LIT-C2.
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
GAIN_SEARCH = (1e-3, 1e4)      # the refit widens its bracket (fit_symptom: 0.1-200) to these
SPECIES = ("human", "rat", "mouse")
GROUPS = ("pathway", "pk")
PK_BOOKKEEPING = frozenset({   # assumed, but conventions rather than uncertain values
    "body_weight", "BW_ref_mem", "BW_ref_mdz",     # the weight a per-kg value is quoted for
    "rho_brain"})                                  # 1 g/mL: converts µM in tissue to ng/g
PK_FITTED_WITH = {             # derived from a source, then other values fitted around it
    "Emax_sbp": "EC50_sbp, n_sbp and ke0_sbp were fitted to LIT-C6 with it (fit_pk.py)"}
# PK values measured for another species or drug, by the species whose parameter sets use
# them in its place (where the value is the species' own measurement it is not varied)
PK_TRANSFERRED = {
    "Kp_ket": (("human", "mouse"), "rat brain:plasma ratio (Cohen 1973)"),
    "fm_ket": (SPECIES, "esketamine's share (Perez-Ruixo 2021) for the racemate"),
    "ka_in_ket": (SPECIES, "esketamine's nasal absorption for the racemate"),
    "ka_oral_ket": (SPECIES, "esketamine's oral absorption for the racemate"),
    "fpre_nket_in": (SPECIES, "esketamine's swallowed nasal share for the racemate"),
    "V1_nket": (SPECIES, "noresketamine disposition for racemic norketamine"),
    "CL_nket": (SPECIES, "noresketamine disposition for racemic norketamine"),
    "Q_nket": (SPECIES, "noresketamine disposition for racemic norketamine"),
    "V2_nket": (SPECIES, "noresketamine disposition for racemic norketamine"),
    "fu_nket": (SPECIES, "plasma binding measured in dogs (Kaka & Hayton 1980)"),
    "CL_hnk": (("human", "mouse"), "rat clearance (Moaddel 2015), scaled by weight"),
    "V1_hnk": (("human", "mouse"), "fitted to rat brain levels (fit_hnk.py)"),
    "Q_hnk": (("human", "mouse"), "fitted to rat brain levels (fit_hnk.py)"),
    "V2_hnk": (("human", "mouse"), "fitted to rat brain levels (fit_hnk.py)"),
    "Kp_hnk": (("human",), "brain:plasma ratio of mice and rats (Highland 2019)"),
    "F_ip_hnk": (("rat",), "mouse i.p. bioavailability (Highland 2019)"),
}


def assumed_in(pid: str) -> tuple[str, ...]:
    """Return the species (of SPECIES, in order) whose parameter set holds an assumed value
    of `pid`: a pathway parameter is shared by all; a PK one where its kind in that set
    (the species file's, else the source's) is assumed or where `PK_TRANSFERRED` puts it.
    Empty for a sourced value, a convention (`PK_BOOKKEEPING`) or a value others were
    fitted with (`PK_FITTED_WITH`)."""
    from .. import sources
    from ..species import species_set
    pk = sources.parameter_sources(sources.COMPONENTS[0])
    if pid not in pk:
        return SPECIES if pid in candidate_parameters() else ()
    if pid in PK_BOOKKEEPING or pid in PK_FITTED_WITH:
        return ()
    out = set(PK_TRANSFERRED.get(pid, ((), ""))[0])
    for species in SPECIES:
        own = species_set(species).overrides.get(pid)
        if (own.kind if own is not None else pk[pid].kind) == "assumed":
            out.add(species)
    return tuple(s for s in SPECIES if s in out)


def candidate_parameters(group: str = "pathway") -> list[str]:
    """Return the ids of the composed model's parameters whose values rest on an assumption,
    in source order. `group` "pathway": the assumed parameters of the non-PK components (no
    perturbation handles); "pk": the ketamine_pk parameters assumed in at least one species'
    set (`assumed_in`)."""
    from .. import sources
    if group not in GROUPS:
        raise PathwaysInputError(choices_message("parameter group", group, GROUPS))
    composed = core.model(sources.COMPOSED).parameters
    if group == "pk":
        return [pid for pid in sources.parameter_sources(sources.COMPONENTS[0])
                if pid in composed and assumed_in(pid)]
    out = []
    for component in sources.COMPONENTS[1:]:
        for pid, rec in sources.parameter_sources(component).items():
            if (rec.kind == "assumed" and pid in composed
                    and not rec.source.startswith("perturbation handle")):
                out.append(pid)
    return out


def _unknown_parameter(pid: str) -> PathwaysInputError:
    """Return the error for an id the composed model does not have, listing the candidates
    of both groups."""
    listed = candidate_parameters() + candidate_parameters("pk")
    return PathwaysInputError(
        f"{choices_message('parameter', pid, listed)} (the assumed pathway and "
        "pharmacokinetic parameters; any other of pathways.load().parameters may be named)")


@contextmanager
def scaled(folds: Mapping[str, float],
           species: Mapping[str, Iterable[str]] | None = None) -> Iterator[None]:
    """Within the block, every model the LIT checks use (`core.model`) runs with each
    parameter of `folds` at fold times its value in that model's species parameter set
    (models without the parameter are unchanged; a check's own values win). `species`
    limits a parameter to the sets it names (default: all of SPECIES). Raises
    PathwaysInputError for a parameter the composed model does not have, a fold that is
    not a finite number > 0 or an unknown species."""
    import math
    from .. import sources
    known = core.model(sources.COMPOSED).parameters
    for pid, fold in folds.items():
        if pid not in known:
            raise _unknown_parameter(pid)
        if not (isinstance(fold, (int, float)) and math.isfinite(fold) and fold > 0):
            raise PathwaysInputError(f"the fold of {pid} must be a finite number > 0, "
                                     f"got {fold!r}")
    if core.SCALED:
        raise PathwaysInputError("scaled() blocks do not nest")
    scope = {pid: SPECIES for pid in folds}
    for pid, where in (species or {}).items():
        if pid not in folds:
            raise PathwaysInputError(f"species names {pid}, which folds does not scale")
        where = tuple(where)
        for name in where:
            if name not in SPECIES:
                raise PathwaysInputError(choices_message("species", name, SPECIES))
        scope[pid] = where
    for name in SPECIES:                 # a share cannot pass 1 in any parameter set
        composed = core.model(sources.COMPOSED, name)
        for pid, fold in folds.items():
            if (name in scope[pid] and pid in composed.fractions
                    and composed.parameters[pid] * fold > 1.0 + 1e-12):
                raise PathwaysInputError(
                    f"{pid} is a fraction: {fold:g} x its {name} value "
                    f"{composed.parameters[pid]:g} passes 1")
    core.SCALED.update(folds)
    core.SCALED_IN.update(scope)
    effects._run.cache_clear()          # its runs were made with other parameter values
    try:
        yield
    finally:
        core.SCALED.clear()
        core.SCALED_IN.clear()
        effects._run.cache_clear()


def refit_gain() -> tuple[float, bool]:
    """Inside `scaled`, return (the syn_gamma that puts LIT-C2's ketamine − midazolam at 24 h
    on −24%, dimensionless; whether one does). The search starts from fit_symptom.py's bracket
    (0.1-200) and widens it by doubling, within GAIN_SEARCH and while the model can still be
    simulated. When no gain reaches −24%, the variant keeps the nominal gain (one at the edge
    of what the solver can run would make every other check fail) and the flag is False."""
    from ..errors import SimulationError
    from ..fitting.fit_symptom import TARGET_PCT, difference_at_24h
    human = core.model("ketamine_synaptogenesis", "human")
    nominal = float(core._MODELS["ketamine_synaptogenesis", "human"].parameters[GAIN])

    def more_relief_than_target(gamma: float) -> bool:
        return difference_at_24h(human, gamma) <= TARGET_PCT
    lo, hi = 0.1, 200.0
    try:
        while more_relief_than_target(lo) and lo / 2 >= GAIN_SEARCH[0]:
            lo, hi = lo / 2, lo
        while not more_relief_than_target(hi):
            if hi * 2 > GAIN_SEARCH[1]:
                return nominal, False
            lo, hi = hi, hi * 2
    except SimulationError:           # a gain this steep breaks the solver before -24%
        return nominal, False
    for _ in range(60):
        mid = float((lo * hi) ** 0.5)
        if more_relief_than_target(mid):
            hi = mid
        else:
            lo = mid
    gamma = float((lo * hi) ** 0.5)
    return gamma, abs(difference_at_24h(human, gamma) - TARGET_PCT) < 0.05


def verdicts(rows=None) -> dict[str, bool | None]:
    """Return {row id: True if every checked metric is in range, False if one is not, None
    if the check raised (a solver failure, a refused value)} for the simulated rows (`rows`:
    ids, default all but SKIPPED_ROWS)."""
    registry = all_rows()
    ids = [r for r in (registry if rows is None else rows) if r not in SKIPPED_ROWS]
    out: dict[str, bool | None] = {}
    for rid in ids:
        row = registry[rid]
        if row.check is None:
            continue
        result = run_row(row)
        out[rid] = None if result.outcome is None else bool(result.outcome.passed)
    return out


def variant_verdicts(folds: Mapping[str, float],
                     species: Mapping[str, Iterable[str]] | None = None, rows=None):
    """Return (syn_gamma refitted to LIT-C2, whether a gain reaches it, {row: verdict as
    `verdicts` gives it}) with the parameters of `folds` scaled (`scaled`: `species` limits
    a parameter to the sets it names; `rows`: ids, default all): one variant of the scan."""
    with scaled(folds, species):
        gamma, reached = refit_gain()
    nominal = core.model("ketamine_synaptogenesis").parameters[GAIN]
    with scaled({**folds, GAIN: gamma / nominal}, species):
        return gamma, reached, verdicts(rows)


def scan(parameters: Iterable[str] | str | None = None, fold: float = 2.0, rows=None,
         progress: bool | None = None, group: str = "pathway"):
    """Run the LIT rows for each parameter at `fold` and 1/`fold` times its value (a fraction
    goes up to 1 at most; syn_gamma refitted to LIT-C2 each time, `refit_gain`) in the
    species' parameter sets where it is assumed (`assumed_in`: all three for a pathway
    parameter; all three for named `parameters`); return a DataFrame, one line per variant:
    parameter, species (comma-separated), fold, value (in the first of those species) and
    unit (written for people: 1/h, µM), syn_gamma (refitted, dimensionless) and whether a
    gain reaches LIT-C2's −24% (gain_fitted; if not, the nominal gain is kept), the rows lost
    and gained (comma-separated ids, only among rows whose check ran) with their counts, the
    rows whose check raised (errors), then one column per row: True passes, False fails,
    empty: the check raised. Its `attrs` hold the baseline verdicts ("baseline": {row: bool}), the rows
    left out with why ("skipped"), the fold and the group ("named" when `parameters` are).

    `parameters`: ids, or one id (default: `candidate_parameters(group)`, group "pathway" or
    "pk"; not syn_gamma, which every variant refits); `fold` > 1; a progress bar on standard
    error when `progress` is True (None: when it is a terminal)."""
    import math

    import pandas as pd

    from .. import sources
    from ..progress import progress_bar
    if not (isinstance(fold, (int, float)) and math.isfinite(fold) and fold > 1):
        raise PathwaysInputError(f"fold must be a finite number > 1, got {fold!r}")
    if isinstance(parameters, str):
        parameters = [parameters]
    if group not in GROUPS:
        raise PathwaysInputError(choices_message("parameter group", group, GROUPS))
    params = list(candidate_parameters(group) if parameters is None else parameters)
    if not params:
        raise PathwaysInputError("give at least one parameter to scan")
    known = core.model(sources.COMPOSED).parameters
    for pid in params:
        if pid == GAIN:
            raise PathwaysInputError(f"{GAIN} cannot be scanned: every variant refits it to "
                                     "LIT-C2")
        if pid not in known:
            raise _unknown_parameter(pid)
    twice = sorted({p for p in params if params.count(p) > 1})
    if twice:
        raise PathwaysInputError(f"parameter {twice[0]} is named twice")
    registry = all_rows()
    if rows is not None:
        unknown = [r for r in rows if r not in registry]
        if unknown:
            raise PathwaysInputError(choices_message("LIT row", unknown[0], list(registry)))
    from ..units import readable_unit
    units = {pid: readable_unit(rec.unit) for c in sources.COMPONENTS
             for pid, rec in sources.parameter_sources(c).items()}
    effects._run.cache_clear()
    baseline = verdicts(rows)
    broken = [r for r, v in baseline.items() if v is None]
    if broken:
        raise PathwaysInputError(f"the check of {broken[0]} raises at the nominal values: "
                                 "run `pathways validate` to see why")
    scope = {pid: assumed_in(pid) if parameters is None else SPECIES for pid in params}
    variants = [(pid, f) for pid in params for f in _folds(pid, fold, scope[pid])]
    bar = progress_bar(len(variants), progress, "variant", "robustness")
    lines = []
    try:
        for pid, f in variants:
            gamma, reached, now = variant_verdicts({pid: f}, {pid: scope[pid]}, rows)
            lost = [r for r in baseline if baseline[r] and now[r] is False]
            gained = [r for r in baseline if now[r] and not baseline[r]]
            errors = [r for r in baseline if now[r] is None]
            first = scope[pid][0]
            lines.append({"parameter": pid, "species": ",".join(scope[pid]), "fold": f,
                          "value": core.model(sources.COMPOSED, first).parameters[pid] * f,
                          "unit": units.get(pid, ""), GAIN: gamma,
                          "gain_fitted": reached, "n_lost": len(lost),
                          "lost": ",".join(lost), "n_gained": len(gained),
                          "gained": ",".join(gained), "errors": ",".join(errors), **now})
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
    table.attrs["group"] = group if parameters is None else "named"
    return table


def _folds(pid: str, fold: float, species=SPECIES) -> list[float]:
    """Return the folds of parameter `pid`'s variants: 1/`fold` and `fold`, except that a
    fraction (a share or probability, `Model.fractions`) goes up only to 1 in every one of
    the `species`' parameter sets it is scaled in (no up variant when it is 1 already in
    one of them)."""
    from .. import sources
    up = fold
    for name in species:
        composed = core.model(sources.COMPOSED, name)
        nominal = composed.parameters.get(pid, 0.0)
        if pid in composed.fractions and nominal > 0:
            up = min(up, 1.0 / nominal)
    return [1.0 / fold] + ([float(up)] if up > 1.0 + 1e-9 else [])


def figure(table):
    """Return a matplotlib Figure of a `scan` table: per row, how many variants make it stop
    passing (red), start passing (green) or raise (grey); below, every variant that changes
    a verdict, one line each, with the rows it changes (a variant whose gain could not be
    refitted to LIT-C2 says so)."""
    import numpy as np
    import pandas as pd
    from matplotlib.colors import ListedColormap
    from matplotlib.ticker import MaxNLocator

    from ..plotting import pyplot
    from .runner import _sort_key

    baseline = table.attrs["baseline"]
    rows = sorted(baseline, key=_sort_key)

    def state(value, before):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return 2                                   # the check raised
        if bool(value) == bool(before):
            return 0
        return 1 if value else -1
    states = pd.DataFrame([[state(line[r], baseline[r]) for r in rows]
                           for _, line in table.iterrows()], columns=rows, index=table.index)
    changed = states[(states != 0).any(axis=1)]
    plt = pyplot()
    n = max(len(changed), 1)
    fig, (top, grid) = plt.subplots(
        2, 1, figsize=(max(7.0, 0.16 * len(rows) + 2.5), 2.4 + 0.16 * n),
        gridspec_kw={"height_ratios": [2.2, 0.16 * n]}, sharex=True)
    x = np.arange(len(rows))
    lost, gained, raised = ((states == k).sum().to_numpy() for k in (-1, 1, 2))
    top.bar(x, lost, color="tab:red", label="passes at nominal values; fails in the variant")
    top.bar(x, gained, bottom=lost, color="tab:green",
            label="fails at nominal values; passes in the variant")
    top.bar(x, raised, bottom=lost + gained, color="tab:gray", label="the check raised")
    top.set_ylabel("variants", fontsize=7)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    fold = table.attrs.get("fold", float(table["fold"].max()))
    which = {"pathway": "assumed pathway parameters",
             "pk": "assumed pharmacokinetic parameters"}.get(table.attrs.get("group"),
                                                              "parameters")
    top.set_title(f"{len(table)} one-at-a-time variants: {table['parameter'].nunique()} "
                  f"{which} ×/÷ {fold:g} (a fraction up to 1 at most), syn_gamma "
                  "refitted to LIT-C2 in each", fontsize=7)
    top.legend(frameon=False, fontsize=6)
    top.tick_params(labelbottom=True)
    labels = []
    for i in changed.index:
        line = table.loc[i]
        f = line["fold"]
        labels.append(f"{line['parameter']} {'×' if f > 1 else '÷'}{max(f, 1 / f):.3g}"
                      + ("" if line["gain_fitted"] else " (no gain gives C2)"))
    cells = changed.to_numpy() if len(changed) else np.zeros((1, len(rows)))
    grid.imshow(cells, aspect="auto", interpolation="nearest", vmin=-1, vmax=2,
                cmap=ListedColormap(["tab:red", "white", "tab:green", "tab:gray"]))
    for ax in (top, grid):
        ax.set_xlim(-0.5, len(rows) - 0.5)
        ax.set_xticks(x, [r.removeprefix("LIT-") for r in rows], rotation=90, fontsize=6)
    grid.set_yticks(np.arange(len(labels)), labels, fontsize=6)
    if not labels:
        grid.set_yticks([])
        grid.text(len(rows) / 2, 0, "no variant changes a verdict", ha="center", fontsize=7)
    fig.tight_layout()
    return fig
