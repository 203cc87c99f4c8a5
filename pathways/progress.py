"""Progress bars for long loops (tqdm on standard error)."""
from __future__ import annotations

import sys


def progress_bar(total: int, progress: bool | None, unit: str, desc: str, initial: int = 0):
    """Return a tqdm bar of `total` steps on standard error, or None when `progress` is False
    (None: only when standard error is a terminal, so logs and CI stay clean)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit=unit, desc=desc, dynamic_ncols=True,
                smoothing=0.1)
