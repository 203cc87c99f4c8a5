"""Perturbations: inhibit / knockout / overexpress a target, as changes of its `_scale` handle.

Each target of CONTRACT.md is a dimensionless multiplier `<target>_scale` in the model sources
(docs/conventions.md says what each multiplies). A perturbation with `at_h=None` is chronic
(a genotype or long treatment): it is applied before the pre-dose steady state is computed.
With a number it is acute: the change starts at `at_h` hours and lasts until `until_h`.
Perturbations compose: factors on the same parameter multiply (chronic x acute included), so
`["lithium", inhibit("GSK3B", 0.5)]` leaves 0.5 x 0.5 = 25% of GSK-3beta activity.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .checks import in_range, positive
from .errors import PathwaysInputError, choices_message
from .regimen import MAX_TIME_H

TARGETS = ("NMDAR", "NMDAR_in", "NMDAR_py_rest", "AMPAR", "GABAAR", "LVDCC", "eEF2K",
           "NMDAR_eEF2K", "BDNF", "BDNF_release", "TrkB", "PI3K", "Akt", "ERK", "TSC2", "Rheb",
           "mTORC1", "EIF4EBP", "eIF4E", "S6K", "GSK3B", "protein_synthesis")
MAX_FOLD = 100.0
KNOCKOUT_RESIDUAL = 1e-9     # a knockout (factor 0) keeps 1e-9 of the activity: species then
                             # settle near 1e-9 of wild type instead of decaying towards
                             # subnormal floats, where CVODE stalls; no readout can tell the two


def acting_factor(factor: float) -> float:
    """Return the factor a perturbation applies to its parameter: `factor`, but at least
    KNOCKOUT_RESIDUAL (a knockout's 0 acts as 1e-9)."""
    return max(factor, KNOCKOUT_RESIDUAL)


@dataclass(frozen=True)
class Perturbation:
    """Multiply each parameter in `factors` by its factor, chronically or from at_h to until_h."""

    name: str
    factors: tuple[tuple[str, float], ...]
    at_h: float | None = None
    until_h: float | None = None
    is_step: bool = False       # made by step(): any parameter, checked by the model

    @property
    def chronic(self) -> bool:
        """True when the perturbation has no onset (at_h is None): it applies before the
        pre-dose steady state."""
        return self.at_h is None

    def describe(self) -> str:
        """Return a one-line description: the name and when it acts (chronic, or from/to in h)."""
        when = "chronic" if self.chronic else f"from {self.at_h:g} h" + (
            f" to {self.until_h:g} h" if self.until_h is not None else "")
        return f"{self.name} ({when})"


def scale_parameter(target: str) -> str:
    """Return the model parameter id that a target's perturbations change."""
    if target not in TARGETS:
        raise PathwaysInputError(choices_message("perturbation target", target, TARGETS))
    return f"{target}_scale"


def inhibit(target: str, fraction, at_h=None, until_h=None) -> Perturbation:
    """Return a perturbation that removes `fraction` (0-1) of the target's activity."""
    fraction = in_range(fraction, "inhibition fraction", 0.0, 1.0)
    return _make(f"inhibit({target}, {fraction:g})", target, 1.0 - fraction, at_h, until_h)


def knockout(target: str) -> Perturbation:
    """Return a chronic perturbation that removes the target entirely (genotype)."""
    return _make(f"knockout({target})", target, 0.0, None, None)


def overexpress(target: str, fold, at_h=None, until_h=None) -> Perturbation:
    """Return a perturbation that multiplies the target's amount or activity by `fold` (> 0)."""
    fold = positive(fold, "overexpression fold", "fold of wild type", MAX_FOLD)
    return _make(f"overexpress({target}, {fold:g})", target, fold, at_h, until_h)


def step(parameter: str, factor, at_h, until_h=None) -> Perturbation:
    """Return an acute change that multiplies the model parameter `parameter` by `factor`
    (0 to 100) from `at_h` to `until_h` hours (None: to the end of the run).

    For protocols that change an input during a run, e.g. washing a drug out of a component
    model alone (`step("ket_brain_u", 0, at_h=0)` after `parameters={"ket_brain_u": 1.0}`)
    or closing its channels (`step("Po_rest_in", 0, ...)`). The parameter must be an
    independent parameter of the model simulated (`Model.parameters`; checked when it runs);
    a fraction (`Model.fractions`) may only be lowered; a parameter that is 0 in the run, or
    that only initial assignments read (a conserved total), is refused, since a step could
    not change anything. The change is multiplicative: a negative value (a membrane
    potential) keeps its sign, so `step("V_in", 0.5, ...)` depolarises -50 mV to -25 mV.
    A factor of 0 keeps 1e-9 of the value, as a knockout does."""
    if not isinstance(parameter, str) or not parameter:
        raise PathwaysInputError(f"step: the parameter is a model parameter id (a string), "
                                 f"got {parameter!r}")
    factor = in_range(factor, "step factor", 0.0, MAX_FOLD, "fold")
    if at_h is None:
        raise PathwaysInputError("step: at_h is required (a step is acute; for a change over "
                                 "the whole run use parameters={...})")
    return replace(_make(f"step({parameter}, {factor:g})", None, factor, at_h, until_h,
                         param=parameter, what="step"), is_step=True)


def _make(name, target, factor, at_h, until_h, param=None, what="perturbation") -> Perturbation:
    param = param or scale_parameter(target)
    if at_h is not None:
        at_h = check_time(at_h, f"{what} at_h")
    if until_h is not None:
        if at_h is None:
            raise PathwaysInputError("until_h needs at_h: a chronic perturbation has no end")
        until_h = check_time(until_h, f"{what} until_h")
        if until_h <= at_h:
            raise PathwaysInputError(f"{name}: until_h ({until_h:g} h) must be after at_h "
                                     f"({at_h:g} h)")
    return Perturbation(name, ((param, factor),), at_h, until_h)


def check_time(value, what: str) -> float:
    """Return `value` as a time in hours within ±1 year (as dose times), else raise."""
    return in_range(value, what, -MAX_TIME_H, MAX_TIME_H, "h")


def resolve(perturbations) -> tuple[Perturbation, ...]:
    """Return a tuple of Perturbation from a list of Perturbation objects or preset names."""
    if perturbations is None:
        perturbations = ()
    if isinstance(perturbations, (str, Perturbation)):
        perturbations = [perturbations]
    if isinstance(perturbations, Mapping):
        raise PathwaysInputError(
            "perturbations must be a preset name, a Perturbation or a list of them, not a "
            "mapping; to change a preset's timing use pathways.preset(name, at_h=...)")
    try:
        items = list(perturbations)
    except TypeError:
        raise PathwaysInputError(
            "perturbations must be a preset name, a Perturbation or a list of them, got "
            f"{type(perturbations).__name__}") from None
    out = []
    for p in items:
        if isinstance(p, str):
            from .presets import preset
            p = preset(p)
        if not isinstance(p, Perturbation):
            raise PathwaysInputError(
                f"a perturbation must be a preset name or built by inhibit/knockout/overexpress/"
                f"preset, got {type(p).__name__}")
        out.append(p)
    from .presets import PRESETS
    # a preset twice is an error; a generic perturbation may recur at other times
    keys = [p.name if p.name in PRESETS else p for p in out]
    dupes = sorted({p.name for p, k in zip(out, keys) if keys.count(k) > 1})
    if dupes:
        raise PathwaysInputError(f"perturbation given twice: {', '.join(dupes)}")
    # two genotypes of one gene (e.g. bdnf_val66met and bdnf_met66met) cannot coexist
    genotypes: dict[str, str] = {}
    for p in out:
        if p.name in PRESETS and PRESETS[p.name].genotype:
            for param, _ in p.factors:
                other = genotypes.setdefault(param, p.name)
                if other != p.name:
                    raise PathwaysInputError(f"{other} and {p.name} are two genotypes of the "
                                             f"same gene ({param}); give one")
    return tuple(out)

