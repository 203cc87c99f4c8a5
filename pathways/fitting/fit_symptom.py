"""Fit the symptom gain `syn_gamma` of `synaptogenesis` to LIT-C2 on the composed model.

No measured constant maps synaptic drive onto a depression rating (PARAMETERS.md section 9),
so the exponent of score ∝ W^-gamma is the one free gain of the symptom readout. It is set so
that, in humans, ketamine 0.5 mg/kg IV over 40 min minus midazolam 0.045 mg/kg over 40 min
gives -24% of the pre-dose score at 24 h (Murrough 2013, LIT-C2). Every other symptom row
(LIT-C1, C4, C8, C9 and the rodent behaviour rows) is then a prediction.

Run: python -m pathways.fitting.fit_symptom [--write-ant]
Writes pathways/data/fits.toml (the syn_gamma entry) and, with --write-ant, the value into
pathways/models/synaptogenesis.ant together with the drug-free score it implies
(`symptom_ref`, which pathways recomputes per run but a user of the SBML file reads as
written); then run `pathways build`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .. import metrics as mx
from ..model import load
from ..regimen import Regimen
from .record import _round, fit_arguments, update_fits, write_ant_value

SCRIPT = "pathways/fitting/fit_symptom.py"
ANT = Path(__file__).resolve().parent.parent / "models" / "synaptogenesis.ant"
TARGET_PCT, ROW = -24.0, "LIT-C2"
KETAMINE = Regimen.infusion(0.5, minutes=40)
MIDAZOLAM = Regimen.infusion(0.045, minutes=40, drug="midazolam")


def difference_at_24h(model, gamma: float) -> float:
    """Return ketamine − midazolam symptom change (%) at 24 h for a given gain."""
    times = np.array([0.0, 23.5, 24.0, 24.5])
    k = model.simulate(KETAMINE, 24.5, parameters={"syn_gamma": gamma}, points=times)
    m = model.simulate(MIDAZOLAM, 24.5, parameters={"syn_gamma": gamma}, points=times)
    return mx.value_at(k["symptom_change_pct"] - m["symptom_change_pct"], 24.0)


def fit(model) -> float:
    """Return the gain that puts the 24-h difference on TARGET_PCT (bisection in log gain)."""
    lo, hi = 0.1, 200.0
    for _ in range(60):
        mid = float(np.sqrt(lo * hi))
        if difference_at_24h(model, mid) > TARGET_PCT:   # too little relief: raise the gain
            lo = mid
        else:
            hi = mid
    return float(np.sqrt(lo * hi))


def resting_score(model, gamma: float) -> float:
    """Return the drug-free steady-state `symptom_score` (arbitrary units) for a given gain."""
    out = model.simulate(None, 1.0, parameters={"syn_gamma": gamma}, points=[0.0, 1.0],
                         variables=["symptom_score"])
    return float(out["symptom_score"].iloc[0])


def main(argv=None) -> int:
    """Fit syn_gamma to LIT-C2 (ketamine - midazolam at 24 h) and print it; unless --dry-run,
    record it in pathways/data/fits.toml (with --write-ant, also in the Antimony source).
    Return exit status 0."""
    args = fit_arguments(__doc__, argv)
    model = load("ketamine_synaptogenesis", "human")
    gamma = fit(model)
    print(f"syn_gamma = {gamma:.4g} (ketamine − midazolam at 24 h: "
          f"{difference_at_24h(model, gamma):.2f}%)")
    if args.dry_run:
        return 0
    update_fits(SCRIPT, {"syn_gamma": (gamma, [ROW])})
    if args.write_ant:
        write_ant_value(ANT, "syn_gamma", gamma)
        # the score of the gain as written (rounded), to 8 digits: a vehicle run of the
        # SBML file then reads 0.000% (tests/test_build.py)
        write_ant_value(ANT, "symptom_ref", resting_score(model, _round(gamma)), 8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
