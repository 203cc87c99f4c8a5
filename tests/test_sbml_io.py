"""The untrusted-SBML loader: outside valid files accepted, invalid and hostile files refused.

Outside material lives in ../shared (sibling of the repository): the SBML Test Suite's semantic
cases (valid, one file per case), its syntactic cases (743 invalid files) and BioModels files.
Tests that need it skip when it is absent.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pathways.errors import PathwaysInputError
from pathways import sbml_io
from pathways.sbml_io import read_sbml, sbml_warnings

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEMANTIC = SHARED / "sbml-test-suite" / "cases" / "semantic"
SYNTACTIC = SHARED / "sbml-test-suite" / "syntactic"
BIOMODELS = SHARED / "biomodels"
INVALID_SEMANTIC = {"00959": 10313}    # see shared/sbml-test-suite/README.md
LARGE_BYTES = 1_000_000                # BioModels files above this are marked slow

MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">{body}</model>
</sbml>
"""


def semantic_files() -> list[Path]:
    """The one SBML file each semantic case keeps (not the comp external model files)."""
    if not SEMANTIC.is_dir():
        return []
    return sorted(p for p in SEMANTIC.glob("*/*-sbml-*.xml") if p.name[:5] == p.parent.name)


def biomodels_params():
    files = sorted(BIOMODELS.glob("BIOMD*.xml")) if BIOMODELS.is_dir() else []
    return [pytest.param(f, id=f.stem, marks=[pytest.mark.slow] if f.stat().st_size > LARGE_BYTES
                         else []) for f in files]


def syntactic_rows() -> list[dict]:
    table = SYNTACTIC / "expected_errors.tsv"
    if not table.is_file():
        return []
    with table.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


needs_shared = pytest.mark.skipif(not SEMANTIC.is_dir(), reason="../shared is absent")


def test_shared_material_is_complete():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    assert len(semantic_files()) == 1823
    assert len(syntactic_rows()) == 743
    assert len(list(BIOMODELS.glob("BIOMD*.xml"))) == 9


# ----------------------------------------------------------------------------- valid files

@pytest.mark.parametrize("path", semantic_files(), ids=lambda p: p.parent.name)
def test_semantic_case_accepted_or_known_invalid(path):
    case = path.parent.name
    if case in INVALID_SEMANTIC:
        with pytest.raises(PathwaysInputError) as err:
            read_sbml(path)
        msg = str(err.value)
        assert "\n" not in msg
        assert str(path) in msg and f"[{INVALID_SEMANTIC[case]}]" in msg
        assert re.search(r": line \d+: ", msg)
        return
    doc = read_sbml(path)
    assert doc.getNumErrors(2) == 0 and doc.getNumErrors(3) == 0   # no Error / Fatal left
    assert doc.getLevel() in (1, 2, 3)
    # Comp models come back flattened: no submodels left.
    model = doc.getModel()
    comp = model.getPlugin("comp") if model is not None else None
    assert comp is None or comp.getNumSubmodels() == 0


@needs_shared
def test_comp_cases_are_flattened_with_external_files():
    """Every variable a comp case's expected results name exists in the flattened model."""
    with (SEMANTIC / "index.tsv").open(encoding="utf-8") as fh:
        comp_cases = [r["case"] for r in csv.DictReader(fh, delimiter="\t")
                      if "comp" in r["packagesPresent"]]
    assert len(comp_cases) >= 123
    external = 0
    for case in comp_cases:
        folder = SEMANTIC / case
        path = next(folder.glob(f"{case}-sbml-*.xml"))
        external += "externalModelDefinition" in path.read_text(encoding="utf-8")
        model = read_sbml(path).getModel()
        settings = (folder / f"{case}-settings.txt").read_text(encoding="utf-8")
        line = next(x for x in settings.splitlines() if x.startswith("variables:"))
        names = [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip()]
        missing = [v for v in names if model.getElementBySId(v) is None]
        assert not missing, (case, missing)
    assert external >= 10


@pytest.mark.parametrize("path", biomodels_params())
def test_biomodels_file_accepted(path):
    doc = read_sbml(path)
    expected_level = 3 if path.stem == "BIOMD0000001094" else 2
    assert doc.getLevel() == expected_level
    assert doc.getModel().getNumSpecies() > 0
    # accepted because libSBML logged no error (a file with one is refused); what it did log,
    # unit and modelling-practice warnings, is reported, every entry of it
    import libsbml
    log = doc.getErrorLog()
    assert log.getNumFailsWithSeverity(libsbml.LIBSBML_SEV_ERROR) == 0
    assert log.getNumFailsWithSeverity(libsbml.LIBSBML_SEV_FATAL) == 0
    assert len(sbml_warnings(doc)) == log.getNumErrors()


# ----------------------------------------------------------------------------- invalid files

@pytest.mark.parametrize("row", syntactic_rows(), ids=lambda r: r["file"])
def test_syntactic_case_rejected(row):
    path = SYNTACTIC / row["file"]
    with pytest.raises(PathwaysInputError) as err:
        read_sbml(path)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: ")


def test_syntactic_rejections_name_libsbml_errors():
    """A rejection either comes before libSBML (malformed XML, level 4: no rule id) or names,
    as its first error, one that libSBML reports for that file; usually the expected rule."""
    rows = syntactic_rows()
    if not rows:
        pytest.skip("../shared is absent")
    named = before_libsbml = expected = 0
    for row in rows:
        with pytest.raises(PathwaysInputError) as err:
            read_sbml(SYNTACTIC / row["file"])
        first = re.search(r": line \d+: \[(\d+)\] ", str(err.value))
        if first is None:
            before_libsbml += 1
            continue
        assert first.group(1) in row["libsbml_error_ids"].split(), (row["file"], str(err.value))
        named += 1
        expected += first.group(1) in (row["expected_rule"], row["extra_rule"])
    assert named + before_libsbml == 743
    assert before_libsbml <= 60          # 49 here: malformed XML, unsupported levels
    assert expected >= 680               # 686 with libSBML 5.21.2


# ----------------------------------------------------------------------------- hostile input

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m" name="&lol9;"/>
</sbml>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE sbml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m" name="&xxe;"/>
</sbml>
"""

DOCTYPE_ONLY = """<?xml version="1.0"?>
<!DOCTYPE sbml SYSTEM "http://example.org/sbml.dtd">
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m"/>
</sbml>
"""


def _write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name, content, expected", [
    ("laughs.xml", BILLION_LAUGHS, "DOCTYPE"),
    ("xxe.xml", XXE, "DOCTYPE"),
    ("doctype.xml", DOCTYPE_ONLY, "DOCTYPE"),
    ("empty.xml", b"", "empty file"),
    ("blank.xml", b"  \n\t\n", "empty file"),
    ("binary.xml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    ("words.xml", "just some words, no markup\n", "not XML"),
    ("utf16.xml", MINIMAL.format(body="").encode("utf-16"), "not UTF-8"),
    ("latin1.xml", MINIMAL.format(body="").replace("UTF-8", "ISO-8859-1"),
     "declares encoding 'ISO-8859-1'"),
    ("html.xml", "<html><body>hello</body></html>", "root element is <html>"),
    ("broken.xml", "<sbml><model></sbml>", "not well-formed XML: line 1"),
    ("level4.xml", MINIMAL.format(body="").replace('level="3"', 'level="4"'),
     "level '4' is not supported"),
    ("deep.xml", MINIMAL.format(body="<notes>" + "<p>" * 1000 + "</p>" * 1000 + "</notes>"),
     "MAX_XML_DEPTH"),
])
def test_hostile_or_malformed_file_rejected(tmp_path, name, content, expected):
    path = _write(tmp_path, name, content)
    with pytest.raises(PathwaysInputError) as err:
        read_sbml(path)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: ")
    assert expected in msg
    assert "root:" not in msg          # nothing of /etc/passwd leaks into the message


def test_hostile_text_rejected_too():
    for text in (BILLION_LAUGHS, XXE):
        with pytest.raises(PathwaysInputError, match=r"^<SBML text>: XML contains a DOCTYPE"):
            read_sbml(text)
    with pytest.raises(PathwaysInputError, match=r"^upload\.xml: XML contains a DOCTYPE"):
        read_sbml(XXE.encode(), source_name="upload.xml")


def test_deep_math_refused_before_libsbml_crashes():
    """libSBML segfaults on MathML nested ~10,000 deep; the depth check stops it first."""
    math = "<apply><minus/>" * 20_000 + "<ci>x</ci>" + "</apply>" * 20_000
    body = ('<listOfParameters><parameter id="x" value="1" constant="false"/></listOfParameters>'
            '<listOfRules><assignmentRule variable="x">'
            f'<math xmlns="http://www.w3.org/1998/Math/MathML">{math}</math>'
            "</assignmentRule></listOfRules>")
    with pytest.raises(PathwaysInputError, match="MAX_XML_DEPTH"):
        read_sbml(MINIMAL.format(body=body))


def _rule(math: str) -> str:
    return MINIMAL.format(body=(
        '<listOfParameters><parameter id="x" value="1" constant="false"/>'
        '<parameter id="y" value="1" constant="false"/></listOfParameters>'
        '<listOfRules><assignmentRule variable="y">'
        f'<math xmlns="http://www.w3.org/1998/Math/MathML">{math}</math>'
        "</assignmentRule></listOfRules>"))


def test_wide_math_refused_before_libsbml_validates_for_minutes():
    """libSBML nests an n-ary <plus/> as binary operations: 5,000 terms take ~70 s to
    validate and 10,000 crash it. The bound counts operands; 400 terms still pass."""
    with pytest.raises(PathwaysInputError, match=r"math nested deeper than .*MAX_MATH_DEPTH"):
        read_sbml(_rule("<apply><plus/>" + "<ci>x</ci>" * 5000 + "</apply>"))
    doc = read_sbml(_rule("<apply><plus/>" + "<ci>x</ci>" * 400 + "</apply>"))
    assert doc.getModel().getNumRules() == 1


def test_deep_level1_formula_refused():
    """Level 1 math is an infix string attribute, invisible to the XML depth check."""
    def level1(formula):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/'
                'sbml/level1" level="1" version="1"><model name="m"><listOfCompartments>'
                '<compartment name="c" volume="1"/></listOfCompartments><listOfSpecies>'
                '<specie name="A" compartment="c" initialAmount="1"/><specie name="B" '
                'compartment="c" initialAmount="0"/></listOfSpecies><listOfParameters>'
                '<parameter name="k" value="1"/></listOfParameters><listOfReactions>'
                '<reaction name="R"><listOfReactants><specieReference specie="A"/>'
                '</listOfReactants><listOfProducts><specieReference specie="B"/>'
                f'</listOfProducts><kineticLaw formula="{formula}"/></reaction>'
                "</listOfReactions></model></sbml>")
    with pytest.raises(PathwaysInputError, match="formula is more deeply nested"):
        read_sbml(level1("-(" * 100_000 + "k*A" + ")" * 100_000))
    doc = read_sbml(level1("-(-(k*A))"))
    assert doc.getLevel() == 1 and doc.getModel().getNumReactions() == 1


def test_oversized_file_rejected_without_reading(tmp_path, monkeypatch):
    path = _write(tmp_path, "big.xml", MINIMAL.format(body="<!--" + "x" * 5000 + "-->"))
    monkeypatch.setattr(sbml_io, "MAX_SBML_BYTES", 1000)
    with pytest.raises(PathwaysInputError) as err:
        read_sbml(path)
    msg = str(err.value)
    assert "pathways.sbml_io.MAX_SBML_BYTES = 1000 bytes" in msg
    assert str(path.stat().st_size) in msg
    with pytest.raises(PathwaysInputError, match="MAX_SBML_BYTES"):
        read_sbml(path.read_text())


def test_missing_file_and_wrong_type():
    with pytest.raises(PathwaysInputError, match="no such file"):
        read_sbml("/nonexistent/model.xml")
    with pytest.raises(PathwaysInputError, match="got int"):
        read_sbml(42)


def test_invalid_sbml_message_names_file_line_error_and_count(tmp_path):
    body = ('<listOfCompartments><compartment id="c" constant="true" size="1"/>'
            '</listOfCompartments><listOfSpecies>'
            '<species id="A" compartment="nowhere" hasOnlySubstanceUnits="false" '
            'boundaryCondition="false" constant="false"/>'
            '<species id="B" compartment="nowhere2" hasOnlySubstanceUnits="false" '
            'boundaryCondition="false" constant="false"/></listOfSpecies>')
    path = _write(tmp_path, "bad.xml", MINIMAL.format(body=body))
    with pytest.raises(PathwaysInputError) as err:
        read_sbml(path)
    msg = str(err.value)
    assert re.match(rf"^{re.escape(str(path))}: line 3: \[20601\] .+ \(and \d+ more errors?\)$",
                    msg), msg


def test_warnings_are_reported_not_fatal():
    # A parameter without units in a reaction: unit checks warn (not an error).
    body = ('<listOfCompartments><compartment id="c" constant="true" size="1"/>'
            '</listOfCompartments><listOfSpecies>'
            '<species id="A" compartment="c" initialConcentration="1" '
            'hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>'
            '</listOfSpecies><listOfParameters><parameter id="k" value="1" constant="true"/>'
            '</listOfParameters><listOfReactions><reaction id="R" reversible="false">'
            '<listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/>'
            '</listOfReactants><kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">'
            '<apply><times/><ci>k</ci><ci>A</ci></apply></math></kineticLaw></reaction>'
            '</listOfReactions>')
    doc = read_sbml(MINIMAL.format(body=body))
    warnings = sbml_warnings(doc)
    assert warnings and all(w.severity in ("warning", "info") for w in warnings)
    assert any("unit" in w.category.lower() or "practice" in w.category.lower()
               for w in warnings)
    assert str(warnings[0]).startswith(f"line {warnings[0].line}: [{warnings[0].error_id}]")


def test_sbml_warnings_leave_out_errors():
    """sbml_warnings lists what libSBML logged below Error severity, and only that."""
    import libsbml

    body = ('<listOfCompartments><compartment id="c" constant="true" size="1"/>'
            '</listOfCompartments><listOfSpecies><species id="A" compartment="nowhere" '
            'initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" '
            'constant="false"/></listOfSpecies>')
    doc = libsbml.readSBMLFromString(MINIMAL.format(body=body))    # not read_sbml: it refuses
    doc.checkConsistency()
    log = doc.getErrorLog()
    severities = [log.getError(i).getSeverity() for i in range(log.getNumErrors())]
    assert any(sev >= libsbml.LIBSBML_SEV_ERROR for sev in severities)   # an unknown compartment
    warnings = sbml_warnings(doc)
    assert len(warnings) == sum(sev < libsbml.LIBSBML_SEV_ERROR for sev in severities)
    error_ids = {log.getError(i).getErrorId() for i in range(log.getNumErrors())
                 if log.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR}
    assert not error_ids & {w.error_id for w in warnings}


def test_model_without_species_and_document_without_model_are_valid():
    doc = read_sbml(MINIMAL.format(body=""))
    assert doc.getModel().getNumSpecies() == 0
    empty = ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns='
             '"http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"/>')
    assert read_sbml(empty).getModel() is None


def test_bom_and_bytes_input_accepted():
    text = MINIMAL.format(body="")
    assert read_sbml(b"\xef\xbb\xbf" + text.encode()).getModel().getId() == "m"
    assert read_sbml(text.encode()).getModel().getId() == "m"


# ----------------------------------------------------------------------------- comp externals

@needs_shared
@pytest.mark.parametrize("source, expected", [
    ("/etc/passwd", "absolute path"),
    ("../outside.xml", "lies outside the model's folder"),
    ("http://example.org/model.xml", "not a local file"),
    ("missing.xml", "not found"),
    ("evil.xml", "DOCTYPE"),
    ("sub", "comp external model 'sub' is not a regular file"),
])
def test_comp_external_models_are_confined_and_checked(tmp_path, source, expected):
    case = SEMANTIC / "01165"
    text = (case / "01165-sbml-l3v2.xml").read_text(encoding="utf-8")
    assert 'comp:source="enzyme_model-l3v2.xml"' in text
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "evil.xml").write_text(XXE, encoding="utf-8")
    (model_dir / "sub").mkdir()
    (tmp_path / "outside.xml").write_text((case / "enzyme_model-l3v2.xml").read_text())
    path = model_dir / "main.xml"
    path.write_text(text.replace('comp:source="enzyme_model-l3v2.xml"',
                                 f'comp:source="{source}"'), encoding="utf-8")
    with pytest.raises(PathwaysInputError) as err:
        read_sbml(path)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


@needs_shared
def test_comp_external_models_need_a_file_path():
    text = (SEMANTIC / "01165" / "01165-sbml-l3v2.xml").read_text(encoding="utf-8")
    with pytest.raises(PathwaysInputError, match="read it from a file"):
        read_sbml(text)
    doc = read_sbml(SEMANTIC / "01165" / "01165-sbml-l3v2.xml")     # from the file: fine
    assert doc.getModel().getNumSpecies() == 4 and doc.getModel().getNumReactions() == 2


# ----------------------------------------------------------------------------- comp size bombs

def _nested_comp(levels: int, fan: int, *, self_reference: bool = False) -> str:
    """An L3V1 comp document whose main model holds M<levels>; each M<k> holds `fan` copies of
    M<k-1> and M0 holds one compartment and one species, so it flattens to fan**levels of each
    (or, with `self_reference`, the top definition contains itself)."""
    m0 = ('<comp:modelDefinition id="M0"><listOfCompartments><compartment id="c" size="1" '
          'constant="true"/></listOfCompartments><listOfSpecies><species id="s" compartment="c" '
          'initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" '
          'constant="false"/></listOfSpecies></comp:modelDefinition>')
    defs = [m0]
    for level in range(1, levels + 1):
        ref = f"M{level}" if self_reference and level == levels else f"M{level - 1}"
        subs = "".join(f'<comp:submodel comp:id="x{i}" comp:modelRef="{ref}"/>'
                       for i in range(fan))
        defs.append(f'<comp:modelDefinition id="M{level}"><comp:listOfSubmodels>{subs}'
                    '</comp:listOfSubmodels></comp:modelDefinition>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
            'xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" level="3" '
            'version="1" comp:required="true">\n'
            f'<model id="main"><comp:listOfSubmodels><comp:submodel comp:id="top" '
            f'comp:modelRef="M{levels}"/></comp:listOfSubmodels></model>\n'
            f'<comp:listOfModelDefinitions>{"".join(defs)}</comp:listOfModelDefinitions>\n'
            '</sbml>')


def test_comp_submodel_bomb_refused_before_flattening():
    # 10 levels x 10 submodels: a 5 kB file that would flatten to 10^10 species.
    text = _nested_comp(10, 10)
    assert len(text) < 10_000
    with pytest.raises(PathwaysInputError, match="MAX_FLAT_ELEMENTS") as err:
        read_sbml(text)
    assert "\n" not in str(err.value)


def test_comp_submodel_that_contains_itself_refused():
    with pytest.raises(PathwaysInputError, match="'M2' contains itself"):
        read_sbml(_nested_comp(2, 3, self_reference=True))


@pytest.mark.parametrize("levels, fan", [(2, 3), (3, 2), (1, 5)])
def test_modest_nested_comp_model_is_flattened(levels, fan):
    model = read_sbml(_nested_comp(levels, fan)).getModel()
    assert model.getNumSpecies() == fan ** levels
    assert model.getNumCompartments() == fan ** levels
    assert model.getPlugin("comp") is None or model.getPlugin("comp").getNumSubmodels() == 0


def test_a_large_model_skips_only_the_warning_level_unit_checks(monkeypatch):
    """libSBML's unit checks grew faster than the model (a 15,000-species chain: 35 s of
    validation); above MAX_ELEMENTS_FULL_CHECKS elements they are skipped, the error checks
    are not."""
    chain = ('<?xml version="1.0" encoding="UTF-8"?><sbml xmlns="http://www.sbml.org/sbml/'
             'level3/version2/core" level="3" version="2"><model id="m"><listOfCompartments>'
             '<compartment id="c" size="1" constant="true"/></listOfCompartments><listOfSpecies>'
             '<species id="A" compartment="c" initialConcentration="1" '
             'hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>'
             '</listOfSpecies><listOfParameters><parameter id="k" value="1" constant="true"/>'
             '</listOfParameters><listOfRules><rateRule variable="A"><math xmlns="http://www.w3.'
             'org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>A</ci></apply></math>'
             '</rateRule></listOfRules></model></sbml>')
    small = sbml_warnings(read_sbml(chain))
    assert any(w.category == "SBML unit consistency" for w in small), small
    monkeypatch.setattr(sbml_io, "MAX_ELEMENTS_FULL_CHECKS", 2)
    assert not any(w.category == "SBML unit consistency" for w in sbml_warnings(read_sbml(chain)))
    with pytest.raises(PathwaysInputError, match=r"\[20902\]"):       # errors still found
        read_sbml(chain.replace('<rateRule variable="A">', '<rateRule variable="nope">'))
    # few elements but much math (400 rules nested 240 deep took 92 s of unit checks): the
    # MathML element count switches them off too (this chain has 5: math, apply, times, ci, ci)
    monkeypatch.setattr(sbml_io, "MAX_ELEMENTS_FULL_CHECKS", 5_000)
    monkeypatch.setattr(sbml_io, "MAX_MATH_NODES_FULL_CHECKS", 5)
    assert any(w.category == "SBML unit consistency" for w in sbml_warnings(read_sbml(chain)))
    monkeypatch.setattr(sbml_io, "MAX_MATH_NODES_FULL_CHECKS", 4)
    assert not any(w.category == "SBML unit consistency" for w in sbml_warnings(read_sbml(chain)))
    with pytest.raises(PathwaysInputError, match=r"\[20902\]"):
        read_sbml(chain.replace('<rateRule variable="A">', '<rateRule variable="nope">'))


@pytest.mark.skipif(not SEMANTIC.exists(), reason="SBML test suite not available")
def test_a_comp_model_is_sized_as_flattened_for_the_warning_checks(monkeypatch):
    """The unit checks were switched on or off by the top model's own elements, so a comp
    model that flattens to many elements (its top holds few) still got the slow checks."""
    import libsbml
    with (SEMANTIC / "index.tsv").open(encoding="utf-8") as fh:
        case = next(r["case"] for r in csv.DictReader(fh, delimiter="\t")
                    if "comp" in r["packagesPresent"])
    path = next((SEMANTIC / case).glob(f"{case}-sbml-*.xml"))
    asked = []
    real = libsbml.SBMLDocument.setConsistencyChecks
    monkeypatch.setattr(libsbml.SBMLDocument, "setConsistencyChecks",
                        lambda doc, cat, on: asked.append((cat, on)) or real(doc, cat, on))
    monkeypatch.setattr(sbml_io, "_check_flat_size", lambda *a: 10**6)   # flattens big
    read_sbml(path)
    assert (libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False) in asked
