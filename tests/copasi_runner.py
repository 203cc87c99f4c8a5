"""Execute a COMBINE archive written by `pathways export omex` with COPASI (copasi-basico), as
an independent second simulator; run in a subprocess by tests/test_interop.py.

    python copasi_runner.py ARCHIVE.omex OUT.npz

COPASI's own SED-ML import reads one task per document, so for each SED-ML task this script
imports the task's SBML file into COPASI (`importSBML`) and runs a deterministic (LSODA) time
course with the task's uniform time course (start, end, steps) and tolerances read from the
SED-ML with libsedml. It saves, per data generator id of the SED-ML reports
(`<arm>_<readout>`, `<arm>_time_h`), COPASI's values.
"""
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np


def main(archive: str, out: str) -> None:
    import basico
    import libsedml

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
        doc = libsedml.readSedMLFromFile(str(Path(tmp) / "simulation.sedml"))
        for task in doc.getListOfTasks():
            arm = task.getId().removeprefix("task_")
            model = doc.getModel(task.getModelReference())
            sim = doc.getSimulation(task.getSimulationReference())
            params = {p.getKisaoID(): float(p.getValue())
                      for p in sim.getAlgorithm().getListOfAlgorithmParameters()}
            dm = basico.load_model(str(Path(tmp) / model.getSource()))
            if dm is None:
                raise RuntimeError(f"COPASI could not import {model.getSource()}")
            table = basico.get_parameters(model=dm)
            by_sbml = {sid: f"Values[{name}]" for sid, name in zip(table["sbml_id"], table.index)}
            species = basico.get_species(model=dm)       # concentrations, as the SED-ML target
            by_sbml |= {sid: f"[{name}]" for sid, name in zip(species["sbml_id"], species.index)}
            readouts = []
            for dg in doc.getListOfDataGenerators():
                if dg.getId().startswith(arm + "_") and dg.getId() != f"{arm}_time_h":
                    readouts.append(dg.getId()[len(arm) + 1:])
            selection = ["Time"] + [by_sbml[r] for r in readouts]
            steps = sim.getNumberOfPoints()
            df = basico.run_time_course_with_output(
                selection, model=dm, start_time=sim.getInitialTime(),
                duration=sim.getOutputEndTime() - sim.getInitialTime(), intervals=steps,
                r_tol=params.get("KISAO:0000209", 1e-10), a_tol=params.get("KISAO:0000211", 1e-14),
                max_steps=int(params.get("KISAO:0000415", 1e6)), use_initial_values=True,
                method="deterministic")
            if "Time" in df.columns:
                df = df.set_index("Time")
            times = np.asarray(df.index, dtype=float)
            if len(times) != steps + 1:        # COPASI may add rows at event times
                keep = np.searchsorted(times, np.linspace(sim.getOutputStartTime(),
                                                          sim.getOutputEndTime(), steps + 1))
                df = df.iloc[keep]
                times = times[keep]
            offset = 0.0
            tdg = doc.getDataGenerator(f"{arm}_time_h")
            formula = libsedml.formulaToL3String(tdg.getMath())
            if "+" in formula:
                offset = float(formula.split("+", 1)[1])
            results[f"{arm}_time_h"] = times + offset
            for r, col in zip(readouts, df.columns):
                results[f"{arm}_{r}"] = df[col].to_numpy(dtype=float)
            basico.remove_datamodel(dm)
    np.savez(out, **results)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
