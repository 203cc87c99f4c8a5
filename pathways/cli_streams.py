"""How the `pathways` command keeps its output readable: the solver's native messages
silenced, warnings in one line, standard output dropped after a failed write.

Used by `pathways.cli.main` around every command (and by `pathways.experiments` when an
experiment script runs as a command).
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def quiet_solver_log() -> None:
    """libRoadRunner logs solver errors to stderr; they reach the user as one-line errors."""
    try:
        import roadrunner
        roadrunner.Logger.setLevel(roadrunner.Logger.LOG_CRITICAL)
    except (ImportError, AttributeError):
        pass


def flush_c_streams() -> None:
    """Flush the C library's stdio buffers (fflush(NULL)), where native code's output waits."""
    try:
        import ctypes
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):     # no C library reachable this way
        pass


@contextlib.contextmanager
def native_output_silenced():
    """SUNDIALS (inside libRoadRunner) prints CVODE warnings to the process's stdout and
    errors to its stderr, from C: into the CSV a command writes to stdout, and around the
    one-line error. While a command runs, file descriptors 1 and 2 point to /dev/null and
    Python's sys.stdout/sys.stderr write to the original streams. Skipped when the streams
    are not the process's own (pytest's capture, an embedding application)."""
    try:
        fds = (sys.stdout.fileno(), sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        fds = ()
    if fds != (1, 2):
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    old = sys.stdout, sys.stderr
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        sys.stdout = open(saved[0], "w", encoding=old[0].encoding, closefd=False)
        sys.stderr = open(saved[1], "w", encoding=old[1].encoding, closefd=False)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        flush_c_streams()      # C stdio buffers what SUNDIALS printed; flushed at exit it
        sys.stdout, sys.stderr = old        # would reach the restored stdout, after the CSV
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print a warning as one line on stderr, without the source location and code line
    Python's default display adds (the CLI's users did not write that code)."""
    ours = category.__module__.startswith("pathways") or (
        category is UserWarning and "pathways" in Path(filename).parts)
    kind = "" if ours else f"{category.__name__}: "
    print(f"pathways: warning: {kind}{message}", file=sys.stderr)


def drop_stdout() -> None:
    """After a failed write to standard output (a full disk, a closed pipe), point it at
    os.devnull so that the interpreter's final flush cannot fail again and turn exit status
    2 into 120 with a second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):      # no real stdout (tests capture it)
        pass
