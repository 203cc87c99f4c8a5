"""One test per LITERATURE.md row, from the same registry `pathways validate` runs.

A row with a written XFAIL reason is a strict xfail (it is reported if it starts passing);
a NOT EXPRESSIBLE row must carry its reason.
"""
import re
from pathlib import Path

import pytest

from pathways.validation.runner import all_rows, run_row

ROWS = all_rows()
LITERATURE = Path(__file__).resolve().parents[2] / "shared" / "LITERATURE.md"


def _params():
    for row_id, row in ROWS.items():
        if row.check is None:
            continue
        marks = ([pytest.mark.xfail(strict=True, reason=row.xfail, raises=AssertionError)]
                 if row.xfail else [])
        yield pytest.param(row_id, marks=marks, id=row_id)


@pytest.mark.parametrize("row_id", list(_params()))
def test_literature_row(row_id):
    result = run_row(ROWS[row_id])
    if result.outcome is None:          # the check itself broke: never hidden by an xfail
        raise RuntimeError(f"{row_id}: {result.reason}")
    assert result.outcome.passed, f"{row_id}: {result.reason}"


@pytest.mark.skipif(not LITERATURE.exists(), reason="shared/LITERATURE.md is beside the repo")
def test_every_literature_row_is_registered():
    listed = set(re.findall(r"^\| (LIT-[A-Z]+\d+) \|", LITERATURE.read_text(), flags=re.M))
    assert listed == set(ROWS), sorted(listed ^ set(ROWS))


def test_not_expressible_rows_give_reasons():
    for row in ROWS.values():
        if row.check is None:
            assert len(row.not_expressible or "") > 40, row.id


def _metric(row_id, name):
    result = run_row(ROWS[row_id])
    return next(m for m in result.outcome.metrics if m.name == name), result


def test_an_nmdar_antagonist_pretreatment_abolishes_the_10_mg_kg_effect():
    """LIT-R16's antagonist part (issue 5 names it apart from the dose part, which fails)."""
    m, _ = _metric("LIT-R16", "antagonist-pretreated / control")
    assert m.passed, m


def test_a_failing_row_names_its_failing_parts():
    m, result = _metric("LIT-R16", "100 mg/kg / best")

    def shown(name):
        return result.simulated_text.split(name)[1].split(";")[0]

    assert not m.passed and shown(m.name).endswith("(out of range)")
    assert not shown("antagonist-pretreated / control").endswith("(out of range)")
