"""The model report (`pathways report NAME`): the page a reviewer reads.

One Markdown file and its HTML rendering (the `markdown` package) with: the model-level
annotation (description, creators, creation date, references), the cascade diagram
(`pathways.diagram`), every species and reaction with its SBO term and identifiers.org terms,
every parameter with value, unit, kind and source (`Model.parameter_table`), the LIT rows whose
checks simulate the model (`pathways.validation`), and the libSBML validation summary with the
unit checks on.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from .errors import PathwaysInputError, choices_message
from .outputs import output_folder, write_text_atomically


@dataclass(frozen=True)
class Report:
    """The files `write_report` wrote: Markdown, HTML and the diagram (SVG and PNG)."""

    markdown: Path
    html: Path
    figures: tuple[Path, ...]


def write_report(name: str, out_dir, species: str = "human", validate: bool = True) -> Report:
    """Write `out_dir/<name>.md`, `<name>.html` and `<name>_cascade.svg/.png` for model `name`
    (parameter values of `species`); return the `Report`. `validate=False` leaves out the LIT
    rows (which take a few seconds to run)."""
    import libsbml
    import markdown

    from .diagram import diagram
    from .model import list_models, load

    if name not in list_models():
        raise PathwaysInputError(choices_message("model", name, list_models()))
    model = load(name, species)
    out = output_folder(out_dir, "out_dir")
    figures = tuple(diagram(model, out / f"{name}_cascade.{ext}",
                            title=f"{name}: signalling cascade") for ext in ("svg", "png"))
    doc = libsbml.readSBMLFromString(model.sbml)
    m = doc.getModel()
    parts = [f"# Model report: `{name}` ({species} parameter set)", "",
             _notes_text(m), "", *_model_metadata(m), "",
             "## Cascade", "", f"![cascade of {name}]({figures[0].name})", "",
             *_species_table(m), "", *_reaction_table(m), "", *_parameter_table(model), "",
             *(_validation_rows(name) if validate else
               ["## Literature rows", "", "(not run: `validate=False`)"]), "",
             *_sbml_validation(doc)]
    text = "\n".join(parts) + "\n"
    md = out / f"{name}.md"
    _write(md, text)
    body = markdown.markdown(text, extensions=["tables", "fenced_code"])
    page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>pathways model report: {html.escape(name)}</title>"
            "<style>body{font-family:sans-serif;max-width:75em;margin:auto}"
            "table{border-collapse:collapse;font-size:85%}"
            "td,th{border:1px solid #ccc;padding:2px 5px;vertical-align:top}"
            "img{max-width:100%}</style></head><body>\n" + body + "\n</body></html>\n")
    page_path = out / f"{name}.html"
    _write(page_path, page)
    return Report(md, page_path, figures)


def _write(path: Path, text: str) -> None:
    write_text_atomically(path, text, "report file")


def _cell(text) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def _uris(sbase) -> list[str]:
    out = []
    for i in range(sbase.getNumCVTerms()):
        cv = sbase.getCVTerm(i)
        out += [cv.getResourceURI(j) for j in range(cv.getNumResources())]
    return out


def _link(uri: str) -> str:
    return f"[{uri.split('identifiers.org/')[-1]}]({uri})"


def _notes_text(sbase) -> str:
    import re
    notes = sbase.getNotesString() if sbase.isSetNotes() else ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", notes)).split())


def _model_metadata(m) -> list[str]:
    lines = ["## Model annotation", ""]
    if m.isSetModelHistory():
        h = m.getModelHistory()
        creators = [" ".join(x for x in (c.getGivenName(), c.getFamilyName()) if x)
                    + (f" ({c.getOrganisation()})" if c.getOrganisation() else "")
                    for c in h.getListCreators()]
        lines.append(f"- creators: {', '.join(creators)}")
        if h.isSetCreatedDate():
            lines.append(f"- created: {h.getCreatedDate().getDateAsString()}")
    refs = _uris(m)
    lines.append("- references: " + (", ".join(_link(u) for u in refs) or "none"))
    return lines


def _species_table(m) -> list[str]:
    lines = [f"## Species ({m.getNumSpecies()})", "",
             "| id | name | compartment | SBO | annotations |", "|---|---|---|---|---|"]
    for s in m.getListOfSpecies():
        lines.append(f"| `{s.getId()}` | {_cell(s.getName())} | {s.getCompartment()} | "
                     f"{s.getSBOTermID()} | {', '.join(_link(u) for u in _uris(s))} |")
    return lines


def _reaction_table(m) -> list[str]:
    import libsbml
    lines = [f"## Reactions ({m.getNumReactions()})", "",
             "| id | name | SBO | GO | rate law |", "|---|---|---|---|---|"]
    for r in m.getListOfReactions():
        law = libsbml.formulaToL3String(r.getKineticLaw().getMath()) if r.isSetKineticLaw() \
            else ""
        lines.append(f"| `{r.getId()}` | {_cell(r.getName())} | {r.getSBOTermID()} | "
                     f"{', '.join(_link(u) for u in _uris(r))} | `{_cell(law)}` |")
    return lines


def _parameter_table(model) -> list[str]:
    table = model.parameter_table()
    lines = [f"## Parameters ({len(table)}, {model.species} values)", "",
             "| id | value | unit | kind | source |", "|---|---|---|---|---|"]
    from .units import readable_unit
    for row in table.itertuples():
        unit = readable_unit(row.unit)
        lines.append(f"| `{row.id}` | {row.value:.6g} | {unit} | {row.kind} | "
                     f"{_cell(row.source)} |")
    return lines


def rows_for_model(name: str) -> list[tuple[object, list[str]]]:
    """Return [(RowResult, [models its check simulated])] of the LIT rows whose checks simulate
    `name` or, for the composed model, one of its components (each row is run once)."""
    from . import sources
    from .experiments import record_runs
    from .validation import effects
    from .validation.runner import all_rows, run_row

    wanted = {name} | (set(sources.COMPONENTS) if name == sources.COMPOSED else set())
    out = []
    for row in all_rows().values():
        effects._run.cache_clear()            # so that every row's simulations are recorded
        with record_runs() as runs:
            result = run_row(row)
        used = sorted({r.model for r in runs})
        if wanted & set(used):
            out.append((result, used))
    effects._run.cache_clear()
    return out


def _validation_rows(name: str) -> list[str]:
    rows = rows_for_model(name)
    lines = ["## Literature rows (`pathways validate`)", "",
             f"{len(rows)} LIT rows simulate this model (or, for the composed model, one of "
             "its components). Status PASS / FAIL / XFAIL (known limit) as `pathways "
             "validate` reports them; rows that cannot be expressed are in "
             "`pathways validate`'s full list.", "",
             "| row | status | kind | models | expected | simulated |",
             "|---|---|---|---|---|---|"]
    for res, used in rows:
        lines.append(f"| {res.row.id} | {res.status} | {_cell(res.provenance)} | "
                     f"{', '.join(used)} | {_cell(res.expected_text)} | "
                     f"{_cell(res.simulated_text)} |")
    return lines


def sbml_validation_summary(doc) -> dict[str, int]:
    """Return {"errors": n, "unit warnings": n, "other warnings": n} of libSBML's consistency
    checks (all categories, unit consistency on) of a document."""
    import libsbml

    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.checkConsistency()
    counts = {"errors": 0, "unit warnings": 0, "other warnings": 0}
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            counts["errors"] += 1
        elif e.getCategory() == libsbml.LIBSBML_CAT_UNITS_CONSISTENCY:
            counts["unit warnings"] += 1
        elif e.getSeverity() == libsbml.LIBSBML_SEV_WARNING:
            counts["other warnings"] += 1
    return counts


def _sbml_validation(doc) -> list[str]:
    import libsbml
    counts = sbml_validation_summary(doc)
    return ["## libSBML validation", "",
            f"libSBML {libsbml.getLibSBMLDottedVersion()}, SBML Level {doc.getLevel()} "
            f"Version {doc.getVersion()}, all consistency checks with unit checks on: "
            + ", ".join(f"{v} {k}" for k, v in counts.items()) + "."]
