"""Errors a user can cause, reported without a traceback.

Plain exceptions: the command line (`diagnose.cli`) prints their message and
exits with their ``exit_code``; the library itself does not depend on click.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    message: str
    line: int | None = None
    key: str | None = None

    def format(self, filename: str) -> str:
        where = filename if self.line is None else f"{filename}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class DiagnoseError(Exception):
    """Base of every error caused by bad input; the command line exits with status 2."""

    exit_code = 2

    def __init__(self, message: str):
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
