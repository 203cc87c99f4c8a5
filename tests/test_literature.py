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
