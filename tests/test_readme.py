"""The README's Python examples run as written (docs with runnable examples)."""
import re
import runpy
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_example_runs(index, tmp_path, monkeypatch):
    """An example that raises (a renamed function, a wrong argument) fails this test; it runs
    as a script (``__main__``), and what it computes is checked against what the README (and
    the literature behind it) says."""
    monkeypatch.chdir(tmp_path)
    script = tmp_path / f"readme_{index}.py"
    script.write_text(BLOCKS[index], encoding="utf-8")
    ns = runpy.run_path(str(script), run_name="__main__")
    checked = 0
    if "df" in ns and "ketamine_plasma" in getattr(ns["df"], "columns", ()):
        # LIT-PK1: 0.5 mg/kg over 40 min peaks at 100-250 ng/mL
        assert 100 <= ns["df"]["ketamine_plasma"].max() <= 250
        checked += 1
    if "out" in ns and "symptom_change_pct" in getattr(ns["out"], "columns", ()):
        assert ns["out"].index[-1] == pytest.approx(72.0)
        # LIT-R6: rapamycin abolishes the 24-h symptom effect of 10 mg/kg (<= 25% of it),
        # each effect read against its own vehicle run
        import pathways
        rat = pathways.load(species="rat")
        at24 = ns["out"]["symptom_change_pct"].loc[24.0]
        vehicle = rat.simulate(None, 72, perturbations=["rapamycin"])["symptom_change_pct"]
        control = (rat.simulate(pathways.Regimen.bolus(10, "ip"), 72)["symptom_change_pct"]
                   - rat.simulate(None, 72)["symptom_change_pct"]).loc[24.0]
        assert control <= -10 and abs(at24 - vehicle.loc[24.0]) <= 0.25 * abs(control)
        checked += 1
    if "export" in ns:
        import zipfile
        assert zipfile.is_zipfile(ns["export"].path) and len(ns["export"].arm_ids) >= 1
        checked += 1
    if "res" in ns:
        # plasma AUC over 24 h is dose / clearance: CL_ket carries it, V1_ket hardly matters
        st_ = ns["res"].indices.set_index("parameter")["ST"]
        assert st_["CL_ket"] > 0.9 and st_["V1_ket"] < 0.05
        # res.write puts the indices, with the output's unit, where the README says
        import pandas as pd
        written = pd.read_csv(tmp_path / "results" / "sens" / "sobol_indices.csv")
        assert set(written["output_unit"]) == {"ng/mL·h"}
        assert (tmp_path / "results" / "sens" / "samples.csv").exists()
        checked += 1
    if "nmda" in ns:
        # a component alone: a clamped ketamine input raises glutamate above the drug-free
        # baseline (LIT-R1's rise, >= 1.10) and none gives none; the number the README
        # prints beside the example is the model's
        glu = {c: ns["nmda"].simulate(None, 1, parameters={"ket_brain_u": c})["glutamate_rel"]
               .iloc[-1] for c in (0.0, 5.0)}
        assert glu[5.0] >= 1.10 and glu[0.0] == pytest.approx(1.0, abs=1e-6)
        printed = re.search(r'"ket_brain_u": 5\.0\}\)\["glutamate_rel"\]\.iloc\[-1\]\s+#\s*([\d.]+)',
                            README.read_text(encoding="utf-8"))
        assert printed and float(printed.group(1)) == pytest.approx(glu[5.0], abs=0.005)
        checked += 1
    if "pore" in ns:
        # LIT-N2: the pore block outlasts the washed-out drug while the channels are closed,
        # and leaves once they reopen; the numbers printed beside the example are the model's
        printed = re.search(r'\["pore_py_frac"\]\s+#\s*([\d.]+), ([\d.]+), ([\d.]+)',
                            README.read_text(encoding="utf-8"))
        assert printed, "the README prints the pore block beside the wash-out example"
        assert list(ns["pore"].round(3)) == pytest.approx(
            [float(x) for x in printed.groups()], abs=1e-3)
        assert ns["pore"].iloc[1] > 0.9 * ns["pore"].iloc[0] and ns["pore"].iloc[2] < 0.01
        checked += 1
    if "units" in ns:
        # every column of the experiment table has its unit, as CONTRACT.md gives it
        assert list(ns["units"].index) == list(ns["table"].columns)
        assert ns["units"].loc["ketamine_plasma", "unit"] == "ng/mL"
        assert ns["units"].loc["time_h", "unit"] == "h"
        checked += 1
    if "rates" in ns:
        # LIT-C3 (Cochrane 2021): 24-h response 46.5% vs 25.9%, ±30%, on the README's own
        # 300 subjects; the counted responders agree with the expected rate within 4
        # binomial standard errors (the placebo draws are what separates them)
        r = ns["rates"]
        assert 32.55 <= r.loc["ketamine", "expected_rate_pct"] <= 60.45
        assert 18.13 <= r.loc["midazolam", "expected_rate_pct"] <= 33.67
        p = r["expected_rate_pct"] / 100
        se = 100 * (p * (1 - p) / r["n"]) ** 0.5
        assert ((r["rate_pct"] - r["expected_rate_pct"]).abs() < 4 * se).all()
        checked += 1
    assert checked, "a README example whose result no check reads"


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2


def test_readme_readout_table_matches_the_readouts_module():
    """The README's readout table lists every readout of `pathways.readouts.READOUTS` with
    its unit and meaning, and nothing else (it is written from that dict: a readout added or
    renamed there must reach the table)."""
    from pathways.readouts import READOUTS
    text = README.read_text(encoding="utf-8")
    section = text.split("### Readouts", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$", section, flags=re.M)
    assert [r[0] for r in rows] == list(READOUTS)
    for rid, unit, meaning in rows:
        want, what = READOUTS[rid]
        shown = want if want != "1" else ("fold of baseline" if rid.endswith("_rel")
                                          else "fraction")
        assert (unit.strip(), meaning.strip()) == (shown, what), rid
