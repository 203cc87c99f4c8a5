"""Where pathways writes files: one check of an output path for every writer.

Writers put a temporary file beside the target and rename it over the target, so a half
written file never replaces a good one. `output_path` refuses, with one line naming the
user's path, what that scheme cannot do safely: no path, an empty one, a folder, a symlink,
device or pipe (the rename would replace the link or device itself) and a file in the way of
the folder. `write_error` turns an OSError raised while writing into the same kind of message.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import PathwaysInputError


def _named_path(path, what: str, kind: str) -> Path:
    """Return `path` as a Path, or raise if it is not a str or PathLike, or is blank
    (`kind`: "file" or "folder", for the message)."""
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise PathwaysInputError(f"{what} must be a {kind} name (str or Path), got "
                                 f"{type(path).__name__}")
    if not str(os.fspath(path)).strip():
        raise PathwaysInputError(f"{what} is empty; give a {kind} name")
    return Path(path)


def output_path(path, what: str = "output file") -> Path:
    """Return `path` as a Path after checking that a file can be written there atomically;
    raise PathwaysInputError (naming `what` and the path) otherwise."""
    p = _named_path(path, what, "file")
    if p.is_dir():
        raise PathwaysInputError(f"{p} is a folder; give a file name")
    if p.is_symlink() or (p.exists() and not p.is_file()):
        raise PathwaysInputError(f"{p} is not a regular file (a link, device or pipe); give "
                                 "a plain file name")
    folder_can_exist(p)
    return p


def output_folder(path, what: str = "output folder") -> Path:
    """Make the folder `path` (and its parents) if needed and return it as a Path; raise
    PathwaysInputError (naming `what` and the path) for no path, an empty one, a file in its
    place or in the way, or a folder that cannot be made."""
    p = _named_path(path, what, "folder")
    if p.exists() and not p.is_dir():
        raise PathwaysInputError(f"{what} {p} is a file, not a folder")
    folder_can_exist(p)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(p, exc) from None
    return p


def folder_can_exist(path) -> None:
    """Raise PathwaysInputError now, not after the work, if `path`'s folder cannot be made
    (a file is in the way)."""
    path = Path(path)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise PathwaysInputError(f"{path}: {parent} is a file, not a folder")
            return


def write_atomically(path, write, what: str = "output file") -> Path:
    """Write `path` by `write(tmp)` to a temporary file beside it, then rename it over `path`;
    return the checked Path. The temporary file gets the permissions open() would give and is
    removed on any failure; an OSError becomes `write_error` (naming `path`)."""
    path = output_path(path, what)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}",
                                   dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)       # as open() would create it (mkstemp gives 0600)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomically(path, text: str, what: str = "output file") -> Path:
    """Write `text` (UTF-8) to `path` through `write_atomically`; return the checked Path."""
    return write_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"),
                            what)


def write_error(path, exc: OSError) -> PathwaysInputError:
    """Return the one-line error for an OSError raised while writing `path` (the user's path,
    never the temporary file's)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return PathwaysInputError(f"cannot write {Path(path)}: {reason}")
