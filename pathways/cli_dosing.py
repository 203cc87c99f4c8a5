"""The dose options shared by the commands that simulate (`simulate`, `sensitivity`):
their arguments and the Regimen they describe."""
from __future__ import annotations

from .drugs import DRUGS
from .errors import PathwaysInputError


def add_dose_arguments(parser, repeat: bool = True) -> None:
    """Add --drug, --dose, --unit, --route, --minutes, --at-h (and --repeat-every, --times)."""
    parser.add_argument("--drug", default=None, help=", ".join(DRUGS) + " (default ketamine)")
    parser.add_argument("--dose", type=float, default=None,
                        help="dose (mg/kg unless --unit mg); omit for vehicle")
    parser.add_argument("--unit", default=None, help="mg/kg (default) or mg")
    parser.add_argument("--route", default=None, help="iv, ip, im, sc, intranasal or oral")
    parser.add_argument("--minutes", type=float, default=None,
                        help="infusion duration in minutes (IV infusion)")
    parser.add_argument("--at-h", type=float, default=None,
                        help="time of the dose in hours (default 0; a negative time "
                             "in exponent form needs '=': --at-h=-1e3)")
    if repeat:
        parser.add_argument("--repeat-every", type=float, default=None,
                            help="repeat interval in hours")
        parser.add_argument("--times", type=int, default=None, dest="repeat_times",
                            help="number of doses when repeating (with --repeat-every)")


def regimen_from_args(args):
    """Return the Regimen the dose options describe (vehicle without --dose)."""
    from .drugs import get_drug
    from .regimen import UNITS, Regimen
    from .errors import choices_message
    drug = "ketamine" if args.drug is None else args.drug
    unit = "mg/kg" if args.unit is None else args.unit
    get_drug(drug)                            # an unknown drug is an error, dose or not
    if unit not in UNITS:
        raise PathwaysInputError(choices_message("dose unit", unit, UNITS))
    if args.dose is None:
        if (args.minutes is not None or args.route is not None or args.at_h is not None
                or args.drug is not None or args.unit is not None
                or getattr(args, "repeat_every", None) is not None
                or getattr(args, "repeat_times", None) is not None):
            raise PathwaysInputError("--drug/--unit/--minutes/--route/--at-h/--repeat-every/"
                                     "--times need --dose")
        return Regimen.none()
    at_h = 0.0 if args.at_h is None else args.at_h
    if args.minutes is not None:
        if args.route not in (None, "iv"):
            raise PathwaysInputError("--minutes makes an IV infusion; drop --route or use "
                                     "--route iv")
        reg = Regimen.infusion(args.dose, args.minutes, drug=drug, at_h=at_h,
                               unit=unit)
    else:
        if args.route is None:
            raise PathwaysInputError("--route is required for a bolus (or give --minutes for "
                                     "an IV infusion)")
        reg = Regimen.bolus(args.dose, args.route, drug=drug, at_h=at_h,
                            unit=unit)
    every, times = getattr(args, "repeat_every", None), getattr(args, "repeat_times", None)
    if every is None and times is None:
        return reg
    if every is None:
        raise PathwaysInputError("--times needs --repeat-every (the interval in hours)")
    if times is None:
        raise PathwaysInputError("--repeat-every needs --times (the number of doses)")
    return Regimen.repeat(reg, every, times)
