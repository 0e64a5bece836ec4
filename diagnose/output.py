"""Writing output files safely: all or nothing, never over the input, never over a file unless asked.

A file is written to a temporary file in its own folder, then moved into
place in one step (`os.replace`), so a reader, or a crash halfway, never
sees half a brief. Without ``force`` the move is a hard link, which fails
if the target appeared meanwhile, so even a race cannot overwrite a file.
"""

from __future__ import annotations

import os
import tempfile
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


def check_targets(targets: Iterable[Path], inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse, before any work is done, to write over an input, a folder, or (without ``force``) a file."""
    inputs = list(inputs)
    for target in targets:
        if any(_same_file(target, source) for source in inputs):
            raise DiagnoseError(f"{target}: refusing to write over the input file; choose another --output")
        if target.is_dir():
            raise DiagnoseError(f"{target}: is a folder; --output names the file to write")
        if target.exists() and not force:
            raise DiagnoseError(f"{target}: already exists; use --force to overwrite it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(target: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``target`` in one step, creating its folders; refuse an existing file unless ``force``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
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
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
