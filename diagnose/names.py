"""Suggest the known name closest to a mistyped one; no project imports, so any module may use it."""

from __future__ import annotations

import difflib
from typing import Any


def did_you_mean(name: str, known: Any) -> str:
    """`` (did you mean 'x'?)`` for the closest known name, or nothing."""
    match = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
