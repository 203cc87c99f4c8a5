"""The record of fitted parameters, `pathways/data/fits.toml`, shared by every fit script.

Each script owns the entries whose `script` field names it: `update_fits` replaces those and
keeps the others, so fits can be rerun one at a time. `pathways validate` reads this file to
say which LIT rows a fit used (those rows are 'fitted', the rest are predictions).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

FITS = Path(__file__).resolve().parent.parent / "data" / "fits.toml"


def fit_arguments(doc: str, argv=None):
    """Parse a fit script's command line (--help shows `doc`; --write-ant also copies the
    fitted values into the model source; --dry-run prints them and writes nothing)."""
    import argparse

    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-ant", action="store_true",
                        help="also write the fitted values into the Antimony source")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the fitted values; do not update fits.toml")
    return parser.parse_args(argv)


def _round(v: float, digits: int = 4) -> float:
    """Return `v` rounded to `digits` significant digits."""
    return float(f"{v:.{digits}g}")


def update_fits(script: str, entries: dict[str, tuple[float, list[str]]]) -> None:
    """Replace `script`'s entries in fits.toml by {parameter: (value, [LIT rows])}."""
    old = tomllib.loads(FITS.read_text(encoding="utf-8")) if FITS.exists() else {}
    kept = {k: v for k, v in old.items() if v.get("script") != script}
    kept.update({pid: {"rows": rows, "value": _round(v), "script": script}
                 for pid, (v, rows) in entries.items()})
    lines = ["# Written by the scripts in pathways/fitting/; do not edit by hand.", ""]
    for pid, e in kept.items():
        rows = ", ".join(f'"{r}"' for r in e["rows"])
        lines += [f"[{pid}]", f"rows = [{rows}]", f"value = {e['value']}",
                  f'script = "{e["script"]}"', ""]
    FITS.parent.mkdir(parents=True, exist_ok=True)
    tmp = FITS.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(FITS)


def write_ant_value(ant: Path, pid: str, value: float, digits: int = 4) -> None:
    """Write `value`, rounded to `digits` significant digits (a fitted value: 4, as in
    fits.toml), into the `pid = ...` line of the Antimony source `ant`."""
    text, n = re.subn(rf"^({re.escape(pid)} = )[0-9.eE+-]+", rf"\g<1>{_round(value, digits)}",
                      ant.read_text(encoding="utf-8"), flags=re.M)
    if n != 1:
        raise SystemExit(f"could not update {pid} in {ant}")
    ant.write_text(text, encoding="utf-8")
