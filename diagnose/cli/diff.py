"""`diagnose diff`."""

from __future__ import annotations

import click

from ..api import diagnose
from ..errors import DiagnoseError
from ..load import load_facts
from .options import Settings, rule_options


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--periods", nargs=2, metavar="A B", default=None,
              help="Compare period B with period A of one FILE instead of two files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@rule_options(thresholds=True)
def diff(files: tuple[str, ...], periods: tuple[str, str] | None, fmt: str, settings: Settings) -> None:
    """Show the conclusions that differ between OLD and NEW (or between two periods of one file).

    Each conclusion added, removed or changed (status, variant, facing,
    phase, coupling; an overlap's character) is listed with the entries that
    caused it: those of its evidence added, removed or edited between the
    files (between periods: the entries behind only one of the two). Like
    `diff`, it prints nothing and exits 0 when no conclusion changed, exits 1
    when some did, and 2 on bad input.

    \b
    Examples:
      diagnose diff facts/greece_turkey.yaml edited.yaml
      diagnose diff facts/euro_atlantic.yaml --periods cold_war helsinki_process
      diagnose diff old.yaml new.yaml --format json > changes.json
      diagnose diff old.yaml new.yaml --threshold sc_min_kinds=4 || echo changed
    """
    from ..analysis.diff import compare, compare_periods  # here: `diagnose --help` stays quick

    if periods is not None and len(files) != 1:
        raise DiagnoseError("--periods compares two periods of one file: give one FILE")
    if periods is None and len(files) != 2:
        raise DiagnoseError(f"expected OLD and NEW (two files) or one FILE with --periods A B; got {len(files)} "
                            f"file{'s' if len(files) != 1 else ''}")
    loaded, problems = [], []
    for path in files:  # both files checked: every problem of either reported at once
        try:
            loaded.append(load_facts(path, settings.rules))
        except DiagnoseError as error:
            problems.append(error.message)
    if problems:
        raise DiagnoseError("\n".join(problems))
    results = [diagnose(facts, settings.rules, thresholds=settings.thresholds) for facts in loaded]
    if periods is not None:
        changes = compare_periods(results[0], loaded[0], *periods)
    else:
        changes = compare(results[0], results[1], loaded[0], loaded[1], sides=(files[0], files[1]))
    click.echo(changes.to_json() if fmt == "json" else changes.to_text(), nl=False)
    if changes:
        click.get_current_context().exit(1)
