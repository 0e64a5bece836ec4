"""Errors a user can cause, reported without a traceback."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    message: str
    line: int | None = None
    key: str | None = None

    def format(self, filename: str) -> str:
        where = filename if self.line is None else f"{filename}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class DiagnoseError(click.ClickException):
    """Base of every error caused by bad input; exits with status 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: A002 - click's signature
        click.echo(self.format_message(), file=file, err=True)


class FactFileError(DiagnoseError):
    """A fact file was refused; carries every problem found, one line each."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.key or "", p.message))
        super().__init__("\n".join(p.format(filename) for p in self.problems))
