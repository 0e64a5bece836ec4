"""Writing output files safely: atomically, never over an input, never silently over a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import DiagnoseError


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader never sees a half-written file, and a failure leaves no file behind.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_writable(path: str | Path, inputs: list[str | Path], force: bool) -> None:
    """Refuse to write over an input file, or over an existing file without ``force``."""
    target = Path(path).resolve()
    if any(target == Path(i).resolve() for i in inputs):
        raise DiagnoseError(f"{path}: refusing to write over an input file")
    if target.exists() and not force:
        raise DiagnoseError(f"{path}: already exists; use --force to overwrite it")
