"""The perturbation and parameter options of `pathways simulate`: `--perturb SPEC` and
`--param ID=VALUE`, parsed field by field (never evaluated) into the Python API's objects.

SPEC is one of
    NAME                        a preset (rapamycin, ana12, lithium, bdnf_met66met, ...)
    NAME@AT_H[,UNTIL_H]         a preset given at another time (hours)
    inhibit:TARGET:FRACTION     removes FRACTION (0-1) of TARGET's activity
    overexpress:TARGET:FOLD     multiplies TARGET's amount or activity by FOLD
    knockout:TARGET             removes TARGET (a genotype: chronic)
    step:PARAMETER:FACTOR@AT_H[,UNTIL_H]   multiplies a model parameter during the run
inhibit and overexpress are chronic unless followed by @AT_H[,UNTIL_H].
"""
from __future__ import annotations

from .errors import PathwaysInputError

SPEC_HELP = ("a perturbation, repeatable: a preset NAME (e.g. rapamycin) or NAME@AT_H; "
             "inhibit:TARGET:FRACTION, overexpress:TARGET:FOLD (chronic, or acute with "
             "@AT_H[,UNTIL_H]); knockout:TARGET; step:PARAMETER:FACTOR@AT_H[,UNTIL_H]. "
             "Times in hours")
KINDS = ("inhibit", "overexpress", "knockout", "step")


def add_perturbation_arguments(parser) -> None:
    """Add --perturb (repeatable) and --param (repeatable) to an argparse parser."""
    parser.add_argument("--perturb", action="append", default=[], metavar="SPEC",
                        help=SPEC_HELP)
    parser.add_argument("--param", action="append", default=[], metavar="ID=VALUE",
                        help="override a model parameter for the run, repeatable (ids: "
                        "Model.parameters; values in the model's units)")


def perturbations_from_args(specs) -> list:
    """Return the Perturbation objects that the --perturb SPECs describe, in order."""
    return [parse_perturbation(s) for s in specs]


def parameters_from_args(items) -> dict[str, float]:
    """Return {id: value} from --param ID=VALUE items (values as floats, model units)."""
    out: dict[str, float] = {}
    for item in items:
        pid, sep, value = item.partition("=")
        pid = pid.strip()
        if not sep or not pid:
            raise PathwaysInputError(f"--param {item!r}: write ID=VALUE, e.g. Mg_ext=0.5")
        if pid in out:
            raise PathwaysInputError(f"--param {pid} given twice")
        out[pid] = _number(value, f"--param {pid}")
    return out


def parse_perturbation(spec: str):
    """Return the Perturbation that one --perturb SPEC describes (see the module docstring);
    raise PathwaysInputError naming the SPEC when it is malformed."""
    from .perturbations import inhibit, knockout, overexpress, step
    from .presets import preset

    text = spec.strip()
    body, at, when = text.partition("@")
    at_h = until_h = None
    if at:
        first, comma, second = when.partition(",")
        at_h = _number(first, f"--perturb {spec!r}: AT_H")
        if comma:
            until_h = _number(second, f"--perturb {spec!r}: UNTIL_H")
    kind, colon, rest = body.partition(":")
    if not colon:                                 # a preset
        if not at:
            return preset(kind)
        return preset(kind, at_h=at_h) if until_h is None else preset(kind, at_h, until_h)
    if kind not in KINDS:
        raise PathwaysInputError(f"--perturb {spec!r}: {kind!r} is not one of "
                                 f"{', '.join(KINDS)} (or write a preset name alone)")
    fields = rest.split(":")
    want = 1 if kind == "knockout" else 2
    if len(fields) != want or not all(f.strip() for f in fields):
        shape = {"inhibit": "inhibit:TARGET:FRACTION", "overexpress": "overexpress:TARGET:FOLD",
                 "knockout": "knockout:TARGET", "step": "step:PARAMETER:FACTOR@AT_H"}[kind]
        raise PathwaysInputError(f"--perturb {spec!r}: write {shape}")
    name = fields[0].strip()
    if kind == "knockout":
        if at:
            raise PathwaysInputError(f"--perturb {spec!r}: a knockout is a genotype "
                                     f"(chronic); for an acute loss write "
                                     f"inhibit:{name}:1@{when}")
        return knockout(name)
    value = _number(fields[1], f"--perturb {spec!r}: {'FACTOR' if kind == 'step' else kind}")
    if kind == "step":
        if not at:
            raise PathwaysInputError(f"--perturb {spec!r}: a step needs @AT_H (hours)")
        return step(name, value, at_h, until_h)
    maker = inhibit if kind == "inhibit" else overexpress
    return maker(name, value, at_h, until_h)


def _number(text: str, what: str) -> float:
    """Return `text` as a float, else raise PathwaysInputError naming `what`."""
    try:
        return float(text.strip())
    except ValueError:
        raise PathwaysInputError(f"{what}: {text.strip()!r} is not a number") from None
