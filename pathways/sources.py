"""Read the model sources: Antimony text, the parameter source comments and the inputs blocks.

A parameter line in a model source looks like
    CL_ket = 79 L_per_h;  // [measured] Kamp 2020 Anesthesiology 133:1192, Table 2
    w_in = 0.8 dimensionless;  // [assumed, fraction] share of ... carried by NMDARs
(`, fraction` marks a share, probability or bioavailability: its value lies in [0, 1], which
inputs and sensitivity ranges respect) and this module turns such lines into
`ParameterSource` records. The Antimony text itself is
the truth for values; the comment is the truth for the source and its kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import PathwaysInputError, choices_message

MODELS_DIR = Path(__file__).parent / "models"
UNITS_FILE = MODELS_DIR / "_units.ant"
COMPONENTS = ("ketamine_pk", "nmda_blockade", "bdnf_trkb", "mtorc1_4ebp", "synaptogenesis")
COMPOSED = "ketamine_synaptogenesis"
KINDS = ("measured", "secondary", "model", "derived", "fitted", "assumed", "computed")

_PARAM_LINE = re.compile(
    r"^\s*(?:const\s+|var\s+)?(?P<id>[A-Za-z_]\w*)\s*=\s*(?P<value>[-+0-9.eE]+)\s*"
    r"(?P<unit>[A-Za-z_]\w*)?\s*;?\s*//\s*\[(?P<kind>[a-z]+)(?:,\s*(?P<domain>fraction))?\]"
    r"\s*(?P<source>.*)$")
_HAS_UNIT = re.compile(r"^\s*(\w+)\s+has\s+(\w+)\s*;?\s*(?://.*)?$", re.M)
_ANY_ASSIGN = re.compile(r"^\s*(?:const\s+|var\s+)?(?P<id>[A-Za-z_]\w*)\s*=\s*[-+0-9.]")
_MODEL_START = re.compile(r"^\s*model\s+\*?\s*(?P<name>\w+)\s*\(\s*\)")


@dataclass(frozen=True)
class ParameterSource:
    """A parameter as written in a model source: value, unit, kind and source text."""

    id: str
    value: float
    unit: str
    kind: str
    source: str
    model: str
    fraction: bool = False       # a share/probability: the value lies in [0, 1]


def model_names() -> list[str]:
    """Return the names of all shipped models, components first, the composed model last."""
    return [*COMPONENTS, COMPOSED]


def source_path(name: str) -> Path:
    """Return the Antimony file of a component model."""
    if name not in COMPONENTS:
        raise PathwaysInputError(choices_message("component model", name, COMPONENTS))
    return MODELS_DIR / f"{name}.ant"


def read_body(name: str) -> str:
    """Return the lines between `model name()` and `end` of a component source."""
    text = source_path(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if _MODEL_START.match(l)), None)
    if start is None or _MODEL_START.match(lines[start]).group("name") != name:
        raise ValueError(f"{source_path(name)}: expected 'model {name}()' as the model header")
    end = max(i for i, l in enumerate(lines) if l.strip() == "end")
    return "\n".join(lines[start + 1:end])


def input_ids(name: str) -> frozenset[str]:
    """Return the ids a component model declares in its `@inputs` block (the quantities the
    upstream module supplies when composed); empty for the composed model."""
    if name == COMPOSED or name not in COMPONENTS:
        return frozenset()
    block = re.search(r"// @inputs begin(.*?)// @inputs end", read_body(name), flags=re.S)
    return frozenset(declared_ids(block.group(1))) if block else frozenset()


def strip_inputs(body: str) -> str:
    """Return `body` without its `// @inputs begin ... // @inputs end` block."""
    return re.sub(r"[ \t]*// @inputs begin.*?// @inputs end[^\n]*\n?", "", body, flags=re.S)


def antimony_text(name: str) -> str:
    """Return the full Antimony text of a model (units inserted; composed bodies joined)."""
    units = UNITS_FILE.read_text(encoding="utf-8")
    if name == COMPOSED:
        parts = [read_body(COMPONENTS[0])]
        parts += [strip_inputs(read_body(c)) for c in COMPONENTS[1:]]
        body = "\n".join(parts)
    else:
        body = read_body(name)
    return f"model {name}()\n{units}\n{body}\nend\n"


_DECL = re.compile(
    r"^\s*(?:(?:const|var)\s+)?(?:species\s+\$?(?P<sp>\w+)|compartment\s+(?P<c>\w+)"
    r"|(?P<r>\w+)\s*:\s*[^=;]*(?:=>|->)|(?P<a>\w+)\s*:=|(?P<p>\w+)\s*=(?!>))")


def declared_ids(body: str) -> set[str]:
    """Return the ids a model body declares (species, compartments, reactions, parameters,
    rule variables); comments and `x.sboTerm`/annotation lines are ignored."""
    out = set()
    for line in body.splitlines():
        code = line.split("//", 1)[0]
        for stmt in code.split(";"):
            m = _DECL.match(stmt)
            if m:
                out.add(next(g for g in m.groups() if g))
    return out


def clashing_ids() -> dict[str, list[str]]:
    """Return {id: [components]} for ids declared by more than one component (inputs blocks
    excluded): composing them would silently merge two different things."""
    seen: dict[str, list[str]] = {}
    for comp in COMPONENTS:
        if not (MODELS_DIR / f"{comp}.ant").exists():
            continue
        for i in declared_ids(strip_inputs(read_body(comp))):
            seen.setdefault(i, []).append(comp)
    return {i: c for i, c in seen.items() if len(c) > 1}


def parameter_sources(name: str) -> dict[str, ParameterSource]:
    """Return the source record of every parameter line of a model, keyed by id.

    Raises ValueError naming the file and line of a parameter without a source comment
    or with an unknown kind.
    """
    components = COMPONENTS if name == COMPOSED else (name,)
    out: dict[str, ParameterSource] = {}
    for comp in components:
        body = read_body(comp)
        if name == COMPOSED and comp != COMPONENTS[0]:
            body = strip_inputs(body)
        for lineno, line in enumerate(body.splitlines(), 2):
            code = line.split("//", 1)[0]
            if not _ANY_ASSIGN.match(code) or ":=" in code or "=>" in code:
                continue
            m = _PARAM_LINE.match(line)
            if m is None or m.group("kind") not in KINDS:
                raise ValueError(f"{comp}.ant:{lineno}: parameter without a '// [kind] source'"
                                 f" comment (kinds: {', '.join(KINDS)}): {line.strip()}")
            pid = m.group("id")
            out[pid] = ParameterSource(pid, float(m.group("value")), m.group("unit") or "",
                                       m.group("kind"), m.group("source").strip(), comp,
                                       m.group("domain") == "fraction")
        for pid, unit in _HAS_UNIT.findall(body):     # `X has unit` on a line of its own
            if pid in out and not out[pid].unit:
                out[pid] = replace(out[pid], unit=unit)
    return out
