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
    numeric = df.select_dtypes("number")
    assert len(df) > 10 and numeric.shape[1] >= 2
    assert np.isfinite(numeric.values).all()
