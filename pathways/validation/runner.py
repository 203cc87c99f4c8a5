"""Run the LIT rows and give each its status: PASS, FAIL, XFAIL, NOT EXPRESSIBLE."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from .core import ROWS, Outcome, Row, provenance

PASS, FAIL, XFAIL, NOT_EXPRESSIBLE = "PASS", "FAIL", "XFAIL", "NOT EXPRESSIBLE"


@dataclass
class RowResult:
    """The outcome of one row: status, what was simulated and why."""

    row: Row
    status: str
    outcome: Outcome | None = None
    reason: str = ""
    seconds: float = 0.0
    provenance: str = field(default="")

    @property
    def simulated_text(self) -> str:
        """Return the simulated values of the row's metrics, with their units, as one line."""
        if not self.outcome:
            return "-"
        mark = self.outcome.passed is False      # in a failing row, name the failing parts
        return "; ".join(f"{m.name} {m.value:.4g}{(' ' + m.unit) if m.unit else ''}"
                         f"{' (out of range)' if mark and not m.passed else ''}"
                         for m in self.outcome.metrics)

    @property
    def expected_text(self) -> str:
        """Return the expected ranges of the row's metrics, with their units, as one line."""
        if not self.outcome:
            return self.row.expected
        return "; ".join(f"{m.name} {m.expected_with_unit()}" for m in self.outcome.metrics)


def all_rows() -> dict[str, Row]:
    """Return every registered row, importing the check modules."""
    from . import rows_clinical, rows_nmda, rows_pk, rows_rodent  # noqa: F401  (registration)
    return dict(sorted(ROWS.items(), key=lambda kv: _sort_key(kv[0])))


def _sort_key(row_id: str) -> tuple[int, int]:
    """Order rows as LITERATURE.md does: PK, N, R, C sections, then by number."""
    tail = row_id.removeprefix("LIT-")
    section = tail.rstrip("0123456789")
    order = ("PK", "N", "R", "C")
    return (order.index(section) if section in order else len(order),
            int(tail[len(section):] or 0))


def run_row(row: Row) -> RowResult:
    """Run one row's check and return its result (exceptions become FAIL with the message)."""
    if row.check is None:
        return RowResult(row, NOT_EXPRESSIBLE, reason=row.not_expressible or "",
                         provenance="-")
    start = time.perf_counter()
    try:
        outcome = row.check()
    except Exception as exc:   # a broken check is a failing row, reported, not a crash
        return RowResult(row, FAIL, reason=f"{type(exc).__name__}: {exc}",
                         seconds=time.perf_counter() - start, provenance=provenance(row.id))
    seconds = time.perf_counter() - start
    prov = provenance(row.id)
    failing = [m for m in outcome.metrics if not m.passed]
    if row.xfail:
        unexpected = [m for m in failing if not row.known_failure(m.name)]
        if unexpected:
            return RowResult(row, FAIL, outcome,
                             f"fails beyond its known limit: {_why(unexpected)}", seconds, prov)
        if not failing:
            return RowResult(row, FAIL, outcome, f"XFAIL row now passes ({row.xfail})",
                             seconds, prov)
        mended = [prefix for prefix in row.fails
                  if not any(m.name.startswith(prefix) for m in failing)]
        if mended:           # part of the known limit has gone: update the row (strict)
            return RowResult(row, FAIL, outcome, "known failing metrics now pass: "
                             f"{', '.join(mended)} (update the row's fails and reason)",
                             seconds, prov)
        return RowResult(row, XFAIL, outcome, row.xfail, seconds, prov)
    return RowResult(row, PASS if not failing else FAIL, outcome, _why(failing), seconds, prov)


def _why(metrics) -> str:
    """Return one clause per failing metric: its name, value and the expected range."""
    return "; ".join(f"{m.name} {m.value:.4g} not in {m.expected_with_unit()}"
                     for m in metrics)
