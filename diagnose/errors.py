"""Errors a user can cause, reported without a traceback.

Plain exceptions: the command line (`diagnose.cli`) prints their message and
exits with their ``exit_code``; the library itself does not depend on click.
Messages quote the fact file (names, ids, keys, file names), so control
characters in them are spelled as escapes (``\\x1b``): printing an error can
never set a terminal's title or write its clipboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from .controls import visible


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    message: str
    line: int | None = None
    key: str | None = None

    def format(self, filename: str) -> str:
        """`file:line: key: message`, on one line: a control character anywhere in it (a newline too) shows
        as an escape."""
        where = filename if self.line is None else f"{filename}:{self.line}"
        return visible(f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}")


class DiagnoseError(Exception):
    """Base of every error caused by bad input; the command line exits with status 2."""

    exit_code = 2

    def __init__(self, message: str):
        message = visible(str(message), keep="\n")  # several lines stay several lines; nothing else acts
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def format_message(self) -> str:
        """The message as the command line prints it (on its own, on stderr)."""
        return self.message


class FactFileError(DiagnoseError):
    """A fact file was refused; carries every problem found, one line each."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.key or "", p.message))
        super().__init__("\n".join(p.format(filename) for p in self.problems))

    def __reduce__(self):  # pickled with its own arguments (a worker process may raise it)
        return type(self), (self.filename, self.problems)
