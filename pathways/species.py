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
    if name == "human":
        return SpeciesSet(name, BODY_WEIGHT_KG[name])
    if not path.exists():                  # a broken installation, not a user error
        raise FileNotFoundError(f"the {name} parameter set {path} is missing; without it "
                                f"the {name} model would silently run on human values")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if not data.get("parameters"):
        raise ValueError(f"{path}: no [parameters] table")
    overrides = {
        pid: SpeciesOverride(pid, float(v["value"]), v.get("unit", ""), v["kind"], v["source"])
        for pid, v in data.get("parameters", {}).items()
    }
    return SpeciesSet(name, float(data.get("body_weight_kg", BODY_WEIGHT_KG[name])), overrides)


def override_problems(name: str) -> list[str]:
    """Return one line per override of species `name` that names no parameter of the composed
    model's sources, or gives a unit other than that parameter's (empty: all good)."""
    from . import sources

    params = sources.parameter_sources(sources.COMPOSED)
    problems = []
    for pid, o in species_set(name).overrides.items():
        if pid not in params:
            problems.append(f"{name}.toml: {pid} is not a parameter of the model sources")
        elif o.unit != params[pid].unit:
            problems.append(f"{name}.toml: {pid} has unit {o.unit!r}, the source has "
                            f"{params[pid].unit!r}")
    return problems
