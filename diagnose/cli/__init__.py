"""The command line: a thin layer over the Python API, one module per command."""

from __future__ import annotations

import errno
import os
import sys

import click

from .. import __version__
from ..errors import DiagnoseError
from .batch import batch
from .diff import diff
from .explain import explain
from .import_cmd import import_command
from .kinds import kinds
from .report import report
from .rules import rules
from .run import run
from .schema import schema
from .sensitivity import sensitivity
from .validate import validate
from .whatif import whatif

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Refused(click.ClickException):
    """A `DiagnoseError` at the command line's edge: its message alone on stderr, then its exit status."""

    def __init__(self, error: DiagnoseError):
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:  # noqa: A002 - click's signature
        click.echo(self.format_message(), file=file, err=True)


def _stdout_failed() -> bool:
    """Whether standard output cannot be written (/dev/full, a closed descriptor); if so, it is sent nowhere
    from now on, or Python would try again to flush what is left in its buffer on the way out, and print a
    second error. (A full disk under a redirected standard output writes zero bytes without an error: then
    the message does not say which file it was.)"""
    try:
        sys.stdout.flush()
        os.write(sys.stdout.fileno(), b"")
        return False
    except ValueError:  # not a real file (a test's captured output): not the culprit
        return False
    except OSError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
        return True


def os_error_message(error: OSError) -> str:
    """An OS error (a full disk, a read-only one, standard output to /dev/full) in one line, naming the file."""
    reason = error.strerror or str(error)
    if error.filename is not None:
        return f"{os.fsdecode(error.filename)}: {reason}"
    if _stdout_failed():
        return f"standard output: {reason}"
    return reason


class Commands(click.Group):
    """The top-level group: turns a `DiagnoseError` or an `OSError` from any command into a `Refused` (no
    traceback). A closed pipe (`diagnose run x | head`) is left to click, which exits quietly."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DiagnoseError as error:
            raise Refused(error) from error
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise
            raise Refused(DiagnoseError(os_error_message(error))) from error


@click.group(cls=Commands, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="diagnose")
def cli() -> None:
    """Diagnose overlapping mechanisms of regional security governance.

    A fact file (YAML) describes a region's states and practices; the rule
    base infers where balance of power and security community are active,
    where they overlap, and whether each overlap is automatic or manual.

    \b
    Examples:
      diagnose run facts/western_hemisphere.yaml
      diagnose run facts/greece_turkey.yaml --format json
      diagnose validate my_region.yaml
      diagnose schema facts > fact-file.schema.json
      diagnose rules list
    """


for command in (run, validate, batch, schema, kinds, rules, report, import_command, explain, whatif, diff,
                sensitivity):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="diagnose")
