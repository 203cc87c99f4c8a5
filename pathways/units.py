"""SBML unit ids written for people (`L_per_h` -> L/h), for tables, reports and messages."""
from __future__ import annotations

_UNIT_WORDS = {"litre": "L", "dimensionless": "1"}
_MICRO = ("g", "L", "l", "mol", "M", "m", "s")      # u- before these is micro (uM -> µM)


def readable_unit(unit_id: str) -> str:
    """Return an SBML unit id as a unit written for people: `L_per_h` -> L/h, `per_h` -> 1/h,
    `per_uM_per_h` -> 1/(µM·h), `uM` -> µM, `ug_per_mL` -> µg/mL; an id whose parts are not
    all there (`per_`, `a__per_b`) is returned as it is."""
    def word(w: str) -> str:
        if w in _UNIT_WORDS:
            return _UNIT_WORDS[w]
        return "µ" + w[1:] if w[:1] == "u" and w[1:] in _MICRO else w
    if unit_id.startswith("per_"):
        numerator, denominators = "1", unit_id[4:].split("_per_")
    elif "_per_" in unit_id:
        numerator, *denominators = unit_id.split("_per_")
    else:
        return word(unit_id)
    if not numerator or not all(denominators):
        return unit_id
    below = "·".join(word(d) for d in denominators)
    return f"{word(numerator)}/{f'({below})' if len(denominators) > 1 else below}"
