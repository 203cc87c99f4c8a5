"""Fit the two volumes and the distribution clearance of 2,6-hydroxynorketamine (HNK) to what
Moaddel et al. 2015 (Pharmacol Res Perspect 3:e00157, abstract) measured in rats after
(2S,6S)-HNK 20 mg/kg IV: brain levels of ~30 µg/g of tissue at 10 min and 6 µg/g at 60 min,
and a terminal half-life of 8.0 ± 4.0 h.

The same study's non-compartmental clearance (704 mL/h/kg, `CL_hnk` per 70 kg) is an input.
One compartment of its volume (7352 mL/kg) gives ~2.4 µg/g at 10 min, twelve times too
little: HNK first fills a small central volume. `V1_hnk`, `Q_hnk` and `V2_hnk` (per 70 kg)
are solved so that the rat model's total brain HNK (brain:plasma `Kp_hnk` 0.9, Highland
2019; the fast brain equilibration of every drug) passes through both points and its plasma
half-life from 8 to 24 h is 8.0 h, by least squares in log space; the study's volume is the
check (the fitted model's terminal volume, CL/λz, is printed beside it). Not a LITERATURE
row: the entries in fits.toml name no row.

Run: python -m pathways.fitting.fit_hnk [--write-ant] [--dry-run]
Writes pathways/data/fits.toml (the V1_hnk, Q_hnk and V2_hnk entries) and, with --write-ant,
the values into pathways/models/ketamine_pk.ant; then run `pathways build`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ..model import load
from ..regimen import Regimen
from .record import _round, fit_arguments, update_fits, write_ant_value

SCRIPT = "pathways/fitting/fit_hnk.py"
ANT = Path(__file__).resolve().parent.parent / "models" / "ketamine_pk.ant"
DOSE_MG_PER_KG = 20.0
DOSE = Regimen.bolus(DOSE_MG_PER_KG, "iv", drug="hydroxynorketamine")
BRAIN_NG_PER_G = {10 / 60: 30_000.0, 1.0: 6_000.0}     # Moaddel 2015 abstract, rat, 20 mg/kg
HALF_LIFE_H = 8.0                                        # Moaddel 2015: 8.0 ± 4.0 h
TERMINAL = (8.0, 24.0)                                   # h: where the half-life is read
MW_HNK = 239.7                                           # g/mol (ketamine_pk's MW_hnk)
FITTED = ("V1_hnk", "Q_hnk", "V2_hnk")


def observed(model, values: dict) -> tuple[np.ndarray, float, float]:
    """Return (total brain HNK in ng/g at the two sampling times, the plasma half-life in h
    over TERMINAL, the terminal volume CL/λz in L/kg) of the rat model with `values`
    (per-70-kg `V1_hnk`, `Q_hnk`, `V2_hnk`)."""
    times = sorted({0.0, *BRAIN_NG_PER_G, *TERMINAL})
    df = model.simulate(DOSE, TERMINAL[1], parameters=values, points=times,
                        variables=["hnk_brain", "hnk_central", "hnk_CL"])
    brain = df["hnk_brain"].loc[list(BRAIN_NG_PER_G)].to_numpy() * MW_HNK
    c0, c1 = df["hnk_central"].loc[TERMINAL[0]], df["hnk_central"].loc[TERMINAL[1]]
    rate = np.log(c0 / c1) / (TERMINAL[1] - TERMINAL[0])          # λz, 1/h
    v_terminal = float(df["hnk_CL"].iloc[-1]) / rate / model.body_weight_kg
    return brain, float(np.log(2) / rate), v_terminal


def fit(model) -> dict[str, float]:
    """Return {V1_hnk, Q_hnk, V2_hnk} that put the rat brain levels on Moaddel 2015's two
    values and the terminal half-life on 8.0 h."""
    from scipy.optimize import least_squares

    target = np.log([*BRAIN_NG_PER_G.values(), HALF_LIFE_H])

    def residuals(x):
        brain, half_life, _ = observed(model, dict(zip(FITTED, np.exp(x))))
        return np.log([*brain, half_life]) - target

    start = [model.parameters[p] for p in FITTED]
    best = least_squares(residuals, x0=np.log(start), bounds=(np.log([0.5, 0.01, 1.0]),
                                                               np.log([1e4, 1e4, 1e5])),
                         xtol=1e-12, ftol=1e-12)
    return dict(zip(FITTED, (float(v) for v in np.exp(best.x))))


def main(argv=None) -> int:
    """Fit the HNK disposition to Moaddel 2015's rat brain levels and print the values with
    their checks; unless --dry-run, record them in pathways/data/fits.toml (with --write-ant,
    also in the Antimony source). Return exit status 0."""
    args = fit_arguments(__doc__, argv)
    model = load("ketamine_pk", "rat")
    values = fit(model)
    brain, half_life, v_terminal = observed(model, {k: _round(v) for k, v in values.items()})
    print(", ".join(f"{k} = {v:.4g}" for k, v in values.items()) + " (L, L/h per 70 kg); "
          f"rat brain HNK {brain[0] / 1000:.3g} µg/g at 10 min, {brain[1] / 1000:.3g} µg/g at "
          f"60 min (Moaddel 2015: ~30, 6); half-life {half_life:.3g} h (8.0 ± 4.0); terminal "
          f"volume {v_terminal:.3g} L/kg (non-compartmental Vd 7.35 ± 0.74 L/kg)")
    if args.dry_run:
        return 0
    update_fits(SCRIPT, {k: (v, []) for k, v in values.items()})
    if args.write_ant:
        for k, v in values.items():
            write_ant_value(ANT, k, v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
