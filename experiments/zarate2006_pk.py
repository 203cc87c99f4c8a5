"""LIT-PK1: human, racemic ketamine 0.5 mg/kg IV over 40 min (Zarate 2006; Zanos 2018 Table 1).

Writes the simulated plasma and brain ketamine/norketamine as CSV and a figure with the
published peak (≈185 ng/mL, range 100-250, at the end of the infusion).
"""
from pathlib import Path

import pathways
from pathways import experiment_plots as ep
from pathways.experiments import cli_main
from pathways.plotting import pyplot, save

PUBLISHED_PEAK = (40 / 60, 185.0, 100.0, 250.0)   # time (h), value, low, high (ng/mL)


def simulate(quick: bool):
    """Return the DataFrame of the PK model's readouts and unbound brain norketamine
    (`nket_brain_u`, µM), 0-24 h (0-6 h when `quick`), every 2 min for 6 h (the end of the
    infusion, 40 min, is an output time) then every 30 min."""
    model = pathways.load("ketamine_pk", species="human")
    end_h = 6 if quick else 24
    return model.simulate(pathways.Regimen.infusion(0.5, minutes=40), end_h=end_h,
                          points=ep.grid(end_h), variables=["nket_brain_u"])


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    df = simulate(quick)
    csv = out_dir / "zarate2006_pk.csv"
    df.to_csv(csv, float_format="%.6g")
    units = ep.write_column_units(df.reset_index().columns, csv, {
        "nket_brain_u": ("µM", "unbound norketamine at the brain effect site")})

    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.5, 2.6))
    ax1.plot(df.index, df["ketamine_plasma"], label="ketamine")
    ax1.plot(df.index, df["norketamine_plasma"], label="norketamine")
    t, v, lo, hi = PUBLISHED_PEAK
    ax1.errorbar([t], [v], yerr=[[v - lo], [hi - v]], fmt="o", color="k", ms=3, capsize=2,
                 label="published peak (Zanos 2018)")
    ax1.set(xlabel="time (h)", ylabel="plasma (ng/mL)", title="plasma")
    ax1.legend(frameon=False, fontsize=6)
    ax2.plot(df.index, df["ketamine_brain"], color="C0", label="ketamine")
    ax2.plot(df.index, df["nket_brain_u"], color="C1", label="norketamine")
    ax2.set(xlabel="time (h)", ylabel="unbound in brain (µM)", title="brain effect site")
    ax2.legend(frameon=False, fontsize=6)
    fig.suptitle("human, ketamine 0.5 mg/kg IV over 40 min", fontsize=8)
    fig.tight_layout()
    paths = save(fig, out_dir / "zarate2006_pk")
    plt.close(fig)
    return [csv, units, *paths]


if __name__ == "__main__":
    cli_main(run)
