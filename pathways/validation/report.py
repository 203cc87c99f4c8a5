"""The validation report: a table on the terminal, a Markdown file and one figure per row."""
from __future__ import annotations

from pathlib import Path

from ..outputs import output_folder, write_text_atomically
from .runner import RowResult


def table(results: list[RowResult]) -> str:
    """Return a plain-text report: per row its id, status and fitted/prediction, then one
    line per checked quantity (simulated value, accepted range and unit, out-of-range marks),
    and the reason of a row that is not a PASS."""
    lines = [f"{'row':<10} {'status':<16} kind"]
    for r in results:
        kind = "fitted" if r.provenance.startswith("fitted") else (
            r.provenance.split(" ")[0] if r.provenance else "-")
        lines.append(f"{r.row.id:<10} {r.status:<16} {kind}")
        if r.outcome is None:
            lines.append(f"{'':<4}expected: {_clip(r.row.expected, 100)}")
        else:
            for m in r.outcome.metrics:
                unit = f" {m.unit}" if m.unit else ""
                mark = "" if m.passed else "   <- out of range"
                expected = (f"expected {m.expected_with_unit()}" if m.checked
                            else m.expected_text())
                lines.append(f"{'':<4}{m.name}: {m.value:.4g}{unit} ({expected}){mark}")
        if r.status != "PASS" and r.reason:
            lines.append(f"{'':<4}reason: {_clip(r.reason, 110)}")
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("; ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    lines.append("(full reasons, sources and one figure per row: pathways validate --report DIR)")
    return "\n".join(lines)


def _made_with() -> str:
    """Return the report's provenance line: date, commit, software versions and the SHA-256
    (first 12 hex digits) of the SBML of each model and species the rows simulated
    (`pathways.provenance`)."""
    from datetime import datetime, timezone

    from ..provenance import git_state, sbml_sha256, versions
    from .core import loaded_models
    git = git_state()
    commit = (f"commit {git['commit'][:12]}{' (with uncommitted changes)' if git['dirty'] else ''}"
              if git["commit"] else "no git checkout")
    hashes = ", ".join(f"{m.name} ({m.species}) {sbml_sha256(m)[:12]}" for m in loaded_models())
    return (f"Made {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from {commit} with "
            + ", ".join(f"{k} {val}" for k, val in versions().items())
            + f". SBML SHA-256 of the models simulated: {hashes or 'none'}.")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def write_report(results: list[RowResult], out_dir: Path, of_all: int | None = None) -> Path:
    """Write validation.md and figures/<row>.png|svg under `out_dir`; return the .md path.
    `of_all`, the number of rows the suite has, makes a report of fewer rows say so."""
    from ..plotting import row_figure

    out_dir = output_folder(out_dir, "report folder")
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    partial = ([f"Only {len(results)} of the {of_all} rows were run (`--rows`): "
                f"{', '.join(r.row.id for r in results)}.", ""]
               if of_all is not None and len(results) < of_all else [])
    md = ["# Validation against shared/LITERATURE.md", "", _made_with(), "", *partial,
          "| row | status | fitted / prediction | expected | simulated | reason | figure |",
          "|---|---|---|---|---|---|---|"]
    for r in results:
        fig = ""
        if r.outcome is not None and (r.outcome.curves or r.outcome.metrics):
            path = row_figure(r, fig_dir)
            fig = f"[figure](figures/{path.name})"
        why = "; ".join(filter(None, (r.reason, r.row.tolerance_note)))
        md.append(f"| {r.row.id} | {r.status} | {r.provenance} | {_md(r.expected_text)} | "
                  f"{_md(r.simulated_text)} | {_md(why)} | {fig} |")
    md += ["", "Setups and sources:", ""]
    for r in results:
        md.append(f"- **{r.row.id}** — {r.row.setup}. Expected: {r.row.expected}. "
                  f"Source: {r.row.source}.")
    text = "\n".join(md) + "\n"
    return write_text_atomically(out_dir / "validation.md", text, "validation report")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
