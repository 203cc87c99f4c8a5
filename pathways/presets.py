"""Named perturbation presets (drugs used as tools, genotypes). Each is documented with its
source, the dose it stands for and its published pretreatment time."""
from __future__ import annotations

from .errors import PathwaysInputError, choices_message
from .perturbations import Perturbation

# name -> (factors, default at_h (None = chronic), until_h, source)
PRESETS: dict[str, tuple[tuple[tuple[str, float], ...], float | None, float | None, str]] = {}


def preset(name: str, at_h=..., until_h=...) -> Perturbation:
    """Return the preset perturbation `name`, optionally with its timing overridden."""
    if name not in PRESETS:
        raise PathwaysInputError(choices_message("perturbation preset", name, PRESETS)
                                 if PRESETS else f"unknown perturbation preset {name!r}; "
                                 "no presets are defined yet")
    factors, default_at, default_until, _ = PRESETS[name]
    return Perturbation(name, factors, default_at if at_h is ... else at_h,
                        default_until if until_h is ... else until_h)
