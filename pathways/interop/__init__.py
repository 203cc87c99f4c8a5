"""Export runs of the models as self-contained SBML and COMBINE archives (SED-ML + manifest).

A `Run` is one time course exactly as `Model.simulate` ran it (model, species, body weight,
regimen, perturbations, parameter overrides, output times). `run_sbml` turns a run into an SBML
document that another simulator integrates without pathways:

- the species start at the run's computed pre-dose steady state (written as initial amounts;
  species initial assignments are removed), and the parameters carry the run's values
  (overrides, chronic perturbations, the fold-of-baseline references `*_ref`);
- dosing and acute perturbations become SBML events, because SED-ML L1V3 cannot add an amount
  to a species or switch a parameter at a time: a bolus adds its µmol to the dosed species
  (`S = S + dose/volume`), an infusion sets its rate at the start and back at the end, an acute
  perturbation sets its `*_scale` handle. Changes at the run's start are written into the
  initial values instead (the same state `Model.simulate` starts its integration from);
- the SBML clock starts at the run's first output time (a pretreatment at -0.5 h makes SBML
  time 0 = -0.5 h); the SED-ML data generator `time_h` adds the offset back. When the output
  starts after the first event, the species start from the state `Model.simulate` reaches at
  the first output time (SED-ML's outputStartTime is not honoured by every simulator);
- with events before time 0, `symptom_ref` is the run's own symptom score at time 0, as
  `Model.simulate` makes it (CONTRACT: `symptom_change_pct` is 0 at time 0 in every arm).

`export_omex` writes one COMBINE archive per experiment (one SBML and one SED-ML task per
time course) with libsedml and libcombine, and rewrites the zip with fixed entry dates so that
the same input gives byte-identical archives.

Modules: `runs` (`Run`, `make_run`, output times), `run_sbml` (one run as SBML) and `omex`
(SED-ML and the COMBINE archive).
"""
from .omex import (ALGORITHM_PARAMETERS, KISAO_CVODE, OMEX_FORMATS, ZIP_DATE, Export, export_omex,
                   runs_for, sedml_from_spec)
from .run_sbml import run_sbml
from .runs import (MAX_UNIFORM_POINTS, Run, export_times, make_run, merge_variables, run_origin,
                   uniform_grid)

__all__ = ["ALGORITHM_PARAMETERS", "KISAO_CVODE", "MAX_UNIFORM_POINTS", "OMEX_FORMATS", "ZIP_DATE",
           "Export", "Run", "export_omex", "export_times", "make_run", "merge_variables",
           "run_origin", "run_sbml", "runs_for", "sedml_from_spec", "uniform_grid"]
