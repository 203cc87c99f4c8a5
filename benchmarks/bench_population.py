"""Cost of a virtual trial (`pathways.population.trial`) against plain libRoadRunner loops.

The trial: LIT-C3's design on the composed human model `ketamine_synaptogenesis` - every
subject of `population.sample(n, seed)` (CYP2B6 clearance multipliers on CL_ket and CL_esk,
residual clearance variability, BDNF Val66Met genotype) in two arms, ketamine 0.5 mg/kg IV
over 40 min and midazolam 0.045 mg/kg IV over 40 min, read at 24 h (output grid: 0 and 24 h).

The plain loops are what a careful user would write by hand on one RoadRunner of the same
SBML, with the library's integrator and tolerances. Per subject: set its clearances and its
genotype's parameter factors as initial values, `resetAll()`, and put the model at its
pre-dose steady state; set `symptom_ref` to the score there; then per arm `resetAll()`, the
steady state, the infusion rate on for 40 min and off to 24 h (one `simulate` call each), and
keep `symptom_change_pct` at 24 h. They differ in how they get the steady state:
- **search per subject:** the library's method (integrate to 1e3, 1e4, 1e5, 1e6 h until every
  |rate| <= 1e-9·max(amount, 1e-6) per h, then 1e3 + 1e4 + 1e5 h more at rtol 1e-12,
  atol 1e-18), for every subject, as for any parameter set;
- **one per genotype:** the same search once per BDNF genotype, reused for every subject of
  that genotype - what a user writes who knows that clearances act only on drug species and
  so cannot move the drug-free state.
The library decides this by itself (`SteadyStates._seed_holds` in pathways/steady_state.py: the steady state of the model's own
values with the same genotype is reused when the new values change no rate of change there).

Usage: python benchmarks/bench_population.py [--n 100] [--blocks 6] [--workers 2]
Each block draws fresh subjects (seed = block number) and runs the library and both plain
loops on them in rotating order, so all three see the same machine load (its speed drifts by
up to 30 % within minutes). Prints ms per subject and arm of each, the ratios, and the
largest difference between the library's drug effects and the plain loops'. Then the same
trial on n x blocks fresh subjects serially and on a `--workers` LocalCluster (started and
warmed apart), between two serial timings: the parallel efficiency, serial time / (workers x
wall time), and whether the two tables are identical.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import pathways
from pathways import population
from pathways.drugs import DRUGS
from pathways.presets import preset

from bench_sensitivity import plain_roadrunner, steady_state   # shared plain-loop parts

ARMS = {"ketamine": pathways.Regimen.infusion(0.5, minutes=40),
        "midazolam": pathways.Regimen.infusion(0.045, minutes=40, drug="midazolam")}
AT_H = 24.0


def subject_parameters(model, subjects) -> list[dict[str, float]]:
    """Each subject's initial parameter values: clearances and genotype factors."""
    meta = subjects.attrs
    typical = {p: float(model.parameters[p]) for p in meta["parameters"]}
    out = []
    for _, row in subjects.iterrows():
        values = {p: typical[p] * row[p] for p in meta["parameters"]}
        for gene, by_genotype in meta["presets"].items():
            name = by_genotype[row[gene]]
            if name is not None:
                for param, factor in preset(name).factors:
                    values[param] = values.get(param, model.parameters[param]) * factor
        out.append(values)
    return out


def plain_trial(model, rr, params: list[dict], per_genotype: bool) -> np.ndarray:
    """symptom_change_pct at 24 h of each subject in each arm (arms x subjects)."""
    m = rr.model
    rr.timeCourseSelections = ["time", "symptom_change_pct"]
    sym_default = model._default_init["symptom_ref"]
    rates = {}
    for arm, reg in ARMS.items():
        dose = reg.doses[0]
        drug = DRUGS[dose.drug]
        rates[arm] = (f"{drug.prefix}_infusion_rate", dose.duration_h,
                      drug.micromoles(dose.amount_mg(model.body_weight_kg)) / dose.duration_h)
    shared: dict = {}
    out = np.empty((len(ARMS), len(params)))
    varied = sorted(set().union(*params))
    for i, values in enumerate(params):
        values = {p: values.get(p, model._default_init[p]) for p in varied}
        for p, v in values.items():
            m.setValue(f"init({p})", v)
        m.setValue("init(symptom_ref)", sym_default)
        genotype = tuple((p, v) for p, v in values.items() if not p.startswith("CL_"))
        if per_genotype and genotype in shared:
            amounts, sym = shared[genotype]
        else:
            rr.resetAll()
            amounts = steady_state(rr)
            sym = rr.getValue("symptom_score")
            shared[genotype] = (amounts, sym)
        m.setValue("init(symptom_ref)", sym)
        for a, (rate_id, on_h, rate) in enumerate(rates.values()):
            rr.resetAll()
            m.setFloatingSpeciesAmounts(amounts)
            rr.setValue(rate_id, rate)
            rr.simulate(0.0, on_h, 2)
            rr.setValue(rate_id, 0.0)
            out[a, i] = np.asarray(rr.simulate(on_h, AT_H, 2))[-1, 1]
    for p in varied:                                   # back to the model's own values
        m.setValue(f"init({p})", model._default_init[p])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100, help="subjects per block")
    ap.add_argument("--blocks", type=int, default=6)
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster size (1: skip)")
    args = ap.parse_args()

    model = pathways.load()
    rr = plain_roadrunner(model)
    population.trial(ARMS, population.sample(10, seed=999), model, progress=False)   # warm
    order = ["library", "search per subject", "one per genotype"]
    spent = dict.fromkeys(order, 0.0)
    worst = dict.fromkeys(order[1:], 0.0)
    for b in range(args.blocks):
        subjects = population.sample(args.n, seed=b)
        params = subject_parameters(model, subjects)
        results = {}
        for which in order[b % 3:] + order[:b % 3]:       # rotate who goes first
            t0 = time.perf_counter()
            if which == "library":
                table = population.trial(ARMS, subjects, model, progress=False).table
                results[which] = np.vstack([table.loc[table.arm == arm, "drug_effect_pct"]
                                            for arm in ARMS])
            else:
                results[which] = plain_trial(model, rr, params,
                                             per_genotype=which == "one per genotype")
            spent[which] += time.perf_counter() - t0
        for which in order[1:]:
            worst[which] = max(worst[which],
                               float(np.max(np.abs(results[which] - results["library"]))))
    runs = args.n * args.blocks * len(ARMS)
    print(f"virtual trial, {args.blocks} blocks x {args.n} subjects x {len(ARMS)} arms "
          f"({', '.join(ARMS)}), read at {AT_H:g} h, model {model.name} (human)")
    for which in order:
        ratio = "" if which == "library" else (
            f"   library / this: {spent['library'] / spent[which]:.2f}; largest difference "
            f"in drug effect {worst[which]:.1e} points")
        print(f"  {which:20s} {spent[which] / runs * 1e3:6.2f} ms per subject and arm{ratio}")
    if args.workers > 1:
        parallel(model, args.n * args.blocks, args.workers)


def parallel(model, n: int, workers: int) -> None:
    """The trial on `workers` local processes against serial runs just before and after."""
    from pathways.sensitivity.engines import DaskEngine
    subjects = population.sample(n, seed=1000)
    serial = []
    with DaskEngine(workers=workers) as engine:
        t0 = time.perf_counter()
        population.trial(ARMS, population.sample(2 * workers, seed=998), model,
                         progress=False, engine=engine)     # start, and each worker's model
        start = time.perf_counter() - t0
        for run in ("serial", "cluster", "serial"):
            t0 = time.perf_counter()
            result = population.trial(ARMS, subjects, model, progress=False,
                                      engine=engine if run == "cluster" else "serial")
            seconds = time.perf_counter() - t0
            if run == "cluster":
                wall, table = seconds, result.table
            else:
                serial.append(seconds)
                reference = result.table
    same = reference.equals(table)
    mean = sum(serial) / 2
    print(f"  {n} subjects x {len(ARMS)} arms on a {workers}-worker LocalCluster: {wall:.1f} s "
          f"wall (start and warm-up {start:.1f} s apart); serial {serial[0]:.1f} and "
          f"{serial[1]:.1f} s; parallel efficiency {mean / (workers * wall):.2f}; identical "
          f"tables: {same}")


if __name__ == "__main__":
    main()
