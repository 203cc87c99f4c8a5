"""Dosing schedules: `Regimen` (bolus, infusion, repeat, shift, +, none).

A regimen is an immutable, ordered tuple of `Dose` records. It knows nothing about models:
`pathways.model` turns it into amounts added to depot/central species and infusion rates.
Doses are in mg/kg of body weight unless `unit="mg"`; times in hours.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .checks import finite_number, in_range, positive
from .drugs import ROUTES, get_drug
from .errors import PathwaysInputError, choices_message

UNITS = ("mg/kg", "mg")
MAX_TIME_H = 24.0 * 365  # one year: beyond this a schedule is a typing error
MIN_REPEAT_H = 1.0 / 60.0  # one minute: repeats closer than that are one dose
MAX_INFUSION_MIN = 7 * 24 * 60.0
MIN_INFUSION_MIN = 1.0   # shorter is a bolus: give it as Regimen.bolus(dose, "iv")


@dataclass(frozen=True)
class Dose:
    """One administration: `amount` in `unit`, starting at `at_h` hours.

    `route` is one of ROUTES; an IV infusion has route "iv" and `duration_h` > 0.
    """

    drug: str
    route: str
    amount: float
    unit: str
    at_h: float
    duration_h: float = 0.0

    @property
    def is_infusion(self) -> bool:
        """True when the dose is given over a positive duration (an IV infusion)."""
        return self.duration_h > 0.0

    def amount_mg(self, body_weight_kg: float) -> float:
        """Return the dose in mg for a subject of `body_weight_kg`."""
        return self.amount * body_weight_kg if self.unit == "mg/kg" else self.amount

    def describe(self) -> str:
        """Return a one-line description: drug, amount and unit, route (or infusion minutes)
        and time in h."""
        how = f"iv over {self.duration_h * 60:g} min" if self.is_infusion else self.route
        return f"{self.drug} {self.amount:g} {self.unit} {how} at {self.at_h:g} h"


class Regimen:
    """A dosing schedule. Build with the class methods; combine with `+`.

    >>> r = Regimen.infusion(0.5, minutes=40) + Regimen.bolus(10, "ip", at_h=24)
    >>> len(r.doses)
    2
    """

    __slots__ = ("doses",)

    def __init__(self, doses=()):
        if isinstance(doses, Dose):
            doses = (doses,)
        elif isinstance(doses, Regimen):
            doses = doses.doses
        try:
            doses = list(doses)
        except TypeError:
            raise PathwaysInputError(f"a Regimen holds Dose records (build it with "
                                     f"Regimen.bolus/infusion), got {type(doses).__name__}"
                                     ) from None
        # a full sort key: the same schedule is the same Regimen whatever the order given
        self.doses: tuple[Dose, ...] = tuple(sorted(
            (_checked(d) for d in doses),
            key=lambda d: (d.at_h, d.drug, d.route, d.duration_h, d.unit, d.amount)))

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def none(cls) -> "Regimen":
        """Return the empty regimen (vehicle)."""
        return cls(())

    @classmethod
    def bolus(cls, dose, route, drug="ketamine", at_h=0.0, unit="mg/kg") -> "Regimen":
        """Return a single bolus of `dose` (`unit`) by `route` at `at_h` hours."""
        return cls((_make_dose(drug, route, dose, unit, at_h, 0.0),))

    @classmethod
    def infusion(cls, dose, minutes, drug="ketamine", at_h=0.0, unit="mg/kg") -> "Regimen":
        """Return a constant-rate IV infusion of `dose` (`unit`) over `minutes`, from `at_h` h."""
        minutes = in_range(minutes, "infusion duration", MIN_INFUSION_MIN, MAX_INFUSION_MIN, "min")
        return cls((_make_dose(drug, "iv", dose, unit, at_h, minutes / 60.0),))

    @classmethod
    def repeat(cls, regimen: "Regimen", every_h, times) -> "Regimen":
        """Return `regimen` given `times` times, `every_h` hours apart."""
        _require_regimen(regimen)
        every_h = positive(every_h, "repeat interval every_h", "h", MAX_TIME_H)
        if every_h < MIN_REPEAT_H:
            raise PathwaysInputError(f"repeat interval every_h must be at least 1 min "
                                     f"({MIN_REPEAT_H:.4g} h), got {every_h:g} h: doses "
                                     "closer than that are one dose (give it as one)")
        if (isinstance(times, (bool, np.bool_)) or not isinstance(times, (int, np.integer))
                or not 1 <= times <= 1000):
            raise PathwaysInputError(f"times must be an integer in [1, 1000], got {times!r}")
        times = int(times)
        doses = []
        for i in range(times):
            doses.extend(regimen.shift(i * every_h).doses)
        return cls(doses)

    @classmethod
    def on_days(cls, regimen: "Regimen", days) -> "Regimen":
        """Return `regimen` given on each of the study `days` (integers; day 1 is time 0, so
        day d starts 24·(d − 1) h later), the way trials publish their schedules."""
        _require_regimen(regimen)
        given = days
        days = (None if isinstance(days, (str, bytes)) or not hasattr(days, "__iter__")
                else list(days))                  # read once: an iterator is used up by it
        if not days:
            raise PathwaysInputError(f"days must be a non-empty list of study days, got "
                                     f"{given!r}")
        bad = [d for d in days if isinstance(d, (bool, np.bool_))
               or not isinstance(d, (int, np.integer)) or d < 1]
        if bad:
            raise PathwaysInputError(f"study days are integers from 1 (day 1 = time 0), got "
                                     f"{bad[0]!r}")
        if len(set(days)) != len(days):
            twice = sorted(d for d in set(days) if days.count(d) > 1)[0]
            raise PathwaysInputError(f"study day {twice} is listed twice: give a larger dose "
                                     "once, or the regimen with both doses")
        return cls([d for day in sorted(days) for d in regimen.shift(24.0 * (day - 1)).doses])

    # -- combinators --------------------------------------------------------------------
    def shift(self, hours) -> "Regimen":
        """Return this regimen with every dose moved by `hours`."""
        hours = finite_number(hours, "shift", "h")
        return Regimen(replace(d, at_h=_check_time(d.at_h + hours)) for d in self.doses)

    def __add__(self, other: "Regimen") -> "Regimen":
        _require_regimen(other)
        return Regimen(self.doses + other.doses)

    def __radd__(self, other) -> "Regimen":
        """`sum(regimens)` starts from 0: 0 + r is r; anything else must be a Regimen."""
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        _require_regimen(other)
        return Regimen(other.doses + self.doses)

    def __eq__(self, other) -> bool:
        return isinstance(other, Regimen) and self.doses == other.doses

    def __hash__(self) -> int:
        return hash(self.doses)

    def __len__(self) -> int:
        return len(self.doses)

    def __repr__(self) -> str:
        if not self.doses:
            return "Regimen.none()"
        return "Regimen(" + "; ".join(d.describe() for d in self.doses) + ")"

    @property
    def start_h(self) -> float:
        """Time of the first dose in hours (0 for an empty regimen)."""
        return min((d.at_h for d in self.doses), default=0.0)

    def check_overlaps(self) -> None:
        """Raise if two infusions of the same drug overlap in time (one pump per drug)."""
        infusions = sorted((d for d in self.doses if d.is_infusion),
                           key=lambda d: (d.drug, d.at_h))
        for a, b in zip(infusions, infusions[1:]):
            if a.drug == b.drug and b.at_h < a.at_h + a.duration_h - 1e-12:
                raise PathwaysInputError(
                    f"overlapping {a.drug} infusions: one starts at {b.at_h:g} h while the "
                    f"previous runs until {a.at_h + a.duration_h:g} h")


def _make_dose(drug, route, dose, unit, at_h, duration_h) -> Dose:
    d = get_drug(drug)
    if route not in ROUTES:
        raise PathwaysInputError(choices_message("route", route, ROUTES))
    if route not in d.routes:
        raise PathwaysInputError(
            f"{d.name} is not given by route {route!r}; its routes: {', '.join(d.routes)}")
    if unit not in UNITS:
        raise PathwaysInputError(choices_message("dose unit", unit, UNITS))
    limit = d.max_dose_mg_per_kg if unit == "mg/kg" else d.max_dose_mg_per_kg * 150.0
    dose = positive(dose, f"{d.name} dose", unit, limit)
    return Dose(d.name, route, dose, unit, _check_time(at_h), duration_h)


def _checked(d) -> Dose:
    """Return `d` if it is a valid Dose (as the constructors would make it), else raise."""
    if not isinstance(d, Dose):
        raise PathwaysInputError(f"a Regimen holds Dose records (build it with "
                                 f"Regimen.bolus/infusion), got {type(d).__name__}")
    duration_h = finite_number(d.duration_h, "infusion duration_h", "h")
    if duration_h:
        if d.route != "iv":
            raise PathwaysInputError(f"an infusion is intravenous, got route {d.route!r}")
        in_range(d.duration_h * 60.0, "infusion duration", MIN_INFUSION_MIN, MAX_INFUSION_MIN,
                 "min")
    made = _make_dose(d.drug, d.route, d.amount, d.unit, d.at_h, d.duration_h)
    return d if made == d else made


def _check_time(at_h) -> float:
    return in_range(at_h, "dose time at_h", -MAX_TIME_H, MAX_TIME_H, "h")


def _require_regimen(value) -> None:
    if not isinstance(value, Regimen):
        raise PathwaysInputError(f"expected a Regimen, got {type(value).__name__}")
