"""`pathways.validation.robustness`: the LIT rows re-run with one assumed parameter scaled
(syn_gamma refitted to LIT-C2 in each variant), and `pathways robustness`."""
import numpy as np
import pytest

import pathways
from pathways.cli import main
from pathways.errors import PathwaysInputError
from pathways.validation import core, robustness


def test_a_scaled_view_runs_each_species_with_its_own_value_times_the_fold():
    """Inside `scaled`, the checks' models take fold x their species' own value, the same
    bits as an explicit override; a run's own value wins; outside, nothing is scaled."""
    rat = pathways.load(species="rat")
    regimen = pathways.Regimen.bolus(10, "ip")
    own = rat.parameters["k_deg_bdnf"]
    explicit = rat.simulate(regimen, 6, parameters={"k_deg_bdnf": 3 * own})
    plain = rat.simulate(regimen, 6)
    with robustness.scaled({"k_deg_bdnf": 3.0}):
        view = core.model("ketamine_synaptogenesis", "rat")
        assert view.parameters["k_deg_bdnf"] == 3 * own
        scaled = view.simulate(regimen, 6)
        mine = view.simulate(regimen, 6, parameters={"k_deg_bdnf": own})
    np.testing.assert_array_equal(scaled.to_numpy(), explicit.to_numpy())
    np.testing.assert_array_equal(mine.to_numpy(), plain.to_numpy())
    after = core.model("ketamine_synaptogenesis", "rat").simulate(regimen, 6)
    np.testing.assert_array_equal(after.to_numpy(), plain.to_numpy())
    assert not core.SCALED


@pytest.mark.parametrize("folds, message", [
    ({"k_nope": 2.0}, "unknown parameter 'k_nope'"),
    ({"k_deg_bdnf": 0.0}, "the fold of k_deg_bdnf must be a finite number > 0, got 0.0"),
    ({"k_deg_bdnf": float("nan")}, "must be a finite number > 0"),
])
def test_scaled_refuses_an_unknown_parameter_or_a_bad_fold(folds, message):
    with pytest.raises(PathwaysInputError, match=message.replace("(", r"\(")):
        with robustness.scaled(folds):
            pass
    assert not core.SCALED


def test_scaled_blocks_do_not_nest():
    with robustness.scaled({"k_deg_bdnf": 2.0}):
        with pytest.raises(PathwaysInputError, match="do not nest"):
            with robustness.scaled({"k_clr_bdnf": 2.0}):
                pass
        assert core.SCALED == {"k_deg_bdnf": 2.0}
    assert not core.SCALED


def test_candidates_are_assumed_pathway_values_not_perturbation_handles():
    from pathways import sources
    params = robustness.candidate_parameters()
    kinds = {pid: rec for c in sources.COMPONENTS for pid, rec in
             sources.parameter_sources(c).items()}
    assert params and all(kinds[p].kind == "assumed" for p in params)
    assert not any(p.endswith("_scale") for p in params)
    assert not any(kinds[p].model == "ketamine_pk" for p in params)
    assert {"k_deg_bdnf", "k_clr_bdnf", "syn_k_cons"} <= set(params)


def test_a_fraction_goes_up_to_1_at_most():
    """A share or probability is not scaled past 1: its up variant stops there, and there
    is none when it is 1 already (the down variant is always there)."""
    model = core.model("ketamine_synaptogenesis")
    fractions = [p for p in robustness.candidate_parameters() if p in model.fractions]
    assert fractions
    for pid in fractions:
        folds = robustness._folds(model, pid, 2.0)
        assert folds[0] == 0.5 and all(model.parameters[pid] * f <= 1.0 + 1e-12
                                       for f in folds)
    assert robustness._folds(model, "k_deg_bdnf", 2.0) == [0.5, 2.0]


def test_a_scan_reports_the_verdicts_a_faster_bdnf_turnover_changes():
    """k_deg_bdnf x3 (intracellular BDNF half-life 28 min instead of 1.4 h): BDNF translated
    while an L-VDCC blocker acts no longer accumulates and leaks out, so LIT-R9 passes, while
    the resting arm's BDNF rise is briefer and LIT-R2 and LIT-C1 stop passing. The gain is
    refitted so LIT-C2 still holds, and every other verdict is the baseline's."""
    table = robustness.scan(["k_deg_bdnf"], fold=3.0, progress=False)
    assert list(table["fold"]) == pytest.approx([1 / 3, 3.0])
    faster = table.iloc[1]
    assert faster["gained"] == "LIT-R9" and set(faster["lost"].split(",")) == {"LIT-R2",
                                                                                "LIT-C1"}
    assert faster["n_lost"] == 2 and faster["n_gained"] == 1 and faster["gain_fitted"]
    baseline = table.attrs["baseline"]
    changed = {"LIT-R9", "LIT-R2", "LIT-C1"}
    assert all(faster[r] == baseline[r] for r in baseline if r not in changed)
    assert "LIT-C3" not in baseline and "LIT-C3" in table.attrs["skipped"]
    from pathways.fitting.fit_symptom import difference_at_24h
    nominal = core.model("ketamine_synaptogenesis").parameters["syn_gamma"]
    with robustness.scaled({"k_deg_bdnf": 3.0}):
        human = core.model("ketamine_synaptogenesis")
        assert difference_at_24h(human, faster["syn_gamma"]) == pytest.approx(-24.0, abs=0.05)
        assert difference_at_24h(human, nominal) > -23.0     # the refit was needed


@pytest.mark.parametrize("args, message", [
    (["--parameters", "k_nope"], "unknown parameter 'k_nope'"),
    (["--parameters", ","], "--parameters needs at least one parameter id"),
    (["--parameters", "k_deg_bdnf", "--fold", "1"], "--fold must be a number > 1, got 1"),
    (["--parameters", "k_deg_bdnf,k_deg_bdnf"], "a parameter is named twice"),
])
def test_bad_robustness_options_are_one_line_with_status_2(args, message, capsys):
    assert main(["robustness", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pathways: error: ") and message in err and err.count("\n") == 1


def test_robustness_writes_its_table_with_units_figure_and_record(tmp_path, capsys):
    import json

    import pandas as pd
    out = tmp_path / "rob"
    assert main(["robustness", "--parameters", "syn_k_cons", "--fold", "1.5",
                 "--no-progress", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 variants of 1 parameters" in printed
    table = pd.read_csv(out / "robustness.csv")
    units = pd.read_csv(out / "robustness_columns.csv", keep_default_na=False)
    assert list(units["column"]) == list(table.columns) and (units["meaning"] != "").all()
    assert (out / "robustness.png").stat().st_size > 0 and (out / "robustness.svg").exists()
    record = json.loads((out / "robustness.csv.run.json").read_text())
    assert record["parameters"] == ["syn_k_cons"] and record["fold"] == 1.5
    assert set(record["baseline"]) == {c for c in table.columns if c.startswith("LIT-")}
    assert main(["robustness", "--parameters", "syn_k_cons", "--out", str(out)]) == 2


def test_the_committed_full_run_has_the_current_baseline_verdicts():
    """docs/figures/robustness.csv (README, *How much the verdicts rest on assumed values*)
    was made with the verdicts the rows give now: a row that changed status since makes it
    stale, and this test says to run `pathways robustness --out DIR` again."""
    import json
    from pathlib import Path

    import pandas as pd
    docs = Path(__file__).resolve().parents[1] / "docs" / "figures"
    record = json.loads((docs / "robustness.csv.run.json").read_text())
    table = pd.read_csv(docs / "robustness.csv")
    assert set(table["parameter"]) == set(robustness.candidate_parameters())
    assert record["baseline"] == robustness.verdicts(), (
        "the committed robustness run is stale: run `pathways robustness --out DIR` and copy "
        "robustness.csv, its .run.json and the figure to docs/figures")
