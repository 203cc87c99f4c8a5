"""What pathways needs of a user's SBML to simulate it: kinetics (not a flux-balance model), a
state it can restart from (only floating species change), and a time unit it can convert
to hours."""
from __future__ import annotations

import numpy as np

from .errors import PathwaysInputError


def refuse_flux_balance(doc, name: str) -> None:
    """Raise PathwaysInputError for a constraint-based (SBML fbc) model: it has flux bounds
    and an objective, not kinetics, so there is no time course to simulate."""
    if doc.isPackageEnabled("fbc") and doc.getModel() is not None and not any(
            r.isSetKineticLaw() for r in doc.getModel().getListOfReactions()):
        raise PathwaysInputError(
            f"{name}: a flux-balance (SBML fbc) model has flux bounds and an objective, not "
            "kinetic laws, so it has no time course to simulate; analyse it with a "
            "constraint-based tool (e.g. COBRApy). Its graph can still be drawn "
            "(pathways graph --sbml)")


def refuse_unsaved_state(rr, sbml: str, species: set[str]) -> None:
    """A run starts from the pre-dose steady state of the species amounts; a parameter or
    compartment that a rate rule or an event changes would restart at its initial value (a
    wrong baseline, silently). Raise PathwaysInputError for such a foreign model."""
    import libsbml
    moved = [x for x in rr.getRateRuleIds() if x not in species]
    model = libsbml.readSBMLFromString(sbml).getModel()
    for ev in (model.getListOfEvents() if model is not None else ()):
        moved += [a.getVariable() for a in ev.getListOfEventAssignments()
                  if a.getVariable() not in species]
    if moved:
        first = sorted(set(moved))[0]
        element = model.getElementBySId(first) if model is not None else None
        kind = {libsbml.SBML_SPECIES: "boundary species", libsbml.SBML_PARAMETER: "parameter",
                libsbml.SBML_COMPARTMENT: "compartment",
                libsbml.SBML_SPECIES_REFERENCE: "stoichiometry"}.get(
            element.getTypeCode() if element is not None else None, "variable")
        raise PathwaysInputError(
            f"{kind} {first} is changed by a rate rule or event; pathways carries the state "
            "of the floating species only (a run starts from their pre-dose steady state, or "
            "with start='initial' from the file's values), so it would restart at its initial "
            "value (not supported, whatever the start)")


SECONDS_PER_HOUR = 3600.0


def model_time_units_per_hour(sbml: str) -> float:
    """Return how many of the model's time units make one hour (1 for the shipped models,
    3600 for a model in seconds). SBML Level 3 declares `timeUnits` (undeclared: hours are
    assumed); in Level 1-2 time is in seconds unless a unit definition `time` redefines it."""
    import libsbml

    doc = libsbml.readSBMLFromString(sbml)
    model = doc.getModel()
    if model is None:
        return 1.0
    if doc.getLevel() >= 3:
        uid = model.getTimeUnits() if model.isSetTimeUnits() else ""
        if not uid:
            return 1.0
    else:
        uid = "time" if model.getUnitDefinition("time") is not None else "second"
    seconds = _seconds_of(model, uid)
    if seconds is None:
        raise PathwaysInputError(f"the model's time unit {uid!r} is not a time; pathways "
                                 "needs a time unit that converts to hours")
    if not (np.isfinite(seconds) and seconds > 0):
        raise PathwaysInputError(f"the model's time unit {uid!r} is {seconds!r} s; a time unit "
                                 "must be a positive, finite number of seconds")
    return SECONDS_PER_HOUR / seconds


def _seconds_of(model, uid: str) -> float | None:
    """Return the seconds in one `uid` (a base unit or a unit definition), None if not a time."""
    import libsbml

    if uid == "second":
        return 1.0
    ud = model.getUnitDefinition(uid)
    if ud is None or ud.getNumUnits() != 1:
        return None
    u = ud.getUnit(0)
    if u.getKind() != libsbml.UNIT_KIND_SECOND or u.getExponent() != 1:
        return None
    return u.getMultiplier() * 10.0 ** u.getScale()
