"""The cascade figure: human, racemic ketamine 0.5 mg/kg IV over 40 min (Zarate 2006), each
node coloured by the fold change of its active form at 1 h and at 24 h after the start of the
infusion (one 85-mm panel per time, same colour scale).

Writes the fold changes as CSV (node, label, fold at 1 h, fold at 24 h) and the two panels as
PNG and SVG. Drugs the regimen does not give (esketamine, memantine, midazolam) are left out.
"""
from pathlib import Path

import pathways
from pathways import experiment_plots as ep
from pathways.diagram import cascade, draw, node_fold_changes
from pathways.experiments import cli_main
from pathways.outputs import write_atomically
from pathways.plotting import pyplot, save

TIMES_H = (1.0, 24.0)
NOT_DOSED = ("esketamine", "memantine", "midazolam")


def simulate(quick: bool):
    """Return (model, node x time DataFrame of fold changes at TIMES_H) (same in quick mode)."""
    model = pathways.load("ketamine_synaptogenesis", species="human")
    regimen = pathways.Regimen.infusion(0.5, minutes=40)
    return model, node_fold_changes(model, regimen, TIMES_H)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    model, fold = simulate(quick)
    g = cascade(model, hide=NOT_DOSED)
    fold = fold.loc[[n for n in fold.index if n in g]]

    csv = out_dir / "diagram_figure.csv"
    table = fold.rename(columns={t: f"fold_{t:g}h" for t in TIMES_H})
    table.insert(0, "label", [g.nodes[n]["label"] for n in table.index])
    table.index.name = "node"
    write_atomically(csv, lambda tmp: table.to_csv(tmp, float_format="%.6g"), "CSV file")
    ep.write_column_units(table.reset_index().columns, csv, {
        "node": ("", "diagram node id"), "label": ("", "node label as drawn"),
        **{f"fold_{t:g}h": ("1", f"fold change at {t:g} h vs pre-dose") for t in TIMES_H}})

    values = fold.values
    lo, hi = float(values.min()), float(values.max())
    span = (min(lo, 1 / hi), max(hi, 1 / lo))            # one symmetric scale for both panels
    plt = pyplot()
    paths = [csv, ep.columns_file(csv)]
    for t in TIMES_H:
        fig, _ = draw(graph=g, overlay=fold[t], title=f"{t:g} h after ketamine 0.5 mg/kg IV "
                      "(40 min)", overlay_range=span,
                      overlay_label=f"fold change at {t:g} h vs pre-dose (log scale)")
        paths += save(fig, out_dir / f"diagram_figure_{t:g}h")
        plt.close(fig)
    return paths


if __name__ == "__main__":
    cli_main(run)
