"""A progress bar on standard error for work that takes a while: briefs, batches.

It shows only on a terminal and only once the work has taken more than a
second (a quick report prints nothing), is redrawn at most ten times a
second, and is wiped when the work ends, so it never mixes with the output
or with an error message.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

DELAY = 1.0
"""Seconds of work before the bar appears."""
REDRAW = 0.1
WIDTH = 30


class ProgressBar:
    """`with ProgressBar("Briefing") as bar: ... bar.update(done, total)`."""

    def __init__(self, label: str, stream: TextIO | None = None, *, delay: float = DELAY):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._started = time.monotonic()
        self._drawn_at: float | None = None
        self._width = 0

    def __enter__(self) -> ProgressBar:
        self._started = time.monotonic()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.clear()

    def update(self, done: int, total: int) -> None:
        """Say that ``done`` of ``total`` steps are done (drawn only when it is time to)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._started < self.delay or (self._drawn_at is not None and now - self._drawn_at < REDRAW
                                                and done < total):
            return
        total = max(total, 1)
        filled = round(WIDTH * min(done, total) / total)
        line = f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {min(done, total)}/{total}"
        self.stream.write("\r" + line + " " * max(0, self._width - len(line)))
        self.stream.flush()
        self._width, self._drawn_at = len(line), now

    def clear(self) -> None:
        """Wipe the bar's line, if it was drawn."""
        if self._drawn_at is not None:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._drawn_at, self._width = None, 0
