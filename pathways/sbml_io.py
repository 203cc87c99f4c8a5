"""Read SBML from files or text that nobody vouched for.

`read_sbml` is the one door through which outside SBML enters pathways (the graph view uses it).
It refuses, with a one-line `PathwaysInputError`, anything that is not a valid SBML document:

1. **Before any SBML parser sees the data** the raw bytes are checked: size (at most
   `MAX_SBML_BYTES`), encoding (SBML must be UTF-8), well-formed XML (Python's expat, with every
   handler that could fetch or expand something refused), no ``<!DOCTYPE``/``<!ENTITY``
   declarations (which is what entity expansion "billion laughs" and external entities / XXE
   need), element nesting at most `MAX_XML_DEPTH` deep and math at most `MAX_MATH_DEPTH`
   deep (libSBML crashes, or validates for minutes, on very deep or very wide math), root
   element ``<sbml>`` with a level of 1, 2 or 3.
2. libSBML then parses the same text (`readSBMLFromString`, never a path: libSBML would also
   open .gz/.zip files) and runs `checkConsistency()` with the unit and modelling-practice checks
   on (off for models above `MAX_ELEMENTS_FULL_CHECKS` elements or `MAX_MATH_NODES_FULL_CHECKS`
   MathML elements: they only warn, and their cost grows faster than the model). Only severity
   Error or Fatal rejects the file; warnings stay in the document's error log and
   `sbml_warnings(doc)` lists them.
3. A model that uses the ``comp`` package is flattened with libSBML's comp flattening converter.
   External model files are resolved relative to the folder of the file being read, must lie
   inside that folder (sub-folders allowed), and go through step 1 themselves before libSBML
   opens them. SBML given as text cannot use external model files. Before flattening, the
   size of the flattened model is counted from the submodel tree: more than
   `MAX_FLAT_ELEMENTS` elements (nested submodels multiply) or a model definition that
   contains itself is refused.

A valid document without species (or, in Level 3 Version 2, without a model) is accepted.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.parsers import expat

from .errors import PathwaysInputError

MAX_SBML_BYTES = 50 * 1024 * 1024
"""Largest SBML file (bytes) `read_sbml` accepts; the largest BioModels files are ~30 MB."""

MAX_XML_DEPTH = 400
"""Deepest element nesting accepted. Real SBML stays under ~60; libSBML segfaults on
MathML nested ~10,000 deep, and recursion in any AST walker fails long before that."""

MAX_MATH_DEPTH = 500
"""Largest nesting of one math expression, counted the way libSBML stores it (an n-ary
``<apply>`` with n arguments counts n levels: libSBML nests it as binary operations). The
largest in the SBML Test Suite and BioModels files here is 103. libSBML's checkConsistency
takes time that grows faster than quadratically with it (0.4 s at 500, 70 s at 5,000) and
crashes near 10,000; Level 1 formula strings are bounded by their operator count."""

MAX_COMP_DEPTH = 16
"""How many levels of comp external model files may reference each other."""

MAX_FLAT_ELEMENTS = 200_000
"""Most model elements (compartments, species, parameters, reactions, rules, events, ...) a
comp model may have once flattened. Submodels multiply: ten model definitions that each hold
ten copies of the one below flatten to 10^10 copies from a 3 kB file, so the count is worked
out from the submodel tree before libSBML flattens anything. BioModels' largest models hold a
few tens of thousands of elements."""

#: Above this many model elements libSBML's unit and modelling-practice checks (warnings
#: only) are skipped; the checks that find errors always run.
MAX_ELEMENTS_FULL_CHECKS = 5_000
#: ... and above this many MathML elements: libSBML's unit check grows with the size and depth
#: of the math (400 assignment rules nested 240 deep, 3 MB: 92 s with it, 1.5 s without).
MAX_MATH_NODES_FULL_CHECKS = 50_000

_TEXT_NAME = "<SBML text>"
_ENCODING_RE = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_MATHML = "http://www.w3.org/1998/Math/MathML "
_FORMULA_OPS = re.compile(r"[-+*/^(,]")


@dataclass(frozen=True)
class SBMLIssue:
    """One entry of libSBML's error log (used for warnings, which never reject a file)."""

    line: int
    error_id: int
    severity: str      # "warning" or "info" (errors reject the file instead)
    category: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: [{self.error_id}] {self.message}"


class _Reject(Exception):
    """Internal: the raw check failed; the argument is the reason (one line)."""


def read_sbml(path_or_text, *, source_name: str | None = None):
    """Return the libSBML document for untrusted SBML, flattened if it uses ``comp``.

    `path_or_text` is a path (str or os.PathLike), SBML text (a str that starts with ``<`` or
    spans several lines) or bytes. `source_name` names the input in error messages (default:
    the file path, or ``<SBML text>``). Raises `PathwaysInputError` if the input is not a valid
    SBML document (see the module docstring for every check).
    """
    import libsbml

    data, name, folder = _read_input(path_or_text, source_name)
    try:
        text, math_nodes = _check_raw(data)
    except _Reject as e:
        raise PathwaysInputError(f"{name}: {e}") from None

    doc = libsbml.readSBMLFromString(text)
    if folder is not None:
        doc.setLocationURI(folder.as_uri() + "/")
    _raise_on_errors(doc, name)
    if doc.getLevel() not in (1, 2, 3):
        raise PathwaysInputError(f"{name}: SBML level {doc.getLevel()} is not supported; "
                                 "levels 1-3 are")
    uses_comp = doc.getPlugin("comp") is not None and doc.isPackageEnabled("comp")
    if uses_comp:
        external: dict = {}
        _check_external_models(doc, name, folder, external, 0)
        elements = _check_flat_size(doc, name, folder, external)   # as flattened
    # unit and modelling-practice checks only report warnings, and their cost grows faster
    # than the model (a 15,000-species chain: 35 s with them): skipped for large models
    full = (elements if uses_comp else _element_count(doc.getModel())) \
        <= MAX_ELEMENTS_FULL_CHECKS and math_nodes <= MAX_MATH_NODES_FULL_CHECKS
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, full)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_MODELING_PRACTICE, full)
    doc.checkConsistency()
    _raise_on_errors(doc, name)
    if uses_comp:
        _flatten(doc, name, folder)
    return doc


def sbml_warnings(doc) -> list[SBMLIssue]:
    """Return the warnings (and infos) libSBML logged for `doc`: reported, never fatal."""
    import libsbml

    log = doc.getErrorLog()
    out = []
    for i in range(log.getNumErrors()):
        err = log.getError(i)
        if err.getSeverity() < libsbml.LIBSBML_SEV_ERROR:
            sev = "warning" if err.getSeverity() == libsbml.LIBSBML_SEV_WARNING else "info"
            out.append(SBMLIssue(err.getLine(), err.getErrorId(), sev,
                                 err.getCategoryAsString(), _one_line(err.getMessage())))
    return out


# ----------------------------------------------------------------------------- raw checks

def _read_input(path_or_text, source_name):
    """Return (bytes, display name, folder or None) for a path, SBML text or bytes."""
    if isinstance(path_or_text, (bytes, bytearray)):
        return bytes(path_or_text), source_name or _TEXT_NAME, None
    if isinstance(path_or_text, str) and (path_or_text.lstrip().startswith("<")
                                          or "\n" in path_or_text):
        return path_or_text.encode("utf-8", "surrogatepass"), source_name or _TEXT_NAME, None
    if not isinstance(path_or_text, (str, os.PathLike)):
        raise PathwaysInputError(f"expected an SBML path, SBML text or bytes, "
                                 f"got {type(path_or_text).__name__}")
    path = Path(path_or_text)
    name = source_name or str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PathwaysInputError(f"{name}: not a regular file")
        if size > MAX_SBML_BYTES:
            raise PathwaysInputError(_too_big(name, size))
        with path.open("rb") as fh:
            data = fh.read(MAX_SBML_BYTES + 1)   # the file may grow after stat()
    except FileNotFoundError:
        raise PathwaysInputError(f"{name}: no such file") from None
    except OSError as e:
        raise PathwaysInputError(f"{name}: cannot read: {e.strerror or e}") from None
    return data, name, path.resolve().parent


def _too_big(name: str, size: int) -> str:
    return (f"{name}: {size} bytes is larger than the limit "
            f"pathways.sbml_io.MAX_SBML_BYTES = {MAX_SBML_BYTES} bytes")


def _check_raw(data: bytes) -> tuple[str, int]:
    """Return (`data` as text, its number of MathML elements) if it is safe to hand to
    libSBML; raise _Reject otherwise."""
    if len(data) > MAX_SBML_BYTES:
        raise _Reject(_too_big("input", len(data)).split(": ", 1)[1])
    if not data.strip():
        raise _Reject("empty file, not SBML")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise _Reject("not UTF-8 (UTF-16/32 or binary data); SBML must be UTF-8 XML")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Reject(f"not UTF-8 text (invalid byte at offset {e.start}); "
                      "SBML must be UTF-8 XML") from None
    if not text.lstrip().startswith("<"):
        raise _Reject("not XML (does not start with '<')")
    m = _ENCODING_RE.match(text)
    if m and m.group(1).lower() not in _UTF8_NAMES:
        raise _Reject(f"declares encoding {m.group(1)!r}; SBML must be UTF-8")
    return text, _check_xml(data)


def _check_xml(data: bytes) -> int:
    """Parse `data` with expat, refusing DTDs and entities; check depth and the root; return
    the number of MathML elements."""
    parser = expat.ParserCreate("utf-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = {"depth": 0, "root": None, "math": 0}
    # Per open element: [deepest math height among its children, number of children].
    # A MathML element's height is that of its deepest child plus its number of operands
    # (children; for <apply>, minus the operator), an upper bound of its depth once libSBML
    # has nested n-ary operators as binary ones.
    heights: list[list[int]] = [[0, 0]]

    def refuse(what):
        def handler(*_args):
            raise _Reject(f"XML contains {what}, which SBML never needs "
                          "(refused: entity expansion / external entities)")
        return handler

    def start(tag, attrs):
        state["depth"] += 1
        state["math"] += tag.startswith(_MATHML)
        heights[-1][1] += 1
        heights.append([0, 0])
        formula = attrs.get("formula")         # Level 1 infix math
        if formula is not None and len(_FORMULA_OPS.findall(formula)) + 1 > MAX_MATH_DEPTH:
            raise _Reject(f"a formula is more deeply nested than pathways.sbml_io."
                          f"MAX_MATH_DEPTH = {MAX_MATH_DEPTH} allows")
        if state["depth"] > MAX_XML_DEPTH:
            raise _Reject(f"XML nested deeper than pathways.sbml_io.MAX_XML_DEPTH = "
                          f"{MAX_XML_DEPTH} elements")
        if state["root"] is None:
            state["root"] = tag
            local = tag.rsplit(" ", 1)[-1]
            if local != "sbml":
                raise _Reject(f"not SBML: the root element is <{local}>, not <sbml>")
            level = attrs.get("level")
            if level is not None and level.strip() not in ("1", "2", "3"):
                raise _Reject(f"SBML level {level!r} is not supported; levels 1-3 are")

    def end(tag):
        state["depth"] -= 1
        deepest, children = heights.pop()
        if tag.startswith(_MATHML):
            operands = children - 1 if tag == _MATHML + "apply" else children
            height = deepest + max(operands, 1)
            if height > MAX_MATH_DEPTH:
                raise _Reject(f"math nested deeper than pathways.sbml_io.MAX_MATH_DEPTH = "
                              f"{MAX_MATH_DEPTH} (counting each argument of an n-ary operator)")
            if heights[-1][0] < height:
                heights[-1][0] = height

    parser.StartDoctypeDeclHandler = refuse("a DOCTYPE declaration")
    parser.EntityDeclHandler = refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = refuse("an entity declaration")
    parser.NotationDeclHandler = refuse("a notation declaration")
    parser.ExternalEntityRefHandler = refuse("an external entity reference")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise _Reject(f"not well-formed XML: line {e.lineno}: "
                      f"{expat.ErrorString(e.code)}") from None
    except RecursionError:   # pragma: no cover - expat does not recurse in Python
        raise _Reject("XML nested too deeply") from None
    if state["root"] is None:
        raise _Reject("not SBML: no root element")
    return state["math"]


# ----------------------------------------------------------------------------- libSBML

def _one_line(msg: str) -> str:
    return " ".join(msg.split())


def _raise_on_errors(doc, name: str) -> None:
    import libsbml

    log = doc.getErrorLog()
    errors = [log.getError(i) for i in range(log.getNumErrors())
              if log.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if not errors:
        return
    first = errors[0]
    more = len(errors) - 1
    tail = f" (and {more} more error{'s' if more != 1 else ''})" if more else ""
    raise PathwaysInputError(f"{name}: line {first.getLine()}: [{first.getErrorId()}] "
                             f"{_one_line(first.getMessage())}{tail}")


def _check_external_models(doc, name: str, folder: Path | None, seen: dict,
                           depth: int) -> None:
    """Refuse comp external model files outside `folder`, or that fail the raw checks; record
    each file read in `seen` (resolved path -> libSBML document)."""
    plugin = doc.getPlugin("comp")
    if plugin is None or not hasattr(plugin, "getNumExternalModelDefinitions"):
        return
    if depth > MAX_COMP_DEPTH:
        raise PathwaysInputError(f"{name}: comp external models nested deeper than "
                                 f"pathways.sbml_io.MAX_COMP_DEPTH = {MAX_COMP_DEPTH}")
    for i in range(plugin.getNumExternalModelDefinitions()):
        source = plugin.getExternalModelDefinition(i).getSource()
        if folder is None:
            raise PathwaysInputError(f"{name}: uses the comp external model file {source!r}; "
                                     "read it from a file so the path can be resolved")
        path = _resolve_external(source, folder, name)
        key = str(path)
        if key in seen:
            continue
        seen[key] = None
        try:
            size = path.stat().st_size
        except OSError:
            raise PathwaysInputError(f"{name}: comp external model file {source!r} "
                                     "not found") from None
        if not path.is_file():
            raise PathwaysInputError(f"{name}: comp external model {source!r} is not a "
                                     "regular file")
        if size > MAX_SBML_BYTES:
            raise PathwaysInputError(_too_big(f"{name}: external model {source!r}", size))
        try:
            text, _ = _check_raw(path.read_bytes())
        except _Reject as e:
            raise PathwaysInputError(f"{name}: external model {source!r}: {e}") from None
        import libsbml
        sub = libsbml.readSBMLFromString(text)
        _raise_on_errors(sub, f"{name}: external model {source!r}")
        seen[key] = sub
        _check_external_models(sub, name, path.parent, seen, depth + 1)


_ELEMENT_LISTS = ("Compartments", "Species", "Parameters", "Reactions", "Rules", "Events",
                  "InitialAssignments", "Constraints", "FunctionDefinitions")


def _element_count(model) -> int:
    """Return the number of elements in `model`'s lists (species, reactions, rules, ...);
    0 for a document without a model."""
    if model is None:
        return 0
    return sum(getattr(model, f"getNum{k}")() for k in _ELEMENT_LISTS)


def _check_flat_size(doc, name: str, folder: Path | None, external: dict) -> int:
    """Refuse a comp model whose flattened form would exceed `MAX_FLAT_ELEMENTS` elements,
    counted from the submodel tree without building it; return that count."""
    memo: dict = {}

    def size(model, d, base) -> int:
        n = 1 + _element_count(model)
        plugin = model.getPlugin("comp")
        if plugin is None:
            return n
        for i in range(plugin.getNumSubmodels()):
            n += resolve(plugin.getSubmodel(i).getModelRef(), d, base)
            if n > MAX_FLAT_ELEMENTS:
                raise PathwaysInputError(
                    f"{name}: comp submodels would flatten to more than "
                    f"pathways.sbml_io.MAX_FLAT_ELEMENTS = {MAX_FLAT_ELEMENTS} model elements")
        return n

    def resolve(ref: str, d, base) -> int:
        key = (id(d), ref)
        if key in memo:
            if memo[key] is None:
                raise PathwaysInputError(f"{name}: comp submodel {ref!r} contains itself")
            return memo[key]
        memo[key] = None
        main = d.getModel()
        plugin = d.getPlugin("comp")
        if main is not None and main.getId() == ref:
            n = size(main, d, base)
        elif plugin is not None and plugin.getModelDefinition(ref) is not None:
            n = size(plugin.getModelDefinition(ref), d, base)
        elif plugin is not None and plugin.getExternalModelDefinition(ref) is not None \
                and base is not None:
            emd = plugin.getExternalModelDefinition(ref)
            path = _resolve_external(emd.getSource(), base, name)
            sub = external.get(str(path))
            inner = emd.getModelRef() or (sub.getModel().getId()
                                          if sub is not None and sub.getModel() else "")
            n = resolve(inner, sub, path.parent) if sub is not None else 1
        else:
            n = 1                  # an unresolvable reference: libSBML's flattening reports it
        memo[key] = n
        return n

    return size(doc.getModel(), doc, folder) if doc.getModel() is not None else 0


def _resolve_external(source: str, folder: Path, name: str) -> Path:
    """Return the file an ExternalModelDefinition source names, if it lies inside `folder`."""
    parsed = urlparse(source)
    if parsed.scheme not in ("", "file") or (parsed.scheme == "file" and parsed.netloc):
        raise PathwaysInputError(f"{name}: comp external model {source!r} is not a local "
                                 "file; only files next to the model are read")
    rel = unquote(parsed.path) if parsed.scheme == "file" else source
    if os.path.isabs(rel):
        raise PathwaysInputError(f"{name}: comp external model {source!r} is an absolute "
                                 "path; only files in the model's folder are read")
    path = (folder / rel).resolve()
    root = folder.resolve()
    if path != root and root not in path.parents:
        raise PathwaysInputError(f"{name}: comp external model {source!r} lies outside the "
                                 f"model's folder {str(root)!r}")
    return path


def _flatten(doc, name: str, folder: Path | None) -> None:
    import libsbml

    props = libsbml.ConversionProperties()
    props.addOption("flatten comp", True)
    props.addOption("leave_ports", False)
    if folder is not None:
        props.addOption("basePath", str(folder))
    status = doc.convert(props)
    if status != libsbml.LIBSBML_OPERATION_SUCCESS:
        _raise_on_errors(doc, name)
        raise PathwaysInputError(f"{name}: comp flattening failed "
                                 f"({libsbml.OperationReturnValue_toString(status)})")
