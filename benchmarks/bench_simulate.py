"""Cost of `Model.simulate` against a plain libRoadRunner loop on the same model and grid.

The plain loop is what a careful user would write by hand: one RoadRunner of the same SBML;
per run `resetAll()`, set the cached pre-dose steady state and the fold references exactly as
the library does, add the dose, `simulate(0, 48, 289)` with the same selections, integrator and
tolerances, and keep the NumPy array. The library returns a pandas DataFrame.

Usage: python benchmarks/bench_simulate.py [--model ketamine_pk] [--n 1000] [--repeats 5]
Prints the median time per simulation of each, their ratio, and resident memory after 100
and after 1000 library simulations (it must not grow with the number of simulations).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

import pathways


def rss_mb() -> float:
    """Return the current resident set size in MB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="ketamine_pk")
    ap.add_argument("--n", type=int, default=1000, help="simulations per repeat")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    model = pathways.load(args.model, "human")
    regimen = pathways.Regimen.bolus(0.5, "iv")
    points = np.linspace(0, 48, 289)
    model.simulate(regimen, 48, points=points)            # warm: compile + steady state

    # the plain loop, set up from the same cached state the library uses
    rr = model._rr
    amounts, inits = model._steady.pre_dose({}, ())
    dose_umol = 0.5 * 70 / 237.7 * 1000
    i_central = model._species_ids.index("ket_central")
    selections = ["time"] + model.readouts

    def plain(n):
        model._solver.apply(inits)                        # same init values as the library
        index, values = model._solver.current             # its parameter values, one array
        rr.timeCourseSelections = selections
        for _ in range(n):
            rr.resetAll()
            rr.model.setGlobalParameterValues(index, values)
            rr.model.setFloatingSpeciesAmounts(amounts)
            rr.model.setFloatingSpeciesAmounts([i_central], [amounts[i_central] + dose_umol])
            np.asarray(rr.simulate(0, 48, 289))

    def library(n):
        for _ in range(n):
            model.simulate(regimen, 48, points=points)

    t_plain, t_lib = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter(); plain(args.n); t_plain.append(time.perf_counter() - t0)
        model._solver.selections = []                     # the plain loop changed them
        t0 = time.perf_counter(); library(args.n); t_lib.append(time.perf_counter() - t0)
    mp, ml = statistics.median(t_plain), statistics.median(t_lib)
    print(f"model {args.model}: {args.n} simulations of 48 h, 289 points, median of "
          f"{args.repeats}")
    print(f"  plain libRoadRunner loop: {mp / args.n * 1e3:.3f} ms/simulation")
    print(f"  pathways Model.simulate:  {ml / args.n * 1e3:.3f} ms/simulation")
    print(f"  ratio: {ml / mp:.3f}")

    library(100)
    after_100 = rss_mb()
    library(1000)
    after_1000 = rss_mb()
    print(f"  resident memory after 100 more: {after_100:.1f} MB; after 1000 more: "
          f"{after_1000:.1f} MB (growth {after_1000 - after_100:+.1f} MB)")


if __name__ == "__main__":
    main()
