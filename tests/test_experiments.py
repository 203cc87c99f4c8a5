"""Every experiment script runs in its quick mode and writes a CSV of finite readouts and its
figures (PNG and SVG)."""
import numpy as np
import pandas as pd
import pytest

from pathways.experiments import list_experiments, run_experiment


@pytest.mark.parametrize("name", [e.name for e in list_experiments()])
def test_experiment_quick_run_writes_results(name, tmp_path):
    paths = run_experiment(name, tmp_path, quick=True)
    suffixes = {p.suffix for p in paths}
    assert {".csv", ".png", ".svg"} <= suffixes, paths
    for p in paths:
        assert p.exists() and p.stat().st_size > 0
    csv = next(p for p in paths if p.suffix == ".csv")
    df = pd.read_csv(csv)
    for table in (p for p in paths if p.suffix == ".csv" and not p.stem.endswith("_columns")):
        units = pd.read_csv(table.with_name(f"{table.stem}_columns.csv"), keep_default_na=False)
        assert list(units.column) == list(pd.read_csv(table, nrows=0).columns), table.name
        assert (units.meaning != "").all(), table.name      # every column says what it is
    numeric = df.select_dtypes("number")
    assert len(df) > 10 and numeric.shape[1] >= 2
    assert np.isfinite(numeric.values).all()
    # something happened: a readout moves over time, and arms (if several) differ
    readouts = numeric.drop(columns=[c for c in ("time_h", "time_d", "dose_mg_per_kg")
                                     if c in numeric], errors="ignore")
    assert (readouts.max() - readouts.min()).max() > 1e-6, f"{name}: every readout is flat"
    if "arm" in df and df["arm"].nunique() > 1:
        by_arm = [g[readouts.columns].to_numpy() for _, g in df.groupby("arm")]
        same_shape = [a for a in by_arm if a.shape == by_arm[0].shape]
        assert any(not np.allclose(a, same_shape[0]) for a in same_shape[1:]) or \
            len(same_shape) < len(by_arm), f"{name}: all arms gave the same result"


def test_drug_effects_refuse_a_vehicle_twin_shared_across_perturbations():
    """An effect is (perturbation + drug) − (perturbation + vehicle): two arms that would share
    one vehicle twin under different perturbations are an error, not a silent wrong baseline."""
    import pathways
    from pathways.errors import PathwaysInputError
    from pathways.experiment_plots import drug_effects

    model = pathways.load("ketamine_synaptogenesis", "mouse")
    dose = pathways.Regimen.bolus(10, "ip")
    with pytest.raises(PathwaysInputError, match="would share the vehicle twin 'vehicle'"):
        drug_effects(model, {"ketamine": (dose, ()),
                             "ketamine + eEF2K KO": (dose, ("eef2k_ko",))}, 1.0)
    raw, eff = drug_effects(model, {"ketamine": (dose, ()),
                                    "eEF2K KO: ketamine": (dose, ("eef2k_ko",))}, 1.0)
    assert set(raw) == {"ketamine", "vehicle", "eEF2K KO: ketamine", "eEF2K KO: vehicle"}
    assert abs(eff["eEF2K KO: ketamine"]["BDNF_rel"].iloc[0]) < 1e-6   # no effect before dose


def test_a_ratio_to_a_control_below_threshold_is_flagged_on_the_panel():
    import matplotlib.pyplot as plt

    from pathways import experiment_plots as ep
    fig, ax = plt.subplots()
    assert ep.flag_small_control(ax, 0.0118, 0.05)
    assert any("is not evidence" in t.get_text() for t in ax.texts)
    fig2, ax2 = plt.subplots()
    assert not ep.flag_small_control(ax2, -34.1, 10.0) and not ax2.texts
    plt.close(fig)
    plt.close(fig2)


def test_a_table_column_without_a_known_unit_is_refused():
    from pathways import experiment_plots as ep
    from pathways.errors import PathwaysInputError

    units = ep.column_units(["arm", "time_h", "symptom_change_pct", "BDNF_ext_uM", "x_rel"])
    assert units["time_h"][0] == "h" and units["symptom_change_pct"][0] == "%"
    assert units["BDNF_ext_uM"][0] == "µM" and units["x_rel"][0] == "1"
    with pytest.raises(PathwaysInputError, match="column 'mystery' has no unit"):
        ep.column_units(["mystery"])
