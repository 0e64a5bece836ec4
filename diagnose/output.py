"""Writing output files safely: all or nothing, never over the input, never over a file unless asked.

A file is written to a temporary file in its own folder, then moved into
place in one step (`os.replace`), so a reader, or a crash halfway, never
sees half a brief. Without ``force`` the move is a hard link, which fails
if the target appeared meanwhile, so even a race cannot overwrite a file.

The temporary file is removed on every way out that Python sees (an error,
Ctrl-C). A process killed outright (SIGKILL, a power cut) cannot clean up:
its temporary file, ``.NAME.XXXXXXXX.PID.tmp``, is removed by the next write
to the same folder (once per process and folder) when process PID is gone
and the file has not changed for `STALE_AFTER` seconds (the pause keeps the
files of a live writer that this process cannot see, in another container
or on another machine sharing the folder).

An OS error (a full disk, a read-only one) is raised as an `OSError` that
names the target, not the temporary file; the command line prints it as one
line.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Iterable

from .errors import DiagnoseError


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def _blocking_file(target: Path) -> Path | None:
    """The nearest existing ancestor of ``target`` if it is not a folder (so ``target`` cannot be written)."""
    for ancestor in target.parents:
        if ancestor.is_dir():
            return None
        if ancestor.exists() or ancestor.is_symlink():
            return ancestor
    return None


def check_targets(targets: Iterable[Path], inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse, before any work is done, to write over an input, a folder, or (without ``force``) a file."""
    inputs = list(inputs)
    for target in targets:
        if any(_same_file(target, source) for source in inputs):
            raise DiagnoseError(f"{target}: refusing to write over the input file; choose another --output")
        blocker = _blocking_file(target)
        if blocker is not None:
            raise DiagnoseError(f"{blocker}: is a file, not a folder, so {target} cannot be written")
        if target.is_dir():
            raise DiagnoseError(f"{target}: is a folder; --output names the file to write")
        if target.exists() and not force:
            raise DiagnoseError(f"{target}: already exists; use --force to overwrite it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


STALE_AFTER = 60.0
"""Seconds a dead writer's temporary file is left alone before the next write to its folder removes it."""

_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.(?P<pid>[1-9][0-9]{0,9})\.tmp")  # mkstemp's 8 characters
_NAME_BYTES = 120  # of the target's name in its temporary file's: a long name still fits in 255 bytes
_cleaned: set[str] = set()  # folders whose stale temporary files this process has removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: someone else's process
        return True
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files that killed writers left in ``folder`` (see the module's docstring)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or int(match["pid"]) == os.getpid() or _alive(int(match["pid"])):
            continue
        try:
            idle = now - entry.stat(follow_symlinks=False).st_mtime
            if entry.is_file(follow_symlinks=False) and idle >= STALE_AFTER:
                os.unlink(entry.path)
        except OSError:
            pass  # gone already, or not ours to remove


def _temporary_prefix(name: str) -> str:
    while len(name.encode("utf-8", "surrogateescape")) > _NAME_BYTES:
        name = name[:-1]
    return f".{name}."


def _make_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        blocker = _blocking_file(target)
        if blocker is None:
            raise
        raise NotADirectoryError(errno.ENOTDIR, "is a file, not a folder", str(blocker)) from error


def _naming(error: OSError, target: Path) -> OSError:
    """``error`` as raised by a write of ``target``: named after the target, not its temporary file."""
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror or os.strerror(error.errno), str(target))


def write_atomically(target: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``target`` in one step, creating its folders; refuse an existing file unless ``force``."""
    _make_folder(target)
    folder = os.path.abspath(target.parent)
    if folder not in _cleaned:
        _cleaned.add(folder)
        remove_stale_temporaries(target.parent)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=_temporary_prefix(target.name),
                                             suffix=f".{os.getpid()}.tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; give it a new file's usual mode
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise DiagnoseError(f"{target}: already exists; use --force to overwrite it") from None
            except OSError:  # a file system without hard links (FAT, some network shares): check, then move
                if target.exists():
                    raise DiagnoseError(f"{target}: already exists; use --force to overwrite it") from None
                os.replace(temporary, target)
    except OSError as error:
        raise _naming(error, target) from error
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass  # moved into place
            except OSError:
                pass  # the error that brought us here says more
