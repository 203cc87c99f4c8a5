"""Engines: where batches of parameter sets are simulated.

- `SerialEngine()`: in this process, on this process's compiled model.
- `DaskEngine()`: a `dask.distributed.LocalCluster` of one single-threaded worker process per
  core (or `workers=K`); `DaskEngine("tcp://host:port")` uses a running cluster instead
  (its workers need pathways installed).

A task carries one batch of parameter sets and the (small) `Study`, never a model: each worker
process builds its model once (`study.worker_model`) and reuses it for every batch. A failing
simulation gives NaN outputs for that sample and its one-line error; it never stops the study.
A process started by a local cluster re-imports the caller's `__main__`: scripts must create
the engine under `if __name__ == "__main__":`.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import SimulationError
from .study import LOADS, Study, worker_model

DEFAULT_BATCH = 50
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MAX_SS_CACHE = 2000    # pre-dose steady states a worker keeps (one per parameter set)


class ClusterLostBatch(SimulationError):
    """The cluster lost a batch (a worker died, a task was cancelled): not a model failure.
    `start` is the batch's first row, `cause` the cluster's one-line error."""

    def __init__(self, start: int, cause: str):
        self.start, self.cause = start, cause
        super().__init__(f"the dask cluster lost the batch from sample {start} ({cause}); the "
                         "samples finished before are kept in out_dir, and resume=True "
                         "continues from them")


@dataclass
class BatchResult:
    """Outputs (n, n_outputs) of the samples `start`..`start + n` of a study."""

    start: int
    outputs: np.ndarray
    errors: dict[int, str] = field(default_factory=dict)     # sample index -> message
    pid: int = 0
    loads: int = 0          # how many times this worker process has built the model
    seconds: float = 0.0    # time the worker spent on this batch


def short_error(exc: BaseException, head: int = 120, tail: int = 280) -> str:
    """One line naming the exception: its start (what failed) and its end (why, e.g. the
    CVODE error), without colour codes."""
    text = " ".join(_ANSI.sub("", str(exc)).split()) or "(no message)"
    if len(text) > head + tail + 5:
        text = f"{text[:head]} ... {text[-tail:]}"
    return f"{type(exc).__name__}: {text}"


def run_batch(study: Study, start: int, values: np.ndarray) -> BatchResult:
    """Simulate each row of `values` (model units); NaN and a message for a failed row."""
    t0 = time.perf_counter()
    model = worker_model(study.model)
    out = np.full((len(values), len(study.outputs)), np.nan)
    errors = {}
    for i, row in enumerate(values):
        try:
            out[i] = study.evaluate(model, row)
        except Exception as exc:    # noqa: BLE001 - any solver failure is one NaN sample
            errors[start + i] = short_error(exc)
    # Every distinct parameter set caches its own pre-dose steady state in the Model; a
    # worker running 10^5 samples must not keep them all.
    steady = getattr(model, "_steady", None)        # None: not a pathways Model
    if steady is not None and len(steady) > _MAX_SS_CACHE:
        steady.clear()
    return BatchResult(start, out, errors, os.getpid(), LOADS.get(study.model.key, 0),
                       time.perf_counter() - t0)


class SerialEngine:
    """Run batches one after another in this process."""

    name = "serial"
    workers = 1

    def map(self, study: Study, batches):
        """Yield a BatchResult per (start, values) batch, in order."""
        for start, values in batches:
            yield run_batch(study, start, values)

    def close(self) -> None:
        """Nothing to release: serial runs hold no resources."""
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class DaskEngine:
    """Run batches on dask.distributed workers: a new LocalCluster or `scheduler` address."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        from ..errors import PathwaysInputError
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                    or workers < 1):
            raise PathwaysInputError(f"workers must be a positive integer, got {workers!r}")
        if scheduler is not None and workers is not None:
            raise PathwaysInputError("workers is for a local cluster; an existing cluster "
                                     "(scheduler) has its own workers")
        self.scheduler = scheduler
        self._n = workers or os.cpu_count() or 1
        self._cluster = None
        self._client = None

    @property
    def client(self):
        """Return the dask Client, starting a LocalCluster (or connecting to the scheduler) on
        first use."""
        if self._client is None:
            from distributed import Client, LocalCluster
            if self.scheduler is None:
                import dask
                # no statistical profiler sampling each worker's stack every 10 ms (it would
                # only compete with the simulations for the cores); the scheduler's HTTP
                # server (and dashboard, if bokeh is installed) on a free port of this host
                # only (":0" would listen on every interface; None still tries 8787 and
                # warns when another cluster holds it)
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self._cluster = LocalCluster(n_workers=self._n, threads_per_worker=1,
                                                 processes=True,
                                                 dashboard_address="127.0.0.1:0")
                self._client = Client(self._cluster)
            else:
                try:
                    self._client = Client(self.scheduler, timeout=20)
                except (OSError, TimeoutError) as exc:
                    from ..errors import PathwaysInputError
                    raise PathwaysInputError(f"cannot reach the dask scheduler "
                                             f"{self.scheduler}: {exc}") from None
        return self._client

    @property
    def workers(self) -> int:
        """Return the number of workers the cluster has (or was asked for, before any joined)."""
        return len(self.client.scheduler_info(n_workers=-1)["workers"]) or self._n

    def map(self, study: Study, batches):
        """Yield a BatchResult per batch as batches finish (any order)."""
        from distributed import as_completed

        client = self.client
        [study_f] = client.scatter([study], broadcast=True, hash=False)
        futures = {}
        for start, values in batches:
            f = client.submit(run_batch, study_f, start, values, pure=False)
            futures[f] = (start, values)
        for f in as_completed(futures):
            start, values = futures.pop(f)
            try:
                result = f.result()
            except Exception as exc:   # noqa: BLE001 - run_batch keeps model errors per sample,
                for other in futures:  # so this is the cluster (KilledWorker, cancelled...)
                    other.cancel()
                raise ClusterLostBatch(start, short_error(exc)) from None
            finally:
                f.release()
            yield result

    def close(self) -> None:
        """Close the client and, if this engine started it, the local cluster."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def make_engine(engine=None, workers: int | None = None):
    """Return an engine: None or "local" (LocalCluster), "serial", a scheduler address
    ("tcp://host:port"), or an engine object (returned as is)."""
    from ..errors import PathwaysInputError
    if engine is None or engine == "local":
        return DaskEngine(workers=workers)
    if workers is not None:
        raise PathwaysInputError(f"workers is for a local cluster (engine='local'); engine "
                                 f"{engine!r} has its own")
    if engine == "serial":
        return SerialEngine()
    if isinstance(engine, str):
        if "://" not in engine:
            raise PathwaysInputError(f"unknown engine {engine!r}; use serial, local or a "
                                     "scheduler address such as tcp://host:8786")
        return DaskEngine(scheduler=engine)
    if hasattr(engine, "map"):
        return engine
    raise PathwaysInputError(f"engine must be serial, local, an address or an engine, got "
                             f"{type(engine).__name__}")
