"""Fit the few `ketamine_pk` parameters that no paper gives.

Run: ``python -m pathways.fitting.fit_pk`` (add ``--write-ant`` to copy the values into
``pathways/models/ketamine_pk.ant``). Writes ``pathways/data/fits.toml`` (one entry per fitted
parameter: the LIT rows used, the value, this script).

1. Racemic ketamine distribution (V1_ket, Q2_ket, V2_ket, Q3_ket). Clearance (79 L/h) and the
   volume at steady state (252 L) are fixed at the Kamp 2020 meta-analysis values; the
   3-compartment split is fitted to LIT-PK1 (0.5 mg/kg/40 min peak ~185 ng/mL), LIT-PK2
   (2 mg/kg bolus 1200-2400 ng/mL at 2-5 min, 79 min half-life over 0.25-2 h), LIT-PK3 (2.3 h
   over 2-8 h) and LIT-PK4 (5.5 h over 8-24 h), because the Kamp 2020 / Hasan 2021 model tables
   could not be retrieved (Hasan 2021 is non-compartmental).
2. Blood-pressure effect site (EC50_sbp, n_sbp, ke0_sbp) with Emax fixed (Langsjo 2005),
   fitted to LIT-C6 in S-ketamine equivalents (max +7.4 mmHg at 30-40 min of 0.5 mg/kg/40 min, back to baseline by 1.5 h).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from .. import metrics as mx
from ..model import Model
from ..regimen import Regimen
from .record import fit_arguments, update_fits, write_ant_value

ROOT = Path(__file__).resolve().parent.parent
ANT = ROOT / "models" / "ketamine_pk.ant"
SCRIPT = "pathways/fitting/fit_pk.py"
MIN = 1 / 60
VSS_KAMP = 252.0   # L per 70 kg, Kamp 2020 Anesthesiology 133:1192 (meta-analysis)
GRID = np.unique(np.concatenate([np.arange(0, 2, 1 / 120), np.arange(2, 24.01, 0.25)]))


def _sbml_from_source() -> str:
    """SBML of the current source file (not a cached build)."""
    from ..build import build_sbml
    return build_sbml("ketamine_pk")


def fit_ketamine(m: Model) -> dict[str, float]:
    """Fit the ketamine volumes and flows (V1_ket, Q2_ket, V2_ket in L, Q3_ket in L/h; V3_ket =
    Vss - V1 - V2) to LIT-PK1-PK4; return {parameter: value}."""
    names = ["V1_ket", "Q2_ket", "V2_ket", "Q3_ket"]

    def resid(x):
        p = dict(zip(names, np.exp(x)))
        if p["V1_ket"] + p["V2_ket"] > 240:
            return np.full(7, 10.0)
        p["V3_ket"] = VSS_KAMP - p["V1_ket"] - p["V2_ket"]     # Vss fixed at Kamp 2020's value
        bol = m.simulate(Regimen.bolus(2.0, "iv"), 24, points=GRID, parameters=p)["ketamine_plasma"]
        inf = m.simulate(Regimen.infusion(0.5, 40), 6, points=GRID[GRID <= 6],
                         parameters=p)["ketamine_plasma"]
        return np.array([
            np.log(mx.value_at(bol, 2 * MIN) / 1697),
            np.log(mx.value_at(bol, 5 * MIN) / 1697),
            np.log(mx.half_life(bol, 0.25, 2) * 60 / 79),
            np.log(mx.half_life(bol, 2, 8) / 2.3),
            np.log(mx.half_life(bol, 8, 24) / 5.5),
            np.log(mx.peak(inf) / 185),
            0.0,
        ])

    x0 = np.log([20.0, 150.0, 60.0, 40.0])
    sol = least_squares(resid, x0, bounds=(np.log([2, 5, 5, 1]), np.log([150, 2000, 200, 500])))
    out = {k: float(v) for k, v in zip(names, np.exp(sol.x))}
    out["V3_ket"] = VSS_KAMP - out["V1_ket"] - out["V2_ket"]
    return out


def fit_sbp(m: Model, fixed: dict[str, float]) -> dict[str, float]:
    """Fit the blood-pressure PD (EC50_sbp in ng/mL, n_sbp, ke0_sbp in 1/h) to LIT-C6 with the
    ketamine PK `fixed`; return {parameter: value}."""
    names = ["EC50_sbp", "n_sbp", "ke0_sbp"]

    def resid(x):
        p = {**fixed, **dict(zip(names, np.exp(x)))}
        s = m.simulate(Regimen.infusion(0.5, 40), 6, points=GRID[GRID <= 6],
                       parameters=p)["sbp_change_mmHg"]
        pk = mx.peak(s)
        return np.array([np.log(pk / 7.4),
                         (mx.time_of_peak(s) * 60 - 37) / 10,
                         (mx.value_at(s, 1.5) / pk - 0.05) * 10])

    sol = least_squares(resid, np.log([0.6, 4.0, 14.0]),
                        bounds=(np.log([0.05, 1.0, 0.3]), np.log([20, 6.0, 60])))
    return {k: float(v) for k, v in zip(names, np.exp(sol.x))}


ROWS = {"V1_ket": ["LIT-PK1", "LIT-PK2", "LIT-PK3", "LIT-PK4"],
        "Q2_ket": ["LIT-PK1", "LIT-PK2", "LIT-PK3", "LIT-PK4"],
        "V2_ket": ["LIT-PK1", "LIT-PK2", "LIT-PK3", "LIT-PK4"],
        "Q3_ket": ["LIT-PK1", "LIT-PK2", "LIT-PK3", "LIT-PK4"],
        "V3_ket": ["LIT-PK1", "LIT-PK2", "LIT-PK3", "LIT-PK4"],
        "EC50_sbp": ["LIT-C6"], "n_sbp": ["LIT-C6"], "ke0_sbp": ["LIT-C6"]}


def write_fits(values: dict[str, float]) -> None:
    """Record the fitted values and the rows they were fitted to in pathways/data/fits.toml."""
    update_fits(SCRIPT, {pid: (v, list(ROWS[pid])) for pid, v in values.items()})


def write_ant(values: dict[str, float]) -> None:
    """Write the fitted values into the ketamine_pk Antimony source."""
    for pid, v in values.items():
        write_ant_value(ANT, pid, v)


def main(argv=None) -> int:
    """Fit the ketamine PK and SBP parameters and print them; unless --dry-run, record them in
    pathways/data/fits.toml (with --write-ant, also in the Antimony source). Return exit status
    0."""
    args = fit_arguments(__doc__, argv)
    m = Model("ketamine_pk", "human", sbml=_sbml_from_source())
    ket = fit_ketamine(m)
    sbp = fit_sbp(m, ket)
    values = {**ket, **sbp}
    for k, v in values.items():
        print(f"{k} = {v:.4g}")
    if args.dry_run:
        return 0
    write_fits(values)
    if args.write_ant:
        write_ant(values)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
