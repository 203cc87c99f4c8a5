"""One test per LITERATURE.md row, from the same registry `pathways validate` runs.

A row with a written XFAIL reason fails in exactly the metrics it names (the others must pass)
and is reported if it starts passing; a NOT EXPRESSIBLE row must carry its reason.
"""
import re
from pathlib import Path

import pytest

from pathways.validation.runner import all_rows, run_row

ROWS = all_rows()
LITERATURE = Path(__file__).resolve().parents[2] / "shared" / "LITERATURE.md"


def _params():
    return [row_id for row_id, row in ROWS.items() if row.check is not None]


@pytest.mark.parametrize("row_id", _params())
def test_literature_row(row_id):
    """A row PASSes; an XFAIL row fails in exactly its named metrics (reported as xfailed)
    while all its other metrics pass, and is reported if it starts passing."""
    row = ROWS[row_id]
    result = run_row(row)
    if result.outcome is None:          # the check itself broke: never hidden by an xfail
        raise RuntimeError(f"{row_id}: {result.reason}")
    if not row.xfail:
        assert result.status == "PASS", f"{row_id}: {result.reason}"
        return
    assert result.status == "XFAIL", f"{row_id}: {result.reason}"
    pytest.xfail(row.xfail)


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
