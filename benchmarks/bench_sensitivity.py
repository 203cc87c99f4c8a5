"""Cost of a sensitivity study against a plain libRoadRunner loop, and parallel efficiency.

The study: Sobol' (n = 256 base samples, 6 parameters: 256·8 = 2,048 simulations) of the
composed model `ketamine_synaptogenesis` (human, ketamine 0.5 mg/kg IV over 40 min, 14 days;
outputs: hours with symptom_change_pct <= half the nominal best relief, and its value at 24 h;
six pathway parameters spread evenly over the list). Without the composed model it falls back
to `ketamine_pk` (plasma AUC 0-24 h) and says so.

The plain loop is what a careful user would write by hand on one RoadRunner of the same SBML,
extended the same way as the library: per sample, set the parameters' initial values
(`rr.model.setValue("init(p)")`), `resetAll()`, find that sample's own pre-dose steady state
by the library's method (integrate to 1e3, 1e4, 1e5, 1e6 h, one call each, until every
|rate| <= 1e-9·max(amount, 1e-6) per h, then 1e3 + 1e4 + 1e5 h more at rtol 1e-12,
atol 1e-18), set the fold references from it exactly as the library does, run the infusion
on and off in one `simulate` call each on the same output grid with the same selection,
integrator and tolerances, and compute the metrics with NumPy. The library runs the same
samples through `pathways.sensitivity` (serial engine: batches, `Model.simulate_arrays`,
input checks, solver-noise flush, metrics).

Usage: python benchmarks/bench_sensitivity.py [--plain-n 200] [--n 256] [--workers 2]
                                             [--repeats 3]
Prints ms per simulation of each (same first `--plain-n` samples, run alternately in blocks
so that both see the same machine load) and their ratio; the wall time of the whole study on a 2-worker LocalCluster, `--repeats` times with fresh samples (cluster start-up
reported apart), each run between two serial timings of 100 samples because this machine's
speed drifts by up to 30 % within minutes; the parallel efficiency of each run (serial time /
(workers x wall time)) and their median; and the extrapolated time of a 10^5-simulation
Sobol' study on 2 cores.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import pathways
from pathways import metrics
from pathways.sensitivity import DaskEngine, Study
from pathways.sensitivity.runner import Evaluation, evaluate

COMPOSED = "ketamine_synaptogenesis"
STEADY_TOL = 1e-9
BLOCK = 20                  # samples per alternating timing block
AFTER_N = 100               # serial samples timed before and after each cluster run


def make_study(name: str) -> Study:
    """Six parameters evenly spread over the model's pathway (or PK) parameters."""
    model = pathways.load(name, "human")
    regimen = pathways.Regimen.infusion(0.5, minutes=40)
    table = model.parameter_table()
    if name == COMPOSED:
        pool = [p for p, m, k, v in zip(table.id, table.model, table.kind, table.value)
                if m != "ketamine_pk" and k != "computed" and v != 0
                and not p.endswith(("_scale", "_ref", "_genotype"))]
        best = model.simulate(regimen, 336)["symptom_change_pct"].min()
        return Study.define(model, "symptom_change_pct", "duration_below",
                            {"threshold": best / 2, "t0": 0, "t1": 336}, regimen=regimen,
                            parameters=_spread(pool), end_h=336, times=(24.0,))
    pool = ["CL_ket", "V1_ket", "Q2_ket", "V2_ket", "Q3_ket", "CL_nket", "V1_nket"]
    return Study.define(model, "ketamine_plasma", "auc", {"t0": 0, "t1": 24}, regimen=regimen,
                        parameters=_spread(pool), end_h=24)


def _spread(pool, k=6):
    idx = np.linspace(0, len(pool) - 1, k).round().astype(int)
    return [pool[i] for i in idx]


def plain_roadrunner(model):
    """A RoadRunner of `model`'s SBML (a pathways.Model) with the library's integrator
    settings."""
    import roadrunner

    from pathways.model import INTEGRATOR
    rr = roadrunner.RoadRunner(model.sbml)
    for k, v in INTEGRATOR.items():
        rr.getIntegrator().setValue(k, v)
    return rr


def steady_state(rr) -> np.ndarray:
    """The library's steady-state method on a RoadRunner just reset: integrate to 1e3, 1e4,
    1e5, 1e6 h (one call each) until every |rate| <= 1e-9·max(amount, 1e-6) per h, then
    1e3 + 1e4 + 1e5 h more at rtol 1e-12, atol 1e-18; return the amounts (µmol)."""
    from pathways.model import INTEGRATOR
    m = rr.model
    t = 0.0
    for horizon in (1e3, 1e4, 1e5, 1e6):
        rr.simulate(t, horizon, 3)
        t = horizon
        a = np.abs(np.asarray(m.getFloatingSpeciesAmounts()))
        r = np.abs(np.asarray(rr.getRatesOfChange())[:a.size])
        if np.all(r <= STEADY_TOL * np.maximum(a, 1e-6)):
            break
    integ = rr.getIntegrator()
    integ.setValue("relative_tolerance", 1e-12)
    integ.setValue("absolute_tolerance", 1e-18)
    for step in (1e3, 1e4, 1e5):
        rr.simulate(t, t + step, 2)
        t += step
    for k, v in INTEGRATOR.items():
        integ.setValue(k, v)
    return np.array(m.getFloatingSpeciesAmounts())


def plain_loop(study: Study, values: np.ndarray, rr) -> np.ndarray:
    """The hand-written libRoadRunner loop (see the module docstring); returns the outputs."""
    from pathways.drugs import DRUGS
    model = pathways.load(study.model.name, study.model.species)
    grid = np.asarray(study.grid)
    sel = ["time", study.readout]
    refs = dict(model._refs)                       # readout -> its _ref parameter
    # the file's values (symptom_ref is computed, so not among model.parameters)
    sym_ref = "symptom_ref" if "symptom_ref" in model._default_init else None
    default = {p: model._default_init[p] for p in {*refs.values(), *model.parameters, sym_ref}
               if p is not None}
    dose = study.regimen.doses[0]
    rate = DRUGS[dose.drug].micromoles(dose.amount_mg(model.body_weight_kg)) / dose.duration_h
    names = study.names
    out = np.full((len(values), len(study.outputs)), np.nan)
    for i, row in enumerate(values):
        m = rr.model
        for p, v in zip(names, row):
            m.setValue(f"init({p})", float(v))
        for ref in refs.values():
            m.setValue(f"init({ref})", default[ref])
        if sym_ref:
            m.setValue(f"init({sym_ref})", default[sym_ref])
        rr.resetAll()
        amounts = steady_state(rr)
        new_refs = {ref: rr.getValue(ro) * default[ref] for ro, ref in refs.items()}
        sym = rr.getValue("symptom_score") if sym_ref else None
        for ref, v in new_refs.items():            # the references, as initial values
            m.setValue(f"init({ref})", v)
        if sym_ref:
            m.setValue(f"init({sym_ref})", sym)
        rr.resetAll()
        m.setFloatingSpeciesAmounts(amounts)
        m.setTime(0.0)
        rr.timeCourseSelections = sel
        rr.setValue("ket_infusion_rate", rate)
        on = grid[grid <= dose.duration_h]
        after = grid[grid > dose.duration_h]
        try:                                       # a solver failure is a NaN sample
            res1 = np.asarray(rr.simulate(times=np.r_[on, dose.duration_h]
                                          if on[-1] < dose.duration_h else on))
            rr.setValue("ket_infusion_rate", 0.0)
            res2 = np.asarray(rr.simulate(times=np.r_[dose.duration_h, after]))
        except RuntimeError:
            rr.setValue("ket_infusion_rate", 0.0)
            continue
        y = np.r_[res1[:len(on), 1], res2[1:, 1]]
        series = metrics.ArraySeries(grid, y)
        kw = dict(study.metric_kwargs)
        out[i, 0] = metrics.METRICS[study.metric](series, **kw)
        for j, tt in enumerate(study.times, 1):
            out[i, j] = np.interp(tt, grid, y)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plain-n", type=int, default=200, help="samples for the serial "
                    "library-vs-plain comparison")
    ap.add_argument("--n", type=int, default=256, help="Sobol' base samples (power of 2)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="cluster runs, each between two "
                    "serial timings (fresh samples each)")
    args = ap.parse_args()

    name = COMPOSED if COMPOSED in pathways.list_models() else "ketamine_pk"
    if name != COMPOSED:
        print(f"note: {COMPOSED} is not available; benchmarking ketamine_pk instead")
    study = make_study(name)
    from SALib.sample import sobol as sobol_sample
    x = sobol_sample.sample(study.problem(), args.n, calc_second_order=False, seed=1)
    values = study.to_values(x)
    k = len(study.names)
    print(f"model {name}: {study.metric_label} and {study.outputs[1:]}, {k} parameters "
          f"({', '.join(study.names)}), Sobol' n={args.n}: {len(values)} simulations")

    sub = values[:args.plain_n]
    rr = plain_roadrunner(pathways.load(study.model.name, study.model.species))
    t_lib = t_plain = 0.0
    lib_out, plain_out = [], []
    for b, start in enumerate(range(0, len(sub), BLOCK)):   # alternate, in blocks
        block = sub[start:start + BLOCK]
        for which in (("lib", "plain") if b % 2 == 0 else ("plain", "lib")):
            t0 = time.perf_counter()
            if which == "lib":
                ev = evaluate(study, block, engine="serial", progress=False)
                t_lib += time.perf_counter() - t0
                lib_out.append(ev.outputs)
            else:
                plain_out.append(plain_loop(study, block, rr))
                t_plain += time.perf_counter() - t0
    lib = Evaluation(sub, np.vstack(lib_out), {})
    plain = np.vstack(plain_out)
    agree = np.nanmax(np.abs(plain - lib.outputs) / np.maximum(np.abs(lib.outputs), 1e-9))
    same_failures = np.array_equal(np.isnan(plain).any(axis=1),
                                   np.isnan(lib.outputs).any(axis=1))
    per_lib, per_plain = t_lib / len(sub), t_plain / len(sub)
    print(f"  serial, first {len(sub)} samples (each with its own steady state):")
    print(f"    plain libRoadRunner loop: {per_plain * 1e3:8.2f} ms/simulation")
    print(f"    pathways.sensitivity:     {per_lib * 1e3:8.2f} ms/simulation "
          f"(ratio {per_lib / per_plain:.2f})")
    print(f"    {lib.n_failed} failed in the library, "
          f"{int(np.isnan(plain).any(axis=1).sum())} in the plain loop (same samples: "
          f"{same_failures}); largest relative difference of outputs {agree:.1e}")

    t0 = time.perf_counter()
    engine = DaskEngine(workers=args.workers)
    _ = engine.client
    t_start = time.perf_counter() - t0
    effs, walls = [], []
    for rep in range(args.repeats):        # fresh samples each time: no cached steady states
        vals = study.to_values(sobol_sample.sample(study.problem(), args.n,
                                                   calc_second_order=False, seed=100 + rep))
        before = _serial_ms(study, vals[:AFTER_N])
        t0 = time.perf_counter()
        ev = evaluate(study, vals, engine=engine, progress=False)
        t_par = time.perf_counter() - t0
        after = _serial_ms(study, vals[AFTER_N:2 * AFTER_N])
        n = len(vals)
        serial = (before + after) / 2 / 1e3          # the machine's speed drifts: both sides
        eff = serial * n / (args.workers * t_par)
        effs.append(eff)
        walls.append(t_par)
        print(f"  run {rep + 1}: {n} simulations on a {args.workers}-worker LocalCluster in "
              f"{t_par:.1f} s wall ({ev.n_failed} failed; workers busy "
              f"{ev.busy_s / (args.workers * t_par):.2f} of the wall time, "
              f"{ev.busy_s / n * 1e3:.2f} ms per simulation inside them); serial "
              f"{before:.2f} ms before, {after:.2f} ms after: parallel efficiency {eff:.2f}")
    engine.close()
    print(f"  cluster start {t_start:.1f} s; parallel efficiency on {args.workers} workers: "
          f"median {np.median(effs):.2f} (runs: {', '.join(f'{e:.2f}' for e in effs)})")
    est = np.median(walls) / n * 1e5
    print(f"  extrapolated 10^5-simulation Sobol' study on {args.workers} cores: "
          f"{est / 60:.1f} min ({est / 3600:.2f} h)")


def _serial_ms(study, values) -> float:
    t0 = time.perf_counter()
    evaluate(study, values, engine="serial", progress=False)
    return (time.perf_counter() - t0) / len(values) * 1e3


if __name__ == "__main__":
    main()
