"""The drugs pathways can dose: their model prefix, molar mass, routes and dose limits.

Molar masses are of the free base (LITERATURE.md unit helper; PubChem for memantine and
midazolam). The dose limit is a sanity bound, not a safety statement: above it a dose is
almost certainly a typing error (e.g. mg entered as µg/kg), so it is rejected.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import PathwaysInputError, choices_message

ROUTES = ("iv", "ip", "im", "sc", "intranasal", "oral")


@dataclass(frozen=True)
class Drug:
    """A dosable drug. `prefix` names its species in the PK model (`{prefix}_central`)."""

    name: str
    prefix: str
    molar_mass_g_per_mol: float
    routes: tuple[str, ...]
    max_dose_mg_per_kg: float
    description: str
    formed_from: tuple[str, ...] = ()    # drugs whose metabolism forms this one in the models

    def micromoles(self, dose_mg: float) -> float:
        """Return the amount in µmol of `dose_mg` milligrams of the free base."""
        return dose_mg / self.molar_mass_g_per_mol * 1000.0


DRUGS: dict[str, Drug] = {
    d.name: d
    for d in (
        Drug("ketamine", "ket", 237.7, ROUTES, 200.0,
             "racemic ketamine (anaesthetic doses in rodents reach 80-150 mg/kg)"),
        Drug("esketamine", "esk", 237.7, ("iv", "im", "sc", "intranasal", "oral"), 200.0,
             "S-ketamine (Spravato intranasal; IV in anaesthesia)"),
        Drug("memantine", "mem", 179.3, ("iv", "ip", "oral"), 100.0,
             "memantine, Mg2+-competitive partially trapping NMDAR blocker"),
        Drug("midazolam", "mdz", 325.8, ("iv", "im", "oral"), 20.0,
             "midazolam, the active placebo of the clinical trials (GABA-A modulator)"),
        Drug("hydroxynorketamine", "hnk", 239.7, ("iv", "ip"), 200.0,
             "(2R,6R)-hydroxynorketamine, the ketamine metabolite, given as itself (weak, "
             "Mg2+-competitive closed-state NMDAR inhibitor in the models)",
             formed_from=("ketamine", "esketamine")),
    )
}


def get_drug(name: str) -> Drug:
    """Return the Drug called `name`, or raise PathwaysInputError listing the known drugs."""
    try:
        return DRUGS[name]
    except (KeyError, TypeError):
        raise PathwaysInputError(choices_message("drug", name, DRUGS)) from None


def undosed_drug_ids(regimen):
    """Return a compiled pattern matching the shipped models' ids that belong to a drug
    `regimen` does not dose (`<prefix>` as a `_`-separated part, e.g. `esk_central`,
    `nmdaB_py_mem`, `K_mdz`), or None when every such drug is dosed. Ketamine's ids are never
    matched: norketamine and the other drugs' potencies are defined through them; nor are a
    metabolite's (hydroxynorketamine's) when a drug that forms it is dosed."""
    import re

    dosed = {d.drug for d in regimen.doses}
    prefixes = [d.prefix for d in DRUGS.values() if d.name != "ketamine" and d.name not in dosed
                and not dosed.intersection(d.formed_from)]
    return re.compile(rf"(^|_)({'|'.join(prefixes)})\d*(_|$)") if prefixes else None

