"""Per-species parameter sets. The model sources hold the human values; `<species>.toml`
holds the rat and mouse values, each with unit, kind and source."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PathwaysInputError, choices_message

SPECIES_DIR = Path(__file__).parent / "species"
SPECIES = ("human", "rat", "mouse")
BODY_WEIGHT_KG = {"human": 70.0, "rat": 0.3, "mouse": 0.025}


@dataclass(frozen=True)
class SpeciesOverride:
    """One species-specific parameter value and where it comes from."""

    id: str
    value: float
    unit: str
    kind: str
    source: str


@dataclass(frozen=True)
class SpeciesSet:
    """The parameter values of one species that differ from the human sources."""

    name: str
    body_weight_kg: float
    overrides: dict[str, SpeciesOverride] = field(default_factory=dict)


def check_species(name: str) -> str:
    """Return `name` if it is a known species, else raise PathwaysInputError."""
    if name not in SPECIES:
        raise PathwaysInputError(choices_message("species", name, SPECIES))
    return name


def species_set(name: str) -> SpeciesSet:
    """Return the parameter set of species `name` (human: no overrides)."""
    check_species(name)
    path = SPECIES_DIR / f"{name}.toml"
    if name == "human" or not path.exists():
        return SpeciesSet(name, BODY_WEIGHT_KG[name])
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    overrides = {
        pid: SpeciesOverride(pid, float(v["value"]), v.get("unit", ""), v["kind"], v["source"])
        for pid, v in data.get("parameters", {}).items()
    }
    return SpeciesSet(name, float(data.get("body_weight_kg", BODY_WEIGHT_KG[name])), overrides)
