"""Write the drug-free steady state into the model sources, to 9 significant digits.

pathways starts every run from the steady state it computes and sets the `[computed]` `_ref`
values itself, so the Python API does not need this. A user who loads `sbml/*.xml` in plain
libRoadRunner or COPASI gets what the sources say: with 6-digit initial values the steep
steps of the cascade (4th-power spine nucleation, the symptom gain) turn the rounding into a
visible drift of a vehicle run (1.5e-5 in `spine_formation_rel`). This script computes the
human composed model's steady state and rewrites, in every `pathways/models/*.ant`:

- the initial value of each species (`species X in c = v unit;`),
- each `[computed]` `_ref` value, except `symptom_ref` (`fit_symptom --write-ant` owns it),
- each component model's `@inputs` value that is a species of the composed model,

only where the new value refines the old one (within 1e-4 relative): it adds digits, it never
changes a value. Run `pathways build` afterwards.

    python -m pathways.fitting.write_rest_state [--dry-run]
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "models"
DIGITS = 9
_NUMBER = r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?"
_SPECIES = re.compile(rf"^(species\s+(\w+)\s+in\s+\w+\s*=\s*)({_NUMBER})(?=\s)", re.M)
_ASSIGN = re.compile(rf"^((\w+)\s*=\s*)({_NUMBER})(?=\s)", re.M)


def rest_state() -> dict[str, float]:
    """Return {id: value} at the human composed model's drug-free steady state: species
    concentrations (µM), the values of the component models' inputs and the `_ref` values
    pathways computes (model units)."""
    import pathways
    from pathways.readouts import SYMPTOM_REF

    model = pathways.load("ketamine_synaptogenesis")
    inputs = [pid for ant in MODELS.glob("*.ant") for pid in input_ids(ant.read_text("utf-8"))
              if model.has_variable(pid)]
    ids = list(dict.fromkeys([*model._species_ids, *inputs,
                              *(r for r in model._refs.values() if r != SYMPTOM_REF)]))
    row = model.simulate(None, 1.0, points=[0.0, 1.0], variables=ids).iloc[0]
    return {i: float(row[i]) for i in ids}


def input_ids(text: str) -> list[str]:
    """Return the ids a component model's `@inputs` block defines."""
    blocks = re.findall(r"// @inputs begin\n(.*?)// @inputs end", text, flags=re.S)
    return [m.group(2) for block in blocks for m in _ASSIGN.finditer(block)]


def refine(text: str, values: dict[str, float]) -> tuple[str, list[str]]:
    """Return `text` with every species initial value, `_ref` and input value found in
    `values` written to 9 significant digits where it refines the written one, and the list
    of ids changed."""
    changed: list[str] = []

    def sub(match: re.Match, computed_only: bool) -> str:
        head, pid, old = match.group(1), match.group(2), match.group(3)
        if pid not in values:
            return match.group(0)
        line_end = text.find("\n", match.end())
        line = text[match.start(): None if line_end < 0 else line_end]
        if computed_only and pid.endswith("_ref") and "[computed]" not in line:
            return match.group(0)
        new, was = values[pid], float(old)
        if was == 0.0 or abs(new - was) > 1e-4 * abs(was):
            return match.group(0)
        text_new = f"{new:.{DIGITS - 1}e}" if abs(new) < 1e-3 else f"{new:.{DIGITS}g}"
        if float(text_new) == was:
            return match.group(0)
        changed.append(pid)
        return head + text_new

    text = _SPECIES.sub(lambda m: sub(m, False), text)
    text = _ASSIGN.sub(lambda m: sub(m, True), text)
    return text, changed


def main(argv=None) -> None:
    """Write the composed model's drug-free steady state into each component's input defaults
    (or list the changes with --dry-run)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="list the changes only")
    args = parser.parse_args(argv)
    values = rest_state()
    for ant in sorted(MODELS.glob("*.ant")):
        text, changed = refine(ant.read_text(encoding="utf-8"), values)
        if changed:
            print(f"{ant.name}: {len(changed)} value(s): {', '.join(changed)}")
            if not args.dry_run:
                ant.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
