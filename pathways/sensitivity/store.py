"""On-disk sample store: `samples.csv` grows by one block per finished batch.

Columns: `sample` (row of the design), the parameter values (model units), the outputs and
`error` (empty when the simulation succeeded). Numbers are written with 17 significant digits
so that a resumed study reads back exactly what it computed. `study.json` records the study
and its design; resuming checks both, so a directory never mixes two studies. A line cut short
by an interruption is dropped on resume.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np

from ..errors import PathwaysInputError

SAMPLES = "samples.csv"
STUDY = "study.json"


_START_OVER = "to start over, delete {0} or write to another folder"


def _differences(old, new) -> str:
    """Return the fields in which two stored study records differ, as `study.grid_sha256,
    design.n` (at most six; a model's SBML or the output grid can change with pathways itself,
    e.g. a peak study's grid gained the dose times)."""
    old = old if isinstance(old, dict) else {}
    keys = []
    for part in ("study", "design"):
        a, b = old.get(part) or {}, new.get(part) or {}
        if not isinstance(a, dict) or not isinstance(b, dict):
            keys.append(part)
            continue
        keys += [f"{part}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "") if keys else "its layout"


class SampleStore:
    """Append-only CSV of samples in `out_dir` for one study and design."""

    def __init__(self, out_dir, study, design: dict, values: np.ndarray, resume: bool,
                 overwrite: bool = False):
        self.dir = Path(out_dir)
        self.path = self.dir / SAMPLES
        self.names = study.names
        self.outputs = study.outputs
        self.header = ["sample", *self.names, *self.outputs, "error"]
        record = {"study": study.describe(), "design": design}
        if self.dir.exists() and not self.dir.is_dir():
            raise PathwaysInputError(f"out_dir {self.dir} is a file, not a folder")
        self.dir.mkdir(parents=True, exist_ok=True)
        meta = self.dir / STUDY
        self.done: dict[int, tuple[np.ndarray, str]] = {}
        if self.path.exists() and not (resume or overwrite):
            raise PathwaysInputError(f"{self.dir} holds an earlier study's samples; resume it "
                                     "(resume=True / --resume) or choose another directory")
        if resume and self.path.exists():
            try:
                old = json.loads(meta.read_text()) if meta.exists() else None
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise PathwaysInputError(f"{meta} is damaged (not JSON); the study cannot be "
                                         f"resumed: {_START_OVER.format(self.dir)}") from None
            new = json.loads(json.dumps(record))
            if old != new:
                raise PathwaysInputError(f"{self.dir} holds a different study or design "
                                         f"(it differs in {_differences(old, new)}); it "
                                         "cannot be resumed with these settings: "
                                         + _START_OVER.format(self.dir))
            self.done = self._read(values)
            self.fresh = False
        else:
            tmp = meta.with_name(f".{meta.name}.tmp")
            tmp.write_text(json.dumps(record, indent=1, sort_keys=True))
            tmp.replace(meta)
            self._rewrite([])
            self.fresh = True        # written by this run: `discard` may remove it

    def discard(self) -> None:
        """Remove the study record and empty sample file this run wrote, if it stored no
        sample (a run that failed before its first batch must not block the next one)."""
        if self.fresh and not self.done:
            for f in (self.path, self.dir / STUDY):
                f.unlink(missing_ok=True)

    def _read(self, values: np.ndarray) -> dict[int, tuple[np.ndarray, str]]:
        text = self.path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines.pop()                          # cut short by an interruption
        rows = list(csv.reader(io.StringIO("".join(lines))))
        if not rows or rows[0] != self.header:
            raise PathwaysInputError(f"{self.path} does not match this study's columns")
        done, keep = {}, []
        k, m = len(self.names), len(self.outputs)
        for row in rows[1:]:
            if len(row) != len(self.header):
                continue
            try:
                i = int(row[0])
                x = np.array([float(v) for v in row[1:1 + k]])
                y = np.array([float(v) if v else np.nan for v in row[1 + k:1 + k + m]])
            except ValueError:
                raise PathwaysInputError(f"{self.path} is damaged (row {row[0]!r} is not "
                                         f"numbers): {_START_OVER.format(self.dir)}") from None
            if i >= len(values) or not np.array_equal(x, values[i]):
                raise PathwaysInputError(f"{self.path} row {i} does not match the design; "
                                         "the directory holds another study")
            done[i] = (y, row[-1])
            keep.append(row)
        self._rewrite(keep)                      # drop partial lines before appending
        return done

    def _rewrite(self, rows) -> None:
        tmp = self.path.with_name(f".{SAMPLES}.tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(self.header)
            w.writerows(rows)
        tmp.replace(self.path)

    def append(self, start: int, values: np.ndarray, outputs: np.ndarray,
               errors: dict[int, str]) -> None:
        """Append one finished batch in a single write."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for j, (x, y) in enumerate(zip(values, outputs)):
            i = start + j
            w.writerow([i, *(_num(v) for v in x), *(_num(v) for v in y), errors.get(i, "")])
        with open(self.path, "a", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
            f.flush()
            os.fsync(f.fileno())


def _num(v) -> str:
    return "" if np.isnan(v) else repr(float(v))
