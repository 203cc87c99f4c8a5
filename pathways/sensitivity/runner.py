"""Run a design (rows of parameter values) through an engine: batches, store, progress bar."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..progress import progress_bar
from .engines import DEFAULT_BATCH, make_engine
from .store import SampleStore


@dataclass
class Evaluation:
    """The outputs of every design row (NaN where the simulation failed) and the failures."""

    values: np.ndarray               # (n, k) parameter values, model units
    outputs: np.ndarray              # (n, m)
    errors: dict[int, str]           # sample index -> one-line message
    resumed: int = 0                 # rows read back from disk rather than simulated
    workers: dict[int, int] = field(default_factory=dict)   # pid -> model builds there
    busy_s: float = 0.0              # summed time workers spent simulating

    @property
    def failed(self) -> np.ndarray:
        """(n,) bool: the simulation of this row failed (its outputs are NaN)."""
        mask = np.zeros(len(self.outputs), bool)
        mask[[i for i in self.errors if 0 <= i < len(mask)]] = True
        return mask | np.isnan(self.outputs).all(axis=1)

    @property
    def n_failed(self) -> int:
        """How many simulations failed (non-finite outputs of a finished run are not counted:
        the notes of the analysis report them)."""
        return int(self.failed.sum())


def evaluate(study, values: np.ndarray, engine=None, workers=None, batch_size=DEFAULT_BATCH,
             out_dir=None, resume: bool = False, overwrite: bool = False, design=None,
             progress=None) -> Evaluation:
    """Simulate every row of `values`; with `out_dir`, append results as batches finish and,
    with `resume`, skip the rows already there. `engine`: see `engines.make_engine`."""
    from ..errors import PathwaysInputError
    from .study import check_study
    check_study(study)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise PathwaysInputError(f"batch_size must be a positive integer, got {batch_size!r}")
    n = len(values)
    outputs = np.full((n, len(study.outputs)), np.nan)
    errors: dict[int, str] = {}
    builds: dict[int, int] = {}      # worker pid -> model builds there
    busy = 0.0
    store = None
    if out_dir is None and resume:
        raise PathwaysInputError("resume needs out_dir (where the finished samples are)")
    eng = make_engine(engine, workers)     # before the store: a bad engine leaves no files
    own = eng is not engine          # close only what we made
    stored = 0
    bar = None
    try:
        if out_dir is not None:
            store = SampleStore(out_dir, study, design or {}, values, resume, overwrite)
            for i, (y, err) in store.done.items():
                outputs[i] = y
                if err:
                    errors[i] = err
        done = set(store.done) if store else set()
        todo = [i for i in range(n) if i not in done]
        parts = [(s[0], values[s[0]:s[-1] + 1])
                 for s in batches(todo, batch_size, getattr(eng, "workers", 1) or 1)]
        bar = progress_bar(n, progress, "sim", "simulations", initial=len(done))
        for res in eng.map(study, parts):
            k = len(res.outputs)
            outputs[res.start:res.start + k] = res.outputs
            errors.update(res.errors)
            busy += res.seconds
            if res.pid:
                builds[res.pid] = max(builds.get(res.pid, 0), res.loads)
            if store is not None:
                store.append(res.start, values[res.start:res.start + k], res.outputs,
                             res.errors)
                stored += k
            if bar is not None:
                bar.update(k)
                if errors:
                    bar.set_postfix(failed=len(errors), refresh=False)
    except BaseException:
        if store is not None and not stored:
            store.discard()          # nothing was stored: the folder is as if never used
        raise
    finally:
        if bar is not None:
            bar.close()
        if own:
            eng.close()
    return Evaluation(values, outputs, errors, len(done), builds, busy)


def batches(indices, size, workers=1):
    """Split sorted indices into runs of consecutive indices of at most `size`; with more
    than one worker, guided: at most 1/(4·workers) of what is left (at least 1), so batches
    shrink towards the end and no worker idles long while the last ones finish."""
    run = []
    left = len(indices)
    limit = _guided(left, size, workers)
    for i in indices:
        if run and (i != run[-1] + 1 or len(run) == limit):
            yield run
            left -= len(run)
            limit = _guided(left, size, workers)
            run = []
        run.append(i)
    if run:
        yield run


def _guided(left: int, size: int, workers: int) -> int:
    if workers <= 1:                 # one worker: nothing to balance
        return size
    return max(1, min(size, -(-left // (4 * workers))))

