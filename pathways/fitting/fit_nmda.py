"""Fit the maximum of ketamine's high-affinity allosteric NMDAR inhibition (`Amax_allo`) to
LIT-N1 (Orser 1997: open probability left 0.53 ± 0.15 at 0.1 µM, 0.24 ± 0.10 at 1 µM).

The allosteric site's EC50 (0.1 µM) is measured (Abbott 2024, PMC11948614) but its maximum
is not; with the pore block fixed, Amax_allo minimises the error of the `nmda_blockade`
component at both clamped concentrations, each weighted by Orser's spread. LIT-N1 is
therefore a fitted row.

Run: python -m pathways.fitting.fit_nmda [--write-ant]
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..model import load
from .record import fit_arguments, update_fits, write_ant_value

SCRIPT = "pathways/fitting/fit_nmda.py"
ANT = Path(__file__).resolve().parent.parent / "models" / "nmda_blockade.ant"


def open_left(model, amax: float, conc_uM: float = 0.1) -> float:
    """Return the open probability left (1 - nmda_block_pyramidal, dimensionless) at `conc_uM`
    µM unbound ketamine with the allosteric maximum `amax`, at steady state."""
    df = model.simulate(None, 1.0, parameters={"ket_brain_u": conc_uM, "Amax_allo": amax},
                        points=2)
    return 1.0 - float(df["nmda_block_pyramidal"].iloc[-1])


def main(argv=None) -> int:
    """Fit Amax_allo to LIT-N1 (Orser 1997) by golden-section search and print it; unless
    --dry-run, record it in pathways/data/fits.toml (with --write-ant, also in the Antimony
    source). Return exit status 0."""
    args = fit_arguments(__doc__, argv)
    model = load("nmda_blockade", "human")
    def cost(a: float) -> float:
        return (((open_left(model, a, 0.1) - 0.53) / 0.15) ** 2
                + ((open_left(model, a, 1.0) - 0.24) / 0.10) ** 2)

    lo, hi = 0.0, 1.0                       # golden-section search on [0, 1]
    g = (5 ** 0.5 - 1) / 2
    for _ in range(40):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if cost(a) < cost(b):
            hi = b
        else:
            lo = a
    amax = (lo + hi) / 2
    print(f"Amax_allo = {amax:.4g} (open probability left at 0.1 µM {open_left(model, amax):.3f},"
          f" at 1 µM {open_left(model, amax, 1.0):.3f})")
    if args.dry_run:
        return 0
    update_fits(SCRIPT, {"Amax_allo": (amax, ["LIT-N1"])})
    if args.write_ant:
        write_ant_value(ANT, "Amax_allo", amax)
    return 0


if __name__ == "__main__":
    sys.exit(main())
